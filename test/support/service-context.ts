import 'reflect-metadata';
import {
  Global,
  Inject,
  Injectable,
  Module,
  type INestApplicationContext,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, getMetadataArgsStorage } from 'typeorm';
import { AppConfig, loadConfig } from '../../src/infrastructure/config/app-config.js';
import { MetricsModule } from '../../src/infrastructure/metrics/metrics.module.js';
import { ConfigModule } from '../../src/infrastructure/config/config.module.js';
import { dataSourceOptions } from '../../src/infrastructure/database/data-source-options.js';
import { createValidationPipe } from '../../src/infrastructure/http/validation.js';
import { QueueModule } from '../../src/infrastructure/queue/queue.module.js';
import { RateLimitModule } from '../../src/infrastructure/rate-limit/rate-limit.module.js';
import { StorageModule } from '../../src/infrastructure/storage/storage.module.js';
import { AuthoringModule } from '../../src/modules/authoring/authoring.module.js';
import { CatalogCoreModule } from '../../src/modules/catalog/catalog.module.js';
import { CertificationModule } from '../../src/modules/certification/certification.module.js';
import { GeographyModule } from '../../src/modules/geography/geography.module.js';
import { AuthService } from '../../src/modules/identity/auth.service.js';
import { IdentityCoreModule } from '../../src/modules/identity/identity.module.js';
import type { Principal } from '../../src/infrastructure/auth/roles.js';
import { LearningModule } from '../../src/modules/learning/learning.module.js';
import {
  NotificationsJobsModule,
  NotificationsModule,
} from '../../src/modules/notifications/notifications.module.js';
import { ReportingModule } from '../../src/modules/reporting/reporting.module.js';
import { testEnv } from './api.js';
import { ROOT } from './platform-process.js';

/**
 * The domain services of an API process without its HTTP layer: a Nest application context built
 * from the real domain modules against the real PostgreSQL, S3 server and queue backend that
 * `npm test` started (their settings arrive in BANSO_TEST_ENV). Jobs the services queue are done by
 * the worker process `npm test` runs beside the API.
 *
 * Left out: AppModule and the HTTP layer (Fastify plugins, the portal, the global guard and filter,
 * bull-board), which Jest's ESM loader cannot load, and which service tests do not need.
 */
export interface ServiceContext {
  app: INestApplicationContext;
  config: AppConfig;
  get<T>(type: Type<T>): T;
  /** The principal the auth guard would make of this user's access token (roles read now). */
  principal(user: { accessToken: string }): Promise<Principal>;
  close(): Promise<void>;
}

const pipe = createValidationPipe();

/**
 * A request body as a controller receives it: validated and transformed by the platform's global
 * ValidationPipe into the DTO class. A refusal throws the same VALIDATION_FAILED error.
 */
export async function input<T extends object>(dto: Type<T>, body: object): Promise<T> {
  return pipe.transform(structuredClone(body), { type: 'body', metatype: dto });
}

type EntityClass = new (...args: never[]) => object;

/**
 * Every entity class of the domain modules. DatabaseModule finds them by a glob over the compiled
 * files (dist/**\/entities/*.entity.js); Jest runs the TypeScript sources, so the harness imports the
 * same files from src/ and hands TypeORM the very classes the repositories use.
 */
async function entityClasses(): Promise<EntityClass[]> {
  const modules = join(ROOT, 'src', 'modules');
  const files = readdirSync(modules, { recursive: true, encoding: 'utf8' }).filter((f) =>
    /(^|\/)entities\/[^/]+\.entity\.ts$/.test(f),
  );
  const exported = (await Promise.all(files.map((f) => import(join(modules, f))))).flatMap((m) =>
    Object.values(m as Record<string, unknown>),
  );
  const tables = new Set(getMetadataArgsStorage().tables.map((t) => t.target));
  return exported.filter((x): x is EntityClass => typeof x === 'function' && tables.has(x));
}

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** DatabaseModule's DataSource (same options, an API request's statement timeout) with the source entities. */
function testDatabaseModule(config: AppConfig, entities: EntityClass[]) {
  @Global()
  @Module({
    providers: [
      {
        provide: DataSource,
        useFactory: async () => {
          const options = dataSourceOptions(config, 'banso-service-tests', {
            statementTimeoutMs: config.database.statementTimeoutMs,
          });
          const dataSource = new DataSource({ ...options, entities, migrations: [] });
          await dataSource.initialize();
          return dataSource;
        },
      },
      DataSourceCloser,
    ],
    exports: [DataSource],
  })
  class TestDatabaseModule {}
  return TestDatabaseModule;
}

/** Builds the context; `overrides` are environment variables on top of the run's (e.g. a setting under test). */
export async function serviceContext(overrides: Record<string, string> = {}): Promise<ServiceContext> {
  const env = testEnv();
  if (!env.DATABASE_URL) {
    throw new Error('BANSO_TEST_ENV is not set: run the service tests through `npm test`');
  }
  const config = loadConfig({ ...env, ...overrides });

  @Module({
    imports: [
      ConfigModule.forRoot(config, 'api'),
      MetricsModule,
      testDatabaseModule(config, await entityClasses()),
      StorageModule,
      QueueModule,
      RateLimitModule,
      IdentityCoreModule,
      GeographyModule,
      CatalogCoreModule,
      AuthoringModule,
      LearningModule,
      CertificationModule,
      ReportingModule,
      NotificationsModule,
      NotificationsJobsModule,
    ],
  })
  class ServiceTestModule {}

  const app = await NestFactory.createApplicationContext(ServiceTestModule, {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  await app.init();
  const auth = app.get(AuthService, { strict: false });
  return {
    app,
    config,
    get: <T>(type: Type<T>) => app.get(type, { strict: false }),
    principal: async ({ accessToken }) => {
      const principal = await auth.authenticateBearer(accessToken);
      if (!principal) throw new Error('the access token is not valid (any more)');
      return principal;
    },
    close: () => app.close(),
  };
}

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';

const here = dirname(fileURLToPath(import.meta.url));
/** `src/infrastructure/database` → the root of the compiled tree (dist/). */
const compiledRoot = join(here, '..', '..', '..');

/** The one TypeORM configuration, shared by the app, the worker and the migration CLI. */
export function dataSourceOptions(config: AppConfig, applicationName = 'banso'): DataSourceOptions {
  if (!config.databaseUrl) throw new Error('DATABASE_URL is not set and embedded PostgreSQL has not started');
  return {
    type: 'postgres',
    url: config.databaseUrl,
    applicationName,
    entities: [join(compiledRoot, 'src', 'modules', '**', 'entities', '*.entity.js')],
    migrations: [join(compiledRoot, 'migrations', '*.js')],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    // The schema changes only through committed migrations.
    synchronize: false,
    migrationsRun: false,
    extra: { max: 10, connectionTimeoutMillis: 5000 },
  };
}

import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './infrastructure/config/app-config.js';
import { ConfigModule } from './infrastructure/config/config.module.js';
import { DatabaseModule } from './infrastructure/database/database.module.js';
import { loggerModule } from './infrastructure/logging/logger.module.js';
import { QueueModule, QueueWorkersModule } from './infrastructure/queue/queue.module.js';
import { RateLimitModule } from './infrastructure/rate-limit/rate-limit.module.js';
import { StorageModule } from './infrastructure/storage/storage.module.js';
import { CertificationJobsModule } from './modules/certification/certification.module.js';
import { IdentityJobsModule } from './modules/identity/identity.module.js';
import { MediaJobsModule } from './modules/media/media.module.js';

/** The queue consumers and every domain's job handlers. */
export const WORKER_MODULES = [
  QueueWorkersModule,
  IdentityJobsModule,
  MediaJobsModule,
  CertificationJobsModule,
];

/** The worker role: queue processors only, no HTTP server. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config, 'worker'),
        loggerModule(config, 'worker'),
        DatabaseModule,
        StorageModule,
        QueueModule,
        RateLimitModule,
        ...WORKER_MODULES,
      ],
    };
  }
}

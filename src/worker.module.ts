import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './infrastructure/config/app-config.js';
import { ConfigModule } from './infrastructure/config/config.module.js';
import { DatabaseModule } from './infrastructure/database/database.module.js';
import { loggerModule } from './infrastructure/logging/logger.module.js';
import { MetricsModule } from './infrastructure/metrics/metrics.module.js';
import { MetricsServer } from './infrastructure/metrics/metrics-server.js';
import { QueueModule, QueueWorkersModule } from './infrastructure/queue/queue.module.js';
import { RateLimitModule } from './infrastructure/rate-limit/rate-limit.module.js';
import { StorageModule } from './infrastructure/storage/storage.module.js';
import { CertificationJobsModule } from './modules/certification/certification.module.js';
import { IdentityJobsModule } from './modules/identity/identity.module.js';
import { LearningJobsModule } from './modules/learning/learning.module.js';
import { MediaJobsModule } from './modules/media/media.module.js';
import { NotificationsJobsModule } from './modules/notifications/notifications.module.js';
import { ReportingJobsModule } from './modules/reporting/reporting.module.js';
/** The queue consumers and every domain's job handlers. */
export const WORKER_MODULES = [
  QueueWorkersModule,
  IdentityJobsModule,
  LearningJobsModule,
  MediaJobsModule,
  CertificationJobsModule,
  ReportingJobsModule,
  NotificationsJobsModule,
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
        MetricsModule,
        DatabaseModule,
        StorageModule,
        QueueModule,
        RateLimitModule,
        ...WORKER_MODULES,
      ],
      providers: [MetricsServer],
    };
  }
}

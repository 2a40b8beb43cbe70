import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type { AppConfig } from './infrastructure/config/app-config.js';
import { ConfigModule } from './infrastructure/config/config.module.js';
import { DatabaseModule } from './infrastructure/database/database.module.js';
import { HealthController } from './infrastructure/health/health.controller.js';
import { AllExceptionsFilter } from './infrastructure/http/all-exceptions.filter.js';
import { createValidationPipe } from './infrastructure/http/validation.js';
import { loggerModule } from './infrastructure/logging/logger.module.js';
import { MetricsModule } from './infrastructure/metrics/metrics.module.js';
import { MetricsServer } from './infrastructure/metrics/metrics-server.js';
import { QueueModule } from './infrastructure/queue/queue.module.js';
import { RateLimitModule } from './infrastructure/rate-limit/rate-limit.module.js';
import { StorageModule } from './infrastructure/storage/storage.module.js';
import { AuthoringModule } from './modules/authoring/authoring.module.js';
import { CertificationModule } from './modules/certification/certification.module.js';
import { CatalogModule } from './modules/catalog/catalog.module.js';
import { GeographyModule } from './modules/geography/geography.module.js';
import { IdentityModule } from './modules/identity/identity.module.js';
import { LearningModule } from './modules/learning/learning.module.js';
import { MediaModule } from './modules/media/media.module.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import { PortalModule } from './modules/portal/portal.module.js';
import { ReportingModule } from './modules/reporting/reporting.module.js';
import { WORKER_MODULES } from './worker.module.js';

/** The HTTP role. With `runWorkers` (the embedded default) it also processes the queues. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: { runWorkers: boolean }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, 'api'),
        loggerModule(config, options.runWorkers ? 'all-in-one' : 'api'),
        MetricsModule,
        DatabaseModule,
        StorageModule,
        QueueModule,
        RateLimitModule,
        IdentityModule,
        GeographyModule,
        CatalogModule,
        AuthoringModule,
        MediaModule,
        LearningModule,
        CertificationModule,
        ReportingModule,
        NotificationsModule,
        PortalModule,
        ...(options.runWorkers ? WORKER_MODULES : []),
      ],
      controllers: [HealthController],
      providers: [
        MetricsServer,
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}

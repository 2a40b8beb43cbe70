import { Module } from '@nestjs/common';
import { OutboxReader } from '../../infrastructure/outbox/outbox.js';
import { CertificationModule } from '../certification/certification.module.js';
import { GeographyModule } from '../geography/geography.module.js';
import { IdentityCoreModule } from '../identity/identity.module.js';
import { LearningModule } from '../learning/learning.module.js';
import { ReportingModule } from '../reporting/reporting.module.js';
import { SMS_GATEWAY_PROVIDER } from '../../infrastructure/sms/sms-gateway.js';
import { WebPushChannel } from './channels.js';
import { DeliveryService } from './delivery.service.js';
import { DispatchNotificationsJob, ScanRemindersJob } from './jobs/notification-jobs.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsService } from './notifications.service.js';
import { RemindersService } from './reminders.service.js';

const CHANNELS = [WebPushChannel, SMS_GATEWAY_PROVIDER];

/** Every user's inbox and reminder channels (the API role). */
@Module({
  imports: [IdentityCoreModule],
  providers: [NotificationsRepository, NotificationsService, ...CHANNELS],
  controllers: [NotificationsController],
  exports: [NotificationsService],
})
export class NotificationsModule {}

/** What makes and sends reminders (the worker role). */
@Module({
  imports: [IdentityCoreModule, GeographyModule, LearningModule, CertificationModule, ReportingModule],
  providers: [
    NotificationsRepository,
    OutboxReader,
    RemindersService,
    DeliveryService,
    DispatchNotificationsJob,
    ScanRemindersJob,
    ...CHANNELS,
  ],
  exports: [RemindersService, DeliveryService],
})
export class NotificationsJobsModule {}

import { Inject, Injectable } from '@nestjs/common';
import { HandlesJob, type JobContext, type JobHandler } from '../../../infrastructure/queue/job-handler.js';
import { JobName } from '../../../infrastructure/queue/queue.constants.js';
import { DeliveryService } from '../delivery.service.js';
import { RemindersService } from '../reminders.service.js';

/** Every 10 s: new outbox facts become notifications, then what is due goes out by push and SMS. */
@Injectable()
@HandlesJob(JobName.dispatchNotifications)
export class DispatchNotificationsJob implements JobHandler<Record<string, never>, number> {
  constructor(
    @Inject(RemindersService) private readonly reminders: RemindersService,
    @Inject(DeliveryService) private readonly delivery: DeliveryService,
  ) {}

  async handle(_payload: Record<string, never>, context: JobContext) {
    const facts = await this.reminders.catchUp();
    const settled = await this.delivery.deliverDue();
    if (facts + settled > 0) context.log(`Read ${facts} fact(s), settled ${settled} delivery(ies)`);
    return settled;
  }
}

/** Every 15 minutes: the scans (idle learners, renewal windows, overdue applications, digests). */
@Injectable()
@HandlesJob(JobName.scanReminders)
export class ScanRemindersJob implements JobHandler<Record<string, never>, number> {
  constructor(@Inject(RemindersService) private readonly reminders: RemindersService) {}

  async handle(_payload: Record<string, never>, context: JobContext) {
    const made = await this.reminders.scan();
    if (made > 0) context.log(`Made ${made} reminder(s)`);
    return made;
  }
}

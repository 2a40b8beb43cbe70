import { Inject, Injectable } from '@nestjs/common';
import { HandlesJob, type JobContext, type JobHandler } from '../../../infrastructure/queue/job-handler.js';
import { JobName } from '../../../infrastructure/queue/queue.constants.js';
import { ActivityService } from '../activity.service.js';

/** Every 15 s: counts the outbox facts written since the last run into the daily activity. */
@Injectable()
@HandlesJob(JobName.applyReportingEvents)
export class ApplyReportingEventsJob implements JobHandler<Record<string, never>, number> {
  constructor(@Inject(ActivityService) private readonly activity: ActivityService) {}

  async handle(_payload: Record<string, never>, context: JobContext) {
    const counted = await this.activity.catchUp();
    if (counted > 0) context.log(`Counted ${counted} outbox fact(s)`);
    return counted;
  }
}

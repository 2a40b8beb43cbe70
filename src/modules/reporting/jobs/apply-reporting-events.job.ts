import { Inject, Injectable } from '@nestjs/common';
import { HandlesJob, type JobContext, type JobHandler } from '../../../infrastructure/queue/job-handler.js';
import { Metrics } from '../../../infrastructure/metrics/metrics.js';
import { JobName } from '../../../infrastructure/queue/queue.constants.js';
import { withDeadline } from '../../../infrastructure/resilience/backend-unavailable.js';
import { ActivityService } from '../activity.service.js';
import { RollupsService } from '../rollups.service.js';

/** Every 15 s: counts the outbox facts written since the last run into the daily activity and the rollups. */
@Injectable()
@HandlesJob(JobName.applyReportingEvents)
export class ApplyReportingEventsJob implements JobHandler<Record<string, never>, number> {
  constructor(
    @Inject(ActivityService) private readonly activity: ActivityService,
    @Inject(RollupsService) private readonly rollups: RollupsService,
    @Inject(Metrics) metrics: Metrics,
  ) {
    // Read by the worker when Prometheus scrapes: how far the rollups (and so staff reports) are
    // behind. One query serves both gauges of a scrape.
    let reading: { at: number; lag: Promise<{ events: number; oldestSeconds: number }> } | undefined;
    const lag = () => {
      if (!reading || Date.now() - reading.at > 1_000)
        reading = { at: Date.now(), lag: withDeadline(this.rollups.lag(), 2_000, 'database') };
      return reading.lag;
    };
    metrics.gauge(
      'reporting_rollup_lag_seconds',
      'Age of the oldest outbox fact the reporting rollups have not applied yet (0 when caught up)',
      [],
      async (gauge) => gauge.set((await lag()).oldestSeconds),
    );
    metrics.gauge(
      'reporting_rollup_lag_events',
      'Outbox facts the reporting rollups have not applied yet',
      [],
      async (gauge) => gauge.set((await lag()).events),
    );
  }

  async handle(_payload: Record<string, never>, context: JobContext) {
    const counted = (await this.activity.catchUp()) + (await this.rollups.catchUp());
    if (counted > 0) context.log(`Counted ${counted} outbox fact(s)`);
    return counted;
  }
}

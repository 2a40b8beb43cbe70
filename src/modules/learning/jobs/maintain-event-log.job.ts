import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../../../infrastructure/queue/job-handler.js';
import { JobName } from '../../../infrastructure/queue/queue.constants.js';
import { ensureEventPartitions, MONTHS_AHEAD } from '../event-log.js';

/**
 * The event log's months at every start (API and worker): inserts of a month with no partition
 * would fail, so the current month and the next two exist however long the worker stays down.
 */
@Injectable()
export class EventLogMonthsAtStart implements OnApplicationBootstrap {
  private readonly logger = new Logger('EventLog');

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    // The database may be away at start (the platform starts anyway and answers 503): the
    // worker's scheduled run, or the next start, creates the months then.
    try {
      const made = await ensureEventPartitions(this.dataSource);
      if (made > 0) this.logger.log(`Created ${made} month(s) of the event log`);
    } catch (e) {
      this.logger.warn(`Could not check the event log's months at start: ${(e as Error).message}`);
    }
  }
}

/** Every 6 hours from the worker: the current month of the event log and the next ones exist. */
@Injectable()
@HandlesJob(JobName.maintainEventLog)
export class MaintainEventLogJob implements JobHandler<Record<string, never>, number> {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async handle(_payload: Record<string, never>, context: JobContext) {
    const made = await ensureEventPartitions(this.dataSource);
    if (made > 0)
      context.log(`Created ${made} month(s) of the event log (the current one and ${MONTHS_AHEAD} ahead)`);
    return made;
  }
}

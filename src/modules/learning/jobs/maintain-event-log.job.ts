import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HandlesJob, type JobContext, type JobHandler } from '../../../infrastructure/queue/job-handler.js';
import { JobName } from '../../../infrastructure/queue/queue.constants.js';
import { ensureEventPartitions, MONTHS_AHEAD } from '../event-log.js';

/**
 * Keeps the event log's months created ahead: at every API and worker start, then every 6 hours
 * from the worker. Inserts of a month with no partition would fail, so the current month and the
 * next two always exist however long a worker stays down.
 */
@Injectable()
@HandlesJob(JobName.maintainEventLog)
export class MaintainEventLogJob
  implements JobHandler<Record<string, never>, number>, OnApplicationBootstrap
{
  private readonly logger = new Logger('EventLog');

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    // The database may be away at boot (the platform starts anyway and answers 503): the
    // scheduled run, or the next start, creates the months then.
    await this.handle({}, { log: (m: string) => this.logger.log(m) }).catch((e: Error) =>
      this.logger.warn(`Could not check the event log's partitions at start: ${e.message}`),
    );
  }

  async handle(_payload: Record<string, never>, context: Pick<JobContext, 'log'>) {
    const made = await ensureEventPartitions(this.dataSource);
    if (made > 0)
      context.log(`Created ${made} month(s) of the event log (the current one and ${MONTHS_AHEAD} ahead)`);
    return made;
  }
}

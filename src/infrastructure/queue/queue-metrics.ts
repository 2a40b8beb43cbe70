import { Inject, Injectable } from '@nestjs/common';
import { Metrics } from '../metrics/metrics.js';
import { withDeadline } from '../resilience/backend-unavailable.js';
import { QueueService } from './queue.service.js';

const STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;
/** A scrape never waits longer than this for the queue backend. */
const SCRAPE_DEADLINE_MS = 2_000;

/**
 * Queue depth and age, read from the queue backend when Prometheus scrapes. Every process reads
 * the same shared queues, so dashboards take `max by (queue)` across instances.
 */
@Injectable()
export class QueueMetrics {
  constructor(@Inject(Metrics) metrics: Metrics, @Inject(QueueService) queues: QueueService) {
    metrics.gauge(
      'queue_jobs',
      'Jobs per queue and state (failed: kept after their last attempt)',
      ['queue', 'state'],
      async (gauge) => {
        await Promise.all(
          queues.all().map(async (queue) => {
            const counts = await withDeadline(queue.getJobCounts(...STATES), SCRAPE_DEADLINE_MS, 'queue');
            for (const state of STATES) gauge.set({ queue: queue.name, state }, counts[state] ?? 0);
          }),
        );
      },
    );
    metrics.gauge(
      'queue_oldest_waiting_seconds',
      'Age of the oldest job waiting to start (0 when none waits)',
      ['queue'],
      async (gauge) => {
        const now = Date.now();
        await Promise.all(
          queues.all().map(async (queue) => {
            // The first few of each waiting list, oldest first; prioritised jobs are not in time order.
            const jobs = await withDeadline(
              queue.getJobs(['wait', 'prioritized'], 0, 19, true),
              SCRAPE_DEADLINE_MS,
              'queue',
            );
            const oldest = Math.min(now, ...jobs.map((j) => j?.timestamp ?? now));
            gauge.set({ queue: queue.name }, (now - oldest) / 1000);
          }),
        );
      },
    );
  }
}

import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { withDeadline } from '../resilience/backend-unavailable.js';
import { selectQueueBackend, type QueueBackend } from './queue-backend.js';
import {
  DEFAULT_JOB_OPTIONS,
  JOB_QUEUE,
  QueueName,
  type JobEnvelope,
  type JobName,
  type JobPayloads,
} from './queue.constants.js';

export interface EnqueueOptions {
  /** Set it whenever the work must happen once: a second add with the same id is ignored. */
  jobId?: string;
  delayMs?: number;
  requestId?: string;
  /** 1 (first) … 2,097,152 (last); jobs without a priority go before all prioritised ones. */
  priority?: number;
}

/** Producer side of the queues, available to both process roles. */
@Injectable()
export class QueueService implements OnApplicationShutdown {
  private readonly logger = new Logger(QueueService.name);
  readonly backend: QueueBackend;
  private readonly queues = new Map<QueueName, Queue>();
  private closing = false;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.backend = selectQueueBackend(config);
    for (const name of Object.values(QueueName)) {
      const queue = new this.backend.Queue(name, {
        connection: this.backend.connection as never,
        prefix: this.backend.prefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      queue.on('error', (err) => !this.closing && this.logger.warn(`Queue ${name}: ${err.message}`));
      this.queues.set(name, queue);
    }
  }

  queue(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`Unknown queue ${name}`);
    return queue;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions = {},
  ): Promise<string> {
    const envelope: JobEnvelope<N> = { payload, requestId: options.requestId };
    // A stalled backend fails the request (503) instead of holding it; an add that lands later
    // is harmless: work that must happen once has a jobId and a uniqueness constraint.
    const job = await withDeadline(
      this.queue(JOB_QUEUE[name]).add(name, envelope, {
        jobId: options.jobId,
        delay: options.delayMs,
        priority: options.priority,
      }),
      this.config.queueTimeoutMs,
      'queue',
    );
    return String(job.id);
  }

  /** For /health/ready: a round trip to the queue backend. */
  async ping(): Promise<void> {
    await this.queue(QueueName.maintenance).getJobCounts('waiting');
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.allSettled(this.all().map((q) => q.close()));
  }
}

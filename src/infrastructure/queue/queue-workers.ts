import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { Job, Worker } from 'bullmq';
import type { Histogram } from 'prom-client';
import { Metrics } from '../metrics/metrics.js';
import { JOB_HANDLER, type JobHandler } from './job-handler.js';
import { assertEveryJobHasHandler } from './job-registry.js';
import { QueueService } from './queue.service.js';
import {
  JOB_QUEUE,
  JobName,
  QUEUE_CONCURRENCY,
  QUEUE_LOCKS,
  QueueName,
  type JobEnvelope,
} from './queue.constants.js';

/** Recurring jobs, declared once; the scheduler id makes re-declaring them idempotent. */
const SCHEDULES: { job: JobName; everyMs: number }[] = [
  { job: JobName.purgeExpiredAuthRecords, everyMs: 3600_000 },
  { job: JobName.resumeCertificateIssuance, everyMs: 60_000 },
  { job: JobName.resumeMediaProcessing, everyMs: 60_000 },
  { job: JobName.applyReportingEvents, everyMs: 15_000 },
  { job: JobName.maintainEventLog, everyMs: 6 * 3600_000 },
  { job: JobName.dispatchNotifications, everyMs: 10_000 },
  { job: JobName.scanReminders, everyMs: 15 * 60_000 },
];
const SCHEDULED_JOBS = new Set<string>(SCHEDULES.map((s) => s.job));

/** Consumer side: runs in the worker role only. Finds every `@HandlesJob` provider at boot. */
@Injectable()
export class QueueWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly workers: Worker[] = [];
  private readonly handlers = new Map<string, JobHandler>();
  private closing = false;

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(QueueService) private readonly queues: QueueService,
    @Inject(Metrics) metrics: Metrics,
  ) {
    this.duration = metrics.histogram(
      'job_duration_seconds',
      'Job attempts by job and outcome (completed, failed): certificate issuance, transcoding, …',
      ['queue', 'job', 'outcome'],
    );
  }

  private readonly duration: Histogram<'queue' | 'job' | 'outcome'>;

  async onApplicationBootstrap(): Promise<void> {
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.metatype || !wrapper.instance) continue;
      const name = this.reflector.get<string | undefined>(JOB_HANDLER, wrapper.metatype as never);
      if (!name) continue;
      if (this.handlers.has(name)) throw new Error(`Two handlers registered for job ${name}`);
      this.handlers.set(name, wrapper.instance as JobHandler);
    }
    assertEveryJobHasHandler(this.handlers.keys());

    const { Worker: WorkerClass, connection, prefix } = this.queues.backend;
    for (const queue of Object.values(QueueName)) {
      const worker = new WorkerClass(queue, (job: Job) => this.process(job), {
        connection: connection as never,
        prefix,
        concurrency: QUEUE_CONCURRENCY[queue],
        ...QUEUE_LOCKS[queue],
      });
      worker.on('error', (err) => !this.closing && this.logger.error(`Worker ${queue}: ${err.message}`));
      worker.on('failed', (job, err) =>
        this.logger.warn({
          msg: 'Job failed',
          jobId: job?.id,
          job: job?.name,
          attempt: job?.attemptsMade,
          err: err.message,
        }),
      );
      this.workers.push(worker);
    }
    for (const { job, everyMs } of SCHEDULES) {
      await this.queues
        .queue(JOB_QUEUE[job])
        .upsertJobScheduler(
          job,
          { every: everyMs },
          { name: job, data: { payload: {} } satisfies JobEnvelope },
        );
    }
    this.logger.log(`Processing ${this.handlers.size} job type(s) on ${this.workers.length} queue(s)`);
  }

  private async process(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new Error(`No handler for job ${job.name}`);
    const envelope = job.data as JobEnvelope;
    const started = Date.now();
    const meta = {
      jobId: job.id,
      job: job.name,
      attempt: job.attemptsMade + 1,
      requestId: envelope.requestId,
    };
    // Repeating jobs start every few seconds: their start and finish are debug lines; what they
    // did (context.log) and failures stay visible.
    const trace = SCHEDULED_JOBS.has(job.name) ? 'debug' : 'log';
    this.logger[trace]({ msg: 'Job started', ...meta });
    try {
      const result = await handler.handle(envelope.payload, {
        jobId: String(job.id),
        attempt: job.attemptsMade + 1,
        isLastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
        requestId: envelope.requestId,
        log: (message) => this.logger.log({ msg: message, ...meta }),
      });
      this.logger[trace]({ msg: 'Job finished', ...meta, durationMs: Date.now() - started });
      this.duration.observe(
        { queue: job.queueName, job: job.name, outcome: 'completed' },
        (Date.now() - started) / 1000,
      );
      return result;
    } catch (err) {
      this.duration.observe(
        { queue: job.queueName, job: job.name, outcome: 'failed' },
        (Date.now() - started) / 1000,
      );
      this.logger.warn({
        msg: 'Job threw',
        ...meta,
        durationMs: Date.now() - started,
        err: (err as Error).message,
      });
      throw err;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.allSettled(this.workers.map((w) => w.close()));
  }
}

/** Every queue and job name, in one place. A job name maps to exactly one queue. */
export const QueueName = {
  maintenance: 'maintenance',
  /** CPU-heavy: ffmpeg. One job at a time per worker process; each job uses every core. */
  media: 'media',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  /** Deletes expired sessions and stale login-attempt counters. Repeats hourly. */
  purgeExpiredAuthRecords: 'maintenance.purge-expired-auth-records',
  /** Probes an uploaded video and makes its HLS ladder, download MP4 and poster. Idempotent. */
  transcodeMedia: 'media.transcode',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.purgeExpiredAuthRecords]: QueueName.maintenance,
  [JobName.transcodeMedia]: QueueName.media,
};

/** Defaults for every job: delivery is at-least-once, so handlers must be idempotent. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5_000 },
} as const;

/** Concurrency per queue in one worker process (2-core machines: keep CPU-heavy queues low). */
export const QUEUE_CONCURRENCY: Record<QueueName, number> = {
  [QueueName.maintenance]: 1,
  [QueueName.media]: 1,
};

/** The payload type of each job. */
export interface JobPayloads {
  [JobName.purgeExpiredAuthRecords]: Record<string, never>;
  [JobName.transcodeMedia]: { mediaId: string };
}

/** What is stored in BullMQ: the payload plus the request that caused it (for the logs). */
export interface JobEnvelope<N extends JobName = JobName> {
  payload: JobPayloads[N];
  requestId?: string;
}

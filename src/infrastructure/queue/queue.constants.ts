/** Every queue and job name, in one place. A job name maps to exactly one queue. */
export const QueueName = {
  maintenance: 'maintenance',
  /** CPU-heavy: ffmpeg. One job at a time per worker process; each job uses every core. */
  media: 'media',
  /** Certificate PDFs and credentials: short jobs, a little CPU each. */
  certificates: 'certificates',
  /** Reminders: outbox facts and scans into the inbox, then push and SMS (waiting on gateways). */
  notifications: 'notifications',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  /** Deletes expired sessions and stale login-attempt counters. Repeats hourly. */
  purgeExpiredAuthRecords: 'maintenance.purge-expired-auth-records',
  /** Probes an uploaded video and makes its HLS ladder, download MP4 and poster. Idempotent. */
  transcodeMedia: 'media.transcode',
  /** Renders, signs and stores one reserved certificate. Idempotent. */
  issueCertificate: 'certification.issue-certificate',
  /** Re-queues confirmed videos whose transcode job was lost. Repeats every minute. */
  resumeMediaProcessing: 'media.resume-processing',
  /** Re-queues reserved certificates whose issuance job was lost. Repeats every minute. */
  resumeCertificateIssuance: 'certification.resume-issuance',
  /** Counts new outbox facts into the reporting rollups, exactly once. Repeats every 15 s. */
  applyReportingEvents: 'reporting.apply-events',
  /** Creates the event log's partitions for the coming months. Repeats every 6 hours. */
  maintainEventLog: 'learning.maintain-event-log',
  /** Turns new outbox facts into notifications, then sends the due push and SMS. Repeats every 10 s. */
  dispatchNotifications: 'notifications.dispatch',
  /** Looks for idle learners, renewal windows, overdue applications, weekly digests. Every 15 min. */
  scanReminders: 'notifications.scan',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.purgeExpiredAuthRecords]: QueueName.maintenance,
  [JobName.transcodeMedia]: QueueName.media,
  [JobName.issueCertificate]: QueueName.certificates,
  [JobName.resumeCertificateIssuance]: QueueName.maintenance,
  [JobName.resumeMediaProcessing]: QueueName.maintenance,
  [JobName.applyReportingEvents]: QueueName.maintenance,
  [JobName.maintainEventLog]: QueueName.maintenance,
  [JobName.dispatchNotifications]: QueueName.notifications,
  [JobName.scanReminders]: QueueName.notifications,
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
  // A certificate is ~18 ms of CPU and mostly waiting on storage, the database and the queue:
  // 16 at once kept up with 25 approvals/s where 4 and 8 let a backlog grow (bench/certificates).
  [QueueName.certificates]: 16,
  [QueueName.notifications]: 1,
};

/**
 * How soon a job held by a dead worker goes back to the queue (BullMQ's defaults: 30 s lock,
 * 30 s check). Certificates take well under a second, so a short lock brings them back quickly.
 */
export const QUEUE_LOCKS: Partial<Record<QueueName, { lockDuration: number; stalledInterval: number }>> = {
  [QueueName.certificates]: { lockDuration: 10_000, stalledInterval: 5_000 },
};

/** The payload type of each job. */
export interface JobPayloads {
  [JobName.purgeExpiredAuthRecords]: Record<string, never>;
  [JobName.transcodeMedia]: { mediaId: string };
  [JobName.issueCertificate]: { certificateId: string };
  [JobName.resumeCertificateIssuance]: Record<string, never>;
  [JobName.resumeMediaProcessing]: Record<string, never>;
  [JobName.applyReportingEvents]: Record<string, never>;
  [JobName.maintainEventLog]: Record<string, never>;
  [JobName.dispatchNotifications]: Record<string, never>;
  [JobName.scanReminders]: Record<string, never>;
}

/** What is stored in BullMQ: the payload plus the request that caused it (for the logs). */
export interface JobEnvelope<N extends JobName = JobName> {
  payload: JobPayloads[N];
  requestId?: string;
}

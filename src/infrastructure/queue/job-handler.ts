import { SetMetadata } from '@nestjs/common';
import type { JobName } from './queue.constants.js';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

/** What the worker passes to a handler besides the payload. */
export interface JobContext {
  jobId: string;
  attempt: number;
  /** No retry follows if this attempt throws: record the failure for users now. */
  isLastAttempt: boolean;
  requestId?: string;
  log(message: string): void;
}

/** One class per job: thin, typed payload, calls a service. */
export interface JobHandler<Payload = unknown, Result = unknown> {
  handle(payload: Payload, context: JobContext): Promise<Result>;
}

/** Marks a provider as the handler of one job name; the worker finds it by this metadata. */
export const HandlesJob = (name: JobName) => SetMetadata(JOB_HANDLER, name);

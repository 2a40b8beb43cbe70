import { Inject, Injectable } from '@nestjs/common';
import { HandlesJob, type JobContext, type JobHandler } from '../../../infrastructure/queue/job-handler.js';
import { JobName } from '../../../infrastructure/queue/queue.constants.js';
import { RateLimiter } from '../../../infrastructure/rate-limit/rate-limiter.js';
import { AuthService } from '../auth.service.js';

/** Hourly: drops sessions ended over a week ago and expired login counters. Idempotent. */
@Injectable()
@HandlesJob(JobName.purgeExpiredAuthRecords)
export class PurgeExpiredAuthRecordsJob implements JobHandler<
  Record<string, never>,
  { sessions: number; counters: number }
> {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(RateLimiter) private readonly rateLimiter: RateLimiter,
  ) {}

  async handle(_payload: Record<string, never>, context: JobContext) {
    const sessions = await this.auth.purgeEndedSessions();
    const counters = await this.rateLimiter.purgeExpired();
    context.log(`Purged ${sessions} ended session(s) and ${counters} login counter(s)`);
    return { sessions, counters };
  }
}

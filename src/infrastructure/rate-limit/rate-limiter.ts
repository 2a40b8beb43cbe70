import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface RateLimitState {
  count: number;
  limited: boolean;
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters in PostgreSQL (an UNLOGGED table): shared by every API replica on either
 * queue backend, with nothing else to run. Losing counters in a crash only resets limits.
 */
@Injectable()
export class RateLimiter {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private window(windowSeconds: number): { start: Date; retryAfterSeconds: number } {
    const now = Date.now();
    const size = windowSeconds * 1000;
    const start = Math.floor(now / size) * size;
    return { start: new Date(start), retryAfterSeconds: Math.max(1, Math.ceil((start + size - now) / 1000)) };
  }

  /** Counts one more event and tells whether the key is now over its limit. */
  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitState> {
    const w = this.window(windowSeconds);
    const rows: { hits: number }[] = await this.dataSource.query(
      `INSERT INTO rate_limit_counters (key, window_start, hits, expires_at)
       VALUES ($1, $2, 1, $2::timestamptz + make_interval(secs => $3))
       ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
       RETURNING hits`,
      [key, w.start, windowSeconds],
    );
    const count = rows[0].hits;
    return { count, limited: count > limit, retryAfterSeconds: w.retryAfterSeconds };
  }

  async reset(key: string): Promise<void> {
    await this.dataSource.query('DELETE FROM rate_limit_counters WHERE key = $1', [key]);
  }

  async purgeExpired(): Promise<number> {
    const result: [unknown, number] = await this.dataSource.query(
      'DELETE FROM rate_limit_counters WHERE expires_at < now()',
    );
    return result[1] ?? 0;
  }
}

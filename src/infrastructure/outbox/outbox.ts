import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** Anything that runs SQL in the caller's transaction (an EntityManager or a QueryRunner). */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** One fact from the outbox, as a consumer sees it. */
export interface OutboxEvent<P = Record<string, unknown>> {
  seq: string;
  type: string;
  subjectId: string;
  payload: P;
  occurredAt: Date;
}

/**
 * Appends a fact to the outbox (`domain_events`) in the caller's transaction, so it exists if and
 * only if the change it describes committed. Event types are `<module>.<fact>`, declared in the
 * writing module's `<module>.types.ts` with their payload.
 */
export async function appendEvent(
  sql: SqlRunner,
  type: string,
  subjectId: string,
  payload: object,
): Promise<void> {
  await sql.query(`INSERT INTO domain_events (type, subject_id, payload) VALUES ($1, $2, $3)`, [
    type,
    subjectId,
    payload,
  ]);
}

/** Events fetched per transaction by a consumer. */
const BATCH = 500;

/**
 * Reads the outbox exactly once, in commit-safe order, per named consumer.
 *
 * `seq` alone is not a safe cursor: a transaction that took seq 10 may commit after one that took
 * seq 11, and a reader that already moved past 11 would never see 10. Each event therefore carries
 * the id of the transaction that wrote it (`tx`), and a consumer only reads events whose
 * transaction is older than the oldest one still running (its snapshot's xmin): those have all
 * committed or rolled back, and every later event gets a larger `tx`. The position (tx, seq) is
 * kept in `outbox_checkpoints` and moved in the same transaction that applies the events, under a
 * row lock, so two workers running the same consumer apply each event once between them.
 */
@Injectable()
export class OutboxReader {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Applies the next batch of events of `types` for `consumer`; returns how many it applied (0
   * when caught up). Call again while it returns a full batch.
   */
  async consumeBatch(
    consumer: string,
    types: readonly string[],
    apply: (events: OutboxEvent[], m: EntityManager) => Promise<void>,
    batchSize = BATCH,
    /** How long to wait for another process applying a batch of the same consumer (default: as long as it takes). */
    lockTimeoutMs?: number,
  ): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      if (lockTimeoutMs !== undefined)
        await m.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`);
      await m.query(`INSERT INTO outbox_checkpoints (consumer) VALUES ($1) ON CONFLICT DO NOTHING`, [
        consumer,
      ]);
      const [at] = await m.query<{ tx: string; seq: string; horizon: string; skip: string | null }[]>(
        `SELECT tx::text, seq::text, pg_snapshot_xmin(pg_current_snapshot())::text AS horizon, skip::text
           FROM outbox_checkpoints WHERE consumer = $1 FOR UPDATE`,
        [consumer],
      );
      const events = await m.query<(OutboxEvent & { tx: string })[]>(
        `SELECT seq::text, tx::text, type, subject_id AS "subjectId", payload, occurred_at AS "occurredAt"
           FROM domain_events
          WHERE (tx, seq) > ($1::xid8, $2::bigint) AND tx < $3::xid8 AND type = ANY ($4::text[])
            -- After a rebuild: what its snapshot saw is counted already (see takeOver).
            AND NOT coalesce(pg_visible_in_snapshot(tx, $6::pg_snapshot), false)
          -- Qualified: a bare "seq" would name the text output column and sort '10' before '9'.
          ORDER BY domain_events.tx, domain_events.seq
          LIMIT $5`,
        [at.tx, at.seq, at.horizon, types, batchSize, at.skip],
      );
      if (events.length > 0)
        await apply(
          events.map(({ tx: _, ...e }) => e),
          m,
        );
      // A short batch read everything below the horizon: move there, so the next read starts past
      // the events of other types too. A full batch stops at its last event.
      const last = events.at(-1);
      const [tx, seq] = events.length === batchSize && last ? [last.tx, last.seq] : [at.horizon, '0'];
      await m.query(
        `UPDATE outbox_checkpoints
            SET tx = CASE WHEN (tx, seq) < ($2::xid8, $3::bigint) THEN $2::xid8 ELSE tx END,
                seq = CASE WHEN (tx, seq) < ($2::xid8, $3::bigint) THEN $3::bigint ELSE seq END,
                -- Past every transaction the rebuild's snapshot could have seen: nothing left to skip.
                skip = CASE WHEN $2::xid8 >= pg_snapshot_xmax(skip) THEN NULL ELSE skip END,
                updated_at = now()
          WHERE consumer = $1`,
        [consumer, tx, seq],
      );
      return events.length;
    });
  }

  /**
   * For a consumer whose results were just recomputed from the source tables in `m`'s transaction:
   * makes it go on exactly after what that transaction's snapshot saw. The transaction must be
   * REPEATABLE READ and must have taken `lockForTakeOver` as its first statement. Events of
   * transactions older than the snapshot are behind the new position; of the others, those the
   * snapshot saw are skipped (`skip`), those it did not are read as usual.
   */
  async takeOver(consumer: string, m: SqlRunner): Promise<void> {
    await m.query(
      `INSERT INTO outbox_checkpoints AS c (consumer, tx, seq, skip, updated_at)
       VALUES ($1, pg_snapshot_xmin(pg_current_snapshot()), 0, pg_current_snapshot(), now())
       ON CONFLICT (consumer) DO UPDATE
          SET tx = EXCLUDED.tx, seq = 0, skip = EXCLUDED.skip, updated_at = now()`,
      [consumer],
    );
  }

  /**
   * The first statement of a rebuild's transaction: waits for consumers applying a batch, and
   * holds them off until it commits. (A lock taken by LOCK TABLE comes before the transaction's
   * snapshot, so the rebuild sees every batch that committed before it.)
   */
  async lockForTakeOver(m: SqlRunner): Promise<void> {
    await m.query(`LOCK TABLE outbox_checkpoints IN SHARE ROW EXCLUSIVE MODE`);
  }

  /**
   * Gives a new consumer its first position at the present: facts already committed are never read
   * by it (a consumer whose effects must not replay history, such as reminders on a platform that
   * has run for months). Facts of transactions still running are read as usual. A consumer that has
   * a position keeps it.
   */
  async startAtPresent(consumer: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO outbox_checkpoints (consumer, tx, seq, skip, updated_at)
       VALUES ($1, pg_snapshot_xmin(pg_current_snapshot()), 0, pg_current_snapshot(), now())
       ON CONFLICT (consumer) DO NOTHING`,
      [consumer],
    );
  }

  /** Whether a consumer has a position yet (false: its results were never built). */
  async hasPosition(consumer: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM outbox_checkpoints WHERE consumer = $1`,
      [consumer],
    );
    return rows.length > 0;
  }

  /** Events of `types` not yet applied by `consumer` (its lag), and the age of the oldest. */
  async lag(consumer: string, types: readonly string[]): Promise<{ events: number; oldestSeconds: number }> {
    const [row] = await this.dataSource.query<{ events: number; oldestSeconds: number }[]>(
      `SELECT count(*)::int AS events,
              coalesce(extract(epoch FROM now() - min(e.occurred_at)), 0)::float8 AS "oldestSeconds"
         FROM domain_events e
         LEFT JOIN outbox_checkpoints c ON c.consumer = $1
        WHERE e.type = ANY ($2::text[])
          AND (c.consumer IS NULL OR ((e.tx, e.seq) > (c.tx, c.seq)
               AND NOT coalesce(pg_visible_in_snapshot(e.tx, c.skip), false)))`,
      [consumer, types],
    );
    return row;
  }

  /** When a consumer last moved (its figures are complete up to about then), or null if never. */
  async caughtUpAt(consumer: string): Promise<Date | null> {
    const [row] = await this.dataSource.query<{ updatedAt: Date }[]>(
      `SELECT updated_at AS "updatedAt" FROM outbox_checkpoints WHERE consumer = $1`,
      [consumer],
    );
    return row?.updatedAt ?? null;
  }
}

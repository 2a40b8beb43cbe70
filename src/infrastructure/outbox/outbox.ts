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
  ): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`INSERT INTO outbox_checkpoints (consumer) VALUES ($1) ON CONFLICT DO NOTHING`, [
        consumer,
      ]);
      const [at] = await m.query<{ tx: string; seq: string; horizon: string }[]>(
        `SELECT tx::text, seq::text, pg_snapshot_xmin(pg_current_snapshot())::text AS horizon
           FROM outbox_checkpoints WHERE consumer = $1 FOR UPDATE`,
        [consumer],
      );
      const events = await m.query<(OutboxEvent & { tx: string })[]>(
        `SELECT seq::text, tx::text, type, subject_id AS "subjectId", payload, occurred_at AS "occurredAt"
           FROM domain_events
          WHERE (tx, seq) > ($1::xid8, $2::bigint) AND tx < $3::xid8 AND type = ANY ($4::text[])
          -- Qualified: a bare "seq" would name the text output column and sort '10' before '9'.
          ORDER BY domain_events.tx, domain_events.seq
          LIMIT $5`,
        [at.tx, at.seq, at.horizon, types, batchSize],
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
                updated_at = now()
          WHERE consumer = $1`,
        [consumer, tx, seq],
      );
      return events.length;
    });
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

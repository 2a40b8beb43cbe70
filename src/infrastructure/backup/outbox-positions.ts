import type pg from 'pg';

/**
 * Columns holding PostgreSQL transaction ids (`xid8`), which mean nothing in another cluster. The
 * outbox orders its events and keeps each consumer's position by the id of the transaction that
 * wrote them (src/infrastructure/outbox/outbox.ts). A restore that copied them as they are could
 * put every old event *after* the new cluster's transactions (its ids start small again): new
 * events would then sort before the consumers' positions and never be read.
 */
export const CLUSTER_LOCAL_COLUMNS = ['domain_events.tx', 'outbox_checkpoints.tx'];

/**
 * Rewrites the restored outbox so that each consumer has read exactly what it had read before,
 * and every event written from now on comes after all of them. Consumer positions sort into
 * ranks 1…n; an event gets `tx` = 1 + the number of positions before it, and a position of rank
 * r becomes (r, max seq). So an event was at or before a position if and only if it still is,
 * and the new cluster's transaction ids (in the hundreds at least, after the migrations) are
 * larger than any of them. Unread restored events are then read in `seq` order, which is the
 * order they were written in.
 *
 * Nothing to do when the backup's transaction ids are all below the new cluster's.
 */
export async function rebaseOutboxPositions(client: pg.ClientBase): Promise<void> {
  const [{ needed }] = (
    await client.query<{ needed: boolean }>(
      `SELECT coalesce(greatest((SELECT max(tx) FROM domain_events), (SELECT max(tx) FROM outbox_checkpoints))
                       >= pg_current_xact_id(), false) AS needed`,
    )
  ).rows;
  if (!needed) return;
  await client.query(`
    UPDATE domain_events e
       SET tx = (1 + (SELECT count(*) FROM outbox_checkpoints c WHERE (c.tx, c.seq) < (e.tx, e.seq)))::text::xid8`);
  await client.query(`
    UPDATE outbox_checkpoints c
       SET tx = ranked.rank::text::xid8, seq = 9223372036854775807
      FROM (SELECT consumer, rank() OVER (ORDER BY tx, seq) AS rank FROM outbox_checkpoints) ranked
     WHERE ranked.consumer = c.consumer`);
}

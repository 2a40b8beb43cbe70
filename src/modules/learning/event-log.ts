import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type pg from 'pg';
import { COPY_SESSION_SETTINGS } from '../../infrastructure/backup/database-dump.js';
import { Measure } from '../../infrastructure/backup/manifest.js';
import { copyIn, copyOut } from '../../infrastructure/backup/pg-copy.js';
import type { SqlRunner } from '../../infrastructure/outbox/outbox.js';
import { Buckets, StorageKeys } from '../../infrastructure/storage/storage-keys.js';
import type { StorageService } from '../../infrastructure/storage/storage.service.js';

/**
 * The progress event log is partitioned by the UTC month an event was received
 * (migration PartitionedEventLog): `progress_events_<yyyy>_<mm>`. This file keeps the months to
 * come created and moves old months to object storage and back.
 */

/** Months created ahead of the current one. */
export const MONTHS_AHEAD = 2;

/** A refusal of the event-log tool, explained in its message. */
export class EventLogError extends Error {}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** The first instant of a month (`2025-03`), UTC. */
function monthStart(month: string): Date {
  const m = MONTH.exec(month);
  if (!m) throw new EventLogError(`"${month}" is not a month: write it as YYYY-MM, e.g. 2025-03.`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
}
/** `2025-03` for any instant in March 2025, UTC. */
export const monthOf = (at: Date) =>
  `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
const nextMonth = (month: string) => {
  const d = monthStart(month);
  return monthOf(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)));
};
const partitionOf = (month: string) => `progress_events_${month.replace('-', '_')}`;

const COLUMNS =
  'learner_id, id, type, lesson_id, lesson_key, course_id, locale, client_at, received_at, payload, outcome';

/**
 * Creates the current month's partition and the next ones if they are missing (idempotent; safe
 * when several processes run it at once). Returns how many it created.
 */
export async function ensureEventPartitions(sql: SqlRunner, now = new Date()): Promise<number> {
  const from = monthStart(monthOf(now));
  const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + MONTHS_AHEAD, 1));
  const [row] = (await sql.query(`SELECT progress_events_ensure_partitions($1::date, $2::date) AS made`, [
    from.toISOString().slice(0, 10),
    to.toISOString().slice(0, 10),
  ])) as { made: number }[];
  return row.made;
}

export interface EventLogMonth {
  month: string;
  /** In the database (a partition) or in object storage. */
  where: 'database' | 'archive';
  /** Exact for archived months; PostgreSQL's estimate for months in the database. */
  rows: number;
  bytes: number;
  objectKey?: string;
  archivedAt?: Date;
}

/**
 * Moves whole months of the event log to object storage (`archive` bucket) and back.
 *
 * Archiving a month exports its partition (COPY text, gzip, SHA-256) to a file, uploads it, checks
 * the stored size, then in one transaction keeps the month's event ids in
 * `progress_events_archived` (so a replay of those events is still a duplicate), records the
 * archive and drops the partition. A failure before that transaction leaves the month in the
 * database; the upload of a retry overwrites the same key. Only months before the current one can
 * be archived: new events always land in the current month.
 */
export class EventLogArchive {
  constructor(
    private readonly client: pg.ClientBase,
    private readonly storage: StorageService,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  async months(): Promise<EventLogMonth[]> {
    const { rows } = await this.client.query<EventLogMonth>(`
      SELECT replace(substr(c.relname, 17), '_', '-') AS month,
             'database' AS "where", greatest(c.reltuples, 0)::bigint::int AS rows,
             pg_total_relation_size(c.oid)::bigint::float8 AS bytes, NULL AS "objectKey", NULL AS "archivedAt"
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'progress_events'::regclass
      UNION ALL
      SELECT to_char(month, 'YYYY-MM'), 'archive', rows::int, bytes::float8, object_key, archived_at
        FROM progress_event_archives
       ORDER BY 1`);
    return rows;
  }

  /** Archives every month in the database before `before` (a month, exclusive). */
  async archiveBefore(before: string, now = new Date()): Promise<EventLogMonth[]> {
    monthStart(before);
    if (before > monthOf(now)) {
      throw new EventLogError(
        `${monthOf(now)} is not over yet: archive before ${monthOf(now)} at the latest (new events go into the current month).`,
      );
    }
    const months = (await this.months()).filter((m) => m.where === 'database' && m.month < before);
    const done: EventLogMonth[] = [];
    for (const m of months) done.push(await this.archive(m.month, now));
    return done;
  }

  async archive(month: string, now = new Date()): Promise<EventLogMonth> {
    monthStart(month);
    if (month >= monthOf(now)) {
      throw new EventLogError(
        `${month} is not over yet: only months before ${monthOf(now)} can be archived (new events go into the current month).`,
      );
    }
    const table = partitionOf(month);
    const attached = await this.client.query(
      `SELECT 1 FROM pg_inherits WHERE inhparent = 'progress_events'::regclass AND inhrelid = to_regclass($1)`,
      [table],
    );
    if (attached.rowCount === 0) {
      const archived = await this.client.query(
        `SELECT 1 FROM progress_event_archives WHERE month = $1::date`,
        [`${month}-01`],
      );
      throw new EventLogError(
        archived.rowCount ? `${month} is already archived.` : `The event log has no month ${month}.`,
      );
    }

    const dir = mkdtempSync(join(tmpdir(), 'banso-event-archive-'));
    try {
      const file = join(dir, `${month}.copy.gz`);
      for (const setting of COPY_SESSION_SETTINGS) await this.client.query(setting);
      const rows = new Measure();
      const written = new Measure();
      // A past month receives no new events (they go into the current month), and the log is
      // append-only: what is exported now is what the transaction below finds.
      await pipeline(
        copyOut(this.client, `COPY ${table} (${COLUMNS}) TO STDOUT`),
        rows,
        createGzip(),
        written,
        createWriteStream(file),
      );
      const objectKey = StorageKeys.eventArchive(month);
      await this.storage.putFile(Buckets.archive, objectKey, file, 'application/gzip');
      const stored = await this.storage.stat(Buckets.archive, objectKey);
      if (stored.size !== written.bytes) {
        throw new EventLogError(
          `The stored archive of ${month} has ${stored.size} bytes, ${written.bytes} were sent: the month stays in the database.`,
        );
      }

      await this.client.query('BEGIN');
      try {
        await this.client.query(`SET LOCAL lock_timeout = '10s'`);
        await this.client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
        const ids = await this.client.query(
          `INSERT INTO progress_events_archived (learner_id, id) SELECT learner_id, id FROM ${table}
           ON CONFLICT DO NOTHING`,
        );
        const [{ count }] = (
          await this.client.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table}`)
        ).rows;
        if (count !== rows.lines) {
          throw new EventLogError(
            `${month} changed while it was exported (${rows.lines} rows, now ${count}).`,
          );
        }
        await this.client.query(
          `INSERT INTO progress_event_archives (month, object_key, rows, bytes, sha256) VALUES ($1::date, $2, $3, $4, $5)`,
          [`${month}-01`, objectKey, count, written.bytes, written.sha256()],
        );
        await this.client.query(`ALTER TABLE progress_events DETACH PARTITION ${table}`);
        await this.client.query(`DROP TABLE ${table}`);
        await this.client.query('COMMIT');
        this.log(
          `${month}: ${count} events (${ids.rowCount} ids kept) → ${objectKey}, ${(written.bytes / 1e6).toFixed(1)} MB`,
        );
      } catch (e) {
        await this.client.query('ROLLBACK');
        throw e;
      }
      return { month, where: 'archive', rows: rows.lines, bytes: written.bytes, objectKey };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Brings an archived month back into the database, checking its checksum first. */
  async restore(month: string): Promise<EventLogMonth> {
    monthStart(month);
    const { rows: found } = await this.client.query<{
      objectKey: string;
      rows: number;
      bytes: number;
      sha256: string;
    }>(
      `SELECT object_key AS "objectKey", rows::int, bytes::float8, sha256 FROM progress_event_archives WHERE month = $1::date`,
      [`${month}-01`],
    );
    if (found.length === 0) throw new EventLogError(`${month} is not archived.`);
    const archive = found[0];
    const dir = mkdtempSync(join(tmpdir(), 'banso-event-archive-'));
    try {
      const file = join(dir, `${month}.copy.gz`);
      await this.storage.downloadToFile(Buckets.archive, archive.objectKey, file);
      const check = new Measure();
      await pipeline(createReadStream(file), check, new Writable({ write: (_chunk, _enc, done) => done() }));
      if (check.bytes !== archive.bytes || check.sha256() !== archive.sha256) {
        throw new EventLogError(
          `The archive of ${month} (${archive.objectKey}) does not match its checksum: the month stays archived.`,
        );
      }

      const table = partitionOf(month);
      for (const setting of COPY_SESSION_SETTINGS) await this.client.query(setting);
      let loaded: number;
      await this.client.query('BEGIN');
      try {
        await this.client.query(
          `CREATE TABLE ${table} PARTITION OF progress_events FOR VALUES FROM ('${month}-01T00:00:00Z') TO ('${nextMonth(month)}-01T00:00:00Z')`,
        );
        loaded = await copyIn(
          this.client,
          `COPY ${table} (${COLUMNS}) FROM STDIN`,
          createReadStream(file).pipe(createGunzip()),
        );
        if (loaded !== archive.rows) {
          throw new EventLogError(
            `The archive of ${month} holds ${loaded} events, ${archive.rows} were archived.`,
          );
        }
        await this.client.query(
          `DELETE FROM progress_events_archived a USING ${table} e WHERE a.learner_id = e.learner_id AND a.id = e.id`,
        );
        await this.client.query(`DELETE FROM progress_event_archives WHERE month = $1::date`, [
          `${month}-01`,
        ]);
        await this.client.query('COMMIT');
      } catch (e) {
        await this.client.query('ROLLBACK');
        throw e;
      }
      this.log(`${month}: ${loaded} events back in ${table}`);
      return { month, where: 'database', rows: loaded, bytes: archive.bytes };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

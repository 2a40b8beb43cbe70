import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type pg from 'pg';
import { BackupError, Measure, type BackupManifest, type TableDump } from './manifest.js';
import { copyOut } from './pg-copy.js';

/**
 * Session settings for both directions, so COPY's text is read back exactly as it was written:
 * timestamps in UTC and ISO style, floats with every digit (pg_dump sets the same), no time limit.
 */
export const COPY_SESSION_SETTINGS = [
  `SET client_encoding = 'UTF8'`,
  `SET TIME ZONE 'UTC'`,
  `SET DateStyle = ISO`,
  `SET IntervalStyle = postgres`,
  `SET extra_float_digits = 3`,
  `SET bytea_output = hex`,
  `SET statement_timeout = 0`,
  `SET idle_in_transaction_session_timeout = 0`,
];

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface CatalogTable {
  name: string;
  partitioned: boolean;
  columns: { name: string; type: string }[];
}

/**
 * The app's tables: every ordinary or partitioned table of the current schema (a partition is
 * dumped through its parent), extension-owned ones left out. Views need no data. BullMQ's queues
 * live in their own schema (`<QUEUE_PREFIX>_queues`) and are not part of a backup.
 */
export async function catalogTables(client: pg.ClientBase): Promise<CatalogTable[]> {
  const { rows } = await client.query<CatalogTable>(`
    SELECT c.relname AS name, c.relkind = 'p' AS partitioned,
           coalesce((SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod))
                                     ORDER BY a.attnum)
                       FROM pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''),
                    '[]') AS columns
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
     ORDER BY c.relname`);
  return rows;
}

/** The schema's sequences (serial and identity columns own theirs). */
async function catalogSequences(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind = 'S'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
     ORDER BY c.relname`);
  return rows.map((r) => r.name);
}

/** A file name for a table: its own name when that is a plain identifier. */
const fileFor = (table: string, index: number) =>
  `database/${/^[a-z0-9_]{1,63}$/.test(table) ? table : `table-${index}`}.copy.gz`;

/**
 * Dumps every table of the app's schema from one snapshot: a `REPEATABLE READ, READ ONLY`
 * transaction sees the database as it was at its first query, whatever commits meanwhile, and
 * blocks no writer (pg_dump works the same way). Each table streams through `COPY … TO STDOUT`
 * (PostgreSQL's own text format: exact for every type, NULL distinct from empty) and gzip into
 * `database/<table>.copy.gz`, so memory stays flat however large a table is.
 */
export async function dumpDatabase(
  client: pg.ClientBase,
  dir: string,
  migrationsTable: string,
  log: (line: string) => void,
): Promise<BackupManifest['database']> {
  mkdirSync(join(dir, 'database'), { recursive: true });
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
  try {
    for (const setting of COPY_SESSION_SETTINGS) await client.query(setting.replace(/^SET/, 'SET LOCAL'));
    // A migration running now must not change a table between our snapshot and its COPY.
    await client.query(`SET LOCAL lock_timeout = '60s'`);
    const [{ schema, serverVersion }] = (
      await client.query<{ schema: string; serverVersion: string }>(
        `SELECT current_schema() AS schema, current_setting('server_version') AS "serverVersion"`,
      )
    ).rows;
    const tables = await catalogTables(client);
    if (!tables.some((t) => t.name === migrationsTable)) {
      throw new BackupError(
        `Schema "${schema}" has no ${migrationsTable} table: this is not a Bản Số database (check DATABASE_URL).`,
      );
    }
    await client.query(`LOCK TABLE ${tables.map((t) => quoteIdent(t.name)).join(', ')} IN ACCESS SHARE MODE`);
    const migrations = (
      await client.query<{ name: string }>(
        `SELECT name FROM ${quoteIdent(migrationsTable)} ORDER BY timestamp, id`,
      )
    ).rows.map((r) => r.name);
    if (migrations.length === 0)
      throw new BackupError('The database has no migrations applied: nothing to back up.');

    const dumps: TableDump[] = [];
    for (const [index, table] of tables.entries()) {
      const columns = table.columns.map((c) => quoteIdent(c.name)).join(', ');
      // COPY cannot read a partitioned table by name, but it can read a query over it.
      const sql = table.partitioned
        ? `COPY (SELECT ${columns} FROM ${quoteIdent(table.name)}) TO STDOUT`
        : `COPY ${quoteIdent(table.name)} (${columns}) TO STDOUT`;
      const file = fileFor(table.name, index);
      const rows = new Measure();
      const written = new Measure();
      await pipeline(copyOut(client, sql), rows, createGzip(), written, createWriteStream(join(dir, file)));
      const partitions = table.partitioned
        ? (
            await client.query<{ name: string; bound: string }>(
              `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
                 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = $1::regclass ORDER BY c.relname`,
              [quoteIdent(table.name)],
            )
          ).rows
        : undefined;
      dumps.push({
        name: table.name,
        columns: table.columns,
        ...(partitions && { partitions }),
        rows: rows.lines,
        file,
        bytes: written.bytes,
        sha256: written.sha256(),
      });
    }

    const sequences = [];
    for (const name of await catalogSequences(client)) {
      const [state] = (
        await client.query<{ lastValue: string; isCalled: boolean }>(
          `SELECT last_value::text AS "lastValue", is_called AS "isCalled" FROM ${quoteIdent(name)}`,
        )
      ).rows;
      sequences.push({ name, ...state });
    }
    await client.query('COMMIT');
    log(
      `Database: ${dumps.length} tables, ${dumps.reduce((n, t) => n + t.rows, 0)} rows (schema ${migrations.at(-1)}).`,
    );
    return {
      serverVersion,
      schema,
      migrations,
      migrationHead: migrations.at(-1)!,
      tables: dumps,
      sequences,
    };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

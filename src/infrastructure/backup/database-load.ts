import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import { MigrationExecutor, type DataSource, type QueryRunner } from 'typeorm';
import { catalogTables, COPY_SESSION_SETTINGS, quoteIdent } from './database-dump.js';
import { BackupError, pathInBackup, type BackupManifest } from './manifest.js';
import { CLUSTER_LOCAL_COLUMNS, rebaseOutboxPositions } from './outbox-positions.js';
import { copyIn } from './pg-copy.js';

/** What the target database already holds, or null when it is empty (no table, view or sequence). */
export async function databaseContents(client: pg.ClientBase): Promise<string | null> {
  const { rows } = await client.query<{ schema: string; names: string[] | null }>(`
    SELECT current_schema() AS schema,
           (SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')) AS names`);
  const { schema, names } = rows[0];
  if (!names) return null;
  return `schema "${schema}" has ${names.length} tables, views or sequences (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''})`;
}

/**
 * Refuses, before anything is touched, a backup that this code cannot restore faithfully: a
 * migration it does not have, or a transaction-id column it does not know how to carry over.
 */
export function assertRestorable(manifest: BackupManifest, codeMigrations: string[]): void {
  const known = new Set(codeMigrations);
  const unknown = manifest.database.migrations.filter((m) => !known.has(m));
  if (unknown.length > 0) {
    throw new BackupError(
      `The backup's schema is at migration ${manifest.database.migrationHead}, and this version of Bản Số does not have ` +
        `${unknown.join(', ')}. Restore with the version that made the backup (${manifest.app.version}) or a newer one.`,
    );
  }
  const local = manifest.database.tables.flatMap((t) =>
    t.columns.filter((c) => c.type === 'xid8').map((c) => `${t.name}.${c.name}`),
  );
  const unhandled = local.filter((c) => !CLUSTER_LOCAL_COLUMNS.includes(c));
  if (unhandled.length > 0) {
    throw new BackupError(
      `${unhandled.join(', ')} hold PostgreSQL transaction ids, which do not carry over to another database; ` +
        'teach src/infrastructure/backup/outbox-positions.ts how to restore them.',
    );
  }
}

/** Runs exactly the migrations the backup's database had applied, in the caller's transaction. */
class AppliedMigrations extends MigrationExecutor {
  constructor(
    dataSource: DataSource,
    queryRunner: QueryRunner,
    private readonly names: Set<string>,
  ) {
    super(dataSource, queryRunner);
    this.transaction = 'all';
  }

  protected override getMigrations() {
    return super.getMigrations().filter((m) => this.names.has(m.name));
  }
}

/**
 * Loads the backup into an empty database in ONE transaction: the schema (the backup's
 * migrations, no more), then every table's rows, sequences and outbox positions. Any failure
 * rolls all of it back and leaves the database empty, so the restore can simply be run again.
 */
export async function loadDatabase(
  dataSource: DataSource,
  dir: string,
  manifest: BackupManifest,
  log: (line: string) => void,
): Promise<{ tables: number; rows: number }> {
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as pg.ClientBase;
  try {
    await runner.startTransaction();
    for (const setting of COPY_SESSION_SETTINGS) await client.query(setting.replace(/^SET/, 'SET LOCAL'));
    await new AppliedMigrations(
      dataSource,
      runner,
      new Set(manifest.database.migrations),
    ).executePendingMigrations();
    log(
      `Schema: ${manifest.database.migrations.length} migrations, up to ${manifest.database.migrationHead}.`,
    );

    const tables = await catalogTables(client);
    assertSameTables(tables, manifest);

    // Rows go in as they were, so the domain's triggers (append-only audit, locked versions) and
    // foreign keys (checked when the rows were first written) must not fire on them again.
    await client
      .query('SET LOCAL session_replication_role = replica')
      .catch((e: Error & { code?: string }) => {
        if (e.code !== '42501') throw e;
        throw new BackupError(
          'The database user may not set session_replication_role, which a restore needs to load rows without ' +
            'firing triggers: restore as a superuser, or on PostgreSQL 15+ run ' +
            '`GRANT SET ON PARAMETER session_replication_role TO <user>` first.',
        );
      });
    // The migrations may have written rows of their own (their history, reference data): the
    // backup has all of those too, as they were.
    await client.query(`TRUNCATE ${tables.map((t) => quoteIdent(t.name)).join(', ')}`);
    let rows = 0;
    for (const table of manifest.database.tables) {
      // Months of the event log older than the migrations make (they create the current ones).
      for (const p of table.partitions ?? []) {
        if (
          !/^[a-z0-9_]{1,63}$/.test(p.name) ||
          !/^FOR VALUES FROM \('[^'\\]*'\) TO \('[^'\\]*'\)$/.test(p.bound)
        )
          throw new BackupError(
            `The manifest names a partition of ${table.name} this restore does not create: ${p.name} ${p.bound}`,
          );
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${quoteIdent(p.name)} PARTITION OF ${quoteIdent(table.name)} ${p.bound}`,
        );
      }
      const columns = table.columns.map((c) => quoteIdent(c.name)).join(', ');
      const source = pipeline(
        createReadStream(pathInBackup(dir, table.file)),
        createGunzip(),
        () => undefined,
      );
      const copied = await copyIn(client, `COPY ${quoteIdent(table.name)} (${columns}) FROM STDIN`, source);
      if (copied !== table.rows) {
        throw new BackupError(
          `${table.file}: loaded ${copied} rows into ${table.name}, the manifest says ${table.rows}.`,
        );
      }
      rows += copied;
    }

    for (const s of manifest.database.sequences) {
      await client.query('SELECT setval($1::regclass, $2::bigint, $3)', [
        quoteIdent(s.name),
        s.lastValue,
        s.isCalled,
      ]);
    }
    await raiseSequencesToColumnMaxima(client);
    if (manifest.database.tables.some((t) => t.name === 'domain_events')) await rebaseOutboxPositions(client);
    await runner.commitTransaction();
    // Fresh tables have no planner statistics until autovacuum gets to them.
    await client.query('ANALYZE');
    return { tables: manifest.database.tables.length, rows };
  } catch (e) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw e;
  } finally {
    await runner.release();
  }
}

function assertSameTables(
  tables: { name: string; columns: { name: string }[] }[],
  manifest: BackupManifest,
): void {
  const columnsOf = (t: { columns: { name: string }[] }) =>
    t.columns
      .map((c) => c.name)
      .sort()
      .join(', ');
  const here = new Map(tables.map((t) => [t.name, columnsOf(t)]));
  const there = new Map(manifest.database.tables.map((t) => [t.name, columnsOf(t)]));
  const problems = [
    ...[...there.keys()]
      .filter((n) => !here.has(n))
      .map((n) => `table ${n} is in the backup but not in the schema`),
    ...[...here.keys()]
      .filter((n) => !there.has(n))
      .map((n) => `table ${n} is in the schema but not in the backup`),
    ...[...there]
      .filter(([n, cols]) => here.has(n) && here.get(n) !== cols)
      .map(([n, cols]) => `${n} has columns (${here.get(n)}) here and (${cols}) in the backup`),
  ];
  if (problems.length > 0) {
    throw new BackupError(
      `After the backup's migrations the schema still differs from the backup's: ${problems.join('; ')}.`,
    );
  }
}

/** Every sequence a column owns (serial, identity) ends at least at that column's largest value. */
async function raiseSequencesToColumnMaxima(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ sequence: string; table: string; column: string }>(`
    SELECT s.relname AS sequence, t.relname AS table, a.attname AS column
      FROM pg_depend d
      JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
      JOIN pg_namespace n ON n.oid = s.relnamespace AND n.nspname = current_schema()
      JOIN pg_class t ON t.oid = d.refobjid
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
     WHERE d.deptype IN ('a', 'i')`);
  for (const { sequence, table, column } of rows) {
    await client.query(
      `SELECT setval($1::regclass, m) FROM (SELECT max(${quoteIdent(column)}) AS m FROM ${quoteIdent(table)}) x
        WHERE m > (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM ${quoteIdent(sequence)})`,
      [quoteIdent(sequence)],
    );
  }
}

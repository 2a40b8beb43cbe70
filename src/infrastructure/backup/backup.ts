import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { Buckets, type BucketName } from '../storage/storage-keys.js';
import { StorageService } from '../storage/storage.service.js';
import { dumpDatabase } from './database-dump.js';
import {
  BACKUP_FORMAT,
  BackupError,
  FORMAT_VERSION,
  MANIFEST_FILE,
  type BackupManifest,
} from './manifest.js';
import { downloadObjects, megabytes } from './objects.js';

/** The app's name and version, from the package.json above this file (in src/ or dist/src/). */
export function appVersion(): { name: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const { name, version } = JSON.parse(
    readFileSync(join(dir, 'package.json'), 'utf8'),
  ) as BackupManifest['app'];
  return { name, version };
}

/** A new backup goes into a new (or empty) directory: never over, or beside, another one. */
function prepareDirectory(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new BackupError(
      `${dir} is not empty: give a new directory for the backup (it is created if missing).`,
    );
  }
  mkdirSync(dir, { recursive: true });
}

/**
 * A full backup into `dir`: the database, then every object of every bucket, then the manifest.
 *
 * The database comes first, and that order is what keeps every object it references: the
 * platform writes an object before it commits the row that names it (an upload is confirmed after
 * it arrived, a certificate is marked ready after its PDF is stored), so each object the
 * snapshot names already existed when the snapshot was taken and is still there when the objects
 * are copied afterwards. Certificates are never deleted. The objects the platform does delete (a
 * video's original once transcoded, stale renditions, a replaced evidence photo) are ones no row
 * needs any more — the one gap is a row that still named such an object in the snapshot, changed
 * while the objects were being copied; bucket versioning (docs/operations.md) closes it. Objects
 * written after the snapshot are copied too; rows do not name them yet, and they do no harm.
 */
export async function runBackup(
  config: AppConfig,
  dir: string,
  log: (line: string) => void,
): Promise<BackupManifest> {
  const started = Date.now();
  prepareDirectory(dir);
  try {
    return await backUp(config, dir, started, log);
  } catch (e) {
    if (readdirSync(dir).length > 0)
      log(`The backup in ${dir} is unfinished (it has no ${MANIFEST_FILE}): delete it.`);
    throw e;
  }
}

async function backUp(
  config: AppConfig,
  dir: string,
  started: number,
  log: (line: string) => void,
): Promise<BackupManifest> {
  const client = new pg.Client({ connectionString: config.databaseUrl, application_name: 'banso-backup' });
  await client.connect();
  let database: BackupManifest['database'];
  try {
    const migrationsTable = String(dataSourceOptions(config).migrationsTableName);
    database = await dumpDatabase(client, dir, migrationsTable, log);
  } finally {
    await client.end();
  }

  const storage = new StorageService(config);
  const { objects, vanished } = await downloadObjects(storage, dir, log);

  const objectBytes = objects.reduce((n, o) => n + o.bytes, 0);
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    formatVersion: FORMAT_VERSION,
    createdAt: new Date(started).toISOString(),
    app: appVersion(),
    database,
    storage: {
      buckets: Object.fromEntries(Object.values(Buckets).map((b) => [b, storage.bucketName(b)])) as Record<
        BucketName,
        string
      >,
      objects,
      vanished,
    },
    totals: {
      tables: database.tables.length,
      rows: database.tables.reduce((n, t) => n + t.rows, 0),
      objects: objects.length,
      objectBytes,
      databaseBytes: database.tables.reduce((n, t) => n + t.bytes, 0),
      seconds: (Date.now() - started) / 1000,
    },
  };
  // Written last, and atomically: a directory with a manifest holds a finished backup.
  const temporary = join(dir, `${MANIFEST_FILE}.partial`);
  writeFileSync(temporary, JSON.stringify(manifest, null, 2));
  const fd = openSync(temporary, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temporary, join(dir, MANIFEST_FILE));

  const t = manifest.totals;
  log(
    `Backup written to ${dir}: ${t.tables} tables, ${t.rows} rows (${megabytes(t.databaseBytes)} MB compressed), ` +
      `${t.objects} objects (${megabytes(t.objectBytes)} MB) in ${t.seconds.toFixed(1)} s.`,
  );
  return manifest;
}

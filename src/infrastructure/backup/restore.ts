import { existsSync } from 'node:fs';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { Buckets } from '../storage/storage-keys.js';
import { StorageService } from '../storage/storage.service.js';
import { assertRestorable, databaseContents, loadDatabase } from './database-load.js';
import { BackupError, hashFile, pathInBackup, readManifest, type BackupManifest } from './manifest.js';
import { bucketContents, megabytes, uploadObjects } from './objects.js';

/** Every file the manifest lists, with its size and SHA-256: problems found, none when all match. */
async function damagedFiles(dir: string, manifest: BackupManifest): Promise<string[]> {
  const problems: string[] = [];
  const files = [
    ...manifest.database.tables.map((t) => ({ ...t, what: `table ${t.name}` })),
    ...manifest.storage.objects.map((o) => ({ ...o, what: `object ${o.bucket}/${o.key}` })),
  ];
  for (const f of files) {
    const path = pathInBackup(dir, f.file);
    if (!existsSync(path)) {
      problems.push(`${f.file} (${f.what}) is missing`);
      continue;
    }
    const actual = await hashFile(path);
    if (actual.sha256 !== f.sha256 || actual.bytes !== f.bytes) {
      problems.push(
        `${f.file} (${f.what}) has SHA-256 ${actual.sha256} and ${actual.bytes} bytes; the manifest says ${f.sha256} and ${f.bytes} bytes`,
      );
    }
  }
  return problems;
}

/**
 * Restores the backup in `dir` into an EMPTY database and EMPTY buckets. Nothing is written until
 * every check has passed: targets empty, the backup's migrations all known to this code, every
 * file intact. Then the database (one transaction: schema, rows, sequences) and the objects.
 */
export async function runRestore(config: AppConfig, dir: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const manifest = readManifest(dir);
  for (const o of manifest.storage.objects) {
    if (!(Object.values(Buckets) as string[]).includes(o.bucket)) {
      throw new BackupError(`The manifest names an unknown bucket "${o.bucket}" (object ${o.key}).`);
    }
  }
  log(
    `Backup of ${manifest.createdAt} (Bản Số ${manifest.app.version}, PostgreSQL ${manifest.database.serverVersion}): ` +
      `${manifest.totals.tables} tables, ${manifest.totals.rows} rows, ${manifest.totals.objects} objects.`,
  );

  const storage = new StorageService(config);
  let newer: number;
  const dataSource = new DataSource(dataSourceOptions(config, 'banso-restore'));
  await dataSource.initialize();
  try {
    const runner = dataSource.createQueryRunner();
    const inDatabase = await databaseContents((await runner.connect()) as pg.ClientBase).finally(() =>
      runner.release(),
    );
    const inBuckets = await bucketContents(storage);
    if (inDatabase || inBuckets) {
      throw new BackupError(
        `Restore only goes into an empty database and empty buckets: ${[inDatabase, inBuckets].filter(Boolean).join('; ')}. ` +
          'Create a new database (and set DATABASE_URL), and use new buckets (S3_BUCKET_PREFIX) or empty them. Nothing was changed.',
      );
    }
    const codeMigrations = dataSource.migrations.map((m) => m.name ?? m.constructor.name);
    assertRestorable(manifest, codeMigrations);
    newer = codeMigrations.filter((m) => !manifest.database.migrations.includes(m)).length;

    const damaged = await damagedFiles(dir, manifest);
    if (damaged.length > 0) {
      throw new BackupError(
        `The backup is damaged, nothing was changed:\n  ${damaged.slice(0, 20).join('\n  ')}` +
          (damaged.length > 20 ? `\n  … and ${damaged.length - 20} more` : ''),
      );
    }
    log('Every file matches the manifest (SHA-256).');

    const { tables, rows } = await loadDatabase(dataSource, dir, manifest, log);
    log(`Database: ${tables} tables, ${rows} rows loaded.`);
  } finally {
    await dataSource.destroy();
  }

  try {
    await uploadObjects(storage, dir, manifest.storage.objects);
  } catch (e) {
    throw new BackupError(
      `The database is restored, but uploading the objects failed (${(e as Error).message}). ` +
        'Empty the buckets and drop and recreate the database, then run the restore again.',
    );
  }
  const seconds = (Date.now() - started) / 1000;
  log(
    `Restored ${manifest.totals.tables} tables, ${manifest.totals.rows} rows and ${manifest.totals.objects} objects ` +
      `(${megabytes(manifest.totals.objectBytes)} MB) in ${seconds.toFixed(1)} s.`,
  );
  if (newer > 0) {
    log(
      `This version has ${newer} migration(s) newer than the backup: run \`npm run migration:run\` (image: migrate) ` +
        'before the platform takes traffic.',
    );
  }
}

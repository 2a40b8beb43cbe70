import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import type { BucketName } from '../storage/storage-keys.js';

/**
 * `manifest.json`, written last: a backup directory without one did not finish. It lists every
 * file with its size and SHA-256, so a restore can check the whole backup before it changes
 * anything, and says which schema version (migrations) the tables were dumped at.
 */
export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 'banso-backup';
export const FORMAT_VERSION = 1;

export interface BackupFile {
  /** Path relative to the backup directory, with `/` separators. */
  file: string;
  bytes: number;
  sha256: string;
}

export interface TableDump extends BackupFile {
  name: string;
  /** The columns in the file's order (generated columns are left out: PostgreSQL computes them). */
  columns: { name: string; type: string }[];
  rows: number;
  /**
   * A partitioned table's partitions and their bounds as PostgreSQL prints them (`FOR VALUES FROM
   * (…) TO (…)`): the restore creates those the migrations did not, before loading the rows.
   */
  partitions?: { name: string; bound: string }[];
}

export interface SequenceState {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

export interface ObjectCopy extends BackupFile {
  bucket: BucketName;
  key: string;
  contentType: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  createdAt: string;
  app: { name: string; version: string };
  database: {
    serverVersion: string;
    schema: string;
    /** Every migration the database had applied, oldest first; the last one is the head. */
    migrations: string[];
    migrationHead: string;
    tables: TableDump[];
    sequences: SequenceState[];
  };
  storage: {
    /** The real bucket names the objects came from (the prefix may differ on restore). */
    buckets: Record<BucketName, string>;
    objects: ObjectCopy[];
    /** Objects listed but deleted before they could be copied (see backup.ts). */
    vanished: { bucket: BucketName; key: string }[];
  };
  totals: {
    tables: number;
    rows: number;
    objects: number;
    objectBytes: number;
    databaseBytes: number;
    seconds: number;
  };
}

/** A backup or restore that cannot go on; the message says why and what to do (exit code 1). */
export class BackupError extends Error {}

/** A path inside the backup directory, refusing anything that would leave it. */
export function pathInBackup(dir: string, file: string): string {
  const relative = normalize(file);
  if (isAbsolute(relative) || relative === '..' || relative.startsWith(`..${sep}`) || file.includes('\0')) {
    throw new BackupError(`The manifest names a file outside the backup directory: ${JSON.stringify(file)}`);
  }
  return join(dir, relative);
}

export function readManifest(dir: string): BackupManifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) {
    throw new BackupError(
      `${dir} has no ${MANIFEST_FILE}: it is not a backup, or the backup did not finish (the manifest is written last).`,
    );
  }
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  } catch (e) {
    throw new BackupError(`${path} is not valid JSON (${(e as Error).message}).`);
  }
  if (manifest?.format !== BACKUP_FORMAT) throw new BackupError(`${path} is not a Bản Số backup manifest.`);
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new BackupError(
      `${path} has format version ${manifest.formatVersion}; this version of Bản Số reads version ${FORMAT_VERSION}.`,
    );
  }
  const complete =
    Array.isArray(manifest.database?.tables) &&
    Array.isArray(manifest.database.migrations) &&
    Array.isArray(manifest.database.sequences) &&
    Array.isArray(manifest.storage?.objects);
  if (!complete) throw new BackupError(`${path} is incomplete (database or storage section missing).`);
  return manifest;
}

/** SHA-256 (hex) and size of a file, streamed. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** A pass-through that hashes and counts what flows through it (and, for COPY text, its rows). */
export class Measure extends Transform {
  bytes = 0;
  /** Newlines seen: in COPY's text format one per row (a newline inside a value is written `\n`). */
  lines = 0;
  private readonly hash = createHash('sha256');

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.lines++;
    callback(null, chunk);
  }

  sha256(): string {
    return this.hash.copy().digest('hex');
  }
}

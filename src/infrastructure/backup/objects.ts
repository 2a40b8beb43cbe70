import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StorageError } from '../storage/storage.errors.js';
import { Buckets, type BucketName } from '../storage/storage-keys.js';
import type { StorageService } from '../storage/storage.service.js';
import { Measure, pathInBackup, type BackupManifest, type ObjectCopy } from './manifest.js';

/** Transfers at once: enough to hide per-object latency, few enough for a small store. */
const PARALLEL = 4;

async function forEachParallel<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
}

const SAFE_KEY = /^([A-Za-z0-9_-][A-Za-z0-9._-]*)(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/**
 * `objects/<bucket>/<key>`, so an operator can find a file by its key. The platform makes every key
 * (storage-keys.ts); one that would not be a plain relative path is stored under its hash instead.
 */
const fileFor = (bucket: BucketName, key: string) =>
  SAFE_KEY.test(key)
    ? `objects/${bucket}/${key}`
    : `objects/${bucket}-other-keys/${createHash('sha256').update(key).digest('hex')}`;

/**
 * Listing attempts before a backup gives up on a store that keeps failing: about 20 s of waiting
 * in all. Five (5 s) were not enough for s3rver while the worker uploaded a video's segments and
 * removed refused originals and pictures: every scan met a file that vanished under it.
 */
const LIST_ATTEMPTS = 10;

/**
 * A bucket's objects; none when the bucket does not exist (yet: the API creates it at start). A
 * live store may fail a listing now and then — s3rver answers 500 when a file vanishes under its
 * directory scan (the worker deletes a transcoded original), MinIO 503 SlowDown under load — so a
 * failed listing is tried again before the backup gives up.
 */
async function listBucket(storage: StorageService, bucket: BucketName): Promise<{ key: string }[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await storage.list(bucket, '');
    } catch (e) {
      if ((e as { code?: string }).code === 'NoSuchBucket') return [];
      if (attempt >= LIST_ATTEMPTS) throw e;
      await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 3_000)));
    }
  }
}

/**
 * Copies every object of every bucket under `dir`, streamed and hashed on the way. An object
 * listed but deleted before its turn is reported, not fatal: see backup.ts for why that is safe.
 */
export async function downloadObjects(
  storage: StorageService,
  dir: string,
  log: (line: string) => void,
): Promise<Pick<BackupManifest['storage'], 'objects' | 'vanished'>> {
  const objects: ObjectCopy[] = [];
  const vanished: { bucket: BucketName; key: string }[] = [];
  for (const bucket of Object.values(Buckets)) {
    const listed = await listBucket(storage, bucket);
    await forEachParallel(listed, async ({ key }) => {
      const file = fileFor(bucket, key);
      const path = join(dir, file);
      try {
        const { contentType } = await storage.stat(bucket, key);
        mkdirSync(dirname(path), { recursive: true });
        const measure = new Measure();
        await pipeline(await storage.getStream(bucket, key), measure, createWriteStream(path));
        objects.push({ bucket, key, contentType, file, bytes: measure.bytes, sha256: measure.sha256() });
      } catch (e) {
        if (!(e instanceof StorageError)) throw e;
        vanished.push({ bucket, key });
      }
    });
  }
  // Listing order, whatever order the parallel copies finished in.
  const order = (o: { bucket: string; key: string }) => `${o.bucket}/${o.key}`;
  objects.sort((a, b) => (order(a) < order(b) ? -1 : 1));
  const bytes = objects.reduce((n, o) => n + o.bytes, 0);
  log(`Objects: ${objects.length} objects, ${megabytes(bytes)} MB.`);
  for (const v of vanished) log(`  deleted while the backup ran, not copied: ${v.bucket}/${v.key}`);
  return { objects, vanished };
}

/** What the target's buckets already hold, or null when they are empty (or do not exist yet). */
export async function bucketContents(storage: StorageService): Promise<string | null> {
  const found: string[] = [];
  for (const bucket of Object.values(Buckets)) {
    const objects = await listBucket(storage, bucket);
    if (objects.length > 0)
      found.push(`bucket ${storage.bucketName(bucket)} holds ${objects.length} objects`);
  }
  return found.length > 0 ? found.join(', ') : null;
}

/** Puts every object back with its content type; the files were checked against the manifest. */
export async function uploadObjects(
  storage: StorageService,
  dir: string,
  objects: ObjectCopy[],
): Promise<void> {
  await storage.ensureBuckets();
  await forEachParallel(objects, async (o) => {
    await storage.put(o.bucket, o.key, createReadStream(pathInBackup(dir, o.file)), {
      contentType: o.contentType,
      size: o.bytes,
    });
  });
}

export const megabytes = (bytes: number) => (bytes / 1_000_000).toFixed(1);

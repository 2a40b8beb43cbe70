import { Readable } from 'node:stream';
import { loadConfig } from '../src/infrastructure/config/app-config.js';
import { httpStatusOf } from '../src/infrastructure/errors/domain-error.js';
import { StorageErrorCode } from '../src/infrastructure/storage/storage.errors.js';
import { StorageKeys } from '../src/infrastructure/storage/storage-keys.js';
import { StorageService } from '../src/infrastructure/storage/storage.service.js';
import { testEnv } from './support/api.js';

/** The storage module against the run's real S3 server (s3rver embedded, or S3_ENDPOINT). */
describe('StorageService', () => {
  const storage = new StorageService(loadConfig(testEnv()));
  const text = 'Bài 1: Cài đặt VNeID mức 2 — Zaj 1: Nruab VNeID theem 2';

  it('ensures its buckets, idempotently, even from several processes at once', async () => {
    await Promise.all([storage.ensureBuckets(), storage.ensureBuckets(), storage.ensureBuckets()]);
    await expect(storage.ping()).resolves.toBeUndefined();
  });

  it('puts a buffer and a stream, stats, reads back and removes', async () => {
    const key = StorageKeys.mediaFile('0f6b1a2c-test', 'notes.txt');
    await storage.put('media', key, Buffer.from(text), { contentType: 'text/plain; charset=utf-8' });
    const stat = await storage.stat('media', key);
    expect(stat.size).toBe(Buffer.byteLength(text));
    expect(stat.contentType).toBe('text/plain; charset=utf-8');
    expect((await storage.getBuffer('media', key)).toString()).toBe(text);

    const streamKey = StorageKeys.mediaFile('0f6b1a2c-test', 'stream.txt');
    const body = Buffer.alloc(3 * 1024 * 1024, 'a');
    await storage.put('media', streamKey, Readable.from([body]), {
      contentType: 'text/plain',
      size: body.length,
    });
    expect((await storage.stat('media', streamKey)).size).toBe(body.length);

    await storage.remove('media', key);
    await storage.remove('media', key); // removing twice is fine (retried jobs)
    expect(await storage.exists('media', key)).toBe(false);
    await storage.remove('media', streamKey);
  });

  it('raises a domain error for a missing object', async () => {
    await expect(storage.stat('media', 'media/none/missing.txt')).rejects.toMatchObject({
      code: StorageErrorCode.ObjectNotFound,
    });
    // The status is the code's, from the storage errors' table.
    expect(httpStatusOf(StorageErrorCode.ObjectNotFound)).toBe(404);
    await expect(storage.getStream('certificates', 'certificates/none/missing.pdf')).rejects.toMatchObject({
      code: StorageErrorCode.ObjectNotFound,
    });
  });

  it('makes short-lived presigned GET links that download the object', async () => {
    const key = StorageKeys.certificateFile('NBS-LCI-2026-000001', 'certificate.pdf');
    await storage.put('certificates', key, Buffer.from('%PDF-1.7 test'), { contentType: 'application/pdf' });
    const url = await storage.presignedGet('certificates', key, {
      expiresSeconds: 120,
      downloadName: 'Chứng nhận.pdf',
    });
    expect(url).toContain('X-Amz-Expires=120');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('%PDF-1.7 test');
  });

  it('presigns a PUT for exactly one declared file: type and size are signed, limits enforced', () => {
    const key = StorageKeys.upload('video', 'mp4');
    const opts = {
      contentType: 'video/mp4',
      size: 5_000_000,
      maxBytes: 200_000_000,
      allowedTypes: ['video/mp4', 'video/webm'],
    };
    const upload = storage.presignedPut('media', key, opts);
    expect(upload.method).toBe('PUT');
    expect(upload.url).toContain('X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost');
    expect(new Date(upload.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(() =>
      storage.presignedPut('media', key, { ...opts, contentType: 'application/x-msdownload' }),
    ).toThrow(expect.objectContaining({ code: StorageErrorCode.UploadTypeMismatch }));
    expect(() => storage.presignedPut('media', key, { ...opts, size: 300_000_000 })).toThrow(
      expect.objectContaining({ code: StorageErrorCode.UploadTooLarge }),
    );
    expect(() => storage.presignedPut('media', key, { ...opts, size: 0 })).toThrow(
      expect.objectContaining({ code: StorageErrorCode.UploadTooLarge }),
    );
  });

  it('accepts an upload through the presigned PUT and verifies it on confirmation', async () => {
    const key = StorageKeys.upload('subtitle', 'vtt');
    const file = Buffer.from('WEBVTT\n\n00:00.000 --> 00:02.000\nXin chào\n');
    const upload = storage.presignedPut('media', key, {
      contentType: 'text/vtt',
      size: file.length,
      maxBytes: 1_000_000,
      allowedTypes: ['text/vtt'],
    });
    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: file });
    expect(put.status).toBe(200);
    const verified = await storage.verifyUpload('media', key, {
      maxBytes: 1_000_000,
      contentType: 'text/vtt',
    });
    expect(verified.size).toBe(file.length);
    await storage.remove('media', key);
  });

  it('removes and refuses an upload that is too large or of the wrong type when confirmed', async () => {
    const big = StorageKeys.upload('image', 'jpg');
    await storage.put('media', big, Buffer.alloc(2048), { contentType: 'image/jpeg' });
    await expect(
      storage.verifyUpload('media', big, { maxBytes: 1024, contentType: 'image/jpeg' }),
    ).rejects.toMatchObject({
      code: StorageErrorCode.UploadTooLarge,
    });
    expect(await storage.exists('media', big)).toBe(false);

    const wrongType = StorageKeys.upload('image', 'jpg');
    await storage.put('media', wrongType, Buffer.alloc(10), { contentType: 'text/html' });
    await expect(
      storage.verifyUpload('media', wrongType, { maxBytes: 1024, contentType: 'image/jpeg' }),
    ).rejects.toMatchObject({
      code: StorageErrorCode.UploadTypeMismatch,
    });
    expect(await storage.exists('media', wrongType)).toBe(false);

    await expect(
      storage.verifyUpload('media', StorageKeys.upload('image', 'jpg'), {
        maxBytes: 1,
        contentType: 'image/jpeg',
      }),
    ).rejects.toMatchObject({
      code: StorageErrorCode.UploadMissing,
    });
  });
});

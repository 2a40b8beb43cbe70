import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Client } from 'minio';
import { createHash } from 'node:crypto';
import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { AppConfig } from '../config/app-config.js';
import { presignV4 } from './sigv4-presign.js';
import { STORAGE_GATEWAY_PATH } from './storage-gateway.js';
import { StorageError, StorageErrorCode } from './storage.errors.js';
import { Buckets, bucketNameOf, type BucketName } from './storage-keys.js';

export interface StoredObject {
  size: number;
  contentType: string;
  etag: string;
  lastModified: Date;
}

export interface PresignedUpload {
  url: string;
  method: 'PUT';
  /** The client must send exactly these headers: they are part of the signature. */
  headers: Record<string, string>;
  expiresAt: string;
}

/** s3rver (the embedded default) has no multipart upload, so keep single-part up to this size. */
const PART_SIZE = 512 * 1024 * 1024;
/** Raised when storage leaves a request's connection silent for S3_TIMEOUT_MS. */
class StorageTimeoutError extends Error {
  readonly code = 'BANSO_STORAGE_TIMEOUT';
  constructor(ms: number) {
    super(`Object storage sent nothing for ${ms} ms`);
  }
}

/**
 * The minio client sets no timeouts: a stalled store would hold a request forever. This
 * transport destroys a request whose socket stays silent too long (a slow upload or download
 * that keeps moving is fine), so callers fail fast and the API answers 503.
 */
function timedTransport(base: typeof http | typeof https, idleMs: number) {
  return {
    request(options: RequestOptions, callback?: (res: IncomingMessage) => void): ClientRequest {
      const req = base.request(options, callback);
      req.setTimeout(idleMs, () => req.destroy(new StorageTimeoutError(idleMs)));
      return req;
    },
  };
}

const isNotFound = (e: unknown) =>
  ['NoSuchKey', 'NotFound', 'NoSuchBucket'].includes((e as { code?: string })?.code ?? '');

/** Object storage over the S3 API (MinIO in production, s3rver on the embedded default). */
@Injectable()
export class StorageService implements OnModuleInit {
  private readonly logger = new Logger(StorageService.name);
  private readonly client: Client;
  private readonly endpoint: URL;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    if (!config.s3.endpoint)
      throw new Error('S3_ENDPOINT is not set and the embedded S3 server has not started');
    this.endpoint = new URL(config.s3.endpoint);
    this.client = new Client({
      endPoint: this.endpoint.hostname,
      port: this.endpoint.port ? Number(this.endpoint.port) : undefined,
      useSSL: this.endpoint.protocol === 'https:',
      accessKey: config.s3.accessKey,
      secretKey: config.s3.secretKey,
      region: config.s3.region,
      pathStyle: true,
      partSize: PART_SIZE,
      transport: timedTransport(
        this.endpoint.protocol === 'https:' ? https : http,
        config.s3TimeoutMs,
      ) as never,
    });
  }

  /** The real bucket name behind a logical one (`media` → `banso-media`). */
  bucketName(bucket: BucketName): string {
    return bucketNameOf(this.config.s3.bucketPrefix, bucket);
  }

  async onModuleInit(): Promise<void> {
    await this.ensureBuckets();
    // Trainers' videos and candidates' evidence photos go straight from the browser to storage.
    await this.allowBrowserUploads(Buckets.media);
    await this.allowBrowserUploads(Buckets.certificates);
  }

  /**
   * Browsers send files straight to a bucket with presigned PUTs (trainers' videos, candidates'
   * evidence photos), so the bucket must answer CORS preflights. Any origin may PUT: without a valid
   * signature the PUT is refused anyway, and signatures are only handed to signed-in users for their
   * own uploads. A bucket that already has CORS rules (an operator's) is left alone, and so is a
   * server without the bucket CORS API (MinIO allows every origin by default).
   */
  async allowBrowserUploads(bucket: BucketName): Promise<void> {
    const bucketName = this.bucketName(bucket);
    const existing = await this.client
      .makeRequestAsync({ method: 'GET', bucketName, query: 'cors' }, '', [200])
      .then(
        (res) => {
          res.resume();
          return true;
        },
        () => false,
      );
    if (existing) return;
    const xml =
      '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod>' +
      '<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3600</MaxAgeSeconds>' +
      '</CORSRule></CORSConfiguration>';
    try {
      await this.client.makeRequestAsync(
        {
          method: 'PUT',
          bucketName,
          query: 'cors',
          headers: { 'Content-MD5': createHash('md5').update(xml).digest('base64') },
        },
        xml,
        [200, 204],
      );
    } catch (e) {
      this.logger.warn(
        `Could not set CORS on ${bucketName} (${(e as Error).message}); browser uploads rely on the server's own CORS policy`,
      );
    }
  }

  /** Creates missing buckets; safe when several processes boot at once. */
  async ensureBuckets(): Promise<void> {
    for (const bucket of Object.values(Buckets)) {
      const name = this.bucketName(bucket);
      if (await this.client.bucketExists(name)) continue;
      try {
        await this.client.makeBucket(name, this.config.s3.region);
        this.logger.log(`Created bucket ${name}`);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw e;
      }
    }
  }

  async put(
    bucket: BucketName,
    key: string,
    body: Buffer | Readable,
    options: { contentType: string; size?: number },
  ): Promise<{ etag: string }> {
    const size = Buffer.isBuffer(body) ? body.length : options.size;
    const result = await this.client.putObject(this.bucketName(bucket), key, body, size, {
      'Content-Type': options.contentType,
    });
    return { etag: result.etag };
  }

  async getStream(bucket: BucketName, key: string): Promise<Readable> {
    try {
      return await this.client.getObject(this.bucketName(bucket), key);
    } catch (e) {
      if (isNotFound(e)) throw StorageError.objectNotFound(bucket, key);
      throw e;
    }
  }

  async getBuffer(bucket: BucketName, key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.getStream(bucket, key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async stat(bucket: BucketName, key: string): Promise<StoredObject> {
    try {
      const s = await this.client.statObject(this.bucketName(bucket), key);
      const meta = s.metaData as Record<string, string>;
      return {
        size: s.size,
        contentType: meta['content-type'] ?? 'application/octet-stream',
        etag: s.etag,
        lastModified: s.lastModified,
      };
    } catch (e) {
      if (isNotFound(e)) throw StorageError.objectNotFound(bucket, key);
      throw e;
    }
  }

  async exists(bucket: BucketName, key: string): Promise<boolean> {
    try {
      await this.stat(bucket, key);
      return true;
    } catch (e) {
      if (e instanceof StorageError) return false;
      throw e;
    }
  }

  /** Uploads a local file (the worker's outputs). */
  async putFile(bucket: BucketName, key: string, path: string, contentType: string): Promise<void> {
    await this.client.fPutObject(this.bucketName(bucket), key, path, { 'Content-Type': contentType });
  }

  /** Downloads an object to a local file (the worker's inputs). */
  async downloadToFile(bucket: BucketName, key: string, path: string): Promise<void> {
    try {
      await this.client.fGetObject(this.bucketName(bucket), key, path);
    } catch (e) {
      if (isNotFound(e)) throw StorageError.objectNotFound(bucket, key);
      throw e;
    }
  }

  /** Bytes `start`..`end` (inclusive) of an object, for HTTP range requests. */
  async getRange(bucket: BucketName, key: string, start: number, end: number): Promise<Readable> {
    try {
      return await this.client.getPartialObject(this.bucketName(bucket), key, start, end - start + 1);
    } catch (e) {
      if (isNotFound(e)) throw StorageError.objectNotFound(bucket, key);
      throw e;
    }
  }

  /** Every object under a prefix, with its size. */
  async list(bucket: BucketName, prefix: string): Promise<{ key: string; size: number }[]> {
    const objects: { key: string; size: number }[] = [];
    const stream = this.client.listObjectsV2(this.bucketName(bucket), prefix, true);
    for await (const item of stream as AsyncIterable<{ name?: string; size?: number }>) {
      if (item.name) objects.push({ key: item.name, size: item.size ?? 0 });
    }
    return objects;
  }

  async removeMany(bucket: BucketName, keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 500) {
      await this.client.removeObjects(this.bucketName(bucket), keys.slice(i, i + 500));
    }
  }

  /** Removing an object that is already gone is not an error (retried jobs clean up twice). */
  async remove(bucket: BucketName, key: string): Promise<void> {
    await this.client.removeObject(this.bucketName(bucket), key);
  }

  /** The first `bytes` bytes of an object (fewer if it is shorter), to tell what a file really is. */
  async readStart(bucket: BucketName, key: string, bytes: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.getRange(bucket, key, 0, bytes - 1)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** A short-lived download link. */
  presignedGet(
    bucket: BucketName,
    key: string,
    options: { expiresSeconds?: number; downloadName?: string } = {},
  ): string {
    return this.link('GET', bucket, key, {
      expiresSeconds: options.expiresSeconds ?? 300,
      query: options.downloadName
        ? {
            'response-content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(options.downloadName)}`,
          }
        : undefined,
    });
  }

  /**
   * A presigned link as browsers reach it: straight to the store when S3_PUBLIC_URL says where
   * browsers find it, else through the app's own origin (storage-gateway.ts), signed for the
   * store's own address so the gateway and the store can both check it.
   */
  private link(
    method: 'GET' | 'PUT',
    bucket: BucketName,
    key: string,
    options: {
      expiresSeconds: number;
      signedHeaders?: Record<string, string>;
      query?: Record<string, string>;
    },
  ): string {
    const direct = this.config.s3.publicUrl;
    const url = presignV4({
      method,
      endpoint: direct ? new URL(direct) : this.endpoint,
      bucket: this.bucketName(bucket),
      key,
      accessKey: this.config.s3.accessKey,
      secretKey: this.config.s3.secretKey,
      region: this.config.s3.region,
      ...options,
    });
    if (direct) return url;
    const signed = new URL(url);
    const basePath = this.endpoint.pathname.replace(/\/+$/, '');
    return `${this.config.publicBaseUrl}${STORAGE_GATEWAY_PATH}${signed.pathname.slice(basePath.length)}${signed.search}`;
  }

  /**
   * A presigned PUT for exactly one file: its type and size are signed, so storage refuses any
   * other file. `size` is what the client declared; it must not exceed `maxBytes`.
   */
  presignedPut(
    bucket: BucketName,
    key: string,
    options: {
      contentType: string;
      size: number;
      maxBytes: number;
      allowedTypes: string[];
      expiresSeconds?: number;
    },
  ): PresignedUpload {
    if (!options.allowedTypes.includes(options.contentType)) {
      throw new StorageError(
        StorageErrorCode.UploadTypeMismatch,
        `Files of type "${options.contentType}" are not accepted here. Allowed: ${options.allowedTypes.join(', ')}.`,
      );
    }
    if (!Number.isSafeInteger(options.size) || options.size <= 0 || options.size > options.maxBytes) {
      throw new StorageError(
        StorageErrorCode.UploadTooLarge,
        `The file must be between 1 byte and ${options.maxBytes} bytes.`,
        { maxBytes: options.maxBytes },
      );
    }
    const expiresSeconds = options.expiresSeconds ?? 900;
    const url = this.link('PUT', bucket, key, {
      expiresSeconds,
      signedHeaders: { 'content-type': options.contentType, 'content-length': String(options.size) },
    });
    return {
      url,
      method: 'PUT',
      headers: { 'Content-Type': options.contentType },
      expiresAt: new Date(Date.now() + expiresSeconds * 1000).toISOString(),
    };
  }

  /**
   * Checks an upload after the client says it is done. Defence in depth for stores that do not
   * enforce signed headers: a wrong file is removed and refused.
   */
  async verifyUpload(
    bucket: BucketName,
    key: string,
    expected: { maxBytes: number; contentType: string },
  ): Promise<StoredObject> {
    let object: StoredObject;
    try {
      object = await this.stat(bucket, key);
    } catch (e) {
      if (e instanceof StorageError) {
        throw new StorageError(StorageErrorCode.UploadMissing, 'The upload has not arrived in storage yet.');
      }
      throw e;
    }
    if (object.size > expected.maxBytes || object.contentType !== expected.contentType) {
      await this.remove(bucket, key);
      throw object.size > expected.maxBytes
        ? new StorageError(
            StorageErrorCode.UploadTooLarge,
            `The file is larger than ${expected.maxBytes} bytes.`,
          )
        : new StorageError(
            StorageErrorCode.UploadTypeMismatch,
            `The file was sent as "${object.contentType}", expected "${expected.contentType}".`,
          );
    }
    return object;
  }

  /** For /health/ready. */
  async ping(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucketName(Buckets.media))))
      throw new Error('media bucket is missing');
  }
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { AppConfig } from '../config/app-config.js';
import { setRetryAfter, toErrorBody } from '../http/error-body.js';
import { ServiceUnavailableError } from '../resilience/backend-unavailable.js';
import { checkPresignedV4 } from './sigv4-presign.js';
import { StorageError, StorageErrorCode } from './storage.errors.js';
import { Buckets, bucketNameOf } from './storage-keys.js';

/**
 * Presigned links through the app's own origin: `/storage/<bucket>/<key>?X-Amz-…`.
 *
 * Browsers cannot always reach the object store: on the embedded default it listens on 127.0.0.1
 * (a phone in the commune hall reaches only the laptop's web port), and in the compose layout MinIO
 * sits on the internal network. Unless S3_PUBLIC_URL names an address browsers can reach, storage
 * links point here and this gateway carries the bytes, streamed both ways.
 *
 * The links are signed exactly as S3 signs them, for the store's own address. The gateway checks
 * the signature, expiry and signed headers itself — s3rver checks none of them — and forwards the
 * request unchanged, so a store that does check (MinIO) checks it a second time.
 */
export const STORAGE_GATEWAY_PATH = '/storage';

/** Response headers of the store that a client may see. */
const PASSED_HEADERS = [
  'content-type',
  'content-length',
  'content-range',
  'accept-ranges',
  'etag',
  'last-modified',
  'content-disposition',
  'cache-control',
];
/** Request headers a client may send on to the store. */
const FORWARDED_HEADERS = [
  'content-type',
  'content-length',
  'content-md5',
  'range',
  'if-range',
  'if-none-match',
  'if-modified-since',
];
/** Our keys are made by storage-keys.ts: lower-case segments, no dot-only segment. */
const KEY = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

export function storageGateway(config: AppConfig) {
  const endpoint = new URL(config.s3.endpoint!);
  const transport = endpoint.protocol === 'https:' ? https : http;
  const buckets = new Set(Object.values(Buckets).map((b) => bucketNameOf(config.s3.bucketPrefix, b)));
  const basePath = endpoint.pathname.replace(/\/+$/, '');

  const refuse = (req: FastifyRequest, reply: FastifyReply, error: unknown) => {
    const body = toErrorBody(error, String(req.id));
    setRetryAfter(reply, body.details);
    return reply.code(body.statusCode).send(body);
  };

  async function handle(req: FastifyRequest, reply: FastifyReply) {
    // Any page may use a link (the signature is the permission), e.g. a trainer on the laptop
    // itself (localhost) uploading to a link built for the hall's address.
    void reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', 'ETag');
    if (req.method === 'OPTIONS') {
      return reply
        .code(204)
        .header('access-control-allow-methods', 'GET, HEAD, PUT')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '3600')
        .send();
    }
    const { bucket, '*': key } = req.params as { bucket: string; '*': string };
    if (!buckets.has(bucket) || !KEY.test(key))
      return refuse(req, reply, StorageError.objectNotFound(bucket, key));
    const query = req.query as Record<string, unknown>;
    if (Object.values(query).some((v) => typeof v !== 'string')) {
      return refuse(
        req,
        reply,
        new StorageError(StorageErrorCode.LinkMalformed, 'The link is damaged: a parameter appears twice.'),
      );
    }
    if (req.method === 'PUT' && req.headers['content-length'] === undefined) {
      return refuse(
        req,
        reply,
        new StorageError(StorageErrorCode.LengthRequired, 'Send the file with its Content-Length.'),
      );
    }
    const check = checkPresignedV4({
      // A HEAD is a GET without the body: a download link may be probed.
      method: req.method === 'HEAD' ? 'GET' : req.method,
      endpoint,
      bucket,
      key,
      query: query as Record<string, string>,
      headers: req.headers,
      accessKey: config.s3.accessKey,
      secretKey: config.s3.secretKey,
      region: config.s3.region,
    });
    if (!check.ok) {
      const code = {
        malformed: StorageErrorCode.LinkMalformed,
        expired: StorageErrorCode.LinkExpired,
        signature: StorageErrorCode.LinkInvalid,
      }[check.reason];
      return refuse(req, reply, new StorageError(code, check.message));
    }

    const headers: Record<string, string> = { host: endpoint.host };
    for (const name of FORWARDED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const search = req.url.slice(req.url.indexOf('?'));
    let upstream: IncomingMessage;
    try {
      upstream = await new Promise<IncomingMessage>((resolve, reject) => {
        const outgoing = transport.request(
          {
            protocol: endpoint.protocol,
            hostname: endpoint.hostname,
            port: endpoint.port,
            method: req.method,
            path: `${basePath}/${bucket}/${key}${search}`,
            headers,
          },
          resolve,
        );
        // A store silent this long is a stalled store: 503, never a hung request.
        outgoing.setTimeout(config.s3TimeoutMs, () =>
          outgoing.destroy(Object.assign(new Error('storage timeout'), { code: 'BANSO_STORAGE_TIMEOUT' })),
        );
        outgoing.on('error', reject);
        req.raw.on('close', () => req.raw.complete || outgoing.destroy());
        if (req.method === 'PUT') req.raw.pipe(outgoing);
        else outgoing.end();
      });
    } catch (e) {
      return refuse(req, reply, new ServiceUnavailableError('storage', e));
    }

    const status = upstream.statusCode ?? 502;
    if (status >= 400) {
      upstream.resume();
      if (status === 404) return refuse(req, reply, StorageError.objectNotFound(bucket, key));
      if (status >= 500) return refuse(req, reply, new ServiceUnavailableError('storage'));
      return reply.code(status).send({
        statusCode: status,
        code: 'STORAGE_REFUSED',
        message: `Object storage refused the request (${status}).`,
        requestId: String(req.id),
      });
    }
    for (const name of PASSED_HEADERS) {
      const value = upstream.headers[name];
      if (value !== undefined) void reply.header(name, value);
    }
    if (req.method === 'PUT') {
      upstream.resume();
      return reply.code(status).send();
    }
    // Bytes go through as they come (a long video download keeps moving; no buffering here).
    upstream.setTimeout(0);
    return reply.code(status).send(upstream);
  }

  return async function gateway(instance: FastifyInstance) {
    // Refusals from the shared hooks (input hygiene, body limits) in the one error format.
    instance.setErrorHandler((error, req, reply) => refuse(req, reply, error));
    // The body is the file itself, streamed on to the store: no parser reads it here.
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser(
      '*',
      (_req: FastifyRequest, _payload: IncomingMessage, done: (err: null, body?: undefined) => void) =>
        done(null),
    );
    instance.route({
      method: ['GET', 'PUT', 'OPTIONS'],
      url: `${STORAGE_GATEWAY_PATH}/:bucket/*`,
      // Refused from Content-Length before anything runs when past twice this (body-intake.ts);
      // the signed length is the real limit.
      bodyLimit: config.media.maxUploadBytes,
      compress: false,
      handler: handle,
    } as never);
  };
}

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * AWS Signature V4 query-string presigning, with chosen headers signed, and the check of such a
 * link (for the storage gateway, which stands in front of stores that do not check signatures).
 *
 * The `minio` client never signs Content-Type or Content-Length in presigned URLs, so a URL it
 * makes accepts any file of any size. Signing both headers makes S3/MinIO refuse an upload whose
 * type or size differs from what the server agreed to.
 */
export interface PresignInput {
  method: 'GET' | 'PUT';
  endpoint: URL;
  bucket: string;
  key: string;
  accessKey: string;
  secretKey: string;
  region: string;
  expiresSeconds: number;
  /** Header names in lower case. `host` is always signed. */
  signedHeaders?: Record<string, string>;
  /** Further query parameters, signed too (e.g. `response-content-disposition`). */
  query?: Record<string, string>;
  now?: Date;
}

/** S3 refuses longer-lived presigned links; so do we. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
/** Clocks of the signer and the checker may differ this much. */
const CLOCK_SKEW_MS = 5 * 60_000;

const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

interface Canonical {
  method: string;
  /** The canonical (encoded) path. */
  path: string;
  /** Every query parameter but the signature. */
  query: Record<string, string>;
  /** Every signed header, names in lower case, `host` included. */
  headers: Record<string, string>;
  amzDate: string;
  region: string;
  secretKey: string;
}

const canonicalQueryOf = (query: Record<string, string>) =>
  Object.keys(query)
    .sort()
    .map((k) => `${encode(k)}=${encode(query[k])}`)
    .join('&');

function signatureOf(c: Canonical): string {
  const day = c.amzDate.slice(0, 8);
  const scope = `${day}/${c.region}/s3/aws4_request`;
  const headerNames = Object.keys(c.headers).sort();
  const canonicalRequest = [
    c.method,
    c.path,
    canonicalQueryOf(c.query),
    headerNames.map((h) => `${h}:${String(c.headers[h]).trim()}\n`).join(''),
    headerNames.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', c.amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${c.secretKey}`, day), c.region), 's3'), 'aws4_request');
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}

/** The canonical path of an object: path-style `/bucket/key` under the endpoint's own path. */
function objectPath(endpoint: URL, bucket: string, key: string): string {
  const basePath = endpoint.pathname.replace(/\/+$/, '');
  // An empty bucket means a virtual-hosted endpoint.
  const bucketPath = bucket ? `/${encode(bucket)}` : '';
  return `${basePath}${bucketPath}/${key.split('/').map(encode).join('/')}`;
}

export function presignV4(input: PresignInput): string {
  const now = input.now ?? new Date();
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const headers: Record<string, string> = { host: input.endpoint.host };
  for (const [name, value] of Object.entries(input.signedHeaders ?? {})) headers[name.toLowerCase()] = value;
  const query: Record<string, string> = {
    ...input.query,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${input.accessKey}/${amzDate.slice(0, 8)}/${input.region}/s3/aws4_request`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(input.expiresSeconds),
    'X-Amz-SignedHeaders': Object.keys(headers).sort().join(';'),
  };
  const path = objectPath(input.endpoint, input.bucket, input.key);
  const signature = signatureOf({
    method: input.method,
    path,
    query,
    headers,
    amzDate,
    region: input.region,
    secretKey: input.secretKey,
  });
  return `${input.endpoint.protocol}//${input.endpoint.host}${path}?${canonicalQueryOf(query)}&X-Amz-Signature=${signature}`;
}

export type PresignedCheck =
  { ok: true } | { ok: false; reason: 'malformed' | 'expired' | 'signature'; message: string };

/**
 * Checks a presigned link as S3 would: the same key, a credential for our access key and region,
 * not expired, and a signature over the method, path, every query parameter and the signed
 * headers' actual values (so an upload of another type or size is refused).
 */
export function checkPresignedV4(input: {
  method: string;
  endpoint: URL;
  bucket: string;
  key: string;
  query: Record<string, string>;
  /** The request's headers, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  accessKey: string;
  secretKey: string;
  region: string;
  now?: Date;
}): PresignedCheck {
  const malformed = (message: string): PresignedCheck => ({ ok: false, reason: 'malformed', message });
  const q = input.query;
  const amzDate = q['X-Amz-Date'] ?? '';
  const expires = Number(q['X-Amz-Expires']);
  const signature = q['X-Amz-Signature'] ?? '';
  const signedNames = (q['X-Amz-SignedHeaders'] ?? '').split(';');
  if (q['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256') return malformed('The link is not a signed link.');
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || !/^[0-9a-f]{64}$/.test(signature))
    return malformed('The link is damaged: its date or signature is malformed.');
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_SECONDS)
    return malformed('The link is damaged: its lifetime is malformed.');
  if (q['X-Amz-Credential'] !== `${input.accessKey}/${amzDate.slice(0, 8)}/${input.region}/s3/aws4_request`)
    return { ok: false, reason: 'signature', message: 'The link was not signed by this platform.' };
  if (!signedNames.includes('host') || signedNames.some((n) => !/^[a-z0-9-]+$/.test(n)))
    return malformed('The link is damaged: its signed headers are malformed.');

  const signedAt = Date.parse(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const now = (input.now ?? new Date()).getTime();
  if (Number.isNaN(signedAt) || signedAt - CLOCK_SKEW_MS > now)
    return malformed('The link is damaged: it is dated in the future.');
  if (now > signedAt + expires * 1000)
    return { ok: false, reason: 'expired', message: 'The link has expired. Ask for a new one.' };

  const headers: Record<string, string> = { host: input.endpoint.host };
  for (const name of signedNames) {
    if (name === 'host') continue;
    const value = input.headers[name];
    if (typeof value !== 'string')
      return {
        ok: false,
        reason: 'signature',
        message: `The request must send the ${name} header it was signed with.`,
      };
    headers[name] = value;
  }
  const { 'X-Amz-Signature': _, ...unsigned } = q;
  const expected = signatureOf({
    method: input.method,
    path: objectPath(input.endpoint, input.bucket, input.key),
    query: unsigned,
    headers,
    amzDate,
    region: input.region,
    secretKey: input.secretKey,
  });
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature)))
    return {
      ok: false,
      reason: 'signature',
      message: 'The link does not match this request (another file, type or size than was agreed).',
    };
  return { ok: true };
}

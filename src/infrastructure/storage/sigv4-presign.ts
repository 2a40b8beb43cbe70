import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature V4 query-string presigning, with chosen headers signed.
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
  now?: Date;
}

const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

export function presignV4(input: PresignInput): string {
  const now = input.now ?? new Date();
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${input.region}/s3/aws4_request`;
  const host = input.endpoint.host;
  const headers: Record<string, string> = { host, ...(input.signedHeaders ?? {}) };
  const headerNames = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .sort();
  const basePath = input.endpoint.pathname.replace(/\/+$/, '');
  // Path-style addressing (`/bucket/key`); an empty bucket means a virtual-hosted endpoint.
  const bucketPath = input.bucket ? `/${encode(input.bucket)}` : '';
  const path = `${basePath}${bucketPath}/${input.key.split('/').map(encode).join('/')}`;

  const query: Record<string, string> = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${input.accessKey}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(input.expiresSeconds),
    'X-Amz-SignedHeaders': headerNames.join(';'),
  };
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${encode(k)}=${encode(query[k])}`)
    .join('&');
  const canonicalHeaders = headerNames.map((h) => `${h}:${String(headers[h]).trim()}\n`).join('');
  const canonicalRequest = [
    input.method,
    path,
    canonicalQuery,
    canonicalHeaders,
    headerNames.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${input.secretKey}`, day), input.region), 's3'),
    'aws4_request',
  );
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return `${input.endpoint.protocol}//${host}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}

import { checkPresignedV4, presignV4 } from './sigv4-presign.js';

describe('presignV4', () => {
  it('matches the AWS documentation example for a presigned GET', () => {
    // "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)", example URL.
    const url = presignV4({
      method: 'GET',
      endpoint: new URL('https://examplebucket.s3.amazonaws.com'),
      bucket: '',
      key: 'test.txt',
      accessKey: 'AKIAIOSFODNN7EXAMPLE',
      secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      region: 'us-east-1',
      expiresSeconds: 86400,
      now: new Date('2013-05-24T00:00:00Z'),
    });
    expect(url).toContain('X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
  });

  it('signs content-type and content-length for an upload, so a different file is refused', () => {
    const base = {
      method: 'PUT' as const,
      endpoint: new URL('http://127.0.0.1:9000'),
      bucket: 'banso-media',
      key: 'uploads/2026/11/abc.mp4',
      accessKey: 'minio',
      secretKey: 'minio-secret',
      region: 'us-east-1',
      expiresSeconds: 600,
      now: new Date('2026-11-22T00:00:00Z'),
    };
    const small = presignV4({
      ...base,
      signedHeaders: { 'content-type': 'video/mp4', 'content-length': '1000' },
    });
    const large = presignV4({
      ...base,
      signedHeaders: { 'content-type': 'video/mp4', 'content-length': '2000' },
    });
    expect(small).toContain('X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost');
    expect(small.split('X-Amz-Signature=')[1]).not.toEqual(large.split('X-Amz-Signature=')[1]);
  });
});

describe('checkPresignedV4', () => {
  const endpoint = new URL('http://127.0.0.1:54330');
  const keys = { accessKey: 'S3RVER', secretKey: 'S3RVER', region: 'us-east-1' };
  const signedAt = new Date('2026-12-07T01:00:00Z');
  const link = (extra: Partial<Parameters<typeof presignV4>[0]> = {}) =>
    new URL(
      presignV4({
        method: 'PUT',
        endpoint,
        bucket: 'banso-media',
        key: 'uploads/video/a.mp4',
        expiresSeconds: 900,
        signedHeaders: { 'content-type': 'video/mp4', 'content-length': '1000' },
        now: signedAt,
        ...keys,
        ...extra,
      }),
    );
  const check = (
    url: URL,
    over: {
      method?: string;
      key?: string;
      headers?: Record<string, string>;
      now?: Date;
      secretKey?: string;
    } = {},
  ) =>
    checkPresignedV4({
      method: over.method ?? 'PUT',
      endpoint,
      bucket: 'banso-media',
      key: over.key ?? 'uploads/video/a.mp4',
      query: Object.fromEntries(url.searchParams),
      headers: over.headers ?? { 'content-type': 'video/mp4', 'content-length': '1000' },
      ...keys,
      ...(over.secretKey && { secretKey: over.secretKey }),
      now: over.now ?? new Date(signedAt.getTime() + 60_000),
    });

  it('accepts the link it made, for the agreed file, until it expires', () => {
    expect(check(link())).toEqual({ ok: true });
    expect(check(link(), { now: new Date(signedAt.getTime() + 901_000) })).toMatchObject({
      reason: 'expired',
    });
  });

  it('refuses another file, method, key or signer', () => {
    const other = { 'content-type': 'video/mp4', 'content-length': '2000' };
    expect(check(link(), { headers: other })).toMatchObject({ reason: 'signature' });
    expect(check(link(), { headers: { 'content-type': 'video/mp4' } })).toMatchObject({
      reason: 'signature',
    });
    expect(check(link(), { method: 'GET' })).toMatchObject({ reason: 'signature' });
    expect(check(link(), { key: 'uploads/video/b.mp4' })).toMatchObject({ reason: 'signature' });
    expect(check(link(), { secretKey: 'another-secret' })).toMatchObject({ reason: 'signature' });
  });

  it('refuses an added parameter, a link from the future and damaged fields', () => {
    const added = link();
    added.searchParams.set('acl', '');
    expect(check(added)).toMatchObject({ reason: 'signature' });
    expect(check(link(), { now: new Date(signedAt.getTime() - 600_000) })).toMatchObject({
      reason: 'malformed',
    });
    for (const [name, value] of [
      ['X-Amz-Algorithm', 'AWS4-HMAC-SHA1'],
      ['X-Amz-Date', 'yesterday'],
      ['X-Amz-Expires', '604801'],
      ['X-Amz-Signature', 'xyz'],
      ['X-Amz-SignedHeaders', 'content-type'],
    ]) {
      const damaged = link();
      damaged.searchParams.set(name, value);
      expect(check(damaged)).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });
});

import { presignV4 } from './sigv4-presign.js';

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

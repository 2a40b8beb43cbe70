import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import S3rver from 's3rver';

/**
 * A local S3-compatible server for the embedded default (development only: s3rver does not
 * check signatures, so never rely on it for security).
 */
export async function startEmbeddedS3(
  dataDir: string,
  port: number,
): Promise<{ url: string; stop(): Promise<void> }> {
  const directory = join(dataDir, 's3');
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true, resetOnClose: false });
  await server.run();
  return { url: `http://127.0.0.1:${port}`, stop: () => server.close() };
}

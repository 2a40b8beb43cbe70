import type { AppConfig } from '../config/app-config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { startEmbeddedS3 } from './embedded-s3.js';

/**
 * For command-line tools (migrations, seeds, create-admin): fills in `config.databaseUrl` —
 * DATABASE_URL, else the running platform's embedded PostgreSQL, else one started for the tool.
 * Returns the function that stops what was started.
 */
export async function useToolDatabase(config: AppConfig): Promise<() => Promise<void>> {
  if (config.databaseUrl) return async () => undefined;
  const embedded = await startEmbeddedPostgres(
    config.dataDir,
    config.embeddedPostgresPort,
    console.log,
    'tool',
  );
  config.databaseUrl = embedded.url;
  return embedded.stop;
}

/**
 * The same for object storage: S3_ENDPOINT, else the running platform's s3rver, else one started
 * for the tool on the same data directory.
 */
export async function useToolStorage(config: AppConfig): Promise<() => Promise<void>> {
  if (config.s3.endpoint) return async () => undefined;
  const url = `http://127.0.0.1:${config.embeddedS3Port}`;
  const running = await fetch(url).then(
    () => true,
    () => false,
  );
  config.s3.endpoint = url;
  if (running) return async () => undefined;
  const s3 = await startEmbeddedS3(config.dataDir, config.embeddedS3Port);
  return s3.stop;
}

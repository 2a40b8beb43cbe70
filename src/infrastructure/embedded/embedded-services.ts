import type { AppConfig } from '../config/app-config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { startEmbeddedS3 } from './embedded-s3.js';

export interface EmbeddedServices {
  config: AppConfig;
  /** What was started here, for the start-up banner. */
  started: string[];
  stop(): Promise<void>;
}

/**
 * Fills in whatever the environment leaves unset: embedded PostgreSQL for DATABASE_URL (and
 * BullMQ rides on it when REDIS_URL is unset), s3rver for S3_ENDPOINT. Returns a completed config.
 */
export async function startEmbeddedServices(
  base: AppConfig,
  log: (m: string) => void,
): Promise<EmbeddedServices> {
  const config = Object.assign(
    Object.create(Object.getPrototypeOf(base)),
    structuredClone({ ...base }),
  ) as AppConfig;
  const stops: (() => Promise<void>)[] = [];
  const started: string[] = [];
  try {
    if (!config.databaseUrl) {
      const pg = await startEmbeddedPostgres(config.dataDir, config.embeddedPostgresPort, log, 'platform');
      config.databaseUrl = pg.url;
      stops.push(pg.stop);
      started.push(`PostgreSQL (embedded) on 127.0.0.1:${config.embeddedPostgresPort}`);
    }
    if (!config.s3.endpoint) {
      const s3 = await startEmbeddedS3(config.dataDir, config.embeddedS3Port);
      config.s3.endpoint = s3.url;
      stops.push(s3.stop);
      started.push(`S3 (s3rver) on ${s3.url}`);
    }
  } catch (e) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw e;
  }
  return {
    config,
    started,
    stop: async () => {
      for (const stop of stops.reverse())
        await stop().catch((e) => log(`stop failed: ${(e as Error).message}`));
    },
  };
}

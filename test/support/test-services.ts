import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/infrastructure/embedded/embedded-postgres.js';
import { startEmbeddedS3 } from '../../src/infrastructure/embedded/embedded-s3.js';
import { startFakeSmsGateway } from './fake-sms-gateway.js';
import { freePort } from './ports.js';

/**
 * The backing services for a test run. Real ones when the environment names them (CI: the
 * machine's PostgreSQL 15 and Redis), embedded ones otherwise — never mocks. Each run gets its own
 * database, bucket prefix and queue prefix, so runs do not see each other's data.
 */
export interface TestServices {
  env: Record<string, string>;
  describe: string;
  stop(): Promise<void>;
}

export async function startTestServices(): Promise<TestServices> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'banso-test-'));
  chmodSync(dir, 0o755); // embedded PostgreSQL runs as the postgres user when we are root
  const stops: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    // Replicas share one public address (it is the token issuer).
    PUBLIC_BASE_URL: 'http://banso.test',
    DATA_DIR: join(dir, 'data'),
    JWT_ACCESS_SECRET: randomBytes(32).toString('hex'),
    COOKIE_SECRET: randomBytes(32).toString('hex'),
    ADMIN_PHONE: '0900000001',
    ADMIN_PASSWORD: 'quan-tri-vien-lao-cai-2026',
    ADMIN_NAME: 'Quản trị viên thử nghiệm',
    QUEUE_PREFIX: `t${runId}`,
    S3_BUCKET_PREFIX: `t${runId}`.slice(0, 30),
    // Short, so the "too long" rejection is tested with a small file.
    MEDIA_MAX_DURATION_SECONDS: '60',
    // Every test registers and signs in from 127.0.0.1; the limits themselves are tested with their
    // own processes (hardening, process-roles).
    REGISTER_MAX_PER_IP: '100000',
    LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
  };
  const described: string[] = [];

  if (process.env.DATABASE_URL) {
    const server = new URL(process.env.DATABASE_URL);
    const database = `banso_test_${runId}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    server.pathname = `/${database}`;
    env.DATABASE_URL = server.toString();
    stops.push(async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await c.end();
    });
    described.push(
      `PostgreSQL ${process.env.DATABASE_URL.replace(/\/\/[^@]*@/, '//')} (database ${database})`,
    );
  } else {
    const port = await freePort();
    const pgServer = await startEmbeddedPostgres(join(dir, 'pg'), port, () => undefined);
    env.DATABASE_URL = pgServer.url;
    stops.push(pgServer.stop);
    described.push(`embedded PostgreSQL on ${port}`);
  }

  if (process.env.S3_ENDPOINT) {
    env.S3_ENDPOINT = process.env.S3_ENDPOINT;
    env.S3_ACCESS_KEY = process.env.S3_ACCESS_KEY ?? '';
    env.S3_SECRET_KEY = process.env.S3_SECRET_KEY ?? '';
    if (process.env.S3_REGION) env.S3_REGION = process.env.S3_REGION;
    described.push(`S3 ${process.env.S3_ENDPOINT}`);
  } else {
    const s3 = await startEmbeddedS3(join(dir, 's3'), await freePort());
    env.S3_ENDPOINT = s3.url;
    env.S3_ACCESS_KEY = 'S3RVER';
    env.S3_SECRET_KEY = 'S3RVER-does-not-check';
    stops.push(s3.stop);
    described.push(`s3rver ${s3.url}`);
  }
  // Links straight to the store: the suite's public address (banso.test) is not reachable. The
  // gateway through the app's origin, the default, is tested by commune-hall and rehearsal.
  env.S3_PUBLIC_URL = env.S3_ENDPOINT;

  // SMS through a local fake gateway that records what it was asked to send (fake-sms-gateway.ts);
  // Web Push to endpoints the tests serve on the loopback address.
  const sms = await startFakeSmsGateway(`sms-${runId}`);
  env.SMS_GATEWAY_URL = sms.url;
  env.SMS_GATEWAY_TOKEN = `sms-${runId}`;
  env.PUSH_ENDPOINT_HOSTS = '127.0.0.1';
  stops.push(sms.stop);
  described.push(`fake SMS gateway ${sms.url}`);

  if (process.env.REDIS_URL) {
    env.REDIS_URL = process.env.REDIS_URL;
    const prefix = env.QUEUE_PREFIX;
    stops.push(async () => {
      // BullMQ keys of this run only: `<prefix>:<queue>:…`.
      const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await redis.quit();
    });
    described.push(`Redis ${process.env.REDIS_URL} (prefix ${env.QUEUE_PREFIX})`);
  } else {
    described.push('queues on PostgreSQL');
  }

  return {
    env,
    describe: described.join(', '),
    stop: async () => {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigValidationError, validateEnvironment } from './environment.js';

export interface S3Config {
  /** Unset on the embedded default until the local S3 server has started. */
  endpoint?: string;
  accessKey: string;
  secretKey: string;
  region: string;
  bucketPrefix: string;
}

/**
 * The platform's typed configuration. Built once at boot by `loadConfig`; injected everywhere
 * as `AppConfig` (the class is the DI token). No other code reads `process.env`.
 */
export class AppConfig {
  nodeEnv!: 'development' | 'production' | 'test';
  port!: number;
  host!: string;
  dataDir!: string;
  publicBaseUrl!: string;
  corsOrigins!: string[];
  trustProxy!: boolean;
  logLevel!: string;

  /** Unset on the embedded default until embedded PostgreSQL has started. */
  databaseUrl?: string;
  runMigrations!: boolean;
  embeddedPostgresPort!: number;

  redisUrl?: string;
  queuePrefix!: string;

  s3!: S3Config;
  embeddedS3Port!: number;

  auth!: {
    accessSecret: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    cookieSecret: string;
    secureCookies: boolean;
    loginMaxFailuresPerAccount: number;
    loginMaxAttemptsPerIp: number;
    loginWindowSeconds: number;
  };

  bootstrapAdmin?: { phone?: string; email?: string; password: string; displayName: string };
  seedOnFirstStart!: boolean;

  media!: {
    /** Explicit binaries; unset: `ffmpeg`/`ffprobe` on PATH, else the bundled npm binaries. */
    ffmpegPath?: string;
    ffprobePath?: string;
    maxUploadBytes: number;
    maxDurationSeconds: number;
  };

  learning!: {
    /** Share of a video's duration that must actually be watched for the lesson to count (0.9). */
    videoCompletionShare: number;
    /** Most events one offline sync request may carry. */
    syncMaxEvents: number;
  };

  certification!: {
    /** Seals the issuer's Ed25519 private keys in the database. */
    issuerKeySecret: string;
    /** The issuer named in credentials and on certificates. */
    issuerName: string;
    /** Public verification lookups per client address and minute. */
    verifyMaxPerMinute: number;
    /** Lifetime of a certificate download link. */
    linkTtlSeconds: number;
  };

  /** The production role processes (`start:api`, `start:worker`) need real services. */
  assertExternalServices(): void {
    const missing = [
      ['DATABASE_URL', this.databaseUrl],
      ['S3_ENDPOINT', this.s3.endpoint],
    ].filter(([, v]) => !v);
    if (missing.length > 0) {
      throw new ConfigValidationError(
        missing.map(
          ([name]) =>
            `${name} is required for the API and worker roles (use \`npm start\` for the embedded default)`,
        ),
      );
    }
  }
}

/**
 * Secrets for the embedded default: generated once and kept under DATA_DIR so sessions survive
 * a restart. Production must set them explicitly.
 */
function embeddedSecrets(dataDir: string): { accessSecret: string; cookieSecret: string } {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const secrets = {
    accessSecret: randomBytes(32).toString('base64url'),
    cookieSecret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const e = validateEnvironment(env);
  const nodeEnv = (e.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  const production = nodeEnv === 'production';
  const problems: string[] = [];

  if (production) {
    if (!e.JWT_ACCESS_SECRET) problems.push('JWT_ACCESS_SECRET is required when NODE_ENV=production');
    if (!e.COOKIE_SECRET) problems.push('COOKIE_SECRET is required when NODE_ENV=production');
    if (!e.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL is required when NODE_ENV=production');
    if (!e.ISSUER_KEY_SECRET) problems.push('ISSUER_KEY_SECRET is required when NODE_ENV=production');
  }
  if (e.S3_ENDPOINT && (!e.S3_ACCESS_KEY || !e.S3_SECRET_KEY)) {
    problems.push(
      `${e.S3_ACCESS_KEY ? 'S3_SECRET_KEY' : 'S3_ACCESS_KEY'} is required when S3_ENDPOINT is set`,
    );
  }
  if ((e.ADMIN_PHONE || e.ADMIN_EMAIL) && !e.ADMIN_PASSWORD) {
    problems.push('ADMIN_PASSWORD is required when ADMIN_PHONE or ADMIN_EMAIL is set');
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);

  const dataDir = resolve(e.DATA_DIR ?? './.data');
  const port = e.PORT ?? 3000;
  const secrets =
    e.JWT_ACCESS_SECRET && e.COOKIE_SECRET
      ? { accessSecret: e.JWT_ACCESS_SECRET, cookieSecret: e.COOKIE_SECRET }
      : { ...embeddedSecrets(dataDir), ...(e.JWT_ACCESS_SECRET && { accessSecret: e.JWT_ACCESS_SECRET }) };
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');

  const config = new AppConfig();
  Object.assign(config, {
    nodeEnv,
    port,
    host: e.HOST ?? '0.0.0.0',
    dataDir,
    publicBaseUrl,
    corsOrigins: (e.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    trustProxy: e.TRUST_PROXY ?? false,
    logLevel: e.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    databaseUrl: e.DATABASE_URL,
    runMigrations: e.RUN_MIGRATIONS ?? false,
    embeddedPostgresPort: e.EMBEDDED_POSTGRES_PORT ?? 54329,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX ?? 'banso',
    s3: {
      endpoint: e.S3_ENDPOINT,
      accessKey: e.S3_ACCESS_KEY ?? 'S3RVER',
      secretKey: e.S3_SECRET_KEY ?? 'S3RVER',
      region: e.S3_REGION ?? 'us-east-1',
      bucketPrefix: e.S3_BUCKET_PREFIX ?? 'banso',
    },
    embeddedS3Port: e.EMBEDDED_S3_PORT ?? 54330,
    auth: {
      ...secrets,
      accessTtlSeconds: e.JWT_ACCESS_TTL_SECONDS ?? 900,
      refreshTtlSeconds: e.REFRESH_TTL_SECONDS ?? 30 * 24 * 3600,
      secureCookies: publicBaseUrl.startsWith('https://'),
      loginMaxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT ?? 10,
      // Villages often share one carrier-grade NAT address: keep the per-IP limit generous.
      loginMaxAttemptsPerIp: e.LOGIN_MAX_ATTEMPTS_PER_IP ?? 300,
      loginWindowSeconds: e.LOGIN_WINDOW_SECONDS ?? 900,
    },
    bootstrapAdmin: e.ADMIN_PASSWORD
      ? {
          phone: e.ADMIN_PHONE,
          email: e.ADMIN_EMAIL,
          password: e.ADMIN_PASSWORD,
          displayName: e.ADMIN_NAME ?? 'Quản trị viên',
        }
      : undefined,
    seedOnFirstStart: e.SEED_ON_FIRST_START ?? true,
    media: {
      ffmpegPath: e.FFMPEG_PATH,
      ffprobePath: e.FFPROBE_PATH,
      maxUploadBytes: (e.MEDIA_MAX_UPLOAD_MB ?? 500) * 1024 * 1024,
      maxDurationSeconds: e.MEDIA_MAX_DURATION_SECONDS ?? 900,
    },
    learning: {
      videoCompletionShare: (e.VIDEO_COMPLETION_PERCENT ?? 90) / 100,
      syncMaxEvents: e.SYNC_MAX_EVENTS ?? 500,
    },
    certification: {
      // Off production, sealed with a key derived from the access secret (a distinct HKDF label).
      issuerKeySecret: e.ISSUER_KEY_SECRET ?? `issuer-keys:${secrets.accessSecret}`,
      issuerName: e.ISSUER_NAME ?? 'Tổ điều phối Người bản số tỉnh Lào Cai',
      verifyMaxPerMinute: e.VERIFY_MAX_PER_MINUTE ?? 60,
      linkTtlSeconds: e.CERTIFICATE_LINK_TTL_SECONDS ?? 300,
    },
  } satisfies Omit<AppConfig, 'assertExternalServices'>);
  return config;
}

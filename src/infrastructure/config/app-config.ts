import { createECDH, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigValidationError, validateEnvironment } from './environment.js';
import { lanAddresses, listensOnAllInterfaces } from './lan-address.js';

export interface S3Config {
  /** Unset on the embedded default until the local S3 server has started. */
  endpoint?: string;
  /** The store's address for browsers, when they can reach it; unset, links go through the app. */
  publicUrl?: string;
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
  database!: {
    poolMax: number;
    /** Longest statement of an API request (and of the all-in-one embedded process). */
    statementTimeoutMs: number;
    /** Longest statement of a worker job. */
    workerStatementTimeoutMs: number;
    /** Longest wait for a pooled connection (or a new one). */
    acquireTimeoutMs: number;
  };

  redisUrl?: string;
  queuePrefix!: string;
  /** Longest wait for the queue backend when a request adds a job. */
  queueTimeoutMs!: number;

  s3!: S3Config;
  embeddedS3Port!: number;
  /** A storage request whose connection stays silent this long is abandoned. */
  s3TimeoutMs!: number;

  auth!: {
    accessSecret: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    cookieSecret: string;
    secureCookies: boolean;
    loginMaxFailuresPerAccount: number;
    loginMaxAttemptsPerIp: number;
    loginWindowSeconds: number;
    /** Registrations per client address and window (each costs a password hash). */
    registerMaxPerIp: number;
  };

  bootstrapAdmin?: { phone?: string; email?: string; password: string; displayName: string };
  seedOnFirstStart!: boolean;
  /** Prometheus metrics on an internal port (metrics-server.ts); off when `port` is unset. */
  metrics!: { port?: number; host: string; token?: string };

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

  notifications!: {
    /** The SMS gateway (an HTTP adapter); none: no SMS is sent. */
    sms?: { url: string; token?: string; unicode: boolean };
    /**
     * Web Push's VAPID key pair (base64url): from the environment, else generated once into
     * DATA_DIR off production; none: no Web Push.
     */
    vapid?: { publicKey: string; privateKey: string; subject: string };
    /** Hosts push endpoints may be on (a leading dot: any subdomain). */
    pushEndpointHosts: string[];
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

/** The browsers' push services: Chrome (FCM), Firefox (Mozilla), Safari (Apple), Edge (WNS). */
const PUSH_SERVICES =
  'fcm.googleapis.com,updates.push.services.mozilla.com,.push.apple.com,.notify.windows.com';

/**
 * Web Push keys: both from the environment (production, where the api and worker roles may run on
 * different machines and must share them), or, off production, generated once into DATA_DIR (the
 * embedded default and the test processes share it). Production without keys has no Web Push.
 */
function vapidKeys(
  e: { VAPID_PUBLIC_KEY?: string; VAPID_PRIVATE_KEY?: string; VAPID_SUBJECT?: string },
  production: boolean,
  dataDir: string,
  publicBaseUrl: string,
): AppConfig['notifications']['vapid'] {
  const subject =
    e.VAPID_SUBJECT ??
    (publicBaseUrl.startsWith('https://') ? publicBaseUrl : 'mailto:banso@localhost.invalid');
  if (e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY)
    return { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY, subject };
  if (production) return undefined;
  const file = join(dataDir, 'vapid.json');
  if (!existsSync(file)) {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    mkdirSync(dataDir, { recursive: true });
    // `wx`: of two processes starting together, one writes and the other reads what it wrote.
    try {
      writeFileSync(
        file,
        JSON.stringify({
          publicKey: ecdh.getPublicKey().toString('base64url'),
          privateKey: ecdh.getPrivateKey().toString('base64url'),
        }),
        { mode: 0o600, flag: 'wx' },
      );
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return {
    ...(JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string }),
    subject,
  };
}

/** Names the file `loadConfig()` reads before validating (default `.env`); `none` reads no file. */
export const ENV_FILE_VARIABLE = 'BANSO_ENV_FILE';

/**
 * Reads `.env` from the working directory (or the file BANSO_ENV_FILE names) into process.env, if
 * there is one. Variables already set win: the file only fills in what the real environment leaves
 * out. BANSO_ENV_FILE=none reads nothing — the test harness sets it on every process it starts, so a
 * developer's `.env` never reaches the tests. Returns the path read, or null.
 */
export function loadEnvFile(): string | null {
  const named = process.env[ENV_FILE_VARIABLE];
  if (named === 'none') return null;
  const path = resolve(named || '.env');
  if (!existsSync(path)) {
    if (named) throw new ConfigValidationError([`${ENV_FILE_VARIABLE} names ${path}, which does not exist`]);
    return null;
  }
  // process.loadEnvFile's parser and precedence, but written to the process.env this module sees
  // (Jest hands test code a copy of it, which process.loadEnvFile would not fill in).
  for (const [name, value] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) {
    if (process.env[name] === undefined && value !== undefined) process.env[name] = value;
  }
  return path;
}

/**
 * The validated configuration. Without an argument (the entry points) it reads the process
 * environment, after filling it in from `.env` (see loadEnvFile); with one, exactly that.
 */
export function loadConfig(env?: Record<string, string | undefined>): AppConfig {
  if (!env) {
    loadEnvFile();
    env = process.env;
  }
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
  if (!e.VAPID_PUBLIC_KEY !== !e.VAPID_PRIVATE_KEY) {
    problems.push(
      `${e.VAPID_PUBLIC_KEY ? 'VAPID_PRIVATE_KEY' : 'VAPID_PUBLIC_KEY'} is required with the other VAPID key`,
    );
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);

  const dataDir = resolve(e.DATA_DIR ?? './.data');
  const port = e.PORT ?? 3000;
  const secrets =
    e.JWT_ACCESS_SECRET && e.COOKIE_SECRET
      ? { accessSecret: e.JWT_ACCESS_SECRET, cookieSecret: e.COOKIE_SECRET }
      : { ...embeddedSecrets(dataDir), ...(e.JWT_ACCESS_SECRET && { accessSecret: e.JWT_ACCESS_SECRET }) };
  const host = e.HOST ?? '0.0.0.0';
  // Unset, the address phones on this machine's network use (a commune hall's laptop), else localhost.
  const lan = listensOnAllInterfaces(host) ? lanAddresses()[0] : undefined;
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://${lan ?? 'localhost'}:${port}`).replace(/\/+$/, '');

  const config = new AppConfig();
  Object.assign(config, {
    nodeEnv,
    port,
    host,
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
    // A stalled database answers 503 within acquire + statement timeout (≤ 5 s by default).
    database: {
      poolMax: e.DATABASE_POOL_MAX ?? 10,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS ?? 3000,
      workerStatementTimeoutMs: e.DATABASE_WORKER_STATEMENT_TIMEOUT_MS ?? 120_000,
      acquireTimeoutMs: e.DATABASE_ACQUIRE_TIMEOUT_MS ?? 1500,
    },
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX ?? 'banso',
    queueTimeoutMs: e.QUEUE_TIMEOUT_MS ?? 3000,
    s3: {
      endpoint: e.S3_ENDPOINT,
      publicUrl: e.S3_PUBLIC_URL?.replace(/\/+$/, ''),
      accessKey: e.S3_ACCESS_KEY ?? 'S3RVER',
      secretKey: e.S3_SECRET_KEY ?? 'S3RVER',
      region: e.S3_REGION ?? 'us-east-1',
      bucketPrefix: e.S3_BUCKET_PREFIX ?? 'banso',
    },
    embeddedS3Port: e.EMBEDDED_S3_PORT ?? 54330,
    s3TimeoutMs: e.S3_TIMEOUT_MS ?? 4000,
    auth: {
      ...secrets,
      accessTtlSeconds: e.JWT_ACCESS_TTL_SECONDS ?? 900,
      refreshTtlSeconds: e.REFRESH_TTL_SECONDS ?? 30 * 24 * 3600,
      secureCookies: publicBaseUrl.startsWith('https://'),
      loginMaxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT ?? 10,
      // Villages often share one carrier-grade NAT address: keep the per-IP limit generous.
      loginMaxAttemptsPerIp: e.LOGIN_MAX_ATTEMPTS_PER_IP ?? 300,
      loginWindowSeconds: e.LOGIN_WINDOW_SECONDS ?? 900,
      registerMaxPerIp: e.REGISTER_MAX_PER_IP ?? 60,
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
    metrics: { port: e.METRICS_PORT, host: e.METRICS_HOST ?? '127.0.0.1', token: e.METRICS_TOKEN },
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
    notifications: {
      sms: e.SMS_GATEWAY_URL
        ? { url: e.SMS_GATEWAY_URL, token: e.SMS_GATEWAY_TOKEN, unicode: e.SMS_UNICODE ?? false }
        : undefined,
      vapid: vapidKeys(e, production, dataDir, publicBaseUrl),
      pushEndpointHosts: (e.PUSH_ENDPOINT_HOSTS ?? PUSH_SERVICES)
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    },
  } satisfies Omit<AppConfig, 'assertExternalServices'>);
  return config;
}

import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : ['true', '1', 'yes'].includes(String(value).toLowerCase())
      ? true
      : ['false', '0', 'no'].includes(String(value).toLowerCase())
        ? false
        : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

const DB_URL = /^postgres(ql)?:\/\/.+/;
const REDIS_URL = /^rediss?:\/\/.+/;

/**
 * Every environment variable the platform reads. `.env.example` documents each one;
 * a bad value stops the process with a message naming the variable.
 */
export class EnvironmentVariables {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV?: string;

  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(65535) PORT?: number;
  @Transform(emptyToUndefined) @IsOptional() @IsString() HOST?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() DATA_DIR?: string;
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() CORS_ORIGINS?: string;
  @Transform(toBool) @IsOptional() @IsBoolean() TRUST_PROXY?: boolean;
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(DB_URL, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;
  @Transform(toBool) @IsOptional() @IsBoolean() RUN_MIGRATIONS?: boolean;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(65535) EMBEDDED_POSTGRES_PORT?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(500) DATABASE_POOL_MAX?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(100) @Max(600000) DATABASE_STATEMENT_TIMEOUT_MS?: number;
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(3600000)
  DATABASE_WORKER_STATEMENT_TIMEOUT_MS?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(100) @Max(60000) DATABASE_ACQUIRE_TIMEOUT_MS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(REDIS_URL, { message: 'must be a redis:// URL' })
  REDIS_URL?: string;
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^[a-z0-9_-]{1,40}$/) QUEUE_PREFIX?: string;
  @Transform(toInt) @IsOptional() @IsInt() @Min(100) @Max(60000) QUEUE_TIMEOUT_MS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  S3_ENDPOINT?: string;
  /** Where browsers reach the store directly; unset, storage links go through the app (storage-gateway.ts). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  S3_PUBLIC_URL?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(3) S3_ACCESS_KEY?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(8) S3_SECRET_KEY?: string;
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^[a-z0-9-]{2,32}$/) S3_REGION?: string;
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,30}$/, { message: 'must be lowercase letters, digits and dashes' })
  S3_BUCKET_PREFIX?: string;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(65535) EMBEDDED_S3_PORT?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(100) @Max(600000) S3_TIMEOUT_MS?: number;

  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(32) JWT_ACCESS_SECRET?: string;
  @Transform(toInt) @IsOptional() @IsInt() @Min(60) @Max(86400) JWT_ACCESS_TTL_SECONDS?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(3600) @Max(31536000) REFRESH_TTL_SECONDS?: number;
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(32) COOKIE_SECRET?: string;

  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(1000) LOGIN_MAX_FAILURES_PER_ACCOUNT?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(100000) LOGIN_MAX_ATTEMPTS_PER_IP?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(10) @Max(86400) LOGIN_WINDOW_SECONDS?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(100000) REGISTER_MAX_PER_IP?: number;

  @Transform(emptyToUndefined) @IsOptional() @IsString() ADMIN_PHONE?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsEmail() ADMIN_EMAIL?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(8) ADMIN_PASSWORD?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() ADMIN_NAME?: string;

  @Transform(toBool) @IsOptional() @IsBoolean() SEED_ON_FIRST_START?: boolean;

  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(65535) METRICS_PORT?: number;
  @Transform(emptyToUndefined) @IsOptional() @IsString() METRICS_HOST?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(16) METRICS_TOKEN?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString() FFMPEG_PATH?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() FFPROBE_PATH?: string;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(4096) MEDIA_MAX_UPLOAD_MB?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(5) @Max(7200) MEDIA_MAX_DURATION_SECONDS?: number;

  @Transform(toInt) @IsOptional() @IsInt() @Min(50) @Max(100) VIDEO_COMPLETION_PERCENT?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(5000) SYNC_MAX_EVENTS?: number;

  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(32) ISSUER_KEY_SECRET?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(120) ISSUER_NAME?: string;
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(100000) VERIFY_MAX_PER_MINUTE?: number;
  @Transform(toInt) @IsOptional() @IsInt() @Min(30) @Max(3600) CERTIFICATE_LINK_TTL_SECONDS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  SMS_GATEWAY_URL?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(8) SMS_GATEWAY_TOKEN?: string;
  @Transform(toBool) @IsOptional() @IsBoolean() SMS_UNICODE?: boolean;
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{87}$/)
  VAPID_PUBLIC_KEY?: string;
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/)
  VAPID_PRIVATE_KEY?: string;
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Matches(/^(mailto:|https:\/\/)\S+$/)
  VAPID_SUBJECT?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() PUSH_ENDPOINT_HOSTS?: string;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((message) =>
      // class-validator messages start with the property name; keep the variable name first either way.
      message.startsWith(e.property) ? `${message} (got "${String(e.value)}")` : `${e.property} ${message}`,
    ),
  );
}

/** Parses and validates the environment; throws ConfigValidationError naming every bad variable. */
export function validateEnvironment(env: Record<string, string | undefined>): EnvironmentVariables {
  const known = Object.fromEntries(
    ENVIRONMENT_VARIABLE_NAMES.map((key) => [key, env[key]]).filter(([, v]) => v !== undefined),
  );
  const parsed = plainToInstance(EnvironmentVariables, known);
  const errors = validateSync(parsed, { whitelist: true });
  if (errors.length > 0) throw new ConfigValidationError(describe(errors));
  return parsed;
}

/** The variable names, listed once so validation only reads what we declare. */
class EnvironmentVariablesKeys implements Record<keyof EnvironmentVariables, true> {
  NODE_ENV = true as const;
  PORT = true as const;
  HOST = true as const;
  DATA_DIR = true as const;
  PUBLIC_BASE_URL = true as const;
  CORS_ORIGINS = true as const;
  TRUST_PROXY = true as const;
  LOG_LEVEL = true as const;
  DATABASE_URL = true as const;
  RUN_MIGRATIONS = true as const;
  EMBEDDED_POSTGRES_PORT = true as const;
  DATABASE_POOL_MAX = true as const;
  DATABASE_STATEMENT_TIMEOUT_MS = true as const;
  DATABASE_WORKER_STATEMENT_TIMEOUT_MS = true as const;
  DATABASE_ACQUIRE_TIMEOUT_MS = true as const;
  REDIS_URL = true as const;
  QUEUE_PREFIX = true as const;
  QUEUE_TIMEOUT_MS = true as const;
  S3_ENDPOINT = true as const;
  S3_PUBLIC_URL = true as const;
  S3_ACCESS_KEY = true as const;
  S3_SECRET_KEY = true as const;
  S3_REGION = true as const;
  S3_BUCKET_PREFIX = true as const;
  EMBEDDED_S3_PORT = true as const;
  S3_TIMEOUT_MS = true as const;
  JWT_ACCESS_SECRET = true as const;
  JWT_ACCESS_TTL_SECONDS = true as const;
  REFRESH_TTL_SECONDS = true as const;
  COOKIE_SECRET = true as const;
  LOGIN_MAX_FAILURES_PER_ACCOUNT = true as const;
  LOGIN_MAX_ATTEMPTS_PER_IP = true as const;
  LOGIN_WINDOW_SECONDS = true as const;
  REGISTER_MAX_PER_IP = true as const;
  ADMIN_PHONE = true as const;
  ADMIN_EMAIL = true as const;
  ADMIN_PASSWORD = true as const;
  ADMIN_NAME = true as const;
  SEED_ON_FIRST_START = true as const;
  METRICS_PORT = true as const;
  METRICS_HOST = true as const;
  METRICS_TOKEN = true as const;
  FFMPEG_PATH = true as const;
  FFPROBE_PATH = true as const;
  MEDIA_MAX_UPLOAD_MB = true as const;
  MEDIA_MAX_DURATION_SECONDS = true as const;
  VIDEO_COMPLETION_PERCENT = true as const;
  SYNC_MAX_EVENTS = true as const;
  ISSUER_KEY_SECRET = true as const;
  ISSUER_NAME = true as const;
  VERIFY_MAX_PER_MINUTE = true as const;
  CERTIFICATE_LINK_TTL_SECONDS = true as const;
  SMS_GATEWAY_URL = true as const;
  SMS_GATEWAY_TOKEN = true as const;
  SMS_UNICODE = true as const;
  VAPID_PUBLIC_KEY = true as const;
  VAPID_PRIVATE_KEY = true as const;
  VAPID_SUBJECT = true as const;
  PUSH_ENDPOINT_HOSTS = true as const;
}

export const ENVIRONMENT_VARIABLE_NAMES = Object.keys(
  new EnvironmentVariablesKeys(),
) as (keyof EnvironmentVariables)[];

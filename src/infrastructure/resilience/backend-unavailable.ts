import { CommonErrorCode, DomainError } from '../errors/domain-error.js';

/** What a client is told to wait before retrying when a backend is down or too slow. */
export const RETRY_AFTER_SECONDS = 5;

export type Backend = 'database' | 'queue' | 'storage';

/**
 * A backing service did not answer in time or refused the connection: the request did not
 * happen (or may be retried safely: every write the platform acknowledges is idempotent or
 * refused twice). Always a 503 with Retry-After, never a 500.
 */
export class ServiceUnavailableError extends DomainError {
  constructor(
    readonly backend: Backend | 'unknown',
    override readonly cause?: unknown,
  ) {
    super(
      CommonErrorCode.ServiceUnavailable,
      'The service is busy or briefly unavailable. Nothing was lost: try again in a few seconds.',
      { retryAfterSeconds: RETRY_AFTER_SECONDS },
    );
  }
}

/** Fails with a 503 when `work` takes longer than `ms` (the work itself is left to finish or fail). */
export async function withDeadline<T>(work: Promise<T>, ms: number, backend: Backend): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ServiceUnavailableError(backend, new Error(`no answer within ${ms} ms`))),
          ms,
        );
      }),
    ]);
  } catch (error) {
    throw isBackendFailure(error) ? asUnavailable(error, backend) : error;
  } finally {
    clearTimeout(timer);
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'BANSO_DB_TIMEOUT',
  'BANSO_STORAGE_TIMEOUT',
]);

/**
 * SQLSTATEs that mean "not now" rather than "wrong": connection exceptions (08), shutdowns and
 * start-ups (57P01–57P03), too many connections, a cancelled statement (statement_timeout), a
 * lock not available, and the transaction conflicts a retry resolves.
 */
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[1-3]|53300|57014|55P03|40001|40P01)$/;

/** Messages pg, pg-pool and ioredis use for a connection that is gone or never came. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Query read timeout|Connection is closed|Stream isn't writeable|Reached the max retries per request|getaddrinfo|connect ECONNREFUSED|socket hang up/i;

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    chain.push(current);
    const e = current as { driverError?: unknown; cause?: unknown };
    current = e.driverError ?? e.cause;
  }
  return chain;
}

/** True when an error says a backend is unreachable, stalled or shedding load. */
export function isBackendFailure(error: unknown): boolean {
  if (error instanceof ServiceUnavailableError) return true;
  return causes(error).some((e) => {
    const { code, message, name } = (e ?? {}) as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code)))
      return true;
    if (name === 'MaxRetriesPerRequestError') return true;
    return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
  });
}

export function asUnavailable(
  error: unknown,
  backend: Backend | 'unknown' = 'unknown',
): ServiceUnavailableError {
  return error instanceof ServiceUnavailableError ? error : new ServiceUnavailableError(backend, error);
}

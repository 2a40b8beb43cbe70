import { STATUS_CODES } from 'node:http';
import { asUnavailable, isBackendFailure } from '../resilience/backend-unavailable.js';
import { CommonErrorCode, DomainError, httpStatusOf } from '../errors/domain-error.js';

/** The one error format every route answers with. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  requestId: string;
  details?: Record<string, unknown>;
}

interface HttpExceptionLike {
  getStatus(): number;
  getResponse(): string | { message?: string | string[]; code?: string; error?: string };
}

const isHttpException = (e: unknown): e is HttpExceptionLike =>
  typeof e === 'object' && e !== null && typeof (e as HttpExceptionLike).getStatus === 'function';

const FASTIFY_CODES: Record<string, CommonErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: CommonErrorCode.PayloadTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: CommonErrorCode.UnsupportedMediaType,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: CommonErrorCode.MalformedBody,
  FST_ERR_CTP_EMPTY_JSON_BODY: CommonErrorCode.MalformedBody,
  FST_ERR_CTP_INVALID_JSON_BODY: CommonErrorCode.MalformedBody,
  FST_CSRF_INVALID_TOKEN: CommonErrorCode.CsrfInvalid,
  FST_CSRF_MISSING_SECRET: CommonErrorCode.CsrfInvalid,
};

function codeForStatus(status: number): string {
  if (status === 400) return CommonErrorCode.ValidationFailed;
  if (status === 401) return CommonErrorCode.Unauthenticated;
  if (status === 403) return CommonErrorCode.Forbidden;
  if (status === 404) return CommonErrorCode.NotFound;
  if (status === 413) return CommonErrorCode.PayloadTooLarge;
  if (status === 415) return CommonErrorCode.UnsupportedMediaType;
  if (status === 429) return CommonErrorCode.RateLimited;
  if (status === 503) return CommonErrorCode.ServiceUnavailable;
  return status >= 500
    ? CommonErrorCode.Internal
    : (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/\W+/g, '_');
}

/**
 * Maps anything thrown to the error body. Unknown errors become a 500 with a generic message:
 * the caller logs the original with its request id, the client never sees a stack trace.
 */
export function toErrorBody(error: unknown, requestId: string): ErrorBody {
  // A stalled or unreachable database, queue or storage: "come back later", never a 500.
  if (!(error instanceof DomainError) && isBackendFailure(error)) error = asUnavailable(error);
  if (error instanceof DomainError) {
    return {
      statusCode: httpStatusOf(error.code),
      code: error.code,
      message: error.message,
      requestId,
      ...(error.details && { details: error.details }),
    };
  }
  if (isHttpException(error)) {
    const status = error.getStatus();
    const response = error.getResponse();
    const messages =
      typeof response === 'string' ? [response] : ([] as string[]).concat(response.message ?? []);
    // Nest wraps Fastify's own errors (bad JSON, CSRF, body too large) with the original as cause.
    const causeCode = (error as { cause?: { code?: string } }).cause?.code;
    const code =
      typeof response === 'object' && response.code
        ? response.code
        : ((causeCode && FASTIFY_CODES[causeCode]) ?? codeForStatus(status));
    return {
      statusCode: status,
      code,
      message: messages.length > 0 ? messages.join('; ') : (STATUS_CODES[status] ?? 'Error'),
      requestId,
      ...(status === 400 && messages.length > 1 && { details: { problems: messages } }),
    };
  }
  // Defence in depth: the database refuses changes to published course content (SQLSTATE BS001).
  const dbCode = (error as { driverError?: { code?: string } })?.driverError?.code;
  if (dbCode === 'BS001') {
    return {
      statusCode: 409,
      code: 'PUBLISHED_CONTENT_IMMUTABLE',
      message: 'Published content cannot change.',
      requestId,
    };
  }
  const fastify = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return {
      statusCode: fastify.statusCode,
      code: (fastify.code && FASTIFY_CODES[fastify.code]) ?? codeForStatus(fastify.statusCode),
      message: fastify.message ?? STATUS_CODES[fastify.statusCode] ?? 'Bad request',
      requestId,
    };
  }
  return {
    statusCode: 500,
    code: CommonErrorCode.Internal,
    message: 'Something went wrong on our side.',
    requestId,
  };
}

/**
 * A rate-limited answer says when to come back: every error carrying `details.retryAfterSeconds`
 * gets the Retry-After header, from the global filter and from pages that render their own errors.
 */
export function setRetryAfter(
  reply: { header(name: string, value: string): unknown },
  details?: Record<string, unknown>,
) {
  const seconds = details?.retryAfterSeconds;
  if (typeof seconds === 'number' && seconds > 0) reply.header('retry-after', String(Math.ceil(seconds)));
}

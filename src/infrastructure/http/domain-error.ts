/**
 * Base of every domain's exception. Each domain subclasses it with its own code enum; the global
 * filter turns it into `{ statusCode, code, message, requestId }`.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Codes shared by every route (validation, auth, not found). Domains add their own. */
export enum CommonErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  RateLimited = 'RATE_LIMITED',
  CsrfInvalid = 'CSRF_INVALID',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  MalformedBody = 'MALFORMED_BODY',
  Internal = 'INTERNAL_ERROR',
}

export class CommonError extends DomainError {
  static notFound(what: string) {
    return new CommonError(CommonErrorCode.NotFound, `${what} was not found.`, 404);
  }
  static forbidden(message = 'You do not have permission to do this.') {
    return new CommonError(CommonErrorCode.Forbidden, message, 403);
  }
  static unauthenticated(message = 'Sign in first: the access token is missing, invalid or expired.') {
    return new CommonError(CommonErrorCode.Unauthenticated, message, 401);
  }
}

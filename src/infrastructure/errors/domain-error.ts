/**
 * Base of every domain's exception: a stable machine-readable code, a message for developers and
 * optional details. It says what went wrong, not how a transport reports it: each module exports
 * its code → HTTP status table (`errorStatuses`), which the JSON filter and the portal's pages
 * both read through `httpStatusOf`.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

const STATUSES = new Map<string, number>();

/**
 * Declares the HTTP status of each code of a module (`satisfies Record<Code, number>` keeps it
 * complete). Declared where the codes are, so a code is known as soon as its error class is.
 */
export function errorStatuses<T extends Record<string, number>>(table: T): T {
  for (const [code, status] of Object.entries(table)) {
    const known = STATUSES.get(code);
    if (known !== undefined && known !== status)
      throw new Error(`Error code ${code} is declared with two statuses (${known}, ${status})`);
    STATUSES.set(code, status);
  }
  return table;
}

/** The HTTP status of a domain error's code; an undeclared code is a bug, answered as a 500. */
export const httpStatusOf = (code: string): number => STATUSES.get(code) ?? 500;

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
  MalformedUrl = 'MALFORMED_URL',
  BodyTooDeep = 'BODY_TOO_DEEP',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL_ERROR',
}

export const COMMON_ERROR_STATUS = errorStatuses({
  [CommonErrorCode.ValidationFailed]: 400,
  [CommonErrorCode.Unauthenticated]: 401,
  [CommonErrorCode.Forbidden]: 403,
  [CommonErrorCode.NotFound]: 404,
  [CommonErrorCode.RateLimited]: 429,
  [CommonErrorCode.CsrfInvalid]: 403,
  [CommonErrorCode.PayloadTooLarge]: 413,
  [CommonErrorCode.UnsupportedMediaType]: 415,
  [CommonErrorCode.MalformedBody]: 400,
  [CommonErrorCode.MalformedUrl]: 400,
  [CommonErrorCode.BodyTooDeep]: 400,
  [CommonErrorCode.ServiceUnavailable]: 503,
  [CommonErrorCode.Internal]: 500,
} satisfies Record<CommonErrorCode, number>);

export class CommonError extends DomainError {
  static notFound(what: string) {
    return new CommonError(CommonErrorCode.NotFound, `${what} was not found.`);
  }
  static forbidden(message = 'You do not have permission to do this.') {
    return new CommonError(CommonErrorCode.Forbidden, message);
  }
  /** A field's value breaks a rule only the service can check (the same shape as the pipe's). */
  static invalidField(field: string, message: string, problem = 'invalid') {
    return new CommonError(CommonErrorCode.ValidationFailed, message, {
      fields: [{ field, problems: [problem], messages: [message] }],
    });
  }
  static unauthenticated(message = 'Sign in first: the access token is missing, invalid or expired.') {
    return new CommonError(CommonErrorCode.Unauthenticated, message);
  }
}

import { DomainError } from '../../infrastructure/http/domain-error.js';

export enum IdentityErrorCode {
  AccountExists = 'IDENTITY_ACCOUNT_EXISTS',
  InvalidCredentials = 'IDENTITY_INVALID_CREDENTIALS',
  InvalidPhone = 'IDENTITY_INVALID_PHONE',
  IdentifierRequired = 'IDENTITY_IDENTIFIER_REQUIRED',
  WeakPassword = 'IDENTITY_WEAK_PASSWORD',
  InvalidRefreshToken = 'IDENTITY_INVALID_REFRESH_TOKEN',
  LoginRateLimited = 'IDENTITY_LOGIN_RATE_LIMITED',
  AccountDisabled = 'IDENTITY_ACCOUNT_DISABLED',
  InvalidRoleGrant = 'IDENTITY_INVALID_ROLE_GRANT',
  LastAdmin = 'IDENTITY_LAST_ADMIN',
  UnknownLearnerGroup = 'IDENTITY_UNKNOWN_LEARNER_GROUP',
  InvalidVillage = 'IDENTITY_INVALID_VILLAGE',
  UserNotFound = 'IDENTITY_USER_NOT_FOUND',
}

export class IdentityError extends DomainError {
  static invalidCredentials() {
    return new IdentityError(
      IdentityErrorCode.InvalidCredentials,
      'The phone number, email or password is not right.',
      401,
    );
  }
  static rateLimited(retryAfterSeconds: number) {
    return new IdentityError(
      IdentityErrorCode.LoginRateLimited,
      `Too many sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
      429,
      { retryAfterSeconds },
    );
  }
  static invalidRefreshToken() {
    return new IdentityError(
      IdentityErrorCode.InvalidRefreshToken,
      'The session has ended. Sign in again.',
      401,
    );
  }
  static userNotFound() {
    return new IdentityError(IdentityErrorCode.UserNotFound, 'The user was not found.', 404);
  }
}

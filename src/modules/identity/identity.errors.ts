import { DomainError, errorStatuses } from '../../infrastructure/errors/domain-error.js';

export enum IdentityErrorCode {
  AccountExists = 'IDENTITY_ACCOUNT_EXISTS',
  InvalidCredentials = 'IDENTITY_INVALID_CREDENTIALS',
  InvalidPhone = 'IDENTITY_INVALID_PHONE',
  IdentifierRequired = 'IDENTITY_IDENTIFIER_REQUIRED',
  WeakPassword = 'IDENTITY_WEAK_PASSWORD',
  InvalidRefreshToken = 'IDENTITY_INVALID_REFRESH_TOKEN',
  LoginRateLimited = 'IDENTITY_LOGIN_RATE_LIMITED',
  RegisterRateLimited = 'IDENTITY_REGISTER_RATE_LIMITED',
  AccountDisabled = 'IDENTITY_ACCOUNT_DISABLED',
  InvalidRoleGrant = 'IDENTITY_INVALID_ROLE_GRANT',
  LastAdmin = 'IDENTITY_LAST_ADMIN',
  UnknownLearnerGroup = 'IDENTITY_UNKNOWN_LEARNER_GROUP',
  InvalidVillage = 'IDENTITY_INVALID_VILLAGE',
  UserNotFound = 'IDENTITY_USER_NOT_FOUND',
  /** Removing a role (with its locality) the user does not have. */
  RoleNotHeld = 'IDENTITY_ROLE_NOT_HELD',
  /** The invitation code is wrong, used or expired, or the account has a password already. */
  InvitationInvalid = 'IDENTITY_INVITATION_INVALID',
  /** A new invitation for an account whose owner already set a password. */
  AlreadyActivated = 'IDENTITY_ALREADY_ACTIVATED',
  /** A recovery code for an account waiting for its invitation (reissue the invitation instead). */
  NotActivated = 'IDENTITY_NOT_ACTIVATED',
  /** The recovery code is wrong, used, expired, replaced or out of tries. */
  RecoveryInvalid = 'IDENTITY_RECOVERY_INVALID',
  /** A recovery code for one's own account, or by a non-admin for an account with staff rights. */
  RecoveryNotAllowed = 'IDENTITY_RECOVERY_NOT_ALLOWED',
  RecoveryRateLimited = 'IDENTITY_RECOVERY_RATE_LIMITED',
  /** No SMS gateway is configured: codes come from an ambassador, a coordinator or an admin. */
  RecoverySmsUnavailable = 'IDENTITY_RECOVERY_SMS_UNAVAILABLE',
}

/** The HTTP status of each code (read by the JSON filter and the portal's pages). */
export const IDENTITY_ERROR_STATUS = errorStatuses({
  [IdentityErrorCode.AccountDisabled]: 403,
  [IdentityErrorCode.AccountExists]: 409,
  [IdentityErrorCode.IdentifierRequired]: 400,
  [IdentityErrorCode.InvalidCredentials]: 401,
  [IdentityErrorCode.InvalidPhone]: 400,
  [IdentityErrorCode.InvalidRefreshToken]: 401,
  [IdentityErrorCode.InvalidRoleGrant]: 400,
  [IdentityErrorCode.InvalidVillage]: 400,
  [IdentityErrorCode.LastAdmin]: 409,
  [IdentityErrorCode.LoginRateLimited]: 429,
  [IdentityErrorCode.RegisterRateLimited]: 429,
  [IdentityErrorCode.UnknownLearnerGroup]: 400,
  [IdentityErrorCode.UserNotFound]: 404,
  [IdentityErrorCode.RoleNotHeld]: 404,
  [IdentityErrorCode.WeakPassword]: 400,
  [IdentityErrorCode.InvitationInvalid]: 401,
  [IdentityErrorCode.AlreadyActivated]: 409,
  [IdentityErrorCode.NotActivated]: 409,
  [IdentityErrorCode.RecoveryInvalid]: 401,
  [IdentityErrorCode.RecoveryNotAllowed]: 403,
  [IdentityErrorCode.RecoveryRateLimited]: 429,
  [IdentityErrorCode.RecoverySmsUnavailable]: 409,
} satisfies Record<IdentityErrorCode, number>);

export class IdentityError extends DomainError {
  static invalidCredentials() {
    return new IdentityError(
      IdentityErrorCode.InvalidCredentials,
      'The phone number, email or password is not right.',
    );
  }
  static rateLimited(retryAfterSeconds: number) {
    return new IdentityError(
      IdentityErrorCode.LoginRateLimited,
      `Too many sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
      { retryAfterSeconds },
    );
  }
  static registrationLimited(retryAfterSeconds: number) {
    return new IdentityError(
      IdentityErrorCode.RegisterRateLimited,
      `Too many sign-ups from here or for this number. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
      { retryAfterSeconds },
    );
  }
  static invalidRefreshToken() {
    return new IdentityError(IdentityErrorCode.InvalidRefreshToken, 'The session has ended. Sign in again.');
  }
  static userNotFound() {
    return new IdentityError(IdentityErrorCode.UserNotFound, 'The user was not found.');
  }
}

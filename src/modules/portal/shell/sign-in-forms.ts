import type { AppConfig } from '../../../infrastructure/config/app-config.js';
import type { DomainError } from '../../../infrastructure/errors/domain-error.js';
import { IdentityErrorCode } from '../../identity/identity.errors.js';
import type { PortalPage, Refusal } from './portal-view.js';

/** The portal's session cookie, set by every form that signs someone in. */
export const sessionCookie = (config: AppConfig) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: config.auth.secureCookies,
  maxAge: config.auth.refreshTtlSeconds,
});

/** "Too many tries: wait N minutes", from a rate-limit refusal's Retry-After. */
export const rateLimitedText = (page: PortalPage, error: DomainError) =>
  page.t('login.rateLimited', {
    minutes: Math.ceil(Number(error.details?.retryAfterSeconds ?? 60) / 60),
  });

/**
 * What a form that signs in with a one-time code (an invitation, a recovery) says when refused:
 * the wait, a weak password or a disabled account in their own words, anything else one sentence
 * (`failedKey`) that tells nothing about whether the account exists.
 */
export function codeFormRefusal(page: PortalPage, { error, message }: Refusal, failedKey: string): string {
  if (error.code === IdentityErrorCode.LoginRateLimited) return rateLimitedText(page, error);
  if (error.code === IdentityErrorCode.WeakPassword || error.code === IdentityErrorCode.AccountDisabled)
    return message;
  return page.t(failedKey);
}

import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { RateLimiter } from '../../infrastructure/rate-limit/rate-limiter.js';
import { AccountRecoveryService } from './account-recovery.service.js';
import { AuthSessionRepository } from './auth-session.repository.js';
import type { RegisterDto } from './dto/auth.dto.js';
import type { UserEntity } from './entities/user.entity.js';
import { IdentityError, IdentityErrorCode } from './identity.errors.js';
import { normalizeInvitationCode } from './invitation-code.js';
import { dummyPasswordHash, verifyPassword } from './password-hasher.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import {
  formatSessionToken,
  hashSecret,
  newSessionSecret,
  parseSessionToken,
  sameHash,
  TokenService,
} from './token.service.js';
import { UsersService } from './users.service.js';

export interface ClientContext {
  ip: string;
  userAgent?: string;
}

export interface IssuedSession {
  user: UserEntity;
  sessionId: string;
  /** `<sessionId>.<secret>`: the refresh token (API) or the cookie value (portal). */
  sessionToken: string;
}

/** The one counter of password checks per account (sign-in and password change share it). */
const accountKey = (who: { phone: string | null; email: string | null } | string) =>
  `login-failures:${typeof who === 'string' ? who.toLowerCase() : identifierKey(who)}`;
const identifierKey = (who: { phone: string | null; email: string | null }) => who.phone ?? who.email ?? '';

/** A lost refresh response on a weak network may be retried with the old token this long. */
const ROTATION_GRACE_MS = 60_000;

@Injectable()
export class AuthService {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(AuthSessionRepository) private readonly sessions: AuthSessionRepository,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(RateLimiter) private readonly rateLimiter: RateLimiter,
    @Inject(AccountRecoveryService) private readonly recovery: AccountRecoveryService,
  ) {}

  /**
   * Self-registration always yields a learner; roles are only ever granted by an admin. Each
   * registration costs a password hash, so attempts are limited per client address and per
   * identifier before any hashing. A number that already has an account is answered 409 "sign in
   * instead": with no SMS channel there is no private way to tell its owner, so registration does
   * reveal that a number is registered (nothing else: no id, no name) — at the pace the limits
   * allow (docs/security.md).
   */
  async register(
    dto: RegisterDto,
    client: ClientContext,
    kind: 'api' | 'portal' = 'api',
  ): Promise<IssuedSession> {
    const { registerMaxPerIp, loginMaxFailuresPerAccount, loginWindowSeconds } = this.config.auth;
    const identifier = this.users.parseIdentifiers(dto);
    await this.limit(`register-ip:${client.ip}`, registerMaxPerIp, loginWindowSeconds, true);
    await this.limit(
      `register-id:${identifierKey(identifier)}`,
      loginMaxFailuresPerAccount,
      loginWindowSeconds,
      true,
    );
    this.users.assertPasswordAcceptable(dto.password, identifier);
    const profile = await this.users.validateProfile({
      learnerGroupId: dto.learnerGroupId,
      villageId: dto.villageId,
      languages: dto.languages ?? ['vi'],
    });
    const user = await this.users.createUser(
      { ...identifier, displayName: dto.displayName, password: dto.password },
      profile,
      [{ role: 'learner', localityId: null }],
    );
    return this.startSession(user, kind, client);
  }

  /**
   * Limits: every attempt counts against the client's address; every password check counts
   * against the account *before* the hash is checked (one atomic increment), so parallel
   * requests cannot check more passwords than the limit. A success clears the account's count.
   */
  async login(identifierInput: string, password: string, kind: 'api' | 'portal', client: ClientContext) {
    const identifier = this.users.parseLoginIdentifier(identifierInput);
    const account = accountKey(identifier.phone || identifier.email ? identifier : identifierInput);
    await this.reserveCredentialCheck(account, client);

    const user = identifier.phone || identifier.email ? await this.users.findByIdentifier(identifier) : null;
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !ok) throw IdentityError.invalidCredentials();
    if (user.disabledAt) {
      throw new IdentityError(IdentityErrorCode.AccountDisabled, 'This account has been disabled.');
    }
    await this.rateLimiter.reset(account);
    return this.startSession(user, kind, client);
  }

  /**
   * Sets the password of an account made by staff with its one-time invitation code, then signs
   * in. Limited like sign-in (each attempt counts against the address and the account before the
   * code is checked), and every refusal is the same answer: nobody learns whether the number has
   * an account or the code was close.
   */
  async acceptInvitation(
    identifierInput: string,
    codeInput: string,
    password: string,
    kind: 'api' | 'portal',
    client: ClientContext,
  ): Promise<IssuedSession> {
    const identifier = this.users.parseLoginIdentifier(identifierInput);
    const known = !!(identifier.phone || identifier.email);
    const account = accountKey(known ? identifier : identifierInput);
    await this.reserveCredentialCheck(account, client);
    if (known) this.users.assertPasswordAcceptable(password, identifier);
    const code = normalizeInvitationCode(codeInput);
    const user = known && code ? await this.users.findByIdentifier(identifier) : null;
    // A password's worth of hashing either way: the time taken does not tell whether the account exists.
    if (!user || !code || user.activatedAt) await verifyPassword(await dummyPasswordHash(), password);
    if (!user || !code || user.activatedAt || !(await this.users.acceptInvitation(user, code, password))) {
      throw new IdentityError(
        IdentityErrorCode.InvitationInvalid,
        'This code does not open an account for this phone number or email, or it has expired.',
      );
    }
    if (user.disabledAt) {
      throw new IdentityError(IdentityErrorCode.AccountDisabled, 'This account has been disabled.');
    }
    await this.rateLimiter.reset(account);
    return this.startSession(await this.users.get(user.id), kind, client);
  }

  /**
   * Sets a new password with a recovery code (AccountRecoveryService), ends every other session
   * and signs in. Tries are limited per address (with sign-in) and per account (a budget of its
   * own: someone locked out by failed sign-ins must still be able to recover); every refusal is
   * the same answer, and a password's worth of hashing is spent either way.
   */
  async recoverAccount(
    identifierInput: string,
    codeInput: string,
    password: string,
    kind: 'api' | 'portal',
    client: ClientContext,
  ): Promise<IssuedSession> {
    const identifier = this.users.parseLoginIdentifier(identifierInput);
    const known = !!(identifier.phone || identifier.email);
    const account = `recovery-${accountKey(known ? identifier : identifierInput)}`;
    await this.reserveCredentialCheck(account, client);
    if (known) this.users.assertPasswordAcceptable(password, identifier);
    const user = known ? await this.users.findByIdentifier(identifier) : null;
    if (!user || !(await this.recovery.recover(user, codeInput, password))) {
      throw new IdentityError(
        IdentityErrorCode.RecoveryInvalid,
        'This code does not open an account for this phone number or email: it is wrong, used or expired.',
      );
    }
    await this.rateLimiter.reset(account);
    await this.rateLimiter.reset(accountKey(user));
    return this.startSession(await this.users.get(user.id), kind, client);
  }

  /**
   * Changing the password checks the current one: it shares the account's budget of password
   * checks with sign-in (a stolen session cannot guess its way to the password either).
   */
  async changePassword(principal: Principal, current: string, next: string, client: ClientContext) {
    const user = await this.users.get(principal.userId);
    const account = accountKey(user);
    await this.reserveCredentialCheck(account, client);
    await this.users.changePassword(user.id, principal.sessionId, current, next);
    await this.rateLimiter.reset(account);
  }

  private async reserveCredentialCheck(account: string, client: ClientContext): Promise<void> {
    const { loginMaxAttemptsPerIp, loginMaxFailuresPerAccount, loginWindowSeconds } = this.config.auth;
    await this.limit(`login-ip:${client.ip}`, loginMaxAttemptsPerIp, loginWindowSeconds);
    await this.limit(account, loginMaxFailuresPerAccount, loginWindowSeconds);
  }

  /** Counts one attempt against a key; over the limit, a 429 with Retry-After. */
  private async limit(key: string, limit: number, windowSeconds: number, registering = false) {
    const state = await this.rateLimiter.hit(key, limit, windowSeconds);
    if (!state.limited) return;
    throw registering
      ? IdentityError.registrationLimited(state.retryAfterSeconds)
      : IdentityError.rateLimited(state.retryAfterSeconds);
  }

  private async startSession(
    user: UserEntity,
    kind: 'api' | 'portal',
    client: ClientContext,
  ): Promise<IssuedSession> {
    const sessionId = randomUUID();
    const secret = newSessionSecret();
    const now = new Date();
    await this.sessions.create({
      id: sessionId,
      userId: user.id,
      kind,
      tokenHash: hashSecret(secret),
      expiresAt: new Date(now.getTime() + this.config.auth.refreshTtlSeconds * 1000),
      userAgent: client.userAgent?.slice(0, 300) ?? null,
      lastUsedAt: now,
    });
    return { user, sessionId, sessionToken: formatSessionToken(sessionId, secret) };
  }

  accessTokenFor(session: IssuedSession) {
    return this.tokens.signAccessToken(session.user.id, session.sessionId);
  }

  /**
   * Rotates the refresh token. Presenting a token that was already rotated away (outside a short
   * grace for lost responses) means it leaked: the whole session is revoked.
   */
  async refresh(refreshToken: string): Promise<IssuedSession> {
    const parsed = parseSessionToken(refreshToken);
    if (!parsed) throw IdentityError.invalidRefreshToken();
    const session = await this.sessions.findById(parsed.sessionId);
    if (!session || session.kind !== 'api' || session.revokedAt || session.expiresAt <= new Date()) {
      throw IdentityError.invalidRefreshToken();
    }
    const presented = hashSecret(parsed.secret);
    const current = sameHash(session.tokenHash, presented);
    const withinGrace =
      sameHash(session.previousTokenHash, presented) &&
      !!session.rotatedAt &&
      Date.now() - session.rotatedAt.getTime() < ROTATION_GRACE_MS;
    if (!current && !withinGrace) {
      await this.sessions.revoke(session.id, 'refresh_token_reuse');
      throw IdentityError.invalidRefreshToken();
    }
    const secret = newSessionSecret();
    const expiresAt = new Date(Date.now() + this.config.auth.refreshTtlSeconds * 1000);
    if (!(await this.sessions.rotate(session.id, session.tokenHash, hashSecret(secret), expiresAt))) {
      throw IdentityError.invalidRefreshToken();
    }
    const user = await this.users.get(session.userId);
    if (user.disabledAt) throw IdentityError.invalidRefreshToken();
    return { user, sessionId: session.id, sessionToken: formatSessionToken(session.id, secret) };
  }

  /** Ends a session given its token (refresh token or cookie); unknown tokens are ignored. */
  async endSessionByToken(token: string, reason = 'logout'): Promise<void> {
    const parsed = parseSessionToken(token);
    if (!parsed) return;
    const session = await this.sessions.findById(parsed.sessionId);
    if (session && sameHash(session.tokenHash, hashSecret(parsed.secret)))
      await this.sessions.revoke(session.id, reason);
  }

  async endSession(sessionId: string, reason = 'logout'): Promise<void> {
    await this.sessions.revoke(sessionId, reason);
  }

  /** Bearer JWT → principal, or null (the guard answers 401). */
  async authenticateBearer(token: string): Promise<Principal | null> {
    const claims = await this.tokens.verifyAccessToken(token);
    if (!claims) return null;
    const session = await this.sessions.findActive(claims.sessionId);
    if (!session || session.userId !== claims.userId) return null;
    return { userId: session.userId, sessionId: session.sessionId, via: 'bearer', roles: session.roles };
  }

  /** Portal cookie → principal, or null. */
  async authenticateCookie(cookie: string): Promise<Principal | null> {
    const parsed = parseSessionToken(cookie);
    if (!parsed) return null;
    const active = await this.sessions.findActive(parsed.sessionId);
    if (!active || active.kind !== 'portal' || !sameHash(active.tokenHash, hashSecret(parsed.secret)))
      return null;
    return { userId: active.userId, sessionId: active.sessionId, via: 'cookie', roles: active.roles };
  }

  async purgeEndedSessions(): Promise<number> {
    return this.sessions.purgeEnded(7);
  }
}

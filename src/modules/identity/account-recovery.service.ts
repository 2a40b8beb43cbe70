import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { hasRole, type Principal } from '../../infrastructure/auth/roles.js';
import { CommonError } from '../../infrastructure/errors/domain-error.js';
import { isUiLocale, translate } from '../../infrastructure/i18n/messages.js';
import { RateLimiter } from '../../infrastructure/rate-limit/rate-limiter.js';
import { SMS_GATEWAY, type SmsGateway } from '../../infrastructure/sms/sms-gateway.js';
import { smsText } from '../../infrastructure/sms/sms-text.js';
import { AreaScope } from '../geography/area-scope.service.js';
import { GeographyService } from '../geography/geography.service.js';
import type { UserEntity } from './entities/user.entity.js';
import { IdentityError, IdentityErrorCode } from './identity.errors.js';
import { hashPassword } from './password-hasher.js';
import {
  newRecoveryCode,
  normalizeRecoveryCode,
  RECOVERY_MAX_TRIES,
  RECOVERY_MINUTES,
  recoveryCodeHash,
} from './recovery-code.js';
import { UserRepository } from './user.repository.js';
import { UsersService } from './users.service.js';
import { VillageAmbassadors } from './village-ambassadors.js';

/** Codes one person may issue per hour (an ambassador helping a whole village on market day). */
export const RECOVERY_CODES_PER_ISSUER_HOUR = 20;
/** Codes one account may be given per hour in person, and texts one number may be sent per hour. */
export const RECOVERY_CODES_PER_ACCOUNT_HOUR = 3;
/** SMS code requests from one address per hour (a shared phone, a commune office). */
const SMS_REQUESTS_PER_ADDRESS_HOUR = 10;
const HOUR = 3600;

export interface IssuedRecoveryCode {
  user: UserEntity;
  code: string;
  expiresAt: Date;
}

/**
 * Getting back into an account whose password is forgotten. Someone the learner can turn to in
 * person issues a one-time code and reads it out: a certified ambassador of the learner's village,
 * a coordinator whose area holds it, or an admin (the only way back for staff accounts). Or, where
 * an SMS gateway is configured, a learner asks for the code by text. The code (six digits) works
 * once, for RECOVERY_MINUTES, survives RECOVERY_MAX_TRIES wrong tries, and a newer one replaces it;
 * using it sets a new password and ends every session. Each code's row (who issued it for whom,
 * when, by which channel, when it was used) is the audit; every step is rate-limited.
 */
@Injectable()
export class AccountRecoveryService {
  private readonly log = new Logger(AccountRecoveryService.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(UserRepository) private readonly repo: UserRepository,
    @Inject(AreaScope) private readonly scope: AreaScope,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(RateLimiter) private readonly rateLimiter: RateLimiter,
    @Inject(SMS_GATEWAY) private readonly sms: SmsGateway,
    @Optional() @Inject(VillageAmbassadors) private readonly ambassadors?: VillageAmbassadors,
  ) {}

  /** Whether learners may ask for a code by SMS here. */
  get smsAvailable(): boolean {
    return this.sms.configured;
  }

  /** Whether `who` may issue recovery codes at all (an admin, a coordinator, a certified ambassador). */
  async mayIssue(who: Principal): Promise<boolean> {
    if (hasRole(who, 'admin') || hasRole(who, 'coordinator')) return true;
    return ((await this.ambassadors?.villagesOf(who.userId)) ?? []).length > 0;
  }

  /**
   * A code for the account of `identifier` (phone or email), issued by `who`. Accounts outside the
   * issuer's reach are "not found", like accounts that do not exist; an account with more than a
   * learner's rights (or the issuer's own) is refused even inside it.
   */
  async issue(who: Principal, identifier: string): Promise<IssuedRecoveryCode> {
    const isAdmin = hasRole(who, 'admin');
    const ambassadorOf = isAdmin ? [] : ((await this.ambassadors?.villagesOf(who.userId)) ?? []);
    if (!isAdmin && !hasRole(who, 'coordinator') && ambassadorOf.length === 0) {
      throw CommonError.forbidden(
        'Recovery codes are issued by an ambassador of the village, a coordinator of the area or an admin.',
      );
    }
    const parsed = this.users.parseLoginIdentifier(identifier);
    const user = parsed.phone || parsed.email ? await this.users.findByIdentifier(parsed) : null;
    if (!user || !(isAdmin || (await this.reaches(who, ambassadorOf, user)))) {
      throw IdentityError.userNotFound();
    }
    if (user.id === who.userId) {
      throw new IdentityError(
        IdentityErrorCode.RecoveryNotAllowed,
        'You cannot issue a recovery code for your own account: change your password in your profile.',
      );
    }
    if (!isAdmin && !isLearnerOnly(user)) {
      throw new IdentityError(
        IdentityErrorCode.RecoveryNotAllowed,
        'This account has staff rights: only an admin can help it recover.',
      );
    }
    this.assertRecoverable(user);
    await this.limit(`recovery-issuer:${who.userId}`, RECOVERY_CODES_PER_ISSUER_HOUR);
    await this.limit(`recovery-account:${user.id}`, RECOVERY_CODES_PER_ACCOUNT_HOUR);
    const code = newRecoveryCode();
    const expiresAt = this.expiry();
    await this.repo.issueRecoveryCode(user.id, {
      codeHash: recoveryCodeHash(user.id, code),
      issuedBy: who.userId,
      channel: 'staff',
      expiresAt,
    });
    return { user, code, expiresAt };
  }

  /**
   * Texts a code to a learner's phone. The answer is the same whether the number has an account
   * or not (and the text leaves after the answer), so it tells nobody who is registered; staff
   * accounts get no text (they recover through an admin).
   */
  async requestBySms(phoneInput: string, ip: string): Promise<{ expiresInMinutes: number }> {
    if (!this.sms.configured) {
      throw new IdentityError(
        IdentityErrorCode.RecoverySmsUnavailable,
        'Codes by SMS are not available here: ask an ambassador of your village or a coordinator for a code.',
      );
    }
    const phone = this.users.parseIdentifiers({ phone: phoneInput }).phone!;
    await this.limit(`recovery-sms-ip:${ip}`, SMS_REQUESTS_PER_ADDRESS_HOUR);
    await this.limit(`recovery-sms:${phone}`, RECOVERY_CODES_PER_ACCOUNT_HOUR);
    const user = await this.users.findByIdentifier({ phone, email: null });
    // Issued and texted after the answer, so its time does not tell either.
    if (user && isLearnerOnly(user) && user.activatedAt && !user.disabledAt) {
      setImmediate(() => void this.text(user, phone));
    }
    return { expiresInMinutes: RECOVERY_MINUTES };
  }

  /**
   * Sets a new password with a recovery code and ends every session of the account (the caller
   * then signs in afresh). False when the code does not open this account: wrong, used, expired,
   * replaced, out of tries, or the account was disabled meanwhile.
   */
  async recover(user: UserEntity | null, codeInput: string, password: string): Promise<boolean> {
    const code = normalizeRecoveryCode(codeInput);
    const passwordHash = await hashPassword(password);
    if (!user || !code) return false;
    return this.repo.recoverWithCode(
      user.id,
      recoveryCodeHash(user.id, code),
      passwordHash,
      RECOVERY_MAX_TRIES,
    );
  }

  /** A coordinator reaches the villages of their area; an ambassador their certificates' villages. */
  private async reaches(who: Principal, ambassadorOf: string[], user: UserEntity): Promise<boolean> {
    if (!user.villageId) return false;
    if (ambassadorOf.includes(user.villageId)) return true;
    if (!hasRole(who, 'coordinator')) return false;
    const village = await this.geography.findOfLevel(user.villageId, ['village']);
    return !!village && (await this.scope.covers(who, village.path));
  }

  private assertRecoverable(user: UserEntity) {
    if (user.disabledAt) {
      throw new IdentityError(IdentityErrorCode.AccountDisabled, 'This account has been disabled.');
    }
    if (!user.activatedAt) {
      throw new IdentityError(
        IdentityErrorCode.NotActivated,
        'This account has not been opened yet: give its owner a new invitation code instead.',
      );
    }
  }

  /** Issues an SMS code and texts it; a failure is logged (the learner asks again). */
  private async text(user: UserEntity, phone: string) {
    const code = newRecoveryCode();
    const unicode = this.config.notifications.sms?.unicode ?? false;
    const text = smsText(
      translate(user.languages.find(isUiLocale) ?? 'vi', 'recovery.sms', {
        code,
        minutes: RECOVERY_MINUTES,
      }),
      unicode,
    );
    try {
      await this.repo.issueRecoveryCode(user.id, {
        codeHash: recoveryCodeHash(user.id, code),
        issuedBy: null,
        channel: 'sms',
        expiresAt: this.expiry(),
      });
      await this.sms.send(phone, text, unicode ? 'ucs2' : 'gsm7');
    } catch (e) {
      this.log.warn(`recovery SMS for ${user.id} not sent: ${(e as Error).message}`);
    }
  }

  private expiry() {
    return new Date(Date.now() + RECOVERY_MINUTES * 60_000);
  }

  private async limit(key: string, max: number) {
    const state = await this.rateLimiter.hit(key, max, HOUR);
    if (!state.limited) return;
    throw new IdentityError(
      IdentityErrorCode.RecoveryRateLimited,
      `Too many recovery codes. Try again in ${Math.ceil(state.retryAfterSeconds / 60)} minute(s).`,
      { retryAfterSeconds: state.retryAfterSeconds },
    );
  }
}

const isLearnerOnly = (user: UserEntity) => (user.roles ?? []).every((r) => r.role === 'learner');

import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { isUniqueViolation } from '../../infrastructure/database/pg-errors.js';
import { normalizeFallbackChain } from '../../infrastructure/i18n/locales.js';
import { LearnerGroupsService } from '../catalog/learner-groups.service.js';
import { GeographyService } from '../geography/geography.service.js';
import type { RoleGrantDto, UpdateProfileDto } from './dto/auth.dto.js';
import type { UserEntity } from './entities/user.entity.js';
import { IdentityError, IdentityErrorCode } from './identity.errors.js';
import { hashPassword, verifyPassword } from './password-hasher.js';
import { invitationCodeHash } from './invitation-code.js';
import { checkPassword, PASSWORD_MESSAGES } from './password-policy.js';
import { normalizeEmail, normalizeVietnamesePhone } from './phone-number.js';
import type { Role, RoleGrant } from '../../infrastructure/auth/roles.js';
import {
  UserRepository,
  type InvitationCode,
  type ProfilePatch,
  type UserContact,
} from './user.repository.js';

export interface Identifier {
  phone: string | null;
  email: string | null;
}

@Injectable()
export class UsersService {
  constructor(
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(LearnerGroupsService) private readonly learnerGroups: LearnerGroupsService,
    @Inject(GeographyService) private readonly geography: GeographyService,
  ) {}

  /** Phone or email (or both), normalised; a bad phone is a clear 400. */
  parseIdentifiers(input: { phone?: string; email?: string }): Identifier {
    const phone = input.phone ? normalizeVietnamesePhone(input.phone) : null;
    if (input.phone && !phone) {
      throw new IdentityError(
        IdentityErrorCode.InvalidPhone,
        'The phone number is not a Vietnamese mobile number (e.g. 0912 345 678).',
      );
    }
    const email = input.email ? normalizeEmail(input.email) : null;
    if (!phone && !email) {
      throw new IdentityError(IdentityErrorCode.IdentifierRequired, 'Give a phone number or an email.');
    }
    return { phone, email };
  }

  /** One login box takes a phone number in any spelling or an email. */
  parseLoginIdentifier(raw: string): Identifier {
    if (raw.includes('@')) return { phone: null, email: normalizeEmail(raw) };
    return { phone: normalizeVietnamesePhone(raw), email: null };
  }

  assertPasswordAcceptable(password: string, identifier: Identifier): void {
    const problem = checkPassword(
      password,
      [identifier.phone, identifier.email].filter((v): v is string => !!v),
    );
    if (problem) {
      throw new IdentityError(IdentityErrorCode.WeakPassword, PASSWORD_MESSAGES[problem], {
        reason: problem,
      });
    }
  }

  /** Checks the learner-profile references and normalises the language chain. */
  async validateProfile(input: UpdateProfileDto): Promise<ProfilePatch> {
    const patch: ProfilePatch = {};
    if (input.displayName !== undefined) patch.displayName = input.displayName;
    if (input.learnerGroupId !== undefined) {
      if (input.learnerGroupId !== null && !(await this.learnerGroups.findActive(input.learnerGroupId))) {
        throw new IdentityError(IdentityErrorCode.UnknownLearnerGroup, 'The learner group does not exist.');
      }
      patch.learnerGroupId = input.learnerGroupId;
    }
    if (input.villageId !== undefined) {
      if (input.villageId !== null && !(await this.geography.findOfLevel(input.villageId, ['village']))) {
        throw new IdentityError(
          IdentityErrorCode.InvalidVillage,
          'Choose a village (thôn, bản or tổ dân phố).',
        );
      }
      patch.villageId = input.villageId;
    }
    if (input.languages !== undefined) {
      // Content languages only (the DTO refuses others); Vietnamese is always the last resort.
      patch.languages = normalizeFallbackChain(input.languages);
    }
    return patch;
  }

  async createUser(
    input: Identifier & { displayName: string; password: string },
    profile: ProfilePatch,
    roles: RoleGrant[],
    grantedBy: string | null = null,
  ): Promise<UserEntity> {
    this.assertPasswordAcceptable(input.password, input);
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.users.createWithRoles(
        {
          phone: input.phone,
          email: input.email,
          displayName: input.displayName,
          passwordHash,
          learnerGroupId: profile.learnerGroupId ?? null,
          languages: profile.languages ?? ['vi'],
          villageId: profile.villageId ?? null,
        },
        roles,
        grantedBy,
      );
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new IdentityError(
          IdentityErrorCode.AccountExists,
          'An account with this phone number or email already exists. Sign in instead.',
        );
      }
      throw e;
    }
  }

  /**
   * An account made by staff: the given roles, a password nobody knows, and the invitation its
   * owner accepts to set one (InvitationsService).
   */
  async createInvited(
    input: Identifier & { displayName: string },
    profile: ProfilePatch,
    roles: RoleGrant[],
    invitation: InvitationCode,
  ): Promise<UserEntity> {
    if (!input.phone && !input.email) {
      throw new IdentityError(IdentityErrorCode.IdentifierRequired, 'Give a phone number or an email.');
    }
    try {
      return await this.users.createWithRoles(
        {
          phone: input.phone,
          email: input.email,
          displayName: input.displayName,
          passwordHash: await hashPassword(randomBytes(32).toString('base64url')),
          learnerGroupId: profile.learnerGroupId ?? null,
          languages: profile.languages ?? ['vi'],
          villageId: profile.villageId ?? null,
        },
        roles,
        invitation.issuedBy,
        invitation,
      );
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new IdentityError(
          IdentityErrorCode.AccountExists,
          'An account with this phone number or email already exists.',
        );
      }
      throw e;
    }
  }

  /**
   * Sets the password of an account made by staff with its invitation code; the account is active
   * from then on. The caller limits attempts (AuthService).
   */
  async acceptInvitation(user: UserEntity, code: string, password: string): Promise<boolean> {
    return this.users.acceptInvitation(user.id, invitationCodeHash(code), await hashPassword(password));
  }

  /** Role grants as asked, each checked (a coordinator's names a province or commune). */
  validGrants(grants: RoleGrantDto[]): Promise<RoleGrant[]> {
    return Promise.all(grants.map((g) => this.validGrant(g)));
  }

  /** Names of the places users live in and coordinate (villages as "Bản …, Xã …"), by id. */
  async placeNames(users: UserEntity[]): Promise<Map<string, string>> {
    const villages = [...new Set(users.flatMap((u) => (u.villageId ? [u.villageId] : [])))];
    const scopes = [
      ...new Set(users.flatMap((u) => (u.roles ?? []).flatMap((r) => (r.localityId ? [r.localityId] : [])))),
    ];
    const [villageNames, scopeNames] = await Promise.all([
      this.geography.villagePlaces(villages),
      this.geography.findMany(scopes),
    ]);
    return new Map([
      ...scopes.flatMap((id) => {
        const l = scopeNames.find((x) => x.id === id);
        return l ? [[id, l.name] as const] : [];
      }),
      ...[...villageNames].map(
        ([id, p]) => [id, p.commune ? `${p.village}, ${p.commune}` : p.village] as const,
      ),
    ]);
  }

  /** For lists that name people (review queues): one query for the page. */
  displayNames(ids: string[]): Promise<Map<string, string>> {
    return this.users.displayNames([...new Set(ids)]);
  }

  /** Enabled holders of a role, one row per grant with its locality (reminders to staff). */
  roleHolders(role: Role): Promise<{ userId: string; localityId: string | null }[]> {
    return this.users.roleHolders(role);
  }

  /** Phone, languages and whether disabled, by id, in one query. */
  contacts(ids: string[]): Promise<Map<string, UserContact>> {
    return this.users.contacts([...new Set(ids)]);
  }

  async get(id: string): Promise<UserEntity> {
    const user = await this.users.findWithRoles(id);
    if (!user) throw IdentityError.userNotFound();
    return user;
  }

  findByIdentifier(identifier: Identifier): Promise<UserEntity | null> {
    return this.users.findByPhoneOrEmail(identifier);
  }

  async updateProfile(userId: string, dto: UpdateProfileDto): Promise<UserEntity> {
    await this.users.updateProfile(userId, await this.validateProfile(dto));
    return this.get(userId);
  }

  /** Changing the password signs out every other device. */
  async changePassword(userId: string, sessionId: string, current: string, next: string): Promise<void> {
    const user = await this.get(userId);
    if (!(await verifyPassword(user.passwordHash, current))) throw IdentityError.invalidCredentials();
    this.assertPasswordAcceptable(next, user);
    await this.users.updatePasswordHash(userId, await hashPassword(next));
    await this.users.revokeSessions(userId, 'password_changed', sessionId);
  }

  search(q: string | undefined, page: number, pageSize: number) {
    return this.users.search(q?.normalize('NFC').toLowerCase(), page, pageSize);
  }

  /** Only admins call this (guarded). Coordinators must be scoped to a province or commune. */
  async setRoles(adminId: string, userId: string, grants: RoleGrantDto[]): Promise<UserEntity> {
    await this.get(userId);
    if (adminId === userId && !grants.some((g) => g.role === 'admin')) throw ownAdminRole();
    const roles: RoleGrant[] = [];
    for (const g of grants) {
      const grant = await this.validGrant(g);
      if (!roles.some((r) => r.role === grant.role && r.localityId === grant.localityId)) roles.push(grant);
    }
    await this.users.replaceRoles(userId, roles, adminId, keepAnAdmin);
    return this.get(userId);
  }

  /** Adds one role (admins); the others stay as they are. Granting one already held changes nothing. */
  async grantRole(adminId: string, userId: string, dto: RoleGrantDto): Promise<UserEntity> {
    await this.get(userId);
    const grant = await this.validGrant(dto);
    await this.users.updateRoles(
      userId,
      (current) => (current.some((r) => sameGrant(r, grant)) ? current : [...current, grant]),
      adminId,
      keepAnAdmin,
    );
    return this.get(userId);
  }

  /** Removes one role (a coordinator's for one locality); 404 when the user does not have it. */
  async revokeRole(adminId: string, userId: string, dto: RoleGrantDto): Promise<UserEntity> {
    await this.get(userId);
    const grant = { role: dto.role, localityId: dto.localityId ?? null };
    if (adminId === userId && grant.role === 'admin') throw ownAdminRole();
    await this.users.updateRoles(
      userId,
      (current) => {
        if (!current.some((r) => sameGrant(r, grant))) {
          throw new IdentityError(
            IdentityErrorCode.RoleNotHeld,
            `The user does not have this ${grant.role} role.`,
          );
        }
        return current.filter((r) => !sameGrant(r, grant));
      },
      adminId,
      keepAnAdmin,
    );
    return this.get(userId);
  }

  /** A coordinator is scoped to an existing province or commune; no other role is scoped. */
  private async validGrant(g: RoleGrantDto): Promise<RoleGrant> {
    if (g.role === 'coordinator') {
      if (!g.localityId || !(await this.geography.findOfLevel(g.localityId, ['province', 'commune']))) {
        throw new IdentityError(
          IdentityErrorCode.InvalidRoleGrant,
          'A coordinator role needs the province or commune it covers (localityId).',
        );
      }
    } else if (g.localityId) {
      throw new IdentityError(
        IdentityErrorCode.InvalidRoleGrant,
        `The ${g.role} role is not scoped to a place.`,
      );
    }
    return { role: g.role, localityId: g.localityId ?? null };
  }

  /** CLI and env bootstrap: creates the admin, or grants admin to an existing account. Idempotent. */
  async ensureAdmin(
    input: { phone?: string; email?: string; displayName: string; password: string },
    retried = false,
  ): Promise<{ user: Awaited<ReturnType<UsersService['get']>>; created: boolean }> {
    const identifier = this.parseIdentifiers(input);
    const existing = await this.users.findByPhoneOrEmail(
      identifier.phone ? { phone: identifier.phone } : identifier,
    );
    if (existing) {
      const roles = (existing.roles ?? []).map((r) => ({ role: r.role, localityId: r.localityId }));
      if (roles.some((r) => r.role === 'admin')) return { user: existing, created: false };
      await this.users.replaceRoles(
        existing.id,
        [...roles, { role: 'admin', localityId: null }],
        existing.id,
      );
      return { user: await this.get(existing.id), created: false };
    }
    try {
      const user = await this.createUser(
        { ...identifier, displayName: input.displayName, password: input.password },
        {},
        [{ role: 'admin', localityId: null }],
      );
      return { user, created: true };
    } catch (e) {
      // Replicas booting together race to create the admin: the one that loses finds it made.
      if (e instanceof IdentityError && e.code === IdentityErrorCode.AccountExists && !retried)
        return this.ensureAdmin(input, true);
      throw e;
    }
  }
}

const sameGrant = (a: RoleGrant, b: RoleGrant) => a.role === b.role && a.localityId === b.localityId;

const ownAdminRole = () =>
  new IdentityError(IdentityErrorCode.LastAdmin, 'You cannot remove your own admin role; ask another admin.');

const keepAnAdmin = (adminsLeft: number) => {
  if (adminsLeft === 0) {
    throw new IdentityError(IdentityErrorCode.LastAdmin, 'The last admin cannot lose the admin role.');
  }
};

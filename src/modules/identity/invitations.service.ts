import { Inject, Injectable } from '@nestjs/common';
import { hasRole, type Principal, type RoleGrant } from '../../infrastructure/auth/roles.js';
import { CommonError } from '../../infrastructure/errors/domain-error.js';
import { AreaScope } from '../geography/area-scope.service.js';
import { GeographyService } from '../geography/geography.service.js';
import type { CreateAccountDto } from './dto/auth.dto.js';
import type { UserEntity } from './entities/user.entity.js';
import { IdentityError, IdentityErrorCode } from './identity.errors.js';
import { INVITATION_DAYS, invitationCodeHash, newInvitationCode } from './invitation-code.js';
import { UserRepository } from './user.repository.js';
import { UsersService } from './users.service.js';

/**
 * Accounts made by staff, for people who do not sign themselves up: an admin makes any account
 * with any roles (a trainer, a coordinator of a commune); a coordinator makes learner accounts for
 * people of a village in their area (the ambassadors-to-be they recruit). The account waits with an
 * unusable password until its owner sets one with the one-time code given to them (read aloud or
 * written down: short, unambiguous letters), valid INVITATION_DAYS days. Who issued each code is kept.
 */
@Injectable()
export class InvitationsService {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(UserRepository) private readonly repo: UserRepository,
    @Inject(AreaScope) private readonly scope: AreaScope,
    @Inject(GeographyService) private readonly geography: GeographyService,
  ) {}

  async invite(
    who: Principal,
    dto: CreateAccountDto,
  ): Promise<{ user: UserEntity; code: string; expiresAt: Date }> {
    const identifier = this.users.parseIdentifiers(dto);
    const roles = await this.users.validGrants(dto.roles ?? [{ role: 'learner' }]);
    await this.assertMayManage(who, roles, dto.villageId ?? null);
    const profile = await this.users.validateProfile({
      learnerGroupId: dto.learnerGroupId,
      villageId: dto.villageId,
      languages: dto.languages ?? ['vi'],
    });
    const code = newInvitationCode();
    const expiresAt = this.expiry();
    const user = await this.users.createInvited(
      { ...identifier, displayName: dto.displayName.normalize('NFC').trim() },
      profile,
      roles,
      { codeHash: invitationCodeHash(code), issuedBy: who.userId, expiresAt },
    );
    return { user, code, expiresAt };
  }

  /** A new code for an account not accepted yet (the old one was lost); earlier codes stop working. */
  async reissue(who: Principal, userId: string) {
    const user = await this.users.get(userId);
    await this.assertMayManage(
      who,
      (user.roles ?? []).map((r) => ({ role: r.role, localityId: r.localityId })),
      user.villageId,
      true,
    );
    if (user.activatedAt) {
      throw new IdentityError(
        IdentityErrorCode.AlreadyActivated,
        'This account already has a password: its owner signs in, or an admin helps them recover it.',
      );
    }
    const code = newInvitationCode();
    const expiresAt = this.expiry();
    await this.repo.reissueInvitation(userId, {
      codeHash: invitationCodeHash(code),
      issuedBy: who.userId,
      expiresAt,
    });
    return { user, code, expiresAt };
  }

  private expiry() {
    return new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  }

  /**
   * Admins manage every account. A coordinator only learner accounts (no other role) of a village
   * inside their area; anyone else is refused. `existing`: another user's account is not found
   * rather than forbidden, so ids do not reveal who exists outside the area.
   */
  private async assertMayManage(
    who: Principal,
    roles: RoleGrant[],
    villageId: string | null,
    existing = false,
  ) {
    if (hasRole(who, 'admin')) return;
    if (!hasRole(who, 'coordinator'))
      throw CommonError.forbidden('This needs the coordinator or admin role.');
    const village = villageId ? await this.geography.findOfLevel(villageId, ['village']) : null;
    const inside = village ? await this.scope.covers(who, village.path) : false;
    if (existing && !inside) throw IdentityError.userNotFound();
    if (!village) {
      throw new IdentityError(
        IdentityErrorCode.InvalidVillage,
        'Choose the village (villageId) the person lives in.',
        {
          fields: [{ field: 'villageId', in: 'body', problems: ['REQUIRED'] }],
        },
      );
    }
    if (!inside) await this.scope.assertCovers(who, village.path);
    if (roles.some((r) => r.role !== 'learner')) {
      throw CommonError.forbidden(
        'Coordinators make learner accounts only; staff roles are granted by an admin.',
      );
    }
  }
}

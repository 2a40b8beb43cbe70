import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuthSessionEntity } from './entities/auth-session.entity.js';
import { UserRoleEntity } from './entities/user-role.entity.js';
import { UserEntity } from './entities/user.entity.js';
import type { RoleGrant } from '../../infrastructure/auth/roles.js';

export interface NewUser {
  phone: string | null;
  email: string | null;
  displayName: string;
  passwordHash: string;
  learnerGroupId: string | null;
  languages: string[];
  villageId: string | null;
}

/** A one-time invitation code as stored: its hash, who issued it, until when. */
export interface InvitationCode {
  codeHash: string;
  issuedBy: string;
  expiresAt: Date;
}

/** A one-time recovery code as stored: issued by someone (channel `staff`) or texted (`sms`). */
export interface RecoveryCode {
  codeHash: string;
  issuedBy: string | null;
  channel: 'staff' | 'sms';
  expiresAt: Date;
}

export type ProfilePatch = Partial<
  Pick<UserEntity, 'displayName' | 'learnerGroupId' | 'languages' | 'villageId'>
>;

export type UserContact = Pick<
  UserEntity,
  'id' | 'phone' | 'languages' | 'disabledAt' | 'displayName' | 'villageId'
>;

/** Rolls back an acceptance whose account was activated meanwhile. */
class InvitationAlreadyAccepted extends Error {}

/** The only place that touches TypeORM for users and their roles. */
@Injectable()
export class UserRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get users() {
    return this.dataSource.getRepository(UserEntity);
  }

  /** Display names by id, in one query (unknown ids are left out). */
  async displayNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.users.find({ select: { id: true, displayName: true }, where: { id: In(ids) } });
    return new Map(rows.map((u) => [u.id, u.displayName]));
  }

  /** Enabled users holding `role`, one row per grant (with its locality, if scoped). */
  roleHolders(role: string): Promise<{ userId: string; localityId: string | null }[]> {
    return this.dataSource.query(
      `SELECT r.user_id AS "userId", r.locality_id AS "localityId"
         FROM user_roles r JOIN users u ON u.id = r.user_id
        WHERE r.role = $1 AND u.disabled_at IS NULL`,
      [role],
    );
  }

  /** How to reach users: phone, languages, whether disabled, name, village (unknown ids are left out). */
  async contacts(ids: string[]): Promise<Map<string, UserContact>> {
    if (ids.length === 0) return new Map();
    const rows = await this.users.find({
      select: {
        id: true,
        phone: true,
        languages: true,
        disabledAt: true,
        displayName: true,
        villageId: true,
      },
      where: { id: In(ids) },
    });
    return new Map(rows.map((u) => [u.id, u]));
  }

  findWithRoles(id: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { id }, relations: { roles: true } });
  }

  findByPhoneOrEmail(identifier: {
    phone?: string | null;
    email?: string | null;
  }): Promise<UserEntity | null> {
    if (identifier.phone)
      return this.users.findOne({ where: { phone: identifier.phone }, relations: { roles: true } });
    if (identifier.email)
      return this.users.findOne({ where: { email: identifier.email }, relations: { roles: true } });
    return Promise.resolve(null);
  }

  /** Creates the user with its first roles in one transaction. Throws the DB's unique violation on duplicates. */
  async createWithRoles(
    user: NewUser,
    roles: RoleGrant[],
    grantedBy: string | null = null,
    /** An account made by staff: not active until its owner accepts this code. */
    invitation?: InvitationCode,
  ): Promise<UserEntity> {
    return this.dataSource.transaction(async (em) => {
      const saved = await em
        .getRepository(UserEntity)
        .save(em.getRepository(UserEntity).create(invitation ? { ...user, activatedAt: null } : user));
      await this.insertRoles(em, saved.id, roles, grantedBy);
      if (invitation) await this.insertInvitation(em, saved.id, invitation);
      return (await em
        .getRepository(UserEntity)
        .findOne({ where: { id: saved.id }, relations: { roles: true } }))!;
    });
  }

  /** A new invitation code for an account not yet accepted; the open ones stop working. */
  async reissueInvitation(userId: string, invitation: InvitationCode): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.query(
        `UPDATE account_codes SET expires_at = least(expires_at, now())
          WHERE user_id = $1 AND purpose = 'invitation' AND used_at IS NULL`,
        [userId],
      );
      await this.insertInvitation(em, userId, invitation);
    });
  }

  /**
   * Uses the code (once: the first of two concurrent acceptances wins) and sets the password of an
   * account not accepted yet; false if the code is wrong, used, expired or the account is active.
   */
  async acceptInvitation(userId: string, codeHash: string, passwordHash: string): Promise<boolean> {
    return this.dataSource
      .transaction(async (em) => {
        const [used] = (await em.query(
          `UPDATE account_codes SET used_at = now()
          WHERE user_id = $1 AND purpose = 'invitation' AND used_at IS NULL AND expires_at > now()
            AND code_hash = $2
        RETURNING id`,
          [userId, codeHash],
        )) as [unknown[], number];
        if (used.length === 0) return false;
        const [activated] = (await em.query(
          `UPDATE users SET password_hash = $2, activated_at = now(), updated_at = now()
          WHERE id = $1 AND activated_at IS NULL RETURNING id`,
          [userId, passwordHash],
        )) as [unknown[], number];
        if (activated.length === 0) throw new InvitationAlreadyAccepted();
        return true;
      })
      .catch((e: unknown) => {
        if (e instanceof InvitationAlreadyAccepted) return false;
        throw e;
      });
  }

  /** A new recovery code for the account; its open ones stop working (only the latest counts). */
  async issueRecoveryCode(userId: string, code: RecoveryCode): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.query(
        `UPDATE account_codes SET expires_at = least(expires_at, now())
          WHERE user_id = $1 AND purpose = 'recovery' AND used_at IS NULL`,
        [userId],
      );
      await em.query(
        `INSERT INTO account_codes (id, user_id, purpose, channel, code_hash, issued_by, expires_at)
         VALUES ($1, $2, 'recovery', $3, $4, $5, $6)`,
        [randomUUID(), userId, code.channel, code.codeHash, code.issuedBy, code.expiresAt],
      );
    });
  }

  /**
   * Uses a recovery code (once: of two concurrent uses one wins) on an active, enabled account:
   * sets the password and ends every session, in one transaction. A wrong code counts a try
   * against the open one; after `maxTries` it no longer works. False if nothing was recovered.
   */
  async recoverWithCode(
    userId: string,
    codeHash: string,
    passwordHash: string,
    maxTries: number,
  ): Promise<boolean> {
    const recovered = await this.dataSource.transaction(async (em) => {
      const [used] = (await em.query(
        `UPDATE account_codes c SET used_at = now()
           FROM users u
          WHERE c.user_id = $1 AND c.purpose = 'recovery' AND c.used_at IS NULL AND c.expires_at > now()
            AND c.attempts < $3 AND c.code_hash = $2
            AND u.id = c.user_id AND u.disabled_at IS NULL AND u.activated_at IS NOT NULL
        RETURNING c.id`,
        [userId, codeHash, maxTries],
      )) as [unknown[], number];
      if (used.length === 0) return false;
      await em.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [
        userId,
        passwordHash,
      ]);
      await em.query(
        `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'password_recovered'
          WHERE user_id = $1 AND revoked_at IS NULL`,
        [userId],
      );
      return true;
    });
    if (!recovered) {
      await this.dataSource.query(
        `UPDATE account_codes SET attempts = attempts + 1
          WHERE user_id = $1 AND purpose = 'recovery' AND used_at IS NULL AND expires_at > now()`,
        [userId],
      );
    }
    return recovered;
  }

  private async insertInvitation(em: EntityManager, userId: string, i: InvitationCode) {
    await em.query(
      `INSERT INTO account_codes (id, user_id, purpose, code_hash, issued_by, expires_at)
       VALUES ($1, $2, 'invitation', $3, $4, $5)`,
      [randomUUID(), userId, i.codeHash, i.issuedBy, i.expiresAt],
    );
  }

  async updateProfile(id: string, patch: ProfilePatch): Promise<void> {
    if (Object.keys(patch).length > 0) await this.users.update({ id }, patch);
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash });
  }

  /**
   * Replaces every role of a user atomically. `check` sees the number of admins left and may
   * throw to roll the change back.
   */
  async replaceRoles(
    userId: string,
    roles: RoleGrant[],
    grantedBy: string,
    check: (adminsLeft: number) => void = () => undefined,
  ): Promise<void> {
    await this.updateRoles(userId, () => roles, grantedBy, check);
  }

  /**
   * Changes a user's roles from what they are now: `next` gets the current grants (read under the
   * lock, so two changes at once both count) and returns the new set. Grants kept keep their row.
   */
  async updateRoles(
    userId: string,
    next: (current: RoleGrant[]) => RoleGrant[],
    grantedBy: string,
    check: (adminsLeft: number) => void = () => undefined,
  ): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      // Serialise role changes so two admins cannot remove each other's admin role at once.
      await em.query('SELECT pg_advisory_xact_lock(7340219002)');
      const roles = em.getRepository(UserRoleEntity);
      const rows = await roles.find({ where: { userId } });
      const wanted = next(rows.map((r) => ({ role: r.role, localityId: r.localityId })));
      const same = (a: RoleGrant, b: RoleGrant) => a.role === b.role && a.localityId === b.localityId;
      // Grants kept keep their row (and who granted them); only what changed is written.
      const removed = rows.filter((r) => !wanted.some((w) => same(w, r)));
      if (removed.length > 0) await roles.delete(removed.map((r) => r.id));
      const added = wanted.filter(
        (w, i) => !rows.some((r) => same(w, r)) && wanted.findIndex((o) => same(o, w)) === i,
      );
      await this.insertRoles(em, userId, added, grantedBy);
      check(await roles.count({ where: { role: 'admin' } }));
    });
  }

  private async insertRoles(em: EntityManager, userId: string, roles: RoleGrant[], grantedBy: string | null) {
    if (roles.length === 0) return;
    await em
      .getRepository(UserRoleEntity)
      .insert(roles.map((r) => ({ userId, role: r.role, localityId: r.localityId, grantedBy })));
  }

  /** Admin listing: search by name, phone or email (accent-insensitive on names). */
  async search(
    q: string | undefined,
    page: number,
    pageSize: number,
  ): Promise<{ items: UserEntity[]; total: number }> {
    const qb = this.users
      .createQueryBuilder('u')
      .leftJoinAndSelect('u.roles', 'r')
      .orderBy('u.created_at', 'DESC')
      .addOrderBy('u.id', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize);
    if (q) {
      // Phones are stored as +84…; people type 09…. LIKE wildcards in the query are taken literally.
      const literal = q.replace(/[\\%_]/g, (c) => `\\${c}`);
      const digits = q.replace(/[\s.()-]/g, '');
      const phone = /^0\d+$/.test(digits) ? `+84${digits.slice(1)}` : digits;
      qb.where(
        `(f_search_key(u.display_name) LIKE '%' || f_search_key(:literal) || '%'
          OR u.phone LIKE :phone OR u.email LIKE :email)`,
        { literal, phone: `%${phone.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, email: `%${literal}%` },
      );
    }
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }

  /** Revokes every session of a user (password change, disabling). */
  async revokeSessions(userId: string, reason: string, exceptSessionId?: string): Promise<void> {
    const qb = this.dataSource
      .createQueryBuilder()
      .update(AuthSessionEntity)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (exceptSessionId) qb.andWhere('id <> :exceptSessionId', { exceptSessionId });
    await qb.execute();
  }
}

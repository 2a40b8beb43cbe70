import { Inject, Injectable } from '@nestjs/common';
import { preparedQuery } from '../../infrastructure/database/prepared-query.js';
import { DataSource } from 'typeorm';
import { AuthSessionEntity } from './entities/auth-session.entity.js';
import type { RoleGrant } from '../../infrastructure/auth/roles.js';

export interface ActiveSessionView {
  sessionId: string;
  userId: string;
  kind: 'api' | 'portal';
  /** Of the current token: the portal cookie is checked against it. */
  tokenHash: string;
  roles: RoleGrant[];
}

@Injectable()
export class AuthSessionRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get sessions() {
    return this.dataSource.getRepository(AuthSessionEntity);
  }

  async create(
    session: Omit<
      AuthSessionEntity,
      'createdAt' | 'revokedAt' | 'revokedReason' | 'previousTokenHash' | 'rotatedAt'
    >,
  ) {
    await this.sessions.insert(session);
  }

  findById(id: string): Promise<AuthSessionEntity | null> {
    return this.sessions.findOne({ where: { id } });
  }

  /**
   * One query per authenticated request: the session must be live and its user enabled.
   * Roles come from the database, not the token, so a grant or revocation applies at once.
   */
  async findActive(sessionId: string): Promise<ActiveSessionView | null> {
    // Every signed-in request runs this: a prepared statement, planned once per connection.
    const rows = await preparedQuery<{
      user_id: string;
      kind: 'api' | 'portal';
      token_hash: string;
      roles: RoleGrant[] | null;
    }>(
      this.dataSource,
      `SELECT s.user_id, s.kind, s.token_hash,
              (SELECT json_agg(json_build_object('role', r.role, 'localityId', r.locality_id))
                 FROM user_roles r WHERE r.user_id = s.user_id) AS roles
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL`,
      [sessionId],
    );
    if (rows.length === 0) return null;
    const row = rows[0];
    return {
      sessionId,
      userId: row.user_id,
      kind: row.kind,
      tokenHash: row.token_hash,
      roles: row.roles ?? [],
    };
  }

  /** Compare-and-set rotation: only one of two concurrent refreshes with the same token wins. */
  async rotate(id: string, fromHash: string, toHash: string, expiresAt: Date): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(AuthSessionEntity)
      .set({
        previousTokenHash: fromHash,
        tokenHash: toHash,
        rotatedAt: () => 'now()',
        lastUsedAt: () => 'now()',
        expiresAt,
      })
      .where('id = :id AND token_hash = :fromHash AND revoked_at IS NULL', { id, fromHash })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  async revoke(id: string, reason: string): Promise<void> {
    await this.sessions
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('id = :id AND revoked_at IS NULL', { id })
      .execute();
  }

  /** Drops sessions that ended more than `keepDays` ago. */
  async purgeEnded(keepDays: number): Promise<number> {
    const result = await this.sessions
      .createQueryBuilder()
      .delete()
      .where(
        `expires_at < now() - make_interval(days => :keepDays) OR revoked_at < now() - make_interval(days => :keepDays)`,
        {
          keepDays,
        },
      )
      .execute();
    return result.affected ?? 0;
  }
}

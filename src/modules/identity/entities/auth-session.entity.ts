import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One signed-in device. API clients hold a rotating refresh token `<id>.<secret>`; the portal
 * holds the same shape in an httpOnly cookie. Only SHA-256 hashes of secrets are stored.
 */
@Entity('auth_sessions')
export class AuthSessionEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @Column({ type: 'varchar', length: 8 }) kind!: 'api' | 'portal';
  @Column({ name: 'token_hash', type: 'char', length: 64 }) tokenHash!: string;
  /** The token before the last rotation: accepted once more within a short grace (lost responses on 3G). */
  @Column({ name: 'previous_token_hash', type: 'char', length: 64, nullable: true }) previousTokenHash!:
    string | null;
  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true }) rotatedAt!: Date | null;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @Column({ name: 'revoked_reason', type: 'varchar', length: 40, nullable: true }) revokedReason!:
    string | null;
  @Column({ name: 'user_agent', type: 'varchar', length: 300, nullable: true }) userAgent!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'last_used_at', type: 'timestamptz', default: () => 'now()' }) lastUsedAt!: Date;
}

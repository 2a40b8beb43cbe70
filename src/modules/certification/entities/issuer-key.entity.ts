import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** An Ed25519 key the platform signs credentials with. Retired keys stay published for old credentials. */
@Entity('issuer_keys')
@Index('issuer_keys_one_active_key', { synchronize: false })
export class IssuerKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) kid!: string;
  @Column({ name: 'public_jwk', type: 'jsonb' }) publicJwk!: Record<string, string>;
  /** AES-256-GCM with a key derived from ISSUER_KEY_SECRET: `iv.ciphertext.tag`, base64url. */
  @Column({ name: 'sealed_private_key', type: 'text' }) sealedPrivateKey!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true }) retiredAt!: Date | null;
}

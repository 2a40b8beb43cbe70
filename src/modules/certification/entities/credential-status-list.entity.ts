import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A W3C Bitstring Status List (revocation) of 131,072 entries. `allocated` entries are handed
 * out; a credential's index is a keyed permutation of its allocation number. `version` grows with
 * every change of a bit, so the signed list can be cached per version.
 */
@Entity('credential_status_lists')
export class CredentialStatusListEntity {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @Column({ name: 'status_purpose', type: 'varchar', length: 16, default: 'revocation' })
  statusPurpose!: 'revocation';
  @Column({ type: 'int' }) length!: number;
  @Column({ type: 'int', default: 0 }) allocated!: number;
  @Column({ name: 'permutation_key', type: 'bytea' }) permutationKey!: Buffer;
  @Column({ type: 'bytea' }) bits!: Buffer;
  @Column({ type: 'int', default: 1 }) version!: number;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}

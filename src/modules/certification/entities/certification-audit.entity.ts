import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One state change of an application or a certificate: who, when, why. Append-only. */
@Entity('certification_audit')
@Index('certification_audit_application_idx', ['applicationId', 'id'])
@Index('certification_audit_certificate_idx', ['certificateId', 'id'])
export class CertificationAuditEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'application_id', type: 'uuid', nullable: true }) applicationId!: string | null;
  @Column({ name: 'certificate_id', type: 'uuid', nullable: true }) certificateId!: string | null;
  /** Null when the system acted (the issuance job). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId!: string | null;
  @Column({ type: 'varchar', length: 24 }) action!: string;
  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true }) fromStatus!: string | null;
  @Column({ name: 'to_status', type: 'varchar', length: 16, nullable: true }) toStatus!: string | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) reason!: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at!: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { EligibilitySnapshot } from '../eligibility.js';

export const APPLICATION_STATUSES = ['submitted', 'approved', 'rejected', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** A candidate's request to be certified for a village; decided once by a coordinator. */
@Entity('certification_applications')
@Index('certification_applications_open_key', { synchronize: false })
@Index('certification_applications_queue_idx', ['status', 'createdAt'])
@Index('certification_applications_path_idx', { synchronize: false })
export class ApplicationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'programme_id', type: 'uuid' }) programmeId!: string;
  @Column({ name: 'candidate_id', type: 'uuid' }) candidateId!: string;
  @Column({ name: 'village_id', type: 'uuid' }) villageId!: string;
  /** The village's locality path, so coordinators' queues are a prefix match. */
  @Column({ name: 'locality_path', type: 'text' }) localityPath!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: 'initial' | 'renewal';
  @Column({ name: 'renews_certificate_id', type: 'uuid', nullable: true }) renewsCertificateId!:
    string | null;
  @Column({ name: 'nominated_by', type: 'uuid', nullable: true }) nominatedBy!: string | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) statement!: string | null;
  @Column({ type: 'varchar', length: 16 }) status!: ApplicationStatus;
  /** What was checked when it was submitted, and again when it was decided. */
  @Column({ type: 'jsonb' }) eligibility!: EligibilitySnapshot;
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy!: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt!: Date | null;
  @Column({ name: 'decision_reason', type: 'varchar', length: 1000, nullable: true })
  decisionReason!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

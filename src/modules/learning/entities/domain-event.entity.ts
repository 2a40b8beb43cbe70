import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const COURSE_COMPLETED = 'learning.course_completed';

/**
 * The outbox: facts other modules act on, written in the same transaction as the change they
 * describe and read in `seq` order (certification consumes `learning.course_completed`).
 */
@Entity('domain_events')
@Index('domain_events_type_idx', ['type', 'seq'])
export class DomainEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) seq!: string;
  @Column({ type: 'varchar', length: 64 }) type!: string;
  @Column({ name: 'subject_id', type: 'uuid' }) subjectId!: string;
  @Column({ type: 'jsonb' }) payload!: Record<string, unknown>;
  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' }) occurredAt!: Date;
}

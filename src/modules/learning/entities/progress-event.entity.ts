import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One accepted learner event, append-only (a trigger refuses UPDATE and DELETE). The id is the
 * client's, unique per learner: events are written under the learner's lock after a look-up of
 * their ids in every month and in the archived ids, so a replay is recognised and changes nothing.
 * Partitioned by the month of `received_at` (migration PartitionedEventLog), which is therefore
 * part of the primary key.
 */
@Entity('progress_events')
export class ProgressEventEntity {
  @PrimaryColumn({ name: 'learner_id', type: 'uuid' }) learnerId!: string;
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  /** The event type of a lesson kind (lesson-kinds registry). */
  @Column({ type: 'varchar', length: 24 }) type!: string;
  @Column({ name: 'lesson_id', type: 'uuid' }) lessonId!: string;
  @Column({ name: 'lesson_key', type: 'uuid' }) lessonKey!: string;
  @Column({ name: 'course_id', type: 'uuid' }) courseId!: string;
  @Column({ type: 'varchar', length: 8 }) locale!: string;
  @Column({ name: 'client_at', type: 'timestamptz' }) clientAt!: Date;
  @PrimaryColumn({ name: 'received_at', type: 'timestamptz', default: () => 'now()' }) receivedAt!: Date;
  @Column({ type: 'jsonb' }) payload!: Record<string, unknown>;
  /** Quiz attempts: the grade given. */
  @Column({ type: 'jsonb', nullable: true }) outcome!: Record<string, unknown> | null;
}

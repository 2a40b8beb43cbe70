import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A learner's state in one lesson, keyed by `lesson_key` so it carries across course versions.
 * Updated in the same transaction as the events that change it; derived from them only.
 */
@Entity('lesson_progress')
@Index('lesson_progress_course_idx', ['learnerId', 'courseId'])
export class LessonProgressEntity {
  @PrimaryColumn({ name: 'learner_id', type: 'uuid' }) learnerId!: string;
  @PrimaryColumn({ name: 'lesson_key', type: 'uuid' }) lessonKey!: string;
  @Column({ name: 'course_id', type: 'uuid' }) courseId!: string;
  /** The lesson (of whichever version) the learner last worked on. */
  @Column({ name: 'lesson_id', type: 'uuid' }) lessonId!: string;
  @Column({ type: 'varchar', length: 24 }) kind!: string;
  /** The language of the learner's latest event here. */
  @Column({ type: 'varchar', length: 8 }) locale!: string;
  @Column({ type: 'varchar', length: 12 }) status!: 'in_progress' | 'completed';
  /** The kind's own state (watched stretches, steps done, attempts…): see its `apply`. */
  @Column({ type: 'jsonb', default: () => "'{}'" }) state!: Record<string, unknown>;
  @Column({ type: 'int', default: 0 }) events!: number;
  @Column({ name: 'last_event_at', type: 'timestamptz' }) lastEventAt!: Date;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt!: Date | null;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}

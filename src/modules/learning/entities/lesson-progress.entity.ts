import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Merged watched intervals per video language, in seconds: `{ "vi": [[0, 42.5], [60, 90]] }`. */
export type WatchedIntervals = Partial<Record<string, [number, number][]>>;

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
  @Column({ type: 'varchar', length: 8 }) kind!: string;
  /** The language of the learner's latest event here. */
  @Column({ type: 'varchar', length: 8 }) locale!: string;
  @Column({ type: 'varchar', length: 12 }) status!: 'in_progress' | 'completed';
  @Column({ type: 'jsonb', default: () => "'{}'" }) watched!: WatchedIntervals;
  @Column({ name: 'watched_seconds', type: 'numeric', precision: 9, scale: 3, default: 0 })
  watchedSeconds!: string;
  @Column({ name: 'duration_seconds', type: 'numeric', precision: 9, scale: 3, nullable: true })
  durationSeconds!: string | null;
  @Column({ name: 'position_seconds', type: 'numeric', precision: 9, scale: 3, nullable: true })
  positionSeconds!: string | null;
  @Column({ name: 'position_at', type: 'timestamptz', nullable: true }) positionAt!: Date | null;
  @Column({ name: 'steps_done', type: 'uuid', array: true, default: () => "'{}'" }) stepsDone!: string[];
  /** Client times of the accepted quiz attempts (limit and cooldown are checked against them). */
  @Column({ name: 'attempt_times', type: 'timestamptz', array: true, default: () => "'{}'" })
  attemptTimes!: Date[];
  @Column({ name: 'best_score', type: 'int', nullable: true }) bestScore!: number | null;
  @Column({ name: 'last_score', type: 'int', nullable: true }) lastScore!: number | null;
  @Column({ type: 'int', default: 0 }) events!: number;
  @Column({ name: 'last_event_at', type: 'timestamptz' }) lastEventAt!: Date;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt!: Date | null;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}

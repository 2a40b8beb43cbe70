import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A learner in a course, pinned to the version they started. `started_at`, `last_activity_at` and
 * `completed_at` are kept in the same transaction as the events, so staff reports count rows.
 */
@Entity('enrolments')
@Unique('enrolments_learner_course_key', ['learnerId', 'courseId'])
@Index('enrolments_course_idx', ['courseId'])
export class EnrolmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'learner_id', type: 'uuid' }) learnerId!: string;
  @Column({ name: 'course_id', type: 'uuid' }) courseId!: string;
  @Column({ name: 'course_version_id', type: 'uuid' }) courseVersionId!: string;
  /** The trainer who enrolled the learner; null for self-enrolment. */
  @Column({ name: 'enrolled_by', type: 'uuid', nullable: true }) enrolledBy!: string | null;
  @Column({ name: 'enrolled_at', type: 'timestamptz', default: () => 'now()' }) enrolledAt!: Date;
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt!: Date | null;
  @Column({ name: 'last_activity_at', type: 'timestamptz', nullable: true }) lastActivityAt!: Date | null;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt!: Date | null;
  /** The (Vietnam) day of the last event received: the rollups count a day's active learners by it. */
  @Column({ name: 'active_on', type: 'date', nullable: true }) activeOn!: string | null;
}

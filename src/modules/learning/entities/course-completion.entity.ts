import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A course completed: which version, in which language, with what quiz average. Never deleted. */
@Entity('course_completions')
@Unique('course_completions_learner_version_key', ['learnerId', 'courseVersionId'])
export class CourseCompletionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'learner_id', type: 'uuid' }) learnerId!: string;
  @Column({ name: 'course_id', type: 'uuid' }) courseId!: string;
  @Column({ name: 'course_version_id', type: 'uuid' }) courseVersionId!: string;
  @Column({ type: 'int' }) version!: number;
  @Column({ type: 'varchar', length: 8 }) locale!: string;
  @Column({ name: 'average_quiz_score', type: 'numeric', precision: 5, scale: 2, nullable: true })
  averageQuizScore!: string | null;
  @Column({ name: 'completed_at', type: 'timestamptz', default: () => 'now()' }) completedAt!: Date;
}

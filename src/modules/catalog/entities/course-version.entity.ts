import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { LocalizedText } from './learner-group.entity.js';

export const COURSE_STATUSES = ['draft', 'in_review', 'published', 'superseded'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

/** Programme topics (DESIGN.md). */
export const COURSE_TOPICS = [
  'smartphone-basics',
  'vneid',
  'online-public-services',
  'cashless-payment',
  'e-health',
  'e-tax',
  'online-safety',
  'e-commerce',
  'zalo-groups',
  'ai-basics',
  'e-government',
  'document-systems',
  'information-security',
  'online-learning',
] as const;
export type CourseTopic = (typeof COURSE_TOPICS)[number];

/** One version of a course: draft → in_review → published → superseded. Published is immutable. */
@Entity('course_versions')
@Index('course_versions_one_open', { synchronize: false })
@Index('course_versions_groups_idx', { synchronize: false })
@Index('course_versions_search_idx', { synchronize: false })
@Index('course_versions_topic_idx', { synchronize: false })
@Index('course_versions_languages_idx', { synchronize: false })
@Index('course_versions_published_idx', { synchronize: false })
export class CourseVersionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'course_id', type: 'uuid' }) courseId!: string;
  @Column({ type: 'int' }) version!: number;
  @Column({ type: 'varchar', length: 16 }) status!: CourseStatus;
  @Column({ type: 'varchar', length: 40 }) topic!: string;
  @Column({ name: 'learner_group_ids', type: 'uuid', array: true, default: () => "'{}'" })
  learnerGroupIds!: string[];
  @Column({ type: 'jsonb' }) title!: LocalizedText;
  @Column({ type: 'jsonb', default: () => "'{}'" }) summary!: Partial<Record<string, string>>;
  /** The summary read aloud: a recording (media asset id) per language. */
  @Column({ name: 'summary_voice', type: 'jsonb', default: () => "'{}'" }) summaryVoice!: Partial<
    Record<string, string>
  >;
  /** Locales the course title and every lesson title exist in; set at publication. */
  @Column({ type: 'text', array: true, default: () => "'{}'" }) languages!: string[];
  /** Titles and summaries in every language, for accent-insensitive search; set at publication. */
  @Column({ name: 'search_text', type: 'text', default: '' }) searchText!: string;
  /** `f_search_key(search_text)`, computed by the database at publication. */
  @Column({ name: 'search_key', type: 'text', default: '', select: false }) searchKey!: string;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy!: string;
  /** Everyone who created, edited or submitted this version: none of them may publish it. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" }) contributors!: string[];
  @Column({ name: 'submitted_by', type: 'uuid', nullable: true }) submittedBy!: string | null;
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true }) submittedAt!: Date | null;
  @Column({ name: 'published_by', type: 'uuid', nullable: true }) publishedBy!: string | null;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt!: Date | null;
  @Column({ name: 'review_note', type: 'text', nullable: true }) reviewNote!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

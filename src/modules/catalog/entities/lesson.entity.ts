import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { MediaContent, Texts } from '../../lesson-kinds/lesson-kind.js';
import type { LocalizedText } from './learner-group.entity.js';

export type { Texts } from '../../lesson-kinds/lesson-kind.js';

/**
 * Authored content: its shape is the lesson kind's (src/modules/lesson-kinds), media and
 * subtitles included for kinds with media. Answer keys stay in here and never reach learners.
 */
export type LessonContent = MediaContent & Record<string, unknown>;

/** A lesson of one course version. `lessonKey` is the same lesson across versions. */
@Entity('lessons')
@Index('lessons_key_idx', ['lessonKey'])
export class LessonEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'course_version_id', type: 'uuid' }) courseVersionId!: string;
  @Column({ name: 'lesson_key', type: 'uuid' }) lessonKey!: string;
  @Column({ type: 'int' }) position!: number;
  /** A kind of the lesson-kinds registry. */
  @Column({ type: 'varchar', length: 24 }) kind!: string;
  @Column({ type: 'boolean', default: true }) required!: boolean;
  @Column({ type: 'jsonb' }) title!: LocalizedText;
  @Column({ type: 'jsonb', default: () => "'{}'" }) summary!: Texts;
  /** The summary read aloud: a recording (media asset id) per language. */
  @Column({ name: 'summary_voice', type: 'jsonb', default: () => "'{}'" }) summaryVoice!: Texts;
  @Column({ type: 'jsonb', default: () => "'{}'" }) content!: LessonContent;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

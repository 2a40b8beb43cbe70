import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { LocalizedText } from './learner-group.entity.js';

export const LESSON_KINDS = ['video', 'quiz', 'guide'] as const;
export type LessonKind = (typeof LESSON_KINDS)[number];

export type Texts = Partial<Record<string, string>>;

export interface GuideStep {
  id: string;
  title: Texts;
  body: Texts;
}

export interface QuizOption {
  id: string;
  text: Texts;
  /** Answer key: never leaves the server in learner responses. */
  correct: boolean;
  feedback: Texts;
}

export type QuizQuestion =
  | { id: string; type: 'single' | 'multiple'; prompt: Texts; options: QuizOption[] }
  | {
      id: string;
      type: 'true_false';
      prompt: Texts;
      answer: boolean;
      feedback: { correct: Texts; incorrect: Texts };
    }
  | {
      id: string;
      type: 'ordering';
      prompt: Texts;
      /** In the correct order (the answer key). */
      items: { id: string; text: Texts }[];
      feedback: { correct: Texts; incorrect: Texts };
    };

export interface LessonContent {
  /** guide */
  steps?: GuideStep[];
  /** quiz */
  passMark?: number;
  maxAttempts?: number | null;
  cooldownSeconds?: number;
  questions?: QuizQuestion[];
  /** video: media asset per language (filled by the media pipeline). */
  media?: Partial<Record<string, string>>;
  /** video: validated WebVTT per language, stored in object storage (content-addressed key). */
  subtitles?: Partial<Record<string, SubtitleTrack>>;
}

export interface SubtitleTrack {
  key: string;
  bytes: number;
  cues: number;
}

/** A lesson of one course version. `lessonKey` is the same lesson across versions. */
@Entity('lessons')
@Index('lessons_key_idx', ['lessonKey'])
export class LessonEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'course_version_id', type: 'uuid' }) courseVersionId!: string;
  @Column({ name: 'lesson_key', type: 'uuid' }) lessonKey!: string;
  @Column({ type: 'int' }) position!: number;
  @Column({ type: 'varchar', length: 8 }) kind!: LessonKind;
  @Column({ type: 'boolean', default: true }) required!: boolean;
  @Column({ type: 'jsonb' }) title!: LocalizedText;
  @Column({ type: 'jsonb', default: () => "'{}'" }) summary!: Texts;
  @Column({ type: 'jsonb', default: () => "'{}'" }) content!: LessonContent;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

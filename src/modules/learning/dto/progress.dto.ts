import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, IsUUID, Length } from 'class-validator';
import { CONTENT_LOCALES } from '../../../infrastructure/i18n/locales.js';
import { PROGRESS_EVENT_TYPES, type ProgressEventType } from '../entities/progress-event.entity.js';

/** Documentation of an answer; events are checked by parseProgressEvent (event-parser.ts). */
export class QuizAnswerDto {
  @ApiProperty({ format: 'uuid' }) questionId!: string;
  @ApiPropertyOptional({ type: [String], description: 'single and multiple choice' }) optionIds?: string[];
  @ApiPropertyOptional({ description: 'true/false questions' }) answer?: boolean;
  @ApiPropertyOptional({ type: [String], description: 'ordering: every item id in the chosen order' })
  order?: string[];
}

/**
 * One learner event, online or inside an offline batch. `id` is made by the client (a UUID) and
 * makes the event idempotent; `at` is the client's clock when it happened. Documentation only:
 * events are checked by parseProgressEvent, the same way online and in a batch.
 */
export class ProgressEventDto {
  @ApiProperty({ format: 'uuid', description: 'Client-generated; a replay with the same id changes nothing' })
  id!: string;
  @ApiProperty({ enum: PROGRESS_EVENT_TYPES }) type!: ProgressEventType;
  @ApiProperty({ format: 'uuid', description: 'A lesson of a published (or older, superseded) version' })
  lessonId!: string;
  @ApiProperty({ example: '2026-11-29T08:15:00+07:00', description: "The client's time, with its zone" })
  at!: string;
  @ApiPropertyOptional({
    enum: CONTENT_LOCALES,
    description: "Language studied (for video: the video's language); default: the learner's first",
  })
  locale?: string;
  @ApiPropertyOptional({
    description: 'video.heartbeat: stretches played since the last heartbeat, [from, to] in seconds (≤ 20)',
    example: [[0, 14.75]],
  })
  intervals?: number[][];
  @ApiPropertyOptional({ description: 'video.heartbeat: playback position (s), for resuming' })
  position?: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'guide.step: the step acknowledged' }) stepId?: string;
  @ApiPropertyOptional({ type: [QuizAnswerDto], description: 'quiz.attempt: the answers (≤ 50)' })
  answers?: QuizAnswerDto[];
}

/** Documentation only: the sync route checks `events` itself (see SyncController). */
export class SyncBatchDto {
  @ApiProperty({
    type: [ProgressEventDto],
    description: 'Events in any order; each is checked on its own and answered in the receipt',
  })
  events!: ProgressEventDto[];
}

export class EnrolDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() courseId!: string;
}

export class EnrolLearnersDto {
  @ApiProperty({
    type: [String],
    example: ['0912345678', '+84987654321'],
    description: 'Learners by phone number or user id (at most 200)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  learners!: string[];
}

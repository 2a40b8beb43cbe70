import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CONTENT_LOCALES } from '../../../infrastructure/i18n/locales.js';
import { PROGRESS_EVENT_TYPES, type ProgressEventType } from '../entities/progress-event.entity.js';

export class QuizAnswerDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() questionId!: string;

  @ApiPropertyOptional({ type: [String], description: 'single and multiple choice' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  optionIds?: string[];

  @ApiPropertyOptional({ description: 'true/false questions' }) @IsOptional() @IsBoolean() answer?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'ordering: every item id in the chosen order' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  order?: string[];
}

/**
 * One learner event, online or inside an offline batch. `id` is made by the client (a UUID) and
 * makes the event idempotent; `at` is the client's clock when it happened.
 */
export class ProgressEventDto {
  @ApiProperty({ format: 'uuid', description: 'Client-generated; a replay with the same id changes nothing' })
  @IsUUID()
  id!: string;

  @ApiProperty({ enum: PROGRESS_EVENT_TYPES }) @IsIn(PROGRESS_EVENT_TYPES) type!: ProgressEventType;

  @ApiProperty({ format: 'uuid', description: 'A lesson of a published (or older, superseded) version' })
  @IsUUID()
  lessonId!: string;

  @ApiProperty({ example: '2026-11-29T08:15:00+07:00', description: "The client's time of the event" })
  @IsISO8601({ strict: true })
  at!: string;

  @ApiPropertyOptional({
    enum: CONTENT_LOCALES,
    description: "Language studied (for video: the video's language); default: the learner's first",
  })
  @IsOptional()
  @IsIn(CONTENT_LOCALES)
  locale?: string;

  @ApiPropertyOptional({
    description: 'video.heartbeat: stretches actually played since the last heartbeat, [from, to] in seconds',
    example: [[0, 14.75]],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  intervals?: unknown[];

  @ApiPropertyOptional({ description: 'video.heartbeat: playback position (s), for resuming' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(86_400)
  position?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'guide.step: the step acknowledged' })
  @IsOptional()
  @IsUUID()
  stepId?: string;

  @ApiPropertyOptional({ type: [QuizAnswerDto], description: 'quiz.attempt: the answers' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => QuizAnswerDto)
  answers?: QuizAnswerDto[];
}

export class SyncBatchDto {
  @ApiProperty({
    type: [ProgressEventDto],
    description: 'Events in any order; each is checked on its own and answered in the receipt',
  })
  @IsArray()
  events!: unknown[];
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

import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, IsUUID, Length } from 'class-validator';
import { CONTENT_LOCALES } from '../../../infrastructure/i18n/locales.js';
import { LESSON_KIND_DEFINITIONS, PROGRESS_EVENT_TYPES } from '../../lesson-kinds/lesson-kinds.js';

/**
 * One learner event, online or inside an offline batch. `id` is made by the client (a UUID) and
 * makes the event idempotent; `at` is the client's clock when it happened. Documentation only:
 * events are checked by parseProgressEvent, the same way online and in a batch.
 */
export class ProgressEventDto {
  @ApiProperty({ format: 'uuid', description: 'Client-generated; a replay with the same id changes nothing' })
  id!: string;
  @ApiProperty({ enum: [...PROGRESS_EVENT_TYPES], description: 'One per lesson kind' }) type!: string;
  @ApiProperty({ format: 'uuid', description: 'A lesson of a published (or older, superseded) version' })
  lessonId!: string;
  @ApiProperty({ example: '2026-11-29T08:15:00+07:00', description: "The client's time, with its zone" })
  at!: string;
  @ApiPropertyOptional({
    enum: CONTENT_LOCALES,
    description: "Language studied (for video: the video's language); default: the learner's first",
  })
  locale?: string;
  /** The fields of the lesson's kind (see each kind's `eventFields`). */
  [field: string]: unknown;
}

// Each kind's event fields are documented from its definition.
for (const k of LESSON_KIND_DEFINITIONS) {
  for (const [field, doc] of Object.entries(k.eventFields)) {
    const options = { ...doc, description: `${k.eventType}: ${doc.description ?? ''}` };
    ApiPropertyOptional(options as ApiPropertyOptions)(ProgressEventDto.prototype, field);
  }
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

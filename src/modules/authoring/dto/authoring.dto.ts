import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  getSchemaPath,
  type ApiPropertyOptions,
  type SchemaObject,
} from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import { NestedObject, Optional } from '../../../infrastructure/http/input-rules.js';
import { NormalizedText } from '../../../infrastructure/http/text.js';
import { ContentBodyDto, ContentTitleDto } from '../../../infrastructure/i18n/content-text.dto.js';
import { COURSE_STATUSES, COURSE_TOPICS } from '../../catalog/catalog.types.js';
import { LESSON_KIND_DEFINITIONS, LESSON_KINDS } from '../../lesson-kinds/lesson-kinds.js';
import { VoiceChangeDto, VoiceDto } from '../../lesson-kinds/voice-and-pictures.js';

/** A per-language text field: documented, validated as a nested DTO, optional when asked. */
function LocalizedField(type: new () => object, options: { optional?: boolean; description?: string } = {}) {
  const doc = { type, description: options.description };
  return applyDecorators(
    ...(options.optional ? [ApiPropertyOptional(doc), Optional()] : [ApiProperty(doc)]),
    NestedObject(() => type),
  );
}

/** One to ten distinct learner group ids. */
function LearnerGroupIdsField(options: { optional?: boolean } = {}) {
  const doc = { type: [String] as [StringConstructor], description: 'Learner group ids' };
  return applyDecorators(
    ...(options.optional ? [ApiPropertyOptional(doc), Optional()] : [ApiProperty(doc)]),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(10),
    ArrayUnique(),
    IsUUID('all', { each: true }),
  );
}

export class CreateCourseDto {
  @ApiProperty({
    example: 'thanh-toan-tien-dien',
    description: 'URL name: lowercase letters, digits, dashes',
  })
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    message: 'slug must be lowercase letters, digits and single dashes',
  })
  @Length(3, 80)
  slug!: string;

  @ApiProperty({ enum: COURSE_TOPICS }) @IsIn(COURSE_TOPICS) topic!: string;

  @LearnerGroupIdsField() learnerGroupIds!: string[];

  @LocalizedField(ContentTitleDto) title!: ContentTitleDto;
  @LocalizedField(ContentBodyDto, { optional: true }) summary?: ContentBodyDto;
}

export class UpdateDraftDto {
  @ApiPropertyOptional({ enum: COURSE_TOPICS }) @Optional() @IsIn(COURSE_TOPICS) topic?: string;
  @LearnerGroupIdsField({ optional: true }) learnerGroupIds?: string[];
  @LocalizedField(ContentTitleDto, {
    optional: true,
    description: 'Languages given replace those languages; others stay',
  })
  title?: ContentTitleDto;
  @LocalizedField(ContentBodyDto, { optional: true }) summary?: ContentBodyDto;
  @LocalizedField(VoiceChangeDto, {
    optional: true,
    description: 'The summary read aloud: a recording (media id, kind audio) per language; null removes one',
  })
  summaryVoice?: VoiceChangeDto;
}

/** Authored content: each kind's own shape (kinds with media take none: `{}`). */
const CONTENT_DTOS = LESSON_KIND_DEFINITIONS.flatMap((k) => (k.contentDto ? [k.contentDto] : []));
const CONTENT_DOC = {
  description: `The lesson kind's content: ${LESSON_KIND_DEFINITIONS.map((k) => `${k.kind}: ${k.contentDto?.name ?? '{}'}`).join('; ')}`,
  oneOf: CONTENT_DTOS.map((dto) => ({ $ref: getSchemaPath(dto) })),
};

@ApiExtraModels(...CONTENT_DTOS)
export class CreateLessonDto {
  @ApiProperty({ enum: [...LESSON_KINDS] }) @IsIn([...LESSON_KINDS]) kind!: string;
  @LocalizedField(ContentTitleDto) title!: ContentTitleDto;
  @LocalizedField(ContentBodyDto, { optional: true }) summary?: ContentBodyDto;
  @LocalizedField(VoiceDto, {
    optional: true,
    description: 'The summary read aloud: a recording (media id, kind audio) per language',
  })
  summaryVoice?: VoiceDto;
  @ApiPropertyOptional({ default: true, description: 'Counts towards course completion' })
  @Optional()
  @IsBoolean()
  required?: boolean;
  @ApiPropertyOptional(CONTENT_DOC)
  @Optional()
  @IsObject()
  content?: Record<string, unknown>;
}

export class UpdateLessonDto {
  @LocalizedField(ContentTitleDto, { optional: true }) title?: ContentTitleDto;
  @LocalizedField(ContentBodyDto, { optional: true }) summary?: ContentBodyDto;
  @LocalizedField(VoiceChangeDto, {
    optional: true,
    description: 'The summary read aloud, per language: an id replaces, null removes',
  })
  summaryVoice?: VoiceChangeDto;
  @ApiPropertyOptional() @Optional() @IsBoolean() required?: boolean;
  @ApiPropertyOptional({
    ...CONTENT_DOC,
    description: `Replaces the whole content. ${CONTENT_DOC.description}`,
  })
  @Optional()
  @IsObject()
  content?: Record<string, unknown>;
}

export class ReorderLessonsDto {
  @ApiProperty({ type: [String], description: 'Every lesson key of the draft, in the new order' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  lessonKeys!: string[];
}

export class RejectDto {
  @ApiProperty({ example: "Bước 3 thiếu bản dịch tiếng H'Mông; câu hỏi 2 có hai đáp án đúng." })
  @NormalizedText({ multiline: true })
  @IsString()
  @Length(3, 2000)
  reason!: string;
}

export class VersionHistoryEntry {
  @ApiProperty() version!: number;
  @ApiProperty({ enum: COURSE_STATUSES }) status!: string;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) submittedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) publishedBy!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) publishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewNote!: string | null;
}

export class AuthoringCourseResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ format: 'uuid' }) ownerId!: string;
  @ApiProperty() archived!: boolean;
  @ApiProperty({ nullable: true, type: Number }) publishedVersion!: number | null;
  @ApiProperty({ type: [VersionHistoryEntry], description: 'Newest first' }) versions!: VersionHistoryEntry[];
}

export class AuthoringLessonResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) lessonKey!: string;
  @ApiProperty() position!: number;
  @ApiProperty({ enum: [...LESSON_KINDS] }) kind!: string;
  @ApiProperty() required!: boolean;
  @ApiProperty({ type: ContentTitleDto }) title!: Record<string, string>;
  @ApiProperty({ type: ContentBodyDto }) summary!: Record<string, string>;
  @ApiProperty({ type: VoiceDto, description: 'The summary read aloud: media ids by language' })
  summaryVoice!: Record<string, string>;
  @ApiProperty({ description: 'Full content, answer keys included (authors and reviewers only)' })
  content!: Record<string, unknown>;
}

export class AuthoringVersionResponse {
  @ApiProperty({ format: 'uuid' }) courseId!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: COURSE_STATUSES }) status!: string;
  @ApiProperty({ enum: COURSE_TOPICS }) topic!: string;
  @ApiProperty({ type: [String] }) learnerGroupIds!: string[];
  @ApiProperty({ type: ContentTitleDto }) title!: Record<string, string>;
  @ApiProperty({ type: ContentBodyDto }) summary!: Record<string, string>;
  @ApiProperty({ type: VoiceDto, description: 'The summary read aloud: media ids by language' })
  summaryVoice!: Record<string, string>;
  @ApiProperty({ nullable: true, type: String }) reviewNote!: string | null;
  @ApiProperty({ type: [AuthoringLessonResponse] }) lessons!: AuthoringLessonResponse[];
}

export class VersionInReviewEntry extends VersionHistoryEntry {
  @ApiProperty({ format: 'uuid' }) courseId!: string;
}

/** locale → complete | partial | missing */
const BY_LOCALE: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { type: 'string', enum: ['complete', 'partial', 'missing'] },
  example: { vi: 'complete', hmn: 'partial', ium: 'missing', tyz: 'missing' },
};

export class CourseTranslationResponse {
  @ApiProperty(BY_LOCALE) title!: Record<string, string>;
  @ApiProperty(BY_LOCALE) summary!: Record<string, string>;
  @ApiPropertyOptional({ ...BY_LOCALE, description: 'Recordings of the summary (when it has one)' })
  summaryVoice?: Record<string, string>;
}

export class LessonTranslationResponse {
  @ApiProperty({ format: 'uuid' }) lessonKey!: string;
  @ApiProperty() position!: number;
  @ApiProperty({ enum: [...LESSON_KINDS] }) kind!: string;
  @ApiProperty({ description: 'The Vietnamese title' }) title!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: BY_LOCALE as SchemaObject,
    description:
      'field (title, summary, summaryVoice, steps, questions, voice, video, subtitles…) → locale → coverage; `voice`: every text recorded in that language',
  })
  fields!: Record<string, Record<string, string>>;
}

export class TranslationMatrixResponse {
  @ApiProperty({ example: ['vi', 'hmn', 'ium', 'tyz'] }) locales!: string[];
  @ApiProperty({ type: CourseTranslationResponse }) course!: CourseTranslationResponse;
  @ApiProperty({ type: [LessonTranslationResponse] }) lessons!: LessonTranslationResponse[];
}

export class ReviewDecisionResponse {
  @ApiProperty({ format: 'uuid' }) courseId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['draft', 'published'] }) status!: 'draft' | 'published';
}

export class AttachMediaDto {
  @ApiProperty({ description: 'A video from POST /api/v1/media/uploads, uploaded and confirmed' })
  @IsUUID()
  mediaId!: string;
}

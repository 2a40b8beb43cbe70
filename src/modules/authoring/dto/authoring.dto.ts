import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { NormalizedText } from '../../../infrastructure/http/text.js';
import { ContentBodyDto, ContentTitleDto } from '../../catalog/dto/content-text.dto.js';
import { COURSE_STATUSES, COURSE_TOPICS } from '../../catalog/entities/course-version.entity.js';
import { LESSON_KINDS } from '../../catalog/entities/lesson.entity.js';

/** A per-language text field: documented, validated as a nested DTO, optional when asked. */
function LocalizedField(type: new () => object, options: { optional?: boolean; description?: string } = {}) {
  const doc = { type, description: options.description };
  return applyDecorators(
    ...(options.optional ? [ApiPropertyOptional(doc), IsOptional()] : [ApiProperty(doc)]),
    ValidateNested(),
    Type(() => type),
  );
}

/** One to ten distinct learner group ids. */
function LearnerGroupIdsField(options: { optional?: boolean } = {}) {
  const doc = { type: [String] as [StringConstructor], description: 'Learner group ids' };
  return applyDecorators(
    ...(options.optional ? [ApiPropertyOptional(doc), IsOptional()] : [ApiProperty(doc)]),
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
  @ApiPropertyOptional({ enum: COURSE_TOPICS }) @IsOptional() @IsIn(COURSE_TOPICS) topic?: string;
  @LearnerGroupIdsField({ optional: true }) learnerGroupIds?: string[];
  @LocalizedField(ContentTitleDto, {
    optional: true,
    description: 'Languages given replace those languages; others stay',
  })
  title?: ContentTitleDto;
  @LocalizedField(ContentBodyDto, { optional: true }) summary?: ContentBodyDto;
}

export class CreateLessonDto {
  @ApiProperty({ enum: LESSON_KINDS }) @IsIn(LESSON_KINDS) kind!: (typeof LESSON_KINDS)[number];
  @LocalizedField(ContentTitleDto) title!: ContentTitleDto;
  @LocalizedField(ContentBodyDto, { optional: true }) summary?: ContentBodyDto;
  @ApiPropertyOptional({ default: true, description: 'Counts towards course completion' })
  @IsOptional()
  @IsBoolean()
  required?: boolean;
  @ApiPropertyOptional({
    description: 'guide: { steps }; quiz: { passMark, maxAttempts, cooldownSeconds, questions }; video: {}',
  })
  @IsOptional()
  @IsObject()
  content?: Record<string, unknown>;
}

export class UpdateLessonDto {
  @LocalizedField(ContentTitleDto, { optional: true }) title?: ContentTitleDto;
  @LocalizedField(ContentBodyDto, { optional: true }) summary?: ContentBodyDto;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() required?: boolean;
  @ApiPropertyOptional({ description: 'Replaces the whole content of the lesson' })
  @IsOptional()
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
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) submittedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) publishedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) publishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewNote!: string | null;
}

export class AuthoringCourseResponse {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() ownerId!: string;
  @ApiProperty() archived!: boolean;
  @ApiProperty({ nullable: true, type: Number }) publishedVersion!: number | null;
  @ApiProperty({ type: [VersionHistoryEntry], description: 'Newest first' }) versions!: VersionHistoryEntry[];
}

export class AuthoringLessonResponse {
  @ApiProperty() id!: string;
  @ApiProperty() lessonKey!: string;
  @ApiProperty() position!: number;
  @ApiProperty({ enum: LESSON_KINDS }) kind!: string;
  @ApiProperty() required!: boolean;
  @ApiProperty({ type: ContentTitleDto }) title!: Record<string, string>;
  @ApiProperty({ type: ContentBodyDto }) summary!: Record<string, string>;
  @ApiProperty({ description: 'Full content, answer keys included (authors and reviewers only)' })
  content!: Record<string, unknown>;
}

export class AuthoringVersionResponse {
  @ApiProperty() courseId!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: COURSE_STATUSES }) status!: string;
  @ApiProperty({ enum: COURSE_TOPICS }) topic!: string;
  @ApiProperty({ type: [String] }) learnerGroupIds!: string[];
  @ApiProperty({ type: ContentTitleDto }) title!: Record<string, string>;
  @ApiProperty({ type: ContentBodyDto }) summary!: Record<string, string>;
  @ApiProperty({ nullable: true, type: String }) reviewNote!: string | null;
  @ApiProperty({ type: [AuthoringLessonResponse] }) lessons!: AuthoringLessonResponse[];
}

export class TranslationMatrixResponse {
  @ApiProperty({ example: ['vi', 'hmn', 'ium', 'tyz'] }) locales!: string[];
  @ApiProperty({ description: 'field → locale → complete | partial | missing' }) course!: Record<
    string,
    Record<string, string>
  >;
  @ApiProperty({ description: 'per lesson: field → locale → complete | partial | missing' })
  lessons!: {
    lessonKey: string;
    position: number;
    kind: string;
    title: string;
    fields: Record<string, Record<string, string>>;
  }[];
}

export class ReviewDecisionResponse {
  @ApiProperty() courseId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['draft', 'published'] }) status!: 'draft' | 'published';
}

export class AttachMediaDto {
  @ApiProperty({ description: 'A video from POST /api/v1/media/uploads, uploaded and confirmed' })
  @IsUUID()
  mediaId!: string;
}

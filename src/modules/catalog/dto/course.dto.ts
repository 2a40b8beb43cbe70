import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { PlayableVideoResponse } from '../../media/dto/media.dto.js';
import { PageMetaDto, PageQueryDto } from '../../../infrastructure/http/pagination.js';
import { NormalizedText } from '../../../infrastructure/http/text.js';
import { CONTENT_LOCALES } from '../../../infrastructure/i18n/locales.js';
import { COURSE_TOPICS } from '../entities/course-version.entity.js';
import { LESSON_KINDS } from '../../lesson-kinds/lesson-kinds.js';
import { LocalizedValueResponse } from '../../../infrastructure/i18n/localized-text.dto.js';

const CHAIN = /^(vi|hmn|ium|tyz|en)(,(vi|hmn|ium|tyz|en)){0,4}$/;

export class LangQueryDto {
  @ApiPropertyOptional({
    example: 'hmn,vi',
    description: 'Display languages, most preferred first (Vietnamese is always the last resort)',
  })
  @Optional()
  @Matches(CHAIN, { message: 'lang must be a comma-separated list of vi, hmn, ium, tyz, en' })
  lang?: string;
}

export class CatalogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Learner group code (e.g. elderly) or id' })
  @Optional()
  @IsString()
  @Length(2, 40)
  group?: string;
  @ApiPropertyOptional({ enum: CONTENT_LOCALES, description: 'Only courses available in this language' })
  @Optional()
  @IsIn(CONTENT_LOCALES)
  language?: string;
  @ApiPropertyOptional({ enum: COURSE_TOPICS }) @Optional() @IsIn(COURSE_TOPICS) topic?: string;
  @ApiPropertyOptional({
    example: 'thanh toan tien dien',
    description: 'Accent-insensitive search in every language',
  })
  @Optional()
  @NormalizedText()
  @IsString()
  @Length(1, 100)
  q?: string;
  @ApiPropertyOptional({ example: 'hmn,vi' })
  @Optional()
  @Matches(CHAIN, { message: 'lang must be a comma-separated list of vi, hmn, ium, tyz, en' })
  lang?: string;
}

export class LearnerGroupRefResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty({ type: LocalizedValueResponse }) name!: LocalizedValueResponse;
}

export class CourseSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ description: 'The published version shown' }) version!: number;
  @ApiProperty({ enum: COURSE_TOPICS }) topic!: string;
  @ApiProperty({ type: [LearnerGroupRefResponse] }) learnerGroups!: LearnerGroupRefResponse[];
  @ApiProperty({ type: LocalizedValueResponse }) title!: LocalizedValueResponse;
  @ApiProperty({ type: LocalizedValueResponse, nullable: true }) summary!: LocalizedValueResponse | null;
  @ApiProperty({ example: ['vi', 'hmn'], description: 'Languages the whole course is available in' })
  languages!: string[];
  @ApiProperty() lessonCount!: number;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
}

export class CoursePageResponse {
  @ApiProperty({ type: [CourseSummaryResponse] }) items!: CourseSummaryResponse[];
  @ApiProperty({ type: PageMetaDto }) meta!: PageMetaDto;
}

export class LessonVideoResponse extends PlayableVideoResponse {
  @ApiProperty({ example: 'vi', description: 'The language of the video served' }) locale!: string;
  @ApiProperty({ description: "True when the video is not in the learner's first language" })
  fallback!: boolean;
}

/** A recording of a text, in the best language there is: fetched when the learner taps it. */
export class LearnerVoiceResponse {
  @ApiProperty({ example: '/media/…/voice.m4a', description: 'AAC in M4A, about 32 kbps' }) url!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty() durationSeconds!: number;
  @ApiProperty({ example: 'hmn' }) locale!: string;
  @ApiProperty({ description: "True when it is not in the learner's first language" }) fallback!: boolean;
}

/** A file "save for offline" keeps: the lesson's recordings and pictures. */
export class OfflineFileResponse {
  @ApiProperty() url!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty({ enum: ['audio', 'picture'] }) kind!: 'audio' | 'picture';
}

export class LessonSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The same lesson across course versions' }) lessonKey!: string;
  @ApiProperty() position!: number;
  @ApiProperty({ enum: [...LESSON_KINDS] }) kind!: string;
  @ApiProperty() required!: boolean;
  @ApiProperty({ type: LocalizedValueResponse }) title!: LocalizedValueResponse;
  @ApiProperty({ type: LocalizedValueResponse, nullable: true }) summary!: LocalizedValueResponse | null;
  @ApiProperty({ type: LearnerVoiceResponse, nullable: true, description: 'The summary read aloud' })
  summaryVoice!: LearnerVoiceResponse | null;
  @ApiPropertyOptional({
    type: LessonVideoResponse,
    nullable: true,
    description: 'Video lessons: the video in the best language, with the size of each rendition',
  })
  video?: LessonVideoResponse | null;
}

export class CourseDetailResponse extends CourseSummaryResponse {
  @ApiProperty({ type: LearnerVoiceResponse, nullable: true, description: 'The summary read aloud' })
  summaryVoice!: LearnerVoiceResponse | null;
  @ApiProperty({ type: [LessonSummaryResponse] }) lessons!: LessonSummaryResponse[];
}

export class SubtitleTrackResponse {
  @ApiProperty({ example: 'hmn' }) locale!: string;
  @ApiProperty({ example: '/api/v1/lessons/…/subtitles/hmn', description: 'WebVTT' }) url!: string;
  @ApiProperty() cues!: number;
  @ApiProperty() bytes!: number;
}

export class LessonDetailResponse extends LessonSummaryResponse {
  @ApiProperty({
    type: [SubtitleTrackResponse],
    description: "Video lessons: subtitle tracks, the learner's languages first",
  })
  subtitles!: SubtitleTrackResponse[];
  @ApiProperty({ format: 'uuid' }) courseId!: string;
  @ApiProperty() courseVersion!: number;
  @ApiProperty({
    description:
      'Kind-specific: guide steps, or quiz questions without answers. Each text may have a `voice` (a LearnerVoiceResponse, or null) and steps and picture choices a `picture`',
  })
  content!: Record<string, unknown>;
  @ApiProperty({
    type: [OfflineFileResponse],
    description: 'The recordings (in the best language) and pictures (WebP) of the lesson, for offline use',
  })
  offlineFiles!: OfflineFileResponse[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { NestedObject, Optional } from '../../../infrastructure/http/input-rules.js';
import { NormalizedText } from '../../../infrastructure/http/text.js';
import { PageQueryDto } from '../../../infrastructure/http/pagination.js';
import {
  LocalizedLongTextDto,
  LocalizedShortTextDto,
} from '../../../infrastructure/i18n/localized-text.dto.js';
import { APPLICATION_STATUSES } from '../entities/application.entity.js';
import { MENTORING_TASKS } from '../entities/mentoring-record.entity.js';

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

export class CreateProgrammeDto {
  @ApiProperty({ example: 'nguoi-ban-so-lao-cai' })
  @Matches(/^[a-z0-9][a-z0-9-]{2,39}$/, { message: 'code must be 3–40 lower-case letters, digits or dashes' })
  code!: string;
  @ApiProperty({ description: 'The province whose villages the programme certifies' })
  @IsUUID()
  provinceId!: string;
  @ApiProperty({ example: 'NBS-LCI' })
  @Matches(/^[A-Z][A-Z0-9]{1,7}(-[A-Z0-9]{1,7})?$/, { message: 'serialPrefix must look like NBS-LCI' })
  serialPrefix!: string;
  @ApiProperty({ type: LocalizedShortTextDto })
  @NestedObject(() => LocalizedShortTextDto)
  names!: LocalizedShortTextDto;
  @ApiPropertyOptional({ type: LocalizedLongTextDto })
  @Optional()
  @NestedObject(() => LocalizedLongTextDto)
  descriptions?: LocalizedLongTextDto;
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  requiredCourseIds!: string[];
  @ApiProperty({ minimum: 0, maximum: 100, example: 70 })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  minAverageQuizScore!: number;
  @ApiProperty({ minimum: 0, maximum: 1000, example: 5, description: 'Households helped under "1 kèm 5"' })
  @IsInt()
  @Min(0)
  @Max(1000)
  minHouseholds!: number;
  @ApiProperty({ minimum: 1, maximum: 120, example: 24 })
  @IsInt()
  @Min(1)
  @Max(120)
  validityMonths!: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 365, default: 90 })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(365)
  renewalWindowDays?: number;
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 730,
    default: 90,
    description:
      'An ambassador is active while they helped a household, or were certified, within this many days',
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(730)
  activeWithinDays?: number;
}

export class UpdateProgrammeDto {
  @ApiPropertyOptional({ type: LocalizedShortTextDto })
  @Optional()
  @NestedObject(() => LocalizedShortTextDto)
  names?: LocalizedShortTextDto;
  @ApiPropertyOptional({ type: LocalizedLongTextDto })
  @Optional()
  @NestedObject(() => LocalizedLongTextDto)
  descriptions?: LocalizedLongTextDto;
  @ApiPropertyOptional({ type: [String] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  requiredCourseIds?: string[];
  @ApiPropertyOptional()
  @Optional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  minAverageQuizScore?: number;
  @ApiPropertyOptional() @Optional() @IsInt() @Min(0) @Max(1000) minHouseholds?: number;
  @ApiPropertyOptional() @Optional() @IsInt() @Min(1) @Max(120) validityMonths?: number;
  @ApiPropertyOptional() @Optional() @IsInt() @Min(0) @Max(365) renewalWindowDays?: number;
  @ApiPropertyOptional() @Optional() @IsInt() @Min(1) @Max(730) activeWithinDays?: number;
  @ApiPropertyOptional() @Optional() @IsBoolean() active?: boolean;
}

export class PhotoUploadDto {
  @ApiProperty({ enum: PHOTO_TYPES }) @IsIn(PHOTO_TYPES) contentType!: string;
  @ApiProperty({ description: 'Bytes; at most 5 MB' }) @IsInt() @Min(1) size!: number;
}

export class CreateMentoringRecordDto {
  @ApiProperty({ example: '2026-11-20' }) @IsDateString({ strict: true }) helpedOn!: string;
  @ApiProperty({ example: 'Hộ ông Sùng A Páo' })
  @NormalizedText()
  @IsString()
  @Length(2, 120)
  household!: string;
  @ApiPropertyOptional({ description: "The household's village" }) @Optional() @IsUUID() villageId?: string;
  @ApiProperty({ enum: MENTORING_TASKS }) @IsIn(MENTORING_TASKS) task!: string;
  @ApiPropertyOptional({ example: 'Cài VNeID mức 2 cho cả hai vợ chồng' })
  @Optional()
  @NormalizedText()
  @IsString()
  @Length(1, 500)
  note?: string;
  @ApiPropertyOptional({ type: PhotoUploadDto, description: 'Declare a photo to get an upload link' })
  @Optional()
  @NestedObject(() => PhotoUploadDto)
  photo?: PhotoUploadDto;
}

export class ApplyDto {
  @ApiProperty() @IsUUID() programmeId!: string;
  @ApiPropertyOptional({ description: "The village to serve; defaults to the candidate's own" })
  @Optional()
  @IsUUID()
  villageId?: string;
  @ApiPropertyOptional({ description: 'Trainers nominating someone else give their user id' })
  @Optional()
  @IsUUID()
  candidateId?: string;
  @ApiPropertyOptional({ example: 'Tôi đã giúp bà con trong bản cài VNeID và trả tiền điện qua điện thoại.' })
  @Optional()
  @NormalizedText({ multiline: true })
  @IsString()
  @Length(1, 1000)
  statement?: string;
}

/** How long a decision's reason may be (the portal's forms quote it). */
export const DECISION_REASON_LENGTH = { min: 3, max: 1000 } as const;

export class DecisionDto {
  @ApiProperty({ example: 'Đã xác minh 5 hộ tại thôn Sải Duần.' })
  @NormalizedText({ multiline: true })
  @IsString()
  @Length(DECISION_REASON_LENGTH.min, DECISION_REASON_LENGTH.max)
  reason!: string;
}

export class ReissueDto extends DecisionDto {
  @ApiPropertyOptional({ description: 'The corrected name to print; defaults to the holder’s current name' })
  @Optional()
  @NormalizedText()
  @IsString()
  @Length(2, 120)
  holderName?: string;
}

export class ApplicationQueueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: APPLICATION_STATUSES, default: 'submitted' })
  @Optional()
  @IsIn(APPLICATION_STATUSES)
  status?: (typeof APPLICATION_STATUSES)[number];
  @ApiPropertyOptional() @Optional() @IsUUID() programmeId?: string;
  @ApiPropertyOptional({ description: 'Only villages inside this locality (within your area)' })
  @Optional()
  @IsUUID()
  localityId?: string;
}

/** A credential someone wants checked, as JSON, with the PDF's hash if they have the PDF. */
export class CheckCredentialDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The credential (JSON-LD)' })
  @IsObject()
  credential!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'SHA-256 of the PDF (hex), computed by the reader' })
  @Optional()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'pdfSha256 must be 64 hexadecimal characters' })
  pdfSha256?: string;
}

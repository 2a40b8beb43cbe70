import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, Matches, Max, Min } from 'class-validator';
import { NestedObject, Optional } from '../../../infrastructure/http/input-rules.js';
import { ALL_LOCALES } from '../../../infrastructure/i18n/locales.js';
import {
  LocalizedLongTextDto,
  LocalizedShortTextDto,
  LocalizedValueResponse,
} from '../../../infrastructure/i18n/localized-text.dto.js';

export class LearnerGroupQueryDto {
  @ApiPropertyOptional({ enum: ALL_LOCALES, description: 'Preferred language for `name`; falls back to vi' })
  @Optional()
  @IsIn(ALL_LOCALES)
  lang?: string;

  @ApiPropertyOptional({ description: 'Admins: include archived groups' })
  @Optional()
  @Type(() => String)
  @IsIn(['true', 'false'])
  includeArchived?: 'true' | 'false';
}

export class CreateLearnerGroupDto {
  @ApiProperty({ example: 'people-with-disabilities' })
  @Matches(/^[a-z][a-z0-9-]{1,39}$/, { message: 'code must be lowercase letters, digits and dashes (2–40)' })
  code!: string;

  @ApiProperty({ type: LocalizedShortTextDto })
  @NestedObject(() => LocalizedShortTextDto)
  names!: LocalizedShortTextDto;

  @ApiPropertyOptional({ type: LocalizedLongTextDto })
  @Optional()
  @NestedObject(() => LocalizedLongTextDto)
  descriptions?: LocalizedLongTextDto;

  @ApiPropertyOptional({ default: 100 }) @Optional() @IsInt() @Min(0) @Max(10_000) sortOrder?: number;
}

export class UpdateLearnerGroupDto {
  @ApiPropertyOptional({ type: LocalizedShortTextDto })
  @Optional()
  @NestedObject(() => LocalizedShortTextDto)
  names?: LocalizedShortTextDto;

  @ApiPropertyOptional({ type: LocalizedLongTextDto })
  @Optional()
  @NestedObject(() => LocalizedLongTextDto)
  descriptions?: LocalizedLongTextDto;

  @ApiPropertyOptional() @Optional() @IsInt() @Min(0) @Max(10_000) sortOrder?: number;
  @ApiPropertyOptional({ description: 'Archive (true) or restore (false)' })
  @Optional()
  @IsBoolean()
  archived?: boolean;
}

export class LearnerGroupResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty({ type: LocalizedValueResponse }) name!: LocalizedValueResponse;
  @ApiProperty({ type: LocalizedValueResponse, nullable: true }) description!: LocalizedValueResponse | null;
  @ApiProperty({ type: LocalizedShortTextDto }) names!: Record<string, string>;
  @ApiProperty({ type: LocalizedLongTextDto }) descriptions!: Record<string, string>;
  @ApiProperty() sortOrder!: number;
  @ApiProperty() archived!: boolean;
}

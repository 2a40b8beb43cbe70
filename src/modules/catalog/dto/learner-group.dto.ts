import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ALL_LOCALES } from '../../../infrastructure/i18n/locales.js';
import { LocalizedLongTextDto, LocalizedShortTextDto, LocalizedValueResponse } from './localized-text.dto.js';

export class LearnerGroupQueryDto {
  @ApiPropertyOptional({ enum: ALL_LOCALES, description: 'Preferred language for `name`; falls back to vi' })
  @IsOptional()
  @IsIn(ALL_LOCALES)
  lang?: string;

  @ApiPropertyOptional({ description: 'Admins: include archived groups' })
  @IsOptional()
  @Type(() => String)
  @IsIn(['true', 'false'])
  includeArchived?: 'true' | 'false';
}

export class CreateLearnerGroupDto {
  @ApiProperty({ example: 'people-with-disabilities' })
  @Matches(/^[a-z][a-z0-9-]{1,39}$/, { message: 'code must be lowercase letters, digits and dashes (2–40)' })
  code!: string;

  @ApiProperty({ type: LocalizedShortTextDto })
  @ValidateNested()
  @Type(() => LocalizedShortTextDto)
  names!: LocalizedShortTextDto;

  @ApiPropertyOptional({ type: LocalizedLongTextDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocalizedLongTextDto)
  descriptions?: LocalizedLongTextDto;

  @ApiPropertyOptional({ default: 100 }) @IsOptional() @IsInt() @Min(0) @Max(10_000) sortOrder?: number;
}

export class UpdateLearnerGroupDto {
  @ApiPropertyOptional({ type: LocalizedShortTextDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocalizedShortTextDto)
  names?: LocalizedShortTextDto;

  @ApiPropertyOptional({ type: LocalizedLongTextDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocalizedLongTextDto)
  descriptions?: LocalizedLongTextDto;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000) sortOrder?: number;
  @ApiPropertyOptional({ description: 'Archive (true) or restore (false)' })
  @IsOptional()
  @IsBoolean()
  archived?: boolean;
}

export class LearnerGroupResponse {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty({ type: LocalizedValueResponse }) name!: LocalizedValueResponse;
  @ApiProperty({ type: LocalizedValueResponse, nullable: true }) description!: LocalizedValueResponse | null;
  @ApiProperty({ type: LocalizedShortTextDto }) names!: Record<string, string>;
  @ApiProperty({ type: LocalizedLongTextDto }) descriptions!: Record<string, string>;
  @ApiProperty() sortOrder!: number;
  @ApiProperty() archived!: boolean;
}

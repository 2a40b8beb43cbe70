import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';
import { LangQueryDto } from '../../catalog/dto/course.dto.js';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { PageQueryDto } from '../../../infrastructure/http/pagination.js';

export class LocalityQueryDto extends PageQueryDto {
  @ApiProperty({ description: 'A province or commune (or village)' }) @IsUUID() localityId!: string;
  @ApiPropertyOptional({ description: 'Language fallback chain for names, e.g. hmn,vi' })
  @Optional()
  @IsString()
  @Length(2, 40)
  lang?: string;
}

export class LocalityReportQueryDto extends LangQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Add `byCourse`, every course learned there (up to a few hundred rows); default false',
  })
  @Optional()
  @IsIn(['true', 'false'])
  byCourse?: 'true' | 'false';
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class ActivityQueryDto {
  @ApiProperty({ description: 'A province, commune or village' }) @IsUUID() localityId!: string;
  @ApiPropertyOptional({
    example: '2026-11-01',
    description: "First day (Vietnam's calendar); default 29 days before `to`",
  })
  @Optional()
  @Matches(DAY, { message: 'from must be a day, YYYY-MM-DD' })
  @IsDateString({ strict: true })
  from?: string;
  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last day, included; default today' })
  @Optional()
  @Matches(DAY, { message: 'to must be a day, YYYY-MM-DD' })
  @IsDateString({ strict: true })
  to?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, Length, ValidateIf } from 'class-validator';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { RANK_BY } from '../ranking.service.js';

export class RankingQueryDto {
  @ApiPropertyOptional({ enum: RANK_BY, default: 'coverage' })
  @Optional()
  @IsIn(RANK_BY)
  by?: (typeof RANK_BY)[number];
}

export class RankingImageQueryDto {
  @ApiPropertyOptional({ enum: ['vi', 'hmn', 'en'], default: 'vi' })
  @Optional()
  @IsString()
  @IsIn(['vi', 'hmn', 'en'])
  @Length(2, 3)
  lang?: string;
}

export class PublishRankingDto {
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    example: '2026-12-15T08:00:00+07:00',
    description: 'Public from this moment (now or later); null withdraws it',
  })
  @ValidateIf((_o, v) => v !== null)
  @IsISO8601({ strict: true, strictSeparator: true })
  publishedFrom!: string | null;
}

class RankedCommuneResponse {
  @ApiProperty({ type: 'integer' }) rank!: number;
  @ApiProperty({ format: 'uuid' }) communeId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) villages!: number;
  @ApiProperty({ type: 'integer' }) coveredVillages!: number;
  @ApiProperty({ description: 'Villages with an active ambassador, in %' }) activeVillagePercent!: number;
  @ApiProperty({ type: 'integer' }) activeAmbassadors!: number;
  @ApiProperty({ type: 'integer' }) certifiedAmbassadors!: number;
  @ApiProperty({ type: 'integer' }) householdsHelped!: number;
  @ApiProperty({ type: Number, nullable: true, description: "0–100: the targets' goals reached, averaged" })
  targetProgressPercent!: number | null;
  @ApiProperty({ enum: ['own', 'province', 'none'] }) targetSource!: string;
}

export class RankingResponse {
  @ApiProperty({ format: 'uuid' }) programmeId!: string;
  @ApiProperty({ format: 'uuid' }) provinceId!: string;
  @ApiProperty() provinceName!: string;
  @ApiProperty({ enum: RANK_BY }) by!: string;
  @ApiProperty({ example: '2026-12-07' }) today!: string;
  @ApiProperty({ type: [RankedCommuneResponse], description: 'Best first; ties share a rank' })
  items!: RankedCommuneResponse[];
}

export class RankingPublicationResponse {
  @ApiProperty({ format: 'uuid' }) programmeId!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) publishedFrom!: string | null;
  @ApiProperty({ description: 'Public right now' }) published!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) changedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) changedAt!: string | null;
}

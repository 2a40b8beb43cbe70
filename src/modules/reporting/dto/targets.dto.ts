import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsNumber, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { NormalizedText } from '../../../infrastructure/http/text.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class SetTargetDto {
  @ApiProperty({ example: '2028-12-31', description: "The deadline, a day in Vietnam's calendar" })
  @Matches(DAY, { message: 'deadline must be a day, YYYY-MM-DD' })
  @IsDateString({ strict: true })
  @Matches(/^20[2-9]\d-/, { message: 'deadline must lie between 2020 and 2099' })
  deadline!: string;
  @ApiPropertyOptional({ type: 'integer', example: 3000, description: 'Holders of a valid certificate' })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  certifiedAmbassadors?: number;
  @ApiPropertyOptional({ example: 100, description: 'Villages with an active ambassador, in %' })
  @Optional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  activeVillagePercent?: number;
  @ApiPropertyOptional({ type: 'integer', example: 15000, description: 'Households helped under "1 kèm 5"' })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  householdsHelped?: number;
  @ApiPropertyOptional({ example: 'Theo Kế hoạch 2026 của tỉnh', description: 'Why it changed' })
  @Optional()
  @NormalizedText()
  @IsString()
  @MaxLength(300)
  note?: string;
  @ApiPropertyOptional({
    type: 'integer',
    description: 'The version this change was made from: 409 REPORTING_TARGET_CHANGED if another came since',
  })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  basedOnVersion?: number;
}

export class RemoveTargetQueryDto {
  @ApiPropertyOptional({ type: 'integer', description: 'As for setting a target' })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  basedOnVersion?: number;
}

class TargetGoalsResponse {
  @ApiProperty({ type: 'integer', nullable: true }) certifiedAmbassadors!: number | null;
  @ApiProperty({ type: Number, nullable: true }) activeVillagePercent!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) householdsHelped!: number | null;
}

class ActualFiguresResponse {
  @ApiProperty({ type: 'integer' }) certifiedAmbassadors!: number;
  @ApiProperty({ description: 'Villages with an active ambassador, in %' }) activeVillagePercent!: number;
  @ApiProperty({ type: 'integer' }) householdsHelped!: number;
  @ApiProperty({ type: 'integer' }) activeAmbassadors!: number;
  @ApiProperty({ type: 'integer' }) villages!: number;
  @ApiProperty({ type: 'integer' }) coveredVillages!: number;
}

class ProjectionResponse {
  @ApiProperty() goal!: number;
  @ApiProperty() actual!: number;
  @ApiProperty({ description: 'Gained per day over the pace window' }) perDay!: number;
  @ApiProperty({ description: 'Needed per day from today to reach the goal by the deadline' })
  neededPerDay!: number;
  @ApiProperty({ enum: ['reached', 'on_track', 'behind', 'stalled'] }) status!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2028-07-29',
    description: 'The day reached at this pace',
  })
  reachesOn!: string | null;
}

class ProjectionsResponse {
  @ApiProperty({ type: ProjectionResponse, nullable: true }) certifiedAmbassadors!: ProjectionResponse | null;
  @ApiProperty({ type: ProjectionResponse, nullable: true }) activeVillagePercent!: ProjectionResponse | null;
  @ApiProperty({ type: ProjectionResponse, nullable: true }) householdsHelped!: ProjectionResponse | null;
}

export class TargetResponse {
  @ApiProperty({ format: 'uuid' }) programmeId!: string;
  @ApiProperty({ format: 'uuid' }) localityId!: string;
  @ApiProperty() localityName!: string;
  @ApiProperty({ enum: ['province', 'commune'] }) level!: string;
  @ApiProperty({ example: '2026-12-07', description: "Today in Vietnam's calendar" }) today!: string;
  @ApiProperty({ type: 'integer' }) paceWindowDays!: number;
  @ApiProperty({
    enum: ['own', 'province', 'none'],
    description: "The locality's own target, its share of the province's, or none",
  })
  source!: string;
  @ApiProperty({ type: 'integer', description: "The locality's own latest version (0: never set)" })
  version!: number;
  @ApiProperty({ type: String, nullable: true }) deadline!: string | null;
  @ApiProperty({ type: TargetGoalsResponse, nullable: true }) goals!: TargetGoalsResponse | null;
  @ApiProperty({ type: ActualFiguresResponse }) actual!: ActualFiguresResponse;
  @ApiProperty({ type: ProjectionsResponse }) projections!: ProjectionsResponse;
}

class ChangedByResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) displayName!: string | null;
}

class TargetVersionResponse {
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty() removed!: boolean;
  @ApiProperty({ type: String, nullable: true }) deadline!: string | null;
  @ApiProperty({ type: TargetGoalsResponse, nullable: true }) goals!: TargetGoalsResponse | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: ChangedByResponse }) changedBy!: ChangedByResponse;
  @ApiProperty() changedAt!: string;
}

export class TargetHistoryResponse {
  @ApiProperty({ format: 'uuid' }) localityId!: string;
  @ApiProperty({ type: [TargetVersionResponse], description: 'Newest first' })
  items!: TargetVersionResponse[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LocalizedValueResponse } from '../../../infrastructure/i18n/localized-text.dto.js';
import { LOCALITY_LEVELS } from '../../geography/geography.types.js';
import { PageMetaDto } from '../../../infrastructure/http/pagination.js';

const uuid = { type: String, format: 'uuid' } as const;
const dateTime = { type: String, format: 'date-time' } as const;

class AmbassadorResponse {
  @ApiProperty(uuid) certificateId!: string;
  @ApiProperty() serial!: string;
  @ApiProperty(uuid) holderId!: string;
  @ApiProperty() holderName!: string;
  @ApiProperty(uuid) villageId!: string;
  @ApiProperty({ type: String, nullable: true }) villageName!: string | null;
  @ApiProperty(dateTime) issuedAt!: string;
  @ApiProperty(dateTime) expiresAt!: string;
}

export class AmbassadorPageResponse {
  @ApiProperty(uuid) localityId!: string;
  @ApiProperty({ type: [AmbassadorResponse] }) items!: AmbassadorResponse[];
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) pageSize!: number;
  @ApiProperty({ type: 'integer' }) total!: number;
}

class CoverageLocality {
  @ApiProperty(uuid) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: LOCALITY_LEVELS }) level!: string;
}

class CoveragePart {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ enum: LOCALITY_LEVELS, nullable: true }) level!: string | null;
  @ApiProperty({ type: 'integer' }) villages!: number;
  @ApiProperty({ type: 'integer' }) covered!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) coverage!: number;
}

class UncoveredVillage {
  @ApiProperty(uuid) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ ...uuid, nullable: true, description: 'Set when the locality is a province' })
  communeId!: string | null;
}

export class CoverageResponse {
  @ApiProperty({ type: CoverageLocality }) locality!: CoverageLocality;
  @ApiProperty({ type: 'integer' }) villages!: number;
  @ApiProperty({ type: 'integer', description: 'Villages with at least one active ambassador' })
  covered!: number;
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.25 }) coverage!: number;
  @ApiProperty({ type: 'integer' }) activeAmbassadors!: number;
  @ApiProperty({
    type: [CoveragePart],
    description: 'Communes of a province (villages of a commune), least covered first',
  })
  parts!: CoveragePart[];
  @ApiProperty({
    type: [UncoveredVillage],
    description: 'Villages without an active ambassador, by name: the page `page` of `pageSize`',
  })
  uncovered!: UncoveredVillage[];
  @ApiProperty({ type: PageMetaDto, description: 'Which page of the uncovered villages, of how many' })
  uncoveredPage!: PageMetaDto;
}

export class ProgressCountsResponse {
  @ApiProperty() enrolled!: number;
  @ApiProperty() notStarted!: number;
  @ApiProperty() inProgress!: number;
  @ApiProperty() completed!: number;
}

export class GroupCountsResponse extends ProgressCountsResponse {
  @ApiProperty({ nullable: true, type: String, description: 'null: learners without a group' }) code!:
    string | null;
  @ApiProperty({ type: LocalizedValueResponse, nullable: true }) name!: LocalizedValueResponse | null;
}

export class LocalityCountsResponse extends ProgressCountsResponse {
  @ApiProperty({ nullable: true, type: String, description: 'null: learners without a village' }) id!:
    string | null;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
}

export class CourseCountsResponse extends ProgressCountsResponse {
  @ApiProperty({ format: 'uuid' }) courseId!: string;
  @ApiProperty({ type: LocalizedValueResponse, nullable: true, description: 'Its published title' })
  title!: LocalizedValueResponse | null;
}

export class ProgressReportResponse {
  @ApiPropertyOptional() courseId?: string;
  @ApiPropertyOptional() localityId?: string;
  @ApiProperty({
    description: 'Coordinators: counted only for learners living in their locality',
    type: [String],
  })
  scopedTo!: string[];
  @ApiProperty({ type: ProgressCountsResponse }) totals!: ProgressCountsResponse;
  @ApiProperty({ type: [GroupCountsResponse] }) byLearnerGroup!: GroupCountsResponse[];
  @ApiProperty({ type: [LocalityCountsResponse], description: 'By the next level down (commune, village)' })
  byLocality!: LocalityCountsResponse[];
  @ApiPropertyOptional({
    type: [CourseCountsResponse],
    description: "A place's report: by course, most enrolled first",
  })
  byCourse?: CourseCountsResponse[];
}

export class ActivityCountsResponse {
  @ApiProperty({ type: 'integer' }) courseCompletions!: number;
  @ApiProperty({ type: 'integer' }) certificatesIssued!: number;
  @ApiProperty({ type: 'integer' }) certificatesRevoked!: number;
}

export class ActivityDayResponse extends ActivityCountsResponse {
  @ApiProperty({ example: '2026-11-20' }) day!: string;
}

export class ActivityResponse {
  @ApiProperty(uuid) localityId!: string;
  @ApiProperty({ example: '2026-11-01' }) from!: string;
  @ApiProperty({ example: '2026-11-30' }) to!: string;
  @ApiProperty({ type: ActivityCountsResponse }) totals!: ActivityCountsResponse;
  @ApiProperty({ type: [ActivityDayResponse], description: 'Every day of the range, oldest first' })
  days!: ActivityDayResponse[];
  @ApiProperty({
    ...dateTime,
    nullable: true,
    description: 'When the figures last caught up with the outbox (null: not yet)',
  })
  updatedAt!: string | null;
}

import { IsString, MaxLength } from 'class-validator';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { PageQueryDto } from '../../../infrastructure/http/pagination.js';

/** Every coordinator page reads `?lang=` (remembered language) and `?notice=` (after a redirect). */
export class PortalPageQueryDto extends PageQueryDto {
  @Optional() @IsString() @MaxLength(8) lang?: string;
  @Optional() @IsString() @MaxLength(40) notice?: string;
}

/** The CSV exports of the coordinator's area, or of one locality inside it. */
export function exportLinks(localityId?: string) {
  const query = localityId ? `?locality=${localityId}` : '';
  return {
    candidates: `/coordinate/exports/candidates.csv${query}`,
    ambassadors: `/coordinate/exports/ambassadors.csv${query}`,
    coverage: `/coordinate/exports/coverage.csv${query}`,
  };
}

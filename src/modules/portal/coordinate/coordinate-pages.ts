import { IsString, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { vietnamDay } from '../../../infrastructure/i18n/vietnam-time.js';
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

/** A CSV download named after its table and today (Vietnam), never cached. */
export function sendCsv(reply: FastifyReply, name: string, csv: string) {
  return reply
    .status(200)
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}-${vietnamDay(new Date())}.csv"`)
    .header('cache-control', 'no-store')
    .send(csv);
}

import { Get, Inject, Query } from '@nestjs/common';
import { IsString, IsUUID, MaxLength } from 'class-validator';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { Roles } from '../../../infrastructure/auth/auth.decorators.js';
import { AreaScope } from '../../geography/area-scope.service.js';
import { AmbassadorRegistryService } from '../../reporting/ambassador-registry.service.js';
import { ExportsService, type ExportReader } from '../../reporting/exports.service.js';
import { type PortalPage } from '../shell/portal-view.js';
import { Page, PortalPages } from '../shell/page.js';
import { exportLinks, PortalPageQueryDto, sendCsv } from './coordinate-pages.js';

const REGISTRY_PAGE_SIZE = 50;

class CoverageQueryDto extends PortalPageQueryDto {
  @Optional() @IsUUID() locality?: string;
}

class ExportQueryDto {
  @Optional() @IsString() @MaxLength(8) lang?: string;
  @Optional() @IsUUID() locality?: string;
}

const percent = (ratio: number) => Math.round(ratio * 1000) / 10;

/**
 * Coverage of the coordinator's area (villages with an active ambassador), the ambassador
 * registry, and the CSV exports; the figures come from the reporting module.
 */
@Roles('coordinator')
@PortalPages('coordinate', 'coordinate')
export class CoveragePagesController {
  constructor(
    @Inject(AmbassadorRegistryService) private readonly registry: AmbassadorRegistryService,
    @Inject(ExportsService) private readonly exports: ExportsService,
    @Inject(AreaScope) private readonly area: AreaScope,
  ) {}

  @Get('coverage')
  async coverage(@Page() page: PortalPage, @Query() query: CoverageQueryDto) {
    const who = page.principal!;
    const roots = await this.area.roots(who);
    const localityId = query.locality ?? roots[0].id;
    const [coverage, registry] = await Promise.all([
      this.registry.coverage(who, localityId),
      this.registry.ambassadors(who, localityId, query.page, REGISTRY_PAGE_SIZE),
    ]);
    const partNames = new Map(coverage.parts.map((p) => [p.id, p.name]));
    const pages = Math.max(1, Math.ceil(registry.total / registry.pageSize));
    const href = (p: number) =>
      `/coordinate/coverage?${new URLSearchParams({ locality: localityId, page: String(p) }).toString()}`;
    const partsAreVillages = coverage.parts.every((p) => p.level === 'village');
    return page.render(
      'coordinate/coverage',
      {
        locality: {
          name: coverage.locality.name,
          level: page.t(`coordinate.level.${coverage.locality.level}`),
        },
        // The coordinator's own areas, to switch between them or climb back from a commune.
        areas:
          roots.length > 1 || !roots.some((r) => r.id === localityId)
            ? roots.map((r) => ({
                name: r.name,
                level: page.t(`coordinate.level.${r.level}`),
                href: `/coordinate/coverage?locality=${r.id}`,
                current: r.id === localityId,
              }))
            : [],
        summary: {
          villages: coverage.villages,
          covered: coverage.covered,
          percent: percent(coverage.coverage),
          activeAmbassadors: coverage.activeAmbassadors,
        },
        partsHeading: page.t(
          partsAreVillages ? 'coordinate.coverage.byVillage' : 'coordinate.coverage.byCommune',
        ),
        partColumn: page.t(partsAreVillages ? 'coordinate.col.village' : 'coordinate.col.commune'),
        parts: coverage.parts.map((p) => ({
          name: p.name ?? '—',
          villages: p.villages,
          covered: p.covered,
          percent: percent(p.coverage),
          href: p.level === 'commune' ? `/coordinate/coverage?locality=${p.id}` : null,
        })),
        uncovered: coverage.uncovered.map((v) => ({
          // In a commune's view (a few dozen villages), each links to its practice confirmations.
          practiceHref: partsAreVillages ? `/practice-confirmations?village=${v.id}` : null,
          name: v.name,
          commune: v.communeId ? (partNames.get(v.communeId) ?? null) : null,
        })),
        ambassadors: registry.items.map((a) => ({
          holderName: a.holderName,
          village: a.villageName ?? '—',
          serial: a.serial,
          issuedAt: a.issuedAt,
          expiresAt: a.expiresAt,
        })),
        registryTotal: registry.total,
        paging: {
          page: registry.page,
          pages,
          prev: registry.page > 1 ? href(registry.page - 1) : null,
          next: registry.page < pages ? href(registry.page + 1) : null,
        },
        exports: exportLinks(localityId),
      },
      { title: page.t('coordinate.coverage.title') },
    );
  }

  /** Applications in the coordinator's area (or `?locality=` inside it), every status, oldest first. */
  @Get('exports/candidates.csv')
  async candidatesCsv(@Page() page: PortalPage, @Query() query: ExportQueryDto) {
    return sendCsv(page.reply, 'candidates', await this.exports.candidates(reader(page), query.locality));
  }

  /** Active ambassadors (valid certificate) serving villages of the area, by village. */
  @Get('exports/ambassadors.csv')
  async ambassadorsCsv(@Page() page: PortalPage, @Query() query: ExportQueryDto) {
    return sendCsv(page.reply, 'ambassadors', await this.exports.ambassadors(reader(page), query.locality));
  }

  /** One row per village of the area: its commune, how many active ambassadors serve it, covered or not. */
  @Get('exports/coverage.csv')
  async coverageCsv(@Page() page: PortalPage, @Query() query: ExportQueryDto) {
    return sendCsv(page.reply, 'coverage', await this.exports.coverage(reader(page), query.locality));
  }
}

const reader = (page: PortalPage): ExportReader => ({ who: page.principal!, t: page.t, chain: page.chain });

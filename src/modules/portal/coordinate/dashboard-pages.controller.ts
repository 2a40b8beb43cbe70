import { Get, Inject, Query } from '@nestjs/common';
import { IsUUID } from 'class-validator';
import { Roles } from '../../../infrastructure/auth/auth.decorators.js';
import { hasRole, type Principal } from '../../../infrastructure/auth/roles.js';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { documentDayOf } from '../../../infrastructure/i18n/vietnam-time.js';
import { AreaScope } from '../../geography/area-scope.service.js';
import { GeographyService } from '../../geography/geography.service.js';
import { DashboardService, WAITING_DAYS } from '../../reporting/dashboard.service.js';
import type { Projection } from '../../reporting/targets.js';
import { Page, PortalPages } from '../shell/page.js';
import { type PortalPage } from '../shell/portal-view.js';
import { barChart } from './charts.js';
import { exportLinks, PortalPageQueryDto } from './coordinate-pages.js';

class DashboardQueryDto extends PortalPageQueryDto {
  @Optional() @IsUUID() locality?: string;
}

const TRENDS = ['enrolments', 'completions', 'certificatesIssued', 'householdsHelped'] as const;
const METRICS = ['certifiedAmbassadors', 'activeVillagePercent', 'householdsHelped'] as const;
const shortDay = (day: string) => day.slice(8, 10) + '/' + day.slice(5, 7);
const longDay = (day: string | null) => (day ? documentDayOf(day) : '');

/**
 * The coordinators' (and admins') dashboard: one place of their area against the programme's targets, with
 * where the current pace leads, weekly trends (server-drawn SVG beside their tables), progress by
 * learner group, coverage of the places below (to drill down) and the ambassadors gone quiet.
 */
@Roles('coordinator', 'admin')
@PortalPages('coordinate', 'coordinate')
export class DashboardPagesController {
  constructor(
    @Inject(DashboardService) private readonly dashboards: DashboardService,
    @Inject(AreaScope) private readonly area: AreaScope,
    @Inject(GeographyService) private readonly geography: GeographyService,
  ) {}

  /** Where a coordinator may look (their grants), or, for admins, every province. */
  private async roots(who: Principal) {
    if (!hasRole(who, 'admin')) return this.area.roots(who);
    return (await this.geography.search({ level: 'province', page: 1, pageSize: 100 })).items;
  }

  @Get('dashboard')
  async dashboard(@Page() page: PortalPage, @Query() query: DashboardQueryDto) {
    const who = page.principal!;
    const roots = await this.roots(who);
    const localityId = query.locality ?? roots[0].id;
    const d = await this.dashboards.overview(who, localityId, page.locale);
    const projection = (metric: string, p: Projection) =>
      page.t(`dashboard.projection.${p.status}`, {
        date: longDay(p.reachesOn),
        deadline: longDay(d.target?.deadline ?? null),
        needed: p.neededPerDay,
        days: d.target?.paceWindowDays ?? 0,
        unit: page.t(`dashboard.unit.${metric}`),
      });
    const headline = d.target
      ? METRICS.flatMap((m) => {
          const p = d.target!.projections[m];
          return p
            ? [
                {
                  label: page.t(`dashboard.metric.${m}`),
                  actual: p.actual,
                  goal: p.goal,
                  status: p.status,
                  text: projection(m, p),
                },
              ]
            : [];
        })
      : [];
    const trends = TRENDS.map((key) => {
      const title = page.t(`dashboard.trend.${key}`);
      const rows = d.weeks.map((w) => ({ week: longDay(w.week), value: w[key] }));
      return {
        id: `trend-${key}`,
        title,
        chart: barChart({
          id: `trend-${key}`,
          title,
          bars: d.weeks.map((w) => ({ label: shortDay(w.week), value: w[key] })),
          labelEvery: 3,
        }),
        rows,
        total: rows.reduce((n, r) => n + r.value, 0),
      };
    });
    return page.render(
      'coordinate/dashboard',
      {
        locality: { name: d.locality.name, level: page.t(`coordinate.level.${d.locality.level}`) },
        // Admins without a coordinator grant have no queue or coverage tabs to go to.
        tabs: hasRole(who, 'coordinator'),
        areas: roots.map((r) => ({
          name: r.name,
          level: page.t(`coordinate.level.${r.level}`),
          href: `/coordinate/dashboard?locality=${r.id}`,
          current: r.id === localityId,
        })),
        target: d.target && {
          source: page.t(`dashboard.source.${d.target.source}`),
          deadline: longDay(d.target.deadline),
          headline,
        },
        coverage: {
          covered: d.coverage.covered,
          villages: d.coverage.villages,
          activeAmbassadors: d.coverage.activeAmbassadors,
          parts: d.coverage.parts.map((p) => ({
            name: p.name,
            covered: p.covered,
            villages: p.villages,
            percent: Math.round(p.coverage * 1000) / 10,
            href: p.level === 'village' ? null : `/coordinate/dashboard?locality=${p.id}`,
          })),
        },
        trends,
        groups: d.progress.byLearnerGroup.map((g) => ({
          name: g.name ?? page.t('dashboard.noGroup'),
          enrolled: g.enrolled,
          completed: g.completed,
        })),
        waitingDays: WAITING_DAYS,
        waiting: d.waitingApplications.map((a) => ({
          name: a.candidateName ?? '',
          kind: page.t(`dashboard.kind.${a.kind}`),
          days: a.days,
          href: `/coordinate/applications/${a.id}`,
        })),
        inactive: d.inactiveAmbassadors.map((a) => ({
          name: a.holderName,
          village: a.villageName ?? '',
          lastHelpedOn: longDay(a.lastHelpedOn),
        })),
        activeWithinDays: d.programme?.activeWithinDays ?? 90,
        exports: exportLinks(localityId),
      },
      { title: page.t('dashboard.title') },
    );
  }
}

import { Get, Inject, Query } from '@nestjs/common';
import { IsIn, IsUUID } from 'class-validator';
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
import { type CsvColumn, toCsv } from '../../reporting/csv.js';
import { exportLinks, PortalPageQueryDto, sendCsv } from './coordinate-pages.js';

const TRENDS = [
  'enrolments',
  'completions',
  'certificatesIssued',
  'householdsHelped',
  'activeAmbassadors',
] as const;
/** Series that are a level at the end of each week (the caption shows the latest), not a count in it. */
const LEVELS = new Set<string>(['activeAmbassadors']);
/** Courses and uncovered villages listed on the page (the CSV has them all). */
const COURSES_SHOWN = 10;
const UNCOVERED_SHOWN = 30;
export const DASHBOARD_TABLES = [
  'weeks',
  'places',
  'uncovered',
  'groups',
  'courses',
  'waiting',
  'inactive',
  'eligible',
] as const;
type DashboardTable = (typeof DASHBOARD_TABLES)[number];
const METRICS = ['certifiedAmbassadors', 'activeVillagePercent', 'householdsHelped'] as const;
class DashboardQueryDto extends PortalPageQueryDto {
  @Optional() @IsUUID() locality?: string;
}

class DashboardCsvQueryDto extends DashboardQueryDto {
  @IsIn(DASHBOARD_TABLES) table!: DashboardTable;
}

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
        total: LEVELS.has(key) ? (rows.at(-1)?.value ?? 0) : rows.reduce((n, r) => n + r.value, 0),
      };
    });
    const tables = this.tables(page, d);
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
            coveragePercent: Math.round(p.coverage * 1000) / 10,
            href: p.level === 'village' ? null : `/coordinate/dashboard?locality=${p.id}`,
          })),
        },
        trends,
        groups: tables.groups.rows,
        courses: tables.courses.rows.slice(0, COURSES_SHOWN),
        uncovered: {
          count: tables.uncovered.rows.length,
          shown: tables.uncovered.rows.slice(0, UNCOVERED_SHOWN),
          more: tables.uncovered.rows.length > UNCOVERED_SHOWN,
          href: `/coordinate/coverage?locality=${localityId}`,
        },
        waitingDays: WAITING_DAYS,
        waiting: tables.waiting.rows,
        inactive: tables.inactive.rows,
        eligible: tables.eligible.rows,
        csv: Object.fromEntries(
          DASHBOARD_TABLES.map((t) => [t, `/coordinate/dashboard.csv?locality=${localityId}&table=${t}`]),
        ),
        activeWithinDays: d.programme?.activeWithinDays ?? 90,
        exports: exportLinks(localityId),
      },
      { title: page.t('dashboard.title') },
    );
  }

  /** One of the dashboard's tables as CSV (the exports' conventions: BOM, the reader's headers, formulas defused). */
  @Get('dashboard.csv')
  async dashboardCsv(@Page() page: PortalPage, @Query() query: DashboardCsvQueryDto) {
    const who = page.principal!;
    const localityId = query.locality ?? (await this.roots(who))[0].id;
    const d = await this.dashboards.overview(who, localityId, page.locale);
    const table = this.tables(page, d)[query.table] as { rows: unknown[]; columns: CsvColumn<unknown>[] };
    return sendCsv(page.reply, `dashboard-${query.table}`, toCsv(table.rows, table.columns));
  }

  /** The page's tables, each with its columns in the reader's language: the HTML and the CSV read the same rows. */
  private tables(page: PortalPage, d: Overview) {
    const t = page.t;
    const table = <T>(rows: T[], columns: CsvColumn<T>[]) => ({ rows, columns });
    const communes = new Map(d.coverage.parts.map((p) => [p.id, p.name ?? '']));
    return {
      weeks: table(d.weeks, [
        { header: t('dashboard.col.week'), value: (w) => longDay(w.week) },
        ...TRENDS.map((key) => ({
          header: t(`dashboard.trend.${key}`),
          value: (w: Overview['weeks'][number]) => w[key],
        })),
      ]),
      places: table(
        d.coverage.parts.map((p) => ({ ...p, percent: Math.round(p.coverage * 1000) / 10 })),
        [
          { header: `${t('coordinate.col.commune')} / ${t('coordinate.col.village')}`, value: (p) => p.name },
          { header: t('dashboard.col.villages'), value: (p) => p.villages },
          { header: t('coordinate.col.coveredVillages'), value: (p) => p.covered },
          { header: t('coordinate.col.coverage'), value: (p) => p.percent },
        ],
      ),
      uncovered: table(
        d.coverage.uncovered.map((v) => ({
          name: v.name,
          commune: (v.communeId && communes.get(v.communeId)) || '',
        })),
        [
          { header: t('coordinate.col.village'), value: (v) => v.name },
          { header: t('coordinate.col.commune'), value: (v) => v.commune },
        ],
      ),
      groups: table(
        d.progress.byLearnerGroup.map((g) => ({
          name: g.name?.text ?? t('dashboard.noGroup'),
          enrolled: g.enrolled,
          completed: g.completed,
        })),
        [
          { header: t('dashboard.col.group'), value: (g) => g.name },
          { header: t('dashboard.col.enrolled'), value: (g) => g.enrolled },
          { header: t('dashboard.col.completed'), value: (g) => g.completed },
        ],
      ),
      courses: table(
        (d.progress.byCourse ?? []).map((c) => ({
          title: c.title?.text ?? c.courseId,
          enrolled: c.enrolled,
          completed: c.completed,
          href: `/courses/${c.courseId}`,
        })),
        [
          { header: t('dashboard.col.course'), value: (c) => c.title },
          { header: t('dashboard.col.enrolled'), value: (c) => c.enrolled },
          { header: t('dashboard.col.completed'), value: (c) => c.completed },
        ],
      ),
      waiting: table(
        d.waitingApplications.map((a) => ({
          name: a.candidateName ?? '',
          kind: t(`dashboard.kind.${a.kind}`),
          days: a.days,
          href: `/coordinate/applications/${a.id}`,
        })),
        [
          { header: t('dashboard.col.candidate'), value: (a) => a.name },
          { header: t('dashboard.col.kind'), value: (a) => a.kind },
          { header: t('dashboard.col.waitingDays'), value: (a) => a.days },
        ],
      ),
      inactive: table(
        d.inactiveAmbassadors.map((a) => ({
          name: a.holderName,
          village: a.villageName ?? '',
          lastHelpedOn: longDay(a.lastHelpedOn),
        })),
        [
          { header: t('coordinate.col.ambassador'), value: (a) => a.name },
          { header: t('coordinate.col.village'), value: (a) => a.village },
          { header: t('dashboard.col.lastHelped'), value: (a) => a.lastHelpedOn },
        ],
      ),
      eligible: table(
        d.eligibleNotApplied.map((e) => ({
          name: e.name,
          village: e.villageName ?? '',
          households: e.households,
        })),
        [
          { header: t('dashboard.col.candidate'), value: (e) => e.name },
          { header: t('coordinate.col.village'), value: (e) => e.village },
          { header: t('coordinate.col.households'), value: (e) => e.households },
        ],
      ),
    } satisfies Record<DashboardTable, unknown>;
  }
}

type Overview = Awaited<ReturnType<DashboardService['overview']>>;

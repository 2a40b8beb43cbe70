import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { ApplicationsService } from '../certification/applications.service.js';
import { EligibilityService } from '../certification/eligibility.service.js';
import { ProgrammesService } from '../certification/programmes.service.js';
import { UsersService } from '../identity/users.service.js';
import { AreaScope } from '../geography/area-scope.service.js';
import { GeographyService } from '../geography/geography.service.js';
import { AmbassadorRegistryService } from './ambassador-registry.service.js';
import { DashboardRepository } from './dashboard.repository.js';
import { ProgressReportService } from './progress-report.service.js';
import { TargetsService } from './targets.service.js';

/** Weeks in the trend charts: a quarter. */
export const TREND_WEEKS = 12;
const INACTIVE_LISTED = 50;
/** Applications older than this are listed as waiting too long (the oldest 50 looked at). */
export const WAITING_DAYS = 10;
const WAITING_LOOKED_AT = 50;
/** Likely candidates checked against the programme per page, and how many eligible are listed. */
const ELIGIBLE_LOOKED_AT = 40;
const ELIGIBLE_LISTED = 20;
const DAY_MS = 86_400_000;

/**
 * The coordinators' dashboard for one place of their area: figures against the programme's
 * targets with a projection (province and communes), weekly trends, progress by learner group and
 * by the places below, coverage by the places below (to drill down), applications waiting more
 * than WAITING_DAYS days, and the ambassadors gone quiet. Everything from the rollups and the read model.
 */
@Injectable()
export class DashboardService {
  constructor(
    @Inject(DashboardRepository) private readonly dashboards: DashboardRepository,
    @Inject(TargetsService) private readonly targets: TargetsService,
    @Inject(ProgrammesService) private readonly programmes: ProgrammesService,
    @Inject(ApplicationsService) private readonly applications: ApplicationsService,
    @Inject(ProgressReportService) private readonly progress: ProgressReportService,
    @Inject(AmbassadorRegistryService) private readonly registry: AmbassadorRegistryService,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(AreaScope) private readonly scope: AreaScope,
    @Inject(EligibilityService) private readonly eligibility: EligibilityService,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  /**
   * People of the place who meet the programme now but have neither applied nor been certified:
   * those who logged enough households without a valid certificate (the rollup), checked one by
   * one against the programme (ELIGIBLE_LOOKED_AT at most), leaving out a waiting application.
   */
  private async eligibleNotApplied(path: string, programme: Parameters<EligibilityService['assess']>[1]) {
    const mentors = await this.dashboards.mentorsWithoutCertificate(
      path,
      programme.minHouseholds,
      ELIGIBLE_LOOKED_AT,
    );
    const ids = mentors.map((m) => m.mentorId);
    const [waiting, people] = await Promise.all([
      this.applications.waitingApplicants(ids, programme.id),
      this.users.contacts(ids),
    ]);
    const checked = await Promise.all(
      mentors
        .filter((m) => !waiting.has(m.mentorId) && people.get(m.mentorId)?.villageId)
        .map(async (m) => {
          const person = people.get(m.mentorId)!;
          const snapshot = await this.eligibility.assess(m.mentorId, programme, person.villageId);
          return snapshot.eligible ? [{ ...m, name: person.displayName, villageId: person.villageId! }] : [];
        }),
    );
    const eligible = checked.flat().slice(0, ELIGIBLE_LISTED);
    const places = await this.geography.villagePlaces(eligible.map((e) => e.villageId));
    return eligible.map((e) => ({
      id: e.mentorId,
      name: e.name,
      villageName: places.get(e.villageId)?.village ?? null,
      households: e.households,
    }));
  }

  /**
   * Last week's figures for a place (a coordinator's weekly digest): new enrolments, completions
   * and certificates, villages without an active ambassador, applications waiting too long.
   */
  async weekInReview(localityId: string) {
    const locality = await this.geography.get(localityId);
    const [[lastWeek], coverage, waiting] = await Promise.all([
      this.dashboards.weekly(locality.path, 2),
      this.registry.coverageOf(locality),
      this.applications.waitingSince(new Date(Date.now() - WAITING_DAYS * DAY_MS)),
    ]);
    return {
      place: locality.name,
      week: lastWeek.week,
      enrolments: lastWeek.enrolments,
      completions: lastWeek.completions,
      certificates: lastWeek.certificatesIssued,
      uncoveredVillages: coverage.villages - coverage.covered,
      waitingApplications: waiting.filter((a) => a.localityPath.startsWith(locality.path)).length,
    };
  }

  async overview(who: Principal, localityId: string, lang?: string) {
    const locality = await this.geography.get(localityId);
    await this.scope.assertCovers(who, locality.path);
    const provinceId = locality.path.split('/').filter(Boolean)[0];
    const programme = (await this.programmes.list(false)).find((p) => p.provinceId === provinceId) ?? null;
    const [target, weeks, activeWeeks, progress, coverage, inactive, queue, eligible] = await Promise.all([
      programme && locality.level !== 'village' ? this.targets.view(who, programme.id, localityId) : null,
      this.dashboards.weekly(locality.path, TREND_WEEKS),
      this.dashboards.weeklyActiveAmbassadors(locality.path, TREND_WEEKS),
      this.progress.localityReport(who, localityId, lang, true),
      this.registry.coverage(who, localityId),
      this.dashboards.inactiveAmbassadors(locality.path, INACTIVE_LISTED),
      // Oldest first: those waiting too long are at the front.
      this.applications.queue(who, { localityId, status: 'submitted', page: 1, pageSize: WAITING_LOOKED_AT }),
      programme ? this.eligibleNotApplied(locality.path, programme) : [],
    ]);
    const waitingSince = Date.now() - WAITING_DAYS * DAY_MS;
    const villages = new Map(
      (await this.geography.findMany(inactive.flatMap((a) => (a.villageId ? [a.villageId] : [])))).map(
        (v) => [v.id, v.name],
      ),
    );
    return {
      locality: { id: locality.id, name: locality.name, level: locality.level },
      programme: programme && { id: programme.id, activeWithinDays: programme.activeWithinDays },
      target,
      weeks: weeks.map((w, i) => ({ ...w, activeAmbassadors: activeWeeks[i]?.active ?? 0 })),
      eligibleNotApplied: eligible,
      progress,
      coverage,
      waitingApplications: queue.items
        .filter((a) => Date.parse(a.createdAt) < waitingSince)
        .map((a) => ({
          id: a.id,
          candidateName: a.candidateName,
          kind: a.kind,
          days: Math.floor((Date.now() - Date.parse(a.createdAt)) / DAY_MS),
        })),
      inactiveAmbassadors: inactive.map((a) => ({
        ...a,
        villageName: a.villageId ? (villages.get(a.villageId) ?? null) : null,
      })),
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { ProgrammesService } from '../certification/programmes.service.js';
import { AreaScope } from '../geography/area-scope.service.js';
import { GeographyService } from '../geography/geography.service.js';
import { UsersService } from '../identity/users.service.js';
import type { SetTargetDto } from './dto/targets.dto.js';
import { ReportingError, ReportingErrorCode } from './reporting.errors.js';
import {
  actualFigures,
  effectiveTarget,
  PACE_WINDOW_DAYS,
  percent,
  pickGoals,
  project,
  TARGET_METRICS,
  type Projection,
  type TargetGoals,
  type TargetMetric,
} from './targets.js';
import {
  TargetsRepository,
  type AreaStanding,
  type TargetChange,
  type TargetVersion,
} from './targets.repository.js';

/**
 * Programme targets: admins set them for the programme's province and its communes, each change a
 * new version with who made it; a commune without its own takes its share of the province's.
 * Everyone who may see an area (admins, its coordinators) sees its figures against the target,
 * with a projection at the current pace.
 */
@Injectable()
export class TargetsService {
  constructor(
    @Inject(TargetsRepository) private readonly targets: TargetsRepository,
    @Inject(ProgrammesService) private readonly programmes: ProgrammesService,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(AreaScope) private readonly scope: AreaScope,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  /** The programme's province and the locality, checked to be it or one of its communes. */
  private async place(programmeId: string, localityId: string) {
    const programme = await this.programmes.get(programmeId);
    const province = await this.geography.get(programme.provinceId);
    const locality = await this.geography.get(localityId);
    const inside =
      locality.id === province.id ||
      (locality.level === 'commune' && locality.path.startsWith(province.path));
    if (!inside) {
      throw new ReportingError(
        ReportingErrorCode.TargetLocalityInvalid,
        "Targets are set for the programme's province or one of its communes.",
        { fields: [{ field: 'localityId', in: 'path', problems: ['NOT_PROVINCE_OR_COMMUNE_OF_PROGRAMME'] }] },
      );
    }
    return { programme, province, locality };
  }

  async set(who: Principal, programmeId: string, localityId: string, dto: SetTargetDto) {
    const place = await this.place(programmeId, localityId);
    const goals: TargetGoals = {
      certifiedAmbassadors: dto.certifiedAmbassadors ?? null,
      activeVillagePercent: dto.activeVillagePercent ?? null,
      householdsHelped: dto.householdsHelped ?? null,
    };
    if (TARGET_METRICS.every((m) => goals[m] === null)) {
      throw new ReportingError(ReportingErrorCode.TargetInvalid, 'A target needs at least one figure.', {
        fields: TARGET_METRICS.map((field) => ({ field, in: 'body', problems: ['ONE_OF_REQUIRED'] })),
      });
    }
    await this.append(who, programmeId, localityId, dto.basedOnVersion, {
      ...goals,
      removed: false,
      deadline: dto.deadline,
      note: dto.note ?? null,
    });
    return this.viewOf(who, programmeId, place);
  }

  /** A removed target leaves a commune to inherit the province's share again. */
  async remove(who: Principal, programmeId: string, localityId: string, basedOnVersion?: number) {
    const place = await this.place(programmeId, localityId);
    const current = (await this.targets.current(programmeId, [localityId])).get(localityId);
    if (!current || current.removed) {
      throw new ReportingError(ReportingErrorCode.TargetNotFound, 'This locality has no target of its own.');
    }
    await this.append(who, programmeId, localityId, basedOnVersion, {
      certifiedAmbassadors: null,
      activeVillagePercent: null,
      householdsHelped: null,
      removed: true,
      deadline: null,
      note: null,
    });
    return this.viewOf(who, programmeId, place);
  }

  private async append(
    who: Principal,
    programmeId: string,
    localityId: string,
    basedOnVersion: number | undefined,
    change: Omit<TargetChange, 'changedBy'>,
  ) {
    const latest = (await this.targets.current(programmeId, [localityId])).get(localityId)?.version ?? 0;
    const stale = basedOnVersion !== undefined && basedOnVersion !== latest;
    if (
      stale ||
      !(await this.targets.append(programmeId, localityId, latest, { ...change, changedBy: who.userId }))
    ) {
      throw new ReportingError(
        ReportingErrorCode.TargetChanged,
        'Someone changed this target meanwhile: look at the current version and try again.',
        { currentVersion: latest },
      );
    }
  }

  /** The target in force (own or inherited), the area's figures and where the current pace leads. */
  async view(who: Principal, programmeId: string, localityId: string) {
    return this.viewOf(who, programmeId, await this.place(programmeId, localityId));
  }

  private async viewOf(
    who: Principal,
    programmeId: string,
    { province, locality }: Awaited<ReturnType<TargetsService['place']>>,
  ) {
    await this.scope.assertCovers(who, locality.path);
    const versions = await this.targets.current(programmeId, [...new Set([locality.id, province.id])]);
    const own = versions.get(locality.id);
    const standing = await this.targets.standing(locality.path);
    const provinceVillages =
      locality.id === province.id ? standing.villages : await this.targets.villages(province.path);
    const { source, goals, deadline } = effectiveTarget(
      own,
      locality.id === province.id ? undefined : versions.get(province.id),
      standing.villages,
      provinceVillages,
    );
    const actual = actualFigures(standing);
    const perDay = paceFigures(standing);
    const projections = Object.fromEntries(
      TARGET_METRICS.map((m) => {
        const goal = goals?.[m];
        return [
          m,
          goal === null || goal === undefined || !deadline
            ? null
            : project({ goal, actual: actual[m], perDay: perDay[m], today: standing.today, deadline }),
        ];
      }),
    ) as Record<TargetMetric, Projection | null>;
    return {
      programmeId,
      localityId: locality.id,
      localityName: locality.name,
      level: locality.level,
      today: standing.today,
      paceWindowDays: PACE_WINDOW_DAYS,
      source,
      version: own?.version ?? 0,
      deadline,
      goals: goals && pickGoals(goals),
      actual: {
        ...actual,
        activeAmbassadors: standing.activeAmbassadors,
        villages: standing.villages,
        coveredVillages: standing.coveredVillages,
      },
      projections,
    };
  }

  async history(who: Principal, programmeId: string, localityId: string) {
    const { locality } = await this.place(programmeId, localityId);
    await this.scope.assertCovers(who, locality.path);
    const versions = await this.targets.history(programmeId, localityId);
    const names = await this.users.displayNames([...new Set(versions.map((v) => v.changedBy))]);
    return {
      localityId,
      items: versions.map((v: TargetVersion) => ({
        version: v.version,
        removed: v.removed,
        deadline: v.deadline,
        goals: v.removed ? null : pickGoals(v),
        note: v.note,
        changedBy: { id: v.changedBy, displayName: names.get(v.changedBy) ?? null },
        changedAt: v.changedAt.toISOString(),
      })),
    };
  }
}

/** Gains per day over the window; coverage as percentage points of the area's villages. */
const paceFigures = (s: AreaStanding): Record<TargetMetric, number> => ({
  certifiedAmbassadors: s.recent.certifiedAmbassadors / PACE_WINDOW_DAYS,
  activeVillagePercent: percent(s.recent.coveredVillages, s.villages) / PACE_WINDOW_DAYS,
  householdsHelped: s.recent.householdsHelped / PACE_WINDOW_DAYS,
});

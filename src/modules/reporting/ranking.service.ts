import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { byVietnameseName } from '../../infrastructure/i18n/locales.js';
import { ProgrammesService } from '../certification/programmes.service.js';
import { AreaScope } from '../geography/area-scope.service.js';
import { GeographyService } from '../geography/geography.service.js';
import { childPart } from '../geography/locality-rules.js';
import { RankingRepository } from './ranking.repository.js';
import { ReportingError, ReportingErrorCode } from './reporting.errors.js';
import { actualFigures, effectiveTarget, targetProgress } from './targets.js';
import { TargetsRepository } from './targets.repository.js';

export const RANK_BY = ['coverage', 'targets'] as const;
export type RankBy = (typeof RANK_BY)[number];

export interface RankedCommune {
  rank: number;
  communeId: string;
  name: string;
  villages: number;
  coveredVillages: number;
  /** Villages with an active ambassador, in %. */
  activeVillagePercent: number;
  activeAmbassadors: number;
  certifiedAmbassadors: number;
  householdsHelped: number;
  /** 0–100: the targets' goals reached, averaged (null without a target). */
  targetProgressPercent: number | null;
  targetSource: 'own' | 'province' | 'none';
}

export interface Ranking {
  programmeId: string;
  provinceId: string;
  provinceName: string;
  by: RankBy;
  today: string;
  items: RankedCommune[];
}

/**
 * The communes of a programme's province ranked by coverage (villages with an active ambassador)
 * or by progress toward their targets: counts only, never a person. Communes without villages are
 * left out. Coordinators of the province
 * or of any of its communes see it; admins decide whether and from when it is public.
 */
@Injectable()
export class RankingService {
  constructor(
    @Inject(RankingRepository) private readonly rankings: RankingRepository,
    @Inject(TargetsRepository) private readonly targets: TargetsRepository,
    @Inject(ProgrammesService) private readonly programmes: ProgrammesService,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(AreaScope) private readonly scope: AreaScope,
  ) {}

  async ranking(who: Principal, programmeId: string, by: RankBy): Promise<Ranking> {
    const province = await this.province(programmeId);
    await this.scope.assertOverlaps(who, province.path);
    return this.rank(programmeId, province, by);
  }

  /** The public ranking: 404 while it is not published (as if there were none). */
  async publicRanking(programmeId: string, by: RankBy): Promise<Ranking> {
    const publication = await this.rankings.publication(programmeId);
    if (!publication?.publishedFrom || publication.publishedFrom.getTime() > Date.now()) {
      throw new ReportingError(ReportingErrorCode.RankingNotPublished, 'This ranking is not published.');
    }
    return this.rank(programmeId, await this.province(programmeId), by);
  }

  async publication(programmeId: string) {
    await this.programmes.get(programmeId);
    const p = await this.rankings.publication(programmeId);
    const from = p?.publishedFrom ?? null;
    return {
      programmeId,
      publishedFrom: from?.toISOString() ?? null,
      published: !!from && from.getTime() <= Date.now(),
      changedBy: p?.changedBy ?? null,
      changedAt: p?.changedAt.toISOString() ?? null,
    };
  }

  /** Publishes from a moment (now, or later), or withdraws with null. */
  async publish(who: Principal, programmeId: string, publishedFrom: string | null) {
    await this.programmes.get(programmeId);
    await this.rankings.setPublication(
      programmeId,
      publishedFrom ? new Date(publishedFrom) : null,
      who.userId,
    );
    return this.publication(programmeId);
  }

  private async province(programmeId: string) {
    const programme = await this.programmes.get(programmeId);
    return this.geography.get(programme.provinceId);
  }

  private async rank(
    programmeId: string,
    province: { id: string; name: string; path: string },
    by: RankBy,
  ): Promise<Ranking> {
    const [communes, standings] = await Promise.all([
      this.rankings.communes(province.id),
      this.targets.standings(province.path, childPart(province.path)),
    ]);
    const versions = await this.targets.current(programmeId, [province.id, ...communes.map((c) => c.id)]);
    const provinceVillages = [...standings.values()].reduce((n, s) => n + s.villages, 0);
    const today = [...standings.values()][0]?.today ?? (await this.targets.standing(province.path)).today;
    // A commune without villages yet has nothing to cover: it is not ranked.
    const rows = communes
      .filter((c) => (standings.get(c.id)?.villages ?? 0) > 0)
      .map((c) => {
        const s = standings.get(c.id);
        const actual = s
          ? actualFigures(s)
          : { certifiedAmbassadors: 0, activeVillagePercent: 0, householdsHelped: 0 };
        const villages = s?.villages ?? 0;
        const target = effectiveTarget(
          versions.get(c.id),
          versions.get(province.id),
          villages,
          provinceVillages,
        );
        const progress = targetProgress(target.goals, actual);
        return {
          rank: 0,
          communeId: c.id,
          name: c.name,
          villages,
          coveredVillages: s?.coveredVillages ?? 0,
          activeVillagePercent: actual.activeVillagePercent,
          activeAmbassadors: s?.activeAmbassadors ?? 0,
          certifiedAmbassadors: actual.certifiedAmbassadors,
          householdsHelped: actual.householdsHelped,
          targetProgressPercent: progress === null ? null : Math.round(progress * 10_000) / 100,
          targetSource: target.source,
        };
      });
    // Ties share a rank (1, 1, 3): by the figure ranked on, and active ambassadors for coverage.
    const key = (r: RankedCommune) =>
      by === 'coverage' ? [r.activeVillagePercent, r.activeAmbassadors] : [r.targetProgressPercent ?? -1];
    const compare = (a: RankedCommune, b: RankedCommune) => {
      const [ka, kb] = [key(a), key(b)];
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i] - ka[i];
      return 0;
    };
    rows.sort((a, b) => compare(a, b) || byVietnameseName(a.name, b.name));
    rows.forEach((r, i) => (r.rank = i > 0 && compare(rows[i - 1], r) === 0 ? rows[i - 1].rank : i + 1));
    return { programmeId, provinceId: province.id, provinceName: province.name, by, today, items: rows };
  }
}

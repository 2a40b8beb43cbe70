import { Inject, Injectable } from '@nestjs/common';
import { AreaScope } from '../geography/area-scope.service.js';
import { GeographyService } from '../geography/geography.service.js';
import { childPart, depthOf } from '../geography/locality-rules.js';
import type { LocalityLevel } from '../geography/geography.types.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { ReportingRepository, type AreaVillage } from './reporting.repository.js';
import { byVietnameseName } from '../../infrastructure/i18n/locales.js';

/** Areas whose villages are kept (a province, its ~100 communes and a few more). */
const MAX_KEPT_AREAS = 256;

const ratio = (covered: number, total: number) =>
  total === 0 ? 0 : Math.round((10_000 * covered) / total) / 10_000;

/**
 * The registry of active ambassadors (valid certificate) and coverage: villages with at least one
 * ÷ all villages, per commune and province, and the villages still without one.
 */
@Injectable()
export class AmbassadorRegistryService {
  constructor(
    @Inject(ReportingRepository) private readonly reporting: ReportingRepository,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(AreaScope) private readonly scope: AreaScope,
  ) {}

  private readonly areaVillages = new Map<string, { tree: string; villages: AreaVillage[] }>();

  async ambassadors(who: Principal, localityId: string, page: number, pageSize: number) {
    const locality = await this.geography.get(localityId);
    await this.scope.assertCovers(who, locality.path);
    const { items, total } = await this.reporting.activeAmbassadors(
      locality.path,
      pageSize,
      (page - 1) * pageSize,
    );
    const villages = new Map(
      (await this.geography.findMany([...new Set(items.map((i) => i.villageId))])).map((v) => [v.id, v.name]),
    );
    return {
      localityId,
      items: items.map((i) => ({
        certificateId: i.certificateId,
        serial: i.serial,
        holderId: i.holderId,
        holderName: i.holderName,
        villageId: i.villageId,
        villageName: villages.get(i.villageId) ?? null,
        issuedAt: i.issuedAt.toISOString(),
        expiresAt: i.expiresAt.toISOString(),
      })),
      page,
      pageSize,
      total,
    };
  }

  /**
   * Coverage of an area. The certificates are read on every request (a certificate just issued
   * counts at once); an area's villages, thousands of rows that seldom change, are kept per area
   * while the locality tree's mark is unchanged.
   */
  async coverage(who: Principal, localityId: string) {
    const locality = await this.geography.get(localityId);
    await this.scope.assertCovers(who, locality.path);
    return this.coverageOf(locality);
  }

  /**
   * The API's coverage: the villages still without an ambassador a page at a time, by name (a
   * province has thousands: 178 KB of JSON, about 40 % of a request's CPU spent serialising,
   * compressing and writing it). The full list stays in coverage() for the portal, the dashboard
   * and the CSV.
   */
  async coveragePage(who: Principal, localityId: string, page: number, pageSize: number) {
    const { uncovered, ...coverage } = await this.coverage(who, localityId);
    return {
      ...coverage,
      uncovered: uncovered.slice((page - 1) * pageSize, page * pageSize),
      uncoveredPage: { page, pageSize, total: uncovered.length },
    };
  }

  /** Coverage of a place, for whoever may see it (the caller checked; reminders to its staff). */
  async coverageOf(locality: { id: string; name: string; level: LocalityLevel; path: string }) {
    const { tree, byVillage } = await this.reporting.villageAmbassadors(locality.path);
    const villages = await this.villagesUnder(locality.path, tree);
    let covered = 0;
    let activeAmbassadors = 0;
    const byChild = new Map<string, { villages: number; covered: number }>();
    const uncovered: AreaVillage[] = [];
    for (const v of villages) {
      const ambassadors = byVillage[v.id] ?? 0;
      activeAmbassadors += ambassadors;
      if (ambassadors > 0) covered++;
      else uncovered.push(v);
      if (!v.childId) continue;
      const c = byChild.get(v.childId) ?? { villages: 0, covered: 0 };
      c.villages++;
      if (ambassadors > 0) c.covered++;
      byChild.set(v.childId, c);
    }
    const children = new Map((await this.geography.findMany([...byChild.keys()])).map((l) => [l.id, l]));
    const inProvince = depthOf(locality.path) === 1;
    return {
      locality: { id: locality.id, name: locality.name, level: locality.level },
      villages: villages.length,
      covered,
      coverage: ratio(covered, villages.length),
      activeAmbassadors,
      parts: [...byChild.entries()]
        .map(([id, c]) => ({
          id,
          name: children.get(id)?.name ?? null,
          level: children.get(id)?.level ?? null,
          villages: c.villages,
          covered: c.covered,
          coverage: ratio(c.covered, c.villages),
        }))
        .sort((a, b) => a.coverage - b.coverage || byVietnameseName(String(a.name), String(b.name))),
      uncovered: uncovered.map((v) => ({
        id: v.id,
        name: v.name,
        communeId: v.childId && inProvince ? v.childId : null,
      })),
    };
  }

  /** The villages of an area, by name; kept while the locality tree is unchanged (`tree`). */
  private async villagesUnder(path: string, tree: string): Promise<AreaVillage[]> {
    const kept = this.areaVillages.get(path);
    if (kept?.tree === tree) return kept.villages;
    const villages = await this.reporting.villagesUnder(path, childPart(path));
    this.areaVillages.delete(path);
    this.areaVillages.set(path, { tree, villages });
    if (this.areaVillages.size > MAX_KEPT_AREAS)
      this.areaVillages.delete(this.areaVillages.keys().next().value!);
    return villages;
  }
}

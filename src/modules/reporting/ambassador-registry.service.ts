import { Inject, Injectable } from '@nestjs/common';
import { AreaScope } from '../geography/area-scope.service.js';
import { GeographyService } from '../geography/geography.service.js';
import { childPart, depthOf } from '../geography/locality-rules.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { ReportingRepository } from './reporting.repository.js';

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

  async coverage(who: Principal, localityId: string) {
    const locality = await this.geography.get(localityId);
    await this.scope.assertCovers(who, locality.path);
    const rows = await this.reporting.coverage(locality.path, childPart(locality.path));
    const covered = rows.filter((r) => r.ambassadors > 0).length;
    const byChild = new Map<string, { villages: number; covered: number }>();
    for (const r of rows) {
      if (!r.childId) continue;
      const c = byChild.get(r.childId) ?? { villages: 0, covered: 0 };
      c.villages++;
      if (r.ambassadors > 0) c.covered++;
      byChild.set(r.childId, c);
    }
    const children = new Map((await this.geography.findMany([...byChild.keys()])).map((l) => [l.id, l]));
    return {
      locality: { id: locality.id, name: locality.name, level: locality.level },
      villages: rows.length,
      covered,
      coverage: ratio(covered, rows.length),
      activeAmbassadors: rows.reduce((n, r) => n + r.ambassadors, 0),
      parts: [...byChild.entries()]
        .map(([id, c]) => ({
          id,
          name: children.get(id)?.name ?? null,
          level: children.get(id)?.level ?? null,
          villages: c.villages,
          covered: c.covered,
          coverage: ratio(c.covered, c.villages),
        }))
        .sort((a, b) => a.coverage - b.coverage || String(a.name).localeCompare(String(b.name), 'vi')),
      uncovered: rows
        .filter((r) => r.ambassadors === 0)
        .map((r) => ({
          id: r.villageId,
          name: r.villageName,
          communeId: r.childId && depthOf(locality.path) === 1 ? r.childId : null,
        })),
    };
  }
}

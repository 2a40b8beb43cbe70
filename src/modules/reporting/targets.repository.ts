import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../../infrastructure/database/pg-errors.js';
import { PACE_WINDOW_DAYS, type TargetGoals } from './targets.js';

export interface TargetVersion extends TargetGoals {
  version: number;
  removed: boolean;
  deadline: string | null;
  note: string | null;
  changedBy: string;
  changedAt: Date;
}

export type TargetChange = TargetGoals & {
  removed: boolean;
  deadline: string | null;
  note: string | null;
  changedBy: string;
};

/** Where an area stands, from the read model and the rollups, and what it gained in the pace window. */
export interface AreaStanding {
  /** Vietnam's calendar day the figures are for. */
  today: string;
  certifiedAmbassadors: number;
  activeAmbassadors: number;
  villages: number;
  coveredVillages: number;
  householdsHelped: number;
  /** Gained over the last PACE_WINDOW_DAYS days. */
  recent: { certifiedAmbassadors: number; coveredVillages: number; householdsHelped: number };
}

const VERSION_COLUMNS = `version, removed, to_char(deadline, 'YYYY-MM-DD') AS deadline,
  certified_ambassadors AS "certifiedAmbassadors", active_village_percent::float8 AS "activeVillagePercent",
  households_helped AS "householdsHelped", note, changed_by AS "changedBy", changed_at AS "changedAt"`;

/** Programme targets (append-only versions, `reporting_targets`) and the figures they are held against. */
@Injectable()
export class TargetsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The current version of each locality's target (removed ones included), by locality id. */
  async current(programmeId: string, localityIds: string[]): Promise<Map<string, TargetVersion>> {
    const rows = await this.dataSource.query<(TargetVersion & { localityId: string })[]>(
      `SELECT DISTINCT ON (locality_id) locality_id AS "localityId", ${VERSION_COLUMNS}
         FROM reporting_targets WHERE programme_id = $1 AND locality_id = ANY ($2::uuid[])
        ORDER BY locality_id, version DESC`,
      [programmeId, localityIds],
    );
    return new Map(rows.map(({ localityId, ...v }) => [localityId, v]));
  }

  history(programmeId: string, localityId: string): Promise<TargetVersion[]> {
    return this.dataSource.query<TargetVersion[]>(
      `SELECT ${VERSION_COLUMNS} FROM reporting_targets
        WHERE programme_id = $1 AND locality_id = $2 ORDER BY version DESC`,
      [programmeId, localityId],
    );
  }

  /**
   * Appends a version after `after` (0: the first). False when another change took that number
   * first (two admins at once): the caller answers 409 and the loser looks again.
   */
  async append(
    programmeId: string,
    localityId: string,
    after: number,
    change: TargetChange,
  ): Promise<boolean> {
    try {
      await this.dataSource.query(
        `INSERT INTO reporting_targets (programme_id, locality_id, version, removed, deadline,
                certified_ambassadors, active_village_percent, households_helped, note, changed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          programmeId,
          localityId,
          after + 1,
          change.removed,
          change.deadline,
          change.certifiedAmbassadors,
          change.activeVillagePercent,
          change.householdsHelped,
          change.note,
          change.changedBy,
        ],
      );
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  /**
   * An area's figures: certified = distinct holders of a valid certificate; covered villages have
   * an active ambassador (the programme's definition, `reporting_active_ambassadors`); households
   * helped from the mentoring rollup. Gains in the window: holders certified (or renewed) in it,
   * villages whose earliest active ambassador was certified in it, households helped in it.
   */
  async standing(path: string): Promise<AreaStanding> {
    return (await this.standings(path)).get('') ?? emptyStanding(await this.today());
  }

  /**
   * The same figures for each locality one level below `path` (its `split_part` index `part`), by
   * id; without `part`, for the area as a whole (key ''). Places with nothing yet are left out.
   */
  async standings(path: string, part?: number): Promise<Map<string, AreaStanding>> {
    const key = (column: string) => (part ? `split_part(${column}, '/', ${Number(part)})` : `''`);
    const rows = await this.dataSource.query<(Record<string, number> & { key: string; today: string })[]>(
      `WITH today AS (SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day),
            since AS (SELECT day - $2::int AS day FROM today),
            certified AS (SELECT ${key('locality_path')} AS key, holder_id, bool_or(active) AS active,
                                 max(issued_at) AS issued_at
                            FROM reporting_ambassadors WHERE locality_path LIKE $1 GROUP BY 1, 2),
            covered AS (SELECT ${key('locality_path')} AS key, village_id, min(issued_at) AS first_issued_at
                          FROM reporting_active_ambassadors
                         WHERE locality_path LIKE $1 AND village_id IS NOT NULL GROUP BY 1, 2),
            a AS (SELECT key, count(*)::int AS certified, count(*) FILTER (WHERE active)::int AS active,
                         count(*) FILTER (WHERE (issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                                                  > (SELECT day FROM since))::int AS recent_certified
                    FROM certified GROUP BY 1),
            c AS (SELECT key, count(*)::int AS covered,
                         count(*) FILTER (WHERE (first_issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                                                  > (SELECT day FROM since))::int AS recent_covered
                    FROM covered GROUP BY 1),
            v AS (SELECT ${key('path')} AS key, count(*)::int AS villages
                    FROM reporting_villages WHERE path LIKE $1 GROUP BY 1),
            h AS (SELECT ${key('locality_path')} AS key, sum(households)::int AS households,
                         coalesce(sum(households) FILTER (WHERE day > (SELECT day FROM since)), 0)::int AS recent_households
                    FROM reporting_village_days WHERE locality_path LIKE $1 GROUP BY 1),
            keys AS (SELECT key FROM a UNION SELECT key FROM c UNION SELECT key FROM v UNION SELECT key FROM h)
       SELECT keys.key, to_char((SELECT day FROM today), 'YYYY-MM-DD') AS today,
              coalesce(a.certified, 0) AS certified, coalesce(a.active, 0) AS active,
              coalesce(a.recent_certified, 0) AS recent_certified, coalesce(c.covered, 0) AS covered,
              coalesce(c.recent_covered, 0) AS recent_covered, coalesce(v.villages, 0) AS villages,
              coalesce(h.households, 0) AS households, coalesce(h.recent_households, 0) AS recent_households
         FROM keys LEFT JOIN a USING (key) LEFT JOIN c USING (key) LEFT JOIN v USING (key) LEFT JOIN h USING (key)`,
      [`${path}%`, PACE_WINDOW_DAYS],
    );
    return new Map(
      rows.map((r) => [
        r.key,
        {
          today: r.today,
          certifiedAmbassadors: r.certified,
          activeAmbassadors: r.active,
          villages: r.villages,
          coveredVillages: r.covered,
          householdsHelped: r.households,
          recent: {
            certifiedAmbassadors: r.recent_certified,
            coveredVillages: r.recent_covered,
            householdsHelped: r.recent_households,
          },
        },
      ]),
    );
  }

  /** The villages under a place (what a commune's share of the province's target is counted from). */
  async villages(path: string): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM reporting_villages WHERE path LIKE $1`,
      [`${path}%`],
    );
    return row.n;
  }

  private async today(): Promise<string> {
    const [row] = await this.dataSource.query<{ today: string }[]>(
      `SELECT to_char((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 'YYYY-MM-DD') AS today`,
    );
    return row.today;
  }
}

const emptyStanding = (today: string): AreaStanding => ({
  today,
  certifiedAmbassadors: 0,
  activeAmbassadors: 0,
  villages: 0,
  coveredVillages: 0,
  householdsHelped: 0,
  recent: { certifiedAmbassadors: 0, coveredVillages: 0, householdsHelped: 0 },
});

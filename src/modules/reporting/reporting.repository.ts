import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { depthOf } from '../geography/locality-rules.js';

export interface ProgressCounts {
  enrolled: number;
  notStarted: number;
  inProgress: number;
  completed: number;
}

/** A village of an area, with the locality one level below the area it lies in. */
export interface AreaVillage {
  id: string;
  name: string;
  /** A commune for a province, a village for a commune (itself), null for a village. */
  childId: string | null;
}

export interface AmbassadorRow {
  certificateId: string;
  serial: string;
  holderId: string;
  holderName: string;
  villageId: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** The metrics counted per day from the outbox. */
export const ACTIVITY_METRICS = ['course_completed', 'certificate_issued', 'certificate_revoked'] as const;
export type ActivityMetric = (typeof ACTIVITY_METRICS)[number];

/** One outbox fact, reduced to what a daily count needs. */
export interface ActivityFact {
  metric: ActivityMetric;
  at: string;
  /** Where it happened, when the fact says so; else where the learner lives. */
  localityPath?: string;
  learnerId?: string;
}

/**
 * The reporting read model: the `reporting_*` views (enrolments with the learner's group and
 * village, active ambassadors, villages) and the daily activity this module fills from the
 * outbox. It reads no other module's tables directly.
 */
@Injectable()
export class ReportingRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Enrolment counts, grouped by learner group or by a locality level under `withinPath`, from the
   * rollup totals (`reporting_progress_totals`: per course and for all courses, per locality at
   * every level and learner group). `scopePaths` (coordinators) keeps only learners whose village
   * lies under one of them. A report reads the rows of the places asked about, or of their
   * children: a few hundred rows whatever the province's size.
   */
  async progressCounts(filter: {
    courseId?: string;
    withinPath?: string;
    scopePaths?: string[];
    groupBy: 'learner_group' | 'child_locality' | 'course' | 'none';
    /** For child_locality: which `/`-separated part of the path holds the child's id. */
    childPart?: number;
  }): Promise<(ProgressCounts & { key: string | null })[]> {
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where = [
      filter.groupBy === 'course'
        ? 'course_id IS NOT NULL'
        : filter.courseId
          ? `course_id = ${p(filter.courseId)}`
          : 'course_id IS NULL',
    ];
    // The places counted: the one asked about, or the coordinator's areas (one inside another
    // counts once), or everyone (provinces, and learners who gave no village: depth 0).
    const given = filter.withinPath ? [filter.withinPath] : filter.scopePaths;
    const roots = given?.filter((r) => !given.some((o) => o !== r && r.startsWith(o)));
    if (roots && roots.length === 0) return [];
    if (filter.groupBy === 'child_locality') {
      // Each root's rows one level above the grouping's (its children), or the root itself when
      // it lies deeper than the grouping level.
      const level = (filter.childPart ?? 2) - 1;
      where.push(
        roots
          ? `(${roots
              .map((r) => `(depth = ${p(Math.max(level, depthOf(r)))} AND locality_path LIKE ${p(`${r}%`)})`)
              .join(' OR ')})`
          : `depth IN (0, ${p(level)})`,
      );
    } else {
      where.push(roots ? `locality_path = ANY (${p(roots)}::text[])` : 'depth <= 1');
    }
    const key =
      filter.groupBy === 'learner_group'
        ? 'learner_group_id::text'
        : filter.groupBy === 'course'
          ? 'course_id::text'
          : filter.groupBy === 'child_locality'
            ? `split_part(locality_path, '/', ${p(filter.childPart ?? 2)}::int)`
            : 'NULL::text';
    const rows = await this.dataSource.query<(ProgressCounts & { key: string | null })[]>(
      `SELECT key, enrolled, enrolled - started AS "notStarted", started - completed AS "inProgress", completed
         FROM (SELECT ${key} AS key, sum(enrolled)::int AS enrolled, sum(started)::int AS started,
                      sum(completed)::int AS completed
                 FROM reporting_progress_totals WHERE ${where.join(' AND ')}
                GROUP BY 1) t
        WHERE enrolled > 0
        ORDER BY 1`,
      params,
    );
    return rows.map((r) => ({ ...r, key: r.key === '' ? null : r.key }));
  }

  /** Active ambassadors serving villages under a locality path, by village then name. */
  async activeAmbassadors(
    path: string,
    limit: number,
    offset: number,
  ): Promise<{ items: AmbassadorRow[]; total: number }> {
    // The page is chosen over narrow rows and only its own rows are read in full: counting and
    // sorting a province's thousands of wide certificate rows: 10.4 ms, now 6.2 (EXPLAIN ANALYZE, 2,950 certificates).
    const rows = await this.dataSource.query<(AmbassadorRow & { total: number })[]>(
      `SELECT c.id AS "certificateId", c.serial, c.holder_id AS "holderId", c.holder_name AS "holderName",
              c.village_id AS "villageId", c.issued_at AS "issuedAt", c.expires_at AS "expiresAt", p.total
         FROM (SELECT certificate_id, locality_path, holder_name, count(*) OVER ()::int AS total
                 FROM reporting_active_ambassadors
                WHERE locality_path LIKE $1
                ORDER BY locality_path, holder_name, certificate_id
                LIMIT $2 OFFSET $3) p
         JOIN certificates c ON c.id = p.certificate_id
        ORDER BY p.locality_path, p.holder_name, p.certificate_id`,
      [`${path}%`, limit, offset],
    );
    return { items: rows.map(({ total: _, ...r }) => r), total: rows[0]?.total ?? 0 };
  }

  /**
   * The active ambassadors (distinct holders) of each village under a path that has any, with a
   * mark of the locality tree's state (any locality added, removed or changed changes it).
   */
  async villageAmbassadors(path: string): Promise<{ tree: string; byVillage: Record<string, number> }> {
    const [row] = await this.dataSource.query<{ tree: string; byVillage: Record<string, number> }[]>(
      `SELECT (SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') FROM localities) AS tree,
              coalesce((SELECT json_object_agg(village_id, n)
                          FROM (SELECT village_id, count(DISTINCT holder_id)::int AS n
                                  FROM reporting_active_ambassadors
                                 WHERE locality_path LIKE $1 AND village_id IS NOT NULL GROUP BY 1) a), '{}') AS "byVillage"`,
      [`${path}%`],
    );
    return row;
  }

  /** Every village under a path, by name. */
  villagesUnder(path: string, childPart: number): Promise<AreaVillage[]> {
    return this.dataSource.query<AreaVillage[]>(
      `SELECT village_id AS id, name, NULLIF(split_part(path, '/', $2), '')::uuid AS "childId"
         FROM reporting_villages WHERE path LIKE $1 ORDER BY name, village_id`,
      [`${path}%`, childPart],
    );
  }

  /**
   * Adds facts to the daily counts, in the caller's transaction (the outbox consumer's): one
   * statement per batch, whatever its size. Days follow Vietnam's calendar.
   */
  async addActivity(m: EntityManager, facts: readonly ActivityFact[]): Promise<void> {
    if (facts.length === 0) return;
    // Each fact counts at its place and at every place above it (migration ActivityByPlace).
    await m.query(
      `INSERT INTO reporting_daily_activity AS d (day, metric, locality_path, count, own)
       SELECT f.day, f.metric, a.path, sum(f.n)::int,
              coalesce(sum(f.n) FILTER (WHERE a.path = f.place), 0)::int
         FROM (SELECT (f.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, f.metric,
                      COALESCE(f.locality_path, l.locality_path, '') AS place, count(*) AS n
                 FROM jsonb_to_recordset($1::jsonb) AS f(metric text, at timestamptz, locality_path text, learner_id uuid)
                 LEFT JOIN reporting_learners l ON l.learner_id = f.learner_id
                GROUP BY 1, 2, 3) f
        CROSS JOIN LATERAL reporting_ancestor_paths(f.place) a
        GROUP BY 1, 2, 3
       ON CONFLICT (metric, locality_path, day)
       DO UPDATE SET count = d.count + EXCLUDED.count, own = d.own + EXCLUDED.own`,
      [
        JSON.stringify(
          facts.map((f) => ({
            metric: f.metric,
            at: f.at,
            locality_path: f.localityPath ?? null,
            learner_id: f.learnerId ?? null,
          })),
        ),
      ],
    );
  }

  /** Daily counts per metric of a place (its own and every place below it), for the days from..to. */
  activity(
    path: string,
    from: string,
    to: string,
  ): Promise<{ day: string; metric: ActivityMetric; count: number }[]> {
    return this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, metric, count
         FROM reporting_daily_activity
        WHERE locality_path = $1 AND day BETWEEN $2::date AND $3::date
        ORDER BY day`,
      [path, from, to],
    );
  }
}

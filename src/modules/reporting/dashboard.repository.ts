import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One week's counts for an area (weeks start on Monday, Vietnam's calendar). */
export interface WeekCounts {
  /** The Monday, YYYY-MM-DD. */
  week: string;
  enrolments: number;
  completions: number;
  certificatesIssued: number;
  householdsHelped: number;
}

export interface InactiveAmbassador {
  holderId: string;
  holderName: string;
  villageId: string | null;
  lastHelpedOn: string | null;
  issuedAt: Date;
}

/** What the coordinators' dashboard reads besides targets: weekly trends and the dormant ambassadors. */
@Injectable()
export class DashboardRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * The last `weeks` weeks (this one included) under a place, from the rollups: enrolments and
   * completions from `reporting_area_weeks` (the place's own rows), certificates and households from
   * `reporting_village_days`. Weeks without anything are there with zeros.
   */
  weekly(path: string, weeks: number): Promise<WeekCounts[]> {
    return this.dataSource.query<WeekCounts[]>(
      `WITH today AS (SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day),
            first AS (SELECT date_trunc('week', day)::date - 7 * ($2::int - 1) AS week FROM today),
            w AS (SELECT generate_series((SELECT week FROM first), (SELECT day FROM today), interval '7 days')::date AS week),
            c AS (SELECT week, enrolled AS enrolments, completed AS completions
                    FROM reporting_area_weeks
                   WHERE locality_path = $3 AND week >= (SELECT week FROM first)),
            v AS (SELECT date_trunc('week', day)::date AS week, sum(certificates_issued)::int AS issued,
                         sum(households)::int AS households
                    FROM reporting_village_days
                   WHERE locality_path LIKE $1 AND day >= (SELECT week FROM first) GROUP BY 1)
       SELECT to_char(w.week, 'YYYY-MM-DD') AS week, coalesce(c.enrolments, 0) AS enrolments,
              coalesce(c.completions, 0) AS completions, coalesce(v.issued, 0) AS "certificatesIssued",
              coalesce(v.households, 0) AS "householdsHelped"
         FROM w LEFT JOIN c USING (week) LEFT JOIN v USING (week)
        ORDER BY w.week`,
      [`${path}%`, weeks, path],
    );
  }

  /**
   * Active ambassadors under a place at the end of each of the last `weeks` weeks (today for this
   * one), as `reporting_ambassadors` defines active on that day: a certificate issued, not yet
   * expired or revoked, and certified or helping a household within the programme's window.
   * One per holder. Computed from the certificates and the mentoring rollup, so past weeks need no
   * snapshot; a certificate's place is where it was issued.
   */
  weeklyActiveAmbassadors(path: string, weeks: number): Promise<{ week: string; active: number }[]> {
    return this.dataSource.query(
      `WITH today AS (SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day),
            w AS (SELECT week::date, least(week::date + 6, (SELECT day FROM today)) AS day
                    FROM generate_series(date_trunc('week', (SELECT day FROM today)) - 7 * ($2::int - 1) * interval '1 day',
                                         (SELECT day FROM today), interval '7 days') week),
            c AS (SELECT holder_id, (issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS issued_on,
                         (expires_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS expires_on,
                         (revoked_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS revoked_on,
                         (ready_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS ready_on, active_within_days
                    FROM reporting_ambassador_history
                   WHERE locality_path LIKE $1 AND ready_at IS NOT NULL)
       SELECT to_char(w.week, 'YYYY-MM-DD') AS week,
              (SELECT count(DISTINCT c.holder_id)::int FROM c
                WHERE c.ready_on <= w.day AND c.expires_on > w.day
                  AND (c.revoked_on IS NULL OR c.revoked_on > w.day)
                  AND (c.issued_on >= w.day - c.active_within_days
                       OR EXISTS (SELECT 1 FROM reporting_mentor_days d
                                   WHERE d.mentor_id = c.holder_id AND d.day <= w.day
                                     AND d.day >= w.day - c.active_within_days))) AS active
         FROM w ORDER BY w.week`,
      [`${path}%`, weeks],
    );
  }

  /**
   * People under a place who logged at least `minHouseholds` households ("1 kèm 5") and hold no
   * valid certificate: the likely candidates who have not been certified, most households first.
   */
  mentorsWithoutCertificate(
    path: string,
    minHouseholds: number,
    limit: number,
  ): Promise<{ mentorId: string; households: number }[]> {
    return this.dataSource.query(
      `SELECT m.mentor_id AS "mentorId", sum(m.households)::int AS households
         FROM reporting_mentor_days m
        WHERE m.locality_path LIKE $1
          AND NOT EXISTS (SELECT 1 FROM reporting_ambassadors a WHERE a.holder_id = m.mentor_id)
        GROUP BY m.mentor_id
       HAVING sum(m.households) >= $2
        ORDER BY 2 DESC, 1
        LIMIT $3`,
      [`${path}%`, minHouseholds, limit],
    );
  }

  /**
   * Holders of a valid certificate under a place none of whose certificates is active (the
   * programme's window), longest idle first: one row per holder, however many certificates.
   */
  inactiveAmbassadors(path: string, limit: number): Promise<InactiveAmbassador[]> {
    return this.dataSource.query<InactiveAmbassador[]>(
      `SELECT holder_id AS "holderId", min(holder_name) AS "holderName",
              (array_agg(village_id ORDER BY issued_at DESC))[1] AS "villageId",
              to_char(max(last_helped_on), 'YYYY-MM-DD') AS "lastHelpedOn", max(issued_at) AS "issuedAt"
         FROM reporting_ambassadors
        WHERE locality_path LIKE $1
        GROUP BY holder_id
       HAVING NOT bool_or(active)
        ORDER BY coalesce(max(last_helped_on), (max(issued_at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date), holder_id
        LIMIT $2`,
      [`${path}%`, limit],
    );
  }
}

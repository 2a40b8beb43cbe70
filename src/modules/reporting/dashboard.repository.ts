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
   * completions from `reporting_course_days`, certificates and households from
   * `reporting_village_days`. Weeks without anything are there with zeros.
   */
  weekly(path: string, weeks: number): Promise<WeekCounts[]> {
    return this.dataSource.query<WeekCounts[]>(
      `WITH today AS (SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day),
            first AS (SELECT date_trunc('week', day)::date - 7 * ($2::int - 1) AS week FROM today),
            w AS (SELECT generate_series((SELECT week FROM first), (SELECT day FROM today), interval '7 days')::date AS week),
            c AS (SELECT date_trunc('week', day)::date AS week, sum(enrolled)::int AS enrolments,
                         sum(completed)::int AS completions
                    FROM reporting_course_days
                   WHERE locality_path LIKE $1 AND day >= (SELECT week FROM first) GROUP BY 1),
            v AS (SELECT date_trunc('week', day)::date AS week, sum(certificates_issued)::int AS issued,
                         sum(households)::int AS households
                    FROM reporting_village_days
                   WHERE locality_path LIKE $1 AND day >= (SELECT week FROM first) GROUP BY 1)
       SELECT to_char(w.week, 'YYYY-MM-DD') AS week, coalesce(c.enrolments, 0) AS enrolments,
              coalesce(c.completions, 0) AS completions, coalesce(v.issued, 0) AS "certificatesIssued",
              coalesce(v.households, 0) AS "householdsHelped"
         FROM w LEFT JOIN c USING (week) LEFT JOIN v USING (week)
        ORDER BY w.week`,
      [`${path}%`, weeks],
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

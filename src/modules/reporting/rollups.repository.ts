import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SqlRunner } from '../../infrastructure/outbox/outbox.js';

/** A learner's step in a course, from the outbox: enrolled, started, completed, active that day. */
export interface CourseFact {
  kind: 'enrolled' | 'started' | 'completed' | 'active';
  learnerId: string;
  courseId: string;
  at: string;
}

/** A certificate issued or revoked, where and when. */
export interface CertificateFact {
  kind: 'issued' | 'revoked';
  localityPath: string;
  at: string;
}

/** Vietnam's calendar day of an instant, in SQL. */
const DAY = (at: string) => `(${at} AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;

const ROLLUP_TABLES = [
  'reporting_course_days',
  'reporting_progress_totals',
  'reporting_mentor_days',
  'reporting_mentor_months',
  'reporting_village_days',
  'reporting_area_weeks',
  'reporting_mentor_last',
];

/**
 * The rollups' writes: incremental (a batch of outbox facts, in the consumer's transaction) and
 * whole (recomputed from the `reporting_*` views). Both produce the same rows for the same history;
 * `test/services/rollups.service-spec.ts` holds them to it.
 */
@Injectable()
export class RollupsRepository {
  /** Adds course facts: per day, place, group and course, and to the totals (per course and all). */
  async addCourseFacts(m: EntityManager, facts: readonly CourseFact[]): Promise<void> {
    if (facts.length === 0) return;
    await m.query(
      `WITH f AS (
         SELECT f.kind, ${DAY('f.at')} AS day, f.course_id, coalesce(l.locality_path, '') AS locality_path,
                l.learner_group_id
           FROM jsonb_to_recordset($1::jsonb) AS f(kind text, at timestamptz, learner_id uuid, course_id uuid)
           LEFT JOIN reporting_learners l ON l.learner_id = f.learner_id
       ), days AS (
         INSERT INTO reporting_course_days AS d (day, course_id, locality_path, learner_group_id, enrolled, started, completed, active)
         SELECT day, course_id, locality_path, learner_group_id,
                count(*) FILTER (WHERE kind = 'enrolled'), count(*) FILTER (WHERE kind = 'started'),
                count(*) FILTER (WHERE kind = 'completed'), count(*) FILTER (WHERE kind = 'active')
           FROM f GROUP BY 1, 2, 3, 4
         ON CONFLICT ON CONSTRAINT reporting_course_days_key DO UPDATE
            SET enrolled = d.enrolled + EXCLUDED.enrolled, started = d.started + EXCLUDED.started,
                completed = d.completed + EXCLUDED.completed, active = d.active + EXCLUDED.active
       ), weeks AS (
         INSERT INTO reporting_area_weeks AS w (locality_path, week, enrolled, started, completed)
         SELECT a.path, date_trunc('week', f.day)::date,
                count(*) FILTER (WHERE kind = 'enrolled'), count(*) FILTER (WHERE kind = 'started'),
                count(*) FILTER (WHERE kind = 'completed')
           FROM f CROSS JOIN LATERAL reporting_ancestor_paths(f.locality_path) AS a
          WHERE f.kind <> 'active'
          GROUP BY 1, 2
         ON CONFLICT (locality_path, week) DO UPDATE
            SET enrolled = w.enrolled + EXCLUDED.enrolled, started = w.started + EXCLUDED.started,
                completed = w.completed + EXCLUDED.completed
       )
       INSERT INTO reporting_progress_totals AS t (course_id, locality_path, depth, learner_group_id, enrolled, started, completed)
       SELECT c.course_id, a.path, a.depth, f.learner_group_id,
              count(*) FILTER (WHERE kind = 'enrolled'), count(*) FILTER (WHERE kind = 'started'),
              count(*) FILTER (WHERE kind = 'completed')
         FROM f CROSS JOIN LATERAL (VALUES (f.course_id), (NULL::uuid)) AS c(course_id)
        CROSS JOIN LATERAL reporting_ancestor_paths(f.locality_path) AS a
        WHERE f.kind <> 'active'
        GROUP BY 1, 2, 3, 4
       ON CONFLICT ON CONSTRAINT reporting_progress_totals_key DO UPDATE
          SET enrolled = t.enrolled + EXCLUDED.enrolled, started = t.started + EXCLUDED.started,
              completed = t.completed + EXCLUDED.completed`,
      [
        JSON.stringify(
          facts.map((f) => ({ kind: f.kind, at: f.at, learner_id: f.learnerId, course_id: f.courseId })),
        ),
      ],
    );
  }

  /**
   * Adds households helped (mentoring records, by id): per mentor and day (a new mentor-day counts
   * one more mentor for the place and day), per mentor and month, per place and day, and each
   * mentor's last day of help.
   */
  async addMentoring(m: EntityManager, recordIds: readonly string[]): Promise<void> {
    if (recordIds.length === 0) return;
    await m.query(
      `WITH f AS (
         SELECT r.mentor_id, r.helped_on AS day, r.locality_path, count(*)::int AS households
           FROM reporting_mentoring r WHERE r.record_id = ANY ($1::uuid[])
          GROUP BY 1, 2, 3
       ), days AS (
         INSERT INTO reporting_mentor_days AS d (mentor_id, day, locality_path, households)
         SELECT mentor_id, day, locality_path, households FROM f
         ON CONFLICT (mentor_id, day, locality_path) DO UPDATE SET households = d.households + EXCLUDED.households
         RETURNING d.locality_path, d.day, (xmax = 0) AS new_mentor
       ), months AS (
         INSERT INTO reporting_mentor_months AS mm (mentor_id, month, households)
         SELECT mentor_id, date_trunc('month', day)::date, sum(households)::int FROM f GROUP BY 1, 2
         ON CONFLICT (mentor_id, month) DO UPDATE SET households = mm.households + EXCLUDED.households
       ), last AS (
         INSERT INTO reporting_mentor_last AS ml (mentor_id, last_helped_on)
         SELECT mentor_id, max(day) FROM f GROUP BY 1
         ON CONFLICT (mentor_id) DO UPDATE SET last_helped_on = greatest(ml.last_helped_on, EXCLUDED.last_helped_on)
       )
       INSERT INTO reporting_village_days AS v (locality_path, day, mentors, households)
       SELECT p.locality_path, p.day,
              (SELECT count(*) FROM days d WHERE d.locality_path = p.locality_path AND d.day = p.day AND d.new_mentor)::int,
              p.households
         FROM (SELECT locality_path, day, sum(households)::int AS households FROM f GROUP BY 1, 2) p
       ON CONFLICT (locality_path, day) DO UPDATE
          SET mentors = v.mentors + EXCLUDED.mentors, households = v.households + EXCLUDED.households`,
      [recordIds],
    );
  }

  async addCertificates(m: EntityManager, facts: readonly CertificateFact[]): Promise<void> {
    if (facts.length === 0) return;
    await m.query(
      `INSERT INTO reporting_village_days AS v (locality_path, day, certificates_issued, certificates_revoked)
       SELECT f.locality_path, ${DAY('f.at')}, count(*) FILTER (WHERE f.kind = 'issued'),
              count(*) FILTER (WHERE f.kind = 'revoked')
         FROM jsonb_to_recordset($1::jsonb) AS f(kind text, at timestamptz, locality_path text)
        GROUP BY 1, 2
       ON CONFLICT (locality_path, day) DO UPDATE
          SET certificates_issued = v.certificates_issued + EXCLUDED.certificates_issued,
              certificates_revoked = v.certificates_revoked + EXCLUDED.certificates_revoked`,
      [JSON.stringify(facts.map((f) => ({ kind: f.kind, at: f.at, locality_path: f.localityPath })))],
    );
  }

  /**
   * Recomputes every rollup from the views, in `m`'s transaction (REPEATABLE READ: one snapshot).
   * Active learners come from the event log; for days older than its oldest event still in the
   * database (months archived to object storage) the counts already kept are carried over.
   */
  async rebuild(m: SqlRunner): Promise<void> {
    await m.query(`
      CREATE TEMPORARY TABLE rebuilt_active ON COMMIT DROP AS
      SELECT a.day, a.course_id, coalesce(l.locality_path, '') AS locality_path, l.learner_group_id, count(*)::int AS n
        FROM reporting_course_activity a LEFT JOIN reporting_learners l ON l.learner_id = a.learner_id
       GROUP BY 1, 2, 3, 4`);
    await m.query(`
      CREATE TEMPORARY TABLE kept_active ON COMMIT DROP AS
      SELECT day, course_id, locality_path, learner_group_id, active AS n FROM reporting_course_days
       WHERE active > 0 AND day <= coalesce((SELECT min(day) FROM rebuilt_active), 'infinity'::date)`);
    await m.query(`DELETE FROM ${ROLLUP_TABLES.join('; DELETE FROM ')}`);

    await m.query(`
      INSERT INTO reporting_course_days (day, course_id, locality_path, learner_group_id, enrolled, started, completed, active)
      SELECT day, course_id, locality_path, learner_group_id, sum(enrolled), sum(started), sum(completed), max(active)
        FROM (SELECT ${DAY('s.at')} AS day, e.course_id, coalesce(e.locality_path, '') AS locality_path, e.learner_group_id,
                     (s.kind = 'enrolled')::int AS enrolled, (s.kind = 'started')::int AS started,
                     (s.kind = 'completed')::int AS completed, 0 AS active
                FROM reporting_enrolments e
               CROSS JOIN LATERAL (VALUES ('enrolled', e.enrolled_at), ('started', e.started_at), ('completed', e.completed_at))
                     AS s(kind, at)
               WHERE s.at IS NOT NULL
              UNION ALL
              -- The boundary day may be in both: the larger count is the whole day's.
              SELECT day, course_id, locality_path, learner_group_id, 0, 0, 0, n FROM rebuilt_active
              UNION ALL
              SELECT day, course_id, locality_path, learner_group_id, 0, 0, 0, n FROM kept_active) AS s
       GROUP BY 1, 2, 3, 4`);
    await m.query(`
      INSERT INTO reporting_area_weeks (locality_path, week, enrolled, started, completed)
      SELECT a.path, date_trunc('week', d.day)::date, sum(d.enrolled), sum(d.started), sum(d.completed)
        FROM reporting_course_days d CROSS JOIN LATERAL reporting_ancestor_paths(d.locality_path) a
       WHERE d.enrolled + d.started + d.completed > 0
       GROUP BY 1, 2`);
    await m.query(`
      INSERT INTO reporting_progress_totals (course_id, locality_path, depth, learner_group_id, enrolled, started, completed)
      SELECT c.course_id, a.path, a.depth, v.learner_group_id, sum(v.enrolled), sum(v.started), sum(v.completed)
        FROM (SELECT course_id, coalesce(locality_path, '') AS locality_path, learner_group_id,
                     count(*) AS enrolled, count(started_at) AS started, count(completed_at) AS completed
                FROM reporting_enrolments GROUP BY 1, 2, 3) v
       CROSS JOIN LATERAL (VALUES (v.course_id), (NULL::uuid)) AS c(course_id)
       CROSS JOIN LATERAL reporting_ancestor_paths(v.locality_path) AS a
       GROUP BY 1, 2, 3, 4`);
    await m.query(`
      INSERT INTO reporting_mentor_days (mentor_id, day, locality_path, households)
      SELECT mentor_id, helped_on, locality_path, count(*) FROM reporting_mentoring GROUP BY 1, 2, 3`);
    await m.query(`
      INSERT INTO reporting_mentor_months (mentor_id, month, households)
      SELECT mentor_id, date_trunc('month', helped_on)::date, count(*) FROM reporting_mentoring GROUP BY 1, 2`);
    await m.query(`
      INSERT INTO reporting_mentor_last (mentor_id, last_helped_on)
      SELECT mentor_id, max(helped_on) FROM reporting_mentoring GROUP BY 1`);
    await m.query(`
      INSERT INTO reporting_village_days (locality_path, day, mentors, households, certificates_issued, certificates_revoked)
      SELECT locality_path, day, sum(mentors), sum(households), sum(issued), sum(revoked)
        FROM (SELECT locality_path, day, count(*) AS mentors, sum(households) AS households, 0 AS issued, 0 AS revoked
                FROM reporting_mentor_days GROUP BY 1, 2
              UNION ALL
              SELECT locality_path, ${DAY('issued_at')}, 0, 0, 1, 0 FROM reporting_certificate_history
               WHERE ready_at IS NOT NULL
              UNION ALL
              SELECT locality_path, ${DAY('revoked_at')}, 0, 0, 0, 1 FROM reporting_certificate_history
               WHERE revoked_at IS NOT NULL) AS s
       GROUP BY 1, 2`);
    // Tables refilled from scratch: without fresh statistics the planner scans them whole for
    // every report until autovacuum gets to them (a province report took 2.7 s instead of ms).
    await m.query(`ANALYZE ${ROLLUP_TABLES.join(', ')}`);
  }
}

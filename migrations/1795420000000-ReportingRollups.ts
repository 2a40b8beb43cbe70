import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rollups the reporting module keeps from the outbox, so staff reports read a few thousand rows
 * instead of aggregating millions of enrolments (docs/decisions.md, "Rollups").
 *
 * Places are the learner's (or the mentor's) village path, '' when none; learner groups may be
 * NULL, hence the NULLS NOT DISTINCT keys. Days follow Vietnam's calendar.
 *
 * `enrolments.active_on` is the day of the last event received for the enrolment: the learning
 * module appends a `learning.course_active` fact when it changes, so "active learners of a day"
 * is counted once per learner, course and day without keeping a row per heartbeat.
 *
 * `outbox_checkpoints.skip` lets a rebuild hand over to the incremental consumer exactly: the
 * rebuild reads the source tables in one snapshot and records it; the consumer then skips the
 * events that snapshot already saw.
 */
export class ReportingRollups1795420000000 implements MigrationInterface {
  name = 'ReportingRollups1795420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enrolments ADD COLUMN active_on date`);
    await q.query(`
      UPDATE enrolments e SET active_on = a.day
        FROM (SELECT learner_id, course_id, (max(received_at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day
                FROM progress_events GROUP BY 1, 2) a
       WHERE a.learner_id = e.learner_id AND a.course_id = e.course_id`);

    // What the rollups need from other modules' tables, in one place (as the other reporting views).
    await q.query(`
      CREATE VIEW reporting_course_activity AS
        SELECT DISTINCT learner_id, course_id, (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day
          FROM progress_events`);
    await q.query(`
      CREATE VIEW reporting_mentoring AS
        SELECT m.id AS record_id, m.candidate_id AS mentor_id, m.helped_on,
               coalesce(v.path, l.locality_path, '') AS locality_path
          FROM mentoring_records m
          LEFT JOIN localities v ON v.id = m.village_id
          LEFT JOIN reporting_learners l ON l.learner_id = m.candidate_id`);

    await q.query(`
      CREATE VIEW reporting_certificate_history AS
        SELECT id AS certificate_id, locality_path, issued_at, ready_at, revoked_at FROM certificates`);

    await q.query(`
      CREATE TABLE reporting_course_days (
        day date NOT NULL,
        course_id uuid NOT NULL,
        locality_path text NOT NULL,
        learner_group_id uuid,
        enrolled int NOT NULL DEFAULT 0,
        started int NOT NULL DEFAULT 0,
        completed int NOT NULL DEFAULT 0,
        active int NOT NULL DEFAULT 0,
        CONSTRAINT reporting_course_days_key UNIQUE NULLS NOT DISTINCT (day, course_id, locality_path, learner_group_id)
      )`);
    await q.query(
      `CREATE INDEX reporting_course_days_place_idx ON reporting_course_days (locality_path text_pattern_ops, day)`,
    );
    // Every locality a village path lies in, itself included ('' for none: depth 0).
    await q.query(`
      CREATE FUNCTION reporting_ancestor_paths(path text) RETURNS TABLE (path text, depth int)
        LANGUAGE sql IMMUTABLE AS $$
          SELECT CASE WHEN i = 0 THEN '' ELSE '/' || array_to_string(parts[1:i], '/') || '/' END, i
            FROM (SELECT CASE WHEN path = '' THEN '{}'::text[] ELSE string_to_array(trim(both '/' from path), '/') END AS parts) p,
                 generate_series(CASE WHEN path = '' THEN 0 ELSE 1 END, coalesce(array_length(parts, 1), 0)) AS i
        $$`);
    // The same counts without days, per course and for all courses (course_id NULL), for every
    // locality at every level (a village's learners count in its commune and province too): a
    // report reads the rows of the place asked about and of its children, a few hundred at most.
    await q.query(`
      CREATE TABLE reporting_progress_totals (
        course_id uuid,
        locality_path text NOT NULL,
        depth smallint NOT NULL,
        learner_group_id uuid,
        enrolled int NOT NULL DEFAULT 0,
        started int NOT NULL DEFAULT 0,
        completed int NOT NULL DEFAULT 0,
        CONSTRAINT reporting_progress_totals_key UNIQUE NULLS NOT DISTINCT (course_id, locality_path, learner_group_id)
      )`);
    await q.query(
      `CREATE INDEX reporting_progress_totals_place_idx ON reporting_progress_totals (course_id, depth, locality_path text_pattern_ops)`,
    );
    await q.query(`
      CREATE TABLE reporting_mentor_days (
        mentor_id uuid NOT NULL,
        day date NOT NULL,
        locality_path text NOT NULL,
        households int NOT NULL,
        PRIMARY KEY (mentor_id, day, locality_path)
      )`);
    await q.query(`
      CREATE TABLE reporting_mentor_months (
        mentor_id uuid NOT NULL,
        month date NOT NULL,
        households int NOT NULL,
        PRIMARY KEY (mentor_id, month)
      )`);
    await q.query(`
      CREATE TABLE reporting_village_days (
        locality_path text NOT NULL,
        day date NOT NULL,
        mentors int NOT NULL DEFAULT 0,
        households int NOT NULL DEFAULT 0,
        certificates_issued int NOT NULL DEFAULT 0,
        certificates_revoked int NOT NULL DEFAULT 0,
        PRIMARY KEY (locality_path, day)
      )`);
    await q.query(
      `CREATE INDEX reporting_village_days_place_idx ON reporting_village_days (locality_path text_pattern_ops, day)`,
    );
    // A province's activity over 30 days: by day first (the place index reads a whole province).
    await q.query(
      `CREATE INDEX reporting_daily_activity_day_idx ON reporting_daily_activity (day, locality_path text_pattern_ops)`,
    );
    await q.query(`ALTER TABLE outbox_checkpoints ADD COLUMN skip pg_snapshot`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_checkpoints DROP COLUMN skip`);
    await q.query(`DROP INDEX reporting_daily_activity_day_idx`);
    await q.query(`DELETE FROM outbox_checkpoints WHERE consumer = 'reporting.rollups'`);
    await q.query(
      `DELETE FROM domain_events WHERE type IN ('learning.enrolled', 'learning.course_started', 'learning.course_active', 'certification.mentoring_recorded')`,
    );
    await q.query(`DROP TABLE reporting_village_days`);
    await q.query(`DROP TABLE reporting_mentor_months`);
    await q.query(`DROP TABLE reporting_mentor_days`);
    await q.query(`DROP TABLE reporting_progress_totals`);
    await q.query(`DROP FUNCTION reporting_ancestor_paths(text)`);
    await q.query(`DROP TABLE reporting_course_days`);
    await q.query(`DROP VIEW reporting_certificate_history`);
    await q.query(`DROP VIEW reporting_mentoring`);
    await q.query(`DROP VIEW reporting_course_activity`);
    await q.query(`ALTER TABLE enrolments DROP COLUMN active_on`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Learning: enrolments, the append-only progress event log, the per-learner-lesson summary kept
 * in step with it, course completions, and the domain event outbox other modules consume.
 */
export class Learning1795350000000 implements MigrationInterface {
  name = 'Learning1795350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE enrolments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        learner_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        course_id uuid NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
        course_version_id uuid NOT NULL REFERENCES course_versions (id) ON DELETE RESTRICT,
        enrolled_by uuid REFERENCES users (id) ON DELETE RESTRICT,
        enrolled_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        last_activity_at timestamptz,
        completed_at timestamptz,
        CONSTRAINT enrolments_learner_course_key UNIQUE (learner_id, course_id),
        CONSTRAINT enrolments_completed_was_started CHECK (completed_at IS NULL OR started_at IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX enrolments_course_idx ON enrolments (course_id)`);

    // Client-generated ids are unique per learner, not globally: one learner cannot collide with another.
    await q.query(`
      CREATE TABLE progress_events (
        learner_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        id uuid NOT NULL,
        type varchar(24) NOT NULL CHECK (type IN ('video.heartbeat', 'guide.step', 'quiz.attempt')),
        lesson_id uuid NOT NULL REFERENCES lessons (id) ON DELETE RESTRICT,
        lesson_key uuid NOT NULL,
        course_id uuid NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
        locale varchar(8) NOT NULL,
        client_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        payload jsonb NOT NULL,
        outcome jsonb,
        CONSTRAINT progress_events_pkey PRIMARY KEY (learner_id, id)
      )`);
    await q.query(`
      CREATE FUNCTION progress_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'progress events are append-only' USING ERRCODE = 'BS001';
        END $$`);
    await q.query(`
      CREATE TRIGGER progress_events_append_only BEFORE UPDATE OR DELETE ON progress_events
        FOR EACH ROW EXECUTE FUNCTION progress_events_append_only()`);

    await q.query(`
      CREATE TABLE lesson_progress (
        learner_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        lesson_key uuid NOT NULL,
        course_id uuid NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
        lesson_id uuid NOT NULL REFERENCES lessons (id) ON DELETE RESTRICT,
        kind varchar(8) NOT NULL,
        locale varchar(8) NOT NULL,
        status varchar(12) NOT NULL CHECK (status IN ('in_progress', 'completed')),
        watched jsonb NOT NULL DEFAULT '{}',
        watched_seconds numeric(9, 3) NOT NULL DEFAULT 0,
        duration_seconds numeric(9, 3),
        position_seconds numeric(9, 3),
        position_at timestamptz,
        steps_done uuid[] NOT NULL DEFAULT '{}',
        attempt_times timestamptz[] NOT NULL DEFAULT '{}',
        best_score int,
        last_score int,
        events int NOT NULL DEFAULT 0,
        last_event_at timestamptz NOT NULL,
        completed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT lesson_progress_pkey PRIMARY KEY (learner_id, lesson_key),
        CONSTRAINT lesson_progress_completed_at CHECK ((status = 'completed') = (completed_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX lesson_progress_course_idx ON lesson_progress (learner_id, course_id)`);

    await q.query(`
      CREATE TABLE course_completions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        learner_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        course_id uuid NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
        course_version_id uuid NOT NULL REFERENCES course_versions (id) ON DELETE RESTRICT,
        version int NOT NULL,
        locale varchar(8) NOT NULL,
        average_quiz_score numeric(5, 2),
        completed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT course_completions_learner_version_key UNIQUE (learner_id, course_version_id)
      )`);

    await q.query(`
      CREATE TABLE domain_events (
        seq bigserial PRIMARY KEY,
        type varchar(64) NOT NULL,
        subject_id uuid NOT NULL,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX domain_events_type_idx ON domain_events (type, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE domain_events`);
    await q.query(`DROP TABLE course_completions`);
    await q.query(`DROP TABLE lesson_progress`);
    await q.query(`DROP TABLE progress_events`);
    await q.query(`DROP FUNCTION progress_events_append_only()`);
    await q.query(`DROP TABLE enrolments`);
  }
}

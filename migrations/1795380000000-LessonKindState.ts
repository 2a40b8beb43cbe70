import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lesson kinds become plugins (src/modules/lesson-kinds): the kinds and event types are no longer
 * listed in CHECK constraints (the registry validates them, so a new kind needs no migration),
 * and a learner's per-kind progress moves from one column per field into `lesson_progress.state`,
 * the kind's own JSON. Existing progress is carried over; `down` restores the columns from it.
 */
export class LessonKindState1795380000000 implements MigrationInterface {
  name = 'LessonKindState1795380000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lessons DROP CONSTRAINT lessons_kind_check`);
    await q.query(`ALTER TABLE lessons ALTER COLUMN kind TYPE varchar(24)`);
    await q.query(`ALTER TABLE progress_events DROP CONSTRAINT progress_events_type_check`);
    await q.query(`ALTER TABLE lesson_progress ALTER COLUMN kind TYPE varchar(24)`);
    await q.query(`ALTER TABLE lesson_progress ADD COLUMN state jsonb NOT NULL DEFAULT '{}'`);
    await q.query(`
      UPDATE lesson_progress SET state = CASE kind
        WHEN 'video' THEN jsonb_build_object(
          'watched', watched,
          'watchedSeconds', watched_seconds::float8,
          'durationSeconds', duration_seconds::float8,
          'positionSeconds', position_seconds::float8,
          'positionAt', to_jsonb(position_at))
        WHEN 'guide' THEN jsonb_build_object('stepsDone', to_jsonb(steps_done))
        WHEN 'quiz' THEN jsonb_build_object(
          'attemptTimes', to_jsonb(attempt_times),
          'bestScore', best_score,
          'lastScore', last_score,
          'lastAt', to_jsonb(attempt_times[array_upper(attempt_times, 1)]))
        ELSE '{}'::jsonb END`);
    await q.query(`
      ALTER TABLE lesson_progress
        DROP COLUMN watched, DROP COLUMN watched_seconds, DROP COLUMN duration_seconds,
        DROP COLUMN position_seconds, DROP COLUMN position_at, DROP COLUMN steps_done,
        DROP COLUMN attempt_times, DROP COLUMN best_score, DROP COLUMN last_score`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE lesson_progress
        ADD COLUMN watched jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN watched_seconds numeric(9, 3) NOT NULL DEFAULT 0,
        ADD COLUMN duration_seconds numeric(9, 3),
        ADD COLUMN position_seconds numeric(9, 3),
        ADD COLUMN position_at timestamptz,
        ADD COLUMN steps_done uuid[] NOT NULL DEFAULT '{}',
        ADD COLUMN attempt_times timestamptz[] NOT NULL DEFAULT '{}',
        ADD COLUMN best_score int,
        ADD COLUMN last_score int`);
    await q.query(`
      UPDATE lesson_progress SET
        watched = coalesce(state->'watched', '{}'),
        watched_seconds = coalesce((state->>'watchedSeconds')::numeric, 0),
        duration_seconds = (state->>'durationSeconds')::numeric,
        position_seconds = (state->>'positionSeconds')::numeric,
        position_at = (state->>'positionAt')::timestamptz,
        steps_done = coalesce(ARRAY(SELECT jsonb_array_elements_text(state->'stepsDone'))::uuid[], '{}'),
        attempt_times = coalesce(ARRAY(SELECT jsonb_array_elements_text(state->'attemptTimes'))::timestamptz[], '{}'),
        best_score = (state->>'bestScore')::int,
        last_score = (state->>'lastScore')::int`);
    await q.query(`ALTER TABLE lesson_progress DROP COLUMN state`);
    await q.query(`ALTER TABLE lesson_progress ALTER COLUMN kind TYPE varchar(8)`);
    await q.query(`
      ALTER TABLE progress_events ADD CONSTRAINT progress_events_type_check
        CHECK (type IN ('video.heartbeat', 'guide.step', 'quiz.attempt'))`);
    await q.query(`ALTER TABLE lessons ALTER COLUMN kind TYPE varchar(8)`);
    await q.query(
      `ALTER TABLE lessons ADD CONSTRAINT lessons_kind_check CHECK (kind IN ('video', 'quiz', 'guide'))`,
    );
  }
}

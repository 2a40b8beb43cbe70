import pg from 'pg';
import { testEnv } from './support/api.js';
import { runScript } from './support/platform-process.js';

/** The migration CLI (npm run migration:*) on a database of its own. */
describe('migrations', () => {
  const base = testEnv().DATABASE_URL;
  const name = `banso_migrations_${Date.now().toString(36)}`;
  const url = (() => {
    const u = new URL(base);
    u.pathname = `/${name}`;
    return u.toString();
  })();
  const admin = new pg.Client({ connectionString: base });
  const cli = (...args: string[]) =>
    runScript('dist/src/infrastructure/database/typeorm-cli.js', { ...testEnv(), DATABASE_URL: url }, args);
  const tables = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const rows = await c.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations' ORDER BY 1`,
    );
    await c.end();
    return rows.rows.map((r) => r.tablename as string);
  };

  const appliedCount = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const rows = await c.query('SELECT count(*)::int AS n FROM typeorm_migrations');
    await c.end();
    return rows.rows[0].n as number;
  };

  /** Reverts the newest migrations until none at or after `timestamp` is applied. */
  /** Reverts every migration from `timestamp` on, newest first, in one CLI run. */
  const revertTo = async (c: pg.Client, timestamp: number) => {
    expect((await cli('revert', String(timestamp))).code).toBe(0);
    const { rows } = await c.query(`SELECT max(timestamp)::bigint AS t FROM typeorm_migrations`);
    expect(Number(rows[0].t)).toBeLessThan(timestamp);
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('run applies everything, check finds the entities match, revert undoes it all, run again works', async () => {
    const run = await cli('run');
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/Applied: Foundation/);
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'courses',
        'course_versions',
        'lessons',
        'auth_sessions',
        'learner_groups',
        'localities',
        'rate_limit_counters',
        'user_roles',
        'users',
      ]),
    );
    expect((await cli('run')).output).toMatch(/No pending migrations/);

    const check = await cli('check');
    expect(check.output).toMatch(/The entities match the migrated schema/);
    expect(check.code).toBe(0);
    const generate = await cli('generate', 'NothingToDo');
    expect(generate.output).toMatch(/No changes between the entities and the schema/);

    // Every migration reverts, newest first: the last one alone, then the rest back to the first.
    const applied = await appliedCount();
    expect(applied).toBeGreaterThanOrEqual(2);
    const one = await cli('revert');
    expect(one.output).toMatch(/Reverted the last migration/);
    expect(await appliedCount()).toBe(applied - 1);
    const rest = await cli('revert', '1795320000000');
    expect(rest.output).toContain(`Reverted ${applied - 1} migration(s).`);
    expect(await appliedCount()).toBe(0);
    expect(await tables()).toEqual([]);

    expect((await cli('run')).code).toBe(0);
    expect((await tables()).length).toBeGreaterThanOrEqual(6);
  });

  it('moves per-kind progress into lesson_progress.state and back without losing any of it', async () => {
    expect((await cli('run')).code).toBe(0);
    // Back to just before LessonKindState (the newest migrations first).
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await revertTo(c, 1795380000000);

      // Rows as the old columns held them (foreign keys off: only these rows matter here).
      const learner = '11111111-1111-4111-8111-111111111111';
      const [video, guide, quiz] = ['a', 'b', 'c'].map((x) => `${x.repeat(8)}-0000-4000-8000-000000000000`);
      const step = '22222222-2222-4222-8222-222222222222';
      await c.query(`SET session_replication_role = replica`);
      await c.query(
        `INSERT INTO lesson_progress (learner_id, lesson_key, course_id, lesson_id, kind, locale, status,
           watched, watched_seconds, duration_seconds, position_seconds, position_at,
           steps_done, attempt_times, best_score, last_score, last_event_at, completed_at)
         VALUES
         ($1, $2, $2, $2, 'video', 'hmn', 'in_progress', '{"hmn": [[0, 42.5]]}', 42.5, 120, 40,
          '2026-11-29T08:00:00Z', '{}', '{}', NULL, NULL, now(), NULL),
         ($1, $3, $3, $3, 'guide', 'vi', 'in_progress', '{}', 0, NULL, NULL, NULL,
          ARRAY[$5]::uuid[], '{}', NULL, NULL, now(), NULL),
         ($1, $4, $4, $4, 'quiz', 'vi', 'completed', '{}', 0, NULL, NULL, NULL,
          '{}', ARRAY['2026-11-29T08:00:00Z', '2026-11-29T09:00:00Z']::timestamptz[], 80, 60, now(), now())`,
        [learner, video, guide, quiz, step],
      );
      await c.query(`SET session_replication_role = DEFAULT`);

      expect((await cli('run')).code).toBe(0);
      const states = Object.fromEntries(
        (await c.query(`SELECT kind, state FROM lesson_progress`)).rows.map((r) => [r.kind, r.state]),
      );
      expect(states.video).toEqual({
        watched: { hmn: [[0, 42.5]] },
        watchedSeconds: 42.5,
        durationSeconds: 120,
        positionSeconds: 40,
        positionAt: expect.stringMatching(/^2026-11-29T(08:00:00|15:00:00)/),
      });
      expect(Date.parse(states.video.positionAt)).toBe(Date.parse('2026-11-29T08:00:00Z'));
      expect(states.guide).toEqual({ stepsDone: [step] });
      expect(states.quiz).toMatchObject({ bestScore: 80, lastScore: 60 });
      expect(states.quiz.attemptTimes.map(Date.parse)).toEqual([
        Date.parse('2026-11-29T08:00:00Z'),
        Date.parse('2026-11-29T09:00:00Z'),
      ]);
      expect(Date.parse(states.quiz.lastAt)).toBe(Date.parse('2026-11-29T09:00:00Z'));

      // And back: the old columns hold what they held.
      await revertTo(c, 1795380000000);
      const rows = Object.fromEntries(
        (
          await c.query(
            `SELECT kind, watched, watched_seconds::float8 AS ws, position_seconds::float8 AS ps,
                    steps_done, best_score, last_score, cardinality(attempt_times) AS attempts
               FROM lesson_progress`,
          )
        ).rows.map((r) => [r.kind, r]),
      );
      expect(rows.video).toMatchObject({ watched: { hmn: [[0, 42.5]] }, ws: 42.5, ps: 40 });
      expect(rows.guide.steps_done).toEqual([step]);
      expect(rows.quiz).toMatchObject({ best_score: 80, last_score: 60, attempts: 2 });
      expect((await cli('run')).code).toBe(0);
    } finally {
      await c.end();
    }
  });

  it('partitions the event log by month of receipt and back, keeping every event', async () => {
    expect((await cli('run')).code).toBe(0);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await revertTo(c, 1795410000000);
      expect((await c.query(`SELECT relkind FROM pg_class WHERE relname = 'progress_events'`)).rows).toEqual([
        { relkind: 'r' },
      ]);

      // Events received over two years, by a learner in a lesson that exist (the new table checks).
      const learner = '11111111-1111-4111-8111-111111111111';
      const lesson = 'aaaaaaaa-0000-4000-8000-000000000000';
      await c.query(
        `INSERT INTO users (id, phone, display_name, password_hash) VALUES ($1, '0912345678', 'Vàng Thị Dế', 'x')`,
        [learner],
      );
      await c.query(`INSERT INTO courses (id, slug, owner_id) VALUES ($1, 'partition-test', $2)`, [
        lesson,
        learner,
      ]);
      await c.query(
        `INSERT INTO course_versions (id, course_id, version, status, topic, title, created_by)
         VALUES ($1, $1, 1, 'draft', 'digital-services', '{"vi": "Thử"}', $2)`,
        [lesson, learner],
      );
      await c.query(
        `INSERT INTO lessons (id, course_version_id, lesson_key, position, kind, title)
         VALUES ($1, $1, $1, 1, 'guide', '{"vi": "Thử"}')`,
        [lesson],
      );
      await c.query(
        `INSERT INTO progress_events (learner_id, id, type, lesson_id, lesson_key, course_id, locale, client_at, received_at, payload)
         SELECT $1, gen_random_uuid(), 'guide.step', $2, $2, $2, 'hmn', t - interval '3 days', t, jsonb_build_object('n', n)
           FROM generate_series(1, 240) AS n, LATERAL (SELECT timestamptz '2024-12-15T10:00:00Z' + n * interval '3 days') AS x(t)`,
        [learner, lesson],
      );
      const snapshot = async () =>
        (
          await c.query(
            `SELECT id, received_at, client_at, payload FROM progress_events ORDER BY received_at, id`,
          )
        ).rows;
      const before = await snapshot();
      expect(before).toHaveLength(240);

      expect((await cli('run')).code).toBe(0);
      expect(await snapshot()).toEqual(before);
      const partitions = (
        await c.query(
          `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'progress_events'::regclass ORDER BY 1`,
        )
      ).rows.map((r) => r.relname as string);
      // From the oldest event's month to two months ahead of now, one table a month.
      expect(partitions[0]).toBe('progress_events_2024_12');
      const now = new Date();
      const ahead = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1));
      expect(partitions.at(-1)).toBe(
        `progress_events_${ahead.getUTCFullYear()}_${String(ahead.getUTCMonth() + 1).padStart(2, '0')}`,
      );
      const months = (ahead.getUTCFullYear() - 2024) * 12 + ahead.getUTCMonth() - 11 + 1;
      expect(partitions).toHaveLength(months);
      // Each row sits in the partition of its month.
      const misplaced = await c.query(
        `SELECT count(*)::int AS n FROM progress_events
          WHERE tableoid::regclass::text <> 'progress_events_' || to_char(received_at AT TIME ZONE 'UTC', 'YYYY_MM')`,
      );
      expect(misplaced.rows[0].n).toBe(0);
      // Still append-only.
      await expect(c.query(`DELETE FROM progress_events WHERE learner_id = $1`, [learner])).rejects.toThrow(
        /append-only/,
      );

      // And back: one plain table with every event.
      await revertTo(c, 1795410000000);
      expect((await c.query(`SELECT relkind FROM pg_class WHERE relname = 'progress_events'`)).rows).toEqual([
        { relkind: 'r' },
      ]);
      expect(await snapshot()).toEqual(before);
      await expect(c.query(`DELETE FROM progress_events WHERE learner_id = $1`, [learner])).rejects.toThrow(
        /append-only/,
      );
      expect((await cli('run')).code).toBe(0);
    } finally {
      await c.end();
    }
  });

  it('counts daily activity at every place above a fact and back, without changing a count', async () => {
    expect((await cli('run')).code).toBe(0);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await revertTo(c, 1795430000000);
      const rows = async () =>
        (
          await c.query(
            `SELECT to_char(day, 'YYYY-MM-DD') AS day, metric, locality_path AS place, count
               FROM reporting_daily_activity ORDER BY 1, 2, 3`,
          )
        ).rows;
      // Two villages of a commune, a fact counted at the commune itself, one with no place (which
      // stays apart: '' is not above any place).
      await c.query(`DELETE FROM reporting_daily_activity`);
      await c.query(
        `INSERT INTO reporting_daily_activity (day, metric, locality_path, count) VALUES
           ('2026-11-02', 'course_completed', '/p/c/v1/', 3), ('2026-11-02', 'course_completed', '/p/c/v2/', 2),
           ('2026-11-02', 'course_completed', '/p/c/', 1), ('2026-11-02', 'course_completed', '', 4),
           ('2026-11-03', 'certificate_issued', '/p/c/v1/', 1)`,
      );
      const before = await rows();

      expect((await cli('run')).code).toBe(0);
      const counts = Object.fromEntries(
        (await rows()).map((r) => [`${r.day} ${r.metric} ${r.place}`, r.count as number]),
      );
      expect(counts).toEqual({
        '2026-11-02 course_completed ': 4,
        '2026-11-02 course_completed /p/': 6,
        '2026-11-02 course_completed /p/c/': 6,
        '2026-11-02 course_completed /p/c/v1/': 3,
        '2026-11-02 course_completed /p/c/v2/': 2,
        '2026-11-03 certificate_issued /p/': 1,
        '2026-11-03 certificate_issued /p/c/': 1,
        '2026-11-03 certificate_issued /p/c/v1/': 1,
      });

      await revertTo(c, 1795430000000);
      expect(await rows()).toEqual(before);
      expect((await cli('run')).code).toBe(0);
    } finally {
      await c.end();
    }
  });

  it('refuses an unknown command with the usage, and a revert to no timestamp', async () => {
    const res = await cli('drop-everything');
    expect(res.code).toBe(2);
    expect(res.output).toMatch(/Usage/);
    const bad = await cli('revert', 'yesterday');
    expect(bad.code).not.toBe(0);
    expect(bad.output).toMatch(/timestamp of the oldest migration/);
  });
});

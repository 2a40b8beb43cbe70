import pg from 'pg';
import { api, testEnv } from './support/api.js';
import { runScript } from './support/platform-process.js';
import { addLessons, createCourse, guideLesson, publishCourse } from './factories/course.factory.js';
import { progressEvent } from './factories/learning.factory.js';
import { registerLearner, userWithRoles, type TestUser } from './factories/user.factory.js';

const EVENT_LOG = 'dist/src/modules/learning/cli/event-log.js';

/**
 * The partitioned event log keeps its promise of idempotency: an offline batch replayed months
 * after it was first received — in another month's partition, or after that month was archived to
 * object storage — is recognised as duplicates, and archiving and restoring a month loses nothing.
 */
describe('the event log across months', () => {
  let db: pg.Client;
  let learner: TestUser;
  let guideId: string;
  let stepIds: string[];
  const OLD_MONTH = '2025-03';

  beforeAll(async () => {
    db = new pg.Client({ connectionString: testEnv().DATABASE_URL });
    await db.connect();
    const trainer = await userWithRoles([{ role: 'trainer' }]);
    const reviewer = await userWithRoles([{ role: 'trainer' }]);
    const courseId = await createCourse(trainer.accessToken);
    await addLessons(trainer.accessToken, courseId, [guideLesson]);
    await publishCourse(trainer.accessToken, reviewer.accessToken, courseId);
    guideId = (await api(`/api/v1/courses/${courseId}`)).body.lessons[0].id;
    stepIds = (await api(`/api/v1/lessons/${guideId}`)).body.content.steps.map((s: { id: string }) => s.id);
    learner = await registerLearner();
    await api('/api/v1/progress/enrolments', { token: learner.accessToken, body: { courseId } });
  });

  afterAll(async () => {
    await db.end();
  });

  const sync = async (events: unknown[]) =>
    (await api('/api/v1/sync', { token: learner.accessToken, body: { events } })).body.receipts as {
      id: string;
      status: string;
    }[];
  const stored = async (ids: string[]) =>
    (
      await db.query(
        `SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM progress_events
          WHERE learner_id = $1 AND id = ANY($2::uuid[]) GROUP BY 1 ORDER BY 1`,
        [learner.id, ids],
      )
    ).rows;

  /**
   * Events as they would have been stored when first received in `month`: the API stamps the
   * receipt time itself, so the test writes these rows directly (the log is append-only, not
   * insert-only).
   */
  async function receivedIn(month: string, events: ReturnType<typeof progressEvent>[]) {
    await db.query(`SELECT progress_events_ensure_partitions($1::date, $1::date)`, [`${month}-01`]);
    for (const [i, e] of events.entries()) {
      await db.query(
        `INSERT INTO progress_events (learner_id, id, type, lesson_id, lesson_key, course_id, locale, client_at, received_at, payload)
         SELECT $1, $2, 'guide.step', l.id, l.lesson_key, v.course_id, 'vi', $3, $4, jsonb_build_object('stepId', $5::text)
           FROM lessons l JOIN course_versions v ON v.id = l.course_version_id WHERE l.id = $6`,
        [learner.id, e.id, e.at, `${month}-1${i % 10}T08:00:00Z`, stepIds[i % stepIds.length], guideId],
      );
    }
  }

  it('recognises a batch replayed months later, across a partition boundary, as duplicates', async () => {
    const old = stepIds.map((stepId) =>
      progressEvent('guide.step', guideId, { stepId }, new Date('2025-03-09T07:00:00Z')),
    );
    await receivedIn(OLD_MONTH, old);
    expect(await stored(old.map((e) => e.id))).toEqual([
      { partition: 'progress_events_2025_03', n: old.length },
    ]);

    // The phone never got its receipts and sends the batch again now, with one new event.
    const fresh = progressEvent('guide.step', guideId, { stepId: stepIds[0] });
    const receipts = await sync([...old, fresh]);
    expect(receipts.map((r) => r.status)).toEqual([...old.map(() => 'duplicate'), 'accepted']);
    expect(await stored(old.map((e) => e.id))).toEqual([
      { partition: 'progress_events_2025_03', n: old.length },
    ]);
    const now = new Date();
    const current = `progress_events_${now.getUTCFullYear()}_${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    expect(await stored([fresh.id])).toEqual([{ partition: current, n: 1 }]);
  });

  it('recognises a replay of an event whose phone clock ran ahead, received in the month before its own time', async () => {
    // The probe for duplicates reads the months from (event time − allowed clock skew) on: this
    // event's time says May, but it was received at the end of April, when the phone ran 8 minutes
    // fast (within the 10 minutes allowed).
    const ahead = progressEvent(
      'guide.step',
      guideId,
      { stepId: stepIds[0] },
      new Date('2025-05-01T00:03:00Z'),
    );
    await db.query(`SELECT progress_events_ensure_partitions('2025-04-01', '2025-05-01')`);
    await db.query(
      `INSERT INTO progress_events (learner_id, id, type, lesson_id, lesson_key, course_id, locale, client_at, received_at, payload)
       SELECT $1, $2, 'guide.step', l.id, l.lesson_key, v.course_id, 'vi', $3, '2025-04-30T23:55:00Z', jsonb_build_object('stepId', $4::text)
         FROM lessons l JOIN course_versions v ON v.id = l.course_version_id WHERE l.id = $5`,
      [learner.id, ahead.id, ahead.at, stepIds[0], guideId],
    );
    expect((await sync([ahead])).map((r) => r.status)).toEqual(['duplicate']);
    expect(await stored([ahead.id])).toEqual([{ partition: 'progress_events_2025_04', n: 1 }]);
  });

  it('archives a month to object storage, still recognises its events, and restores it whole', async () => {
    const ids = (
      await db.query(`SELECT id FROM progress_events_2025_03 WHERE learner_id = $1 ORDER BY id`, [learner.id])
    ).rows.map((r) => r.id as string);
    const before = (await db.query(`SELECT * FROM progress_events_2025_03 ORDER BY learner_id, id`)).rows;
    expect(ids.length).toBeGreaterThan(0);

    const archived = await runScript(EVENT_LOG, testEnv(), ['archive', '--before', '2025-04']);
    expect([archived.code, archived.output]).toEqual([0, expect.stringMatching(/2025-03: \d+ events/)]);
    expect((await db.query(`SELECT to_regclass('progress_events_2025_03') AS t`)).rows[0].t).toBeNull();
    const [record] = (
      await db.query(`SELECT object_key, rows::int FROM progress_event_archives WHERE month = '2025-03-01'`)
    ).rows;
    expect(record).toEqual({ object_key: 'progress-events/2025-03.copy.gz', rows: before.length });
    const list = await runScript(EVENT_LOG, testEnv(), ['list']);
    expect(list.output).toMatch(/2025-03 {2}archived {3}\d+ events/);

    // Replayed after the archive: still duplicates, nothing stored again.
    const replay = ids.map((id) => ({
      ...progressEvent('guide.step', guideId, { stepId: stepIds[0] }, new Date('2025-03-09T07:00:00Z')),
      id,
    }));
    expect((await sync(replay)).map((r) => r.status)).toEqual(ids.map(() => 'duplicate'));
    expect(await stored(ids)).toEqual([]);

    // The current month and anything not over cannot be archived; a second archive finds nothing.
    const now = new Date();
    const thisMonth = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    const early = await runScript(EVENT_LOG, testEnv(), ['restore', '2031-01']);
    expect([early.code, early.output]).toEqual([1, expect.stringMatching(/2031-01 is not archived/)]);
    expect((await runScript(EVENT_LOG, testEnv(), ['archive', '--before', '2025-04'])).output).toMatch(
      /Nothing to archive/,
    );
    expect((await runScript(EVENT_LOG, testEnv(), ['archive', '--before', 'March'])).code).toBe(1);
    expect((await runScript(EVENT_LOG, testEnv(), ['archive'])).code).toBe(2);
    expect(thisMonth > OLD_MONTH).toBe(true);

    // Back: the same rows, the ids no longer kept apart, and a replay still a duplicate.
    const restored = await runScript(EVENT_LOG, testEnv(), ['restore', OLD_MONTH]);
    expect([restored.code, restored.output]).toEqual([0, expect.stringMatching(/2025-03: \d+ events back/)]);
    expect((await db.query(`SELECT * FROM progress_events_2025_03 ORDER BY learner_id, id`)).rows).toEqual(
      before,
    );
    expect(
      (
        await db.query(`SELECT count(*)::int AS n FROM progress_events_archived WHERE id = ANY($1::uuid[])`, [
          ids,
        ])
      ).rows[0].n,
    ).toBe(0);
    expect(
      (await db.query(`SELECT count(*)::int AS n FROM progress_event_archives WHERE month = '2025-03-01'`))
        .rows[0].n,
    ).toBe(0);
    expect((await sync(replay)).map((r) => r.status)).toEqual(ids.map(() => 'duplicate'));
  });

  it('refuses to archive the current month', async () => {
    const now = new Date();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const nextMonth = `${next.getUTCFullYear()}-${String(next.getUTCMonth() + 1).padStart(2, '0')}`;
    // "Before next month" includes the current month: refused before anything moves.
    const months = (await db.query(`SELECT count(*)::int AS n FROM progress_event_archives`)).rows[0].n;
    const run = await runScript(EVENT_LOG, testEnv(), ['archive', '--before', nextMonth]);
    expect([run.code, run.output]).toEqual([1, expect.stringMatching(/is not over yet/)]);
    const current = `progress_events_${now.getUTCFullYear()}_${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    expect((await db.query(`SELECT to_regclass($1) AS t`, [current])).rows[0].t).toBe(current);
    expect((await db.query(`SELECT to_regclass('progress_events_2025_03') AS t`)).rows[0].t).toBe(
      'progress_events_2025_03',
    );
    expect((await db.query(`SELECT count(*)::int AS n FROM progress_event_archives`)).rows[0].n).toBe(months);
  });
});

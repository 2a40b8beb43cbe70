import pg from 'pg';
import { api, testEnv } from './support/api.js';
import { ApiContractError } from './support/openapi-contract.js';
import { startPlatform, type PlatformProcess } from './support/platform-process.js';
import { addLessons, createCourse, guideLesson, publishCourse } from './factories/course.factory.js';
import { progressEvent } from './factories/learning.factory.js';
import { registerLearner, userWithRoles, type TestUser } from './factories/user.factory.js';

/**
 * An acknowledged event is committed: an API process killed with SIGKILL right after sending
 * acknowledgements loses none of them, and a client retrying everything after the restart gets
 * duplicates for what was stored and no second copy of anything.
 */
describe('learning durability', () => {
  let db: pg.Client;
  let api2: PlatformProcess | undefined;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: testEnv().DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    await api2?.stop('SIGKILL');
    await db.end();
  });

  it('keeps every acknowledged event when the API is killed mid-stream', async () => {
    const trainer = await userWithRoles([{ role: 'trainer' }]);
    const reviewer = await userWithRoles([{ role: 'trainer' }]);
    const courseId = await createCourse(trainer.accessToken);
    await addLessons(trainer.accessToken, courseId, [guideLesson]);
    await publishCourse(trainer.accessToken, reviewer.accessToken, courseId);
    const guideId = (await api(`/api/v1/courses/${courseId}`)).body.lessons[0].id;
    const stepIds: string[] = (await api(`/api/v1/lessons/${guideId}`)).body.content.steps.map(
      (s: any) => s.id,
    );
    const learners: TestUser[] = await Promise.all(Array.from({ length: 8 }, () => registerLearner()));

    api2 = await startPlatform('api', testEnv());
    const acked = new Map<string, string>(); // event id → learner id
    const attempted: { learner: TestUser; events: any[] }[] = [];
    const KILL_AFTER = 300;
    let killed = false;

    const kill = () => {
      if (killed) return;
      killed = true;
      api2!.child.kill('SIGKILL'); // synchronous: no graceful shutdown, no flushing
    };
    const stream = async (learner: TestUser, n: number) => {
      for (let i = 0; !killed; i++) {
        // Alternate single online events and offline batches of 10.
        const events = Array.from({ length: i % 2 === 0 ? 1 : 10 }, (_, k) =>
          progressEvent('guide.step', guideId, { stepId: stepIds[(i + k + n) % stepIds.length] }),
        );
        attempted.push({ learner, events });
        const path = events.length === 1 ? '/api/v1/progress/events' : '/api/v1/sync';
        const body = events.length === 1 ? events[0] : { events };
        const res = await api(path, { base: api2!.url, token: learner.accessToken, body }).then(
          (r): any => (r.status === 200 ? r.body : null),
          (e: unknown) => {
            if (e instanceof ApiContractError) throw e;
            return null; // the connection died with the process
          },
        );
        if (!res) continue;
        const receipts = res.receipts ?? [res.receipt];
        for (const r of receipts) if (r.status === 'accepted') acked.set(r.id, learner.id);
        if (acked.size >= KILL_AFTER) kill();
      }
    };
    await Promise.all(learners.map((l, n) => stream(l, n)));
    expect(await api2.exited).toBeNull(); // killed by the signal, not exited
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER);

    // Every acknowledged event is in the log.
    const ids = [...acked.keys()];
    const stored = await db.query('SELECT id, learner_id FROM progress_events WHERE id = ANY($1::uuid[])', [
      ids,
    ]);
    expect(stored.rows.length).toBe(ids.length);
    for (const row of stored.rows) expect(row.learner_id).toBe(acked.get(row.id));

    // After a restart, the client resends everything it sent: stored events come back as
    // duplicates, the rest is accepted now, and each event exists exactly once.
    api2 = await startPlatform('api', testEnv());
    for (const { learner, events } of attempted) {
      const receipt = (
        await api('/api/v1/sync', { base: api2.url, token: learner.accessToken, body: { events } })
      ).body;
      expect(receipt.rejected).toBe(0);
      for (const r of receipt.receipts) if (acked.has(r.id)) expect(r.status).toBe('duplicate');
    }
    const all = attempted.flatMap((a) => a.events.map((e) => e.id));
    const total = await db.query(
      'SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM progress_events WHERE id = ANY($1::uuid[])',
      [all],
    );
    expect(total.rows[0]).toEqual({ n: all.length, d: all.length });
    // The summaries agree with the log.
    for (const learner of learners) {
      const summary = await db.query(
        `SELECT events, jsonb_array_length(state->'stepsDone') AS steps FROM lesson_progress WHERE learner_id = $1`,
        [learner.id],
      );
      const count = await db.query('SELECT count(*)::int AS n FROM progress_events WHERE learner_id = $1', [
        learner.id,
      ]);
      expect(summary.rows[0]).toEqual({ events: count.rows[0].n, steps: stepIds.length });
    }
  }, 120_000);
});

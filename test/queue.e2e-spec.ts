import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../src/infrastructure/config/app-config.js';
import { DEFAULT_JOB_OPTIONS, JobName, QueueName } from '../src/infrastructure/queue/queue.constants.js';
import { QueueService } from '../src/infrastructure/queue/queue.service.js';
import { adminAccessToken, registerLearner } from './factories/user.factory.js';
import { api, expectError, testEnv } from './support/api.js';

async function waitForState(queues: QueueService, id: string, state: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queues.queue(QueueName.maintenance).getJob(id);
    if (job && (await job.getState()) === state) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not reach ${state}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The queues on the run's real backend (Redis on CI, PostgreSQL otherwise), processed by the worker process. */
describe('queues', () => {
  const config = loadConfig(testEnv());
  const queues = new QueueService(config);
  const db = new pg.Client({ connectionString: config.databaseUrl });

  beforeAll(() => db.connect());
  afterAll(async () => {
    await queues.onApplicationShutdown();
    await db.end();
  });

  it(`uses the ${process.env.REDIS_URL ? 'Redis' : 'PostgreSQL'} backend`, () => {
    expect(queues.backend.kind).toBe(process.env.REDIS_URL ? 'redis' : 'postgres');
  });

  it('adds a job with a deterministic id once, with the default attempts, backoff and retention', async () => {
    const jobId = `purge-${randomUUID()}`;
    const first = await queues.enqueue(
      JobName.purgeExpiredAuthRecords,
      {},
      { jobId, requestId: 'req-test-1', delayMs: 60_000 },
    );
    const second = await queues.enqueue(JobName.purgeExpiredAuthRecords, {}, { jobId, delayMs: 60_000 });
    expect(first).toBe(jobId);
    expect(second).toBe(jobId);
    const delayed = await queues.queue(QueueName.maintenance).getJobs(['delayed']);
    expect(delayed.filter((j) => j.id === jobId)).toHaveLength(1);
    const job = delayed.find((j) => j.id === jobId)!;
    expect(job.opts.attempts).toBe(DEFAULT_JOB_OPTIONS.attempts);
    expect(job.opts.backoff).toEqual(DEFAULT_JOB_OPTIONS.backoff);
    expect(job.opts.removeOnComplete).toEqual(DEFAULT_JOB_OPTIONS.removeOnComplete);
    expect(job.data).toEqual({ payload: {}, requestId: 'req-test-1' });
    await job.remove();
  });

  it('is processed by the worker process, which really purges ended sessions and stale counters', async () => {
    const user = await registerLearner();
    const oldSession = randomUUID();
    await db.query(
      `INSERT INTO auth_sessions (id, user_id, kind, token_hash, expires_at, last_used_at)
       VALUES ($1, $2, 'api', repeat('0', 64), now() - interval '30 days', now() - interval '31 days')`,
      [oldSession, user.id],
    );
    await db.query(
      `INSERT INTO rate_limit_counters (key, window_start, hits, expires_at) VALUES ($1, now() - interval '2 hours', 3, now() - interval '1 hour')`,
      [`login-failures:test-${oldSession}`],
    );
    const jobId = `purge-${randomUUID()}`;
    await queues.enqueue(JobName.purgeExpiredAuthRecords, {}, { jobId });
    const job = await waitForState(queues, jobId, 'completed');
    expect(job.returnvalue.sessions).toBeGreaterThanOrEqual(1);
    expect(job.returnvalue.counters).toBeGreaterThanOrEqual(1);
    expect((await db.query('SELECT 1 FROM auth_sessions WHERE id = $1', [oldSession])).rowCount).toBe(0);
    // The user's live session is untouched.
    expect((await api('/api/v1/me', { token: user.accessToken })).status).toBe(200);
  });
});

describe('queue dashboard', () => {
  it('is for admins only, pages and JSON API alike', async () => {
    const learner = await registerLearner();
    const admin = await adminAccessToken();
    for (const path of ['/admin/queues', '/admin/queues/api/queues', '/admin/queues/static/x.js']) {
      expectError(await api(path), 401, 'UNAUTHENTICATED');
      expectError(await api(path, { token: learner.accessToken }), 403, 'FORBIDDEN');
    }
    const browser = await api('/admin/queues', { headers: { accept: 'text/html' } });
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toContain('/login');

    const page = await api('/admin/queues', { token: admin });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const data = await api('/admin/queues/api/queues', { token: admin });
    expect(data.status).toBe(200);
    expect(JSON.stringify(data.body)).toContain('maintenance');
  });
});

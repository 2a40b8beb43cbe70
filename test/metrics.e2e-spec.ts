import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quizCourse } from './factories/certification.factory.js';
import { progressEvent } from './factories/learning.factory.js';
import { registerLearner, userWithRoles } from './factories/user.factory.js';
import { api, testEnv } from './support/api.js';
import { ROOT, startPlatform, type PlatformProcess } from './support/platform-process.js';
import { freePort } from './support/ports.js';

/**
 * Prometheus metrics: each process serves its own on an internal port, behind a bearer token;
 * the API's requests, events and pool, the queues' depth and age, the worker's job durations,
 * the backing services' readiness and Node's process metrics are all there.
 */
describe('metrics', () => {
  const token = randomBytes(24).toString('hex');
  let apiProcess: PlatformProcess;
  let worker: PlatformProcess;
  let apiMetricsUrl: string;
  let workerMetricsUrl: string;

  beforeAll(async () => {
    // Queues of their own, so this worker runs this API's jobs.
    const env = {
      ...testEnv(),
      QUEUE_PREFIX: `metrics${randomBytes(3).toString('hex')}`,
      METRICS_TOKEN: token,
    };
    const [apiPort, workerPort] = [await freePort(), await freePort()];
    apiMetricsUrl = `http://127.0.0.1:${apiPort}/metrics`;
    workerMetricsUrl = `http://127.0.0.1:${workerPort}/metrics`;
    [apiProcess, worker] = await Promise.all([
      startPlatform('api', { ...env, METRICS_PORT: String(apiPort) }),
      startPlatform('worker', { ...env, METRICS_PORT: String(workerPort) }),
    ]);
  }, 90_000);
  afterAll(async () => {
    await apiProcess?.stop();
    await worker?.stop();
  });

  const scrape = async (url: string) => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };
  /** The value of one series (labels in any order), or undefined. */
  const sample = (text: string, name: string, labels: Record<string, string> = {}) => {
    for (const line of text.split('\n')) {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m || m[1] !== name) continue;
      const found = Object.fromEntries(
        [...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]),
      );
      if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[3]);
    }
    return undefined;
  };

  it('answers only on its internal port, only with the token', async () => {
    expect((await fetch(apiMetricsUrl)).status).toBe(401);
    expect((await fetch(apiMetricsUrl, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
    expect(
      (await fetch(apiMetricsUrl.replace('/metrics', '/'), { headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(404);
    // The public port has no /metrics.
    expect((await fetch(`${apiProcess.url}/metrics`)).status).toBe(404);
  });

  it('counts requests by route template and status, events by source, sync batch sizes and the pool', async () => {
    const base = { base: apiProcess.url };
    const course = await quizCourse(
      await userWithRoles([{ role: 'trainer' }]),
      await userWithRoles([{ role: 'trainer' }]),
    );
    const learner = await registerLearner();
    await api('/api/v1/progress/enrolments', {
      ...base,
      token: learner.accessToken,
      body: { courseId: course.courseId },
    });
    const events = course.stepIds.map((stepId) => progressEvent('guide.step', course.guideId, { stepId }));
    const synced = await api('/api/v1/sync', {
      ...base,
      token: learner.accessToken,
      body: { events: [...events, events[0]] },
    });
    expect(synced.status).toBe(200);
    for (let i = 0; i < 3; i++)
      expect((await api(`/api/v1/courses/${course.courseId}`, base)).status).toBe(200);
    expect((await api('/api/v1/courses/00000000-0000-4000-8000-000000000000', base)).status).toBe(404);
    expect((await api('/no/such/page', base)).status).toBe(404);

    const text = await scrape(apiMetricsUrl);
    const requests = (route: string, status: string) =>
      sample(text, 'banso_http_request_duration_seconds_count', {
        route,
        method: 'GET',
        status,
        role: 'api',
      });
    expect(requests('/api/v1/courses/:idOrSlug', '200')).toBe(3);
    expect(requests('/api/v1/courses/:idOrSlug', '404')).toBe(1);
    // This and the public port's /metrics in the first test.
    expect(requests('unmatched', '404')).toBe(2);
    expect(
      sample(text, 'banso_http_request_duration_seconds_bucket', {
        route: '/api/v1/courses/:idOrSlug',
        status: '200',
        le: '+Inf',
      }),
    ).toBe(3);
    expect(sample(text, 'banso_progress_events_total', { source: 'sync', status: 'accepted' })).toBe(
      events.length,
    );
    expect(sample(text, 'banso_progress_events_total', { source: 'sync', status: 'duplicate' })).toBe(1);
    expect(sample(text, 'banso_sync_batch_events_count')).toBe(1);
    expect(sample(text, 'banso_sync_batch_events_sum')).toBe(events.length + 1);
    expect(sample(text, 'banso_db_pool_connections', { state: 'in_use' })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'banso_db_pool_connections', { state: 'idle' })).toBeGreaterThan(0);
    expect(sample(text, 'banso_db_pool_max')).toBe(10);
    for (const dependency of ['database', 'queue', 'storage'])
      expect(sample(text, 'banso_dependency_up', { dependency })).toBe(1);
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
  });

  it('shows queue depth and age from every process, and job durations from the worker', async () => {
    const api = await scrape(apiMetricsUrl);
    for (const queue of ['media', 'certificates', 'maintenance']) {
      expect(sample(api, 'banso_queue_jobs', { queue, state: 'waiting' })).toBeGreaterThanOrEqual(0);
      expect(sample(api, 'banso_queue_jobs', { queue, state: 'failed' })).toBe(0);
      expect(sample(api, 'banso_queue_oldest_waiting_seconds', { queue })).toBeGreaterThanOrEqual(0);
    }
    // The reporting job repeats every 15 s: its first runs show up in the worker's histogram.
    const deadline = Date.now() + 40_000;
    let runs: number | undefined;
    while (Date.now() < deadline) {
      runs = sample(await scrape(workerMetricsUrl), 'banso_job_duration_seconds_count', {
        job: 'reporting.apply-events',
        outcome: 'completed',
        role: 'worker',
      });
      if (runs) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(runs).toBeGreaterThan(0);
  }, 60_000);

  it('exports every metric the Grafana dashboard and the alert rules use', async () => {
    const exported = new Set(
      [await scrape(apiMetricsUrl), await scrape(workerMetricsUrl)].flatMap((text) =>
        [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]),
      ),
    );
    for (const file of ['grafana-dashboard.json', 'alerts.yml']) {
      const used = new Set(
        [
          ...readFileSync(join(ROOT, 'docs', 'deploy', file), 'utf8').matchAll(
            /\b(?:banso|nodejs|process)_[a-z0-9_]+/g,
          ),
        ].map((m) => m[0].replace(/_(bucket|count|sum)$/, '')),
      );
      expect(used.size).toBeGreaterThan(5);
      expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    }
  });
});

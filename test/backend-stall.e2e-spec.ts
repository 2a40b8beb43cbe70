import { randomUUID } from 'node:crypto';
import { addLessons, createCourse, videoLesson } from './factories/course.factory.js';
import { registerLearner, userWithRoles } from './factories/user.factory.js';
import { api, expectError, testEnv, type ApiResponse } from './support/api.js';
import { startPlatform, type PlatformProcess } from './support/platform-process.js';
import { startStallProxy, type StallProxy } from './support/stall-proxy.js';

/**
 * Object storage and Redis stall (a frozen server: connections stay open, nothing answers). The
 * API must answer 503 with Retry-After within 5 s, and serve again within 2 s of the backend
 * returning, without a restart. PostgreSQL is paused for real in fault.e2e-spec.ts.
 */
const VTT = 'WEBVTT\n\n00:00.000 --> 00:02.000\nBấm vào ô Thanh toán.\n';

async function timed(request: () => Promise<ApiResponse>) {
  const started = Date.now();
  const res = await request();
  return { res, ms: Date.now() - started };
}

/** Polls until the request succeeds; returns how long that took. */
async function recoveryMs(request: () => Promise<ApiResponse>, ok: (r: ApiResponse) => boolean) {
  const started = Date.now();
  for (;;) {
    if (ok(await request())) return Date.now() - started;
    if (Date.now() - started > 20_000) throw new Error('did not recover within 20 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const expectUnavailable = (res: ApiResponse) => {
  expectError(res, 503, 'SERVICE_UNAVAILABLE');
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
};

describe('stalled backends answer 503 with Retry-After, and recover without a restart', () => {
  let s3: StallProxy;
  let redis: StallProxy | undefined;
  let platform: PlatformProcess;

  beforeAll(async () => {
    const env = testEnv();
    const s3Url = new URL(env.S3_ENDPOINT);
    s3 = await startStallProxy({ host: s3Url.hostname, port: Number(s3Url.port) });
    if (env.REDIS_URL) {
      const r = new URL(env.REDIS_URL);
      redis = await startStallProxy({ host: r.hostname, port: Number(r.port || 6379) });
    }
    platform = await startPlatform('api', {
      ...env,
      S3_ENDPOINT: s3.url('http'),
      S3_PUBLIC_URL: s3.url('http'),
      ...(redis && { REDIS_URL: redis.url('redis'), QUEUE_PREFIX: `stall${randomUUID().slice(0, 8)}` }),
    });
  });
  afterAll(async () => {
    s3?.resume();
    redis?.resume();
    await platform?.stop();
    await s3?.close();
    await redis?.close();
  });

  it('object storage: a subtitle upload answers 503 within 5 s while storage is frozen', async () => {
    const base = platform.url;
    const trainer = await userWithRoles([{ role: 'trainer' }]);
    const courseId = await createCourse(trainer.accessToken);
    await addLessons(trainer.accessToken, courseId, [videoLesson]);
    const v1 = await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: trainer.accessToken });
    const lessonKey = v1.body.lessons[0].lessonKey;
    const put = () =>
      api(`/api/v1/authoring/courses/${courseId}/draft/lessons/${lessonKey}/subtitles/vi`, {
        base,
        method: 'PUT',
        token: trainer.accessToken,
        body: VTT,
        headers: { 'content-type': 'text/vtt' },
      });
    expect((await put()).status).toBe(200);

    s3.pause();
    try {
      const { res, ms } = await timed(put);
      expectUnavailable(res);
      expect(ms).toBeLessThan(5_500);
      // Readiness says which backend is down, and the process stays alive meanwhile.
      const ready = await api('/health/ready', { base });
      expect(ready.status).toBe(503);
      expect(ready.body.storage.status).toBe('down');
      expect((await api('/health/live', { base })).status).toBe(200);
    } finally {
      s3.resume();
    }
    const ms = await recoveryMs(put, (r) => r.status === 200);
    console.log(`storage: serves again ${ms} ms after it returned`);
    expect(ms).toBeLessThan(2_000);
  });

  it('the queue backend (Redis): confirming an upload answers 503, and a retry after it returns queues the video', async () => {
    if (!redis) {
      console.log('REDIS_URL unset: queues run on PostgreSQL here, paused in fault.e2e-spec.ts');
      return;
    }
    const base = platform.url;
    const trainer = await userWithRoles([{ role: 'trainer' }]);
    const bytes = Buffer.alloc(2048, 1);
    const intent = await api('/api/v1/media/uploads', {
      base,
      token: trainer.accessToken,
      body: { fileName: 'bai-hoc.mp4', contentType: 'video/mp4', bytes: bytes.length },
    });
    expect(intent.status).toBe(201);
    const stored = await fetch(intent.body.upload.url, {
      method: 'PUT',
      headers: intent.body.upload.headers,
      body: new Uint8Array(bytes),
    });
    expect(stored.ok).toBe(true);
    const mediaId = intent.body.media.mediaId as string;
    const confirm = () =>
      api(`/api/v1/media/${mediaId}/confirm`, { base, token: trainer.accessToken, body: {} });

    redis.pause();
    try {
      const { res, ms } = await timed(confirm);
      expectUnavailable(res);
      expect(ms).toBeLessThan(5_500);
      // Pages that need no queue still work: the learner's catalog.
      const learner = await registerLearner();
      expect((await api('/api/v1/courses', { base, token: learner.accessToken })).status).toBe(200);
    } finally {
      redis.resume();
    }
    const ms = await recoveryMs(confirm, (r) => r.status >= 200 && r.status < 300);
    console.log(`queue: serves again ${ms} ms after it returned`);
    expect(ms).toBeLessThan(2_000);
    // The video is queued (its status moved on from "waiting for the upload").
    const media = await api(`/api/v1/media/${mediaId}`, { base, token: trainer.accessToken });
    expect(['uploaded', 'processing', 'ready', 'failed']).toContain(media.body.status);
  });
});

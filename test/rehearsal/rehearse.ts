import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { loadConfig } from '../../src/infrastructure/config/app-config.js';
import { selectQueueBackend } from '../../src/infrastructure/queue/queue-backend.js';
import { QueueName } from '../../src/infrastructure/queue/queue.constants.js';
import {
  coordinatorOf,
  quizCourse,
  testArea,
  testProgramme,
  type QuizCourse,
} from '../factories/certification.factory.js';
import { courseInput, videoLesson } from '../factories/course.factory.js';
import { progressEvent } from '../factories/learning.factory.js';
import { GOOD_PASSWORD, uniquePhone, userWithRoles, type TestUser } from '../factories/user.factory.js';
import { sampleVideo } from '../support/media.js';
import { runScript, startPlatform, type PlatformProcess } from '../support/platform-process.js';
import { freePort } from '../support/ports.js';
import { startTestServices } from '../support/test-services.js';

/**
 * `npm run rehearse`: the production layout on one machine, under load, while processes die.
 *
 * Separate OS processes with NODE_ENV=production and the production configuration (no embedded
 * pieces): migrations once, then 2 API and 2 worker processes on the machine's PostgreSQL and Redis
 * (DATABASE_URL / REDIS_URL; embedded ones only when those are unset) and an S3 server — s3rver
 * stands in for MinIO, which is not installable here; the API checks storage links' signatures
 * itself, so links go through the API as they do in the compose layout. A small round-robin
 * balancer stands in for the proxy: like Caddy, it tries the other API when one refuses the
 * connection, and answers 503 when an API dies in the middle of a request.
 *
 * For about a minute learners register, enrol, send heartbeats, offline batches (each twice: a
 * phone that never got its receipt) and quiz answers; candidates log households and apply, and
 * coordinators approve them; a trainer uploads and publishes videos. Mid-way one API and one
 * worker are SIGKILLed and restarted. Then it waits for the queues to drain and checks: every
 * acknowledged event stored exactly once, every approved application with exactly one certificate
 * whose PDF matches its hash in storage, every uploaded video ready, no failed job, no 5xx but
 * 503s. It prints the report and exits 1 if any check fails.
 */
const LOAD_SECONDS = Number(process.env.REHEARSAL_SECONDS ?? 60);
const LEARNERS = 6;
const CANDIDATE_LOOPS = 2;
const log = (m: string) => console.log(`[rehearsal] ${m}`);

interface Stats {
  requests: number;
  byStatus: Map<number, number>;
  /** 503s the balancer made: an API died in the middle of the request. */
  balancer503: number;
  networkErrors: number;
}
const stats: Stats = { requests: 0, byStatus: new Map(), balancer503: 0, networkErrors: 0 };

/** Round-robin over the live APIs; the other one when a connection is refused. */
function startBalancer(port: number, backends: () => string[]) {
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const targets = backends();
      const start = next++ % targets.length;
      const attempt = (i: number) => {
        const target = new URL(targets[(start + i) % targets.length]);
        const upstream = http.request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, 'x-forwarded-for': '127.0.0.1' },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', (e: NodeJS.ErrnoException) => {
          if (e.code === 'ECONNREFUSED' && i + 1 < targets.length) return attempt(i + 1);
          if (res.headersSent) return res.destroy();
          stats.balancer503++;
          res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
          res.end(JSON.stringify({ statusCode: 503, code: 'UPSTREAM_LOST', message: e.message }));
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
  return new Promise<{ url: string; close(): Promise<void> }>((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

/** A client as a phone's app behaves: a 503 or a lost connection is retried after a pause. */
async function call(
  base: string,
  method: string,
  path: string,
  options: {
    token?: string;
    body?: unknown;
    raw?: Uint8Array<ArrayBuffer>;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: any }> {
  const url = path.startsWith('http') ? path : `${base}${path}`;
  for (let attempt = 1; ; attempt++) {
    stats.requests++;
    try {
      const res = await fetch(url, {
        method,
        headers: {
          ...(options.body !== undefined && { 'content-type': 'application/json' }),
          ...(options.token && { authorization: `Bearer ${options.token}` }),
          ...options.headers,
        },
        body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      });
      stats.byStatus.set(res.status, (stats.byStatus.get(res.status) ?? 0) + 1);
      const text = await res.text();
      if (res.status === 503 && attempt < 30) {
        await pause(300 * Math.min(attempt, 5));
        continue;
      }
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON (a file).
      }
      return { status: res.status, body };
    } catch (e) {
      stats.networkErrors++;
      if (attempt >= 30) throw e;
      await pause(300 * Math.min(attempt, 5));
    }
  }
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
function must<T extends { status: number; body: any }>(res: T, status: number, what: string): T {
  if (res.status !== status)
    throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res;
}

async function main(): Promise<number> {
  const started = Date.now();
  const services = await startTestServices();
  const processes: PlatformProcess[] = [];
  let balancer: Awaited<ReturnType<typeof startBalancer>> | undefined;
  try {
    const lbPort = await freePort();
    const env: Record<string, string> = {
      ...services.env,
      NODE_ENV: 'production',
      // Production's own log level: every request and job is logged, as it would be.
      LOG_LEVEL: 'info',
      PUBLIC_BASE_URL: `http://127.0.0.1:${lbPort}`,
      JWT_ACCESS_SECRET: randomBytes(32).toString('base64url'),
      COOKIE_SECRET: randomBytes(32).toString('base64url'),
      ISSUER_KEY_SECRET: randomBytes(32).toString('base64url'),
      S3_SECRET_KEY: services.env.S3_SECRET_KEY.padEnd(8, '-'),
      // The rehearsal's learners all register from one address.
      REGISTER_MAX_PER_IP: '100000',
      TRUST_PROXY: 'true',
    };
    // Links go through the API, as in the compose layout (storage-gateway.ts).
    delete env.S3_PUBLIC_URL;

    // Migrations once (the compose `migrate` service), then the reference data (`seed`).
    const migrate = await runScript('dist/src/infrastructure/database/typeorm-cli.js', env, ['run']);
    if (migrate.code !== 0) throw new Error(`migrations failed:\n${migrate.output}`);
    const seed = await runScript('dist/seeds/run-seeds.js', env, ['--without-videos']);
    if (seed.code !== 0) throw new Error(`seeding failed:\n${seed.output.slice(-3000)}`);

    const apiPorts = [await freePort(), await freePort()];
    const apis: (PlatformProcess | undefined)[] = await Promise.all(
      apiPorts.map((port) => startPlatform('api', { ...env, PORT: String(port) })),
    );
    const workers: (PlatformProcess | undefined)[] = await Promise.all([
      startPlatform('worker', env),
      startPlatform('worker', env),
    ]);
    processes.push(...(apis as PlatformProcess[]), ...(workers as PlatformProcess[]));
    const live = () => apiPorts.map((port) => `http://127.0.0.1:${port}`);
    // The balancer's address is the public one (PUBLIC_BASE_URL): storage links come back here.
    balancer = await startBalancer(lbPort, live);
    const base = balancer.url;
    log(
      `2 api + 2 worker processes (production) behind ${base}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    // Setup through the front door, before any kill: an area, a course, a programme, staff.
    process.env.BANSO_TEST_API_URL = base;
    process.env.BANSO_TEST_ENV = JSON.stringify(env);
    const area = await testArea(2, 2);
    const trainer = await userWithRoles([{ role: 'trainer' }]);
    const reviewer = await userWithRoles([{ role: 'trainer' }]);
    const course = await quizCourse(trainer, reviewer);
    const programmeId = await testProgramme(area, [course.courseId]);
    const coordinator = await coordinatorOf(area.provinceId);
    const groups = (await call(base, 'GET', '/api/v1/learner-groups')).body as { id: string; code: string }[];
    const video = await sampleVideo({ seconds: 8, width: 320, height: 180 });

    const acknowledged = new Set<string>();
    const approved: string[] = [];
    const uploaded: string[] = [];
    const published: string[] = [];
    let videoCourse: { courseId: string; lessonId: string } | undefined;
    const deadline = Date.now() + LOAD_SECONDS * 1000;
    const errors: string[] = [];
    const guard = (what: string, work: () => Promise<void>) =>
      work().catch((e: Error) => void errors.push(`${what}: ${e.message}`));

    const register = async (villageId?: string): Promise<TestUser & { id: string }> => {
      const phone = uniquePhone();
      let res = await call(base, 'POST', '/api/v1/auth/register', {
        body: {
          phone,
          password: GOOD_PASSWORD,
          displayName: 'Thào Thị Mai',
          ...(villageId && { villageId }),
        },
      });
      // Registered before the API died, answer lost: sign in instead.
      if (res.status === 409)
        res = must(
          await call(base, 'POST', '/api/v1/auth/login', {
            body: { identifier: phone, password: GOOD_PASSWORD },
          }),
          200,
          'login',
        );
      else must(res, 201, 'register');
      const { user, accessToken, refreshToken } = res.body;
      return { id: user.id, phone, password: GOOD_PASSWORD, accessToken, refreshToken };
    };
    const enrol = async (user: { accessToken: string }, courseId: string) => {
      const res = await call(base, 'POST', '/api/v1/progress/enrolments', {
        token: user.accessToken,
        body: { courseId },
      });
      // 200: enrolled before the API died, answer lost; the existing enrolment comes back.
      return res.status === 200 ? res : must(res, 201, 'enrol');
    };
    const sync = async (user: { id: string; accessToken: string }, events: unknown[]) => {
      const res = must(
        await call(base, 'POST', '/api/v1/sync', { token: user.accessToken, body: { events } }),
        200,
        'sync',
      );
      for (const r of res.body.receipts as { id: string; status: string }[])
        if (r.status === 'accepted' || r.status === 'duplicate') acknowledged.add(`${user.id}:${r.id}`);
      return res.body;
    };
    const completeQuizCourse = async (user: { id: string; accessToken: string }, c: QuizCourse) => {
      await enrol(user, c.courseId);
      const steps = c.stepIds.map((stepId) => progressEvent('guide.step', c.guideId, { stepId }));
      await sync(user, steps);
      // The phone never got its receipt: the same batch again, and the quiz answers.
      await sync(user, [...steps, progressEvent('quiz.attempt', c.quizId, { answers: c.rightAnswers })]);
    };

    const learnerLoop = async () => {
      while (Date.now() < deadline) {
        const learner = await register();
        await completeQuizCourse(learner, course);
        if (videoCourse) {
          await enrol(learner, videoCourse.courseId);
          for (let second = 0; second < 8; second += 4) {
            const heartbeat = progressEvent('video.heartbeat', videoCourse.lessonId, {
              intervals: [[second, second + 4]],
              position: second + 4,
              locale: 'vi',
            }) as { id: string };
            must(
              await call(base, 'POST', '/api/v1/progress/events', {
                token: learner.accessToken,
                body: heartbeat,
              }),
              200,
              'heartbeat',
            );
            acknowledged.add(`${learner.id}:${heartbeat.id}`);
          }
        }
      }
    };
    const candidateLoop = async (n: number) => {
      let i = 0;
      while (Date.now() < deadline) {
        const village = area.communes[(n + i++) % area.communes.length].villageIds[0];
        const candidate = await register(village);
        await completeQuizCourse(candidate, course);
        for (const household of ['Hộ ông Sùng A Páo', 'Hộ bà Vàng Thị Dế'])
          must(
            await call(base, 'POST', '/api/v1/certification/mentoring-records', {
              token: candidate.accessToken,
              body: { helpedOn: '2026-11-20', household, task: 'vneid-level-2' },
            }),
            201,
            'mentoring record',
          );
        let applied = await call(base, 'POST', '/api/v1/certification/applications', {
          token: candidate.accessToken,
          body: { programmeId },
        });
        // Applied before the API died, answer lost: the open application is the one to approve.
        if (applied.body?.code === 'CERT_ALREADY_APPLIED') {
          const mine = must(
            await call(base, 'GET', '/api/v1/certification/applications/mine', {
              token: candidate.accessToken,
            }),
            200,
            'my applications',
          );
          const open = (mine.body as { id: string; programmeId: string; status: string }[]).find(
            (a) => a.programmeId === programmeId && a.status === 'submitted',
          );
          if (open) applied = { status: 201, body: open };
        }
        if (applied.status !== 201)
          throw new Error(`apply: ${applied.status} ${JSON.stringify(applied.body)}`);
        const decided = await call(
          base,
          'POST',
          `/api/v1/certification/applications/${applied.body.id}/approve`,
          {
            token: coordinator.accessToken,
            body: { reason: 'Đã xác minh hai hộ tại thôn.' },
          },
        );
        // Approved before the API died, answer lost: already decided is fine.
        if (decided.status !== 200 && decided.body?.code !== 'CERT_APPLICATION_ALREADY_DECIDED')
          throw new Error(`approve: ${decided.status} ${JSON.stringify(decided.body)}`);
        approved.push(applied.body.id);
      }
    };
    const trainerLoop = async () => {
      while (Date.now() < deadline) {
        const intent = must(
          await call(base, 'POST', '/api/v1/media/uploads', {
            token: trainer.accessToken,
            body: { fileName: 'tra-tien-dien.mp4', contentType: 'video/mp4', bytes: video.length },
          }),
          201,
          'upload intent',
        );
        must(
          await call(base, 'PUT', intent.body.upload.url, {
            raw: new Uint8Array(video),
            headers: intent.body.upload.headers,
          }),
          200,
          'upload',
        );
        const mediaId = intent.body.media.mediaId as string;
        must(
          await call(base, 'POST', `/api/v1/media/${mediaId}/confirm`, {
            token: trainer.accessToken,
            body: {},
          }),
          202,
          'confirm',
        );
        uploaded.push(mediaId);
        for (;;) {
          const media = await call(base, 'GET', `/api/v1/media/${mediaId}`, { token: trainer.accessToken });
          if (media.body?.status === 'ready') break;
          if (media.body?.status === 'failed')
            throw new Error(`video failed: ${JSON.stringify(media.body.failure)}`);
          await pause(500);
        }
        const created = must(
          await call(base, 'POST', '/api/v1/authoring/courses', {
            token: trainer.accessToken,
            body: courseInput(groups),
          }),
          201,
          'course',
        );
        const courseId = created.body.courseId as string;
        must(
          await call(base, 'POST', `/api/v1/authoring/courses/${courseId}/draft/lessons`, {
            token: trainer.accessToken,
            body: videoLesson,
          }),
          201,
          'lesson',
        );
        const version = must(
          await call(base, 'GET', `/api/v1/authoring/courses/${courseId}/versions/1`, {
            token: trainer.accessToken,
          }),
          200,
          'version',
        );
        const lesson = version.body.lessons[0];
        must(
          await call(
            base,
            'PUT',
            `/api/v1/authoring/courses/${courseId}/draft/lessons/${lesson.lessonKey}/media/vi`,
            {
              token: trainer.accessToken,
              body: { mediaId },
            },
          ),
          200,
          'attach',
        );
        const submitted = await call(base, 'POST', `/api/v1/authoring/courses/${courseId}/draft/submit`, {
          token: trainer.accessToken,
          body: {},
        });
        // Submitted before the API died, answer lost: the version is already waiting for review.
        if (submitted.body?.code !== 'AUTHORING_VERSION_LOCKED') must(submitted, 200, 'submit');
        const publish = await call(base, 'POST', `/api/v1/authoring/courses/${courseId}/review/publish`, {
          token: reviewer.accessToken,
          body: {},
        });
        if (publish.status !== 200 && publish.body?.code !== 'AUTHORING_NOT_IN_REVIEW')
          throw new Error(`publish: ${publish.status} ${JSON.stringify(publish.body)}`);
        published.push(courseId);
        videoCourse ??= { courseId, lessonId: lesson.id };
      }
    };

    const kills: string[] = [];
    const chaos = async () => {
      await pause(LOAD_SECONDS * 330);
      apis[0]!.child.kill('SIGKILL');
      await apis[0]!.exited;
      kills.push(`api 1 SIGKILLed at ${((Date.now() - started) / 1000).toFixed(0)} s`);
      await pause(2000);
      apis[0] = await startPlatform('api', { ...env, PORT: String(apiPorts[0]) });
      processes.push(apis[0]);
      await pause(LOAD_SECONDS * 170);
      workers[0]!.child.kill('SIGKILL');
      await workers[0]!.exited;
      kills.push(`worker 1 SIGKILLed at ${((Date.now() - started) / 1000).toFixed(0)} s`);
      await pause(2000);
      workers[0] = await startPlatform('worker', env);
      processes.push(workers[0]);
    };

    log(`load for ${LOAD_SECONDS} s: ${LEARNERS} learners, ${CANDIDATE_LOOPS} candidates, 1 trainer at once`);
    await Promise.all([
      ...Array.from({ length: LEARNERS }, (_, i) => guard(`learner ${i}`, learnerLoop)),
      ...Array.from({ length: CANDIDATE_LOOPS }, (_, i) => guard(`candidate ${i}`, () => candidateLoop(i))),
      guard('trainer', trainerLoop),
      guard('chaos', chaos),
    ]);
    const loadEnded = Date.now();

    // Drain: the queues empty, every approved application issued.
    const config = loadConfig(env);
    const backend = selectQueueBackend(config);
    const queues = Object.values(QueueName).map(
      (name) => new backend.Queue(name, { connection: backend.connection as never, prefix: backend.prefix }),
    );
    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    let counts: Record<string, number>[] = [];
    for (const until = Date.now() + 180_000; Date.now() < until; await pause(1000)) {
      counts = await Promise.all(
        queues.map((q) => q.getJobCounts('waiting', 'prioritized', 'active', 'failed')),
      );
      const pending = counts.reduce((n, c) => n + c.waiting + c.prioritized + c.active, 0);
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM certification_applications a
           LEFT JOIN certificates c ON c.application_id = a.id AND c.ready_at IS NOT NULL
          WHERE a.id = ANY($1) AND c.id IS NULL`,
        [approved],
      );
      if (pending === 0 && rows[0].n === 0) break;
    }
    const drainSeconds = (Date.now() - loadEnded) / 1000;

    // The checks.
    const checks: [string, boolean, string][] = [];
    const pairs = [...acknowledged].map((k) => k.split(':'));
    const { rows: stored } = await db.query(
      `SELECT e.learner_id, e.id, count(*)::int AS n FROM progress_events e
         JOIN unnest($1::uuid[], $2::uuid[]) AS a(learner_id, id) USING (learner_id, id)
        GROUP BY e.learner_id, e.id`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    checks.push([
      'every acknowledged event stored exactly once',
      pairs.length > 0 && stored.length === pairs.length && stored.every((r) => r.n === 1),
      `${pairs.length} acknowledged, ${stored.length} stored`,
    ]);
    const { rows: certs } = await db.query(
      `SELECT a.id AS application_id, count(c.id)::int AS n, min(c.pdf_key) AS pdf_key, min(c.pdf_sha256) AS pdf_sha256
         FROM certification_applications a LEFT JOIN certificates c ON c.application_id = a.id
        WHERE a.id = ANY($1) GROUP BY a.id`,
      [approved],
    );
    let matching = 0;
    for (const c of certs) {
      if (c.n !== 1 || !c.pdf_key) continue;
      const pdf = Buffer.from(
        await (
          await fetch(`${env.S3_ENDPOINT}/${env.S3_BUCKET_PREFIX}-certificates/${c.pdf_key}`)
        ).arrayBuffer(),
      );
      if (createHash('sha256').update(pdf).digest('hex') === c.pdf_sha256) matching++;
    }
    checks.push([
      'every approved application has exactly one certificate, its PDF matching its hash',
      approved.length > 0 && certs.length === approved.length && matching === approved.length,
      `${approved.length} approved, ${certs.filter((c) => c.n === 1).length} with one certificate, ${matching} PDFs match`,
    ]);
    const { rows: media } = await db.query(
      `SELECT status, count(*)::int AS n FROM media_assets WHERE id = ANY($1) GROUP BY status`,
      [uploaded],
    );
    const ready = media.find((m) => m.status === 'ready')?.n ?? 0;
    checks.push([
      'every uploaded video is ready',
      uploaded.length > 0 && ready === uploaded.length,
      `${uploaded.length} uploaded, ${ready} ready, ${published.length} courses published`,
    ]);
    const failed = counts.reduce((n, c) => n + c.failed, 0);
    const pending = counts.reduce((n, c) => n + c.waiting + c.prioritized + c.active, 0);
    checks.push([
      'queues drained, no failed job',
      pending === 0 && failed === 0,
      `${pending} pending, ${failed} failed, drained in ${drainSeconds.toFixed(1)} s`,
    ]);
    const fiveHundreds = [...stats.byStatus]
      .filter(([s]) => s >= 500 && s !== 503)
      .reduce((n, [, c]) => n + c, 0);
    const served503 = stats.byStatus.get(503) ?? 0;
    checks.push([
      'no 5xx but 503s',
      fiveHundreds === 0,
      `${fiveHundreds} other 5xx; ${served503} × 503 (${stats.balancer503} from the balancer when an API died mid-request)`,
    ]);
    checks.push([
      'the load ran without a client error',
      errors.length === 0,
      errors.slice(0, 5).join(' | ') || 'none',
    ]);
    checks.push(['both kills survived', kills.length === 2, kills.join('; ')]);

    await Promise.all(queues.map((q) => q.close()));
    await db.end();

    const statusLine = [...stats.byStatus]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    console.log(
      [
        '',
        '  Production rehearsal — 2 api + 2 worker processes, NODE_ENV=production',
        `  on ${services.describe}`,
        `  load ${LOAD_SECONDS} s; ${stats.requests} requests (${(stats.requests / LOAD_SECONDS).toFixed(0)}/s): ${statusLine}; ${stats.networkErrors} lost connections retried`,
        `  events acknowledged ${pairs.length}, stored ${stored.length}; applications approved ${approved.length}; videos ${uploaded.length}`,
        ...checks.map(([name, ok, detail]) => `  ${ok ? 'PASS' : 'FAIL'}  ${name} — ${detail}`),
        '',
      ].join('\n'),
    );
    return checks.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    for (const p of processes.reverse()) await p.stop('SIGTERM');
    await balancer?.close();
    await services.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

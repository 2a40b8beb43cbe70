// Progress under load: video heartbeats (one event per request) and offline sync (100 events per
// request) at 64 connections, beside the same database's plain single-row INSERT loop as the
// ceiling; then checks that the events stored equal the events acknowledged. Prints figures;
// asserts nothing.
// Usage: npm run build && node bench/progress.mjs [--seconds 10] [--any-ready-video]
// Runs the embedded platform on a fresh DATA_DIR (or DATABASE_URL / S3_ENDPOINT if set).
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cpuSnapshot, cpuSpent } from './support/cpu.mjs';
import { startEmbeddedPlatform, waitForSeedVideos } from './support/embedded-platform.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    'any-ready-video': { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = 64;
const BATCH = 100;

const platform = await startEmbeddedPlatform();
const { base } = platform;

async function post(path, body, token) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * A ready seed video lesson (the first start transcodes them in the background), or with
 * --any-ready-video any published video lesson whose video is ready (a generated database's, whose
 * seed videos are never made: bench/scale.mjs).
 */
async function videoLesson(db) {
  if (values['any-ready-video']) {
    const { rows } = await db.query(
      `SELECT l.id, m.duration_seconds::float8 AS duration, x.locale
         FROM lessons l JOIN course_versions v ON v.id = l.course_version_id AND v.status = 'published'
        CROSS JOIN LATERAL jsonb_each_text(l.content -> 'media') AS x(locale, media_id)
         JOIN media_assets m ON m.id = x.media_id::uuid AND m.status = 'ready'
        WHERE l.kind = 'video' ORDER BY l.id LIMIT 1`,
    );
    if (rows[0]) return rows[0];
    throw new Error('no published video lesson with a ready video');
  }
  await waitForSeedVideos(db);
  const courses = (await (await fetch(`${base}/api/v1/courses?pageSize=50`)).json()).items;
  for (const c of courses) {
    const detail = await (await fetch(`${base}/api/v1/courses/${c.id}`)).json();
    const lesson = detail.lessons.find((l) => l.kind === 'video' && l.video?.status === 'ready');
    if (lesson) return { id: lesson.id, duration: lesson.video.durationSeconds, locale: lesson.video.locale };
  }
  throw new Error('no ready video lesson in the seeds');
}

/** The ceiling: one connection, one single-row INSERT after another (each its own commit). */
async function insertCeiling(databaseUrl) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(
    `CREATE TABLE IF NOT EXISTS bench_inserts (id uuid PRIMARY KEY, learner_id uuid NOT NULL, at timestamptz NOT NULL, payload jsonb NOT NULL)`,
  );
  const learner = randomUUID();
  let n = 0;
  const end = Date.now() + SECONDS * 1000;
  while (Date.now() < end) {
    await db.query('INSERT INTO bench_inserts (id, learner_id, at, payload) VALUES ($1, $2, now(), $3)', [
      randomUUID(),
      learner,
      { intervals: [[n % 30, (n % 30) + 10]] },
    ]);
    n++;
  }
  await db.query('DROP TABLE bench_inserts');
  await db.end();
  return n / SECONDS;
}

/** Every event id sent, and those the platform acknowledged as accepted. */
const sent = new Set();
const acknowledged = new Set();

function load(title, learners, makeEvents, path, receiptsOf) {
  let before = acknowledged.size;
  let next = 0;
  const cpuBefore = cpuSnapshot(platform.pid);
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${base}${path}`,
        connections: CONNECTIONS,
        duration: SECONDS,
        method: 'POST',
        requests: [
          {
            setupRequest: (req) => {
              const learner = learners[next++ % learners.length];
              const events = makeEvents();
              for (const e of events) sent.add(e.id);
              return {
                ...req,
                headers: { 'content-type': 'application/json', authorization: `Bearer ${learner.token}` },
                body: JSON.stringify(path === '/api/v1/sync' ? { events } : events[0]),
              };
            },
            onResponse: (status, body) => {
              if (status !== 200) return;
              for (const r of receiptsOf(JSON.parse(body)))
                if (r.status === 'accepted') acknowledged.add(r.id);
            },
          },
        ],
      },
      (err, r) => {
        if (err) return reject(err);
        const count = acknowledged.size - before;
        const perSecond = count / SECONDS;
        const cpu = cpuSpent(cpuBefore, cpuSnapshot(platform.pid));
        console.log(
          `${title.padEnd(30)} ${String(Math.round(r.requests.average)).padStart(6)} req/s  ${String(Math.round(perSecond)).padStart(7)} events/s   p99 ${String(r.latency.p99).padStart(4)} ms   non-2xx ${r.non2xx}  errors ${r.errors}\n` +
            `${''.padEnd(30)} CPU: platform ${cpu.platform.toFixed(1)} s, PostgreSQL ${cpu.postgres.toFixed(1)} s in ${cpu.seconds.toFixed(1)} s → ` +
            `${Math.round(r.requests.total / cpu.platform)} req/s and ${Math.round(count / cpu.platform)} events/s per platform core, ` +
            `${Math.round(count / cpu.postgres)} events/s per PostgreSQL core`,
        );
        resolve({ perSecond, p99: r.latency.p99 });
      },
    );
  });
}

try {
  const { databaseUrl } = platform;
  const db = new pg.Client({ connectionString: databaseUrl });
  db.on('error', () => undefined);
  await db.connect();
  const lesson = await videoLesson(db);
  const learners = [];
  // Numbers of their own: a generated database (bench/scale.mjs) has a million taken already.
  const first = 10_000_000 + Math.floor(Math.random() * 80_000_000);
  for (let i = 0; i < CONNECTIONS; i++) {
    const phone = `09${String(first + i)}`;
    const session = await post('/api/v1/auth/register', {
      phone,
      displayName: `Học viên thử tải ${i}`,
      password: 'Học dùng điện thoại ở bản Sải Duần',
    });
    learners.push({ id: session.user.id, token: session.accessToken });
  }
  console.log(
    `video lesson ${lesson.id} (${lesson.duration} s); ${learners.length} learners; ${SECONDS} s per run`,
  );

  const span = Math.max(1, lesson.duration - 10);
  const heartbeat = () => {
    const from = Math.round(Math.random() * span * 10) / 10;
    return {
      id: randomUUID(),
      type: 'video.heartbeat',
      lessonId: lesson.id,
      at: new Date().toISOString(),
      locale: lesson.locale,
      intervals: [[from, from + 10]],
      position: from + 10,
    };
  };
  const ceiling = await insertCeiling(databaseUrl);
  console.log(
    `${'single-row INSERT loop (pg)'.padEnd(30)} ${String(Math.round(ceiling)).padStart(22)} rows/s`,
  );
  const online = await load(
    'heartbeats, 1 per request',
    learners,
    () => [heartbeat()],
    '/api/v1/progress/events',
    (b) => [b.receipt],
  );
  const offline = await load(
    `sync, ${BATCH} per request`,
    learners,
    () => Array.from({ length: BATCH }, heartbeat),
    '/api/v1/sync',
    (b) => b.receipts,
  );

  // Requests still in flight when a run ends may commit without their answer being read:
  // stored ⊇ acknowledged, and everything stored was sent, once. Count once the platform is idle.
  const ids = learners.map((l) => l.id);
  for (let last = -1; ;) {
    await new Promise((r) => setTimeout(r, 1000));
    const n = (
      await db.query(`SELECT count(*)::int AS n FROM progress_events WHERE learner_id = ANY($1::uuid[])`, [
        ids,
      ])
    ).rows[0].n;
    if (n === last) break;
    last = n;
  }
  const stored = (
    await db.query(`SELECT id FROM progress_events WHERE learner_id = ANY($1::uuid[])`, [
      learners.map((l) => l.id),
    ])
  ).rows.map((r) => r.id);
  const storedSet = new Set(stored);
  const lost = [...acknowledged].filter((id) => !storedSet.has(id)).length;
  const unknown = stored.filter((id) => !sent.has(id)).length;
  const summarised = (
    await db.query(
      `SELECT coalesce(sum(events), 0)::int AS n FROM lesson_progress WHERE learner_id = ANY($1::uuid[])`,
      [learners.map((l) => l.id)],
    )
  ).rows[0].n;
  await db.end();
  console.log(
    `\nacknowledged ${acknowledged.size}; stored ${stored.length} (${stored.length - acknowledged.size} committed while the run ended, answer not read); ` +
      `lost ${lost}, duplicated ${stored.length - storedSet.size}, not sent ${unknown}, summaries count ${summarised}` +
      (lost === 0 && stored.length === storedSet.size && unknown === 0 && summarised === stored.length
        ? ' → none lost, none duplicated'
        : ' → MISMATCH'),
  );
  console.log(
    `heartbeat path ${((100 * online.perSecond) / ceiling).toFixed(0)} % of the INSERT ceiling (goal ≥ 50 %); ` +
      `batch path ${(offline.perSecond / online.perSecond).toFixed(1)}× the heartbeat path (goal ≥ 10×)`,
  );
} catch (e) {
  console.error('bench failed:', e.message);
  process.exitCode = 1;
} finally {
  await platform.stop();
}

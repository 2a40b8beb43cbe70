// The fixed cost of our request path: a raw Fastify hello-world (its own process), the platform's
// /health/live and a lesson's detail (the page learners open most), at 64 connections, at the
// production log level (LOG_LEVEL=info unless BENCH_LOG_LEVEL says otherwise), in the production
// layout: the API role (`dist/src/main.js`, no workers) on the embedded platform's database and S3
// server. The embedded process itself (API and workers in one, the laptop default) is measured
// too, for /health/live. The measured server is pinned to core 1 and everything else (the load
// generator, the idle servers) to core 0, so the figures compare servers, not the client.
// Rounds are interleaved (raw, live, lesson, raw, …) against the machine's drift. Prints req/s,
// p99, the servers' CPU time per request (steadier than req/s on a shared VM) and the ratios;
// asserts nothing. Usage: npm run build && node bench/request-path.mjs [--seconds 10] [--rounds 2]
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startApiRole, startEmbeddedPlatform, waitForSeedVideos } from './support/embedded-platform.mjs';
import { startRawFastify } from './support/raw-fastify.mjs';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, rounds: { type: 'string', default: '2' } },
});
const SECONDS = Number(values.seconds);
const logLevel = process.env.BENCH_LOG_LEVEL ?? 'info';

const raw = await startRawFastify({ cpu: 1 });
const platform = await startEmbeddedPlatform({ logLevel });
const api = await startApiRole(platform, { logLevel });
/** Puts every thread of `pid` on `cpu` (one core only: the figures are still printed). */
const pin = (pid, cpu) => {
  try {
    execFileSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { stdio: 'ignore' });
  } catch {
    // Nothing to pin to.
  }
};
pin(process.pid, 0);
/** The measured server on core 1, the other servers beside the load generator on core 0. */
const measure = (server) => {
  for (const other of [raw, platform, api]) pin(other.pid, other === server ? 1 : 0);
};
const db = new pg.Client({ connectionString: platform.databaseUrl });
await db.connect();
await waitForSeedVideos(db);
const { rows } = await db.query(
  `SELECT l.id FROM lessons l JOIN course_versions v ON v.id = l.course_version_id
    WHERE v.status = 'published' AND l.kind = 'guide' ORDER BY l.id LIMIT 20`,
);
await db.end();
const lessons = rows.map((r) => `${platform.base}/api/v1/lessons/${r.id}`);

/** CPU time (user + system) a process has used, in µs: per request, it is steadier than req/s on a shared machine. */
const cpuMicros = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
};
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

const run = (title, url, pid, urls) =>
  new Promise((resolve, reject) => {
    let i = 0;
    const cpuBefore = cpuMicros(pid);
    autocannon(
      {
        url,
        connections: 64,
        duration: SECONDS,
        requests: urls
          ? [{ setupRequest: (req) => ({ ...req, path: new URL(urls[i++ % urls.length]).pathname }) }]
          : undefined,
      },
      (err, r) =>
        err
          ? reject(err)
          : resolve({
              title,
              rps: r.requests.average,
              p99: r.latency.p99,
              non2xx: r.non2xx,
              cpu: (cpuMicros(pid) - cpuBefore) / r.requests.total,
            }),
    );
  });

const results = { raw: [], live: [], lesson: [], embeddedLive: [] };
for (let round = 0; round < Number(values.rounds); round++) {
  measure(raw);
  results.raw.push(await run('raw Fastify hello-world', raw.url, raw.pid));
  measure(api);
  results.live.push(await run('/health/live (API role)', `${api.base}/health/live`, api.pid));
  results.lesson.push(
    await run('lesson detail (API role)', lessons[0].replace(platform.base, api.base), api.pid, lessons),
  );
  measure(platform);
  results.embeddedLive.push(
    await run('/health/live (embedded)', `${platform.base}/health/live`, platform.pid),
  );
}
await raw.stop();
await api.stop();
await platform.stop();

const median = (list, key) => list.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(list.length / 2)];
console.log(`\nLOG_LEVEL=${logLevel}, 64 connections, ${SECONDS} s × ${values.rounds} rounds (median)`);
for (const list of Object.values(results)) {
  console.log(
    `${list[0].title.padEnd(26)} ${String(Math.round(median(list, 'rps'))).padStart(7)} req/s   p99 ${String(median(list, 'p99')).padStart(4)} ms   ${median(list, 'cpu').toFixed(1).padStart(5)} µs CPU/request   non-2xx ${list.reduce((n, r) => n + r.non2xx, 0)}`,
  );
}
const rawRps = median(results.raw, 'rps');
const liveRps = median(results.live, 'rps');
console.log(
  `/health/live (API role) ÷ raw Fastify: ${((100 * liveRps) / rawRps).toFixed(0)} % of its req/s (goal ≥ 60 %); by CPU per request ${((100 * median(results.raw, 'cpu')) / median(results.live, 'cpu')).toFixed(0)} %`,
);
console.log(
  `/health/live (embedded, workers in the same process) ÷ raw Fastify: ${((100 * median(results.embeddedLive, 'rps')) / rawRps).toFixed(0)} %; by CPU per request ${((100 * median(results.raw, 'cpu')) / median(results.embeddedLive, 'cpu')).toFixed(0)} %`,
);
console.log(
  `lesson detail ÷ /health/live: ${((100 * median(results.lesson, 'rps')) / liveRps).toFixed(0)} % (goal ≥ 40 %, p99 ≤ 50 ms)`,
);

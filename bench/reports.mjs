// Staff reports at province scale: the progress reports (province, commune, village, one course),
// coverage, the ambassador registry, the coordinators' dashboard page, the ranking and an inbox, each at 16 concurrent requests for a few seconds, against
// a database made by `bench/scale.mjs generate`. Prints p50/p95/p99 and requests/s per report
// beside the same run's /health/live; asserts nothing.
// Usage: npm run build && DATABASE_URL=postgres://…/banso_scale node bench/reports.mjs [--seconds 10]
// Runs the embedded platform (its own s3rver) on that database, at the production log level.
// The first start on a generated database builds the rollups (RollupsService.rebuild): the bench
// does that itself first and prints how long it took.
import http from 'node:http';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cpuSnapshot, cpuSpent } from './support/cpu.mjs';
import { startEmbeddedPlatform } from './support/embedded-platform.mjs';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '16' } },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const PASSWORD = 'Mat-khau-2026!';
if (!process.env.DATABASE_URL) {
  console.error('Set DATABASE_URL to a database made by bench/scale.mjs generate.');
  process.exit(2);
}

const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
await db.connect();
const count = async (sql, params = []) => Number((await db.query(sql, params)).rows[0].n);
console.log(
  `Data: ${await count(`SELECT count(*) AS n FROM users`)} users, ${await count(`SELECT count(*) AS n FROM enrolments`)} enrolments, ` +
    `~${await count(`SELECT sum(reltuples)::bigint AS n FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid WHERE i.inhparent = 'progress_events'::regclass`)} progress events, ` +
    `database ${((await count(`SELECT pg_database_size(current_database()) AS n`)) / 1e9) | 0} GB`,
);

const platform = await startEmbeddedPlatform();
const { base } = platform;

// The worker inside the embedded platform builds the rollups at its first run; wait for it.
const started = Date.now();
for (;;) {
  const done = await count(
    `SELECT count(*) AS n FROM outbox_checkpoints WHERE consumer = 'reporting.rollups'`,
  );
  if (done > 0) break;
  if (Date.now() - started > 60 * 60_000) throw new Error('the rollups were not built within an hour');
  await new Promise((r) => setTimeout(r, 2000));
}
console.log(`Rollups ready ${((Date.now() - started) / 1000).toFixed(0)} s after the platform started.`);

// The generator's admin (bench/scale.mjs: every generated user shares one password).
const login = await fetch(`${base}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ identifier: 'quan-tri-1@scale.banso.local', password: PASSWORD }),
});
if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
const token = (await login.json()).accessToken;

const province = (await db.query(`SELECT id FROM localities WHERE level = 'province' AND code = '15'`))
  .rows[0].id;
// The busiest commune and village, and the most popular course: the heaviest reports of their kind.
const commune = (
  await db.query(
    `SELECT l.parent_id AS id FROM users u JOIN localities l ON l.id = u.village_id GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
  )
).rows[0].id;
const village = (
  await db.query(
    `SELECT village_id AS id FROM users WHERE village_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
  )
).rows[0].id;
const course = (
  await db.query(`SELECT course_id AS id FROM enrolments GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`)
).rows[0].id;

const programme = (await db.query(`SELECT id FROM certification_programmes ORDER BY created_at LIMIT 1`))
  .rows[0].id;

const reports = [
  ['health/live (beside)', '/health/live'],
  ['progress: province', `/api/v1/progress/localities/${province}/report`],
  ['progress: commune', `/api/v1/progress/localities/${commune}/report`],
  ['progress: village', `/api/v1/progress/localities/${village}/report`],
  ['progress: one course', `/api/v1/progress/courses/${course}/report`],
  ['coverage: province', `/api/v1/certification/coverage?localityId=${province}`],
  ['registry: province, page 1', `/api/v1/certification/ambassadors?localityId=${province}`],
  ['activity: province, 30 days', `/api/v1/reporting/activity?localityId=${province}`],
  ['dashboard page: province', `/coordinate/dashboard?locality=${province}`],
  ['dashboard page: commune', `/coordinate/dashboard?locality=${commune}`],
  ['ranking: province', `/api/v1/certification/programmes/${programme}/ranking`],
  ['inbox: the admin', '/api/v1/me/notifications'],
];

/** Bytes of an answer as they cross the network, compressed as a browser asks (fetch would decompress). */
function wireBytes(path, headers = {}) {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers: { 'accept-encoding': 'br, gzip', ...headers } }, (res) => {
        let n = 0;
        res.on('data', (d) => (n += d.length));
        res.on('end', () => resolve(n));
      })
      .on('error', reject);
  });
}

/** `CONNECTIONS` clients asking one after another for `SECONDS`: every latency, exactly. */
async function run(path) {
  const latencies = [];
  let failed = 0;
  const cpuBefore = cpuSnapshot(platform.pid);
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        const t = performance.now();
        const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (!res.ok) failed++;
      }
    }),
  );
  const cpu = cpuSpent(cpuBefore, cpuSnapshot(platform.pid));
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return {
    rate: latencies.length / SECONDS,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    failed,
    // CPU milliseconds per request, platform and PostgreSQL.
    cpu: {
      platform: (1000 * cpu.platform) / latencies.length,
      postgres: (1000 * cpu.postgres) / latencies.length,
    },
  };
}

console.log(
  `\n${CONNECTIONS} concurrent requests, ${SECONDS} s each, LOG_LEVEL=${process.env.BENCH_LOG_LEVEL ?? 'info'}`,
);
console.log(
  'report                          req/s    p50 ms   p95 ms   p99 ms   failed   CPU ms/request: platform, PostgreSQL',
);
const weights = [];
for (const [name, path] of reports) {
  const first = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!first.ok) throw new Error(`${name}: ${first.status} ${(await first.text()).slice(0, 300)}`);
  if (path.startsWith('/coordinate/')) {
    // A page's weight as a phone loads it: the HTML compressed as the browser asks (and the CSS, cached after).
    const zipped = await fetch(`${base}${path}`, {
      headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'br, gzip' },
    });
    const html = await zipped.text();
    const wire = await wireBytes(path, { authorization: `Bearer ${token}` });
    // A first visit also loads the stylesheet and scripts the page links (kept a year after).
    const assets = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+\.(?:css|js)[^"]*)"/g)].map((m) =>
      m[1].replace(/&amp;/g, '&'),
    );
    let assetWire = 0;
    for (const asset of new Set(assets)) {
      assetWire += await wireBytes(asset);
    }
    weights.push(
      `${name}: ${(Buffer.byteLength(await first.text()) / 1024).toFixed(1)} KB HTML, ${(wire / 1024).toFixed(1)} KB on the wire (${zipped.headers.get('content-encoding') ?? 'identity'}); first load with ${new Set(assets).size} assets ${((wire + assetWire) / 1024).toFixed(1)} KB (goal ≤ 50 KB)`,
    );
  }
  const r = await run(path);
  const ms = (v) => v.toFixed(1).padStart(7);
  console.log(
    `${name.padEnd(30)} ${r.rate.toFixed(0).padStart(6)}  ${ms(r.p50)}  ${ms(r.p95)}  ${ms(r.p99)}   ${String(r.failed).padStart(6)}   ${r.cpu.platform.toFixed(2)}, ${r.cpu.postgres.toFixed(2)}`,
  );
}

if (weights.length) console.log(`\nPage weights:\n  ${weights.join('\n  ')}`);

await db.end();
await platform.stop();

// The outbox consumer under a backlog: N certificate facts appended at once across the seeded
// villages, then the worker's reporting job (every 15 s) counts them. Prints how long the backlog
// took to drain once the consumer started, the rate, whether each fact was counted exactly once,
// and how long the province's year of daily activity takes to read. Prints figures; asserts nothing.
// Usage: npm run build && node bench/outbox.mjs [--events 200000]
// Runs the embedded platform on a fresh DATA_DIR (or DATABASE_URL / S3_ENDPOINT if set).
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedPlatform, waitForSeedVideos } from './support/embedded-platform.mjs';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' } } });
const EVENTS = Number(values.events);

const platform = await startEmbeddedPlatform();
const db = new pg.Client({ connectionString: platform.databaseUrl });
await db.connect();
try {
  await waitForSeedVideos(db);
  const counted = async () =>
    (
      await db.query(
        `SELECT coalesce(sum(own), 0)::int AS n FROM reporting_daily_activity WHERE metric = 'certificate_issued'`,
      )
    ).rows[0].n;
  const villages = (await db.query(`SELECT path FROM localities WHERE level = 'village'`)).rows.map(
    (r) => r.path,
  );
  const province = (await db.query(`SELECT path FROM localities WHERE level = 'province' LIMIT 1`)).rows[0]
    .path;
  const before = await counted();

  let t = Date.now();
  await db.query(
    `INSERT INTO domain_events (type, subject_id, payload)
     SELECT 'certification.certificate_issued', gen_random_uuid(),
            jsonb_build_object('certificateId', gen_random_uuid(), 'holderId', gen_random_uuid(),
              'programmeId', gen_random_uuid(), 'villageId', gen_random_uuid(),
              'localityPath', ($2::text[])[1 + i % cardinality($2::text[])],
              'at', to_char((now() - (i % 365) * interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
       FROM generate_series(1, $1::int) AS i`,
    [EVENTS, villages],
  );
  console.log(
    `appended ${EVENTS} facts over ${villages.length} villages in ${((Date.now() - t) / 1000).toFixed(1)} s`,
  );

  // The consumer starts at its next tick (≤ 15 s); the rate is measured from its first batch.
  let first = 0;
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const n = (await counted()) - before;
    if (n > 0 && !first) first = Date.now();
    if (n >= EVENTS || Date.now() > deadline) {
      const seconds = (Date.now() - first) / 1000;
      console.log(
        `counted ${n} of ${EVENTS} (${n === EVENTS ? 'each once' : 'MISMATCH'}) in ${seconds.toFixed(1)} s after the first batch: ${Math.round(n / seconds)} facts/s`,
      );
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const rows = (await db.query(`SELECT count(*)::int AS n FROM reporting_daily_activity`)).rows[0].n;

  // The read the activity report makes for the whole province over a year.
  const timings = [];
  for (let i = 0; i < 20; i++) {
    t = performance.now();
    await db.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, metric, count
         FROM reporting_daily_activity
        WHERE locality_path = $1 AND day BETWEEN (now() - interval '365 days')::date AND now()::date
        ORDER BY day`,
      [province],
    );
    timings.push(performance.now() - t);
  }
  timings.sort((a, b) => a - b);
  console.log(
    `province, 366 days from ${rows} rollup rows: median ${timings[10].toFixed(1)} ms, max ${timings.at(-1).toFixed(1)} ms`,
  );
} finally {
  await db.end();
  await platform.stop();
}

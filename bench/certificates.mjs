// Certificate issuance under load: 500 eligible candidates are approved through the API (8 at a
// time, as a room of coordinators would) and the real worker of the embedded platform issues
// them. Prints certificates/s, p50/p95 from approval to downloadable, and PDF sizes.
// Goals (2 cores): ≥ 20 certificates/s, p95 ≤ 2 s, PDF ≤ 100 KB.
// Also writes docs/certificate-example.pdf and, with pdftoppm installed, docs/certificate-example.png.
//
//   npm run build && node bench/certificates.mjs
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { startEmbeddedPlatform, waitForSeedVideos } from './support/embedded-platform.mjs';

const CANDIDATES = Number(process.env.BENCH_CANDIDATES ?? 500);
const CONCURRENCY = 8;
const platform = await startEmbeddedPlatform();
const { base } = platform;

async function call(path, token, body) {
  const res = await fetch(`${base}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: body && JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

try {
  const db = new pg.Client({ connectionString: platform.databaseUrl });
  db.on('error', () => undefined);
  await db.connect();
  await waitForSeedVideos(db);

  // Set-up outside the measurement: candidates who completed the seeded programme's courses with
  // 90 % and helped five households, each with a submitted application for their village.
  const [programme] = (
    await db.query(
      `SELECT id, province_id, required_course_ids FROM certification_programmes WHERE code = 'nguoi-ban-so-lao-cai'`,
    )
  ).rows;
  const versions = (
    await db.query(`SELECT id AS course_id, published_version_id FROM courses WHERE id = ANY($1)`, [
      programme.required_course_ids,
    ])
  ).rows;
  const villages = (
    await db.query(
      `SELECT id, path FROM localities WHERE level = 'village' AND path LIKE $1 ORDER BY kind = 'tổ dân phố', code`,
      [`/${programme.province_id}/%`],
    )
  ).rows;
  const names = ['Sùng Thị Mỷ', 'Giàng A Páo', 'Lù Văn Sử', 'Vàng Thị Dua', 'Hoàng Văn Thắng', 'Thào Seo Lử'];
  const candidates = [];
  for (let i = 0; i < CANDIDATES; i++) {
    const village = villages[i % villages.length];
    const [{ id }] = (
      await db.query(
        `INSERT INTO users (phone, display_name, password_hash, languages, village_id)
         VALUES ($1, $2, 'bench-no-login', '{hmn,vi}', $3) RETURNING id`,
        [`+8497${String(1_000_000 + i).padStart(7, '0')}`, names[i % names.length], village.id],
      )
    ).rows;
    for (const v of versions) {
      const [{ version }] = (
        await db.query('SELECT version FROM course_versions WHERE id = $1', [v.published_version_id])
      ).rows;
      await db.query(
        `INSERT INTO course_completions (learner_id, course_id, course_version_id, version, locale, average_quiz_score)
         VALUES ($1, $2, $3, $4, 'hmn', 90)`,
        [id, v.course_id, v.published_version_id, version],
      );
    }
    for (let h = 0; h < 5; h++) {
      await db.query(
        `INSERT INTO mentoring_records (candidate_id, helped_on, household, household_key, task)
         VALUES ($1, '2026-11-01', $2, $3, 'vneid-level-2')`,
        [id, `Hộ số ${h + 1}`, `ho so ${h + 1}`],
      );
    }
    const [{ id: applicationId }] = (
      await db.query(
        `INSERT INTO certification_applications (programme_id, candidate_id, village_id, locality_path, kind, status, eligibility)
         VALUES ($1, $2, $3, $4, 'initial', 'submitted', '{}') RETURNING id`,
        [programme.id, id, village.id, village.path],
      )
    ).rows;
    candidates.push(applicationId);
  }
  const coordinatorPhone = `09${String(80_000_000 + Math.floor(Math.random() * 9_999_999))}`;
  const password = 'Học dùng điện thoại ở bản Sải Duần';
  const registered = await call('/api/v1/auth/register', null, {
    phone: coordinatorPhone,
    displayName: 'Tổ điều phối tỉnh',
    password,
  });
  await db.query(`INSERT INTO user_roles (user_id, role, locality_id) VALUES ($1, 'coordinator', $2)`, [
    registered.user.id,
    programme.province_id,
  ]);
  const { accessToken } = await call('/api/v1/auth/login', null, { identifier: coordinatorPhone, password });
  console.log(
    `${CANDIDATES} eligible candidates in ${villages.length} villages; approving ${CONCURRENCY} at a time`,
  );

  // Measured: approvals through the API while the worker issues.
  const started = Date.now();
  let next = 0;
  const approvalMs = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < candidates.length) {
        const id = candidates[next++];
        const t = Date.now();
        await call(`/api/v1/certification/applications/${id}/approve`, accessToken, {
          reason: 'Đủ điều kiện (thử tải).',
        });
        approvalMs.push(Date.now() - t);
      }
    }),
  );
  const approvedIn = (Date.now() - started) / 1000;
  for (;;) {
    const { n } = (
      await db.query(
        `SELECT count(*)::int AS n FROM certificates WHERE ready_at IS NOT NULL AND application_id = ANY($1)`,
        [candidates],
      )
    ).rows[0];
    if (n === candidates.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const rows = (
    await db.query(
      `SELECT extract(epoch FROM ready_at - created_at) * 1000 AS latency_ms, pdf_bytes,
              extract(epoch FROM created_at) AS created, extract(epoch FROM ready_at) AS ready
         FROM certificates WHERE application_id = ANY($1)`,
      [candidates],
    )
  ).rows;
  const latencies = rows.map((r) => Number(r.latency_ms)).sort((a, b) => a - b);
  const sizes = rows.map((r) => r.pdf_bytes);
  const span =
    Math.max(...rows.map((r) => Number(r.ready))) - Math.min(...rows.map((r) => Number(r.created)));
  const perSecond = rows.length / span;
  approvalMs.sort((a, b) => a - b);
  console.log(
    `approvals: ${CANDIDATES} in ${approvedIn.toFixed(1)} s (API p95 ${percentile(approvalMs, 95)} ms)`,
  );
  console.log(
    `issued:    ${rows.length} certificates in ${span.toFixed(1)} s = ${perSecond.toFixed(1)} certificates/s (goal ≥ 20)`,
  );
  console.log(
    `approval → downloadable: p50 ${Math.round(percentile(latencies, 50))} ms, p95 ${Math.round(percentile(latencies, 95))} ms, max ${Math.round(latencies.at(-1))} ms (goal p95 ≤ 2000)`,
  );
  console.log(
    `PDF size:  average ${(sizes.reduce((a, b) => a + b, 0) / sizes.length / 1024).toFixed(1)} KB, largest ${(Math.max(...sizes) / 1024).toFixed(1)} KB (goal ≤ 100 KB)`,
  );

  // One certificate for people to look at.
  const [{ id: certificateId }] = (
    await db.query(`SELECT id FROM certificates WHERE application_id = $1`, [candidates[0]])
  ).rows;
  const {
    rows: [admin],
  } = await db.query(`SELECT 1`);
  void admin;
  await db.query(`INSERT INTO user_roles (user_id, role) VALUES ($1, 'admin') ON CONFLICT DO NOTHING`, [
    registered.user.id,
  ]);
  const cert = await call(`/api/v1/certificates/${certificateId}`, accessToken);
  const pdf = Buffer.from(await (await fetch(cert.downloads.pdf)).arrayBuffer());
  writeFileSync('docs/certificate-example.pdf', pdf);
  try {
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '110',
      '-singlefile',
      'docs/certificate-example.pdf',
      'docs/certificate-example',
    ]);
    console.log('wrote docs/certificate-example.pdf and docs/certificate-example.png');
  } catch {
    console.log('wrote docs/certificate-example.pdf (install poppler-utils for the PNG)');
  }
  await db.end();
} finally {
  await platform.stop();
}

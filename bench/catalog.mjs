// Catalog under load: 10,000 published courses / 100,000 lessons, autocannon at 64 connections
// against listing (plain and revalidated with If-None-Match), search and lesson detail, beside the
// same run's /health/live. Prints figures; asserts nothing.
// Usage: npm run build && node bench/catalog.mjs [--courses 10000] [--seconds 10]
// Runs the embedded platform on a fresh DATA_DIR (or DATABASE_URL / S3_ENDPOINT if set).
// BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the platform process there.
import autocannon from 'autocannon';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedPlatform, waitForSeedVideos } from './support/embedded-platform.mjs';

const { values } = parseArgs({
  options: { courses: { type: 'string', default: '10000' }, seconds: { type: 'string', default: '10' } },
});
const COURSES = Number(values.courses);
const LESSONS_PER_COURSE = 10;
const SECONDS = Number(values.seconds);

const platform = await startEmbeddedPlatform();
const { base } = platform;

const TITLES = [
  ['Thanh toán tiền điện qua điện thoại', 'Them nqi hluav taws xob hauv xov tooj'],
  ['Đăng ký khai sinh trực tuyến', 'Sau npe menyuam yug tshiab hauv online'],
  ['Kích hoạt tài khoản VNeID mức 2', 'Qhib VNeID theem 2'],
  ['Nhận diện lừa đảo qua mạng', 'Paub txog kev dag ntxias hauv internet'],
  ['Bán sản phẩm OCOP trên sàn thương mại điện tử', 'Muag khoom OCOP hauv online'],
  ['Sổ sức khoẻ điện tử', 'Phau ntawv kho mob hauv xov tooj'],
  ['Lập nhóm Zalo cho thôn bản', 'Tsim pawg Zalo rau lub zos'],
  ['Làm quen với trí tuệ nhân tạo', 'Kawm txog AI'],
];
const TOPICS = [
  'cashless-payment',
  'online-public-services',
  'vneid',
  'online-safety',
  'e-commerce',
  'e-health',
  'zalo-groups',
  'ai-basics',
];

async function populate(databaseUrl) {
  const db = new pg.Client({ connectionString: databaseUrl });
  db.on('error', () => undefined);
  await db.connect();
  await waitForSeedVideos(db);
  const started = Date.now();
  const owner = (
    await db.query(
      `INSERT INTO users (phone, display_name, password_hash) VALUES ('+84900000777', 'Giảng viên thử tải', 'x') RETURNING id`,
    )
  ).rows[0].id;
  const groups = (await db.query('SELECT id FROM learner_groups ORDER BY sort_order')).rows.map((r) => r.id);
  await db.query('ALTER TABLE lessons DISABLE TRIGGER lessons_immutable');
  await db.query(
    `INSERT INTO courses (id, slug, owner_id)
     SELECT md5('c' || i)::uuid, 'khoa-hoc-' || i, $1 FROM generate_series(1, $2) i`,
    [owner, COURSES],
  );
  await db.query(
    `INSERT INTO course_versions (id, course_id, version, status, topic, learner_group_ids, title, summary, languages,
       search_text, created_by, submitted_by, published_at)
     SELECT md5('v' || i)::uuid, md5('c' || i)::uuid, 1, 'draft', ($3::text[])[1 + i % 8], ARRAY[($4::uuid[])[1 + i % 4]],
       jsonb_build_object('vi', ($5::text[])[1 + i % 8] || ' ' || i, 'hmn', ($6::text[])[1 + i % 8] || ' ' || i),
       jsonb_build_object('vi', 'Bài học ngắn cho bà con ở bản số ' || i),
       '{vi,hmn}', ($5::text[])[1 + i % 8] || ' ' || i || ' ' || ($6::text[])[1 + i % 8],
       $1, $1, now() - (i || ' minutes')::interval
     FROM generate_series(1, $2) i`,
    [owner, COURSES, TOPICS, groups, TITLES.map((t) => t[0]), TITLES.map((t) => t[1])],
  );
  // The four-eyes CHECK needs a publisher other than the author.
  const reviewer = (
    await db.query(
      `INSERT INTO users (phone, display_name, password_hash) VALUES ('+84900000778', 'Người duyệt', 'x') RETURNING id`,
    )
  ).rows[0].id;
  await db.query(
    `INSERT INTO lessons (course_version_id, lesson_key, position, kind, title, content)
     SELECT md5('v' || i)::uuid, gen_random_uuid(), p, (ARRAY['video','guide','quiz'])[1 + p % 3],
       jsonb_build_object('vi', 'Bài ' || p || ': các bước thực hành', 'hmn', 'Zaj ' || p),
       CASE WHEN p % 3 = 1 THEN jsonb_build_object('steps', jsonb_build_array(
              jsonb_build_object('id', gen_random_uuid(), 'title', jsonb_build_object('vi', 'Mở ứng dụng'), 'body', jsonb_build_object('vi', 'Chạm vào biểu tượng.'))))
            ELSE '{}'::jsonb END
     FROM generate_series(1, $1) i, generate_series(1, $2) p`,
    [COURSES, LESSONS_PER_COURSE],
  );
  await db.query(
    `UPDATE course_versions SET status = 'in_review' WHERE id IN (SELECT md5('v' || i)::uuid FROM generate_series(1, $1) i)`,
    [COURSES],
  );
  await db.query(
    `UPDATE course_versions SET status = 'published', published_by = $2 WHERE id IN (SELECT md5('v' || i)::uuid FROM generate_series(1, $1) i)`,
    [COURSES, reviewer],
  );
  await db.query(
    `UPDATE courses SET published_version_id = md5('v' || substring(slug from 10))::uuid WHERE slug LIKE 'khoa-hoc-%'`,
  );
  await db.query('ALTER TABLE lessons ENABLE TRIGGER lessons_immutable');
  await db.query('VACUUM ANALYZE');
  // The database's share of one search, for reading the HTTP figures below.
  const plan = await db.query(
    `EXPLAIN (ANALYZE, FORMAT JSON) SELECT v.id, count(*) OVER () FROM course_versions v
       JOIN courses c ON c.published_version_id = v.id AND c.archived_at IS NULL
      WHERE v.status = 'published' AND v.search_key LIKE '%' || f_search_key($1) || '%'
        AND v.search_key LIKE '%' || f_search_key($2) || '%'
      ORDER BY v.published_at DESC, v.id LIMIT 20`,
    ['thanh toan', '1234'],
  );
  console.log(`one search in PostgreSQL: ${plan.rows[0]['QUERY PLAN'][0]['Execution Time'].toFixed(2)} ms`);
  const lessons = (await db.query(`SELECT id FROM lessons ORDER BY random() LIMIT 5000`)).rows.map(
    (r) => r.id,
  );
  const counts = (
    await db.query('SELECT (SELECT count(*) FROM courses) AS c, (SELECT count(*) FROM lessons) AS l')
  ).rows[0];
  await db.end();
  console.log(
    `populated ${counts.c} courses / ${counts.l} lessons in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return lessons;
}

function run(title, path, headers = {}, nextPath) {
  return new Promise((resolve, reject) => {
    const requests = nextPath ? [{ setupRequest: (req) => ({ ...req, path: nextPath() }) }] : undefined;
    autocannon({ url: `${base}${path}`, connections: 64, duration: SECONDS, headers, requests }, (err, r) => {
      if (err) return reject(err);
      const line = `${title.padEnd(34)} ${String(Math.round(r.requests.average)).padStart(7)} req/s   p99 ${String(r.latency.p99).padStart(4)} ms   non-2xx ${r.non2xx}`;
      console.log(line);
      resolve(r);
    });
  });
}

try {
  const { databaseUrl } = platform;
  const lessonIds = await populate(databaseUrl);
  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  const WORDS = [
    'thanh toan',
    'tien dien',
    'khai sinh',
    'vneid',
    'lua dao',
    'ocop',
    'suc khoe',
    'zalo',
    'tri tue',
    'them nqi',
    'muag khoom',
  ];
  // Mostly distinct searches (a number narrows each), so they are not answered from the cache.
  const nextSearch = () =>
    `/api/v1/courses?q=${encodeURIComponent(`${pick(WORDS)} ${Math.floor(Math.random() * 10000)}`)}`;
  const listing = '/api/v1/courses?group=elderly&lang=hmn';
  const etag = (await fetch(`${base}${listing}`)).headers.get('etag');
  await run('warm-up', '/health/live');
  const health = await run('/health/live', '/health/live');
  const plain = await run('listing (group, hmn)', listing);
  const cached = await run('listing, revalidated (304)', listing, { 'if-none-match': etag });
  const search = await run('search, varied queries', '/api/v1/courses?q=x', {}, nextSearch);
  const lesson = await run(
    'lesson detail, 5000 lessons',
    '/api/v1/lessons/x',
    {},
    () => `/api/v1/lessons/${pick(lessonIds)}?lang=hmn`,
  );
  const pct = (r) => `${((100 * r.requests.average) / health.requests.average).toFixed(0)} %`;
  console.log(
    `\nlisting ${pct(plain)} and revalidated listing ${pct(cached)} of /health/live; lesson detail ${pct(lesson)}`,
  );
  console.log(
    `search p99 ${search.latency.p99} ms (goal ≤ 50 ms); revalidated listing goal ≥ 40 % of /health/live`,
  );
} catch (e) {
  console.error('bench failed:', e.message);
  process.exitCode = 1;
} finally {
  await platform.stop();
}

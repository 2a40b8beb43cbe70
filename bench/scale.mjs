// A province-sized data set, generated inside PostgreSQL (issue item 1): the Lào Cai locality tree
// at its real size (99 communes and wards after the 2025 merger, ~2,900 villages), 1,000,000
// learners, 300 published courses on top of the 19 seeded ones, ~5 M enrolments with their lesson
// summaries and completions, 100 M progress events in the month-partitioned event log, and 3,000
// ambassadors with mentoring records, applications and certificates over two years. Skewed and
// seasonal: popular courses (Zipf), 30–60 % completion per course, more activity in the evenings and
// at weekends, growth over time. Everything is set-based SQL run by the server (INSERT … SELECT over
// generate_series, no row goes through Node), two sessions in parallel.
//
// Usage:
//   node bench/scale.mjs generate --database-url postgres://postgres@127.0.0.1:5432/banso_scale [--scale 1] [--fresh]
//        [--freeze-events] [--keep-staging] [--seed N]
//   node bench/scale.mjs verify --database-url …   (integrity checks, and a sample of lesson summaries
//        replayed through the platform's lesson kinds; at scale 1 it reads every event: minutes)
//
// --fresh drops and recreates the database, runs the migrations and the reference seed (from dist/:
// build first). Without it the database must be migrated and seeded, and not generated into before.
// --scale multiplies every count except the locality tree, which is real geography (0.01 for a quick run).
// --freeze-events ends with VACUUM (FREEZE) of every month of the event log (all-visible pages for
// index-only scans; rewrites the log once more). --keep-staging keeps the scale_gen schema.
// Every generated user's password is "Mat-khau-2026!" (one argon2id hash, made like the platform's).
// Learners sign in with their phone (users.phone); staff with their e-mail (…@scale.banso.local).
// SCALE_SQL_LOG=<file> writes every statement to a file; SCALE_AUTO_EXPLAIN=<ms> logs the plans of
// slower statements (with timings) to the server's log.
//
// How it stays fast: the generator's sessions run with session_replication_role = replica, so the
// foreign-key and guard triggers (e.g. "lessons of a published version are immutable") do not fire —
// integrity holds by construction and `verify` checks it; secondary indexes of the big tables are
// dropped before loading and rebuilt after; every staging table is analysed as soon as it is filled
// (without statistics the planner nests loops over million-row tables); each month of the event log
// is built as a plain table (foreign keys and a CHECK matching the month added while it is empty, so
// attaching it validates nothing), given its primary key, then attached as a partition.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PASSWORD = 'Mat-khau-2026!';
const STAFF_DOMAIN = 'scale.banso.local';
const VN = `'Asia/Ho_Chi_Minh'`;

const { positionals, values: opts } = parseArgs({
  allowPositionals: true,
  options: {
    'database-url': { type: 'string' },
    scale: { type: 'string', default: '1' },
    fresh: { type: 'boolean', default: false },
    'freeze-events': { type: 'boolean', default: false },
    'keep-staging': { type: 'boolean', default: false },
    seed: { type: 'string', default: '2026' },
    help: { type: 'boolean', short: 'h' },
  },
});
const command = positionals[0];
const DATABASE_URL = opts['database-url'] ?? process.env.DATABASE_URL;
if (opts.help || !['generate', 'verify'].includes(command) || !DATABASE_URL) {
  console.error(
    'Usage: node bench/scale.mjs generate --database-url postgres://… [--scale 1] [--fresh] [--freeze-events] [--keep-staging]\n' +
      '       node bench/scale.mjs verify --database-url postgres://…',
  );
  process.exit(2);
}
const SCALE = Number(opts.scale);
if (!(SCALE > 0 && SCALE <= 10)) throw new Error('--scale must be a number in (0, 10]');

const COUNTS = {
  learners: Math.max(200, Math.round(1_000_000 * SCALE)),
  generatedCourses: Math.max(1, Math.round(300 * SCALE)),
  enrolments: Math.max(500, Math.round(5_000_000 * SCALE)),
  events: Math.max(5000, Math.round(100_000_000 * SCALE)),
  ambassadors: Math.max(3, Math.round(3000 * SCALE)),
  trainers: Math.max(4, Math.round(60 * SCALE)),
  mediaAssets: Math.max(6, Math.round(60 * SCALE)),
  communes: 99,
  villages: 2900,
};

// ---------------------------------------------------------------------------------------------
// Logging, timing, randomness, SQL text helpers

const t0 = performance.now();
const phases = [];
const secs = (ms) => (ms / 1000).toFixed(1);
const log = (msg) => console.log(`[scale ${secs(performance.now() - t0).padStart(7)} s] ${msg}`);
async function phase(name, fn) {
  const t = performance.now();
  log(`${name} …`);
  const result = await fn();
  const ms = performance.now() - t;
  phases.push([name, ms]);
  log(`${name} done in ${secs(ms)} s`);
  return result;
}

function mulberry32(seed) {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(Number(opts.seed) || 2026);
const pickOne = (xs) => xs[Math.floor(rnd() * xs.length)];
const shuffle = (xs) => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};
const round3 = (x) => Math.round(x * 1000) / 1000;
const DAY = 86_400_000;

const lit = (s) => `'${String(s).normalize('NFC').replace(/'/g, "''")}'`;
const textArray = (xs) => `ARRAY[${xs.map(lit).join(',')}]::text[]`;
const intArray = (xs) => `ARRAY[${xs.join(',')}]::int[]`;
const ident = (s) => `"${s.replace(/"/g, '""')}"`;
/** `xs[1 + floor(r * n)]` for a constant array (folded into a constant by the planner). */
const pickSql = (arraySql, n, r) => `(${arraySql})[1 + floor((${r}) * ${n})::int]`;
const iso = (ts) => `to_char((${ts}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const secondsSql = (s) => `((${s}) * interval '1 second')`;
const msSql = (s) => `((${s}) * interval '1 millisecond')`;

/** Draws weighted values into a lookup table of `size` slots (largest remainder). */
function lookupTable(weights, size, value = (i) => i) {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / total) * size);
  const slots = exact.map(Math.floor);
  let left = size - slots.reduce((a, b) => a + b, 0);
  exact
    .map((x, i) => [x - Math.floor(x), i])
    .sort((a, b) => b[0] - a[0])
    .slice(0, left)
    .forEach(([, i]) => slots[i]++);
  const table = [];
  slots.forEach((n, i) => {
    for (let k = 0; k < n; k++) table.push(value(i));
  });
  return table;
}

// Weekly seasonality: local (UTC+7) hours and weekdays. Evenings and weekends are busiest.
const HOUR_WEIGHTS = [
  0.3, 0.15, 0.1, 0.1, 0.2, 0.8, 2.0, 3.0, 3.2, 3.0, 2.8, 2.6, 3.2, 3.0, 2.4, 2.4, 2.8, 3.6, 5.5, 7.5, 8.0,
  6.5, 3.8, 1.2,
];
const WEEKDAY_WEIGHTS = [1.0, 0.95, 0.95, 1.0, 1.05, 1.45, 1.6]; // Monday … Sunday
const HOUR_TABLE = lookupTable(HOUR_WEIGHTS, 240);
const DAY_TABLE = lookupTable(WEEKDAY_WEIGHTS, 100);
/** The same week as `ts`, at a weekday and hour drawn from the weekly pattern (local time). */
const season = (ts, r1, r2, r3) =>
  `((date_trunc('week', (${ts}) AT TIME ZONE ${VN})
     + ${pickSql(intArray(DAY_TABLE), DAY_TABLE.length, r1)} * interval '1 day'
     + ${pickSql(intArray(HOUR_TABLE), HOUR_TABLE.length, r2)} * interval '1 hour'
     + (${r3}) * interval '1 hour') AT TIME ZONE ${VN})`;
/** Growth over time: a fraction of the period whose density rises linearly from 0.35 to 1.35. */
const growthSql = (r) => `(sqrt(0.1225 + 1.7 * (${r})) - 0.35)`;
const growth = (r) => Math.sqrt(0.1225 + 1.7 * r) - 0.35;

// ---------------------------------------------------------------------------------------------
// Names

const FAMILY_KINH = 'Nguyễn Trần Lê Phạm Hoàng Vũ Đỗ Bùi Đặng Ngô Dương Lý Hà Nông Lương Đinh'.split(' ');
const FAMILY_HIGHLAND = 'Sùng Giàng Vàng Thào Lù Hầu Mùa Lò Tráng Má Lồ Chảo Tẩn Phàn Lục Sần Hờ Cư'.split(
  ' ',
);
const MIDDLE_MALE = 'Văn Văn Đức A Seo Minh Quang Xuân Mí Văn'.split(' ');
const MIDDLE_FEMALE = 'Thị Thị Thị Thu Ngọc Thị Mai Thị'.split(' ');
const GIVEN_MALE =
  'Páo Chứ Dìn Sử Lềnh Tủa Pả Chư Hùng Dũng Tuấn Nam Long Thắng Hải Quân Phong Sơn Trung Hiếu Khánh Việt Cường Tùng Lâm Minh'.split(
    ' ',
  );
const GIVEN_FEMALE =
  'Mỷ Dợ Súa Mai Hoa Lan Hương Mây Sinh Pằng Dung Thảo Trang Linh Nga Hằng Yến Vân Ngọc Phương Chi Mỵ Xuân Hiền'.split(
    ' ',
  );
const FAMILY_ALL = [...FAMILY_KINH, ...FAMILY_HIGHLAND];
const personName = () => {
  const female = rnd() < 0.5;
  return [
    pickOne(rnd() < 0.5 ? FAMILY_KINH : FAMILY_HIGHLAND),
    pickOne(female ? MIDDLE_FEMALE : MIDDLE_MALE),
    pickOne(female ? GIVEN_FEMALE : GIVEN_MALE),
  ].join(' ');
};

// The 99 commune-level units of Lào Cai after the 2025 merger: 10 wards, 89 communes. The seed has 14.
const NEW_WARDS = 'Nam Cường, Văn Phú, Nghĩa Lộ, Trung Tâm, Cầu Thia, Âu Lâu'.split(', ');
const NEW_COMMUNES =
  'Y Tý, A Mú Sung, Trịnh Tường, Cốc San, Bản Xèo, Mường Hum, Dền Sáng, Bản Lầu, Pha Long, Cao Sơn, Lùng Phình, Bản Mế, Sín Chéng, Bắc Hà, Lùng Cải, Tả Củ Tỷ, Bảo Nhai, Cốc Lầu, Phong Hải, Xuân Quang, Tằng Loỏng, Gia Phú, Xuân Hòa, Phúc Khánh, Bảo Hà, Thượng Hà, Nghĩa Đô, Văn Bàn, Khánh Yên, Dương Quỳ, Chiềng Ken, Võ Lao, Minh Lương, Nậm Chày, Nậm Xé, Tả Van, Tả Phìn, Bản Hồ, Ngũ Chỉ Sơn, Mường Bo, Mù Cang Chải, Khao Mang, Púng Luông, Lao Chải, Chế Tạo, Nậm Có, Trạm Tấu, Hạnh Phúc, Phình Hồ, Tú Lệ, Gia Hội, Sơn Lương, Liên Sơn, Văn Chấn, Thượng Bằng La, Chấn Thịnh, Nghĩa Tâm, Cát Thịnh, Phong Dụ Hạ, Lâm Thượng, Khánh Hòa, Mường Lai, Lục Yên, Tân Lĩnh, Phúc Lợi, Yên Bình, Cảm Nhân, Thác Bà, Bảo Ái, Yên Thành, Trấn Yên, Hưng Khánh, Việt Hồng, Quy Mông, Châu Quế, Đông Cuông, Phong Dụ Thượng, Mậu A, Xuân Ái, Tân Hợp, Nậm Lúc, Bảo Yên, Xuân Thượng, Tân Tiến, Đông Lương, Minh Tiến, Mỏ Vàng, Nậm Tha, Cốc Ly'.split(
    ', ',
  );
/** Former district towns: busier than the upland communes. */
const TOWNS = new Set(
  'Bắc Hà, Bảo Yên, Văn Bàn, Mù Cang Chải, Trạm Tấu, Lục Yên, Yên Bình, Văn Chấn, Trấn Yên, Bát Xát, Mường Khương, Si Ma Cai, Bảo Thắng, Khánh Yên'.split(
    ', ',
  ),
);
const VILLAGE_FIRST =
  'Nậm Khe Làng Na Pa Bản Tả Sín Lao Phìn Séo Cốc Mường Cán Hồ Ngải Suối Tân Đồng Nà Pác Lùng Hoàng Trung Chu Ma Sa Lử Thào Khuổi'.split(
    ' ',
  );
const VILLAGE_SECOND =
  'Chải Thàng Hồ Chồ Ngài Sán Pá Mòn Lìn Giàng Tủng Phủng Cang Mé Lầu Ván Tiềm Hạ Thượng Mới Sài Ngần Bó Khiềm Lò Xá Pao Dền Phố Tàng'.split(
    ' ',
  );

// What mentors log (MENTORING_TASKS of the certification module) and what they note.
const MENTORING_TASKS = [
  'vneid-level-2',
  'online-bill-payment',
  'cashless-payment',
  'public-service-online',
  'online-selling',
  'scam-awareness',
  'smartphone-basics',
  'other',
];
const MENTORING_NOTES = [
  'Hướng dẫn kích hoạt tài khoản định danh mức 2.',
  'Cài ứng dụng ngân hàng, chuyển thử 10.000 đồng.',
  'Trả tiền điện tháng này qua điện thoại.',
  'Nộp hồ sơ đăng ký khai sinh trên VNeID.',
  'Đăng bán mật ong lên sàn thương mại điện tử.',
  'Nhắc cả nhà không bấm vào đường link lạ.',
  'Phóng to chữ, tăng âm lượng cho bà.',
  'Tạo nhóm Zalo của xóm.',
];

// Generated courses: the 19 seeded courses as templates, each in up to 16 variants.
const VARIANTS = [
  ['cơ bản', 'yooj ntsiab', 'co-ban'],
  ['nâng cao', 'siab dua', 'nang-cao'],
  ['thực hành', 'xyaum ua', 'thuc-hanh'],
  ['cho người mới bắt đầu', 'rau cov tshiab pib', 'nguoi-moi'],
  ['ôn tập', 'rov kawm dua', 'on-tap'],
  ['tại nhà văn hóa thôn', 'hauv tsev kab lis kev cai', 'nha-van-hoa'],
  ['qua Zalo', 'ntawm Zalo', 'qua-zalo'],
  ['học nhóm', 'kawm ua pab pawg', 'hoc-nhom'],
  ['tình huống thường gặp', 'tej yam feem ntau ntsib', 'tinh-huong'],
  ['cho phụ nữ', 'rau cov poj niam', 'cho-phu-nu'],
  ['cho thanh niên', 'rau cov hluas', 'cho-thanh-nien'],
  ['hỏi đáp', 'nug thiab teb', 'hoi-dap'],
  ['từng bước', 'ib kauj ruam zuj zus', 'tung-buoc'],
  ['cho tổ công nghệ số cộng đồng', 'rau pab pawg thev naus laus zis', 'to-cong-nghe-so'],
  ['cấp xã', 'theem zos', 'cap-xa'],
  ['mở rộng', 'nthuav dav', 'mo-rong'],
];
const KIND = { video: 1, guide: 2, quiz: 3 };
const GUIDE_STEP_SECONDS = 25;
const HEARTBEAT_SECONDS = 15;

// Mobile prefixes (the national number's first two digits); each is checked with the platform's
// own phone parser before use.
const PHONE_PREFIXES =
  '32 33 34 35 36 37 38 39 86 96 97 98 81 82 83 84 85 88 91 94 70 76 77 78 79 89 90 93 56 58 92 59 99'.split(
    ' ',
  );

// ---------------------------------------------------------------------------------------------
// Database sessions

const SESSION_SETTINGS = [
  // Foreign-key and guard triggers do not fire: the generator guarantees integrity by construction.
  'SET session_replication_role = replica',
  'SET synchronous_commit = off',
  "SET work_mem = '512MB'",
  "SET maintenance_work_mem = '1GB'",
  // Two sessions already keep both cores busy.
  'SET max_parallel_maintenance_workers = 0',
  'SET max_parallel_workers_per_gather = 0',
  'SET statement_timeout = 0',
  'SET lock_timeout = 0',
  'SET idle_in_transaction_session_timeout = 0',
  'SET jit = off',
  // Memoize nodes over LATERAL steps only cost here: every row is different.
  'SET enable_memoize = off',
];

async function connect(url = DATABASE_URL) {
  const client = new pg.Client({ connectionString: url, application_name: 'banso-scale' });
  await client.connect();
  // SCALE_SQL_LOG=<file>: every statement, for EXPLAIN ANALYZE by hand.
  if (process.env.SCALE_SQL_LOG) {
    const query = client.query.bind(client);
    client.query = (sql, ...rest) => {
      appendFileSync(process.env.SCALE_SQL_LOG, `${typeof sql === 'string' ? sql : sql.text};\n\n`);
      return query(sql, ...rest);
    };
  }
  for (const s of SESSION_SETTINGS) await client.query(s);
  // SCALE_AUTO_EXPLAIN=<ms>: plans of slower statements, with timings, into the server's log.
  if (process.env.SCALE_AUTO_EXPLAIN) {
    await client.query(`LOAD 'auto_explain'`);
    await client.query(`SET auto_explain.log_min_duration = ${Number(process.env.SCALE_AUTO_EXPLAIN)}`);
    await client.query('SET auto_explain.log_analyze = on');
  }
  return client;
}

/** Two sessions: `both` runs one statement per worker (w = 0, 1); `pool` drains a task list. */
class Sessions {
  constructor(a, b) {
    this.list = [a, b];
  }
  get main() {
    return this.list[0];
  }
  /** Runs fn(session, w) in both sessions (w = 0, 1); logs the time taken under `label`. */
  async both(label, fn) {
    const t = performance.now();
    const result = await Promise.all(this.list.map((c, w) => fn(c, w)));
    log(`  ${label}: ${secs(performance.now() - t)} s`);
    return result;
  }
  async pool(tasks) {
    const queue = [...tasks];
    const results = [];
    await Promise.all(
      this.list.map(async (c) => {
        while (queue.length > 0) {
          const task = queue.shift();
          results.push(await task(c));
        }
      }),
    );
    return results;
  }
  async end() {
    await Promise.all(this.list.map((c) => c.end().catch(() => undefined)));
  }
}

const rowsOf = async (c, sql, params) => (await c.query(sql, params)).rows;
/** Statistics right after a load: without them the planner takes a fresh table for a few rows
 * and joins it by nested loops, which at a million rows never ends. */
const analyze = (c, ...tables) => c.query(`ANALYZE ${tables.join(', ')}`);
const oneOf = async (c, sql, params) => (await c.query(sql, params)).rows[0];
const countOf = async (c, sql, params) => Number((await c.query(sql, params)).rows[0].n);

function runNode(args, env) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`node ${args.join(' ')} exited with ${code}`)),
    );
  });
}

async function freshDatabase() {
  const target = new URL(DATABASE_URL);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`Unexpected database name "${name}"`);
  const maintenance = new URL(DATABASE_URL);
  maintenance.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: maintenance.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${ident(name)}`);
  await admin.end();
  // A build in progress empties dist/ for a while: wait for it (up to 3 minutes).
  const needed = ['dist/src/infrastructure/database/typeorm-cli.js', 'dist/seeds/run-seeds.js'];
  for (let waited = 0; needed.some((f) => !existsSync(join(ROOT, f))); waited += 5) {
    if (waited >= 180) throw new Error(`${needed.join(' or ')} is missing: build first (npm run build)`);
    if (waited === 0) log('dist/ is incomplete (a build in progress?): waiting');
    await new Promise((r) => setTimeout(r, 5000));
  }
  await new Promise((r) => setTimeout(r, 1000));
  // Without S3_ENDPOINT the seed starts its own s3rver under DATA_DIR for the seed lessons' subtitles.
  const dataDir = process.env.DATA_DIR ?? join(tmpdir(), 'banso-scale-data');
  mkdirSync(dataDir, { recursive: true });
  const env = { ...process.env, DATABASE_URL, DATA_DIR: dataDir };
  await runNode(['dist/src/infrastructure/database/typeorm-cli.js', 'run'], env);
  await runNode(['dist/seeds/run-seeds.js', '--without-videos'], env);
  log(`seeded (DATA_DIR ${dataDir} holds the seed's subtitle files when no S3_ENDPOINT is set)`);
}

async function passwordHash() {
  const hasher = join(ROOT, 'dist/src/modules/identity/password-hasher.js');
  if (existsSync(hasher)) return (await import(pathToFileURL(hasher).href)).hashPassword(PASSWORD);
  // The same options as src/modules/identity/password-hasher.ts.
  const argon2 = (await import('argon2')).default;
  return argon2.hash(PASSWORD.normalize('NFC'), {
    type: argon2.argon2id,
    memoryCost: 19_456,
    timeCost: 2,
    parallelism: 1,
  });
}

async function validPhonePrefixes() {
  const parser = join(ROOT, 'dist/src/modules/identity/phone-number.js');
  if (!existsSync(parser)) return PHONE_PREFIXES.filter((p) => !['92', '56', '58', '59', '99'].includes(p));
  const { normalizeVietnamesePhone } = await import(pathToFileURL(parser).href);
  const check = mulberry32(7);
  return PHONE_PREFIXES.filter((p) => {
    for (let i = 0; i < 400; i++) {
      const n = `+84${p}${String(Math.floor(check() * 1e7)).padStart(7, '0')}`;
      if (normalizeVietnamesePhone(n) !== n) return false;
    }
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Indexes: dropped before a big load, rebuilt after (in parallel). Definitions are kept in
// scale_gen.dropped_index, so an interrupted run restores them the next time.

async function dropIndexes(c, table) {
  const rows = await rowsOf(
    c,
    `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS indexdef, con.conname, con.contype,
            con.condeferrable, con.condeferred
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                                  AND con.contype IN ('p', 'u')
      WHERE i.indrelid = $1::regclass
        AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid)`,
    [table],
  );
  for (const r of rows) {
    await c.query(
      `INSERT INTO scale_gen.dropped_index (tbl, name, indexdef, conname, contype, is_deferrable, is_deferred)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [table, r.name, r.indexdef, r.conname, r.contype, r.condeferrable, r.condeferred],
    );
    if (r.conname) await c.query(`ALTER TABLE ${table} DROP CONSTRAINT ${ident(r.conname)}`);
    else await c.query(`DROP INDEX ${ident(r.name)}`);
  }
  return rows.length;
}

/** Tasks that rebuild the dropped indexes of `tables` (all tables if none given). */
async function restoreIndexTasks(c, tables) {
  const rows = await rowsOf(
    c,
    `SELECT * FROM scale_gen.dropped_index WHERE $1::text[] IS NULL OR tbl = ANY ($1) ORDER BY tbl, name`,
    [tables ?? null],
  );
  return rows.map((r) => async (s) => {
    const t = performance.now();
    await s.query(r.indexdef);
    if (r.conname) {
      const kind = r.contype === 'p' ? 'PRIMARY KEY' : 'UNIQUE';
      const deferral = r.is_deferrable
        ? ` DEFERRABLE INITIALLY ${r.is_deferred ? 'DEFERRED' : 'IMMEDIATE'}`
        : '';
      await s.query(
        `ALTER TABLE ${r.tbl} ADD CONSTRAINT ${ident(r.conname)} ${kind} USING INDEX ${ident(r.name)}${deferral}`,
      );
    }
    await s.query(`DELETE FROM scale_gen.dropped_index WHERE tbl = $1 AND name = $2`, [r.tbl, r.name]);
    log(`  index ${r.name} rebuilt in ${secs(performance.now() - t)} s`);
  });
}

// ---------------------------------------------------------------------------------------------
// generate

async function generate() {
  if (opts.fresh) await phase('fresh database: migrations and reference seed', freshDatabase);
  const S = new Sessions(await connect(), await connect());
  const c = S.main;
  const { rolsuper } = await oneOf(c, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`);
  if (!rolsuper) throw new Error('The generator needs a superuser (session_replication_role = replica).');

  await c.query(`CREATE SCHEMA IF NOT EXISTS scale_gen`);
  await c.query(`CREATE TABLE IF NOT EXISTS scale_gen.dropped_index (
      tbl text, name text, indexdef text, conname text, contype text, is_deferrable boolean, is_deferred boolean)`);
  const leftover = await restoreIndexTasks(c);
  if (leftover.length > 0) {
    log(`restoring ${leftover.length} index(es) an interrupted run left dropped`);
    await S.pool(leftover);
  }
  if (await oneOf(c, `SELECT 1 AS x FROM users WHERE email LIKE $1 LIMIT 1`, [`%@${STAFF_DOMAIN}`])) {
    throw new Error('This database already holds generated data: use --fresh (drops and recreates it).');
  }
  // Staging tables of an earlier, interrupted run.
  for (const { name } of await rowsOf(
    c,
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'scale_gen' AND tablename <> 'dropped_index'`,
  ))
    await c.query(`DROP TABLE scale_gen.${ident(name)}`);

  const { now } = await oneOf(c, `SELECT date_trunc('minute', now()) AS now`);
  const NOW = new Date(now);
  const T0 = new Date(NOW.getTime() - 730 * DAY);
  const NOWSQL = `'${NOW.toISOString()}'::timestamptz`;
  const T0SQL = `'${T0.toISOString()}'::timestamptz`;
  log(`scale ${SCALE}: ${JSON.stringify(COUNTS)}; history ${T0.toISOString()} … ${NOW.toISOString()}`);

  const hash = await passwordHash();
  const prefixes = await validPhonePrefixes();
  if (prefixes.length < 10) throw new Error(`Only ${prefixes.length} valid phone prefixes`);

  // Reference data from the seed.
  const province = await oneOf(c, `SELECT id, path FROM localities WHERE level = 'province' AND code = '15'`);
  if (!province)
    throw new Error('The Lào Cai province (code 15) is missing: seed the database first (or --fresh).');
  const groups = await rowsOf(c, `SELECT id, code FROM learner_groups`);
  const GROUP_CODES = ['elderly', 'pupils', 'officials', 'small-sellers'];
  const groupIds = GROUP_CODES.map((code) => {
    const g = groups.find((x) => x.code === code);
    if (!g) throw new Error(`learner group ${code} is missing: seed the database first`);
    return g.id;
  });
  const programme = await oneOf(
    c,
    `SELECT * FROM certification_programmes WHERE active ORDER BY (code = 'nguoi-ban-so-lao-cai') DESC, created_at LIMIT 1`,
  );
  const partitioned =
    (await oneOf(c, `SELECT relkind FROM pg_class WHERE oid = 'progress_events'::regclass`)).relkind === 'p';
  const hasActiveOn = !!(await oneOf(
    c,
    `SELECT 1 AS x FROM information_schema.columns WHERE table_name = 'enrolments' AND column_name = 'active_on'`,
  ));

  const ctx = {
    S,
    c,
    NOW,
    T0,
    NOWSQL,
    T0SQL,
    hash,
    prefixes,
    province,
    groupIds,
    programme,
    partitioned,
    hasActiveOn,
  };
  await phase('localities', () => localities(ctx));
  await phase('staff users', () => staff(ctx));
  await phase('learners', () => learners(ctx));
  await phase('courses, lessons, media', () => courses(ctx));
  await phase('ambassador candidates', () => mentors(ctx));
  await phase('enrolment plan', () => enrolmentPlan(ctx));
  await phase('lesson plan', () => lessonPlan(ctx));
  await phase('lesson_progress', () => lessonProgress(ctx));
  await phase('enrolments and course_completions', () => enrolments(ctx));
  await phase('certification: mentoring, applications, certificates', () => certification(ctx));
  await phase('reporting_daily_activity', () => dailyActivity(ctx));
  await phase('progress_events', () => progressEvents(ctx));
  await phase('vacuum / analyze', () => vacuumAnalyze(ctx));
  if (!opts['keep-staging']) await c.query(`DROP SCHEMA scale_gen CASCADE`);
  await report(ctx);
  await S.end();
}

// ---------------------------------------------------------------------------------------------
// Localities: the rest of the 99 communes and wards, ~2,900 villages in all

async function localities(ctx) {
  const { c, province, T0 } = ctx;
  const existing = await rowsOf(
    c,
    `SELECT id, code, kind, name, path FROM localities WHERE parent_id = $1 AND level = 'commune' ORDER BY code`,
    [province.id],
  );
  const existingVillages = await rowsOf(
    c,
    `SELECT v.id, v.path, v.parent_id FROM localities v JOIN localities p ON p.id = v.parent_id
      WHERE p.parent_id = $1 AND v.level = 'village' ORDER BY v.code`,
    [province.id],
  );
  const codes = new Set((await rowsOf(c, `SELECT code FROM localities`)).map((r) => r.code));
  const names = new Set(existing.map((r) => r.name));
  const wardsThere = existing.filter((r) => r.kind === 'phường').length;
  const newWards = NEW_WARDS.filter((n) => !names.has(n)).slice(0, Math.max(0, 10 - wardsThere));
  const communesWanted = Math.max(0, COUNTS.communes - existing.length - newWards.length);
  const newCommunes = NEW_COMMUNES.filter((n) => !names.has(n)).slice(0, communesWanted);
  while (newCommunes.length < communesWanted) newCommunes.push(`Xã mới ${newCommunes.length + 1}`);

  const created = new Date(T0.getTime() - 60 * DAY).toISOString();
  const rows = [];
  const communes = existing.map((r) => ({ ...r, urban: r.kind === 'phường', town: TOWNS.has(r.name) }));
  let next = 90001;
  const newCode = () => {
    while (codes.has(String(next))) next++;
    codes.add(String(next));
    return String(next++);
  };
  const fresh = [
    ...newWards.map((name) => ({ name, kind: 'phường', urban: true })),
    ...newCommunes.map((name) => ({ name, kind: 'xã', urban: false })),
  ];
  const villagesWanted = Math.max(fresh.length * 12, COUNTS.villages - existingVillages.length);
  // 12–60 villages per new commune, scaled to the total wanted.
  const raw = fresh.map(() => 12 + Math.floor(rnd() * 49));
  const spare = villagesWanted - fresh.length * 12;
  const rawSpare = raw.reduce((a, b) => a + b - 12, 0);
  const villageCounts = raw.map((n) => 12 + Math.round(((n - 12) * spare) / rawSpare));
  const villages = existingVillages.map((v) => ({ id: v.id, path: v.path, communeId: v.parent_id }));
  fresh.forEach((f, i) => {
    const id = randomUUID();
    const code = newCode();
    const path = `${province.path}${id}/`;
    rows.push({ id, code, level: 'commune', kind: f.kind, name: f.name, parent_id: province.id, path });
    communes.push({ id, code, kind: f.kind, name: f.name, path, urban: f.urban, town: TOWNS.has(f.name) });
    const highland = rnd() < 0.5;
    const used = new Set();
    for (let k = 1; k <= villageCounts[i]; k++) {
      const vid = randomUUID();
      let name;
      let kind;
      if (f.urban) {
        kind = 'tổ dân phố';
        name = String(k);
      } else {
        kind = (highland ? rnd() < 0.8 : rnd() < 0.2) ? 'bản' : 'thôn';
        do {
          name = `${pickOne(VILLAGE_FIRST)} ${pickOne(VILLAGE_SECOND)}`;
          if (used.has(name)) name = `${name} ${1 + Math.floor(rnd() * 3)}`;
        } while (used.has(name));
        used.add(name);
      }
      const vpath = `${path}${vid}/`;
      rows.push({
        id: vid,
        code: `${code}-${String(k).padStart(3, '0')}`,
        level: 'village',
        kind,
        name,
        parent_id: id,
        path: vpath,
      });
      villages.push({ id: vid, path: vpath, communeId: id });
    }
  });
  await c.query(
    `INSERT INTO localities (id, code, level, kind, name, parent_id, path, created_at, updated_at)
     SELECT r.id, r.code, r.level, r.kind, normalize(r.name, NFC), r.parent_id, r.path, $2, $2
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, code text, level text, kind text, name text, parent_id uuid, path text)`,
    [JSON.stringify(rows), created],
  );
  // The seed's localities existed before the programme started too.
  await c.query(`UPDATE localities SET created_at = $1, updated_at = $1 WHERE created_at > $1`, [created]);

  // Learners per village: wards and former district towns are bigger; villages vary ±.
  const byCommune = new Map(communes.map((x, i) => [x.id, { ...x, idx: i + 1 }]));
  const weights = villages.map((v) => {
    const cm = byCommune.get(v.communeId);
    const base = cm.urban ? 2.4 : cm.town ? 1.5 : 1;
    const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    return base * Math.exp(0.55 * z);
  });
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / total) * COUNTS.learners);
  const counts = exact.map(Math.floor);
  let left = COUNTS.learners - counts.reduce((a, b) => a + b, 0);
  exact
    .map((x, i) => [x - Math.floor(x), i])
    .sort((a, b) => b[0] - a[0])
    .slice(0, left)
    .forEach(([, i]) => counts[i]++);
  let first = 1;
  const villageRows = villages.map((v, i) => {
    const cm = byCommune.get(v.communeId);
    const row = {
      idx: i + 1,
      id: v.id,
      path: v.path,
      commune_idx: cm.idx,
      commune_id: cm.id,
      first: first,
      n: counts[i],
      urban: cm.urban,
    };
    first += counts[i];
    return row;
  });
  await c.query(
    `CREATE UNLOGGED TABLE scale_gen.commune (idx int PRIMARY KEY, id uuid, code text, name text, path text, urban boolean, coordinator_id uuid)`,
  );
  await c.query(
    `INSERT INTO scale_gen.commune (idx, id, code, name, path, urban)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(idx int, id uuid, code text, name text, path text, urban boolean)`,
    [
      JSON.stringify(
        communes.map((x, i) => ({
          idx: i + 1,
          id: x.id,
          code: x.code,
          name: x.name,
          path: x.path,
          urban: x.urban,
        })),
      ),
    ],
  );
  await c.query(
    `CREATE UNLOGGED TABLE scale_gen.village (idx int PRIMARY KEY, id uuid, path text, commune_idx int, commune_id uuid, first int, n int, urban boolean)`,
  );
  await c.query(
    `INSERT INTO scale_gen.village SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS r(idx int, id uuid, path text, commune_idx int, commune_id uuid, first int, n int, urban boolean)`,
    [JSON.stringify(villageRows)],
  );
  await analyze(c, 'localities', 'scale_gen.commune', 'scale_gen.village');
  log(`  ${communes.length} communes and wards, ${villages.length} villages (${rows.length} new localities)`);
}

// ---------------------------------------------------------------------------------------------
// Staff: admins, a coordinator per commune and one for the province, trainers

async function staff(ctx) {
  const { c, T0, hash, province } = ctx;
  const created = new Date(T0.getTime() - 45 * DAY).toISOString();
  const communes = await rowsOf(c, `SELECT idx, id, code, name FROM scale_gen.commune ORDER BY idx`);
  const users = [];
  const roles = [];
  const admin1 = randomUUID();
  const add = (email, name, role, locality = null) => {
    const id = users.length === 0 ? admin1 : randomUUID();
    users.push({ id, email, display_name: name });
    roles.push({ user_id: id, role, locality_id: locality, granted_by: id === admin1 ? null : admin1 });
    return id;
  };
  add(`quan-tri-1@${STAFF_DOMAIN}`, personName(), 'admin');
  add(`quan-tri-2@${STAFF_DOMAIN}`, personName(), 'admin');
  add(`dieu-phoi-tinh@${STAFF_DOMAIN}`, personName(), 'coordinator', province.id);
  for (const cm of communes) {
    const id = add(`dieu-phoi-${cm.code}@${STAFF_DOMAIN}`, personName(), 'coordinator', cm.id);
    await c.query(`UPDATE scale_gen.commune SET coordinator_id = $1 WHERE idx = $2`, [id, cm.idx]);
  }
  const trainers = [];
  for (let i = 1; i <= COUNTS.trainers; i++)
    trainers.push(add(`giang-vien-${i}@${STAFF_DOMAIN}`, personName(), 'trainer'));
  await c.query(
    `INSERT INTO users (id, email, display_name, password_hash, languages, created_at, updated_at)
     SELECT r.id, r.email, normalize(r.display_name, NFC), $2, '{vi}', $3, $3
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, email text, display_name text)`,
    [JSON.stringify(users), hash, created],
  );
  await c.query(
    `INSERT INTO user_roles (user_id, role, locality_id, granted_by, created_at)
     SELECT r.user_id, r.role, r.locality_id, r.granted_by, $2
       FROM jsonb_to_recordset($1::jsonb) AS r(user_id uuid, role text, locality_id uuid, granted_by uuid)`,
    [JSON.stringify(roles), created],
  );
  await c.query(`CREATE UNLOGGED TABLE scale_gen.trainer (idx int PRIMARY KEY, id uuid)`);
  await c.query(
    `INSERT INTO scale_gen.trainer SELECT i, t FROM unnest($1::uuid[]) WITH ORDINALITY AS x(t, i)`,
    [trainers],
  );
  await analyze(c, 'scale_gen.trainer', 'scale_gen.commune');
  ctx.trainers = trainers;
  ctx.admin = admin1;
  log(`  ${users.length} staff users (password "${PASSWORD}")`);
}

// ---------------------------------------------------------------------------------------------
// Learners: users with the learner role, over villages and the four groups

async function learners(ctx) {
  const { S, NOWSQL, T0SQL, hash, prefixes, groupIds } = ctx;
  const P = prefixes.length;
  await S.main.query(`CREATE UNLOGGED TABLE scale_gen.learner (
      idx int, id uuid, village_idx int, grp smallint, lang1 text, langs text[], created_at timestamptz, name text, phone text)`);
  const span = `(${NOWSQL} - interval '2 days' - ${T0SQL})`;
  await S.both('learner staging', (s, w) =>
    s.query(`
      INSERT INTO scale_gen.learner
      SELECT i, gen_random_uuid(), v.idx, g.grp, g.lang1,
             CASE WHEN g.lang1 = 'vi' THEN '{vi}'::text[] ELSE ARRAY[g.lang1, 'vi'] END,
             least(greatest(${season(`${T0SQL} + ${growthSql('r.t')} * ${span}`, 'r.s1', 'r.s2', 'r.s3')}, ${T0SQL}),
                   ${NOWSQL} - interval '2 days'),
             concat_ws(' ',
               CASE WHEN (g.lang1 <> 'vi' AND r.f < 0.85) OR (g.lang1 = 'vi' AND r.f < 0.2)
                    THEN ${pickSql(textArray(FAMILY_HIGHLAND), FAMILY_HIGHLAND.length, 'r.f2')}
                    ELSE ${pickSql(textArray(FAMILY_KINH), FAMILY_KINH.length, 'r.f2')} END,
               CASE WHEN r.sex < 0.5 THEN ${pickSql(textArray(MIDDLE_FEMALE), MIDDLE_FEMALE.length, 'r.m')}
                    ELSE ${pickSql(textArray(MIDDLE_MALE), MIDDLE_MALE.length, 'r.m')} END,
               CASE WHEN r.sex < 0.5 THEN ${pickSql(textArray(GIVEN_FEMALE), GIVEN_FEMALE.length, 'r.gv')}
                    ELSE ${pickSql(textArray(GIVEN_MALE), GIVEN_MALE.length, 'r.gv')} END),
             '+84' || (${textArray(prefixes)})[1 + (i % ${P})]
                   || lpad((((i / ${P})::bigint * 7919 + 1234567) % 10000000)::text, 7, '0')
        FROM scale_gen.village v
        CROSS JOIN LATERAL generate_series(v.first, v.first + v.n - 1) i
        CROSS JOIN LATERAL (SELECT random() + 0 * i AS grp_r, random() AS lang_r, random() AS t, random() AS s1,
                                   random() AS s2, random() AS s3, random() AS f, random() AS f2, random() AS m,
                                   random() AS gv, random() AS sex) r
        CROSS JOIN LATERAL (SELECT
             CASE WHEN v.urban THEN (CASE WHEN r.grp_r < 0.22 THEN 1 WHEN r.grp_r < 0.47 THEN 2 WHEN r.grp_r < 0.72 THEN 3 ELSE 4 END)
                  ELSE (CASE WHEN r.grp_r < 0.32 THEN 1 WHEN r.grp_r < 0.57 THEN 2 WHEN r.grp_r < 0.69 THEN 3 ELSE 4 END)
             END::smallint AS grp,
             CASE WHEN v.urban THEN (CASE WHEN r.lang_r < 0.90 THEN 'vi' WHEN r.lang_r < 0.96 THEN 'hmn' WHEN r.lang_r < 0.98 THEN 'tyz' ELSE 'ium' END)
                  ELSE (CASE WHEN r.lang_r < 0.58 THEN 'vi' WHEN r.lang_r < 0.86 THEN 'hmn' WHEN r.lang_r < 0.93 THEN 'tyz' ELSE 'ium' END)
             END AS lang1 OFFSET 0) g
       WHERE v.idx % 2 = ${w}`),
  );
  await S.main.query(`CREATE INDEX ON scale_gen.learner (idx)`);
  await analyze(S.main, 'scale_gen.learner');
  const dropped = (await dropIndexes(S.main, 'users')) + (await dropIndexes(S.main, 'user_roles'));
  await S.both('users', (s, w) =>
    s.query(
      `INSERT INTO users (id, phone, email, display_name, password_hash, learner_group_id, languages, village_id,
                          created_at, updated_at)
       SELECT l.id, l.phone, NULL, l.name, $1, ($2::uuid[])[l.grp], l.langs, v.id, l.created_at, l.created_at
         FROM scale_gen.learner l JOIN scale_gen.village v ON v.idx = l.village_idx
        WHERE l.idx % 2 = ${w}`,
      [hash, groupIds],
    ),
  );
  await S.both('user_roles', (s, w) =>
    s.query(`
      INSERT INTO user_roles (id, user_id, role, locality_id, granted_by, created_at)
      SELECT gen_random_uuid(), l.id, 'learner', NULL, NULL, l.created_at FROM scale_gen.learner l WHERE l.idx % 2 = ${w}`),
  );
  log(`  ${COUNTS.learners} learners; rebuilding ${dropped} index(es) of users and user_roles`);
  await S.pool(await restoreIndexTasks(S.main, ['users', 'user_roles']));
  await S.pool([(s) => analyze(s, 'users'), (s) => analyze(s, 'user_roles')]);
}

// ---------------------------------------------------------------------------------------------
// Courses: 300 generated from the seeded ones (content copied with fresh ids), ready media assets

const seedCaptionSeconds = () => {
  const dir = join(ROOT, 'seeds/data/courses');
  const out = new Map();
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const course = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    course.lessons.forEach((l, i) => {
      if (l.captions?.length) out.set(`${course.slug}/${i + 1}`, Math.max(...l.captions.map((x) => x.end)));
    });
  }
  return out;
};

function freshContent(kind, content, assetId) {
  if (kind === 'guide') return { steps: content.steps.map((s) => ({ ...s, id: randomUUID() })) };
  if (kind === 'quiz') {
    return {
      ...content,
      questions: content.questions.map((q) => ({
        ...q,
        id: randomUUID(),
        ...(q.options && { options: q.options.map((o) => ({ ...o, id: randomUUID() })) }),
        ...(q.items && { items: q.items.map((it) => ({ ...it, id: randomUUID() })) }),
      })),
    };
  }
  return { media: { vi: assetId } };
}

/** A quiz's attempts with c = 0 … n right answers (the first c questions), graded like quiz-grading.ts. */
function quizAttempts(content) {
  const qs = content.questions ?? [];
  const passMark = content.passMark ?? 0;
  const answer = (q, right) => {
    if (q.type === 'single')
      return { questionId: q.id, optionIds: [q.options.find((o) => (right ? o.correct : !o.correct)).id] };
    if (q.type === 'multiple')
      return {
        questionId: q.id,
        optionIds: right
          ? q.options.filter((o) => o.correct).map((o) => o.id)
          : [q.options.find((o) => !o.correct).id],
      };
    if (q.type === 'true_false') return { questionId: q.id, answer: right ? q.answer : !q.answer };
    const order = q.items.map((it) => it.id);
    return { questionId: q.id, order: right ? order : [...order].reverse() };
  };
  const rows = [];
  for (let cRight = 0; cRight <= qs.length; cRight++) {
    const score = qs.length === 0 ? 0 : Math.round((100 * cRight) / qs.length);
    rows.push({
      c: cRight,
      payload: { answers: qs.map((q, i) => answer(q, i < cRight)) },
      outcome: { score, passed: score >= passMark },
      score,
    });
  }
  const passC = rows.find((r) => r.outcome.passed)?.c ?? qs.length;
  return { rows, passC };
}

async function courses(ctx) {
  const { c, NOW, T0, trainers, programme } = ctx;
  const existing = await rowsOf(
    c,
    `SELECT c.id, c.slug, v.id AS version_id, v.version, v.topic, v.learner_group_ids, v.title, v.summary, v.languages,
            v.published_at
       FROM courses c JOIN course_versions v ON v.id = c.published_version_id
      WHERE c.archived_at IS NULL ORDER BY c.slug`,
  );
  const existingLessons = await rowsOf(
    c,
    `SELECT id, lesson_key, course_version_id, position, kind, required, title, summary, content
       FROM lessons WHERE course_version_id = ANY ($1) ORDER BY course_version_id, position`,
    [existing.map((x) => x.version_id)],
  );
  const media = new Map(
    (
      await rowsOf(
        c,
        `SELECT id, status, duration_seconds FROM media_assets
          WHERE id::text = ANY ($1)`,
        [existingLessons.flatMap((l) => Object.values(l.content.media ?? {}))],
      )
    ).map((m) => [m.id, m]),
  );
  const captions = seedCaptionSeconds();
  const known = existing.filter((course) =>
    existingLessons
      .filter((l) => l.course_version_id === course.version_id)
      .every((l) => KIND[l.kind] && (l.kind !== 'quiz' || l.content.questions?.length)),
  );
  if (known.length === 0)
    throw new Error('No published course to build on: seed the database first (or --fresh).');

  // The seeded courses existed before the history starts (they are the programme's core).
  const seedAt = new Date(T0.getTime() - 40 * DAY);
  const ids = known.map((x) => x.id);
  const versionIds = known.map((x) => x.version_id);
  await c.query(`UPDATE courses SET created_at = $2, updated_at = $2 WHERE id = ANY ($1)`, [ids, seedAt]);
  await c.query(
    `UPDATE course_versions SET created_at = $2, submitted_at = $2::timestamptz + interval '2 days',
            published_at = $2::timestamptz + interval '3 days', updated_at = $2::timestamptz + interval '3 days'
      WHERE id = ANY ($1)`,
    [versionIds, seedAt],
  );
  await c.query(`UPDATE lessons SET created_at = $2, updated_at = $2 WHERE course_version_id = ANY ($1)`, [
    versionIds,
    seedAt,
  ]);
  await c.query(`UPDATE media_assets SET created_at = $2, updated_at = $2 WHERE id::text = ANY ($1)`, [
    existingLessons.flatMap((l) => Object.values(l.content.media ?? {})),
    seedAt,
  ]);
  await c.query(
    `UPDATE users SET created_at = $1, updated_at = $1 WHERE email LIKE '%@banso.local' AND created_at > $1`,
    [new Date(seedAt.getTime() - 5 * DAY)],
  );
  if (programme) {
    await c.query(`UPDATE certification_programmes SET created_at = $2, updated_at = $2 WHERE id = $1`, [
      programme.id,
      new Date(T0.getTime() - 30 * DAY),
    ]);
  }
  const publishedAt = new Map(known.map((x) => [x.id, new Date(seedAt.getTime() + 3 * DAY)]));

  // Ready media assets for the generated video lessons (2½–9 minutes; their files are not stored).
  const assets = [];
  for (let i = 0; i < COUNTS.mediaAssets; i++) {
    const d = round3(150 + rnd() * 390);
    const at = new Date(T0.getTime() - 20 * DAY + i * 3600_000);
    const rungs = [
      ['234p', 416, 234, 15, 145],
      ['360p', 640, 360, 25, 365],
      ['480p', 854, 480, 30, 730],
    ];
    const renditions = rungs.map(([name, width, height, fps, kbps]) => {
      const avg = Math.round(kbps * (0.85 + rnd() * 0.1));
      return {
        name,
        kind: 'video',
        width,
        height,
        fps,
        targetKbps: kbps,
        bytes: Math.round((avg * 1000 * d) / 8),
        durationSeconds: d,
        averageKbps: avg,
        playlist: `${name}/index.m3u8`,
        segments: Math.ceil(d / 4),
      };
    });
    renditions.push({
      name: 'audio',
      kind: 'audio',
      width: null,
      height: null,
      fps: null,
      targetKbps: 48,
      bytes: Math.round((48_000 * d) / 8),
      durationSeconds: d,
      averageKbps: 48,
      playlist: 'audio/index.m3u8',
      segments: Math.ceil(d / 4),
    });
    const sourceBytes = Math.round(d * 250_000);
    assets.push({
      id: randomUUID(),
      owner_id: trainers[i % trainers.length],
      file_name: `bai-giang-${i + 1}.mp4`,
      declared_bytes: sourceBytes,
      source_key: `uploads/video/${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${randomUUID()}.mp4`,
      source_bytes: sourceBytes,
      duration_seconds: d,
      renditions,
      download: { file: 'download.mp4', bytes: Math.round(renditions[0].bytes * 1.03), rendition: '234p' },
      poster: { file: 'poster.jpg', bytes: 15_000 + Math.floor(rnd() * 20_000), width: 640, height: 360 },
      at: at.toISOString(),
    });
  }
  await c.query(
    `INSERT INTO media_assets (id, owner_id, status, file_name, content_type, declared_bytes, source_key, source_bytes,
                               duration_seconds, width, height, renditions, download, poster, processing_runs, attempts,
                               ready_at, created_at, updated_at)
     SELECT r.id, r.owner_id, 'ready', r.file_name, 'video/mp4', r.declared_bytes, r.source_key, r.source_bytes,
            r.duration_seconds, 854, 480, r.renditions, r.download, r.poster, 1, 1,
            r.at + interval '3 minutes', r.at, r.at + interval '3 minutes'
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, owner_id uuid, file_name text, declared_bytes bigint, source_key text,
            source_bytes bigint, duration_seconds numeric, renditions jsonb, download jsonb, poster jsonb, at timestamptz)`,
    [JSON.stringify(assets)],
  );

  // Generated courses.
  const lessonsOf = (course) => existingLessons.filter((l) => l.course_version_id === course.version_id);
  const seedSlugs = new Set(
    readdirSync(join(ROOT, 'seeds/data/courses')).map((f) => f.replace(/\.json$/, '')),
  );
  const templates = known.filter((x) => seedSlugs.has(x.slug));
  const base = templates.length > 0 ? templates : known;
  const taken = new Set((await rowsOf(c, `SELECT slug FROM courses`)).map((r) => r.slug));
  const courseRows = [];
  const versionRows = [];
  const lessonRows = [];
  const span = NOW.getTime() - 10 * DAY - T0.getTime();
  for (let g = 0; g < COUNTS.generatedCourses; g++) {
    const template = base[g % base.length];
    const variant = VARIANTS[Math.floor(g / base.length) % VARIANTS.length];
    const cycle = Math.floor(g / (base.length * VARIANTS.length));
    let slug = `${template.slug}-${variant[2]}${cycle > 0 ? `-${cycle + 1}` : ''}`
      .slice(0, 80)
      .replace(/-+$/, '');
    while (taken.has(slug)) slug = `${slug.slice(0, 74)}-${Math.floor(rnd() * 1e5)}`;
    taken.add(slug);
    const owner = trainers[g % trainers.length];
    const reviewer = trainers[(g + 1) % trainers.length];
    const launch = rnd() < 0.35;
    const created = new Date(T0.getTime() + (launch ? rnd() * 0.08 : growth(rnd())) * span);
    const submitted = new Date(created.getTime() + (1 + rnd()) * DAY);
    const published = new Date(submitted.getTime() + (0.2 + rnd()) * DAY);
    const courseId = randomUUID();
    const versionId = randomUUID();
    const title = { vi: `${template.title.vi} — ${variant[0]}` };
    if (template.title.hmn) title.hmn = `${template.title.hmn} — ${variant[1]}`;
    // 4–8 lessons: a video first, a quiz last, guides and videos between.
    const n = 4 + Math.floor(rnd() * 5);
    const kinds = Array.from({ length: n }, (_, i) =>
      i === 0 ? 'video' : i === n - 1 ? 'quiz' : i % 2 === 1 ? 'guide' : 'video',
    );
    const groupsOf = new Set(template.learner_group_ids);
    const sources = [
      ...lessonsOf(template),
      ...known
        .filter((k) => k !== template && k.learner_group_ids.some((x) => groupsOf.has(x)))
        .flatMap(lessonsOf),
    ];
    const used = new Map();
    const lessons = kinds.map((kind, i) => {
      const pool = sources.filter((l) => l.kind === kind);
      const src = pool[(used.get(kind) ?? 0) % pool.length] ?? existingLessons.find((l) => l.kind === kind);
      used.set(kind, (used.get(kind) ?? 0) + 1);
      const repeat = [...lessonRows.slice(lessonRows.length - i)].filter((l) =>
        l.title.vi.startsWith(src.title.vi),
      ).length;
      const ltitle = { ...src.title };
      if (repeat > 0)
        for (const k of Object.keys(ltitle))
          ltitle[k] = `${ltitle[k]} (${k === 'vi' ? 'phần' : 'ntu'} ${repeat + 1})`;
      const asset = assets[(g * 7 + i) % assets.length];
      const row = {
        id: randomUUID(),
        lesson_key: randomUUID(),
        course_version_id: versionId,
        course_id: courseId,
        position: i + 1,
        kind,
        title: ltitle,
        summary: src.summary,
        content: freshContent(kind, src.content, asset.id),
        duration: kind === 'video' ? asset.duration_seconds : null,
      };
      lessonRows.push(row);
      return row;
    });
    const languages = ['vi', 'hmn', 'ium', 'tyz'].filter((l) => title[l] && lessons.every((x) => x.title[l]));
    const searchText = [title, template.summary, ...lessons.map((l) => l.title)]
      .flatMap((t) => Object.values(t))
      .join(' \n ');
    courseRows.push({
      id: courseId,
      slug,
      owner_id: owner,
      published_version_id: versionId,
      created_at: created,
      updated_at: published,
    });
    versionRows.push({
      id: versionId,
      course_id: courseId,
      topic: template.topic,
      learner_group_ids: template.learner_group_ids,
      title,
      summary: template.summary,
      languages,
      search_text: searchText,
      created_by: owner,
      submitted_by: owner,
      submitted_at: submitted,
      published_by: reviewer,
      published_at: published,
      contributors: [owner],
      created_at: created,
    });
    publishedAt.set(courseId, published);
  }
  await c.query(
    `INSERT INTO courses (id, slug, owner_id, published_version_id, created_at, updated_at)
     SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS r(id uuid, slug text, owner_id uuid, published_version_id uuid, created_at timestamptz, updated_at timestamptz)`,
    [JSON.stringify(courseRows)],
  );
  await c.query(
    `INSERT INTO course_versions (id, course_id, version, status, topic, learner_group_ids, title, summary, languages,
                                  search_text, search_key, created_by, submitted_by, submitted_at, published_by,
                                  published_at, created_at, updated_at, contributors)
     SELECT r.id, r.course_id, 1, 'published', r.topic, r.learner_group_ids, r.title, r.summary, r.languages,
            r.search_text, f_search_key(r.search_text), r.created_by, r.submitted_by, r.submitted_at, r.published_by,
            r.published_at, r.created_at, r.published_at, r.contributors
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, course_id uuid, topic text, learner_group_ids uuid[], title jsonb,
            summary jsonb, languages text[], search_text text, created_by uuid, submitted_by uuid, submitted_at timestamptz,
            published_by uuid, published_at timestamptz, contributors uuid[], created_at timestamptz)`,
    [JSON.stringify(versionRows)],
  );
  // lessons_guard refuses lessons of a published version; the generator's sessions skip triggers.
  await c.query(
    `INSERT INTO lessons (id, course_version_id, lesson_key, position, kind, required, title, summary, content,
                          created_at, updated_at)
     SELECT r.id, r.course_version_id, r.lesson_key, r.position, r.kind, true, r.title, r.summary, r.content,
            v.created_at, v.created_at
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, course_version_id uuid, lesson_key uuid, position int, kind text,
            title jsonb, summary jsonb, content jsonb)
       JOIN course_versions v ON v.id = r.course_version_id`,
    [JSON.stringify(lessonRows)],
  );

  // Staging: courses, lessons and the payloads their events carry.
  const allCourses = [
    ...known.map((k) => ({
      id: k.id,
      version_id: k.version_id,
      version: k.version,
      languages: k.languages,
      title: k.title,
    })),
    ...versionRows.map((v) => ({
      id: v.course_id,
      version_id: v.id,
      version: 1,
      languages: v.languages,
      title: v.title,
    })),
  ];
  const courseIdx = new Map(allCourses.map((x, i) => [x.id, i + 1]));
  const allLessons = [
    ...known.flatMap((k) =>
      lessonsOf(k).map((l) => {
        let duration = null;
        if (l.kind === 'video') {
          const asset = media.get(l.content.media?.vi);
          duration =
            asset?.status === 'ready' && asset.duration_seconds
              ? Number(asset.duration_seconds)
              : (captions.get(`${k.slug}/${l.position}`) ?? 30);
        }
        return { ...l, course_id: k.id, duration };
      }),
    ),
    ...lessonRows,
  ];
  const lessonStage = [];
  const hb = [];
  const steps = [];
  const quiz = [];
  allLessons.forEach((l, i) => {
    const idx = i + 1;
    const row = {
      idx,
      id: l.id,
      lesson_key: l.lesson_key,
      course_idx: courseIdx.get(l.course_id),
      course_id: l.course_id,
      position: l.position,
      kind: KIND[l.kind],
      kind_text: l.kind,
    };
    if (l.kind === 'video') {
      const d = round3(l.duration);
      row.d = d;
      row.nseg = Math.ceil(d / HEARTBEAT_SECONDS);
      row.jc = Math.max(2, Math.ceil((0.9 * d) / HEARTBEAT_SECONDS));
      for (let s = 0; s < row.nseg; s++) {
        const to = Math.min(HEARTBEAT_SECONDS * (s + 1), d);
        hb.push({
          lesson_idx: idx,
          seg: s,
          payload: { intervals: [[HEARTBEAT_SECONDS * s, to]], position: to },
        });
      }
    } else if (l.kind === 'guide') {
      row.steps = l.content.steps.map((s) => s.id);
      row.nsteps = row.steps.length;
      row.steps.forEach((id, j) => steps.push({ lesson_idx: idx, step_no: j + 1, payload: { stepId: id } }));
    } else {
      const { rows, passC } = quizAttempts(l.content);
      row.nq = l.content.questions.length;
      row.pass_c = passC;
      row.max_attempts = l.content.maxAttempts ?? null;
      row.quiz_step = Math.max(90, (l.content.cooldownSeconds ?? 0) + 30);
      for (const r of rows)
        quiz.push({ lesson_idx: idx, c: r.c, payload: r.payload, outcome: r.outcome, score: r.score });
    }
    lessonStage.push(row);
  });
  await c.query(`CREATE UNLOGGED TABLE scale_gen.lesson (idx int PRIMARY KEY, id uuid, lesson_key uuid, course_idx int,
      course_id uuid, position int, kind smallint, kind_text text, d float8, nseg int, jc int, steps uuid[], nsteps int,
      nq int, pass_c int, max_attempts int, quiz_step int)`);
  await c.query(
    `INSERT INTO scale_gen.lesson SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(idx int, id uuid, lesson_key uuid,
       course_idx int, course_id uuid, position int, kind smallint, kind_text text, d float8, nseg int, jc int, steps uuid[],
       nsteps int, nq int, pass_c int, max_attempts int, quiz_step int)`,
    [JSON.stringify(lessonStage)],
  );
  await c.query(
    `CREATE UNLOGGED TABLE scale_gen.hb (lesson_idx int, seg int, payload jsonb, PRIMARY KEY (lesson_idx, seg))`,
  );
  await c.query(
    `INSERT INTO scale_gen.hb SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(lesson_idx int, seg int, payload jsonb)`,
    [JSON.stringify(hb)],
  );
  await c.query(
    `CREATE UNLOGGED TABLE scale_gen.step (lesson_idx int, step_no int, payload jsonb, PRIMARY KEY (lesson_idx, step_no))`,
  );
  await c.query(
    `INSERT INTO scale_gen.step SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(lesson_idx int, step_no int, payload jsonb)`,
    [JSON.stringify(steps)],
  );
  await c.query(
    `CREATE UNLOGGED TABLE scale_gen.quiz (lesson_idx int, c int, payload jsonb, outcome jsonb, score int, PRIMARY KEY (lesson_idx, c))`,
  );
  await c.query(
    `INSERT INTO scale_gen.quiz SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(lesson_idx int, c int, payload jsonb, outcome jsonb, score int)`,
    [JSON.stringify(quiz)],
  );

  // Popularity: the programme's required courses first, the other seeded ones next, then the
  // generated ones in random order (Zipf); newer courses have had less time to gather learners.
  const required = new Set(programme?.required_course_ids ?? []);
  const seeded = new Set(known.map((k) => k.id));
  const ranked = [
    ...shuffle(allCourses.filter((x) => required.has(x.id))),
    ...shuffle(allCourses.filter((x) => seeded.has(x.id) && !required.has(x.id))),
    ...shuffle(allCourses.filter((x) => !seeded.has(x.id))),
  ];
  const rank = new Map(ranked.map((x, i) => [x.id, i]));
  const groupsOfCourse = new Map([
    ...known.map((k) => [k.id, k.learner_group_ids]),
    ...versionRows.map((v) => [v.course_id, v.learner_group_ids]),
  ]);
  const historySpan = NOW.getTime() - T0.getTime();
  const weight = (x, group) => {
    const available = Math.min(1, (NOW.getTime() - publishedAt.get(x.id).getTime()) / historySpan);
    const relevant = group === null || groupsOfCourse.get(x.id).includes(ctx.groupIds[group]) ? 1 : 0.06;
    return (relevant * Math.max(0.05, available)) / Math.pow(rank.get(x.id) + 1.5, 0.85);
  };
  const pick = [];
  for (let dist = 0; dist <= 4; dist++) {
    const table = lookupTable(
      allCourses.map((x) => weight(x, dist === 0 ? null : dist - 1)),
      10_000,
      (i) => i + 1,
    );
    table.forEach((courseI, slot) => pick.push([dist, slot, courseI]));
  }
  await c.query(
    `CREATE UNLOGGED TABLE scale_gen.pick (dist smallint, slot int, course_idx int, PRIMARY KEY (dist, slot))`,
  );
  await c.query(`INSERT INTO scale_gen.pick SELECT * FROM unnest($1::smallint[], $2::int[], $3::int[])`, [
    pick.map((p) => p[0]),
    pick.map((p) => p[1]),
    pick.map((p) => p[2]),
  ]);
  await c.query(`CREATE UNLOGGED TABLE scale_gen.course (idx int PRIMARY KEY, id uuid, version_id uuid, version int,
      published_at timestamptz, n_lessons int, completion float8, has_hmn boolean, has_tyz boolean, title_vi text, required boolean)`);
  await c.query(
    `INSERT INTO scale_gen.course
     SELECT r.idx, r.id, r.version_id, r.version, r.published_at, (SELECT count(*) FROM scale_gen.lesson l WHERE l.course_idx = r.idx),
            r.completion, r.has_hmn, r.has_tyz, r.title_vi, r.required
       FROM jsonb_to_recordset($1::jsonb) AS r(idx int, id uuid, version_id uuid, version int, published_at timestamptz,
            completion float8, has_hmn boolean, has_tyz boolean, title_vi text, required boolean)`,
    [
      JSON.stringify(
        allCourses.map((x, i) => ({
          idx: i + 1,
          id: x.id,
          version_id: x.version_id,
          version: x.version,
          published_at: publishedAt.get(x.id),
          // 30–60 % of enrolments complete, depending on the course.
          completion: 0.3 + rnd() * 0.3,
          has_hmn: x.languages.includes('hmn'),
          has_tyz: x.languages.includes('tyz'),
          title_vi: x.title.vi,
          required: required.has(x.id),
        })),
      ),
    ],
  );
  await analyze(
    c,
    'courses',
    'course_versions',
    'lessons',
    'media_assets',
    'scale_gen.lesson',
    'scale_gen.hb',
    'scale_gen.step',
    'scale_gen.quiz',
    'scale_gen.pick',
    'scale_gen.course',
  );
  ctx.courseCount = allCourses.length;
  log(
    `  ${courseRows.length} courses generated (${allCourses.length} in all), ${lessonRows.length} lessons, ${assets.length} ready media assets`,
  );
}

// ---------------------------------------------------------------------------------------------
// Ambassadors (certified) and candidates with an open application: chosen before enrolments,
// since they must have completed the programme's required courses before applying.

async function mentors(ctx) {
  const { c, NOWSQL, T0SQL, programme } = ctx;
  const certified = programme ? COUNTS.ambassadors : 0;
  const open = programme ? Math.max(1, Math.round(COUNTS.ambassadors * 0.05)) : 0;
  await c.query(`CREATE UNLOGGED TABLE scale_gen.mentor AS
    SELECT row_number() OVER () AS idx, l.idx AS learner_idx, l.id AS learner_id, l.village_idx, l.created_at, l.name,
           l.langs, NULL::text AS kind, NULL::timestamptz AS apply_at, NULL::timestamptz AS decide_at,
           NULL::timestamptz AS mstart, NULL::int AS nrec, NULL::text AS extra, NULL::uuid AS nominated_by,
           false AS revoked
      FROM (SELECT * FROM scale_gen.learner WHERE created_at < ${NOWSQL} - interval '100 days'
             ORDER BY -ln(1 - random()) / (CASE grp WHEN 3 THEN 4 WHEN 4 THEN 3 WHEN 2 THEN 2 ELSE 1 END)
             LIMIT ${certified + open}) l`);
  await analyze(c, 'scale_gen.mentor');
  await c.query(`
    UPDATE scale_gen.mentor m SET
      kind = CASE WHEN m.idx <= ${certified} THEN 'certified' ELSE 'open' END,
      apply_at = CASE WHEN m.idx <= ${certified}
        THEN x.lo + ${growthSql('random()')} * greatest(${NOWSQL} - interval '14 days' - x.lo, interval '1 day')
        ELSE ${NOWSQL} - interval '1 hour' - random() * interval '13 days' END,
      nrec = least(120, 5 + floor(4 * (power(1 - random(), -1.2) - 1)))::int,
      extra = CASE WHEN m.idx > ${certified} THEN NULL WHEN random() < 0.04 THEN 'rejected-before'
                   WHEN random() < 0.012 THEN 'withdrawn-before' END,
      nominated_by = CASE WHEN random() < 0.1
        THEN (SELECT t.id FROM scale_gen.trainer t WHERE t.idx = 1 + (m.idx % ${COUNTS.trainers})) END,
      revoked = m.idx <= ${certified} AND random() < 0.015
    FROM (SELECT idx, greatest(created_at + interval '75 days', ${T0SQL} + interval '100 days') AS lo FROM scale_gen.mentor) x
    WHERE x.idx = m.idx`);
  await c.query(`
    UPDATE scale_gen.mentor SET
      decide_at = CASE WHEN kind = 'certified' THEN apply_at + (1 + random() * 9) * interval '1 day' END,
      mstart = greatest(created_at + interval '1 day', apply_at - interval '60 days')`);
  await analyze(c, 'scale_gen.mentor');
  log(`  ${certified} ambassadors, ${open} open applications`);
}

// ---------------------------------------------------------------------------------------------
// Enrolments: how many per learner, which courses (own group's, Zipf), when, and how far

async function enrolmentPlan(ctx) {
  const { S, c, NOWSQL, programme } = ctx;
  const N = COUNTS.learners;
  // 7 % never enrol; the others 1 + floor(Exp(m)) distinct courses; any shortfall is topped up.
  const wantedMean = COUNTS.enrolments / N / 0.93;
  let m = 1;
  for (let lo = 0.01, hi = 100, k = 0; k < 60; k++) {
    m = (lo + hi) / 2;
    if (1 + 1 / (Math.exp(1 / m) - 1) < wantedMean) lo = m;
    else hi = m;
  }
  const cap = Math.min(40, ctx.courseCount);
  // Twice as many draws as wanted (popular courses come up again), then the first n distinct.
  await c.query(
    `CREATE UNLOGGED TABLE scale_gen.cand (learner_idx int, course_idx int, forced boolean, ord int, want int)`,
  );
  await S.both('candidate courses', (s, w) =>
    s.query(`
      INSERT INTO scale_gen.cand
      SELECT x.learner_idx, p.course_idx, false, x.k, x.n
        FROM (SELECT l.idx AS learner_idx, nn.n, k, CASE WHEN random() < 0.8 THEN l.grp ELSE 0 END AS dist,
                     floor(random() * 10000)::int AS slot
                FROM scale_gen.learner l
                CROSS JOIN LATERAL (SELECT CASE WHEN random() + 0 * l.idx < 0.07 THEN 0
                       ELSE least(${cap}, 1 + floor(-ln(1 - random()) * ${m})::int) END AS n) nn
                CROSS JOIN LATERAL generate_series(1, 2 * nn.n + 2 * sign(nn.n)::int) k
               WHERE l.idx % 2 = ${w}) x
        JOIN scale_gen.pick p ON p.dist = x.dist AND p.slot = x.slot`),
  );
  if (programme) {
    await c.query(
      `
      INSERT INTO scale_gen.cand
      SELECT m.learner_idx, co.idx, true, 0, 0 FROM scale_gen.mentor m
        JOIN scale_gen.course co ON co.id = ANY ($1::uuid[])`,
      [programme.required_course_ids],
    );
  }
  await analyze(c, 'scale_gen.cand');
  await c.query(`CREATE UNLOGGED TABLE scale_gen.pair (learner_idx int, course_idx int, forced boolean)`);
  await S.both('distinct courses per learner', (s, w) =>
    s.query(`
      INSERT INTO scale_gen.pair
      SELECT learner_idx, course_idx, forced FROM (
        SELECT learner_idx, course_idx, forced, want,
               row_number() OVER (PARTITION BY learner_idx ORDER BY forced DESC, ord) AS rn
          FROM (SELECT learner_idx, course_idx, bool_or(forced) AS forced, min(ord) AS ord, max(want) AS want
                  FROM scale_gen.cand WHERE learner_idx % 2 = ${w} GROUP BY learner_idx, course_idx) d) z
       WHERE forced OR rn <= want`),
  );
  // Top up to the wanted number (random learners, their group's courses).
  for (let round = 0; round < 3; round++) {
    const have = await countOf(c, `SELECT count(*) AS n FROM scale_gen.pair`);
    const missing = COUNTS.enrolments - have;
    if (missing <= COUNTS.enrolments * 0.002) break;
    await c.query(`ANALYZE scale_gen.pair`);
    await c.query(`
      INSERT INTO scale_gen.pair
      SELECT DISTINCT ON (x.learner_idx, p.course_idx) x.learner_idx, p.course_idx, false
        FROM (SELECT l.idx AS learner_idx, CASE WHEN random() < 0.8 THEN l.grp ELSE 0 END AS dist,
                     floor(random() * 10000)::int AS slot
                FROM (SELECT 1 + floor(random() * ${N})::int AS i FROM generate_series(1, ${Math.ceil(missing * 1.3)})) r
                JOIN scale_gen.learner l ON l.idx = r.i) x
        JOIN scale_gen.pick p ON p.dist = x.dist AND p.slot = x.slot
       WHERE NOT EXISTS (SELECT 1 FROM scale_gen.pair q WHERE q.learner_idx = x.learner_idx AND q.course_idx = p.course_idx)
       LIMIT ${missing}`);
  }
  await c.query(`DROP TABLE scale_gen.cand`);
  await analyze(c, 'scale_gen.pair');

  // The plan: when enrolled, whether and when started, how many lessons touched, at what pace.
  await c.query(`CREATE UNLOGGED TABLE scale_gen.enrol (
      idx int GENERATED BY DEFAULT AS IDENTITY, id uuid, learner_idx int, learner_id uuid, course_idx int, forced boolean,
      enrolled_at timestamptz, started_plan timestamptz, k int, complete boolean, last_partial boolean,
      per_sitting int, gap_days int, loc text, enrolled_by uuid)`);
  const r = (i) => `r.r${i}`;
  const randoms = Array.from(
    { length: 18 },
    (_, i) => `random()${i === 0 ? ' + 0 * p.learner_idx' : ''} AS r${i + 1}`,
  );
  await S.both('enrolment plan rows', (s, w) =>
    s.query(`
      INSERT INTO scale_gen.enrol (id, learner_idx, learner_id, course_idx, forced, enrolled_at, started_plan, k, complete,
                                   last_partial, per_sitting, gap_days, loc, enrolled_by)
      SELECT gen_random_uuid(), p.learner_idx, l.id, p.course_idx, p.forced, t.enrolled_at, st.started_plan,
             f.k, pl.complete_plan AND f.k = co.n_lessons,
             NOT (pl.complete_plan AND f.k = co.n_lessons) AND ${r(17)} < 0.7,
             pl.per_sitting, pl.gap_days,
             CASE WHEN l.lang1 = 'hmn' AND co.has_hmn THEN 'hmn' WHEN l.lang1 = 'tyz' AND co.has_tyz THEN 'tyz' ELSE 'vi' END,
             CASE WHEN NOT p.forced AND ${r(18)} < 0.08 THEN cm.coordinator_id END
        FROM scale_gen.pair p
        JOIN scale_gen.learner l ON l.idx = p.learner_idx
        JOIN scale_gen.course co ON co.idx = p.course_idx
        JOIN scale_gen.village v ON v.idx = l.village_idx
        JOIN scale_gen.commune cm ON cm.idx = v.commune_idx
        LEFT JOIN scale_gen.mentor mt ON mt.learner_idx = p.learner_idx AND p.forced
        CROSS JOIN LATERAL (SELECT ${randoms.join(', ')}) r
        CROSS JOIN LATERAL (SELECT CASE
             WHEN p.forced THEN
               x.lo + ${r(1)} * greatest(mt.apply_at - interval '10 days' - x.lo, interval '1 hour')
             ELSE greatest(
               CASE WHEN x.e1 > ${NOWSQL} - interval '1 hour' THEN x.e1 - interval '7 days' ELSE x.e1 END,
               l.created_at + interval '1 hour' + ${r(5)} * interval '3 hours',
               co.published_at + interval '1 hour' + ${r(6)} * interval '2 days')
             END AS enrolled_at
             FROM (SELECT greatest(l.created_at + interval '1 hour', mt.apply_at - interval '150 days',
                                   co.published_at + interval '1 hour') AS lo,
                          ${season(`l.created_at + power(${r(1)}, 2.2) * (${NOWSQL} - l.created_at)`, r(2), r(3), r(4))} AS e1) x
             OFFSET 0) t
        CROSS JOIN LATERAL (SELECT CASE
             WHEN p.forced THEN t.enrolled_at + (1 + ${r(9)} * 20) * interval '1 minute'
             WHEN ${r(7)} >= 0.8 THEN NULL
             WHEN ${r(8)} < 0.7 THEN t.enrolled_at + (1 + ${r(9)} * 15) * interval '1 minute'
             ELSE greatest(t.enrolled_at + interval '5 minutes',
                           ${season(`t.enrolled_at + (1 + ${r(9)} * 20) * interval '1 day'`, r(10), r(11), r(12))})
             END AS s0 OFFSET 0) s0
        CROSS JOIN LATERAL (SELECT CASE WHEN s0.s0 < ${NOWSQL} - interval '3 hours' THEN s0.s0 END AS started_plan OFFSET 0) st
        CROSS JOIN LATERAL (SELECT
             p.forced OR ${r(13)} < co.completion / 0.75 AS complete_plan,
             CASE WHEN p.forced THEN co.n_lessons
                  WHEN ${r(14)} < 0.25 THEN 1 WHEN ${r(14)} < 0.65 THEN 2 WHEN ${r(14)} < 0.85 THEN 3 ELSE co.n_lessons END AS per_sitting,
             CASE WHEN ${r(15)} < 0.6 THEN 7 WHEN ${r(15)} < 0.75 THEN 14 WHEN ${r(15)} < 0.85 THEN 1 ELSE 3 END AS gap_days
             OFFSET 0) pl
        CROSS JOIN LATERAL (SELECT CASE WHEN st.started_plan IS NULL THEN 0 ELSE least(
               CASE WHEN pl.complete_plan OR co.n_lessons = 1 THEN co.n_lessons
                    ELSE 1 + floor(${r(16)} * (co.n_lessons - 1))::int END,
               (floor(extract(epoch FROM ${NOWSQL} - interval '3 hours' - st.started_plan) / (pl.gap_days * 86400))::int + 1)
                 * pl.per_sitting) END AS k OFFSET 0) f
       WHERE p.learner_idx % 2 = ${w} AND l.idx % 2 = ${w}`),
  );
  await c.query(`DROP TABLE scale_gen.pair`);
  await c.query(`CREATE INDEX ON scale_gen.enrol (idx)`);
  await c.query(`ANALYZE scale_gen.enrol`);
  const st = await oneOf(
    c,
    `SELECT count(*) AS n, count(*) FILTER (WHERE k > 0) AS started, count(*) FILTER (WHERE complete) AS complete
       FROM scale_gen.enrol`,
  );
  log(`  ${st.n} enrolments planned: ${st.started} started, ${st.complete} to complete`);
}

// ---------------------------------------------------------------------------------------------
// Lesson plan: one row per learner and lesson touched, with everything its events and summary need

async function lessonPlan(ctx) {
  const { S, c, NOWSQL } = ctx;
  // Extra heartbeats (parts watched again) bring the events to the wanted total.
  const exp = await oneOf(
    c,
    `WITH pre AS (
       SELECT course_idx, position, kind, nseg, nsteps,
              sum(CASE WHEN kind = 1 THEN nseg ELSE 0 END) OVER w AS v,
              sum(CASE WHEN kind = 2 THEN nsteps ELSE 0 END) OVER w AS g,
              sum(CASE WHEN kind = 3 THEN 1 ELSE 0 END) OVER w AS q
         FROM scale_gen.lesson WINDOW w AS (PARTITION BY course_idx ORDER BY position))
     SELECT sum(pre.v - CASE WHEN e.last_partial AND pre.kind = 1 THEN 0.55 * pre.nseg ELSE 0 END)::float8 AS v,
            sum(pre.g - CASE WHEN e.last_partial AND pre.kind = 2 THEN 0.5 * pre.nsteps ELSE 0 END)::float8 AS g,
            sum(pre.q)::float8 AS q
       FROM scale_gen.enrol e JOIN pre ON pre.course_idx = e.course_idx AND pre.position = e.k
      WHERE e.k > 0`,
  );
  const x = exp.v > 0 ? Math.max(0, (COUNTS.events - exp.g - 1.45 * exp.q - exp.v) / exp.v) : 0;
  log(
    `  expected base events: video ${Math.round(exp.v)}, guide ${Math.round(exp.g)}, quiz ~${Math.round(1.45 * exp.q)}; re-watch factor ${x.toFixed(3)}`,
  );

  await c.query(`CREATE UNLOGGED TABLE scale_gen.lp (
      enrol_idx int, learner_id uuid, lesson_idx int, kind smallint, locale text, done boolean, n_ev int, nb int,
      x float8, c_last int, c_p1 int, c_p2 int, best_score int, last_score int, seed int, base uuid, t0 timestamptz,
      step int, sync_at timestamptz, mon int, first_recv timestamptz, last_client timestamptz, last_recv timestamptz,
      completed_at timestamptz)`);
  const recv = (j) =>
    `coalesce(t.sync_at, t.t0 + ${msSql(`(${j}) * a.step * 1000 + 150 + ((${j}) * 7919 + a.seed) % 2500`)})`;
  // A lesson is done unless it is the last one touched of an enrolment left part-way.
  const done = `(ls.position < e.k OR e.complete OR NOT e.last_partial OR (ls.kind = 2 AND ls.nsteps < 2))`;
  const partialVideo = `(1 + floor(r.r1 * (ls.jc - 1))::int)`;
  // Few stages on purpose: each LATERAL step costs a nested loop level per row.
  await S.both('lesson plan rows', (s, w) =>
    s.query(`
      INSERT INTO scale_gen.lp
      SELECT e.idx, e.learner_id, ls.idx, ls.kind, CASE WHEN ls.kind = 1 THEN 'vi' ELSE e.loc END, a.done, a.n_ev, a.nb, a.x,
             a.c_last, a.c_p1, a.c_p2,
             CASE WHEN ls.kind = 3 THEN round(100.0 * b.best_c / ls.nq)::int END,
             CASE WHEN ls.kind = 3 THEN round(100.0 * a.c_last / ls.nq)::int END,
             a.seed, encode(set_byte(uuid_send(e.id), 13, ls.position), 'hex')::uuid, t.t0, a.step, t.sync_at,
             (extract(year FROM c.m0) * 12 + extract(month FROM c.m0) - 1)::int,
             ${recv('1')}, t.t0 + ${secondsSql('b.work')}, ${recv('a.n_ev')},
             CASE WHEN a.done THEN ${recv('b.jdone')} END
        FROM scale_gen.enrol e
        JOIN scale_gen.lesson ls ON ls.course_idx = e.course_idx AND ls.position <= e.k
        CROSS JOIN LATERAL (SELECT random() + 0 * ls.idx AS r1, random() AS r2, random() AS r3, random() AS r4,
                                   random() AS r5, random() AS r6, random() AS r7) r
        CROSS JOIN LATERAL (SELECT v.*,
             v.nb + v.m + v.att + CASE WHEN ls.kind = 1 THEN round(${x} * v.nb * 2 * r.r2)::int ELSE 0 END AS n_ev,
             CASE ls.kind WHEN 1 THEN ${HEARTBEAT_SECONDS} WHEN 2 THEN ${GUIDE_STEP_SECONDS} ELSE ls.quiz_step END AS step,
             floor(r.r5 * 1000000)::int AS seed,
             CASE WHEN r.r6 < 0.12 THEN 300 + floor(r.r7 * 108000)::int END AS delay,
             date_trunc('milliseconds', e.started_plan
               + ((ls.position - 1) / e.per_sitting) * e.gap_days * interval '1 day'
               + ((ls.position - 1) % e.per_sitting) * interval '12 minutes') AS plan
             FROM (SELECT ${done} AS done,
               CASE WHEN ls.kind <> 1 THEN 0 WHEN ${done} THEN ls.nseg ELSE ${partialVideo} END AS nb,
               CASE WHEN ls.kind <> 1 THEN NULL WHEN ${done} THEN ls.d
                    ELSE least(${HEARTBEAT_SECONDS} * ${partialVideo}, ls.d) END AS x,
               CASE WHEN ls.kind <> 2 THEN 0 WHEN ${done} THEN ls.nsteps
                    ELSE 1 + floor(r.r1 * (ls.nsteps - 1))::int END AS m,
               CASE WHEN ls.kind <> 3 THEN 0 ELSE least(coalesce(ls.max_attempts, 3),
                    CASE WHEN ${done} THEN (CASE WHEN r.r1 < 0.6 THEN 1 WHEN r.r1 < 0.9 THEN 2 ELSE 3 END)
                         ELSE (CASE WHEN r.r1 < 0.7 THEN 1 ELSE 2 END) END) END AS att,
               CASE WHEN ls.kind <> 3 THEN NULL WHEN ${done} THEN ls.pass_c + floor(r.r2 * (ls.nq - ls.pass_c + 1))::int
                    ELSE floor(r.r2 * ls.pass_c)::int END AS c_last,
               CASE WHEN ls.kind = 3 THEN floor(r.r3 * ls.pass_c)::int END AS c_p1,
               CASE WHEN ls.kind = 3 THEN floor(r.r4 * ls.pass_c)::int END AS c_p2) v
             OFFSET 0) a
        CROSS JOIN LATERAL (SELECT a.n_ev * a.step AS work,
             CASE WHEN a.done OR a.att < 2 THEN a.c_last ELSE greatest(a.c_last, a.c_p1) END AS best_c,
             CASE ls.kind WHEN 1 THEN ls.jc WHEN 2 THEN a.m ELSE a.att END AS jdone,
             least(a.plan, ${NOWSQL} - ${secondsSql('a.n_ev * a.step + 63')}) AS ta0 OFFSET 0) b
        CROSS JOIN LATERAL (SELECT x.m0, (x.m0 + interval '1 month') AT TIME ZONE 'UTC' AS me
             FROM (SELECT date_trunc('month', b.ta0 AT TIME ZONE 'UTC') AS m0) x OFFSET 0) c
        -- An offline batch is sent in the same month (a partition holds whole lessons) and before now.
        CROSS JOIN LATERAL (SELECT a.delay IS NOT NULL
             AND b.ta0 + ${secondsSql('b.work + a.delay')} < least(c.me, ${NOWSQL} - interval '1 minute') AS offline OFFSET 0) o
        CROSS JOIN LATERAL (SELECT CASE WHEN o.offline THEN b.ta0 ELSE
               CASE WHEN b.ta0 + ${secondsSql('b.work + 3')} >= c.me THEN c.me - ${secondsSql('b.work + 63')} ELSE b.ta0 END
             END AS t0,
             CASE WHEN o.offline THEN b.ta0 + ${secondsSql('b.work + a.delay')} END AS sync_at OFFSET 0) t
       WHERE e.k > 0 AND e.idx % 2 = ${w}`),
  );
  await S.both('lesson plan indexes', (s, w) =>
    w === 0
      ? s.query(`CREATE INDEX ON scale_gen.lp (mon, kind)`)
      : s.query(`CREATE INDEX ON scale_gen.lp (enrol_idx)`),
  );
  await c.query(`ANALYZE scale_gen.lp`);
  const st = await oneOf(
    c,
    `SELECT count(*) AS n, sum(n_ev)::bigint AS events, count(*) FILTER (WHERE sync_at IS NOT NULL) AS offline FROM scale_gen.lp`,
  );
  ctx.plannedEvents = Number(st.events);
  log(`  ${st.n} lesson summaries planned (${st.offline} synced offline), ${st.events} events`);
}

// ---------------------------------------------------------------------------------------------
// lesson_progress: one row per learner and lesson, its kind's state consistent with the events

async function lessonProgress(ctx) {
  const { S } = ctx;
  const attempt = (i) => `'"' || ${iso(`lp.t0 + ${secondsSql(`${i} * lp.step`)}`)} || '"'`;
  const position = `CASE WHEN lp.n_ev <= lp.nb THEN lp.x
    ELSE least(${HEARTBEAT_SECONDS} * ((lp.n_ev * 37 + lp.seed) % lp.nb) + ${HEARTBEAT_SECONDS}, lp.x) END`;
  // Guides' states per number of steps done; video and quiz states as JSON text (jsonb_build_object
  // nested costs twice as much).
  await S.main.query(`CREATE UNLOGGED TABLE scale_gen.guide_state AS
    SELECT l.idx AS lesson_idx, m, jsonb_build_object('stepsDone', to_jsonb(l.steps[1:m])) AS state
      FROM scale_gen.lesson l CROSS JOIN LATERAL generate_series(1, l.nsteps) m WHERE l.kind = 2`);
  await analyze(S.main, 'scale_gen.guide_state');
  const dropped = await dropIndexes(S.main, 'lesson_progress');
  await S.both('lesson_progress rows', (s, w) =>
    s.query(`
      INSERT INTO lesson_progress (learner_id, lesson_key, course_id, lesson_id, kind, locale, status, events,
                                   last_event_at, completed_at, updated_at, state)
      SELECT lp.learner_id, ls.lesson_key, ls.course_id, ls.id, ls.kind_text, lp.locale,
             CASE WHEN lp.done THEN 'completed' ELSE 'in_progress' END, lp.n_ev, lp.last_client, lp.completed_at,
             lp.last_recv,
             CASE lp.kind
               WHEN 1 THEN ('{"watched":{"vi":[[0,' || lp.x || ']]},"watchedSeconds":' || lp.x
                 || ',"durationSeconds":' || ls.d || ',"positionSeconds":' || ${position}
                 || ',"positionAt":"' || ${iso('lp.last_client')} || '"}')::jsonb
               WHEN 2 THEN gs.state
               ELSE ('{"attemptTimes":[' || CASE lp.n_ev WHEN 1 THEN ${attempt(1)}
                   WHEN 2 THEN ${attempt(1)} || ',' || ${attempt(2)}
                   ELSE ${attempt(1)} || ',' || ${attempt(2)} || ',' || ${attempt(3)} END
                 || '],"bestScore":' || lp.best_score || ',"lastScore":' || lp.last_score
                 || ',"lastAt":"' || ${iso('lp.last_client')} || '"}')::jsonb
             END
        FROM scale_gen.lp lp
        JOIN scale_gen.lesson ls ON ls.idx = lp.lesson_idx
        LEFT JOIN scale_gen.guide_state gs ON gs.lesson_idx = lp.lesson_idx AND gs.m = lp.n_ev
       WHERE lp.enrol_idx % 2 = ${w}`),
  );
  log(`  rebuilding ${dropped} index(es) of lesson_progress`);
  await S.pool(await restoreIndexTasks(S.main, ['lesson_progress']));
  await analyze(S.main, 'lesson_progress');
}

// ---------------------------------------------------------------------------------------------
// Enrolments and completions, from what the lesson plan says happened

async function enrolments(ctx) {
  const { S, c, hasActiveOn } = ctx;
  await c.query(`CREATE UNLOGGED TABLE scale_gen.enrol_agg (enrol_idx int PRIMARY KEY, started_at timestamptz,
      last_client timestamptz, last_recv timestamptz, done_at timestamptz, avg_quiz numeric, n_done int, n_hmn int, n_tyz int)`);
  await S.both('enrolment outcomes', (s, w) =>
    s.query(`
      INSERT INTO scale_gen.enrol_agg
      SELECT enrol_idx, min(first_recv), max(last_client), max(last_recv), max(completed_at),
             round(avg(best_score) FILTER (WHERE kind = 3 AND done), 2),
             count(*) FILTER (WHERE done), count(*) FILTER (WHERE done AND locale = 'hmn'),
             count(*) FILTER (WHERE done AND locale = 'tyz')
        FROM scale_gen.lp WHERE enrol_idx % 2 = ${w} GROUP BY enrol_idx`),
  );
  await analyze(c, 'scale_gen.enrol_agg');
  const dropped = (await dropIndexes(c, 'enrolments')) + (await dropIndexes(c, 'course_completions'));
  await S.both('enrolments rows', (s, w) =>
    s.query(`
      INSERT INTO enrolments (id, learner_id, course_id, course_version_id, enrolled_by, enrolled_at, started_at,
                              last_activity_at, completed_at${hasActiveOn ? ', active_on' : ''})
      SELECT e.id, e.learner_id, co.id, co.version_id, e.enrolled_by,
             CASE WHEN a.started_at IS NULL THEN e.enrolled_at ELSE least(e.enrolled_at, a.started_at - interval '30 seconds') END,
             a.started_at, a.last_client, CASE WHEN e.complete THEN a.done_at END
             ${hasActiveOn ? `, (a.last_recv AT TIME ZONE ${VN})::date` : ''}
        FROM scale_gen.enrol e
        JOIN scale_gen.course co ON co.idx = e.course_idx
        LEFT JOIN scale_gen.enrol_agg a ON a.enrol_idx = e.idx
       WHERE e.idx % 2 = ${w}`),
  );
  // The completion's language: the one most of its lessons were done in (ties: the first lesson's, Vietnamese).
  await S.both('course_completions rows', (s, w) =>
    s.query(`
      INSERT INTO course_completions (id, learner_id, course_id, course_version_id, version, locale, average_quiz_score,
                                      completed_at)
      SELECT gen_random_uuid(), e.learner_id, co.id, co.version_id, co.version,
             CASE WHEN a.n_hmn > a.n_done - a.n_hmn - a.n_tyz THEN 'hmn'
                  WHEN a.n_tyz > a.n_done - a.n_hmn - a.n_tyz THEN 'tyz' ELSE 'vi' END,
             a.avg_quiz, a.done_at
        FROM scale_gen.enrol e
        JOIN scale_gen.course co ON co.idx = e.course_idx
        JOIN scale_gen.enrol_agg a ON a.enrol_idx = e.idx
       WHERE e.complete AND e.idx % 2 = ${w}`),
  );
  log(`  rebuilding ${dropped} index(es) of enrolments and course_completions`);
  await S.pool(await restoreIndexTasks(c, ['enrolments', 'course_completions']));
  await S.pool([(s) => analyze(s, 'enrolments'), (s) => analyze(s, 'course_completions')]);
}

// ---------------------------------------------------------------------------------------------
// Certification: mentoring records ("1 kèm 5"), applications, certificates, serials, audit trail

async function certification(ctx) {
  const { c, NOWSQL, programme } = ctx;
  if (!programme) {
    log('  no active certification programme: skipped');
    return;
  }
  const HOUSEHOLD_PREFIX = ['Hộ ông', 'Hộ bà', 'Gia đình anh', 'Gia đình chị', 'Nhà ông', 'Nhà bà'];
  const F = FAMILY_ALL.length;
  const G = GIVEN_MALE.length;
  // Households: the first five distinct ones helped at least a week before applying; the rest over
  // the whole period, often the same households again. Some mentors log weekly, most rarely.
  await c.query(`
    INSERT INTO mentoring_records (id, candidate_id, helped_on, household, household_key, village_id, task, note,
                                   photo_key, photo_status, created_at)
    SELECT gen_random_uuid(), m.learner_id, h.helped_on, h.household,
           left(btrim(regexp_replace(f_search_key(h.household), '[^a-z0-9]+', ' ', 'g')), 120),
           v.id, ${pickSql(textArray(MENTORING_TASKS), MENTORING_TASKS.length, 'r.r3')},
           CASE WHEN r.r4 < 0.4 THEN ${pickSql(textArray(MENTORING_NOTES), MENTORING_NOTES.length, 'r.r5')} END,
           CASE WHEN r.r6 < 0.35 THEN 'evidence/' || m.learner_id || '/' || gen_random_uuid() || '.jpg' END,
           CASE WHEN r.r6 < 0.35 THEN (CASE WHEN r.r7 < 0.95 THEN 'ready' ELSE 'awaiting_upload' END) END,
           least(${NOWSQL} - interval '1 minute',
                 (h.helped_on + time '17:00') AT TIME ZONE ${VN} + r.r8 * interval '40 hours')
      FROM scale_gen.mentor m
      JOIN scale_gen.village v ON v.idx = m.village_idx
      CROSS JOIN LATERAL generate_series(0, m.nrec - 1) i
      CROSS JOIN LATERAL (SELECT random() + 0 * i AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
                                 random() AS r6, random() AS r7, random() AS r8) r
      CROSS JOIN LATERAL (SELECT CASE WHEN i < 5 THEN i ELSE floor(r.r2 * greatest(5, ceil(m.nrec * 0.6)))::int END AS hh,
             (CASE WHEN i < 5 THEN m.mstart + r.r1 * (m.apply_at - interval '7 days' - m.mstart)
                   ELSE m.mstart + r.r1 * (CASE WHEN m.kind = 'open' THEN m.apply_at ELSE ${NOWSQL} - interval '1 day' END - m.mstart)
              END AT TIME ZONE ${VN})::date AS helped_on OFFSET 0) d
      CROSS JOIN LATERAL (SELECT d.helped_on, concat_ws(' ',
             (${textArray(HOUSEHOLD_PREFIX)})[1 + (d.hh + m.idx::int) % ${HOUSEHOLD_PREFIX.length}],
             (${textArray(FAMILY_ALL)})[1 + (m.idx::int * 7 + d.hh) % ${F}],
             (${textArray(MIDDLE_MALE)})[1 + (m.idx::int + d.hh * 3) % ${MIDDLE_MALE.length}],
             (${textArray(GIVEN_MALE)})[1 + (m.idx::int * 13 + d.hh * 5) % ${G}]) AS household OFFSET 0) h`);

  await analyze(c, 'mentoring_records');
  // What each candidate had when applying: completions of the required courses, households.
  await c.query(
    `CREATE UNLOGGED TABLE scale_gen.mentor_facts AS
    SELECT m.idx,
           jsonb_agg(jsonb_build_object('courseId', cc.course_id, 'met', true, 'completion', jsonb_build_object(
               'courseVersionId', cc.course_version_id, 'version', cc.version, 'locale', cc.locale,
               'averageQuizScore', cc.average_quiz_score::float8, 'completedAt', ${iso('cc.completed_at')}))
             ORDER BY rc.ord) AS courses,
           jsonb_agg(jsonb_build_object('courseId', cc.course_id, 'courseVersionId', cc.course_version_id,
               'version', cc.version, 'locale', cc.locale, 'title', co.title_vi) ORDER BY rc.ord) AS assessed,
           round(avg(cc.average_quiz_score), 2)::float8 AS quiz_average,
           (SELECT count(DISTINCT r.household_key) FROM mentoring_records r
             WHERE r.candidate_id = m.learner_id AND r.helped_on < (m.apply_at AT TIME ZONE ${VN})::date)::int AS households
      FROM scale_gen.mentor m
      CROSS JOIN LATERAL unnest($1::uuid[]) WITH ORDINALITY AS rc(course_id, ord)
      JOIN course_completions cc ON cc.learner_id = m.learner_id AND cc.course_id = rc.course_id
      JOIN scale_gen.course co ON co.id = cc.course_id
     GROUP BY m.idx, m.learner_id, m.apply_at`,
    [programme.required_course_ids],
  );
  const snapshot = (
    at,
  ) => `jsonb_build_object('eligible', true, 'checkedAt', ${iso(at)}, 'courses', f.courses,
      'quizAverage', jsonb_build_object('met', true, 'required', ${Number(programme.min_average_quiz_score)}, 'actual', f.quiz_average),
      'households', jsonb_build_object('met', true, 'required', ${programme.min_households}, 'actual', f.households),
      'village', jsonb_build_object('met', true, 'villageId', v.id))`;
  await analyze(c, 'scale_gen.mentor_facts');
  await c.query(`CREATE UNLOGGED TABLE scale_gen.app (id uuid, mentor_idx bigint, status text, created_at timestamptz,
      decided_at timestamptz, updated_at timestamptz, reason text)`);
  await c.query(`
    INSERT INTO scale_gen.app
    SELECT gen_random_uuid(), m.idx, 'approved', m.apply_at, m.decide_at, m.decide_at,
           'Đủ điều kiện: hoàn thành các khóa học bắt buộc và hỗ trợ đủ số hộ theo mô hình "1 kèm 5".'
      FROM scale_gen.mentor m WHERE m.kind = 'certified'
    UNION ALL
    SELECT gen_random_uuid(), m.idx, 'submitted', m.apply_at, NULL, m.apply_at, NULL FROM scale_gen.mentor m WHERE m.kind = 'open'
    UNION ALL
    SELECT gen_random_uuid(), m.idx, CASE m.extra WHEN 'rejected-before' THEN 'rejected' ELSE 'withdrawn' END,
           m.apply_at - interval '6 days',
           CASE WHEN m.extra = 'rejected-before' THEN m.apply_at - interval '4 days' END,
           m.apply_at - interval '5 days',
           CASE WHEN m.extra = 'rejected-before' THEN 'Chưa có ảnh minh chứng cho các hộ đã hỗ trợ, đề nghị bổ sung.' END
      FROM scale_gen.mentor m WHERE m.extra IS NOT NULL`);
  await c.query(
    `
    INSERT INTO certification_applications (id, programme_id, candidate_id, village_id, locality_path, kind,
        renews_certificate_id, nominated_by, statement, status, eligibility, decided_by, decided_at, decision_reason,
        created_at, updated_at)
    SELECT a.id, $1, m.learner_id, v.id, v.path, 'initial', NULL, m.nominated_by,
           CASE WHEN m.idx % 3 = 0 THEN 'Tôi đã hướng dẫn bà con trong thôn dùng VNeID và thanh toán không dùng tiền mặt.' END,
           a.status, ${snapshot('coalesce(a.decided_at, a.created_at)')},
           CASE WHEN a.decided_at IS NOT NULL THEN cm.coordinator_id END, a.decided_at, a.reason, a.created_at, a.updated_at
      FROM scale_gen.app a
      JOIN scale_gen.mentor m ON m.idx = a.mentor_idx
      JOIN scale_gen.mentor_facts f ON f.idx = m.idx
      JOIN scale_gen.village v ON v.idx = m.village_idx
      JOIN scale_gen.commune cm ON cm.idx = v.commune_idx`,
    [programme.id],
  );

  await analyze(c, 'scale_gen.app', 'certification_applications', 'certificate_serials');
  // Certificates: serials without gaps per Vietnamese calendar year, after any already issued.
  const kid = (await oneOf(c, `SELECT kid FROM issuer_keys WHERE retired_at IS NULL LIMIT 1`))?.kid ?? null;
  const prefix = programme.serial_prefix;
  // A status list of their own (the generator's shortcut: indexes in generation order, where the
  // platform permutes them); its bits are set for the revoked ones below.
  const statusList = await oneOf(
    c,
    `INSERT INTO credential_status_lists (length, allocated, permutation_key, bits)
     VALUES (131072, 0, decode(md5(random()::text) || md5(random()::text), 'hex'), decode(repeat('00', 16384), 'hex'))
     RETURNING id`,
  );
  await c.query(
    `
    INSERT INTO certificates (id, issue_key, serial, verification_code, programme_id, application_id, holder_id,
        holder_name, holder_locale, village_id, locality_path, assessment, issued_at, expires_at, pdf_key, pdf_sha256,
        pdf_bytes, credential_key, credential_key_id, status_list_id, status_list_index, ready_at, revoked_at,
        revoked_by, revocation_reason, created_at)
    SELECT x.cert_id, 'application:' || x.app_id, x.serial,
           (SELECT string_agg(substr('0123456789abcdefghjkmnpqrstvwxyz', 1 + floor(random() * 32)::int, 1), '')
              FROM generate_series(1, 26 + 0 * x.n)),
           $1, x.app_id, x.learner_id, normalize(x.name, NFC), CASE WHEN 'hmn' = ANY (x.langs) THEN 'hmn' ELSE 'en' END,
           x.village_id, x.path,
           jsonb_build_object('courses', x.assessed, 'averageQuizScore', x.quiz_average, 'households', x.households),
           x.issued_at, x.issued_at + interval '${programme.validity_months} months',
           'certificates/' || lower(x.serial) || '/certificate.pdf', encode(sha256(convert_to(x.serial, 'UTF8')), 'hex'),
           70000 + (x.n * 7919) % 20000, 'certificates/' || lower(x.serial) || '/credential.json', $3,
           $4, x.n - 1, x.issued_at + interval '20 seconds',
           CASE WHEN x.revoked THEN x.revoked_at END, CASE WHEN x.revoked THEN x.coordinator_id END,
           CASE WHEN x.revoked THEN 'Không còn sinh sống và hỗ trợ bà con tại thôn.' END,
           x.issued_at
      FROM (SELECT gen_random_uuid() AS cert_id, a.id AS app_id, m.learner_id, m.name, m.langs, v.id AS village_id,
                   v.path, f.assessed, f.quiz_average, f.households, a.decided_at AS issued_at, m.revoked,
                   a.decided_at + interval '2 days' + random() * greatest(${NOWSQL} - a.decided_at - interval '3 days', interval '1 hour') AS revoked_at,
                   cm.coordinator_id,
                   $2 || '-' || y.year || '-' || lpad((coalesce(s.last_number, 0)
                     + row_number() OVER (PARTITION BY y.year ORDER BY a.decided_at, a.id))::text, 6, '0') AS serial,
                   row_number() OVER () AS n
              FROM scale_gen.app a
              JOIN scale_gen.mentor m ON m.idx = a.mentor_idx
              JOIN scale_gen.mentor_facts f ON f.idx = m.idx
              JOIN scale_gen.village v ON v.idx = m.village_idx
              JOIN scale_gen.commune cm ON cm.idx = v.commune_idx
              CROSS JOIN LATERAL (SELECT extract(year FROM a.decided_at AT TIME ZONE ${VN})::int AS year) y
              LEFT JOIN certificate_serials s ON s.prefix = $2 AND s.year = y.year
             WHERE a.status = 'approved') x`,
    [programme.id, prefix, kid, statusList.id],
  );
  const listed = await c.query(
    `SELECT status_list_index AS i, revoked_at IS NOT NULL AS revoked FROM certificates WHERE status_list_id = $1`,
    [statusList.id],
  );
  if (listed.rows.length > 131072)
    throw new Error(`${listed.rows.length} certificates do not fit one status list`);
  const bits = Buffer.alloc(16384);
  for (const { i, revoked } of listed.rows) if (revoked) bits[i >> 3] |= 0x80 >> (i & 7);
  await c.query(`UPDATE credential_status_lists SET bits = $2, allocated = $3 WHERE id = $1`, [
    statusList.id,
    bits,
    listed.rows.length,
  ]);
  await c.query(
    `
    INSERT INTO certificate_serials (prefix, year, last_number)
    SELECT $1, split_part(serial, '-', -2)::int, max(split_part(serial, '-', -1)::int)
      FROM certificates WHERE programme_id = $2 GROUP BY 2
    ON CONFLICT (prefix, year) DO UPDATE SET last_number = greatest(certificate_serials.last_number, EXCLUDED.last_number)`,
    [prefix, programme.id],
  );

  await analyze(c, 'certificates');
  // The audit trail, in the order things happened.
  await c.query(`
    INSERT INTO certification_audit (application_id, certificate_id, actor_id, action, from_status, to_status, reason, at)
    SELECT application_id, certificate_id, actor_id, action, from_status, to_status, reason, at FROM (
      SELECT a.id AS application_id, NULL::uuid AS certificate_id, coalesce(m.nominated_by, m.learner_id) AS actor_id,
             CASE WHEN m.nominated_by IS NULL THEN 'application.submitted' ELSE 'application.nominated' END AS action,
             NULL AS from_status, 'submitted' AS to_status, NULL AS reason, a.created_at AS at
        FROM scale_gen.app a JOIN scale_gen.mentor m ON m.idx = a.mentor_idx
      UNION ALL
      SELECT a.id, NULL, cm.coordinator_id, 'application.' || a.status, 'submitted', a.status, a.reason, a.decided_at
        FROM scale_gen.app a JOIN scale_gen.mentor m ON m.idx = a.mentor_idx
        JOIN scale_gen.village v ON v.idx = m.village_idx JOIN scale_gen.commune cm ON cm.idx = v.commune_idx
       WHERE a.status IN ('approved', 'rejected')
      UNION ALL
      SELECT a.id, NULL, m.learner_id, 'application.withdrawn', 'submitted', 'withdrawn', NULL, a.updated_at
        FROM scale_gen.app a JOIN scale_gen.mentor m ON m.idx = a.mentor_idx WHERE a.status = 'withdrawn'
      UNION ALL
      SELECT ce.application_id, ce.id, ce_app.decided_by, 'certificate.reserved', NULL, 'pending', NULL, ce.issued_at
        FROM certificates ce JOIN certification_applications ce_app ON ce_app.id = ce.application_id
        JOIN scale_gen.app a ON a.id = ce.application_id
      UNION ALL
      SELECT ce.application_id, ce.id, NULL, 'certificate.issued', NULL, 'valid', NULL, ce.ready_at
        FROM certificates ce JOIN scale_gen.app a ON a.id = ce.application_id
      UNION ALL
      SELECT NULL, ce.id, ce.revoked_by, 'certificate.revoked', 'valid', 'revoked', ce.revocation_reason, ce.revoked_at
        FROM certificates ce JOIN scale_gen.app a ON a.id = ce.application_id WHERE ce.revoked_at IS NOT NULL
    ) x ORDER BY at, action`);
  const st = await oneOf(
    c,
    `SELECT (SELECT count(*) FROM mentoring_records) AS records, (SELECT count(*) FROM certification_applications) AS apps,
            (SELECT count(*) FROM certificates) AS certs, (SELECT count(*) FROM certificates WHERE revoked_at IS NOT NULL) AS revoked`,
  );
  log(
    `  ${st.records} mentoring records, ${st.apps} applications, ${st.certs} certificates (${st.revoked} revoked)`,
  );
}

// ---------------------------------------------------------------------------------------------
// The reporting module's daily activity, as its outbox consumer would have counted it: at each
// fact's village and every place above it (migration ActivityByPlace). (The
// rollups rebuild themselves from the source tables when they were never built.)

async function dailyActivity(ctx) {
  const { S, c } = ctx;
  const empty = !(await oneOf(c, `SELECT 1 AS x FROM reporting_daily_activity LIMIT 1`));
  if (empty) await dropIndexes(c, 'reporting_daily_activity');
  await c.query(`
    INSERT INTO reporting_daily_activity AS d (day, metric, locality_path, count, own)
    SELECT f.day, f.metric, a.path, sum(f.n)::int, coalesce(sum(f.n) FILTER (WHERE a.path = f.path), 0)::int
      FROM (SELECT day, metric, path, count(*) AS n FROM (
      SELECT (a.done_at AT TIME ZONE ${VN})::date AS day, 'course_completed' AS metric, v.path
        FROM scale_gen.enrol e
        JOIN scale_gen.enrol_agg a ON a.enrol_idx = e.idx
        JOIN scale_gen.learner l ON l.idx = e.learner_idx
        JOIN scale_gen.village v ON v.idx = l.village_idx
       WHERE e.complete
      UNION ALL
      SELECT (ce.issued_at AT TIME ZONE ${VN})::date, 'certificate_issued', ce.locality_path
        FROM certificates ce JOIN scale_gen.mentor m ON m.learner_id = ce.holder_id WHERE ce.ready_at IS NOT NULL
      UNION ALL
      SELECT (ce.revoked_at AT TIME ZONE ${VN})::date, 'certificate_revoked', ce.locality_path
        FROM certificates ce JOIN scale_gen.mentor m ON m.learner_id = ce.holder_id
       WHERE ce.revoked_at IS NOT NULL AND ce.ready_at IS NOT NULL) facts
    GROUP BY 1, 2, 3) f
      CROSS JOIN LATERAL reporting_ancestor_paths(f.path) a
    GROUP BY 1, 2, 3
    ${empty ? '' : 'ON CONFLICT (metric, locality_path, day) DO UPDATE SET count = d.count + EXCLUDED.count, own = d.own + EXCLUDED.own'}`);
  if (empty) await S.pool(await restoreIndexTasks(c, ['reporting_daily_activity']));
}

// ---------------------------------------------------------------------------------------------
// progress_events: one table per month, built bare, indexed, then attached as a partition

async function progressEvents(ctx) {
  const { S, c, partitioned, NOW, T0 } = ctx;
  const months = [];
  for (
    let k = T0.getUTCFullYear() * 12 + T0.getUTCMonth();
    k <= NOW.getUTCFullYear() * 12 + NOW.getUTCMonth();
    k++
  ) {
    const y = Math.floor(k / 12);
    const m = k % 12;
    months.push({
      mon: k,
      name: `progress_events_${y}_${String(m + 1).padStart(2, '0')}`,
      from: new Date(Date.UTC(y, m, 1)),
      to: new Date(Date.UTC(y, m + 1, 1)),
    });
  }
  const sizes = new Map(
    (await rowsOf(c, `SELECT mon, sum(n_ev)::bigint AS n FROM scale_gen.lp GROUP BY mon`)).map((r) => [
      Number(r.mon),
      Number(r.n),
    ]),
  );
  const outside = [...sizes.keys()].filter((mon) => !months.some((m) => m.mon === mon));
  if (outside.length > 0) throw new Error(`events planned outside the history's months: ${outside}`);

  let fks = [];
  if (partitioned) {
    fks = await rowsOf(
      c,
      `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'progress_events'::regclass AND contype = 'f'`,
    );
    const parts = new Map(
      (
        await rowsOf(
          c,
          `SELECT c.relname AS name, c.relkind FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'progress_events'::regclass`,
        )
      ).map((r) => [r.name, r]),
    );
    for (const m of months) {
      if (parts.has(m.name)) {
        const { n } = await oneOf(
          c,
          `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${ident(m.name)} LIMIT 1) x`,
        );
        if (n === 0) await c.query(`DROP TABLE ${ident(m.name)}`);
        else m.existing = true;
      } else if (
        await oneOf(
          c,
          `SELECT 1 AS x FROM pg_class WHERE relname = $1 AND relnamespace = 'public'::regnamespace`,
          [m.name],
        )
      ) {
        // A month table an interrupted run left unattached.
        await c.query(`DROP TABLE ${ident(m.name)}`);
      }
    }
  } else {
    log('  progress_events is not partitioned (migration 1795410000000 not applied): loading one table');
    await dropIndexes(c, 'progress_events');
  }

  const columns =
    'learner_id, id, type, lesson_id, lesson_key, course_id, locale, client_at, received_at, payload, outcome';
  const eventId = `encode(set_byte(set_byte(uuid_send(lp.base), 14, j >> 8), 15, j & 255), 'hex')::uuid`;
  const client = `lp.t0 + ${secondsSql('j * lp.step')}`;
  const received = `coalesce(lp.sync_at, lp.t0 + ${msSql('j * lp.step * 1000 + 150 + (j * 7919 + lp.seed) % 2500')})`;
  const from = `FROM scale_gen.lp lp JOIN scale_gen.lesson ls ON ls.idx = lp.lesson_idx
                CROSS JOIN LATERAL generate_series(1, lp.n_ev) j`;
  const inserts = (target, mon) => [
    `INSERT INTO ${target} (${columns})
     SELECT lp.learner_id, ${eventId}, 'video.heartbeat', ls.id, ls.lesson_key, ls.course_id, lp.locale, ${client}, ${received},
            hb.payload, NULL
       ${from}
       JOIN scale_gen.hb hb ON hb.lesson_idx = lp.lesson_idx
                           AND hb.seg = CASE WHEN j <= lp.nb THEN j - 1 ELSE (j * 37 + lp.seed) % lp.nb END
      WHERE lp.mon = ${mon} AND lp.kind = 1`,
    `INSERT INTO ${target} (${columns})
     SELECT lp.learner_id, ${eventId}, 'guide.step', ls.id, ls.lesson_key, ls.course_id, lp.locale, ${client}, ${received},
            st.payload, NULL
       ${from}
       JOIN scale_gen.step st ON st.lesson_idx = lp.lesson_idx AND st.step_no = j
      WHERE lp.mon = ${mon} AND lp.kind = 2`,
    `INSERT INTO ${target} (${columns})
     SELECT lp.learner_id, ${eventId}, 'quiz.attempt', ls.id, ls.lesson_key, ls.course_id, lp.locale, ${client}, ${received},
            q.payload, q.outcome
       ${from}
       JOIN scale_gen.quiz q ON q.lesson_idx = lp.lesson_idx
                            AND q.c = CASE WHEN j = lp.n_ev THEN lp.c_last WHEN j = 1 THEN lp.c_p1 ELSE lp.c_p2 END
      WHERE lp.mon = ${mon} AND lp.kind = 3`,
  ];

  let inserted = 0;
  const work = months
    .filter((m) => sizes.get(m.mon))
    .sort((a, b) => sizes.get(b.mon) - sizes.get(a.mon))
    .map((m) => async (s) => {
      const t = performance.now();
      const lo = `'${m.from.toISOString()}'`;
      const hi = `'${m.to.toISOString()}'`;
      const table = ident(m.name);
      const bare = partitioned && !m.existing;
      if (bare) {
        await s.query(`CREATE TABLE ${table} (LIKE progress_events INCLUDING DEFAULTS)`);
        // Added while empty, so attaching reuses them instead of validating 4 M rows each.
        await s.query(
          `ALTER TABLE ${table} ${[
            ...fks.map((f) => `ADD CONSTRAINT ${ident(f.conname)} ${f.def}`),
            `ADD CONSTRAINT ${ident(`${m.name}_month`)} CHECK (received_at >= ${lo} AND received_at < ${hi})`,
          ].join(', ')}`,
        );
      }
      const target = partitioned ? table : 'progress_events';
      let n = 0;
      const split = [];
      const lap = (() => {
        let last = performance.now();
        return (what) => {
          const now = performance.now();
          split.push(`${what} ${secs(now - last)}`);
          last = now;
        };
      })();
      for (const sql of inserts(target, m.mon)) n += (await s.query(sql)).rowCount;
      lap('insert');
      if (bare) {
        await s.query(
          `ALTER TABLE ${table} ADD CONSTRAINT ${ident(`${m.name}_pkey`)} PRIMARY KEY (learner_id, id, received_at)`,
        );
        lap('pkey');
        await s.query(
          `ALTER TABLE progress_events ATTACH PARTITION ${table} FOR VALUES FROM (${lo}) TO (${hi})`,
        );
        await s.query(`ALTER TABLE ${table} DROP CONSTRAINT ${ident(`${m.name}_month`)}`);
        lap('attach');
      }
      // While the month is hot in the page cache: hint bits set once (else the platform's first full
      // read of the log rewrites every page) and statistics. Cheaper than ANALYZE alone.
      if (partitioned) await s.query(`VACUUM (ANALYZE) ${table}`);
      lap('vacuum');
      inserted += n;
      log(
        `  ${m.name}: ${n} events in ${secs(performance.now() - t)} s (${split.join(', ')}; ${inserted} so far)`,
      );
    });
  await S.pool(work);
  if (!partitioned) {
    await S.pool(await restoreIndexTasks(c, ['progress_events']));
    await c.query(`VACUUM (ANALYZE) progress_events`);
  }
  if (opts['freeze-events'] && !partitioned) await c.query(`VACUUM (FREEZE, ANALYZE) progress_events`);
  else if (opts['freeze-events']) {
    // Now that no generator transaction is open, every row can be frozen and every page marked
    // all-visible (index-only scans); rewrites the whole log once more.
    const t = performance.now();
    await S.pool(
      months
        .filter((m) => sizes.get(m.mon))
        .map((m) => (s) => s.query(`VACUUM (FREEZE, ANALYZE) ${ident(m.name)}`)),
    );
    log(`  frozen in ${secs(performance.now() - t)} s`);
  }
  if (
    partitioned &&
    (await oneOf(c, `SELECT 1 AS x FROM pg_proc WHERE proname = 'progress_events_ensure_partitions'`))
  ) {
    await c.query(
      `SELECT progress_events_ensure_partitions((now() AT TIME ZONE 'UTC')::date, ((now() AT TIME ZONE 'UTC') + interval '2 months')::date)`,
    );
  }
  ctx.insertedEvents = inserted;
  if (inserted !== ctx.plannedEvents)
    throw new Error(`planned ${ctx.plannedEvents} events, inserted ${inserted}`);
}

async function vacuumAnalyze(ctx) {
  const { S } = ctx;
  const tables = [
    'users',
    'user_roles',
    'localities',
    'courses',
    'course_versions',
    'lessons',
    'media_assets',
    'enrolments',
    'lesson_progress',
    'course_completions',
    'mentoring_records',
    'certification_applications',
    'certificates',
    'certification_audit',
    'certificate_serials',
    'reporting_daily_activity',
  ];
  await S.pool([
    ...['lesson_progress', 'enrolments', 'users', 'user_roles', 'course_completions'].map(
      (t) => (s) => s.query(`VACUUM (ANALYZE) ${t}`),
    ),
    (s) =>
      s.query(
        `VACUUM (ANALYZE) ${tables.filter((t) => !['lesson_progress', 'enrolments', 'users', 'user_roles', 'course_completions'].includes(t)).join(', ')}`,
      ),
  ]);
}

async function report(ctx) {
  const { c } = ctx;
  const tables = [
    'localities',
    'users',
    'user_roles',
    'courses',
    'course_versions',
    'lessons',
    'media_assets',
    'enrolments',
    'lesson_progress',
    'course_completions',
    'mentoring_records',
    'certification_applications',
    'certificates',
    'certification_audit',
    'reporting_daily_activity',
  ];
  console.log('\nRows:');
  for (const t of tables)
    console.log(
      `  ${t.padEnd(28)} ${String(await countOf(c, `SELECT count(*) AS n FROM ${t}`)).padStart(12)}`,
    );
  const est = await oneOf(
    c,
    `SELECT sum(c.reltuples)::bigint AS n, pg_size_pretty(sum(pg_total_relation_size(t.relid))) AS size
       FROM pg_partition_tree('progress_events') t JOIN pg_class c ON c.oid = t.relid WHERE t.isleaf`,
  );
  console.log(
    `  ${'progress_events'.padEnd(28)} ${String(ctx.insertedEvents).padStart(12)}  (inserted; ${est.n} estimated)`,
  );
  const { db } = await oneOf(c, `SELECT pg_size_pretty(pg_database_size(current_database())) AS db`);
  console.log(`\nDatabase size ${db}; progress_events ${est.size}.`);
  console.log('\nPhases:');
  for (const [name, ms] of phases) console.log(`  ${name.padEnd(56)} ${secs(ms).padStart(8)} s`);
  console.log(`  ${'total'.padEnd(56)} ${secs(performance.now() - t0).padStart(8)} s`);
  const generation = phases.filter(([n]) => !n.startsWith('fresh')).reduce((a, [, ms]) => a + ms, 0);
  console.log(`  ${'total without --fresh set-up'.padEnd(56)} ${secs(generation).padStart(8)} s`);
  const sample = await oneOf(
    c,
    `SELECT u.phone, e.course_id FROM users u JOIN enrolments e ON e.learner_id = u.id
      WHERE u.phone IS NOT NULL AND e.completed_at IS NULL AND e.started_at IS NOT NULL LIMIT 1`,
  );
  if (sample)
    console.log(
      `\nSign in as any learner, e.g. ${sample.phone} / ${PASSWORD}; staff: quan-tri-1@${STAFF_DOMAIN}.`,
    );
}

// ---------------------------------------------------------------------------------------------
// verify: referential integrity and the generator's own consistency rules

async function verify() {
  const c = await connect();
  await c.query('SET session_replication_role = origin');
  const checks = [
    [
      'users without a valid group',
      `SELECT count(*) AS n FROM users u WHERE u.learner_group_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM learner_groups g WHERE g.id = u.learner_group_id)`,
    ],
    [
      'users in an unknown place',
      `SELECT count(*) AS n FROM users u WHERE u.village_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM localities l WHERE l.id = u.village_id AND l.level = 'village')`,
    ],
    [
      'learners without the learner role',
      `SELECT count(*) AS n FROM users u WHERE u.learner_group_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'learner')`,
    ],
    [
      'localities whose path is not parent path + id',
      `SELECT count(*) AS n FROM localities l LEFT JOIN localities p ON p.id = l.parent_id WHERE l.path <> coalesce(p.path, '/') || l.id || '/'`,
    ],
    [
      'duplicate phones',
      `SELECT count(*) AS n FROM (SELECT phone FROM users WHERE phone IS NOT NULL GROUP BY phone HAVING count(*) > 1) x`,
    ],
    [
      'courses without a published version',
      `SELECT count(*) AS n FROM courses c LEFT JOIN course_versions v ON v.id = c.published_version_id WHERE v.status IS DISTINCT FROM 'published'`,
    ],
    [
      'lessons of unknown versions',
      `SELECT count(*) AS n FROM lessons l WHERE NOT EXISTS (SELECT 1 FROM course_versions v WHERE v.id = l.course_version_id)`,
    ],
    [
      'video lessons with unknown media',
      `SELECT count(*) AS n FROM lessons l WHERE l.kind = 'video' AND l.content ? 'media' AND NOT EXISTS (SELECT 1 FROM media_assets m WHERE m.id::text = l.content->'media'->>'vi')`,
    ],
    [
      'enrolments on a version that is not published',
      `SELECT count(*) AS n FROM enrolments e JOIN course_versions v ON v.id = e.course_version_id WHERE v.status <> 'published' OR v.course_id <> e.course_id`,
    ],
    [
      'enrolments of unknown learners',
      `SELECT count(*) AS n FROM enrolments e WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = e.learner_id)`,
    ],
    [
      'enrolments before the learner or the course existed',
      `SELECT count(*) AS n FROM enrolments e JOIN users u ON u.id = e.learner_id JOIN course_versions v ON v.id = e.course_version_id WHERE e.enrolled_at < u.created_at OR e.enrolled_at < v.published_at`,
    ],
    [
      'enrolments out of order (enrolled ≤ started ≤ completed ≤ now)',
      `SELECT count(*) AS n FROM enrolments WHERE started_at < enrolled_at OR completed_at < started_at OR completed_at > now() OR last_activity_at > now()`,
    ],
    [
      'completed enrolments without their completion',
      `SELECT count(*) AS n FROM enrolments e WHERE e.completed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM course_completions c WHERE c.learner_id = e.learner_id AND c.course_version_id = e.course_version_id AND c.completed_at = e.completed_at)`,
    ],
    [
      'completions without a completed enrolment',
      `SELECT count(*) AS n FROM course_completions c WHERE NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.learner_id = c.learner_id AND e.course_id = c.course_id AND e.completed_at IS NOT NULL)`,
    ],
    [
      'completed enrolments with a lesson not completed',
      `SELECT count(*) AS n FROM enrolments e JOIN lessons l ON l.course_version_id = e.course_version_id WHERE e.completed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM lesson_progress p WHERE p.learner_id = e.learner_id AND p.lesson_key = l.lesson_key AND p.status = 'completed')`,
    ],
    [
      'lesson summaries without an enrolment',
      `SELECT count(*) AS n FROM lesson_progress p WHERE NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.learner_id = p.learner_id AND e.course_id = p.course_id AND e.started_at IS NOT NULL)`,
    ],
    [
      'lesson summaries of unknown lessons',
      `SELECT count(*) AS n FROM lesson_progress p LEFT JOIN lessons l ON l.id = p.lesson_id WHERE l.id IS NULL OR l.lesson_key <> p.lesson_key OR l.kind <> p.kind`,
    ],
    [
      'events of unknown learners',
      `SELECT count(*) AS n FROM progress_events e WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = e.learner_id)`,
    ],
    [
      'events of unknown lessons or courses',
      `SELECT count(*) AS n FROM progress_events e LEFT JOIN lessons l ON l.id = e.lesson_id LEFT JOIN course_versions v ON v.id = l.course_version_id WHERE l.id IS NULL OR l.lesson_key <> e.lesson_key OR v.course_id <> e.course_id`,
    ],
    [
      'events of the wrong type for their lesson',
      `SELECT count(*) AS n FROM progress_events e JOIN lessons l ON l.id = e.lesson_id WHERE e.type <> CASE l.kind WHEN 'video' THEN 'video.heartbeat' WHEN 'guide' THEN 'guide.step' ELSE 'quiz.attempt' END`,
    ],
    [
      'events outside an enrolment of their learner',
      `SELECT count(*) AS n FROM progress_events e WHERE NOT EXISTS (SELECT 1 FROM enrolments n WHERE n.learner_id = e.learner_id AND n.course_id = e.course_id AND n.started_at <= e.received_at)`,
    ],
    [
      'events received before sent or in the future',
      `SELECT count(*) AS n FROM progress_events WHERE received_at < client_at OR received_at > now()`,
    ],
    [
      'events whose count differs from their summary',
      `SELECT count(*) AS n FROM (SELECT learner_id, lesson_key, count(*) AS n, max(client_at) AS last FROM progress_events GROUP BY 1, 2) e FULL JOIN lesson_progress p USING (learner_id, lesson_key) WHERE p.events IS DISTINCT FROM e.n OR p.last_event_at IS DISTINCT FROM e.last`,
    ],
    [
      'guide steps not of their guide',
      `SELECT count(*) AS n FROM progress_events e JOIN lessons l ON l.id = e.lesson_id WHERE e.type = 'guide.step' AND NOT (l.content->'steps' @> jsonb_build_array(jsonb_build_object('id', e.payload->>'stepId')))`,
    ],
    [
      'heartbeats beyond their video',
      `SELECT count(*) AS n FROM progress_events e JOIN lessons l ON l.id = e.lesson_id JOIN media_assets m ON m.id::text = l.content->'media'->>'vi' WHERE e.type = 'video.heartbeat' AND m.status = 'ready' AND (e.payload->>'position')::numeric > m.duration_seconds`,
    ],
    [
      'mentoring records of unknown candidates',
      `SELECT count(*) AS n FROM mentoring_records r WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = r.candidate_id)`,
    ],
    [
      'certificates without their approved application',
      `SELECT count(*) AS n FROM certificates c LEFT JOIN certification_applications a ON a.id = c.application_id WHERE a.status IS DISTINCT FROM 'approved' OR a.candidate_id <> c.holder_id`,
    ],
    [
      'certificates whose holder lacks a required completion',
      `SELECT count(*) AS n FROM certificates c JOIN certification_programmes p ON p.id = c.programme_id CROSS JOIN LATERAL unnest(p.required_course_ids) rc WHERE NOT EXISTS (SELECT 1 FROM course_completions cc WHERE cc.learner_id = c.holder_id AND cc.course_id = rc AND cc.completed_at < c.issued_at)`,
    ],
    [
      'certificates with fewer households than required',
      `SELECT count(*) AS n FROM certificates c JOIN certification_programmes p ON p.id = c.programme_id WHERE (SELECT count(DISTINCT household_key) FROM mentoring_records r WHERE r.candidate_id = c.holder_id AND r.helped_on < (c.issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) < p.min_households`,
    ],
    [
      'serial counters behind the serials',
      `SELECT count(*) AS n FROM certificates c JOIN certification_programmes p ON p.id = c.programme_id LEFT JOIN certificate_serials s ON s.prefix = p.serial_prefix AND s.year = split_part(c.serial, '-', -2)::int WHERE s.last_number IS NULL OR s.last_number < split_part(c.serial, '-', -1)::int`,
    ],
  ];
  let failed = 0;
  for (const [name, sql] of checks) {
    const t = performance.now();
    const n = await countOf(c, sql);
    if (n > 0) failed++;
    console.log(`${n === 0 ? 'ok  ' : 'FAIL'} ${name}: ${n} (${secs(performance.now() - t)} s)`);
  }
  const householdKeys = join(ROOT, 'dist/src/modules/certification/certificate-identifiers.js');
  if (existsSync(householdKeys)) {
    const { householdKey } = await import(pathToFileURL(householdKeys).href);
    const rows = await rowsOf(
      c,
      `SELECT household, household_key FROM mentoring_records ORDER BY random() LIMIT 2000`,
    );
    const bad = rows.filter((r) => householdKey(r.household) !== r.household_key).length;
    if (bad > 0) failed++;
    console.log(
      `${bad === 0 ? 'ok  ' : 'FAIL'} household keys as the platform makes them (sample of ${rows.length}): ${bad}`,
    );
  }
  const phoneParser = join(ROOT, 'dist/src/modules/identity/phone-number.js');
  if (existsSync(phoneParser)) {
    const { normalizeVietnamesePhone } = await import(pathToFileURL(phoneParser).href);
    const rows = await rowsOf(
      c,
      `SELECT phone FROM users WHERE phone IS NOT NULL ORDER BY random() LIMIT 5000`,
    );
    const bad = rows.filter((r) => normalizeVietnamesePhone(r.phone) !== r.phone).length;
    if (bad > 0) failed++;
    console.log(
      `${bad === 0 ? 'ok  ' : 'FAIL'} phones the platform accepts (sample of ${rows.length}): ${bad}`,
    );
  }
  // Replays a sample of lesson summaries' events through the platform's own lesson kinds.
  const kinds = join(ROOT, 'dist/src/modules/lesson-kinds/lesson-kinds.js');
  if (existsSync(kinds)) {
    const { lessonKind } = await import(pathToFileURL(kinds).href);
    const canonical = (v) =>
      Array.isArray(v)
        ? `[${v.map(canonical).join(',')}]`
        : v && typeof v === 'object'
          ? `{${Object.keys(v)
              .sort()
              .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
              .join(',')}}`
          : JSON.stringify(v);
    const sample = await rowsOf(
      c,
      `SELECT p.learner_id, p.lesson_key, p.lesson_id, p.kind, p.status, p.state, l.content, m.status AS media_status,
              m.duration_seconds
         FROM (SELECT * FROM lesson_progress ORDER BY random() LIMIT 600) p
         JOIN lessons l ON l.id = p.lesson_id
         LEFT JOIN media_assets m ON m.id::text = l.content->'media'->>'vi'`,
    );
    let bad = 0;
    for (const row of sample) {
      const kind = lessonKind(row.kind);
      const duration =
        row.media_status === 'ready' ? Number(row.duration_seconds) : row.state.durationSeconds;
      const lesson = {
        id: row.lesson_id,
        content: row.content,
        mediaDurations: row.kind === 'video' ? { vi: duration } : {},
      };
      const events = await rowsOf(
        c,
        `SELECT payload, outcome, client_at, locale FROM progress_events WHERE learner_id = $1 AND lesson_key = $2
          ORDER BY client_at, id`,
        [row.learner_id, row.lesson_key],
      );
      const state = kind.emptyState();
      let completed = false;
      let problem = null;
      for (const e of events) {
        const problems = [];
        const payload = kind.parseEvent(e.payload, problems);
        const refused = problems.length > 0 ? { code: problems.join('; ') } : kind.check(payload, lesson);
        const applied =
          refused ??
          kind.apply(state, { payload, at: new Date(e.client_at), locale: e.locale }, lesson, {
            videoCompletionShare: 0.9,
            chain: [e.locale, 'vi'],
          });
        if (applied.code) problem ??= `event refused: ${applied.code}`;
        else {
          if (applied.completes) completed = true;
          if (canonical(applied.outcome ?? null) !== canonical(e.outcome)) problem ??= 'quiz outcome differs';
        }
      }
      if (!problem && canonical(state) !== canonical(row.state))
        problem = `state ${canonical(state)} ≠ stored ${canonical(row.state)}`;
      if (!problem && completed !== (row.status === 'completed'))
        problem = `completed ${completed} ≠ status ${row.status}`;
      if (problem) {
        if (bad < 3) console.log(`     ${row.kind} ${row.learner_id}/${row.lesson_key}: ${problem}`);
        bad++;
      }
    }
    if (bad > 0) failed++;
    console.log(
      `${bad === 0 ? 'ok  ' : 'FAIL'} summaries the platform's lesson kinds rebuild from their events (sample of ${sample.length}): ${bad}`,
    );
  }
  await c.end();
  console.log(failed === 0 ? '\nAll checks passed.' : `\n${failed} check(s) failed.`);
  process.exitCode = failed === 0 ? 0 : 1;
}

try {
  if (command === 'generate') await generate();
  else await verify();
} catch (e) {
  console.error(e);
  process.exit(1);
}

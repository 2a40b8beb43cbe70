import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import { copyIn, copyOut } from '../src/infrastructure/backup/pg-copy.js';
import type { BackupManifest } from '../src/infrastructure/backup/manifest.js';
import { rebaseOutboxPositions } from '../src/infrastructure/backup/outbox-positions.js';
import {
  startEmbeddedPostgres,
  type RunningPostgres,
} from '../src/infrastructure/embedded/embedded-postgres.js';
import { startEmbeddedS3 } from '../src/infrastructure/embedded/embedded-s3.js';
import { checkIssued } from './support/credentials.js';
import {
  coordinatorOf,
  eligibleCandidate,
  quizCourse,
  testArea,
  testProgramme,
  waitForCertificate,
  type QuizCourse,
  type TestArea,
} from './factories/certification.factory.js';
import { progressEvent } from './factories/learning.factory.js';
import { userWithRoles, type TestUser } from './factories/user.factory.js';
import { api, apiUrl, testEnv } from './support/api.js';
import { ROOT, runScript, startPlatform, type PlatformProcess } from './support/platform-process.js';
import { freePort } from './support/ports.js';

const BACKUP = 'dist/src/infrastructure/backup/cli/backup.js';
const RESTORE = 'dist/src/infrastructure/backup/cli/restore.js';

/** The packages a built file loads, following its relative imports (node: built-ins left out). */
function packagesLoadedBy(file: string, seen = new Set<string>(), found = new Set<string>()): Set<string> {
  if (seen.has(file)) return found;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/\bfrom\s+'([^']+)'|\bimport\s+'([^']+)'/g)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.')) packagesLoadedBy(resolve(dirname(file), spec), seen, found);
    else if (!spec.startsWith('node:'))
      found.add(
        spec
          .split('/')
          .slice(0, spec.startsWith('@') ? 2 : 1)
          .join('/'),
      );
  }
  return found;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const readManifest = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BackupManifest;

/** Tables, views and sequences in a database's public schema. */
async function relationsIn(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'S')`,
    );
    return rows[0].n;
  } finally {
    await client.end();
  }
}

async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Every published course of the catalog, with its lessons (anonymous, as anyone sees them). */
async function publishedCourses(base: string): Promise<any[]> {
  const courses = [];
  for (let page = 1; ; page++) {
    const list = await api(`/api/v1/courses?pageSize=100&page=${page}`, { base });
    if (list.status !== 200) throw new Error(`course list: ${list.status} ${list.text.slice(0, 300)}`);
    for (const c of list.body.items) courses.push((await api(`/api/v1/courses/${c.id}`, { base })).body);
    if (page * 100 >= list.body.meta.total) return courses;
  }
}

async function bytesOf(url: string): Promise<{ status: number; body: Buffer }> {
  const res = await fetch(url);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

/**
 * The restore drill. A populated instance (the seeded courses with their transcoded videos, users
 * with passwords, certificates issued through the real flow, one revoked) is backed up by the
 * `backup` command while it runs, then restored by `restore` into a different PostgreSQL (the
 * embedded one, version 18, where the run's may be 15) and a new S3 server, and a platform
 * started on the restored services must serve all of it: certificates verify, lessons play,
 * people sign in, and it keeps working (a new certificate, counted by the outbox consumer).
 */
describe('backups: the restore drill', () => {
  const env = testEnv();
  const work = mkdtempSync(join(tmpdir(), 'banso-backup-'));
  chmodSync(work, 0o755); // embedded PostgreSQL runs as the postgres user when we are root
  const backupDir = join(work, 'backup');
  const processes: PlatformProcess[] = [];
  const stops: (() => Promise<unknown>)[] = [];
  const figures: Record<string, string> = {};

  let db: pg.Client;
  let area: TestArea;
  let course: QuizCourse;
  let programmeId: string;
  let coordinator: TestUser;
  let holders: { user: TestUser; cert: any }[];
  let revoked: { user: TestUser; cert: any };
  let manifest: BackupManifest;
  let target: RunningPostgres;
  let restoredEnv: Record<string, string>;
  let restoredApi: PlatformProcess;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    area = await testArea(1, 1);
    const village = area.communes[0].villageIds[0];
    course = await quizCourse(
      await userWithRoles([{ role: 'trainer' }]),
      await userWithRoles([{ role: 'trainer' }]),
    );
    programmeId = await testProgramme(area, [course.courseId], 1);
    coordinator = await coordinatorOf(area.provinceId);
    holders = [];
    for (const [displayName, password] of [
      ['Sùng Thị Mỷ', 'Mật khẩu riêng của Mỷ ở bản Pạc Tà'],
      ['Giàng A Sử', 'Sử học dùng VNeID ở Lao Chải 2026'],
      ['Lù Văn Páo', 'Páo trả tiền điện qua điện thoại'],
    ]) {
      const user = await eligibleCandidate(village, course, 1, { displayName, password });
      const application = await api('/api/v1/certification/applications', {
        token: user.accessToken,
        body: { programmeId },
      });
      const approved = await api(`/api/v1/certification/applications/${application.body.id}/approve`, {
        token: coordinator.accessToken,
        body: { reason: 'Đã xác minh các hộ tại thôn.' },
      });
      expect(approved.status).toBe(200);
      holders.push({ user, cert: await waitForCertificate(user.accessToken, approved.body.certificate.id) });
    }
    // An event received in a month the restore's own migrations do not create (they make the
    // current months): the restore must create that month's partition before loading its rows.
    await db.query(`SELECT progress_events_ensure_partitions('2025-06-01', '2025-06-01')`);
    await db.query(
      `INSERT INTO progress_events (learner_id, id, type, lesson_id, lesson_key, course_id, locale, client_at, received_at, payload)
       SELECT $1, gen_random_uuid(), 'guide.step', l.id, l.lesson_key, v.course_id, 'vi',
              '2025-06-20T08:00:00Z', '2025-06-20T08:05:00Z', jsonb_build_object('stepId', $3::text)
         FROM lessons l JOIN course_versions v ON v.id = l.course_version_id
        WHERE l.id = $2`,
      [holders[0].user.id, course.guideId, course.stepIds[0]],
    );
    revoked = holders[1];
    const r = await api(`/api/v1/certificates/${revoked.cert.id}/revoke`, {
      token: coordinator.accessToken,
      body: { reason: 'Chuyển đi nơi khác, không còn hỗ trợ thôn.' },
    });
    expect(r.body.status).toBe('revoked');

    // The seeded courses' videos are transcoded by the worker in the background: wait for them,
    // so the drill covers lessons that really play.
    for (const until = Date.now() + 300_000; ; await sleep(2000)) {
      const pending = (await publishedCourses(apiUrl()))
        .flatMap((c) => c.lessons)
        .filter((l: any) => l.video && !['ready', 'failed'].includes(l.video.status));
      if (pending.length === 0) break;
      if (Date.now() > until) throw new Error(`videos still processing: ${pending.length}`);
    }
  }, 420_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGTERM')));
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await db.end();
    rmSync(work, { recursive: true, force: true });
    console.log(`restore drill figures: ${JSON.stringify(figures)}`);
  });

  it('backs up the running platform: every table from one snapshot, every object, a manifest of checksums', async () => {
    const started = Date.now();
    const run = await runScript(BACKUP, env, [backupDir]);
    figures.backupSeconds = ((Date.now() - started) / 1000).toFixed(1);
    expect([run.code, run.output]).toEqual([0, expect.stringMatching(/Backup written to .* in [\d.]+ s\./)]);
    manifest = readManifest(backupDir);

    const { rows: migrations } = await db.query('SELECT name FROM typeorm_migrations ORDER BY timestamp');
    expect(manifest.database.migrationHead).toBe(migrations.at(-1).name);
    expect(manifest.database.migrations).toEqual(migrations.map((m) => m.name));
    expect(manifest.app.version).toMatch(/^\d+\.\d+\.\d+/);
    const tableNames = manifest.database.tables.map((t) => t.name);
    expect(tableNames).toEqual(
      expect.arrayContaining(['typeorm_migrations', 'users', 'certificates', 'issuer_keys']),
    );
    expect(tableNames).not.toContain('reporting_villages'); // a view: no data of its own
    const certificates = manifest.database.tables.find((t) => t.name === 'certificates')!;
    const { rows: counted } = await db.query('SELECT count(*)::int AS n FROM certificates');
    expect(certificates.rows).toBeLessThanOrEqual(counted[0].n); // the snapshot, taken before now
    expect(certificates.rows).toBeGreaterThanOrEqual(3);

    // Every certificate PDF is in the backup with the SHA-256 its record carries.
    for (const { cert } of holders) {
      expect(manifest.storage.objects).toContainEqual(
        expect.objectContaining({
          bucket: 'certificates',
          sha256: cert.pdfSha256,
          contentType: 'application/pdf',
        }),
      );
    }
    expect(manifest.storage.objects.some((o) => o.bucket === 'media' && o.key.endsWith('master.m3u8'))).toBe(
      true,
    );
    expect(manifest.totals).toMatchObject({
      tables: manifest.database.tables.length,
      objects: manifest.storage.objects.length,
      objectBytes: manifest.storage.objects.reduce((n, o) => n + o.bytes, 0),
    });
    figures.rows = String(manifest.totals.rows);
    figures.objects = String(manifest.totals.objects);
    figures.objectMB = (manifest.totals.objectBytes / 1e6).toFixed(1);
    figures.databaseMBCompressed = (manifest.totals.databaseBytes / 1e6).toFixed(2);

    // Never over another backup; usage errors are 2, --help is 0.
    const again = await runScript(BACKUP, env, [backupDir]);
    expect([again.code, again.output]).toEqual([1, expect.stringMatching(/is not empty/)]);
    expect((await runScript(BACKUP, env, [])).code).toBe(2);
    expect((await runScript(BACKUP, env, ['--bogus', backupDir])).code).toBe(2);
    const help = await runScript(BACKUP, env, ['--help']);
    expect([help.code, help.output]).toEqual([0, expect.stringMatching(/Exit code: 0 done, 1 failed/)]);

    // Both commands run from the built files with the production dependencies only (the image).
    const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const cli of [BACKUP, RESTORE]) {
      const loaded = [...packagesLoadedBy(join(ROOT, cli))];
      expect([cli, loaded.filter((p) => !(p in dependencies))]).toEqual([cli, []]);
      expect(loaded).toEqual(expect.arrayContaining(['pg', 'minio']));
    }
  }, 180_000);

  it('refuses a damaged backup and a target that is not empty, changing nothing', async () => {
    // A new PostgreSQL (embedded, another major version than CI's) and a new S3 server.
    const pgPort = await freePort();
    target = await startEmbeddedPostgres(join(work, 'pg'), pgPort, () => undefined);
    stops.push(() => target.stop());
    const s3 = await startEmbeddedS3(join(work, 's3'), await freePort());
    stops.push(() => s3.stop());
    restoredEnv = {
      ...env,
      DATABASE_URL: target.url,
      S3_ENDPOINT: s3.url,
      // Links straight to the restored store, as the suite's own links go to its store.
      S3_PUBLIC_URL: s3.url,
      S3_ACCESS_KEY: 'S3RVER',
      S3_SECRET_KEY: 'S3RVER-does-not-check',
      S3_BUCKET_PREFIX: 'restored',
      // Its own queues: the run's worker must not take the restored platform's jobs.
      QUEUE_PREFIX: `r${randomBytes(4).toString('hex')}`,
    };
    if (env.REDIS_URL) {
      stops.push(async () => {
        const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
        const keys = await redis.keys(`${restoredEnv.QUEUE_PREFIX}:*`);
        if (keys.length > 0) await redis.del(...keys);
        await redis.quit();
      });
    }

    // One byte of one certificate PDF flipped: refused before anything is written, file named.
    const pdf = manifest.storage.objects.find((o) => o.sha256 === holders[0].cert.pdfSha256)!;
    const original = readFileSync(join(backupDir, pdf.file));
    const tampered = Buffer.from(original);
    tampered[Math.floor(tampered.length / 2)] ^= 0x01;
    writeFileSync(join(backupDir, pdf.file), tampered);
    const damaged = await runScript(RESTORE, restoredEnv, [backupDir]);
    writeFileSync(join(backupDir, pdf.file), original);
    expect(damaged.code).toBe(1);
    expect(damaged.output).toContain('The backup is damaged, nothing was changed');
    expect(damaged.output).toContain(pdf.file);
    expect(await relationsIn(target.url)).toBe(0);
    const bucketProbe = await fetch(`${s3.url}/restored-certificates?list-type=2`);
    expect(bucketProbe.status).toBe(404); // not even the buckets were created

    // A manifest this code cannot read, and usage errors.
    expect((await runScript(RESTORE, restoredEnv, [work])).output).toMatch(/has no manifest\.json/);
    expect((await runScript(RESTORE, restoredEnv, [])).code).toBe(2);
    const help = await runScript(RESTORE, restoredEnv, ['--help']);
    expect([help.code, help.output]).toEqual([0, expect.stringMatching(/EMPTY database and EMPTY buckets/)]);

    // A database that is not empty (the run's own): refused, named, untouched.
    const before = await relationsIn(env.DATABASE_URL);
    const busy = await runScript(RESTORE, { ...restoredEnv, DATABASE_URL: env.DATABASE_URL }, [backupDir]);
    expect([busy.code, busy.output]).toEqual([
      1,
      expect.stringMatching(/only goes into an empty database.*schema "public" has/s),
    ]);
    expect(await relationsIn(env.DATABASE_URL)).toBe(before);
    // Buckets that are not empty (the run's own): refused, and the empty database stays empty.
    const full = await runScript(
      RESTORE,
      {
        ...restoredEnv,
        S3_ENDPOINT: env.S3_ENDPOINT,
        S3_ACCESS_KEY: env.S3_ACCESS_KEY,
        S3_SECRET_KEY: env.S3_SECRET_KEY,
        S3_BUCKET_PREFIX: env.S3_BUCKET_PREFIX,
      },
      [backupDir],
    );
    expect([full.code, full.output]).toEqual([
      1,
      expect.stringMatching(new RegExp(`bucket ${env.S3_BUCKET_PREFIX}-media holds`)),
    ]);
    expect(await relationsIn(target.url)).toBe(0);
  }, 120_000);

  it('restores into a fresh database and S3 server, exactly: a backup of the copy has the same tables and objects', async () => {
    const started = Date.now();
    const run = await runScript(RESTORE, restoredEnv, [backupDir]);
    figures.restoreSeconds = ((Date.now() - started) / 1000).toFixed(1);
    expect([run.code, run.output]).toEqual([0, expect.stringMatching(/Every file matches the manifest/)]);
    expect(run.output).toMatch(/Restored \d+ tables, \d+ rows and \d+ objects/);

    // Restoring again over it is refused: the database is no longer empty.
    const twice = await runScript(RESTORE, restoredEnv, [backupDir]);
    expect([twice.code, twice.output]).toEqual([
      1,
      expect.stringMatching(/only goes into an empty database/),
    ]);

    // Backed up again before anything touches it, the copy gives byte-identical table dumps and
    // the same objects. Only the outbox's transaction ids differ: they are renumbered (see
    // outbox-positions.ts), the rows are the same.
    const copyDir = join(work, 'backup-of-restored');
    expect((await runScript(BACKUP, restoredEnv, [copyDir])).code).toBe(0);
    const copy = readManifest(copyDir);
    const renumbered = ['domain_events', 'outbox_checkpoints'];
    const summary = (m: BackupManifest) =>
      m.database.tables.map((t) => ({
        name: t.name,
        rows: t.rows,
        columns: t.columns.map((c) => c.name),
        sha256: renumbered.includes(t.name) ? 'renumbered' : t.sha256,
      }));
    expect(summary(copy)).toEqual(summary(manifest));
    expect(copy.database.migrations).toEqual(manifest.database.migrations);
    expect(copy.database.sequences).toEqual(manifest.database.sequences);
    const objects = (m: BackupManifest) =>
      m.storage.objects.map(({ bucket, key, sha256: h, contentType, bytes }) => ({
        bucket,
        key,
        h,
        contentType,
        bytes,
      }));
    expect(objects(copy)).toEqual(objects(manifest));
    expect(copy.storage.buckets).toEqual({
      media: 'restored-media',
      certificates: 'restored-certificates',
      archive: 'restored-archive',
    });
    const events = manifest.database.tables.find((t) => t.name === 'progress_events')!;
    expect(events.partitions).toEqual(
      expect.arrayContaining([
        { name: 'progress_events_2025_06', bound: expect.stringMatching(/^FOR VALUES FROM \('2025-06-01/) },
      ]),
    );
    expect(copy.database.tables.find((t) => t.name === 'progress_events')!.partitions).toEqual(
      events.partitions,
    );
    figures.sourcePostgres = manifest.database.serverVersion.split(' ')[0];
    figures.targetPostgres = copy.database.serverVersion.split(' ')[0];
  }, 180_000);

  it('serves the restored platform: certificates verify, lessons play, people sign in with their passwords', async () => {
    restoredApi = await startPlatform('api', restoredEnv);
    processes.push(restoredApi);
    const base = restoredApi.url;
    const did = (await api('/.well-known/did.json', { base })).body;
    expect(did).toEqual((await api('/.well-known/did.json')).body);

    for (const { user, cert } of holders) {
      const login = await api('/api/v1/auth/login', {
        base,
        body: { identifier: user.phone, password: user.password },
      });
      expect(login.status).toBe(200);
      const wrong = await api('/api/v1/auth/login', {
        base,
        body: { identifier: user.phone, password: 'sai mật khẩu rồi' },
      });
      expect(wrong.status).toBe(401);

      const verified = await api(`/api/v1/verify/${cert.verificationCode}`, { base });
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({
        status: user === revoked.user ? 'revoked' : 'valid',
        serial: cert.serial,
        pdfSha256: cert.pdfSha256,
      });
      expect(verified.body).toEqual((await api(`/api/v1/verify/${cert.verificationCode}`)).body);

      // The holder downloads the PDF and the credential from the restored storage.
      const [mine] = (await api('/api/v1/certificates/mine', { base, token: login.body.accessToken })).body;
      expect(mine.downloads.pdf.startsWith(restoredEnv.S3_ENDPOINT)).toBe(true);
      const pdf = await bytesOf(mine.downloads.pdf);
      expect([pdf.status, sha256(pdf.body)]).toEqual([200, cert.pdfSha256]);
      // It verifies against the restored DID document and status list: the revocation came back too.
      const credential = JSON.parse((await bytesOf(mine.downloads.credential)).body.toString());
      const check = await checkIssued(credential, { base, pdfSha256: cert.pdfSha256 });
      expect(check.checks.filter((c) => c.outcome !== 'passed').map((c) => c.name)).toEqual(
        user === revoked.user ? ['status'] : [],
      );
      expect(check.revoked).toBe(user === revoked.user);
    }
    const admin = await api('/api/v1/auth/login', {
      base,
      body: { identifier: env.ADMIN_PHONE, password: env.ADMIN_PASSWORD },
    });
    expect(admin.status).toBe(200);

    // Every published lesson answers as it did, and every video plays: master playlist,
    // every rendition's playlist and first segment, poster, subtitles — the same bytes.
    const courses = await publishedCourses(base);
    expect(courses).toEqual(await publishedCourses(apiUrl()));
    let lessons = 0;
    let videos = 0;
    for (const c of courses) {
      for (const l of c.lessons) {
        const lesson = await api(`/api/v1/lessons/${l.id}`, { base });
        expect(lesson.status).toBe(200);
        expect(lesson.body).toEqual((await api(`/api/v1/lessons/${l.id}`)).body);
        lessons++;
        for (const track of lesson.body.subtitles ?? []) {
          const vtt = await api(track.url, { base });
          expect([vtt.status, vtt.text.startsWith('WEBVTT')]).toEqual([200, true]);
        }
        const video = lesson.body.video;
        if (!video) continue;
        videos++;
        const files = [
          video.hlsUrl,
          video.posterUrl,
          ...video.renditions.map((r: any) => r.playlistUrl),
        ].filter(Boolean);
        for (const r of video.renditions) {
          const playlist = (await bytesOf(`${base}${r.playlistUrl}`)).body.toString();
          const segment = playlist.split('\n').find((line) => line && !line.startsWith('#'))!;
          files.push(r.playlistUrl.replace(/[^/]+$/, segment));
        }
        for (const file of files) {
          const [restored, source] = await Promise.all([
            bytesOf(`${base}${file}`),
            bytesOf(`${apiUrl()}${file}`),
          ]);
          expect([file, restored.status]).toEqual([file, 200]);
          expect(restored.body.equals(source.body)).toBe(true);
        }
      }
    }
    expect(videos).toBeGreaterThan(0);
    figures.lessonsChecked = String(lessons);
    figures.videosChecked = String(videos);
  }, 180_000);

  it('keeps working after the restore: a new certificate continues the serials with the restored key, and the outbox counts it', async () => {
    const base = restoredApi.url;
    processes.push(await startPlatform('worker', restoredEnv));
    const admin = (
      await api('/api/v1/auth/login', {
        base,
        body: { identifier: env.ADMIN_PHONE, password: env.ADMIN_PASSWORD },
      })
    ).body.accessToken;
    const activity = async () =>
      (await api(`/api/v1/reporting/activity?localityId=${area.provinceId}`, { base, token: admin })).body
        .totals;
    const waitForTotals = async (issued: number) => {
      let totals: any;
      for (const until = Date.now() + 45_000; Date.now() < until; await sleep(500)) {
        totals = await activity();
        if (totals.certificatesIssued >= issued) break;
      }
      return totals;
    };
    // The consumer catches up on what it had not counted at backup time…
    expect(await waitForTotals(3)).toMatchObject({ certificatesIssued: 3, certificatesRevoked: 1 });

    // …and counts what happens after the restore.
    const phone = `09${String(Date.now()).slice(-8)}`;
    const password = 'Người bản số mới sau khi khôi phục';
    const registered = await api('/api/v1/auth/register', {
      base,
      body: {
        phone,
        password,
        displayName: 'Vàng Thị Dua',
        villageId: area.communes[0].villageIds[0],
        languages: ['hmn', 'vi'],
      },
    });
    expect(registered.status).toBe(201);
    const token = registered.body.accessToken;
    await api('/api/v1/progress/enrolments', { base, token, body: { courseId: course.courseId } });
    const synced = await api('/api/v1/sync', {
      base,
      token,
      body: {
        events: [
          ...course.stepIds.map((stepId) => progressEvent('guide.step', course.guideId, { stepId })),
          progressEvent('quiz.attempt', course.quizId, { answers: course.rightAnswers }),
        ],
      },
    });
    expect(synced.body.completedCourses).toHaveLength(1);
    await api('/api/v1/certification/mentoring-records', {
      base,
      token,
      body: { helpedOn: '2026-11-01', household: 'Hộ bà Thào Thị Mai', task: 'vneid-level-2' },
    });
    const application = await api('/api/v1/certification/applications', {
      base,
      token,
      body: { programmeId },
    });
    const coordinatorLogin = await api('/api/v1/auth/login', {
      base,
      body: { identifier: coordinator.phone, password: coordinator.password },
    });
    const approved = await api(`/api/v1/certification/applications/${application.body.id}/approve`, {
      base,
      token: coordinatorLogin.body.accessToken,
      body: { reason: 'Đã xác minh sau khi khôi phục.' },
    });
    expect(approved.status).toBe(200);
    let cert: any;
    for (const until = Date.now() + 60_000; Date.now() < until; await sleep(250)) {
      cert = (await api(`/api/v1/certificates/${approved.body.certificate.id}`, { base, token })).body;
      if (cert.status !== 'pending') break;
    }
    expect(cert.status).toBe('valid');
    expect(cert.serial.slice(-6)).toBe('000004'); // the serial counter came back too
    const credential = JSON.parse((await bytesOf(cert.downloads.credential)).body.toString());
    expect((await checkIssued(credential, { base })).valid).toBe(true);
    // Signed with the restored key (ISSUER_KEY_SECRET unsealed it), not a new one.
    expect(manifest.database.tables.find((t) => t.name === 'issuer_keys')!.rows).toBeGreaterThan(0);
    const original = (await api('/.well-known/did.json')).body.assertionMethod;
    expect(original).toContain(credential.proof[0].verificationMethod);

    expect(await waitForTotals(4)).toMatchObject({ certificatesIssued: 4, certificatesRevoked: 1 });
  }, 180_000);
});

/** The pieces the drill rests on, on a scratch database of the run's PostgreSQL. */
describe('backup building blocks', () => {
  let client: pg.Client;
  let url: string;
  const scratch = `banso_backup_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    url = await createDatabase(testEnv().DATABASE_URL, scratch);
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    const admin = new pg.Client({ connectionString: testEnv().DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await admin.end();
  });

  it('copies every type exactly through COPY out and in, streaming a large table', async () => {
    await client.query(`SET TIME ZONE 'UTC'`);
    await client.query(`
      CREATE TABLE tricky (id bigint PRIMARY KEY, b bytea, j jsonb, t timestamptz, d date, n numeric(12,4),
                           f double precision, a text[], s text, u uuid)`);
    await client.query(`
      INSERT INTO tricky VALUES
        (1, '\\x00ff0a0d5c09'::bytea, '{"vi": "Sải Duần\\ttab", "n": [1, 2.5, null]}', '2026-12-31 23:59:59.123456+07',
         '2026-01-01', 12345678.1234, 0.1, ARRAY['a,b', 'c"d', NULL], E'line1\\nline2\\\\back\\tslash 🙂', gen_random_uuid()),
        (2, NULL, NULL, NULL, NULL, NULL, 'NaN', '{}', '', NULL),
        (3, '', 'null', '-infinity', 'infinity', -0.0001, 1e-300, ARRAY[]::text[], '\\N', NULL)`);
    // 200 000 rows of ~150 bytes: 30 MB through the protocol, never held whole.
    await client.query(`
      INSERT INTO tricky (id, b, j, t, s)
      SELECT i, decode(md5(i::text), 'hex'), jsonb_build_object('i', i), now(), repeat('x', 100)
        FROM generate_series(4, 200003) i`);
    await client.query('CREATE TABLE tricky_copy (LIKE tricky)');

    const file = join(tmpdir(), `${scratch}.copy`);
    await pipeline(copyOut(client, 'COPY tricky TO STDOUT'), createWriteStream(file));
    expect(await copyIn(client, 'COPY tricky_copy FROM STDIN', createReadStream(file))).toBe(200003);
    rmSync(file);
    const diff = await client.query(
      `SELECT (SELECT count(*) FROM (TABLE tricky EXCEPT TABLE tricky_copy) x)::int AS missing,
              (SELECT count(*) FROM (TABLE tricky_copy EXCEPT TABLE tricky) x)::int AS extra`,
    );
    expect(diff.rows[0]).toEqual({ missing: 0, extra: 0 });
    const nulls = await client.query(
      'SELECT b IS NULL AS b, s FROM tricky_copy WHERE id IN (2, 3) ORDER BY id',
    );
    expect(nulls.rows).toEqual([
      { b: true, s: '' },
      { b: false, s: '\\N' },
    ]);

    // Errors on either side reject and leave the connection usable.
    const failing = copyOut(client, 'COPY (SELECT 1 / (id - 2) FROM tricky ORDER BY id) TO STDOUT');
    await expect(pipeline(failing, createWriteStream('/dev/null'))).rejects.toThrow(/division by zero/);
    await expect(
      copyIn(client, 'COPY tricky_copy (id) FROM STDIN', Readable.from([Buffer.from('not a number\n')])),
    ).rejects.toThrow(/invalid input syntax/);
    expect((await client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  }, 120_000);

  it('renumbers outbox positions so each consumer has read the same events and new ones come after', async () => {
    await client.query(`
      CREATE TABLE domain_events (seq bigserial PRIMARY KEY, tx xid8 NOT NULL DEFAULT pg_current_xact_id());
      CREATE TABLE outbox_checkpoints (consumer text PRIMARY KEY, tx xid8 NOT NULL, seq bigint NOT NULL)`);
    // Transaction ids from a cluster far older than this one; seq and tx orders disagree.
    const big = 5_000_000_000_000;
    const events = [
      [1, big + 10],
      [2, big + 30],
      [3, big + 20],
      [4, big + 30],
      [5, big + 40],
      [6, big + 50],
    ];
    for (const [seq, tx] of events)
      await client.query('INSERT INTO domain_events VALUES ($1, $2::text::xid8)', [seq, tx]);
    await client.query(`SELECT setval('domain_events_seq_seq', 6)`);
    await client.query(
      `INSERT INTO outbox_checkpoints VALUES ('none', '0', 0), ('some', $1, 3), ('same', $1, 3), ('horizon', $2, 0), ('all', $3, 6)`,
      [String(big + 20), String(big + 45), String(big + 50)],
    );
    const readBy = async () =>
      (
        await client.query(
          `SELECT c.consumer, array_agg(e.seq ORDER BY e.seq) FILTER (WHERE e.seq IS NOT NULL) AS seqs
             FROM outbox_checkpoints c LEFT JOIN domain_events e ON (e.tx, e.seq) <= (c.tx, c.seq)
            GROUP BY c.consumer ORDER BY c.consumer`,
        )
      ).rows;
    const before = await readBy();
    expect(before.find((r) => r.consumer === 'some').seqs.map(Number)).toEqual([1, 3]);

    await client.query('BEGIN');
    await rebaseOutboxPositions(client);
    await client.query('COMMIT');
    expect(await readBy()).toEqual(before);
    await client.query('INSERT INTO domain_events DEFAULT VALUES');
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM outbox_checkpoints c, domain_events e WHERE e.seq = 7 AND (e.tx, e.seq) <= (c.tx, c.seq)`,
    );
    expect(rows[0].n).toBe(0); // the new event is after every position: each consumer will read it
    const { rows: horizon } = await client.query(
      `SELECT bool_and(tx < pg_snapshot_xmin(pg_current_snapshot())) AS below FROM domain_events WHERE seq <= 6`,
    );
    expect(horizon[0].below).toBe(true); // restored events are readable at once
  });
});

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client as S3Client } from 'minio';
import pg from 'pg';
import { guideLesson, quizLesson, videoLesson } from './factories/course.factory.js';
import { GOOD_PASSWORD } from './factories/user.factory.js';
import { api, testEnv } from './support/api.js';
import {
  casesFor,
  operationsOf,
  type FuzzCase,
  type Inputs,
  type OpenApiDocument,
  type Operation,
} from './support/hostile-input.js';
import { runScript, startPlatform, type PlatformProcess } from './support/platform-process.js';

/**
 * Hostile input on every operation of the OpenAPI document: wrong types, null, arrays and objects
 * swapped, huge strings, NUL and other control characters, lone surrogates, deep nesting, numbers
 * past int32, invalid ids, unknown properties, bodies that are not JSON — in the path, the query and
 * the body, anonymously, as the admin and as a learner, with real ids so the mutations reach the
 * code behind validation. No answer may be a 5xx (a 503 with Retry-After excepted), take more than
 * 5 s, or drop the connection.
 *
 * Callers: each case goes to every caller the guards let through (a refused caller gets the same
 * 401/403 whatever the input); forged credentials (tokens, session cookies) go anonymously.
 *
 * The fuzzer deletes, revokes and rotates whatever it reaches, so it runs against an API process of
 * its own on a database, bucket prefix and queue prefix of its own. A fixed set of cases, no
 * randomness: the same code gives the same list.
 */
const SLOW_MS = 5_000;
const TIMEOUT_MS = 10_000;
const CONCURRENCY = 6;
const MIN_OPERATIONS = 80;
const MIN_REQUESTS_PER_OPERATION = 15;

type UserName = 'anonymous' | 'admin' | 'learner';
const USERS: UserName[] = ['anonymous', 'admin', 'learner'];
interface Job {
  c: FuzzCase;
  user: UserName;
  seq: number;
}

interface Outcome {
  op: Operation;
  mutation: string;
  baseline: boolean;
  user: UserName;
  method: string;
  display: string;
  requestId: string;
  /** 0: no answer (connection reset, timeout). */
  status: number;
  retryAfter: string | null;
  ms: number;
  body: string;
}

/**
 * A body far over the route's limit is refused from its Content-Length and the connection closed
 * without reading the rest (RFC 9110 §15.5.14): a client still writing may then see EPIPE or a
 * reset instead of the 413. That, and only that, is not an offence; a 5xx, a slow answer or any
 * other dropped connection is.
 */
const refusedWhileSending = (o: Outcome) =>
  o.status === 0 && o.mutation === 'body of 1 MB' && /\b(EPIPE|ECONNRESET)\b/.test(o.body);

const offends = (o: Outcome) =>
  (o.status === 0 && !refusedWhileSending(o)) ||
  (o.status >= 500 && !(o.status === 503 && o.retryAfter)) ||
  o.ms > SLOW_MS;

/** Runs `fn` over `items`, `n` at a time. */
async function inPool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** A platform of the fuzzer's own: a fresh database (migrated and seeded), bucket and queue prefix. */
async function ownPlatform(): Promise<{
  env: Record<string, string>;
  api: PlatformProcess;
  seedMs: number;
  stop(): Promise<void>;
}> {
  const shared = testEnv();
  const runId = `fz${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const database = `banso_${runId}`;
  const server = new URL(shared.DATABASE_URL);
  const admin = new pg.Client({ connectionString: shared.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  server.pathname = `/${database}`;
  const env: Record<string, string> = {
    ...shared,
    DATABASE_URL: server.toString(),
    QUEUE_PREFIX: runId,
    S3_BUCKET_PREFIX: runId,
    // Limits stay on, but high: the fuzzer's own logins must not lock it out, and hostile input
    // should reach the code behind a limit rather than the limit.
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000',
    LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
    VERIFY_MAX_PER_MINUTE: '100000',
  };
  const stops: (() => Promise<void>)[] = [
    async () => {
      const c = new pg.Client({ connectionString: shared.DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await c.end();
    },
    async () => {
      if (!env.REDIS_URL) return; // queues on PostgreSQL: in the database above
      const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${runId}:*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await redis.quit();
    },
    async () => {
      const endpoint = new URL(env.S3_ENDPOINT);
      const s3 = new S3Client({
        endPoint: endpoint.hostname,
        port: endpoint.port ? Number(endpoint.port) : undefined,
        useSSL: endpoint.protocol === 'https:',
        accessKey: env.S3_ACCESS_KEY,
        secretKey: env.S3_SECRET_KEY,
        region: env.S3_REGION || 'us-east-1',
        pathStyle: true,
      });
      for (const bucket of await s3.listBuckets()) {
        if (!bucket.name.startsWith(`${runId}-`)) continue;
        const names: string[] = [];
        for await (const o of s3.listObjectsV2(bucket.name, '', true)) if (o.name) names.push(o.name);
        for (const name of names) await s3.removeObject(bucket.name, name);
        await s3.removeBucket(bucket.name);
      }
    },
  ];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => console.warn(`fuzz cleanup: ${e}`));
  };
  try {
    const seedStarted = Date.now();
    const seed = await runScript('dist/seeds/run-seeds.js', env, ['--without-videos']);
    const seedMs = Date.now() - seedStarted;
    if (seed.code !== 0) throw new Error(`seeding the fuzz database failed:\n${seed.output}`);
    const proc = await startPlatform('api', env);
    stops.push(async () => void (await proc.stop()));
    return { env, api: proc, seedMs, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

interface Fixtures {
  /** Brings `ids` up to date before an operation runs (what earlier operations changed). */
  prepare: Record<string, () => Promise<void>>;
  tokens: Record<UserName, string | undefined>;
  /** Fresh sessions for the operations that end the caller's session or change its password. */
  ownSessions: Record<string, Record<UserName, string | undefined>>;
  ids: Record<string, string>;
  learner: { id: string; phone: string };
  victim: { id: string; phone: string; refreshToken: string };
  yesterday: string;
}

const SESSION_ENDING = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/me/password']);

/** Real records to aim at, made through the API of the fuzzer's own process. */
async function makeFixtures(base: string, env: Record<string, string>): Promise<Fixtures> {
  const call = async (path: string, options: Parameters<typeof api>[1] = {}, expected = [200, 201]) => {
    const res = await api(path, { ...options, base });
    if (!expected.includes(res.status)) {
      throw new Error(
        `fuzz fixture ${options.method ?? (options.body ? 'POST' : 'GET')} ${path}: ${res.status} ${res.text}`,
      );
    }
    return res.body;
  };
  const login = async (identifier: string, password: string) =>
    (await call('/api/v1/auth/login', { body: { identifier, password } })).accessToken as string;
  const admin = await login(env.ADMIN_PHONE, env.ADMIN_PASSWORD);

  const groups = await call('/api/v1/learner-groups');
  const province = (await call('/api/v1/localities?level=province&pageSize=100')).items.find(
    (l: { code: string }) => l.code === '15',
  );
  const commune = (await call(`/api/v1/localities?parentId=${province.id}&pageSize=1`)).items[0];
  const village = (await call(`/api/v1/localities?parentId=${commune.id}&pageSize=1`)).items[0];
  const fuzzVillage = await call('/api/v1/localities', {
    token: admin,
    body: {
      code: `${commune.code}-901`,
      level: 'village',
      kind: 'thôn',
      name: 'Thôn thử nghiệm',
      parentId: commune.id,
    },
  });
  const fuzzGroup = await call('/api/v1/learner-groups', {
    token: admin,
    body: { code: 'fuzz-group', names: { vi: 'Nhóm thử nghiệm', hmn: 'Pawg sim' } },
  });

  // A published seed course with a video lesson that has subtitles, and one with a guide.
  const courses = (await call('/api/v1/courses?pageSize=50')).items as { id: string; slug: string }[];
  let videoLessonId = '';
  let subtitleLocale = '';
  let videoCourse = courses[0];
  let guide: { courseId: string; lessonId: string; stepId: string } | undefined;
  for (const course of courses) {
    const detail = await call(`/api/v1/courses/${course.id}`);
    for (const lesson of detail.lessons as { id: string; kind: string }[]) {
      if (lesson.kind === 'video' && !videoLessonId) {
        const full = await call(`/api/v1/lessons/${lesson.id}`);
        if (full.subtitles?.length) {
          videoLessonId = lesson.id;
          subtitleLocale = full.subtitles[0].locale;
          videoCourse = course;
        }
      }
      if (lesson.kind === 'guide' && !guide) {
        const full = await call(`/api/v1/lessons/${lesson.id}`);
        guide = { courseId: course.id, lessonId: lesson.id, stepId: full.content.steps[0].id };
      }
    }
    if (videoLessonId && guide) break;
  }
  if (!videoLessonId || !guide)
    throw new Error('fuzz fixture: no seeded video lesson with subtitles or guide');

  const register = async (phone: string, displayName: string) =>
    call('/api/v1/auth/register', {
      body: { phone, displayName, password: GOOD_PASSWORD, villageId: village.id, languages: ['hmn', 'vi'] },
    });
  const learner = await register('0389000001', 'Sùng Thị Mỷ');
  const holder = await register('0389000002', 'Giàng A Lử');
  const victim = await register('0389000003', 'Vàng Thị Dua');
  const rejected = await register('0389000004', 'Lù Văn Pao');

  await call('/api/v1/progress/enrolments', {
    token: learner.accessToken,
    body: { courseId: videoCourse.id },
  });
  if (guide.courseId !== videoCourse.id) {
    await call('/api/v1/progress/enrolments', {
      token: learner.accessToken,
      body: { courseId: guide.courseId },
    });
  }
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const record = await call('/api/v1/certification/mentoring-records', {
    token: learner.accessToken,
    body: {
      helpedOn: yesterday,
      household: 'Hộ ông Sùng A Páo',
      task: 'vneid-level-2',
      photo: { contentType: 'image/jpeg', size: 1000 },
    },
  });

  const photo = await fetch(record.photoUpload.url, {
    method: 'PUT',
    headers: record.photoUpload.headers,
    body: new Uint8Array(1000),
  });
  if (!photo.ok) throw new Error(`fuzz fixture: photo upload: ${photo.status} ${await photo.text()}`);

  // Programmes anyone in the province meets, so applications and a certificate exist: one open
  // application for each operation that closes one (approve, reject, withdraw).

  const openProgramme = (code: string, serialPrefix: string) =>
    call('/api/v1/certification/programmes', {
      token: admin,
      body: {
        code,
        provinceId: province.id,
        serialPrefix,
        names: { vi: 'Chương trình thử nghiệm' },
        requiredCourseIds: [],
        minAverageQuizScore: 0,
        minHouseholds: 0,
        validityMonths: 24,
      },
    });
  const programme = await openProgramme('fuzz-programme', 'FUZZ');
  const programme2 = await openProgramme('fuzz-programme-2', 'FUZZ-B');
  const apply = (token: string, programmeId: string) =>
    call('/api/v1/certification/applications', { token, body: { programmeId } });
  const application = await apply(learner.accessToken, programme.id);
  const toWithdraw = await apply(learner.accessToken, programme2.id);
  const toReject = await apply(rejected.accessToken, programme.id);
  const held = await apply(holder.accessToken, programme.id);
  const approved = await call(`/api/v1/certification/applications/${held.id}/approve`, {
    token: admin,
    body: { reason: 'Đủ điều kiện.' },
  });
  const certificate = await call(`/api/v1/certificates/${approved.certificate.id}`, { token: admin });
  // Pending until a worker issues it (this platform has none): verify answers 404 for it.
  const verificationCode = certificate.verificationCode as string;

  // A draft course of the admin's own: video, guide and quiz lessons to edit.
  const draft = await call('/api/v1/authoring/courses', {
    token: admin,
    body: {
      slug: 'fuzz-draft-course',
      topic: 'vneid',
      learnerGroupIds: [groups[0].id],
      title: { vi: 'Khoá học thử nghiệm', hmn: 'Chav kawm sim' },
    },
  });
  for (const lesson of [videoLesson, guideLesson, quizLesson]) {
    await call(`/api/v1/authoring/courses/${draft.courseId}/draft/lessons`, { token: admin, body: lesson });
  }
  const lessons = (await call(`/api/v1/authoring/courses/${draft.courseId}/versions/1`, { token: admin }))
    .lessons;
  const media = await call('/api/v1/media/uploads', {
    token: admin,
    body: { fileName: 'bai-hoc.mp4', contentType: 'video/mp4', bytes: 1000 },
  });
  // Uploaded and confirmed, so it can be attached (no worker: it is never transcoded).
  const put = await fetch(media.upload.url, {
    method: 'PUT',
    headers: media.upload.headers,
    body: new Uint8Array(1000),
  });
  if (!put.ok) throw new Error(`fuzz fixture: upload to storage: ${put.status} ${await put.text()}`);
  await call(`/api/v1/media/${media.media.mediaId}/confirm`, { token: admin, body: {} }, [202]);

  const session = async (who: 'admin' | 'learner') =>
    who === 'admin' ? login(env.ADMIN_PHONE, env.ADMIN_PASSWORD) : login(learner.user.phone, GOOD_PASSWORD);
  const ownSessions: Fixtures['ownSessions'] = {};
  for (const key of SESSION_ENDING) {
    ownSessions[key] = {
      anonymous: undefined,
      admin: await session('admin'),
      learner: await session('learner'),
    };
  }

  const ids: Record<string, string> = {};
  const prepare: Fixtures['prepare'] = {
    // The order must name every lesson of the draft, and the cases before added some.
    'PUT /api/v1/authoring/courses/{courseId}/draft/lesson-order': async () => {
      const now = await call(`/api/v1/authoring/courses/${draft.courseId}/versions/1`, { token: admin });
      ids.draftLessonKeys = now.lessons.map((l: { lessonKey: string }) => l.lessonKey).join(',');
    },
  };
  return {
    prepare,
    tokens: { anonymous: undefined, admin, learner: learner.accessToken },
    ownSessions,
    learner: { id: learner.user.id, phone: learner.user.phone },
    victim: { id: victim.user.id, phone: victim.user.phone, refreshToken: victim.refreshToken },
    yesterday,
    ids: Object.assign(ids, {
      province: province.id,
      commune: commune.id,
      communeCode: commune.code,
      village: village.id,
      fuzzVillage: fuzzVillage.id,
      group: groups[0].id,
      groupCode: groups[0].code,
      fuzzGroup: fuzzGroup.id,
      course: videoCourse.id,
      videoLesson: videoLessonId,
      subtitleLocale,
      guideCourse: guide.courseId,
      guideLesson: guide.lessonId,
      guideStep: guide.stepId,
      draftCourse: draft.courseId,
      draftVideoKey: lessons[0].lessonKey,
      draftGuideKey: lessons[1].lessonKey,
      draftLessonKeys: lessons.map((l: { lessonKey: string }) => l.lessonKey).join(','),
      media: media.media.mediaId,
      record: record.record.id,
      programme: programme.id,
      application: application.id,
      applicationToWithdraw: toWithdraw.id,
      applicationToReject: toReject.id,
      certificate: approved.certificate.id,
      verificationCode,
    }),
  };
}

/** Deterministic ids and names from the request's sequence number. */
const uuidFor = (seq: number, kind: number) =>
  `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${seq.toString(16).padStart(12, '0')}`;

function inputsFor(fx: Fixtures): { inputs: Inputs; missing: Set<string> } {
  const id = fx.ids;
  const missing = new Set<string>();
  const pathValue = (op: Operation, name: string): string => {
    const p = op.path;
    if (p.startsWith('/api/v1/admin/users/')) return fx.victim.id;
    if (p.startsWith('/api/v1/localities/')) return id.fuzzVillage;
    if (p.startsWith('/api/v1/learner-groups/')) return id.fuzzGroup;
    if (p.startsWith('/api/v1/courses/')) return id.course;
    if (p.startsWith('/api/v1/lessons/')) return name === 'locale' ? id.subtitleLocale : id.videoLesson;
    if (p.startsWith('/api/v1/authoring/courses/')) {
      if (name === 'courseId') return id.draftCourse;
      if (name === 'version') return '1';
      if (name === 'locale') return 'hmn';
      if (name === 'lessonKey') return /\/(subtitles|media)\//.test(p) ? id.draftVideoKey : id.draftGuideKey;
    }
    if (p.startsWith('/api/v1/media/')) return id.media;
    if (p.startsWith('/api/v1/progress/lessons/')) return id.guideLesson;
    if (p.startsWith('/api/v1/progress/courses/')) return id.course;
    if (p.startsWith('/api/v1/progress/localities/')) return id.province;
    if (p.startsWith('/api/v1/certification/programmes/')) return id.programme;
    if (p.startsWith('/api/v1/certification/mentoring-records/')) return id.record;
    if (p.startsWith('/api/v1/certification/applications/')) {
      if (p.endsWith('/withdraw')) return id.applicationToWithdraw;
      if (p.endsWith('/reject')) return id.applicationToReject;
      return id.application;
    }
    if (p.startsWith('/api/v1/certificates/')) return id.certificate;
    if (p.startsWith('/api/v1/verify/')) return id.verificationCode;
    missing.add(`${op.key} {${name}}`);
    return '00000000-0000-4000-8000-000000000000';
  };
  const QUERY: Record<string, string> = {
    page: '1',
    pageSize: '10',
    q: 'Lào',
    lang: 'hmn',
    language: 'vi',
    topic: 'vneid',
    group: id.groupCode,
    includeArchived: 'true',
    parentId: id.province,
    level: 'commune',
    status: 'submitted',
    programmeId: id.programme,
    localityId: id.province,
  };
  const event = (seq: number) => ({
    id: uuidFor(seq, 1),
    type: 'guide.step',
    lessonId: id.guideLesson,
    at: new Date(Date.parse(`${fx.yesterday}T08:15:00+07:00`)).toISOString(),
    locale: 'vi',
    stepId: id.guideStep,
  });
  const names = { vi: 'Tên thử nghiệm', hmn: 'Lub npe sim' };
  const BODIES: Record<string, (seq: number) => unknown> = {
    'POST /api/v1/auth/register': (seq) => ({
      phone: `09${String(70_000_000 + seq).padStart(8, '0')}`,
      email: `hoc-vien-${seq}@example.vn`,
      displayName: 'Giàng Thị Mai',
      password: GOOD_PASSWORD,
      learnerGroupId: id.group,
      languages: ['hmn', 'vi'],
      villageId: id.village,
    }),
    'POST /api/v1/auth/login': () => ({ identifier: fx.victim.phone, password: 'not the password' }),
    'POST /api/v1/auth/refresh': () => ({ refreshToken: fx.victim.refreshToken }),
    'POST /api/v1/auth/logout': () => ({ refreshToken: fx.victim.refreshToken }),
    'PATCH /api/v1/me': () => ({
      displayName: 'Sùng Thị Mỷ',
      learnerGroupId: id.group,
      languages: ['hmn', 'vi'],
      villageId: id.village,
    }),
    'POST /api/v1/me/password': () => ({
      currentPassword: 'not the current password',
      newPassword: 'Một mật khẩu mới thật dài ở bản',
    }),
    'PUT /api/v1/admin/users/{id}/roles': () => ({
      roles: [{ role: 'coordinator', localityId: id.province }],
    }),
    'POST /api/v1/localities': (seq) => ({
      code: `${id.communeCode}-${String(seq % 1000).padStart(3, '0')}`,
      level: 'village',
      kind: 'thôn',
      name: 'Thôn mới',
      parentId: id.commune,
    }),
    'PATCH /api/v1/localities/{id}': () => ({ name: 'Thôn thử nghiệm', kind: 'bản' }),
    'POST /api/v1/learner-groups': (seq) => ({
      code: `fuzz-${seq}`,
      names,
      descriptions: { vi: 'Mô tả' },
      sortOrder: 100,
    }),
    'PATCH /api/v1/learner-groups/{id}': () => ({
      names,
      descriptions: { vi: 'Mô tả' },
      sortOrder: 5,
      archived: false,
    }),
    'POST /api/v1/authoring/courses': (seq) => ({
      slug: `fuzz-course-${seq}`,
      topic: 'vneid',
      learnerGroupIds: [id.group],
      title: names,
      summary: { vi: 'Tóm tắt' },
    }),
    'PATCH /api/v1/authoring/courses/{courseId}/draft': () => ({
      topic: 'vneid',
      learnerGroupIds: [id.group],
      title: names,
      summary: { vi: 'Tóm tắt' },
    }),
    'POST /api/v1/authoring/courses/{courseId}/draft/lessons': () => quizLesson,
    'PATCH /api/v1/authoring/courses/{courseId}/draft/lessons/{lessonKey}': () => ({
      title: guideLesson.title,
      summary: guideLesson.summary,
      required: true,
      content: guideLesson.content,
    }),
    'PUT /api/v1/authoring/courses/{courseId}/draft/lessons/{lessonKey}/subtitles/{locale}': () =>
      'WEBVTT\n\n00:00.000 --> 00:03.000\nThem nqi hluav taws xob\n',
    'PUT /api/v1/authoring/courses/{courseId}/draft/lessons/{lessonKey}/media/{locale}': () => ({
      mediaId: id.media,
    }),
    'PUT /api/v1/authoring/courses/{courseId}/draft/lesson-order': () => ({
      lessonKeys: id.draftLessonKeys.split(','),
    }),
    'POST /api/v1/authoring/courses/{courseId}/review/reject': () => ({ reason: 'Bước 3 thiếu bản dịch.' }),
    'POST /api/v1/media/uploads': () => ({ fileName: 'bai-hoc.mp4', contentType: 'video/mp4', bytes: 1000 }),
    'POST /api/v1/progress/enrolments': () => ({ courseId: id.guideCourse }),
    'POST /api/v1/progress/events': (seq) => event(seq),
    'POST /api/v1/progress/courses/{courseId}/enrolments': () => ({
      learners: [fx.victim.phone, fx.learner.id],
    }),
    'POST /api/v1/sync': (seq) => ({ events: [event(seq)] }),
    'POST /api/v1/certification/programmes': (seq) => ({
      code: `fuzz-${seq}`,
      provinceId: id.province,
      serialPrefix: `FZ${seq % 1_000_000}`,
      names,
      descriptions: { vi: 'Mô tả' },
      requiredCourseIds: [id.course],
      minAverageQuizScore: 70,
      minHouseholds: 5,
      validityMonths: 24,
      renewalWindowDays: 90,
    }),
    'PATCH /api/v1/certification/programmes/{id}': () => ({
      names,
      descriptions: { vi: 'Mô tả' },
      requiredCourseIds: [],
      minAverageQuizScore: 0,
      minHouseholds: 0,
      validityMonths: 24,
      renewalWindowDays: 90,
      active: true,
    }),
    'POST /api/v1/certification/mentoring-records': () => ({
      helpedOn: fx.yesterday,
      household: 'Hộ ông Sùng A Páo',
      villageId: id.village,
      task: 'vneid-level-2',
      note: 'Cài VNeID mức 2',
      photo: { contentType: 'image/jpeg', size: 1000 },
    }),
    'POST /api/v1/certification/mentoring-records/{id}/photo': () => ({
      contentType: 'image/jpeg',
      size: 1000,
    }),
    'POST /api/v1/certification/applications': () => ({
      programmeId: id.programme,
      villageId: id.village,
      statement: 'Tôi đã giúp bà con trong bản cài VNeID.',
    }),
    'POST /api/v1/certification/applications/{id}/approve': () => ({ reason: 'Đủ điều kiện.' }),
    'POST /api/v1/certification/applications/{id}/reject': () => ({ reason: 'Chưa đủ điều kiện.' }),
    'POST /api/v1/certificates/{id}/revoke': () => ({ reason: 'Cấp nhầm.' }),
    'POST /api/v1/certificates/{id}/reissue': () => ({ reason: 'Sai tên.', holderName: 'Giàng A Lử' }),
  };
  return {
    missing,
    inputs: {
      pathValue,
      queryValue: (_op, name) => QUERY[name],
      body: (op, seq) => {
        const make = BODIES[op.key];
        if (!make) missing.add(`${op.key} body`);
        return make ? make(seq) : {};
      },
    },
  };
}

/**
 * Order keeps the real ids alive for as long as possible: reads, then writes with input, then
 * transitions without input, then deletes (deepest first), then what ends a session.
 */
function phaseOf(op: Operation): number {
  if (op.method === 'GET') return 0;
  if (SESSION_ENDING.has(op.key)) return 4;
  if (op.method === 'DELETE') return 3;
  if (!op.body) return 2;
  return 1;
}

describe('hostile input on every operation', () => {
  let platform: Awaited<ReturnType<typeof ownPlatform>> | undefined;

  afterAll(async () => {
    await platform?.stop();
  });

  it('never answers 5xx, never takes over 5 s, never drops the connection', async () => {
    const started = Date.now();
    platform = await ownPlatform();
    const base = platform.api.url;
    const doc = (await api<OpenApiDocument>('/api/docs-json', { base })).body;
    const ops = operationsOf(doc);
    const fx = await makeFixtures(base, platform.env);
    const { inputs, missing } = inputsFor(fx);
    const ready = Date.now();

    const outcomes: Outcome[] = [];
    const send = async ({ c, user, seq }: Job) => {
      const spec = c.build(seq);
      const requestId = `fuzz-${String(seq).padStart(6, '0')}`;
      const token = c.ownCredentials ? undefined : (fx.ownSessions[c.op.key] ?? fx.tokens)[user];
      const headers: Record<string, string> = { ...spec.headers, 'x-request-id': requestId };
      if (token) headers.authorization = `Bearer ${token}`;
      const outcome: Outcome = {
        op: c.op,
        mutation: c.mutation,
        baseline: c.baseline,
        user,
        method: spec.method,
        display: spec.display,
        requestId,
        status: 0,
        retryAfter: null,
        ms: 0,
        body: '',
      };
      const t0 = performance.now();
      try {
        const res = await fetch(`${base}${spec.url}`, {
          method: spec.method,
          headers,
          body: spec.body as BodyInit | undefined,
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        outcome.body = (await res.text()).slice(0, 200);
        outcome.status = res.status;
        outcome.retryAfter = res.headers.get('retry-after');
      } catch (e) {
        const err = e as Error & { cause?: { code?: string; message?: string } };
        const cause = err.cause ? ` (${[err.cause.code, err.cause.message].filter(Boolean).join(' ')})` : '';
        outcome.body = `no answer: ${err.name}: ${err.message}${cause}`;
      }
      outcome.ms = Math.round(performance.now() - t0);
      outcomes.push(outcome);
      return outcome;
    };

    // Each (case, user) has a fixed sequence number: it names the request and makes unique values.
    const cases = new Map(ops.map((op) => [op, casesFor(doc, op, inputs)]));
    const seqs = new Map<FuzzCase, number>();
    let n = 0;
    for (const list of cases.values()) for (const c of list) seqs.set(c, (n += USERS.length));
    const job = (c: FuzzCase, user: UserName): Job => ({ c, user, seq: seqs.get(c)! + USERS.indexOf(user) });

    /**
     * The cases of `some` operations for every caller the guards let through — told by the probe
     * (for reads, the valid request): an answer other than 401/403. A refused caller would get the
     * same refusal for every case; the body parsing and URL decoding before the guards are the
     * same for the callers let through.
     */
    const run = async (some: Operation[], concurrency: number) => {
      const reads = (op: Operation) => op.method === 'GET';
      const first = new Set(
        some.flatMap((op) => cases.get(op)!.filter((c) => c.probe || (c.baseline && reads(op)))),
      );
      const passes = new Set<string>();
      await inPool(
        [...first].flatMap((c) => USERS.map((u) => job(c, u))),
        concurrency,
        async (j) => {
          const o = await send(j);
          if (o.status !== 401 && o.status !== 403) passes.add(`${j.c.op.key} ${j.user}`);
        },
      );
      const through = (op: Operation, user: UserName) =>
        passes.has(`${op.key} ${user}`) || !cases.get(op)!.some((c) => c.probe || (c.baseline && reads(op)));
      const rest = some.flatMap((op) =>
        cases
          .get(op)!
          .filter((c) => !first.has(c) && !c.baseline)
          .flatMap((c) =>
            c.ownCredentials
              ? [job(c, 'anonymous')]
              : USERS.filter((u) => through(op, u)).map((u) => job(c, u)),
          ),
      );
      await inPool(rest, concurrency, async (j) => void (await send(j)));
      // The valid requests last, so every other case met the records before they changed.
      const valid = some.flatMap((op) => cases.get(op)!.filter((c) => c.baseline && !reads(op)));
      await inPool(
        valid.flatMap((c) => USERS.map((u) => job(c, u))),
        concurrency,
        async (j) => void (await send(j)),
      );
    };

    // Reads all at once; then writes one operation at a time, so each case meets the same state.
    // Transitions, deletes and logouts go one request at a time: two deletes of one lesson at once
    // race (a bug, but not this test's), and the answers must not depend on which came first.
    await run(
      ops.filter((op) => phaseOf(op) === 0),
      CONCURRENCY,
    );
    for (const phase of [1, 2, 3, 4]) {
      const inPhase = ops.filter((op) => phaseOf(op) === phase);
      if (phase === 3) inPhase.sort((a, b) => b.path.split('/').length - a.path.split('/').length);
      for (const op of inPhase) {
        await fx.prepare[op.key]?.();
        await run([op], phase === 1 ? CONCURRENCY : 1);
      }
    }
    const finished = Date.now();

    // 500s are logged by the API with their request id: the cause, for the report.
    await new Promise((r) => setTimeout(r, 500));
    const logged = new Map<string, string>();
    for (const line of platform.api.output().split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line);
        const id = entry.requestId ?? entry.req?.id;
        const err = entry.err ?? entry.error;
        if (id && err && !logged.has(id)) {
          logged.set(id, `${err.name ?? err.type ?? 'Error'}: ${err.message ?? ''}`.slice(0, 300));
        }
      } catch {
        /* not a log line */
      }
    }

    // The summary.
    const byClass = new Map<string, number>();
    for (const o of outcomes) {
      const k = o.status === 0 ? 'no answer' : `${String(o.status)[0]}xx`;
      byClass.set(k, (byClass.get(k) ?? 0) + 1);
    }
    const slowest = outcomes.reduce((a, b) => (b.ms > a.ms ? b : a));
    const perOp = new Map<string, number>();
    for (const o of outcomes) perOp.set(o.op.key, (perOp.get(o.op.key) ?? 0) + 1);
    // Operations that accepted no request at all: their cases stop before the code behind
    // validation (a state the fixtures could not reach; the answers tell why).
    const refused = ops.flatMap((op) => {
      const mine = outcomes.filter((o) => o.op === op);
      if (mine.some((o) => o.status >= 200 && o.status < 300)) return [];
      const counts = new Map<string, number>();
      for (const o of mine) {
        const code = /"code":"([A-Z_0-9]+)"/.exec(o.body)?.[1];
        const k = `${o.status}${code ? ` ${code}` : ''}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      return [`    ${op.key}: ${[...counts].map(([k, v]) => `${v}× ${k}`).join(', ')}`];
    });
    console.log(
      [
        `fuzz: ${perOp.size}/${ops.length} operations, ${outcomes.length} requests in ` +
          `${((finished - ready) / 1000).toFixed(1)} s (set-up ${((ready - started) / 1000).toFixed(1)} s, ` +
          `of which seeding ${(platform.seedMs / 1000).toFixed(1)} s)`,
        `  by status: ${[...byClass].map(([k, v]) => `${k} ${v}`).join(', ')}`,
        `  by caller: ${USERS.map((u) => `${u} ${outcomes.filter((o) => o.user === u).length}`).join(', ')}`,
        `  slowest: ${slowest.ms} ms, ${slowest.method} ${slowest.display} (${slowest.mutation}, ${slowest.user}) → ${slowest.status}`,
        `  fewest requests: ${[...perOp].sort((a, b) => a[1] - b[1])[0]?.join(': ')}`,
        ...(missing.size ? ['  no real value for:', ...[...missing].map((m) => `    ${m}`)] : []),
        ...(refused.length ? ['  no request accepted (the cases stop early):', ...refused] : []),
      ].join('\n'),
    );

    // Coverage: a document without operations, or an operation hardly tried, proves nothing.
    const problems: string[] = [];
    if (ops.length < MIN_OPERATIONS) {
      problems.push(`The document has ${ops.length} operations; expected at least ${MIN_OPERATIONS}.`);
    }
    const thin = ops.filter((op) => (perOp.get(op.key) ?? 0) < MIN_REQUESTS_PER_OPERATION);
    if (thin.length > 0) {
      problems.push(
        `Fewer than ${MIN_REQUESTS_PER_OPERATION} requests for: ${thin.map((op) => `${op.key} (${perOp.get(op.key) ?? 0})`).join(', ')}`,
      );
    }

    // The offending requests, by operation, in the document's order.
    const bad = outcomes.filter(offends);
    if (bad.length > 0) {
      const lines = [`${bad.length} offending requests on ${new Set(bad.map((o) => o.op)).size} operations:`];
      for (const op of ops) {
        const list = bad.filter((o) => o.op === op).sort((a, b) => a.requestId.localeCompare(b.requestId));
        if (list.length === 0) continue;
        lines.push('', `${op.key} (${list.length})`);
        for (const o of list) {
          const why = o.status === 0 ? 'no answer' : o.status < 500 ? `slow ${o.status}` : String(o.status);
          lines.push(
            `  ${why} in ${o.ms} ms, ${o.user}: ${o.mutation}`,
            `      ${o.method} ${o.display}  [${o.requestId}]`,
            `      body: ${o.body.replace(/\s+/g, ' ')}`,
            ...(logged.has(o.requestId) ? [`      log:  ${logged.get(o.requestId)}`] : []),
          );
        }
      }
      problems.push(lines.join('\n'));
    }
    if (problems.length > 0) throw new Error(problems.join('\n\n'));
    expect(bad).toHaveLength(0);
  }, 300_000);
});

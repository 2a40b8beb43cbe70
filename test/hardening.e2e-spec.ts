import { randomUUID } from 'node:crypto';
import { addLessons, createCourse, guideLesson, publishCourse } from './factories/course.factory.js';
import { coordinatorOf, testArea } from './factories/certification.factory.js';
import {
  adminAccessToken,
  GOOD_PASSWORD,
  registerLearner,
  uniquePhone,
  userWithRoles,
} from './factories/user.factory.js';
import { api, apiUrl, expectError, testEnv, type ApiResponse } from './support/api.js';
import { startPlatform, type PlatformProcess } from './support/platform-process.js';
import { Browser } from './support/portal-browser.js';

/** The field names a 400 names, from `details.fields`. */
const fieldsOf = (res: ApiResponse): string[] =>
  ((res.body?.details?.fields ?? []) as { field: string }[]).map((f) => f.field);

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;

describe('request intake: bounded cost before any of our code runs', () => {
  it('refuses deep JSON with 400 BODY_TOO_DEEP naming the limit, on every JSON route', async () => {
    for (const path of ['/api/v1/auth/refresh', '/api/v1/auth/login', '/api/v1/auth/register']) {
      const res = await api(path, { body: `{"refreshToken":"x","a":${nested(10_000)}}` });
      // 10,000 levels is 20 KB: over the auth routes' 4 KB, so refused before it is even read.
      expectError(res, 413, 'PAYLOAD_TOO_LARGE');
      expect(res.body.details).toMatchObject({ limit: 4096, unit: 'bytes' });
      const deep = await api(path, { body: `{"refreshToken":"x","a":${nested(40)}}` });
      expectError(deep, 400, 'BODY_TOO_DEEP');
      expect(deep.body.details).toEqual({ limit: 32 });
    }
    const learner = await registerLearner();
    // The sync route takes 512 KB: deep and wide bodies are refused by the scan, not the parser.
    const deep = await api('/api/v1/sync', {
      token: learner.accessToken,
      body: `{"events":${nested(100_000)}}`,
    });
    expectError(deep, 400, 'BODY_TOO_DEEP');
    const wide = await api('/api/v1/sync', {
      token: learner.accessToken,
      body: `{"events":[${'0,'.repeat(200_000)}0]}`,
    });
    expectError(wide, 413, 'PAYLOAD_TOO_LARGE');
    expect(wide.body.details).toEqual({ limit: 20_000, unit: 'values' });
    // Just inside the limits is fine (and answered per event).
    const ok = await api('/api/v1/sync', { token: learner.accessToken, body: { events: [] } });
    expect(ok.status).toBe(200);
  });

  it('gives each route its own byte limit: small for auth and most writes, large where content needs it', async () => {
    const auth = await api('/api/v1/auth/login', {
      body: { identifier: '0912345678', password: 'x'.repeat(5000) },
    });
    expectError(auth, 413, 'PAYLOAD_TOO_LARGE');
    const learner = await registerLearner();
    const profile = await api('/api/v1/me', {
      method: 'PATCH',
      token: learner.accessToken,
      body: { displayName: 'x'.repeat(40_000) },
    });
    expectError(profile, 413, 'PAYLOAD_TOO_LARGE');
    expect(profile.body.details).toEqual({ limit: 32 * 1024, unit: 'bytes' });
    // A lesson with long texts in three languages (over 64 KB) is a normal authoring request.
    const trainer = await userWithRoles([{ role: 'trainer' }]);
    const courseId = await createCourse(trainer.accessToken);
    const long = 'Bấm vào ô Thanh toán, chọn Tiền điện, nhập mã khách hàng. '.repeat(60).slice(0, 3900);
    const steps = Array.from({ length: 8 }, (_, i) => ({
      title: { vi: `Bước ${i + 1}`, hmn: `Kauj ruam ${i + 1}` },
      body: { vi: long, hmn: long, ium: long },
    }));
    const lesson = await api(`/api/v1/authoring/courses/${courseId}/draft/lessons`, {
      token: trainer.accessToken,
      body: { ...guideLesson, content: { steps } },
    });
    expect(Buffer.byteLength(JSON.stringify({ ...guideLesson, content: { steps } }))).toBeGreaterThan(
      64 * 1024,
    );
    expect([lesson.status, lesson.text]).toEqual([201, expect.any(String)]);
  });
});

describe('requests Node refuses before any route', () => {
  it('answers oversized headers with a readable 431 in the error format, and other requests carry on', async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const res =
          i % 3 === 0
            ? await fetch(`${apiUrl()}/api/v1/learner-groups`, {
                headers: { authorization: `Bearer ${'x'.repeat(20_000)}` },
              })
            : await fetch(`${apiUrl()}/api/v1/learner-groups`);
        return { status: res.status, body: await res.text() };
      }),
    );
    const refused = answers.filter((a) => a.status === 431);
    expect(refused).toHaveLength(20);
    expect(JSON.parse(refused[0].body)).toEqual({
      statusCode: 431,
      code: 'HEADERS_TOO_LARGE',
      message: expect.any(String),
      requestId: expect.any(String),
    });
    expect(answers.filter((a) => a.status === 200)).toHaveLength(40);
  });

  it('answers addresses the router cannot read in the error format', async () => {
    expectError(await api('/api/v1/courses/%'), 400, 'MALFORMED_URL');
    expectError(await api(`/api/v1/courses/${'a'.repeat(200)}`), 414, 'MALFORMED_URL');
  });
});

describe('input hygiene: one layer for every text and number, API and portal alike', () => {
  it('refuses NUL and other control characters with a 400 naming the field, in query, path and body', async () => {
    const q = await api('/api/v1/courses?q=a%00b');
    expectError(q, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(q)).toEqual(['q']);
    const path = await api('/api/v1/courses/a%00b');
    expectError(path, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(path)).toEqual(['idOrSlug']);
    const reg = await api('/api/v1/auth/register', {
      body: { phone: uniquePhone(), password: GOOD_PASSWORD, displayName: 'Giàng A\u0000Páo' },
    });
    expectError(reg, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(reg)).toEqual(['displayName']);
    expect(reg.body.details.fields[0].problems).toEqual(['CONTROL_CHARACTER']);
    const bell = await api('/api/v1/auth/login', { body: { identifier: '09\u0007', password: 'x' } });
    expect(fieldsOf(bell)).toEqual(['identifier']);

    const trainer = await userWithRoles([{ role: 'trainer' }]);
    const course = await api('/api/v1/authoring/courses', {
      token: trainer.accessToken,
      body: { slug: `a-${randomUUID()}`, topic: 'e-tax', learnerGroupIds: [], title: { vi: 'Thuế\u0000' } },
    });
    expectError(course, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(course)).toEqual(['title.vi']);
    // A form post goes through the same layer.
    const browser = new Browser();
    const token = Browser.csrfFrom((await browser.request('/login')).text);
    const form = await browser.request('/login', {
      form: { identifier: '0912\u0000345678', password: 'x', _csrf: token },
      headers: { accept: 'application/json' },
    });
    expect(form.status).toBe(400);
  });

  it('refuses lone surrogates (text that is not Unicode), sent raw in the JSON text', async () => {
    const res = await api('/api/v1/auth/register', {
      body: `{"phone":"${uniquePhone()}","password":"${GOOD_PASSWORD}","displayName":"L\\ud800"}`,
    });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.details.fields).toEqual([
      { field: 'displayName', in: 'body', problems: ['LONE_SURROGATE'] },
    ]);
  });

  it('allows line breaks only in multi-line text, and stores text NFC-normalised', async () => {
    const learner = await registerLearner();
    const twoLines = await api('/api/v1/me', {
      method: 'PATCH',
      token: learner.accessToken,
      body: { displayName: 'Thào\nMai' },
    });
    expectError(twoLines, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(twoLines)).toEqual(['displayName']);
    // "Thào Thị Mai" typed with combining marks (NFD) is stored in the composed form.
    const decomposed = 'Tha\u0300o Thi\u0323 Mai';
    const renamed = await api('/api/v1/me', {
      method: 'PATCH',
      token: learner.accessToken,
      body: { displayName: decomposed },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.displayName).toBe('Thào Thị Mai');
    expect(renamed.body.displayName).toBe(decomposed.normalize('NFC'));

    const trainer = await userWithRoles([{ role: 'trainer' }]);
    const courseId = await createCourse(trainer.accessToken);
    const summary = await api(`/api/v1/authoring/courses/${courseId}/draft`, {
      method: 'PATCH',
      token: trainer.accessToken,
      body: { summary: { vi: 'Dòng một\r\nDòng hai' } },
    });
    expect(summary.status).toBe(200);
  });

  it('refuses null where a field may only be left out, naming the field; null clears where it means that', async () => {
    const learner = await registerLearner();
    for (const body of [{ displayName: null }, { languages: null }]) {
      const res = await api('/api/v1/me', { method: 'PATCH', token: learner.accessToken, body });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(Object.keys(body));
    }
    const cleared = await api('/api/v1/me', {
      method: 'PATCH',
      token: learner.accessToken,
      body: { villageId: null, learnerGroupId: null },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ villageId: null, learnerGroupId: null });

    const admin = await adminAccessToken();
    const programmes = (await api('/api/v1/certification/programmes', { token: admin })).body;
    const programme = await api(`/api/v1/certification/programmes/${programmes[0].id}`, {
      method: 'PATCH',
      token: admin,
      body: { validityMonths: null },
    });
    expectError(programme, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(programme)).toEqual(['validityMonths']);

    const trainer = await userWithRoles([{ role: 'trainer' }]);
    const courseId = await createCourse(trainer.accessToken);
    await addLessons(trainer.accessToken, courseId, [guideLesson]);
    const v1 = await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: trainer.accessToken });
    const lessonKey = v1.body.lessons[0].lessonKey;
    const required = await api(`/api/v1/authoring/courses/${courseId}/draft/lessons/${lessonKey}`, {
      method: 'PATCH',
      token: trainer.accessToken,
      body: { required: null },
    });
    expectError(required, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(required)).toEqual(['required']);
  });

  it('refuses arrays where objects are expected and objects where strings are, naming the field', async () => {
    const trainer = await userWithRoles([{ role: 'trainer' }]);
    for (const title of [[], [{ vi: 'x' }], 'Thuế', 5]) {
      const res = await api('/api/v1/authoring/courses', {
        token: trainer.accessToken,
        body: { slug: `a-${randomUUID()}`, topic: 'e-tax', learnerGroupIds: [], title },
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain('title');
    }
    const admin = await adminAccessToken();
    const group = await api('/api/v1/learner-groups', {
      token: admin,
      body: { code: `g${Date.now().toString(36)}`, names: [] },
    });
    expectError(group, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(group)).toContain('names');
    const learner = await registerLearner();
    const objectName = await api('/api/v1/me', {
      method: 'PATCH',
      token: learner.accessToken,
      body: { displayName: { vi: 'x' } },
    });
    expect(fieldsOf(objectName)).toEqual(['displayName']);
  });

  it('removes the same draft lesson twice at once without breaking the order of the others', async () => {
    const trainer = await userWithRoles([{ role: 'trainer' }]);
    const courseId = await createCourse(trainer.accessToken);
    await addLessons(trainer.accessToken, courseId, [guideLesson, guideLesson, guideLesson]);
    const version = () =>
      api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: trainer.accessToken });
    const [first, second, third] = (await version()).body.lessons.map(
      (l: { lessonKey: string }) => l.lessonKey,
    );
    const remove = () =>
      api(`/api/v1/authoring/courses/${courseId}/draft/lessons/${first}`, {
        method: 'DELETE',
        token: trainer.accessToken,
      });
    const statuses = (await Promise.all(Array.from({ length: 12 }, remove))).map((r) => r.status).sort();
    expect(statuses.every((s) => s === 204 || s === 404)).toBe(true);
    expect(statuses).toContain(204);
    const left = (await version()).body.lessons.map((l: { lessonKey: string; position: number }) => [
      l.lessonKey,
      l.position,
    ]);
    expect(left).toEqual([
      [second, 1],
      [third, 2],
    ]);
  });

  it('range-checks numbers in paths: past int32 is a 400 naming the parameter, not a database error', async () => {
    const trainer = await userWithRoles([{ role: 'trainer' }]);
    const courseId = await createCourse(trainer.accessToken);
    for (const version of ['2147483648', '99999999999', '1e10', '0', '-1', '1.5', 'abc']) {
      const res = await api(`/api/v1/authoring/courses/${courseId}/versions/${version}`, {
        token: trainer.accessToken,
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['version']);
    }
    expectError(
      await api(`/api/v1/authoring/courses/${courseId}/versions/2147483647`, { token: trainer.accessToken }),
      404,
    );
  });

  it('accepts only numbers of the real Vietnamese numbering plan', async () => {
    for (const phone of ['0501234567', '0711234567', '0801234567']) {
      const res = await api('/api/v1/auth/register', {
        body: { phone, password: GOOD_PASSWORD, displayName: 'Lý Thị Dua' },
      });
      expectError(res, 400, 'IDENTITY_INVALID_PHONE');
    }
    const ok = await api('/api/v1/auth/register', {
      body: {
        phone: `087${String(Date.now()).slice(-7)}`,
        password: GOOD_PASSWORD,
        displayName: 'Lý Thị Dua',
      },
    });
    expect(ok.status).toBe(201);
  });
});

describe('auth limits and access', () => {
  let limited: PlatformProcess;
  beforeAll(async () => {
    limited = await startPlatform('api', {
      ...testEnv(),
      TRUST_PROXY: 'true',
      REGISTER_MAX_PER_IP: '3',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '10',
    });
  });
  afterAll(() => limited.stop());
  const from = (ip: string) => ({ base: limited.url, headers: { 'x-forwarded-for': ip } });
  // Each call a new address (a random pick collided now and then and met another test's limit).
  let lastIp = 0;
  const someIp = () => `203.0.113.${++lastIp}`;

  it('holds the per-account login limit under concurrency: exactly 10 passwords are checked', async () => {
    const victim = await registerLearner();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api('/api/v1/auth/login', {
          ...from(`198.51.100.${i + 1}`),
          body: { identifier: victim.phone, password: `doan-sai-${i}-mat-khau` },
        }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    // Even the right password waits now: the account's budget is spent.
    const right = await api('/api/v1/auth/login', {
      ...from(someIp()),
      body: { identifier: victim.phone, password: victim.password },
    });
    expectError(right, 429, 'IDENTITY_LOGIN_RATE_LIMITED');
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits registration per address and per number, and reveals nothing but "sign in instead"', async () => {
    const ip = someIp();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await api('/api/v1/auth/register', {
        ...from(ip),
        body: { phone: uniquePhone(), password: GOOD_PASSWORD, displayName: 'Sùng Thị Mỷ' },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const over = await api('/api/v1/auth/register', {
      ...from(ip),
      body: { phone: uniquePhone(), password: GOOD_PASSWORD, displayName: 'Sùng Thị Mỷ' },
    });
    expectError(over, 429, 'IDENTITY_REGISTER_RATE_LIMITED');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    const other = await api('/api/v1/auth/register', {
      ...from(someIp()),
      body: { phone: uniquePhone(), password: GOOD_PASSWORD, displayName: 'Sùng Thị Mỷ' },
    });
    expect(other.status).toBe(201);

    const existing = await registerLearner();
    const again = await api('/api/v1/auth/register', {
      ...from(someIp()),
      body: { phone: existing.phone, password: GOOD_PASSWORD, displayName: 'Ai đó' },
    });
    expectError(again, 409, 'IDENTITY_ACCOUNT_EXISTS');
    expect(again.text).not.toContain(existing.id);
    // The same number from many addresses: at most 10 attempts per window (the first registration
    // and the refusal above were two of them).
    const tries: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await api('/api/v1/auth/register', {
        ...from(`192.0.2.${i + 1}`),
        body: { phone: existing.phone, password: GOOD_PASSWORD, displayName: 'Ai đó' },
      });
      tries.push(res.status);
    }
    expect(tries).toEqual([...Array(8).fill(409), 429, 429, 429]);
  });

  it('limits password changes: a wrong current password spends the account budget shared with sign-in', async () => {
    const user = await registerLearner();
    const ip = someIp();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await api('/api/v1/me/password', {
        ...from(ip),
        token: user.accessToken,
        body: { currentPassword: `sai-${i}`, newPassword: 'Một câu mới thật dài cho bản Lao Chải' },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    const login = await api('/api/v1/auth/login', {
      ...from(someIp()),
      body: { identifier: user.phone, password: user.password },
    });
    expect(login.status).toBe(429);
  });

  it('lets only the course owner, admins and coordinators (for their area) bulk-enrol, and never maps numbers to ids', async () => {
    const owner = await userWithRoles([{ role: 'trainer' }]);
    const otherTrainer = await userWithRoles([{ role: 'trainer' }]);
    const reviewer = await userWithRoles([{ role: 'trainer' }]);
    const courseId = await createCourse(owner.accessToken);
    await addLessons(owner.accessToken, courseId, [guideLesson]);
    await publishCourse(owner.accessToken, reviewer.accessToken, courseId);
    const area = await testArea(2, 1);
    const inside = await registerLearner({ villageId: area.communes[0].villageIds[0] });
    const outside = await registerLearner({ villageId: area.communes[1].villageIds[0] });
    const path = `/api/v1/progress/courses/${courseId}/enrolments`;

    const stranger = await api(path, { token: otherTrainer.accessToken, body: { learners: [inside.phone] } });
    expectError(stranger, 403, 'FORBIDDEN');
    const learner = await api(path, { token: inside.accessToken, body: { learners: [outside.phone] } });
    expectError(learner, 403);

    const byOwner = await api(path, {
      token: owner.accessToken,
      body: { learners: [inside.phone, '0912 000 111'] },
    });
    expect(byOwner.status).toBeLessThan(300);
    expect(byOwner.body.results).toEqual([
      { learner: inside.phone, status: 'enrolled' },
      { learner: '0912 000 111', status: 'not_found' },
    ]);
    expect(byOwner.text).not.toContain(inside.id);

    const coordinator = await coordinatorOf(area.communes[0].id);
    const byCoordinator = await api(path, {
      token: coordinator.accessToken,
      body: { learners: [inside.phone, outside.phone, (await adminMe()).id] },
    });
    expect(byCoordinator.body.results.map((r: { status: string }) => r.status)).toEqual([
      'already_enrolled',
      'not_found',
      'not_found',
    ]);
    expect(byCoordinator.text).not.toMatch(/userId/);
  });

  it('four eyes: nobody who created, edited or submitted a version may publish it', async () => {
    const admin = await adminAccessToken();
    const trainerA = await userWithRoles([{ role: 'trainer' }]);
    const trainerB = await userWithRoles([{ role: 'trainer' }]);
    const courseId = await createCourse(trainerA.accessToken);
    await addLessons(trainerA.accessToken, courseId, [guideLesson]);
    await publishCourse(trainerA.accessToken, trainerB.accessToken, courseId);
    // The admin starts a new draft, trainer A edits it, the admin submits it.
    expect(
      (await api(`/api/v1/authoring/courses/${courseId}/drafts`, { token: admin, body: {} })).status,
    ).toBe(201);
    const edit = await api(`/api/v1/authoring/courses/${courseId}/draft`, {
      method: 'PATCH',
      token: trainerA.accessToken,
      body: { summary: { vi: 'Sửa lại cho rõ hơn: trả tiền điện bằng mã QR.' } },
    });
    expect(edit.status).toBe(200);
    const submit = await api(`/api/v1/authoring/courses/${courseId}/draft/submit`, {
      token: admin,
      body: {},
    });
    expect(submit.status).toBe(200);
    // Trainer A edited it: not theirs to publish, and not in their review queue.
    const queue = await api('/api/v1/authoring/review-queue', { token: trainerA.accessToken });
    expect(queue.text).not.toContain(courseId);
    const own = await api(`/api/v1/authoring/courses/${courseId}/review/publish`, {
      token: trainerA.accessToken,
      body: {},
    });
    expectError(own, 403, 'AUTHORING_FOUR_EYES');
    const byAdmin = await api(`/api/v1/authoring/courses/${courseId}/review/publish`, {
      token: admin,
      body: {},
    });
    expectError(byAdmin, 403, 'AUTHORING_FOUR_EYES');
    const second = await api(`/api/v1/authoring/courses/${courseId}/review/publish`, {
      token: trainerB.accessToken,
      body: {},
    });
    expect(second.status).toBe(200);
  });

  it('guards the queue dashboard’s state-changing calls with the same-origin check', async () => {
    const env = testEnv();
    const admin = await Browser.signedIn({ phone: env.ADMIN_PHONE, password: env.ADMIN_PASSWORD });
    const path = '/admin/queues/api/queues/maintenance/retry/failed';
    const forged = await admin.request(path, { method: 'PUT', headers: { origin: 'https://evil.example' } });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.text).code).toBe('CSRF_INVALID');
    const silent = await admin.request(path, { method: 'PUT' });
    expect(silent.status).toBe(403);
    const own = await admin.request(path, { method: 'PUT', headers: { origin: 'http://banso.test' } });
    expect(own.status).not.toBe(403);
    expect(own.status).toBeLessThan(500);
    // Reading stays as it was for the admin.
    expect((await admin.request('/admin/queues/api/queues')).status).toBe(200);
  });
});

async function adminMe(): Promise<{ id: string }> {
  return (await api('/api/v1/me', { token: await adminAccessToken() })).body;
}

import {
  addLessons,
  createCourse,
  guideLesson,
  publishCourse,
  quizLesson,
  videoLesson,
} from './factories/course.factory.js';
import { userWithRoles, type TestUser } from './factories/user.factory.js';
import { api, expectError } from './support/api.js';

const ANSWER_KEYS = /"correct"|"answer"|"feedback"|"incorrect"/;

describe('catalog for learners', () => {
  let author: TestUser;
  let reviewer: TestUser;
  let courseId: string;
  let slug: string;
  let groups: { id: string; code: string }[];

  beforeAll(async () => {
    [author, reviewer] = await Promise.all([
      userWithRoles([{ role: 'trainer' }]),
      userWithRoles([{ role: 'trainer' }]),
    ]);
    groups = (await api('/api/v1/learner-groups')).body;
    slug = `dang-ky-khai-sinh-${Date.now().toString(36)}`;
    courseId = await createCourse(author.accessToken, {
      slug,
      topic: 'online-public-services',
      learnerGroupIds: [
        groups.find((g) => g.code === 'officials')!.id,
        groups.find((g) => g.code === 'elderly')!.id,
      ],
      title: { vi: 'Đăng ký khai sinh trực tuyến', hmn: 'Sau npe menyuam yug tshiab hauv online' },
      summary: { vi: 'Làm thủ tục khai sinh cho con trên Cổng dịch vụ công, không phải xuống xã.' },
    });
    await addLessons(author.accessToken, courseId, [videoLesson, guideLesson, quizLesson]);
    await publishCourse(author.accessToken, reviewer.accessToken, courseId);
    // A course only in Vietnamese, for the language filter.
    const viOnly = await createCourse(author.accessToken, {
      slug: `hop-zalo-${Date.now().toString(36)}`,
      topic: 'zalo-groups',
      title: { vi: 'Lập nhóm Zalo cho thôn' },
    });
    await addLessons(author.accessToken, viOnly, [
      { ...videoLesson, title: { vi: 'Tạo nhóm', hmn: 'Tsim pawg' } },
    ]);
    await publishCourse(author.accessToken, reviewer.accessToken, viOnly);
  });

  const list = async (qs: string) => (await api(`/api/v1/courses?${qs}`)).body;
  const ids = (page: { items: { id: string }[] }) => page.items.map((c) => c.id);

  it('finds courses without accents, by words in any order', async () => {
    expect(ids(await list('q=dang ky khai sinh'))).toContain(courseId);
    expect(ids(await list('q=khai sinh dang ky'))).toContain(courseId);
    expect(ids(await list('q=ĐĂNG KÝ'))).toContain(courseId);
    expect(ids(await list('q=yug tshiab'))).toContain(courseId); // H'Mông title
    expect(ids(await list('q=thanh toan tien dien'))).toContain(courseId); // a lesson title
    expect(ids(await list('q=nop thue dien tu'))).not.toContain(courseId);
    expect(ids(await list('q=qqzzx'))).toEqual([]);
  });

  it('filters by learner group, language and topic, and pages', async () => {
    expect(ids(await list('group=officials'))).toContain(courseId);
    expect(ids(await list(`group=${groups.find((g) => g.code === 'officials')!.id}`))).toContain(courseId);
    expect(ids(await list('group=pupils'))).not.toContain(courseId);
    expect(ids(await list('group=no-such-group'))).toEqual([]);
    const hmn = await list('language=hmn&pageSize=100');
    expect(ids(hmn)).toContain(courseId);
    expect(hmn.items.every((c: { languages: string[] }) => c.languages.includes('hmn'))).toBe(true);
    expect(ids(await list('topic=online-public-services'))).toContain(courseId);
    expect(ids(await list('topic=e-tax'))).not.toContain(courseId);
    const page = await list('pageSize=1');
    expect(page.items).toHaveLength(1);
    expect(page.meta.total).toBeGreaterThanOrEqual(2);
    expectError(await api('/api/v1/courses?topic=cooking'), 400, 'VALIDATION_FAILED');
    expectError(await api('/api/v1/courses?lang=fr'), 400, 'VALIDATION_FAILED');
  });

  it('marks per field the language served and whether it is a fallback', async () => {
    const item = (await list(`q=khai sinh&lang=hmn`)).items.find((c: { id: string }) => c.id === courseId);
    expect(item.title).toEqual({
      text: 'Sau npe menyuam yug tshiab hauv online',
      locale: 'hmn',
      fallback: false,
    });
    expect(item.summary).toMatchObject({ locale: 'vi', fallback: true });
    expect(item.learnerGroups.map((g: { code: string }) => g.code).sort()).toEqual(['elderly', 'officials']);
    const detail = (await api(`/api/v1/courses/${slug}?lang=hmn`)).body;
    expect(detail.id).toBe(courseId);
    expect(detail.lessons.map((l: { kind: string }) => l.kind)).toEqual(['video', 'guide', 'quiz']);
    const guide = (await api(`/api/v1/lessons/${detail.lessons[1].id}?lang=hmn`)).body;
    expect(guide.content.steps[0].title).toEqual({ text: 'Qhib CH Play', locale: 'hmn', fallback: false });
    expect(guide.content.steps[1].body).toMatchObject({ locale: 'vi', fallback: true });
  });

  it('never sends an answer key to learners', async () => {
    const detail = (await api(`/api/v1/courses/${courseId}`)).body;
    const quiz = await api(`/api/v1/lessons/${detail.lessons[2].id}?lang=hmn`);
    expect(quiz.status).toBe(200);
    expect(quiz.text).not.toMatch(ANSWER_KEYS);
    const questions = quiz.body.content.questions;
    expect(questions.map((q: { type: string }) => q.type)).toEqual([
      'single',
      'multiple',
      'true_false',
      'ordering',
    ]);
    expect(questions[0].options).toHaveLength(2);
    const ordering = questions[3].items.map((i: { text: { text: string } }) => i.text.text);
    expect(ordering).not.toEqual(['Mở ứng dụng', 'Chọn hoá đơn', 'Xác nhận bằng mã PIN']);
    expect([...ordering].sort()).toEqual(['Chọn hoá đơn', 'Mở ứng dụng', 'Xác nhận bằng mã PIN'].sort());
    for (const path of ['/api/v1/courses', `/api/v1/courses/${courseId}`, `/api/v1/courses?q=khai sinh`]) {
      expect((await api(path)).text).not.toMatch(ANSWER_KEYS);
    }
  });

  it('hides drafts and unknown courses', async () => {
    const draftCourse = await createCourse(author.accessToken);
    await addLessons(author.accessToken, draftCourse, [guideLesson]);
    const draftLesson = (
      await api(`/api/v1/authoring/courses/${draftCourse}/versions/1`, { token: author.accessToken })
    ).body.lessons[0];
    expectError(await api(`/api/v1/courses/${draftCourse}`), 404, 'CATALOG_COURSE_NOT_FOUND');
    expectError(await api(`/api/v1/lessons/${draftLesson.id}`), 404, 'CATALOG_LESSON_NOT_FOUND');
    expect(ids(await list('pageSize=100'))).not.toContain(draftCourse);
    expectError(await api('/api/v1/courses/khong-co-khoa-nay'), 404, 'CATALOG_COURSE_NOT_FOUND');
    expectError(await api('/api/v1/lessons/not-a-uuid'), 400, 'VALIDATION_FAILED');
  });

  it('revalidates unchanged responses with a 304 and no body', async () => {
    for (const path of ['/api/v1/courses?group=officials', `/api/v1/courses/${courseId}`]) {
      const first = await api(path);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^W\/".+"$/);
      expect(first.headers.get('cache-control')).toMatch(/public, max-age=60/);
      const again = await api(path, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      const other = await api(path, { headers: { 'if-none-match': 'W/"stale"' } });
      expect(other.status).toBe(200);
    }
    const signedIn = await api('/api/v1/courses', { token: author.accessToken });
    expect(signedIn.headers.get('cache-control')).toMatch(/^private/);
  });

  it('answers a repeated read from the kept answer, the same as made, until a publication', async () => {
    const path = `/api/v1/courses?topic=online-public-services&pageSize=100&lang=hmn,vi&t=${Date.now()}`;
    // An unknown query parameter is a 400, never kept.
    expectError(await api(path), 400, 'VALIDATION_FAILED');
    expect((await api(path)).headers.get('x-cache')).toBeNull();

    const kept = `/api/v1/courses?topic=online-public-services&pageSize=100&lang=hmn,vi&page=1`;
    const made = await api(kept);
    const hit = await api(kept);
    expect(made.status).toBe(200);
    expect(made.headers.get('x-cache')).toBeNull();
    expect(hit.headers.get('x-cache')).toBe('hit');
    expect(hit.text).toBe(made.text);
    for (const header of [
      'etag',
      'cache-control',
      'vary',
      'content-type',
      'x-content-type-options',
      'content-security-policy',
    ])
      expect([header, hit.headers.get(header)]).toEqual([header, made.headers.get(header)]);
    expect(hit.headers.get('x-request-id')).toMatch(/.+/);
    expect(hit.headers.get('x-request-id')).not.toBe(made.headers.get('x-request-id'));
    const signedIn = await api(kept, { token: author.accessToken });
    expect([signedIn.headers.get('x-cache'), signedIn.text]).toEqual(['hit', made.text]);
    expect(signedIn.headers.get('cache-control')).toMatch(/^private/);
    const revalidated = await api(kept, { headers: { 'if-none-match': made.headers.get('etag')! } });
    expect([revalidated.status, revalidated.text, revalidated.headers.get('x-cache')]).toEqual([
      304,
      '',
      'hit',
    ]);

    // A publication on this replica forgets what was kept: the next read shows the new course.
    const another = await createCourse(author.accessToken, {
      slug: `dich-vu-cong-${Date.now().toString(36)}`,
      topic: 'online-public-services',
      title: { vi: 'Nộp hồ sơ trên Cổng dịch vụ công' },
    });
    await addLessons(author.accessToken, another, [guideLesson]);
    await publishCourse(author.accessToken, reviewer.accessToken, another);
    const after = await api(kept);
    expect(after.headers.get('x-cache')).toBeNull();
    expect(ids(after.body)).toContain(another);
    expect(ids(made.body)).not.toContain(another);
  });
});

import { addLessons, createCourse, guideLesson } from './factories/course.factory.js';
import { registerLearner, userWithRoles, type TestUser } from './factories/user.factory.js';
import { api } from './support/api.js';
import { Browser } from './support/portal-browser.js';

const HTML = { accept: 'text/html' };

/** Repeated form fields (one per row), as a browser sends them; Browser passes this to URLSearchParams. */
const fields = (pairs: [string, string][]) => new URLSearchParams(pairs) as unknown as Record<string, string>;

const signIn = (user: TestUser) => Browser.signedIn(user);

/** GETs a page and returns its HTML and CSRF token. */
async function page(browser: Browser, path: string) {
  const res = await browser.request(path, { headers: HTML });
  return { ...res, csrf: res.status === 200 ? Browser.csrfFrom(res.text) : '' };
}

const version = async (token: string, courseId: string, v = 1) =>
  (await api(`/api/v1/authoring/courses/${courseId}/versions/${v}`, { token })).body;

/** The cells of the first matrix row with this label: locale → complete | partial | missing. */
function matrixRow(html: string, label: string, nth = 0): Record<string, string> {
  const rows = [...html.matchAll(new RegExp(`<th scope="row">${label}</th>([\\s\\S]*?)</tr>`, 'g'))];
  const cells = [...rows[nth][1].matchAll(/data-locale="(\w+)" data-state="(\w+)"/g)];
  return Object.fromEntries(cells.map((m) => [m[1], m[2]]));
}

describe('trainer pages (/teach)', () => {
  let author: TestUser;
  let reviewer: TestUser;
  let learner: TestUser;
  let a: Browser;
  let b: Browser;
  let elderly: string;

  beforeAll(async () => {
    [author, reviewer, learner] = await Promise.all([
      userWithRoles([{ role: 'trainer' }]),
      userWithRoles([{ role: 'trainer' }]),
      registerLearner(),
    ]);
    [a, b] = await Promise.all([signIn(author), signIn(reviewer)]);
    const groups = (await api('/api/v1/learner-groups')).body;
    elderly = groups.find((g: { code: string }) => g.code === 'elderly').id;
  });

  it('takes a course from the new-course form through the bilingual editor, review and into the catalog', async () => {
    // A new course from the list page.
    const index = await page(a, '/teach');
    expect(index.status).toBe(200);
    expect(index.text).toContain('Tạo khoá học mới');
    const created = await a.request('/teach/courses', {
      headers: HTML,
      form: fields([
        ['_csrf', index.csrf],
        ['titleVi', 'Dùng Zalo an toàn'],
        ['summaryVi', 'Nhận biết tin nhắn lừa đảo trong nhóm Zalo của bản.'],
        ['topic', 'online-safety'],
        ['learnerGroupIds', elderly],
        ['slug', ''],
      ]),
    });
    expect(created.status).toBe(303);
    const location = created.headers.get('location')!;
    expect(location).toMatch(/^\/teach\/courses\/[0-9a-f-]{36}\?notice=saved$/);
    const courseId = location.split('/')[3].split('?')[0];
    expect((await version(author.accessToken, courseId)).title).toEqual({ vi: 'Dùng Zalo an toàn' });

    // Side by side: Vietnamese next to H'Mông by default, another language on request.
    const editor = await page(a, `/teach/courses/${courseId}`);
    expect(editor.status).toBe(200);
    expect(editor.text).toContain('name="titleVi" lang="vi"');
    expect(editor.text).toContain('name="titleSecond" lang="hmn"');
    expect((await page(a, `/teach/courses/${courseId}?second=tyz`)).text).toContain(
      'name="titleSecond" lang="tyz"',
    );
    const saved = await a.request(`/teach/courses/${courseId}`, {
      headers: HTML,
      form: fields([
        ['_csrf', editor.csrf],
        ['second', 'hmn'],
        ['titleVi', 'Dùng Zalo an toàn'],
        ['titleSecond', 'Siv Zalo kom muaj kev nyab xeeb'],
        ['summaryVi', 'Nhận biết tin nhắn lừa đảo trong nhóm Zalo của bản.'],
        ['summarySecond', 'Paub txog cov lus dag hauv pab pawg Zalo.'],
        ['topic', 'zalo-groups'],
        ['learnerGroupIds', elderly],
      ]),
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/teach/courses/${courseId}?second=hmn&notice=saved`);
    const afterSave = await version(author.accessToken, courseId);
    expect(afterSave).toMatchObject({
      topic: 'zalo-groups',
      title: { vi: 'Dùng Zalo an toàn', hmn: 'Siv Zalo kom muaj kev nyab xeeb' },
      summary: { hmn: 'Paub txog cov lus dag hauv pab pawg Zalo.' },
    });

    // Emptying the H'Mông title removes that translation (the editor's columns are the whole truth
    // for their languages); the other texts stay. Then it is typed again.
    const courseForm = (titleSecond: string) =>
      fields([
        ['_csrf', editor.csrf],
        ['second', 'hmn'],
        ['titleVi', 'Dùng Zalo an toàn'],
        ['titleSecond', titleSecond],
        ['summaryVi', 'Nhận biết tin nhắn lừa đảo trong nhóm Zalo của bản.'],
        ['summarySecond', 'Paub txog cov lus dag hauv pab pawg Zalo.'],
        ['topic', 'zalo-groups'],
        ['learnerGroupIds', elderly],
      ]);
    expect(
      (await a.request(`/teach/courses/${courseId}`, { headers: HTML, form: courseForm('') })).status,
    ).toBe(303);
    const cleared = await version(author.accessToken, courseId);
    expect(cleared.title).toEqual({ vi: 'Dùng Zalo an toàn' });
    expect(cleared.summary.hmn).toBe('Paub txog cov lus dag hauv pab pawg Zalo.');
    const restored = await a.request(`/teach/courses/${courseId}`, {
      headers: HTML,
      form: courseForm('Siv Zalo kom muaj kev nyab xeeb'),
    });
    expect(restored.status).toBe(303);

    // A guide lesson: one filled step, one blank row (ignored), as the page sends them.
    const newGuide = await page(a, `/teach/courses/${courseId}/lessons/new?kind=guide&second=hmn`);
    expect(newGuide.status).toBe(200);
    expect(newGuide.text).toContain('name="stepTitleSecond" lang="hmn"');
    const guide = await a.request(`/teach/courses/${courseId}/lessons`, {
      headers: HTML,
      form: fields([
        ['_csrf', newGuide.csrf],
        ['second', 'hmn'],
        ['kind', 'guide'],
        ['titleVi', 'Chặn người lạ trên Zalo'],
        ['titleSecond', 'Thaiv neeg txawv hauv Zalo'],
        ['summaryVi', ''],
        ['summarySecond', ''],
        ['stepId', ''],
        ['stepTitleVi', 'Mở cuộc trò chuyện'],
        ['stepTitleSecond', 'Qhib kev sib tham'],
        ['stepBodyVi', 'Chạm vào tên người lạ ở đầu màn hình.'],
        ['stepBodySecond', ''],
        ['stepId', ''],
        ['stepTitleVi', ''],
        ['stepTitleSecond', ''],
        ['stepBodyVi', ''],
        ['stepBodySecond', ''],
      ]),
    });
    expect(guide.status).toBe(303);

    // A quiz lesson: one single-choice question, two of its four option rows filled.
    const newQuiz = await page(a, `/teach/courses/${courseId}/lessons/new?kind=quiz`);
    expect(newQuiz.status).toBe(200);
    expect(newQuiz.text).toContain('name="qType"');
    const quiz = await a.request(`/teach/courses/${courseId}/lessons`, {
      headers: HTML,
      form: fields([
        ['_csrf', newQuiz.csrf],
        ['second', 'hmn'],
        ['kind', 'quiz'],
        ['titleVi', 'Kiểm tra: tin nhắn lạ'],
        ['titleSecond', ''],
        ['passMark', '70'],
        ['qId', ''],
        ['qType', 'single'],
        ['qPromptVi', 'Người lạ xin mã OTP qua Zalo. Bạn làm gì?'],
        ['qPromptSecond', 'Neeg txawv thov koj tus OTP hauv Zalo. Koj ua li cas?'],
        ...[0, 1, 2, 3].flatMap((i): [string, string][] => [
          ['oQuestion', '0'],
          ['oId', ''],
          ['oTextVi', ['Không gửi, chặn người đó', 'Gửi ngay', '', ''][i]],
          ['oTextSecond', ['Tsis xa, thaiv nws', '', '', ''][i]],
        ]),
        ['oCorrect', '0'],
      ]),
    });
    expect(quiz.status).toBe(303);

    let draft = await version(author.accessToken, courseId);
    expect(draft.lessons.map((l: { kind: string }) => l.kind)).toEqual(['guide', 'quiz']);
    const [guideLessonKey, quizLessonKey] = draft.lessons.map((l: { lessonKey: string }) => l.lessonKey);
    expect(draft.lessons[0].content.steps).toEqual([
      expect.objectContaining({
        title: { vi: 'Mở cuộc trò chuyện', hmn: 'Qhib kev sib tham' },
        body: { vi: 'Chạm vào tên người lạ ở đầu màn hình.' },
      }),
    ]);
    expect(draft.lessons[1].content.questions[0].options).toEqual([
      expect.objectContaining({
        text: { vi: 'Không gửi, chặn người đó', hmn: 'Tsis xa, thaiv nws' },
        correct: true,
      }),
      expect.objectContaining({ text: { vi: 'Gửi ngay' }, correct: false }),
    ]);

    // The quiz editor shows each option next to its translation, the right one ticked.
    const quizPage = await page(a, `/teach/courses/${courseId}/lessons/${quizLessonKey}`);
    expect(quizPage.status).toBe(200);
    expect(quizPage.text).toContain('value="Tsis xa, thaiv nws"');
    expect(quizPage.text).toContain('name="oCorrect" value="0" checked');
    expect(quizPage.text).not.toContain('name="oCorrect" value="1" checked');

    // Editing the guide next to Tày keeps the H'Mông text and adds a step.
    const guidePage = await page(a, `/teach/courses/${courseId}/lessons/${guideLessonKey}?second=tyz`);
    expect(guidePage.status).toBe(200);
    expect(guidePage.text).toContain('Mở cuộc trò chuyện');
    const stepId = draft.lessons[0].content.steps[0].id;
    const edited = await a.request(`/teach/courses/${courseId}/lessons/${guideLessonKey}`, {
      headers: HTML,
      form: fields([
        ['_csrf', guidePage.csrf],
        ['second', 'tyz'],
        ['titleVi', 'Chặn người lạ trên Zalo'],
        ['titleSecond', 'Chặn cần lạ bưởng Zalo'],
        ['summaryVi', ''],
        ['summarySecond', ''],
        ['stepId', stepId],
        ['stepTitleVi', 'Mở cuộc trò chuyện'],
        ['stepTitleSecond', ''],
        ['stepBodyVi', 'Chạm vào tên người lạ ở đầu màn hình.'],
        ['stepBodySecond', ''],
        ['stepId', ''],
        ['stepTitleVi', 'Chọn “Chặn”'],
        ['stepTitleSecond', ''],
        ['stepBodyVi', 'Chạm “Chặn tin nhắn” rồi xác nhận.'],
        ['stepBodySecond', ''],
      ]),
    });
    expect(edited.status).toBe(303);
    draft = await version(author.accessToken, courseId);
    expect(draft.lessons[0].title).toEqual({
      vi: 'Chặn người lạ trên Zalo',
      hmn: 'Thaiv neeg txawv hauv Zalo',
      tyz: 'Chặn cần lạ bưởng Zalo',
    });
    expect(draft.lessons[0].content.steps.map((s: { title: unknown }) => s.title)).toEqual([
      { vi: 'Mở cuộc trò chuyện', hmn: 'Qhib kev sib tham' },
      { vi: 'Chọn “Chặn”' },
    ]);

    // The translation matrix marks what is missing per language.
    const matrix = await page(a, `/teach/courses/${courseId}/versions/1/translations`);
    expect(matrix.status).toBe(200);
    expect(matrixRow(matrix.text, 'Tên')).toEqual({
      vi: 'complete',
      hmn: 'complete',
      ium: 'missing',
      tyz: 'missing',
    });
    expect(matrixRow(matrix.text, 'Các bước')).toMatchObject({
      vi: 'complete',
      hmn: 'partial',
      ium: 'missing',
    });
    // The quiz lesson's title exists only in Vietnamese.
    expect(matrixRow(matrix.text, 'Tên', 2)).toMatchObject({ vi: 'complete', hmn: 'missing' });
    expect(matrix.text).toContain('class="error"');

    // The preview shows the lessons as learners see them: no answer key.
    const preview = await page(a, `/teach/courses/${courseId}/versions/1/preview?as=hmn`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Qhib kev sib tham');
    expect(preview.text).toContain('Neeg txawv thov koj tus OTP hauv Zalo. Koj ua li cas?');
    expect(preview.text).toContain('Gửi ngay'); // not translated: shown in Vietnamese, marked
    expect(preview.text).not.toMatch(/correct|Đáp án đúng/);

    // Reorder: the quiz first.
    const moved = await a.request(`/teach/courses/${courseId}/lessons/${quizLessonKey}/move`, {
      headers: HTML,
      form: { _csrf: editor.csrf, direction: 'up' },
    });
    expect(moved.status).toBe(303);
    expect((await version(author.accessToken, courseId)).lessons[0].lessonKey).toBe(quizLessonKey);

    // Submit; the author cannot publish their own course (four eyes), and is told so on a page.
    const submitted = await a.request(`/teach/courses/${courseId}/submit`, {
      headers: HTML,
      form: { _csrf: editor.csrf },
    });
    expect(submitted.status).toBe(303);
    expect(submitted.headers.get('location')).toBe(`/teach/courses/${courseId}?notice=submitted`);
    const own = await a.request(`/teach/courses/${courseId}/publish`, {
      headers: HTML,
      form: { _csrf: editor.csrf },
    });
    expect(own.status).toBe(403);
    expect(own.headers.get('content-type')).toMatch(/text\/html/);
    expect(own.text).toContain('Bạn không thể tự duyệt khoá học của mình');
    expect((await page(a, `/teach/courses/${courseId}`)).text).toContain('Rút lại để sửa tiếp');

    // A second trainer finds it in the review queue and publishes it.
    const queue = await page(b, '/teach');
    expect(queue.text).toContain(`/teach/courses/${courseId}/versions/1/preview`);
    const review = await page(b, `/teach/courses/${courseId}/versions/1/preview`);
    expect(review.status).toBe(200);
    expect(review.text).toContain(`action="/teach/courses/${courseId}/publish"`);
    const published = await b.request(`/teach/courses/${courseId}/publish`, {
      headers: HTML,
      form: { _csrf: review.csrf },
    });
    expect(published.status).toBe(303);
    expect(published.headers.get('location')).toBe('/teach?notice=published');

    const catalog = await api(`/api/v1/courses/${courseId}?lang=hmn`);
    expect(catalog.status).toBe(200);
    expect(JSON.stringify(catalog.body)).toContain('Siv Zalo kom muaj kev nyab xeeb');
    expect((await page(a, '/teach')).text).toContain('Đã xuất bản');
  });

  it('sends a course back with a reason, and needs one', async () => {
    const courseId = await createCourse(author.accessToken);
    await addLessons(author.accessToken, courseId, [guideLesson]);
    const editor = await page(a, `/teach/courses/${courseId}`);
    await a.request(`/teach/courses/${courseId}/submit`, { headers: HTML, form: { _csrf: editor.csrf } });
    const review = await page(b, `/teach/courses/${courseId}/versions/1/preview`);
    const empty = await b.request(`/teach/courses/${courseId}/reject`, {
      headers: HTML,
      form: { _csrf: review.csrf, reason: ' ' },
    });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Hãy ghi lý do trả lại');
    const rejected = await b.request(`/teach/courses/${courseId}/reject`, {
      headers: HTML,
      form: { _csrf: review.csrf, reason: 'Bước 3 thiếu bản dịch tiếng H’Mông.' },
    });
    expect(rejected.status).toBe(303);
    expect(rejected.headers.get('location')).toBe('/teach?notice=returned');
    const back = await page(a, `/teach/courses/${courseId}`);
    expect(back.text).toContain('Bước 3 thiếu bản dịch tiếng H’Mông.');
    expect(back.text).toContain('name="titleVi"');
  });

  it('takes subtitles as pasted WebVTT and offers the video upload with a note for browsers without JavaScript', async () => {
    const courseId = await createCourse(author.accessToken);
    const form = await page(a, `/teach/courses/${courseId}/lessons/new?kind=video`);
    const added = await a.request(`/teach/courses/${courseId}/lessons`, {
      headers: HTML,
      form: {
        _csrf: form.csrf,
        kind: 'video',
        second: 'hmn',
        titleVi: 'Xem: chặn tin nhắn lạ',
        titleSecond: '',
      },
    });
    expect(added.status).toBe(303);
    const [lesson] = (await version(author.accessToken, courseId)).lessons;
    const path = `/teach/courses/${courseId}/lessons/${lesson.lessonKey}`;
    const lessonPage = await page(a, path);
    expect(lessonPage.text).toContain('<script src="/assets/upload.js?v=');
    expect(lessonPage.text).toContain('data-upload hidden');
    expect(lessonPage.text).toContain('Tải video lên cần bật JavaScript');
    const script = await a.request('/assets/upload.js');
    expect(script.status).toBe(200);
    expect(Buffer.byteLength(script.text)).toBeLessThan(3 * 1024);

    const bad = await a.request(`${path}/subtitles`, {
      headers: HTML,
      form: { _csrf: lessonPage.csrf, locale: 'hmn', vtt: '00:00.000 --> 00:02.000\nNyob zoo' },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('dòng 1');
    const good = await a.request(`${path}/subtitles`, {
      headers: HTML,
      form: {
        _csrf: lessonPage.csrf,
        locale: 'hmn',
        second: 'hmn',
        vtt: 'WEBVTT\r\n\r\n00:00.000 --> 00:02.000\r\nNyob zoo\r\n\r\n00:02.000 --> 00:04.000\r\nThaiv neeg txawv\r\n',
      },
    });
    expect(good.status).toBe(303);
    expect((await version(author.accessToken, courseId)).lessons[0].content.subtitles.hmn.cues).toBe(2);
    const matrix = await page(a, `/teach/courses/${courseId}/versions/1/translations`);
    expect(matrixRow(matrix.text, 'Phụ đề')).toEqual({
      vi: 'missing',
      hmn: 'complete',
      ium: 'missing',
      tyz: 'missing',
    });
  });

  it('re-renders the form with a 400 and changes nothing when the Vietnamese title is empty', async () => {
    const courseId = await createCourse(author.accessToken);
    const before = await version(author.accessToken, courseId);
    const editor = await page(a, `/teach/courses/${courseId}`);
    const res = await a.request(`/teach/courses/${courseId}`, {
      headers: HTML,
      form: {
        _csrf: editor.csrf,
        second: 'hmn',
        titleVi: '   ',
        titleSecond: 'Npe tshiab',
        topic: 'e-tax',
        learnerGroupIds: elderly,
      },
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Hãy nhập tên tiếng Việt');
    expect(res.text).toContain('value="Npe tshiab"'); // what was typed is kept
    expect(await version(author.accessToken, courseId)).toEqual(before);

    const index = await page(a, '/teach');
    const create = await a.request('/teach/courses', {
      headers: HTML,
      form: { _csrf: index.csrf, titleVi: '', topic: 'e-tax', learnerGroupIds: elderly },
    });
    expect(create.status).toBe(400);
    expect(create.text).toContain('Hãy nhập tên tiếng Việt');

    const lessonForm = await page(a, `/teach/courses/${courseId}/lessons/new?kind=guide`);
    const lesson = await a.request(`/teach/courses/${courseId}/lessons`, {
      headers: HTML,
      form: {
        _csrf: lessonForm.csrf,
        kind: 'guide',
        titleVi: 'Bài mới',
        stepId: '',
        stepTitleVi: '',
        stepTitleSecond: 'Kauj ruam',
        stepBodyVi: '',
        stepBodySecond: '',
      },
    });
    expect(lesson.status).toBe(400);
    expect(lesson.text).toContain('Bước 1: thiếu tên hoặc nội dung tiếng Việt.');
    expect((await version(author.accessToken, courseId)).lessons).toEqual([]);
  });

  it('refuses a form without its CSRF token', async () => {
    const courseId = await createCourse(author.accessToken);
    const before = await version(author.accessToken, courseId);
    const res = await a.request(`/teach/courses/${courseId}`, {
      headers: HTML,
      form: { second: 'hmn', titleVi: 'Đổi tên lén', topic: 'e-tax', learnerGroupIds: elderly },
    });
    expect(res.status).toBe(403);
    expect(res.text).toContain('CSRF_INVALID');
    expect(await version(author.accessToken, courseId)).toEqual(before);
  });

  it('keeps learners and anonymous visitors out', async () => {
    const visitor = new Browser();
    const anonymous = await visitor.request('/teach', { headers: HTML });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/login?next=%2Fteach');

    const l = await signIn(learner);
    const courseId = await createCourse(author.accessToken);
    for (const path of [
      '/teach',
      `/teach/courses/${courseId}`,
      `/teach/courses/${courseId}/versions/1/preview`,
    ]) {
      const res = await l.request(path, { headers: HTML });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
    }
    const home = await page(l, '/courses');
    const post = await l.request('/teach/courses', {
      headers: HTML,
      form: { _csrf: home.csrf, titleVi: 'Khoá học lạ', topic: 'e-tax', learnerGroupIds: elderly },
    });
    expect(post.status).toBe(403);
  });

  it('refuses another trainer every page and form of a draft course they do not own', async () => {
    const courseId = await createCourse(author.accessToken);
    await addLessons(author.accessToken, courseId, [guideLesson]);
    const before = await version(author.accessToken, courseId);
    const lessonKey = before.lessons[0].lessonKey as string;
    const course = `/teach/courses/${courseId}`;
    const lesson = `${course}/lessons/${lessonKey}`;

    for (const path of [
      course,
      `${course}/lessons/new?kind=guide`,
      lesson,
      `${course}/versions/1/translations`,
      `${course}/versions/1/preview`,
    ]) {
      const res = await b.request(path, { headers: HTML });
      expect([path, res.status]).toEqual([path, 403]);
      expect(res.text).not.toContain(before.title.vi);
    }

    const csrf = (await page(b, '/teach')).csrf;
    const posts: [string, Record<string, string>][] = [
      [course, { second: 'hmn', titleVi: 'Chiếm khoá học', topic: 'e-tax', learnerGroupIds: elderly }],
      [course, { titleVi: '' }],
      [`${course}/lessons`, { kind: 'video', titleVi: 'Bài lạ' }],
      [lesson, { titleVi: 'Sửa lén', stepId: '', stepTitleVi: 'x', stepBodyVi: 'y' }],
      [`${lesson}/remove`, {}],
      [`${lesson}/move`, { direction: 'down' }],
      [`${lesson}/subtitles`, { locale: 'hmn', vtt: 'WEBVTT\n' }],
      [`${course}/submit`, {}],
      [`${course}/withdraw`, {}],
      [`${course}/drafts`, {}],
      [`${course}/archive`, { archived: '1' }],
    ];
    for (const [path, form] of posts) {
      const res = await b.request(path, { headers: HTML, form: { ...form, _csrf: csrf } });
      expect([path, res.status]).toEqual([path, 403]);
    }
    expect(await version(author.accessToken, courseId)).toEqual(before);
    const history = await api(`/api/v1/authoring/courses/${courseId}`, { token: author.accessToken });
    expect(history.body.archived).toBe(false);

    const missing = await b.request('/teach/courses/00000000-0000-4000-8000-000000000000', { headers: HTML });
    expect(missing.status).toBe(404);
  });
});

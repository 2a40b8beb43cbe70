import { randomUUID } from 'node:crypto';
import { quizCourse, testArea, testProgramme, eligibleCandidate } from './factories/certification.factory.js';
import { learnableCourse } from './factories/learning.factory.js';
import { GOOD_PASSWORD, registerLearner, userWithRoles } from './factories/user.factory.js';
import { api, apiUrl } from './support/api.js';
import { Browser } from './support/portal-browser.js';

const HTML = { accept: 'text/html' };

/** Portal pages over plain HTTP: what works without JavaScript, and what nobody else may do. */
describe('portal pages for learners', () => {
  it('asks first-time visitors for language and group, and remembers them without an account', async () => {
    const browser = new Browser();
    const first = await browser.request('/', { headers: HTML });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/welcome');
    const welcome = await browser.request('/welcome', { headers: HTML });
    expect(welcome.text).toContain('name="group" value="elderly"');
    const saved = await browser.request('/preferences', {
      form: { _csrf: Browser.csrfFrom(welcome.text), lang: 'hmn', group: 'elderly', welcome: '1', next: '/' },
      headers: HTML,
    });
    expect(saved.status).toBe(303);
    const home = await browser.request('/', { headers: HTML });
    expect(home.status).toBe(200);
    expect(home.text).toContain('<html lang="hmn">');
    expect(home.text).toContain('Cov lus qhia rau'); // "Lessons for …" in H'Mông
    // A foreign "next" never leaves the site.
    const away = await browser.request('/preferences', {
      form: { _csrf: Browser.csrfFrom(home.text), largeText: 'on', next: '//evil.example/' },
      headers: HTML,
    });
    expect(away.headers.get('location')).toBe('/?notice=preferences');
    const unicode = await browser.request('/preferences', {
      form: { _csrf: Browser.csrfFrom(home.text), largeText: 'on', next: '/khoá-học' },
      headers: HTML,
    });
    expect(unicode.headers.get('location')).toBe('/?notice=preferences');
    expect((await browser.request('/', { headers: HTML })).text).toContain('<html lang="hmn" class="large">');
  });

  it('finds courses without accents, marks fallbacks, and loads the player only on video lessons', async () => {
    const browser = new Browser();
    browser.cookies.set('bs_group', 'none');
    const found = await browser.request(`/courses?q=${encodeURIComponent('thanh toan tien dien')}`, {
      headers: HTML,
    });
    expect(found.status).toBe(200);
    expect(found.text).toContain('Thanh toán tiền điện qua điện thoại');
    const none = await browser.request('/courses?q=zzzqqq', { headers: HTML });
    expect(none.text).not.toContain('class="card"');

    // A course whose video is processed (the seed videos may still be transcoding).
    const learnable = await learnableCourse(
      await userWithRoles([{ role: 'trainer' }]),
      await userWithRoles([{ role: 'trainer' }]),
      { width: 640, height: 360 },
    );
    const course = (await api(`/api/v1/courses/${learnable.courseId}`)).body;
    const video = course.lessons.find((l: any) => l.kind === 'video');
    const guide = course.lessons.find((l: any) => l.kind === 'guide');
    // English UI: the course has no English text, so every title is marked as shown in another language.
    browser.cookies.set('bs_lang', 'en');
    const page = await browser.request(`/courses/${course.slug}`, { headers: HTML });
    expect(page.text).toContain('(not translated yet, shown in');

    const videoPage = await browser.request(`/lessons/${video.id}`, { headers: HTML });
    expect(videoPage.text).toContain('/assets/player.js');
    expect(videoPage.text).toMatch(/\d\.\d MB/);
    const guidePage = await browser.request(`/lessons/${guide.id}`, { headers: HTML });
    expect(guidePage.text).not.toContain('/assets/player.js');

    // The server already picks the lowest rung when the browser asks to save data.
    const rungs = video.video.renditions.filter((r: any) => r.kind === 'video');
    expect(rungs.length).toBeGreaterThan(1);
    const defaultChoice = /value="([^"]+)" data-kind="video"[^>]* checked/.exec(videoPage.text);
    expect(defaultChoice?.[1]).toBe(rungs.at(-1).playlistUrl);
    const saveData = await browser.request(`/lessons/${video.id}`, {
      headers: { ...HTML, 'save-data': 'on' },
    });
    const checked = /value="([^"]+)" data-kind="video"[^>]* checked/.exec(saveData.text);
    expect(checked?.[1]).toBe(rungs[0].playlistUrl);
  });

  it('grades a quiz sent as a plain form once, however often it is sent', async () => {
    const course = await quizCourse(
      await userWithRoles([{ role: 'trainer' }]),
      await userWithRoles([{ role: 'trainer' }]),
    );
    const learner = await registerLearner();
    const browser = await Browser.signedIn(learner);
    const page = await browser.request(`/lessons/${course.quizId}`, { headers: HTML });
    const attempt = /name="attempt" value="([^"]+)"/.exec(page.text)![1];
    const form: Record<string, string> = { _csrf: Browser.csrfFrom(page.text), attempt };
    for (const a of course.rightAnswers as any[]) {
      if (a.optionIds) form[`q_${a.questionId}`] = a.optionIds[0];
      else if (a.answer !== undefined) form[`q_${a.questionId}`] = String(a.answer);
      else (a.order as string[]).forEach((id, i) => (form[`o_${a.questionId}_${id}`] = String(i)));
    }
    const multiple = (course.rightAnswers as any[]).find((a) => a.optionIds?.length > 1);
    const body = new URLSearchParams(form);
    if (multiple) for (const id of multiple.optionIds.slice(1)) body.append(`q_${multiple.questionId}`, id);
    const send = () =>
      fetch(`${process.env.BANSO_TEST_API_URL}/lessons/${course.quizId}/quiz`, {
        method: 'POST',
        headers: {
          ...HTML,
          'content-type': 'application/x-www-form-urlencoded',
          cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        },
        body: body.toString(),
      });
    const first = await send();
    expect(first.status).toBe(200);
    expect(await first.text()).toMatch(/Chúc mừng! Bạn đạt 100 điểm/);
    // The same form again (a retry on a weak connection): still one attempt, and the page says so.
    const again = await send();
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Bài này đã được nộp và chấm rồi (điểm: 100)');
    const state = await api(`/api/v1/progress/lessons/${course.quizId}`, { token: learner.accessToken });
    expect(state.body.quiz.attempts).toBe(1);
    expect(state.body.status).toBe('completed');
  });

  it('keeps learner pages to their owner, with pages (not JSON) for browsers', async () => {
    const anonymous = new Browser();
    for (const path of ['/my/learning', '/my/certificates', '/my/ambassador']) {
      const res = await anonymous.request(path, { headers: HTML });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    const missing = await anonymous.request(`/lessons/${randomUUID()}`, { headers: HTML });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('text/html');
    expect(missing.text).toContain('Không tìm thấy');

    // Somebody else's application cannot be withdrawn from the portal.
    const area = await testArea(1, 1);
    const course = await quizCourse(
      await userWithRoles([{ role: 'trainer' }]),
      await userWithRoles([{ role: 'trainer' }]),
    );
    const programmeId = await testProgramme(area, [course.courseId], 1);
    const candidate = await eligibleCandidate(area.communes[0].villageIds[0], course, 1);
    const applied = await api('/api/v1/certification/applications', {
      token: candidate.accessToken,
      body: { programmeId },
    });
    expect(applied.status).toBe(201);
    const other = await Browser.signedIn(await registerLearner({ password: GOOD_PASSWORD }));
    const page = await other.request('/my/ambassador', { headers: HTML });
    const res = await other.request(`/my/ambassador/applications/${applied.body.id}/withdraw`, {
      form: { _csrf: Browser.csrfFrom(page.text) },
      headers: HTML,
    });
    expect(res.status).toBe(404);
    // A mentoring record with a day that does not exist is refused before it reaches the database.
    const wrongDay = await other.request('/my/ambassador/mentoring', {
      form: {
        _csrf: Browser.csrfFrom(page.text),
        helpedOn: '2026-02-30',
        household: 'Hộ ông Vàng A Dế',
        task: 'other',
      },
      headers: HTML,
    });
    expect(wrongDay.status).toBe(400);
    const mine = await api('/api/v1/certification/applications/mine', { token: candidate.accessToken });
    expect(mine.body[0].status).toBe('submitted');
  });

  it('registers by form, explaining what is wrong and keeping what was typed', async () => {
    const browser = new Browser();
    const page = await browser.request('/register', { headers: HTML });
    const csrf = Browser.csrfFrom(page.text);
    const bad = await browser.request('/register', {
      form: { _csrf: csrf, displayName: 'Lò Thị Phủng', phone: '12345', password: GOOD_PASSWORD },
      headers: { ...HTML, referer: `${apiUrl()}/register` },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Số điện thoại chưa đúng');
    expect(bad.text).toContain('value="Lò Thị Phủng"');
    // The page answers a POST, but its language links lead to the form's own page.
    expect(bad.text).toContain('href="/register?lang&#x3D;hmn"');
    // A learner group that is not an id, or a name longer than the column: a 400 page, not a 500.
    for (const form of <Record<string, string>[]>[
      { displayName: 'Lò Thị Phủng', phone: '0912345699', password: GOOD_PASSWORD, group: 'elderly' },
      { displayName: 'x'.repeat(121), phone: '0912345699', password: GOOD_PASSWORD },
    ]) {
      const refused = await browser.request('/register', { form: { _csrf: csrf, ...form }, headers: HTML });
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toContain('text/html');
    }
    const empty = await browser.request('/register', {
      form: { _csrf: csrf, displayName: '' },
      headers: HTML,
    });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Hãy nhập số điện thoại.');
  });
});

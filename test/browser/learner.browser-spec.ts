/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { learnableCourse } from '../factories/learning.factory.js';
import { userWithRoles } from '../factories/user.factory.js';
import { api } from '../support/api.js';
import { launchChromium, phoneContext, screenshot, seriousViolations, visible } from '../support/chromium.js';

/** Everything a page logged that a learner would suffer from: script errors, CSP refusals. */
function watchErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource.*(401|403|404|503)/.test(m.text()))
      problems.push(m.text());
  });
  return problems;
}

async function lessonState(token: string, lessonId: string) {
  const res = await api(`/api/v1/progress/lessons/${lessonId}`, { token });
  expect(res.status).toBe(200);
  return res.body;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the portal in a real browser: a learner on a phone', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('picks language and group, registers, watches a video, follows a guide, passes a quiz, completes the course, then syncs progress made offline', async () => {
    const course = await learnableCourse(
      await userWithRoles([{ role: 'trainer' }]),
      await userWithRoles([{ role: 'trainer' }]),
      { width: 640, height: 360 },
    );
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const problems = watchErrors(page);
    const a11y: string[] = [];

    // First visit: the platform asks for language and learner group, and remembers them without an account.
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/welcome');
    a11y.push(...(await seriousViolations(page)));
    await screenshot(page, 'welcome');
    // Installable as Chromium judges it (manifest, icons, a service worker serving the start URL);
    // the first-visit hint says how, and once dismissed stays away.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    // (A CDP session left attached to the page would keep navigator.onLine true under setOffline.)
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    await cdp.detach();
    expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
    const hint = page.getByRole('complementary', { name: 'Thêm Bản Số vào màn hình chính' });
    await visible(hint.getByText('bấm nút ⋮ của trình duyệt'));
    await hint.getByRole('button', { name: 'Để sau' }).click();
    await page.reload();
    expect(await hint.isVisible()).toBe(false);
    // Keyboard only: the skip link comes first, then the form in reading order; Enter submits.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Bỏ qua, đến nội dung chính');
    await page.getByRole('radio', { name: 'Tiếng Việt' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('group');
    await page.getByRole('radio', { name: 'Người cao tuổi' }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox', { name: /Chữ to/ }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Người cao tuổi' }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Tiếp tục');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/');
    expect(await page.locator('html').getAttribute('class')).toBe('large');
    await visible(page.getByRole('heading', { name: 'Bài học cho Người cao tuổi' }));
    a11y.push(...(await seriousViolations(page)));
    await screenshot(page, 'home-large-text');
    // The language switcher, then back; the choice sticks across pages.
    await page.getByRole('link', { name: 'Hmoob' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('hmn');
    await page.goto('/courses?q=thanh+toan');
    expect(await page.locator('html').getAttribute('lang')).toBe('hmn');
    a11y.push(...(await seriousViolations(page)));
    await page.goto('/login');
    a11y.push(...(await seriousViolations(page)));
    await page.goto('/courses');
    await page.getByRole('link', { name: 'Tiếng Việt' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    // Normal text again, from the footer.
    await page.getByRole('button', { name: 'Chữ thường' }).click();
    expect(await page.locator('html').getAttribute('class')).toBeNull();

    // Registration by a plain form; H'Mông as the language for lessons.
    const phone = `091${String(Date.now()).slice(-7)}`;
    const password = 'một con ngựa đau cả tàu bỏ cỏ';
    await page.goto('/register');
    a11y.push(...(await seriousViolations(page)));
    await page.getByLabel('Họ và tên').fill('Vàng Thị Dợ');
    await page.getByLabel('Số điện thoại').fill(phone);
    await page.getByLabel('Mật khẩu').fill(password);
    await page.getByLabel('Ngôn ngữ học').selectOption('hmn');
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await visible(page.getByText('Xin chào, Vàng Thị Dợ!'));
    const token = (await api('/api/v1/auth/login', { body: { identifier: phone, password } })).body
      .accessToken;
    const me = await api('/api/v1/me', { token });
    expect(me.body.languages).toEqual(['hmn', 'vi']);

    // The course page: lessons in Vietnamese, marked as a fallback from H'Mông; enrol.
    await page.goto(`/courses/${course.courseId}`);
    expect(await page.locator('.fallback').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Bắt đầu học' }).click();
    await visible(page.getByText('Bạn đã vào học khoá này.'));
    a11y.push(...(await seriousViolations(page)));
    await screenshot(page, 'course');

    // The video lesson: the player script, renditions with sizes, heartbeats while it plays.
    await page.goto(`/lessons/${course.videoId}`);
    await page.locator('.renditions:not([hidden])').waitFor();
    const renditions = await page.locator('.renditions label').allTextContents();
    expect(renditions.every((r) => /\d+,\d MB/.test(r))).toBe(true);
    const radios = page.locator('input[name=rendition][data-kind=video]');
    expect(await radios.count()).toBeGreaterThan(1);
    expect(await radios.first().isChecked()).toBe(false);

    // On a slow link (the browser reports 3G) the player starts on the lowest rung.
    const slow = await context.newPage();
    const slowLink = await context.newCDPSession(slow);
    await slowLink.send('Network.enable');
    await slowLink.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 400,
      downloadThroughput: 50_000,
      uploadThroughput: 50_000,
    });
    await slow.goto(`/lessons/${course.videoId}`);
    await slow.locator('.renditions:not([hidden])').waitFor();
    expect(await slow.evaluate(() => (navigator as any).connection.effectiveType)).toMatch(/2g|3g/);
    expect(await slow.locator('input[name=rendition][data-kind=video]').first().isChecked()).toBe(true);
    await slow.close();
    a11y.push(...(await seriousViolations(page)));
    await screenshot(page, 'lesson-video');
    await page.evaluate(() => {
      const v = document.querySelector('video')!;
      v.muted = true;
      return v.play();
    });
    await page.waitForFunction(() => document.querySelector('video')!.ended, undefined, { timeout: 60_000 });
    const watched = await until('the video to count as watched', async () => {
      const s = await lessonState(token, course.videoId);
      return s.status === 'completed' && s;
    });
    expect(watched.video.watchedSeconds).toBeGreaterThan(course.duration * 0.9);

    // The guide: each step acknowledged by a plain form.
    await page.goto(`/lessons/${course.guideId}`);
    a11y.push(...(await seriousViolations(page)));
    for (let i = 0; i < course.stepIds.length; i++) {
      await page.getByRole('button', { name: 'Tôi đã làm xong bước này' }).first().click();
      await page.waitForLoadState();
    }
    expect(await page.getByRole('button', { name: 'Tôi đã làm xong bước này' }).count()).toBe(0);
    expect((await lessonState(token, course.guideId)).status).toBe('completed');

    // The quiz: a plain form, graded on the server.
    await page.goto(`/lessons/${course.quizId}`);
    a11y.push(...(await seriousViolations(page)));
    await screenshot(page, 'lesson-quiz');
    for (const answer of course.rightAnswers as any[]) {
      if (answer.optionIds) {
        for (const id of answer.optionIds)
          await page.locator(`input[name="q_${answer.questionId}"][value="${id}"]`).check();
      } else if (answer.answer !== undefined) {
        await page.locator(`input[name="q_${answer.questionId}"][value="${answer.answer}"]`).check();
      } else {
        for (const [position, itemId] of (answer.order as string[]).entries()) {
          await page
            .locator(`select[name="o_${answer.questionId}_${itemId}"]`)
            .selectOption({ value: String(position) });
        }
      }
    }
    await page.getByRole('button', { name: 'Nộp bài' }).click();
    await visible(page.getByRole('heading', { name: /Chúc mừng! Bạn đạt 100 điểm/ }));
    await screenshot(page, 'lesson-quiz-passed');

    // The course is complete, on the course page and in "my learning".
    await page.goto(`/courses/${course.courseId}`);
    await visible(page.getByText('Bạn đã hoàn thành khoá học này!'));
    await page.goto('/my/learning');
    a11y.push(...(await seriousViolations(page)));
    await screenshot(page, 'my-learning');
    expect(await page.locator('section, main').getByText('Đã hoàn thành').count()).toBeGreaterThan(0);
    expect(await page.locator('.card.done').count()).toBe(1);

    // Offline: save the video lesson (its size shown first), lose the connection, keep watching.
    await page.goto(`/lessons/${course.videoId}`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const save = page.getByRole('button', { name: /Lưu để học khi không có mạng \(\d+,\d MB\)/ });
    await save.click();
    await visible(page.getByText('Đã lưu. Bạn có thể học bài này khi không có mạng.'));
    await context.setOffline(true);
    await page.reload();
    await visible(page.getByRole('heading', { level: 1 }));
    await page.evaluate(() => {
      const v = document.querySelector('video')!;
      v.muted = true;
      v.currentTime = 1;
      return v.play();
    });
    await page.waitForFunction(() => document.querySelector('video')!.currentTime > 4, undefined, {
      timeout: 30_000,
    });
    await page.evaluate(() => document.querySelector('video')!.pause());
    await visible(page.getByText('Bạn đang ngoại tuyến.', { exact: false }));
    const queued = await page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith('banso.progressQueue.'))
        .map((k) => JSON.parse(localStorage.getItem(k)!).length)
        .reduce((a, b) => a + b, 0),
    );
    expect(queued).toBeGreaterThan(0);
    const positionBefore = (await lessonState(token, course.videoId)).video.positionSeconds;

    // Back online, after the browser lost its CSRF secret (a restart while offline): the queue gets a
    // fresh token and goes through /api/v1/sync. The server is briefly unavailable then (503 with
    // Retry-After, as a stalled database answers): nothing is dropped, the queue waits and sends
    // again, and the learner sees a receipt.
    expect((await context.cookies()).some((c) => c.name === '_csrf')).toBe(true);
    await context.clearCookies({ name: '_csrf' });
    const tokenRequests: string[] = [];
    page.on('request', (r) => r.url().endsWith('/api/v1/auth/csrf') && tokenRequests.push(r.url()));
    const syncAnswers: number[] = [];
    await page.route('**/api/v1/sync', async (route) => {
      if (syncAnswers.length === 1) {
        syncAnswers.push(503);
        return route.fulfill({
          status: 503,
          headers: { 'retry-after': '1', 'content-type': 'application/json' },
          body: JSON.stringify({
            statusCode: 503,
            code: 'SERVICE_UNAVAILABLE',
            message: 'busy',
            requestId: 'x',
          }),
        });
      }
      const response = await route.fetch();
      syncAnswers.push(response.status());
      return route.fulfill({ response });
    });
    // A page never kept, opened without a connection: the offline page, listing the saved lesson.
    const other = await context.newPage();
    await other.goto('/my/certificates');
    await visible(other.getByRole('heading', { name: 'Bạn đang không có mạng' }));
    await visible(other.locator(`.saved-pages a[href="/lessons/${course.videoId}"]`));
    a11y.push(...(await seriousViolations(other)));
    await screenshot(other, 'offline-page');
    await other.close();
    await context.setOffline(false);
    await visible(page.getByText('Đã đồng bộ 1 bài học.'));
    expect(syncAnswers).toEqual([403, 503, 200]);
    const left = await page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith('banso.progressQueue.'))
        .map((k) => JSON.parse(localStorage.getItem(k)!).length)
        .reduce((a, b) => a + b, 0),
    );
    expect(left).toBe(0);
    const after = await until('the offline heartbeat to arrive', async () => {
      const s = await lessonState(token, course.videoId);
      return s.video.positionSeconds !== positionBefore && s;
    });
    expect(tokenRequests).toHaveLength(1);
    expect(after.video.positionSeconds).toBeGreaterThan(3);
    expect(after.video.positionSeconds).toBeLessThan(8);
    await screenshot(page, 'lesson-synced');

    expect(a11y).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

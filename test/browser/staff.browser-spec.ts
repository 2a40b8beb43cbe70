/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  coordinatorOf,
  eligibleCandidate,
  quizCourse,
  testArea,
  testProgramme,
} from '../factories/certification.factory.js';
import { addLessons, createCourse, practiceLesson, publishCourse } from '../factories/course.factory.js';
import { httpDriver } from '../factories/http-driver.js';
import { registerLearner, userWithRoles } from '../factories/user.factory.js';
import { api, apiUrl } from '../support/api.js';
import {
  launchChromium,
  phoneContext,
  portalMessages,
  screenshot,
  seriousViolations,
  signIn,
  visible,
} from '../support/chromium.js';
import { sampleVideo } from '../support/media.js';

/** The Vietnamese texts the pages show, so the test reads the page the way a trainer would. */
const vi = portalMessages('vi');

/** Fails with what the page showed when a form did not lead where it should. */
async function arrivedAt(page: Page, path: RegExp) {
  await page.waitForLoadState();
  if (!path.test(page.url())) {
    throw new Error(
      `expected ${path} but ${page.url()} showed:\n${(await page.locator('main').innerText()).slice(0, 1500)}`,
    );
  }
}

async function laptop(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ baseURL: apiUrl(), viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
}

describe('the portal in a real browser: trainers and coordinators', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a trainer authors a bilingual course with a video uploaded straight to storage; a second trainer publishes it', async () => {
    const author = await userWithRoles([{ role: 'trainer' }]);
    const reviewer = await userWithRoles([{ role: 'trainer' }]);
    const context = await laptop(browser);
    const page = await context.newPage();
    const a11y: string[] = [];
    await signIn(page, author);

    await page.goto('/teach');
    a11y.push(...(await seriousViolations(page)));
    const title = `Trả tiền điện bằng điện thoại ${Date.now() % 100000}`;
    await page.locator('#titleVi').fill(title);
    await page
      .locator('#summaryVi')
      .fill('Đọc tin nhắn tiền điện, tìm mã khách hàng và trả tiền bằng ứng dụng ngân hàng.');
    await page.locator('#topic').selectOption('cashless-payment');
    await page.getByRole('checkbox', { name: 'Người cao tuổi' }).check();
    await page.getByRole('button', { name: vi['teach.new.submit'] }).click();
    await arrivedAt(page, /\/teach\/courses\/[0-9a-f-]{36}/);
    const courseId = /courses\/([0-9a-f-]{36})/.exec(page.url())![1];

    // Side by side: Vietnamese next to H'Mông.
    await page.locator('input[name=titleSecond]').fill('Them nqi hluav taws xob hauv xov tooj');
    await page.getByRole('button', { name: vi['teach.save'] }).first().click();
    await page.waitForLoadState();
    expect(await page.locator('input[name=titleSecond]').inputValue()).toBe(
      'Them nqi hluav taws xob hauv xov tooj',
    );
    a11y.push(...(await seriousViolations(page)));
    await screenshot(page, 'teach-course-editor');

    // A video lesson: the file goes to storage with a progress bar, then the processing status.
    await page.goto(`/teach/courses/${courseId}/lessons/new?kind=video&second=hmn`);
    await page.locator('input[name=titleVi]').fill('Vì sao nên trả tiền điện qua điện thoại?');
    await page
      .locator('input[name=titleSecond]')
      .fill('Vim li cas thiaj them nqi hluav taws xob hauv xov tooj?');
    await page.getByRole('button', { name: vi['teach.lesson.add'] }).click();
    await page.waitForLoadState();
    const lessonPage = page.url().includes('/lessons/') && !page.url().includes('/new') ? page.url() : null;
    if (!lessonPage) {
      await page.goto(`/teach/courses/${courseId}?second=hmn`);
      await page.getByRole('link', { name: 'Vì sao nên trả tiền điện qua điện thoại?' }).click();
    }
    const upload = page.locator('[data-upload]').first();
    await upload.waitFor({ state: 'visible' });
    a11y.push(...(await seriousViolations(page)));
    await upload.locator('input[type=file]').setInputFiles({
      name: 'tien-dien.mp4',
      mimeType: 'video/mp4',
      buffer: await sampleVideo({ seconds: 6, width: 320, height: 180 }),
    });
    await upload.getByRole('button', { name: vi['teach.video.upload'] }).click();
    await visible(page.getByText(vi['teach.video.attached']), 120_000);
    await screenshot(page, 'teach-video-upload');
    const draft = await api(`/api/v1/authoring/courses/${courseId}/versions/1`, {
      token: author.accessToken,
    });
    expect(draft.body.lessons[0].content.media.vi).toMatch(/^[0-9a-f-]{36}$/);

    // A guide lesson with one step, then the translation matrix, then submit.
    await page.goto(`/teach/courses/${courseId}/lessons/new?kind=guide&second=hmn`);
    await page.locator('input[name=titleVi]').fill('Trả tiền điện bằng ứng dụng ngân hàng');
    await page
      .locator('input[name=stepTitleVi]')
      .first()
      .fill('Mở ứng dụng ngân hàng, chọn Thanh toán hóa đơn → Điện');
    await page
      .locator('textarea[name=stepBodyVi]')
      .first()
      .fill('Nhập mã khách hàng in trên tin nhắn tiền điện.');
    await page.getByRole('button', { name: vi['teach.lesson.add'] }).click();
    await page.waitForLoadState();
    const refused = await page.locator('.error').allInnerTexts();
    expect(refused).toEqual([]);
    await page.goto(`/teach/courses/${courseId}/versions/1/translations`);
    a11y.push(...(await seriousViolations(page)));
    await screenshot(page, 'teach-translation-matrix');
    await page.goto(`/teach/courses/${courseId}`);
    await page.getByRole('button', { name: vi['teach.submit.button'] }).click();
    await page.waitForLoadState();

    // Four eyes: the author cannot publish; a second trainer can.
    const other = await (await laptop(browser)).newPage();
    await signIn(other, reviewer);
    await other.goto('/teach');
    await other.getByRole('link', { name: title }).first().click();
    if (!other.url().includes('/preview')) await other.goto(`/teach/courses/${courseId}/versions/1/preview`);
    a11y.push(...(await seriousViolations(other)));
    await screenshot(other, 'teach-review-preview');
    await other.getByRole('button', { name: vi['teach.review.publish'] }).click();
    await other.waitForLoadState();
    const published = await api(`/api/v1/courses/${courseId}`);
    expect(published.status).toBe(200);
    expect(published.body.lessons).toHaveLength(2);
    expect(published.body.lessons[0].video.status).toBe('ready');

    expect(a11y).toEqual([]);
    await context.close();
    await other.context().close();
  });

  it('a candidate applies, a coordinator approves, the certificate downloads and the verify page shows it valid', async () => {
    const area = await testArea(1, 2);
    const course = await quizCourse(
      await userWithRoles([{ role: 'trainer' }]),
      await userWithRoles([{ role: 'trainer' }]),
    );
    const programmeId = await testProgramme(area, [course.courseId], 2);
    const [villageId] = area.communes[0].villageIds;
    const candidate = await eligibleCandidate(villageId, course, 2, { displayName: 'Sùng Thị Mỷ' });
    const coordinator = await coordinatorOf(area.communes[0].id);
    const a11y: string[] = [];

    // The candidate, on a phone: the checklist is all met; apply for the home village.
    const phone = await phoneContext(browser);
    const page = await phone.newPage();
    await signIn(page, candidate);
    await page.goto(`/my/ambassador?programme=${programmeId}`);
    await visible(page.getByText(vi['ambassador.eligible']));
    expect(await page.locator('.checklist .missing').count()).toBe(0);
    a11y.push(...(await seriousViolations(page)));
    // One more household, with a photo from the phone's camera: shrunk, sent to storage, confirmed.
    await page.getByRole('textbox', { name: vi['mentoring.household'] }).fill('Hộ bà Giàng Thị Sua');
    await page.getByLabel(vi['mentoring.photo']).setInputFiles({
      name: 'vneid.png',
      mimeType: 'image/png',
      buffer: Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
        'base64',
      ),
    });
    await page.getByRole('button', { name: vi['mentoring.add'] }).click();
    await visible(page.getByText(vi['notice.mentoringLogged']));
    await visible(page.getByRole('link', { name: vi['mentoring.seePhoto'] }));
    const records = await api('/api/v1/certification/mentoring-records', { token: candidate.accessToken });
    const withPhoto = records.body.find((r: any) => r.household === 'Hộ bà Giàng Thị Sua');
    expect(withPhoto.photo.status).toBe('ready');
    await screenshot(page, 'ambassador-checklist');
    await page.getByLabel(vi['application.statement']).fill('Tôi đã giúp bà con trong bản cài VNeID.');
    await page.getByRole('button', { name: vi['application.submit'] }).click();
    await visible(page.getByText(vi['notice.applied']));

    // The coordinator of the commune: queue, detail, approve.
    const desk = await laptop(browser);
    const review = await desk.newPage();
    await signIn(review, coordinator);
    await review.goto('/coordinate');
    a11y.push(...(await seriousViolations(review)));
    await screenshot(review, 'coordinate-queue');
    await review
      .getByRole('link', { name: /Sùng Thị Mỷ/ })
      .first()
      .click();
    await review.waitForURL(/\/coordinate\/applications\//);
    a11y.push(...(await seriousViolations(review)));
    await screenshot(review, 'coordinate-candidate');
    await review.getByRole('button', { name: vi['coordinate.approve.submit'] }).click();
    await visible(review.getByText(vi['notice.approved']));
    await review.goto('/coordinate/coverage');
    a11y.push(...(await seriousViolations(review)));
    await screenshot(review, 'coordinate-coverage');
    // The dashboard: charts drawn on the server, each with its table of figures.
    await review.goto('/coordinate/dashboard');
    await visible(review.getByRole('heading', { name: vi['dashboard.trends'] }));
    expect(await review.locator('svg.chart[role="img"]').count()).toBe(5);
    a11y.push(...(await seriousViolations(review)));
    await screenshot(review, 'coordinate-dashboard');

    // The candidate downloads the certificate once the worker has issued it.
    const deadline = Date.now() + 60_000;
    for (;;) {
      await page.goto('/my/certificates');
      if ((await page.getByRole('link', { name: /PDF/ }).count()) > 0) break;
      if (Date.now() > deadline) throw new Error('the certificate was not issued in time');
      await page.waitForTimeout(1000);
    }
    a11y.push(...(await seriousViolations(page)));
    await screenshot(page, 'my-certificates');
    const pdfUrl = await page.getByRole('link', { name: /PDF/ }).getAttribute('href');
    const pdf = Buffer.from(await (await fetch(new URL(pdfUrl!, apiUrl()))).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    // Anyone can check it: the public page says it is valid, without personal data.
    // The link carries PUBLIC_BASE_URL (a placeholder host in tests): open the same path here.
    const verifyUrl = await page
      .getByRole('link', { name: vi['certificate.publicPage'] })
      .getAttribute('href');
    await page.goto(new URL(verifyUrl!).pathname);
    await visible(page.getByText(vi['verify.status.valid']));
    expect(await page.content()).not.toContain(candidate.phone);
    a11y.push(...(await seriousViolations(page)));
    await screenshot(page, 'verify');

    // The decision and the certificate are in the candidate's inbox (the worker makes them), in
    // the page's language, each with its button.
    for (const until = Date.now() + 60_000; ;) {
      await page.goto('/notifications');
      if ((await page.locator('form[action$="/open"]').count()) >= 2) break;
      if (Date.now() > until) throw new Error('the reminders did not reach the inbox in time');
      await page.waitForTimeout(1000);
    }
    a11y.push(...(await seriousViolations(page)));
    await screenshot(page, 'notifications');
    expect(a11y).toEqual([]);
    await phone.close();
    await desk.close();
  }, 180_000);

  it("an ambassador confirms a villager's practice task and gives a forgotten password's recovery code; the villager gets back in on a phone", async () => {
    const area = await testArea(1, 1);
    const [villageId] = area.communes[0].villageIds;
    const author = await userWithRoles([{ role: 'trainer' }]);
    const reviewer = await userWithRoles([{ role: 'trainer' }]);
    const course = await quizCourse(author, reviewer);
    const programmeId = await testProgramme(area, [course.courseId], 1);
    const coordinator = await coordinatorOf(area.communes[0].id);
    // A certified ambassador of the village (through the API: the journey above shows the portal's way).
    const ambassador = await eligibleCandidate(villageId, course, 1, { displayName: 'Giàng A Sử' });
    const applied = await api('/api/v1/certification/applications', {
      token: ambassador.accessToken,
      body: { programmeId },
    });
    const approved = await api(`/api/v1/certification/applications/${applied.body.id}/approve`, {
      token: coordinator.accessToken,
      body: { reason: 'Đã xác minh tại thôn.' },
    });
    expect(approved.status).toBe(200);
    // A villager who did the real thing: paid the electricity bill from the phone.
    const practiceCourse = await createCourse(author.accessToken);
    await addLessons(author.accessToken, practiceCourse, [practiceLesson]);
    await publishCourse(author.accessToken, reviewer.accessToken, practiceCourse);
    const [practice] = await httpDriver.lessons(author.accessToken, practiceCourse, 1);
    const villager = await registerLearner({
      villageId,
      displayName: 'Lý Thị Dua',
      languages: ['hmn', 'vi'],
    });
    await httpDriver.enrol(villager.accessToken, practiceCourse);
    const a11y: string[] = [];

    // The ambassador, on a phone: the waiting task, confirmed with one button.
    const helperPhone = await phoneContext(browser);
    const helper = await helperPhone.newPage();
    await signIn(helper, ambassador);
    await helper.goto('/my/ambassador');
    await helper.getByRole('link', { name: vi['practiceConfirmations.nav'] }).click();
    await visible(helper.getByRole('heading', { name: vi['practiceConfirmations.title'] }));
    a11y.push(...(await seriousViolations(helper)));
    await screenshot(helper, 'practice-confirmations');
    await helper
      .getByRole('button', { name: vi['practiceConfirmations.confirmFor'].replace('{{name}}', 'Lý Thị Dua') })
      .click();
    await visible(helper.getByText(vi['practiceConfirmations.done']));
    const state = await api(`/api/v1/progress/lessons/${practice.id}`, { token: villager.accessToken });
    expect(state.body).toMatchObject({ status: 'completed', practice: { confirmed: true } });

    // The villager forgot the password: the ambassador issues a code and reads it out.
    await helper.goto('/recovery-codes');
    await helper.getByLabel(vi['recoveryCodes.phone']).fill(villager.phone);
    await helper.getByRole('button', { name: vi['recoveryCodes.submit'] }).click();
    const code = (await helper.locator('.code-display').innerText()).trim();
    expect(code).toMatch(/^\d{3} \d{3}$/);
    a11y.push(...(await seriousViolations(helper)));
    await screenshot(helper, 'recovery-code');

    // The villager, on their own phone: "forgot your password?", the code, a new password.
    const own = await phoneContext(browser);
    const page = await own.newPage();
    await page.goto('/login');
    await page.getByRole('link', { name: vi['recover.forgot'] }).click();
    await page.getByLabel(vi['login.identifier']).fill(villager.phone);
    await page.getByLabel(vi['recover.code']).fill(code);
    await page.getByLabel(vi['invitation.password']).fill('Mật khẩu mới của Dua ở bản Pạc Tà');
    a11y.push(...(await seriousViolations(page)));
    await screenshot(page, 'recover');
    await page.getByRole('button', { name: vi['recover.submit'] }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await visible(page.getByText(vi['notice.recovered']));
    // The old session is over; the lesson shows who confirmed the task.
    expect((await api('/api/v1/me', { token: villager.accessToken })).status).toBe(401);
    await page.goto(`/lessons/${practice.id}`);
    await visible(page.locator('.practice .notice'));
    a11y.push(...(await seriousViolations(page)));
    await screenshot(page, 'practice-lesson');
    expect(a11y).toEqual([]);
    await helperPhone.close();
    await own.close();
  }, 180_000);
});

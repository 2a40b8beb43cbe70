/// <reference lib="dom" />
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { createCourse, publishCourse } from '../factories/course.factory.js';
import { registerLearner, userWithRoles, type TestUser } from '../factories/user.factory.js';
import { api, apiUrl } from '../support/api.js';
import {
  FAKE_MICROPHONE,
  launchChromium,
  phoneContext,
  portalMessages,
  screenshot,
  seriousViolations,
  signIn,
  visible,
} from '../support/chromium.js';
import { uploadVideo as uploadMedia, waitForMedia } from '../support/media.js';

const vi = portalMessages('vi');

const lessonsOf = async (token: string, courseId: string) =>
  (await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token })).body.lessons;

describe('lessons that speak, in a real browser', () => {
  let browser: Browser;
  let trainer: TestUser;
  let reviewer: TestUser;
  beforeAll(async () => {
    browser = await launchChromium(FAKE_MICROPHONE);
    [trainer, reviewer] = await Promise.all([
      userWithRoles([{ role: 'trainer' }]),
      userWithRoles([{ role: 'trainer' }]),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a trainer records a step with the microphone; a H’Mông learner hears it, marked as Vietnamese', async () => {
    const courseId = await createCourse(trainer.accessToken);
    const added = await api(`/api/v1/authoring/courses/${courseId}/draft/lessons`, {
      token: trainer.accessToken,
      body: {
        kind: 'guide',
        title: { vi: 'Cài VNeID', hmn: 'Nruab VNeID' },
        content: {
          steps: [
            {
              title: { vi: 'Mở CH Play', hmn: 'Qhib CH Play' },
              body: { vi: 'Chạm vào biểu tượng CH Play.', hmn: 'Nias lub cim CH Play.' },
            },
          ],
        },
      },
    });
    expect(added.status).toBe(201);
    const [lesson] = await lessonsOf(trainer.accessToken, courseId);

    // The editor, on a laptop whose microphone plays a beep: record, stop, save.
    const context = await browser.newContext({
      baseURL: apiUrl(),
      viewport: { width: 1280, height: 900 },
      locale: 'vi-VN',
    });
    await context.grantPermissions(['microphone']);
    const page = await context.newPage();
    await signIn(page, trainer);
    await page.goto(`/teach/courses/${courseId}/lessons/${lesson.lessonKey}?second=hmn`);
    // The first step's Vietnamese slot (the lesson's summary has its own, above the steps).
    const slot = page.locator('section.card [data-recorder]').first();
    const record = slot.getByRole('button', { name: `● ${vi['teach.voice.record']}` });
    await visible(record);
    expect(await seriousViolations(page)).toEqual([]);
    const uploaded = page.waitForResponse((r) => /\/api\/v1\/media\/[0-9a-f-]{36}\/confirm$/.test(r.url()));
    await record.click();
    await visible(slot.getByText(vi['teach.voice.recording']));
    await page.waitForTimeout(2500);
    await slot.getByRole('button', { name: `■ ${vi['teach.voice.stop']}` }).click();
    expect((await uploaded).status()).toBe(202);
    await visible(slot.getByText(vi['teach.voice.uploaded']));
    await screenshot(page, 'teach-record-voice');
    await page.getByRole('button', { name: vi['teach.save'] }).first().click();
    await page.waitForURL(/notice=saved/);

    // The browser sent WebM Opus; the worker made it AAC at a common loudness.
    const [saved] = await lessonsOf(trainer.accessToken, courseId);
    const mediaId = saved.content.steps[0].voice.vi;
    expect(saved.summaryVoice).toEqual({});
    const media = await waitForMedia(trainer.accessToken, mediaId);
    expect(media).toMatchObject({ status: 'ready', kind: 'audio', fileName: 'ghi-am.webm' });
    expect(media.voice.durationSeconds).toBeGreaterThan(1.5);
    await publishCourse(trainer.accessToken, reviewer.accessToken, courseId);

    // A H'Mông learner's phone: the big speaker button, the marker, the sound fetched on tap only.
    const phone = await phoneContext(browser);
    const learnerPage = await phone.newPage();
    const fetched: string[] = [];
    learnerPage.on('request', (r) => r.url().includes('/media/') && fetched.push(new URL(r.url()).pathname));
    await learnerPage.goto(`/lessons/${lesson.id}?lang=hmn`);
    const speak = learnerPage.locator('button.speak');
    await visible(speak);
    await visible(
      learnerPage.getByText(
        portalMessages('hmn')['voice.notYourLanguage'].replace('{{language}}', 'Tiếng Việt'),
      ),
    );
    expect(await learnerPage.locator('.speak-lang').innerText()).toBe('VI');
    expect(fetched).toEqual([]);
    expect(await seriousViolations(learnerPage)).toEqual([]);
    const sound = learnerPage.waitForResponse((r) => r.url().endsWith(media.voice.url));
    await speak.click();
    expect([200, 206]).toContain((await sound).status());
    await learnerPage.waitForFunction(() => document.querySelector('button.speak.playing') !== null);
    await screenshot(learnerPage, 'learn-guide-voice-fallback');
    await context.close();
    await phone.close();
  });

  it('a learner answers a picture question by tapping the picture', async () => {
    const picture = (colour: string) =>
      sharp({ create: { width: 640, height: 480, channels: 3, background: colour } })
        .jpeg()
        .toBuffer();
    const ids = await Promise.all(
      ['#c62828', '#1565c0'].map(async (colour) => {
        const { mediaId } = await uploadMedia(trainer.accessToken, await picture(colour), {
          contentType: 'image/jpeg',
          fileName: 'bieu-tuong.jpg',
        });
        expect((await waitForMedia(trainer.accessToken, mediaId)).status).toBe('ready');
        return mediaId;
      }),
    );
    const courseId = await createCourse(trainer.accessToken);
    const added = await api(`/api/v1/authoring/courses/${courseId}/draft/lessons`, {
      token: trainer.accessToken,
      body: {
        kind: 'quiz',
        title: { vi: 'Nhận ra ứng dụng VNeID' },
        content: {
          passMark: 100,
          questions: [
            {
              type: 'picture_choice',
              prompt: { vi: 'Đâu là biểu tượng của VNeID?' },
              options: [
                { picture: { mediaId: ids[0], alt: { vi: 'Khiên đỏ có ngôi sao vàng' } }, correct: true },
                { picture: { mediaId: ids[1], alt: { vi: 'Chữ Zalo trên nền xanh' } } },
              ],
            },
          ],
        },
      },
    });
    expect(added.status).toBe(201);
    await publishCourse(trainer.accessToken, reviewer.accessToken, courseId);
    const [{ id: lessonId }] = await lessonsOf(trainer.accessToken, courseId);
    const learner = await registerLearner();
    await api('/api/v1/progress/enrolments', { token: learner.accessToken, body: { courseId } });

    const phone = await phoneContext(browser);
    const page = await phone.newPage();
    await signIn(page, learner);
    await page.goto(`/lessons/${lessonId}`);
    await visible(page.getByText(vi['quiz.tapPicture']));
    const right = page.getByRole('radio', { name: 'Khiên đỏ có ngôi sao vàng' });
    // The picture is the button: the radio itself is hidden under it.
    await page.getByRole('img', { name: 'Khiên đỏ có ngôi sao vàng' }).tap();
    expect(await right.isChecked()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'learn-picture-quiz');
    await page.getByRole('button', { name: vi['quiz.submit'] }).click();
    await visible(page.getByText(vi['quiz.passed'].replace('{{score}}', '100')));
    await phone.close();
  });
});

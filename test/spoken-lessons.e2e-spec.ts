import sharp from 'sharp';
import { createCourse, publishCourse } from './factories/course.factory.js';
import { progressEvent } from './factories/learning.factory.js';
import { registerLearner, userWithRoles, type TestUser } from './factories/user.factory.js';
import { api, apiUrl, expectError } from './support/api.js';
import { sampleSound, uploadVideo as uploadMedia, waitForMedia } from './support/media.js';
import { Browser } from './support/portal-browser.js';

const HTML = { accept: 'text/html' };

/**
 * Lessons that speak: trainers' recordings beside every text and pictures on guide steps and
 * quiz answers, referenced from the content, processed by the real worker, and given to learners
 * in their language, or another one marked as such, with their sizes for "save for offline".
 */
describe('lessons that speak', () => {
  let trainer: TestUser;
  let reviewer: TestUser;
  let otherTrainer: TestUser;
  let learner: TestUser;
  /** Ready recordings (vi, hmn) and pictures, uploaded once. */
  const media = { vi: '', hmn: '', photo: '', right: '', wrong: '', othersVoice: '' };

  const recording = (hz: number) =>
    sampleSound(`sine=frequency=${hz}:duration=2`, ['-c:a', 'libopus', '-f', 'webm']);
  const picture = (colour: string) =>
    sharp({ create: { width: 800, height: 600, channels: 3, background: colour } })
      .jpeg()
      .toBuffer();
  const upload = async (who: TestUser, body: Buffer, contentType: string) => {
    const { mediaId } = await uploadMedia(who.accessToken, body, { contentType, fileName: 'tep' });
    return mediaId;
  };
  const ready = async (who: TestUser, mediaId: string) => {
    expect((await waitForMedia(who.accessToken, mediaId)).status).toBe('ready');
    return mediaId;
  };
  const draftLessons = async (courseId: string) =>
    (await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: trainer.accessToken })).body
      .lessons;
  const addLesson = (courseId: string, lesson: object) =>
    api(`/api/v1/authoring/courses/${courseId}/draft/lessons`, { token: trainer.accessToken, body: lesson });

  beforeAll(async () => {
    [trainer, reviewer, otherTrainer, learner] = await Promise.all([
      userWithRoles([{ role: 'trainer' }]),
      userWithRoles([{ role: 'trainer' }]),
      userWithRoles([{ role: 'trainer' }]),
      registerLearner(),
    ]);
    const uploads = await Promise.all([
      upload(trainer, await recording(220), 'audio/webm'),
      upload(trainer, await recording(330), 'audio/webm'),
      upload(trainer, await picture('#2e7d32'), 'image/jpeg'),
      upload(trainer, await picture('#1565c0'), 'image/jpeg'),
      upload(trainer, await picture('#c62828'), 'image/jpeg'),
      upload(otherTrainer, await recording(440), 'audio/webm'),
    ]);
    [media.vi, media.hmn, media.photo, media.right, media.wrong] = await Promise.all(
      uploads.slice(0, 5).map((id) => ready(trainer, id)),
    );
    media.othersVoice = await ready(otherTrainer, uploads[5]);
  });

  const spokenGuide = () => ({
    kind: 'guide',
    title: { vi: 'Kích hoạt VNeID mức 2', hmn: 'Qhib VNeID theem 2' },
    summary: { vi: 'Hai bước, làm cùng Người bản số.' },
    summaryVoice: { vi: media.vi },
    content: {
      steps: [
        {
          title: { vi: 'Mở ứng dụng VNeID', hmn: 'Qhib app VNeID' },
          body: { vi: 'Chạm vào biểu tượng VNeID.', hmn: 'Nias lub cim VNeID.' },
          voice: { vi: media.vi, hmn: media.hmn },
          picture: {
            mediaId: media.photo,
            alt: { vi: 'Màn hình chính có biểu tượng VNeID', hmn: 'Lub vijtsam muaj lub cim VNeID' },
          },
        },
        {
          title: { vi: 'Quét mã QR trên căn cước' },
          body: { vi: 'Đưa camera vào mã QR ở mặt sau.' },
          voice: { vi: media.vi },
        },
      ],
    },
  });

  it('checks what the content refers to: pictures described in every language, recordings of the right kind and the editor', async () => {
    const courseId = await createCourse(trainer.accessToken);
    const guide = spokenGuide();
    const step = guide.content.steps[0];

    // The step is written in H'Mông: its picture must be described in H'Mông too.
    const undescribed = { ...step, picture: { mediaId: media.photo, alt: { vi: 'Màn hình chính' } } };
    const res = await addLesson(courseId, { ...guide, content: { steps: [undescribed] } });
    expectError(res, 400, 'CATALOG_INVALID_LESSON_CONTENT');
    expect(res.body.details.problems).toEqual([
      expect.stringMatching(/^content\.steps\.0\.picture\.alt\.hmn:/),
    ]);

    // A picture where a recording belongs, a recording where a picture belongs.
    const pictureAsVoice = { ...step, voice: { vi: media.photo } };
    expectError(
      await addLesson(courseId, { ...guide, content: { steps: [pictureAsVoice] } }),
      400,
      'MEDIA_WRONG_KIND',
    );
    expectError(
      await addLesson(courseId, { ...guide, summaryVoice: { vi: media.right } }),
      400,
      'MEDIA_WRONG_KIND',
    );
    // Another trainer's recording, and an id that is no upload at all.
    const borrowed = { ...step, voice: { hmn: media.othersVoice } };
    const notYours = await addLesson(courseId, { ...guide, content: { steps: [borrowed] } });
    expectError(notYours, 404, 'MEDIA_NOT_FOUND');
    expect(notYours.body.details).toEqual({ mediaId: media.othersVoice });
    const made = { ...step, voice: { vi: '00000000-0000-4000-8000-000000000000' } };
    expectError(await addLesson(courseId, { ...guide, content: { steps: [made] } }), 404, 'MEDIA_NOT_FOUND');
    expect(await draftLessons(courseId)).toEqual([]);

    // Done right: kept as authored; the summary's recordings change by language.
    expect((await addLesson(courseId, guide)).status).toBe(201);
    const [lesson] = await draftLessons(courseId);
    expect(lesson.content.steps[0]).toMatchObject({ voice: step.voice, picture: step.picture });
    const change = await api(`/api/v1/authoring/courses/${courseId}/draft/lessons/${lesson.lessonKey}`, {
      method: 'PATCH',
      token: trainer.accessToken,
      body: { summaryVoice: { hmn: media.hmn, vi: null } },
    });
    expect(change.status).toBe(200);
    expect((await draftLessons(courseId))[0].summaryVoice).toEqual({ hmn: media.hmn });
  });

  it('counts recordings in the translation matrix and gives learners theirs, or the fallback marked, with offline sizes', async () => {
    const courseId = await createCourse(trainer.accessToken);
    const summary = await api(`/api/v1/authoring/courses/${courseId}/draft`, {
      method: 'PATCH',
      token: trainer.accessToken,
      body: { summary: { vi: 'Dùng căn cước điện tử.' }, summaryVoice: { hmn: media.hmn } },
    });
    expect(summary.status).toBe(200);
    expect((await addLesson(courseId, spokenGuide())).status).toBe(201);

    const matrix = (
      await api(`/api/v1/authoring/courses/${courseId}/versions/1/translations`, {
        token: trainer.accessToken,
      })
    ).body;
    expect(matrix.course.summaryVoice).toMatchObject({ vi: 'missing', hmn: 'complete' });
    // Both steps are recorded in Vietnamese, one in H'Mông.
    expect(matrix.lessons[0].fields.voice).toEqual({
      vi: 'complete',
      hmn: 'partial',
      ium: 'missing',
      tyz: 'missing',
    });
    expect(matrix.lessons[0].fields.summaryVoice).toMatchObject({ vi: 'complete', hmn: 'missing' });

    await publishCourse(trainer.accessToken, reviewer.accessToken, courseId);
    const [{ id: lessonId }] = await draftLessons(courseId);
    const files = Object.fromEntries(
      await Promise.all(
        [media.vi, media.hmn, media.photo].map(
          async (id) =>
            [id, (await api(`/api/v1/media/${id}`, { token: trainer.accessToken })).body] as const,
        ),
      ),
    );

    const lesson = (await api(`/api/v1/lessons/${lessonId}?lang=hmn`)).body;
    const [first, second] = lesson.content.steps;
    expect(first.voice).toEqual({
      url: files[media.hmn].voice.url,
      bytes: files[media.hmn].voice.bytes,
      durationSeconds: files[media.hmn].voice.durationSeconds,
      locale: 'hmn',
      fallback: false,
    });
    // Not recorded in H'Mông: the Vietnamese recording, said to be another language.
    expect(second.voice).toMatchObject({ url: files[media.vi].voice.url, locale: 'vi', fallback: true });
    expect(lesson.summaryVoice).toMatchObject({ locale: 'vi', fallback: true });
    const webp = files[media.photo].pictures.filter((p: any) => p.format === 'webp');
    expect(first.picture).toEqual({
      alt: { text: 'Lub vijtsam muaj lub cim VNeID', locale: 'hmn', fallback: false },
      width: 640,
      height: 480,
      webp: webp.map((p: any) => `${p.url} ${p.width}w`).join(', '),
      jpeg: expect.stringMatching(/picture-320\.jpg 320w, .*picture-640\.jpg 640w$/),
      src: expect.stringMatching(/picture-320\.jpg$/),
    });
    expect(second.picture).toBeNull();
    // What "save for offline" keeps: each recording once, and the WebP pictures.
    expect(lesson.offlineFiles).toEqual(
      expect.arrayContaining([
        { url: files[media.hmn].voice.url, bytes: files[media.hmn].voice.bytes, kind: 'audio' },
        { url: files[media.vi].voice.url, bytes: files[media.vi].voice.bytes, kind: 'audio' },
        ...webp.map((p: any) => ({ url: p.url, bytes: p.bytes, kind: 'picture' })),
      ]),
    );
    expect(lesson.offlineFiles).toHaveLength(2 + webp.length);
    // The course's summary, in H'Mông for a H'Mông reader.
    expect((await api(`/api/v1/courses/${courseId}?lang=hmn`)).body.summaryVoice).toMatchObject({
      locale: 'hmn',
      fallback: false,
    });
    // A Vietnamese reader hears Vietnamese everywhere; the files are public like the lesson.
    const vi = (await api(`/api/v1/lessons/${lessonId}?lang=vi`)).body;
    expect(vi.content.steps.map((s: any) => [s.voice.locale, s.voice.fallback])).toEqual([
      ['vi', false],
      ['vi', false],
    ]);
    expect((await fetch(`${apiUrl()}${vi.content.steps[0].voice.url}`)).status).toBe(200);

    // The portal: large speaker buttons, the marker, a lazy picture, the sizes for offline.
    const browser = new Browser();
    const page = await browser.request(`/lessons/${lessonId}?lang=hmn`, { headers: HTML });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`class="speak" data-src="${files[media.hmn].voice.url}"`);
    expect(page.text).toContain('<span class="speak-lang" lang="vi">VI</span>');
    expect(page.text).toContain('tseem tsis tau muaj koj hom lus, mloog ua Tiếng Việt');
    expect(page.text).toMatch(/<picture><source type="image\/webp" srcset="[^"]+320w, [^"]+640w"/);
    expect(page.text).toContain('alt="Lub vijtsam muaj lub cim VNeID" lang="hmn" loading="lazy"');
    expect(page.text).toContain('/assets/speak.js');
    const offlineBytes = lesson.offlineFiles.reduce((n: number, f: any) => n + f.bytes, 0);
    expect(page.text).toContain(`data-files-bytes="${offlineBytes}"`);
    // No audio element or preload: nothing is fetched before a tap.
    expect(page.text).not.toMatch(/<audio|preload=/);
  });

  it('asks a picture question learners answer by tapping, and keeps its key to itself', async () => {
    const courseId = await createCourse(trainer.accessToken);
    const question = {
      type: 'picture_choice',
      prompt: { vi: 'Đâu là biểu tượng VNeID?', hmn: 'Daim duab twg yog lub cim VNeID?' },
      voice: { vi: media.vi, hmn: media.hmn },
      options: [
        {
          picture: { mediaId: media.right, alt: { vi: 'Biểu tượng VNeID', hmn: 'Lub cim VNeID' } },
          correct: true,
          feedback: { vi: 'Đúng: chiếc khiên đỏ có ngôi sao.' },
          feedbackVoice: { vi: media.vi },
        },
        {
          picture: { mediaId: media.wrong, alt: { vi: 'Biểu tượng Zalo', hmn: 'Lub cim Zalo' } },
          voice: { vi: media.vi },
        },
      ],
    };
    const quiz = (q: object) => ({
      kind: 'quiz',
      title: { vi: 'Nhận biết ứng dụng', hmn: 'Paub cov app' },
      content: { passMark: 100, questions: [q] },
    });
    const refused = async (q: object, problem: RegExp) => {
      const res = await addLesson(courseId, quiz(q));
      expectError(res, 400, 'CATALOG_INVALID_LESSON_CONTENT');
      expect(res.body.details.problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
    };
    const [right, wrong] = question.options;
    await refused(
      { ...question, options: [right, { ...wrong, picture: undefined, text: { vi: 'Zalo' } }] },
      /options\.1\.picture: a picture choice shows a picture/,
    );
    await refused({ ...question, type: 'single' }, /options\.0\.picture: only picture choices/);
    await refused({ ...question, options: [right, { ...wrong, correct: true }] }, /exactly one right option/);
    await refused(
      { ...question, options: [right, { ...wrong, picture: { ...wrong.picture, alt: { vi: 'Zalo' } } }] },
      /options\.1\.picture\.alt\.hmn:/,
    );
    expect((await addLesson(courseId, quiz(question))).status).toBe(201);
    await publishCourse(trainer.accessToken, reviewer.accessToken, courseId);
    const [{ id: lessonId }] = await draftLessons(courseId);

    const shown = (await api(`/api/v1/lessons/${lessonId}?lang=hmn`)).body.content.questions[0];
    expect(shown).toMatchObject({ type: 'picture_choice', voice: { locale: 'hmn', fallback: false } });
    expect(shown.options.map((o: any) => [o.text.text, o.picture.alt.text, !!o.picture.webp])).toEqual([
      ['Lub cim VNeID', 'Lub cim VNeID', true],
      ['Lub cim Zalo', 'Lub cim Zalo', true],
    ]);
    expect(JSON.stringify(shown)).not.toMatch(/correct|feedback/);

    // Answered through the API by the picture's option, and graded on the server.
    await api('/api/v1/progress/enrolments', { token: learner.accessToken, body: { courseId } });
    const answer = (optionId: string) =>
      api('/api/v1/progress/events', {
        token: learner.accessToken,
        body: progressEvent('quiz.attempt', lessonId, {
          answers: [{ questionId: shown.id, optionIds: [optionId] }],
        }),
      });
    expectError(
      await api('/api/v1/progress/events', {
        token: learner.accessToken,
        body: progressEvent('quiz.attempt', lessonId, {
          answers: [{ questionId: shown.id, optionIds: shown.options.map((o: any) => o.id) }],
        }),
      }),
      400,
      'EVENT_INVALID_ANSWERS',
    );
    const wrongTap = await answer(shown.options[1].id);
    expect(wrongTap.body.receipt.quiz).toMatchObject({ score: 0, passed: false });
    const rightTap = await answer(shown.options[0].id);
    expect(rightTap.body.receipt.quiz).toMatchObject({ score: 100, passed: true });
    // The feedback comes with its recording, ready to play.
    const voiceOfVi = (await api(`/api/v1/media/${media.vi}`, { token: trainer.accessToken })).body.voice;
    expect(rightTap.body.receipt.quiz.questions[0].feedback).toEqual([
      {
        text: 'Đúng: chiếc khiên đỏ có ngôi sao.',
        locale: 'vi',
        fallback: false,
        voice: {
          url: voiceOfVi.url,
          bytes: voiceOfVi.bytes,
          durationSeconds: voiceOfVi.durationSeconds,
          locale: 'vi',
          fallback: false,
        },
      },
    ]);

    // The portal shows the pictures as the radio buttons' faces.
    const page = await new Browser().request(`/lessons/${lessonId}`, { headers: HTML });
    expect(page.text).not.toContain('name="q_'); // signed out: no form
    const signedIn = await Browser.signedIn(learner);
    const form = await signedIn.request(`/lessons/${lessonId}`, { headers: HTML });
    expect(form.text).toMatch(
      new RegExp(
        `<label><input type="radio" name="q_${shown.id}" value="${shown.options[0].id}" required><picture>`,
      ),
    );
    expect(form.text).toContain('sizes="(max-width: 40rem) 45vw, 300px"');
  });

  it("keeps, sets and removes recordings and pictures through the editor's form", async () => {
    const courseId = await createCourse(trainer.accessToken);
    expect((await addLesson(courseId, spokenGuide())).status).toBe(201);
    const [lesson] = await draftLessons(courseId);
    const editor = await Browser.signedIn(trainer);
    const path = `/teach/courses/${courseId}/lessons/${lesson.lessonKey}`;
    const save = async (second: string, step: Record<string, string>) => {
      const page = await editor.request(`${path}?second=${second}`, { headers: HTML });
      expect(page.text).toContain('/assets/record.js');
      return editor.request(path, {
        headers: HTML,
        form: {
          _csrf: Browser.csrfFrom(page.text),
          second,
          titleVi: 'Kích hoạt VNeID mức 2',
          titleSecond: '',
          summaryVi: '',
          summarySecond: '',
          stepId: lesson.content.steps[0].id,
          stepTitleVi: 'Mở ứng dụng VNeID',
          stepTitleSecond: second === 'hmn' ? 'Qhib app VNeID' : '',
          stepBodyVi: 'Chạm vào biểu tượng VNeID.',
          stepBodySecond: second === 'hmn' ? 'Nias lub cim VNeID.' : '',
          stepVoiceVi: '',
          stepVoiceSecond: '',
          stepPicture: '',
          stepAltVi: '',
          stepAltSecond: '',
          summaryVoiceVi: '',
          summaryVoiceSecond: '',
          ...step,
        },
      });
    };
    // Next to Tày: the Vietnamese recording replaced, the H'Mông one (not on the page) kept; the
    // picture taken away with its slot emptied.
    expect((await save('tyz', { stepVoiceVi: media.hmn })).status).toBe(303);
    let [step] = (await draftLessons(courseId))[0].content.steps;
    expect(step.voice).toEqual({ vi: media.hmn, hmn: media.hmn });
    expect(step.picture).toBeUndefined();
    // The summary's Vietnamese slot was emptied: its recording is gone.
    expect((await draftLessons(courseId))[0].summaryVoice).toEqual({});
    // A picture without its H'Mông description, although the step is written in H'Mông.
    const undescribed = await save('hmn', {
      stepVoiceVi: media.vi,
      stepPicture: media.photo,
      stepAltVi: 'Màn hình chính',
    });
    expect(undescribed.status).toBe(400);
    expect(undescribed.text).toContain('Bước 1: mô tả hình bằng mọi thứ tiếng của bước.');
    const described = await save('hmn', {
      stepVoiceVi: media.vi,
      stepPicture: media.photo,
      stepAltVi: 'Màn hình chính',
      stepAltSecond: 'Lub vijtsam',
      summaryVoiceSecond: media.hmn,
    });
    expect(described.status).toBe(303);
    expect((await draftLessons(courseId))[0].summaryVoice).toEqual({ hmn: media.hmn });
    [step] = (await draftLessons(courseId))[0].content.steps;
    expect(step.voice).toEqual({ vi: media.vi });
    expect(step.picture).toEqual({ mediaId: media.photo, alt: { vi: 'Màn hình chính', hmn: 'Lub vijtsam' } });
    // Another trainer's recording cannot be slipped into the form.
    const borrowed = await save('hmn', { stepVoiceVi: media.othersVoice });
    expect(borrowed.status).toBe(404);

    // The course's summary, recorded in the course editor.
    const coursePage = await editor.request(`/teach/courses/${courseId}?second=hmn`, { headers: HTML });
    expect(coursePage.text).toContain('name="summaryVoiceVi"');
    expect(coursePage.text).toContain('/assets/record.js');
    const groups = (await api('/api/v1/learner-groups')).body;
    const course = await editor.request(`/teach/courses/${courseId}`, {
      headers: HTML,
      form: {
        _csrf: Browser.csrfFrom(coursePage.text),
        second: 'hmn',
        titleVi: 'Dùng VNeID',
        titleSecond: '',
        summaryVi: 'Căn cước điện tử trên điện thoại.',
        summarySecond: '',
        summaryVoiceVi: media.vi,
        summaryVoiceSecond: '',
        topic: 'vneid',
        learnerGroupIds: groups.find((g: any) => g.code === 'elderly').id,
      },
    });
    expect(course.status).toBe(303);
    const version = (
      await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: trainer.accessToken })
    ).body;
    expect(version.summaryVoice).toEqual({ vi: media.vi });
  });

  it('makes a picture question in the quiz editor, each picture described in the languages of the question', async () => {
    const courseId = await createCourse(trainer.accessToken);
    const editor = await Browser.signedIn(trainer);
    const form = await editor.request(`/teach/courses/${courseId}/lessons/new?kind=quiz&second=hmn`, {
      headers: HTML,
    });
    expect(form.text).toContain('<option value="picture_choice">');
    expect(form.text).toContain('name="oPicture"');
    const send = (hmnAlt: string, pictures: string[]) =>
      editor.request(`/teach/courses/${courseId}/lessons`, {
        headers: HTML,
        form: new URLSearchParams([
          ['_csrf', Browser.csrfFrom(form.text)],
          ['second', 'hmn'],
          ['kind', 'quiz'],
          ['titleVi', 'Nhận ra biểu tượng'],
          ['titleSecond', ''],
          ['passMark', '100'],
          ['qId', ''],
          ['qType', 'picture_choice'],
          ['qPromptVi', 'Đâu là biểu tượng VNeID?'],
          ['qPromptSecond', 'Daim duab twg yog VNeID?'],
          ['qVoiceVi', media.vi],
          ['qVoiceSecond', ''],
          ...[0, 1, 2, 3].flatMap((i): [string, string][] => [
            ['oQuestion', '0'],
            ['oId', ''],
            ['oTextVi', ['Khiên đỏ', 'Chữ Zalo', '', ''][i]],
            ['oTextSecond', [hmnAlt, 'Zalo', '', ''][i]],
            ['oVoiceVi', ''],
            ['oVoiceSecond', ''],
            ['oPicture', pictures[i] ?? ''],
          ]),
          ['oCorrect', '0'],
        ]) as unknown as Record<string, string>,
      });
    // One answer without its picture; then one picture not described in H'Mông.
    const noPicture = await send('Daim npav liab', [media.right]);
    expect(noPicture.status).toBe(400);
    expect(noPicture.text).toContain('Câu 1: mỗi đáp án của câu chọn hình cần có một hình.');
    const undescribed = await send('', [media.right, media.wrong]);
    expect(undescribed.status).toBe(400);
    expect(undescribed.text).toContain('Câu 1: mô tả mỗi hình bằng mọi thứ tiếng của câu hỏi.');
    expect(await draftLessons(courseId)).toEqual([]);

    expect((await send('Daim npav liab', [media.right, media.wrong])).status).toBe(303);
    const [quiz] = await draftLessons(courseId);
    expect(quiz.content.questions[0]).toMatchObject({
      type: 'picture_choice',
      voice: { vi: media.vi },
      options: [
        { picture: { mediaId: media.right, alt: { vi: 'Khiên đỏ', hmn: 'Daim npav liab' } }, correct: true },
        { picture: { mediaId: media.wrong, alt: { vi: 'Chữ Zalo', hmn: 'Zalo' } }, correct: false },
      ],
    });
    // The editor shows it again with its pictures, and saving it unchanged keeps them.
    const again = await editor.request(`/teach/courses/${courseId}/lessons/${quiz.lessonKey}?second=hmn`, {
      headers: HTML,
    });
    expect(again.text).toContain(`name="oPicture" value="${media.right}"`);
  });

  it('reads a practice task and its how-to aloud', async () => {
    const courseId = await createCourse(trainer.accessToken);
    const added = await addLesson(courseId, {
      kind: 'practice',
      title: { vi: 'Thực hành: trả tiền điện', hmn: 'Xyaum: them nqi hluav taws xob' },
      content: {
        task: {
          vi: 'Tự trả tiền điện tháng này bằng điện thoại.',
          hmn: 'Them nqi hluav taws xob lub hli no.',
        },
        howTo: { vi: 'Mang theo hoá đơn tháng trước.', hmn: 'Nqa daim ntawv hli dhau los.' },
        digitalTask: 'online-bill-payment',
        taskVoice: { vi: media.vi },
        howToVoice: { hmn: media.hmn },
      },
    });
    expect(added.status).toBe(201);
    const matrix = (
      await api(`/api/v1/authoring/courses/${courseId}/versions/1/translations`, {
        token: trainer.accessToken,
      })
    ).body;
    expect(matrix.lessons[0].fields.voice).toMatchObject({ vi: 'partial', hmn: 'partial', tyz: 'missing' });
    // A picture is no recording.
    expectError(
      await addLesson(courseId, {
        kind: 'practice',
        title: { vi: 'Bài khác' },
        content: { task: { vi: 'Làm.' }, digitalTask: 'other', taskVoice: { vi: media.photo } },
      }),
      400,
      'MEDIA_WRONG_KIND',
    );
    await publishCourse(trainer.accessToken, reviewer.accessToken, courseId);
    const [{ id: lessonId }] = await draftLessons(courseId);
    const { content } = (await api(`/api/v1/lessons/${lessonId}?lang=hmn`)).body;
    const file = async (id: string) =>
      (await api(`/api/v1/media/${id}`, { token: trainer.accessToken })).body.voice;
    const [vi, hmn] = [await file(media.vi), await file(media.hmn)];
    expect(content.taskVoice).toEqual({
      url: vi.url,
      bytes: vi.bytes,
      durationSeconds: vi.durationSeconds,
      locale: 'vi',
      fallback: true,
    });
    expect(content.howToVoice).toMatchObject({ url: hmn.url, locale: 'hmn', fallback: false });
    const page = await new Browser().request(`/lessons/${lessonId}?lang=hmn`, { headers: HTML });
    expect(page.text).toContain(`class="speak" data-src="${vi.url}"`);
    expect(page.text).toContain(`class="speak" data-src="${hmn.url}"`);
    expect(page.text).toContain('/assets/speak.js');
  });

  it('refuses to submit a course whose recording failed processing after it was attached', async () => {
    const courseId = await createCourse(trainer.accessToken);
    // Silence: accepted for processing (attachable while it runs), refused by the worker.
    const silence = await sampleSound('anullsrc=channel_layout=mono:sample_rate=48000', [
      '-t',
      '2',
      '-c:a',
      'libopus',
      '-f',
      'webm',
    ]);
    const silent = await upload(trainer, silence, 'audio/webm');
    const guide = spokenGuide();
    guide.content.steps[1].voice = { vi: silent };
    expect((await addLesson(courseId, guide)).status).toBe(201);
    expect((await waitForMedia(trainer.accessToken, silent)).failure.code).toBe('MEDIA_SILENT');
    const res = await api(`/api/v1/authoring/courses/${courseId}/draft/submit`, {
      token: trainer.accessToken,
      body: {},
    });
    expectError(res, 409, 'AUTHORING_MEDIA_NOT_USABLE');
    expect(res.body.details.media).toEqual([{ mediaId: silent, kind: 'audio', status: 'failed' }]);
    // A failed recording is not attachable any more either.
    expectError(
      await addLesson(courseId, { ...guide, title: { vi: 'Bài khác' } }),
      409,
      'MEDIA_NOT_UPLOADED_YET',
    );
  });
});

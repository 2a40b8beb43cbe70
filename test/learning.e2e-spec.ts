import pg from 'pg';
import { api, expectError, testEnv } from './support/api.js';
import { addLessons, createCourse, guideLesson, publishCourse } from './factories/course.factory.js';
import {
  heartbeats,
  learnableCourse,
  progressEvent,
  type LearnableCourse,
} from './factories/learning.factory.js';
import { registerLearner, uniquePhone, userWithRoles, type TestUser } from './factories/user.factory.js';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe('learning', () => {
  let trainer: TestUser;
  let reviewer: TestUser;
  let course: LearnableCourse;
  let db: pg.Client;

  beforeAll(async () => {
    trainer = await userWithRoles([{ role: 'trainer' }]);
    reviewer = await userWithRoles([{ role: 'trainer' }]);
    course = await learnableCourse(trainer, reviewer);
    db = new pg.Client({ connectionString: testEnv().DATABASE_URL });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db.end();
  });

  const send = (learner: TestUser, event: unknown) =>
    api('/api/v1/progress/events', { token: learner.accessToken, body: event });
  const sync = (learner: TestUser, events: unknown[]) =>
    api('/api/v1/sync', { token: learner.accessToken, body: { events } });
  const lessonProgress = async (learner: TestUser, lessonId: string) =>
    (await api(`/api/v1/progress/lessons/${lessonId}`, { token: learner.accessToken })).body;
  const storedEvents = async (learnerId: string) =>
    Number(
      (await db.query('SELECT count(*) AS n FROM progress_events WHERE learner_id = $1', [learnerId])).rows[0]
        .n,
    );

  it('enrols in a published course once; unknown and unpublished courses are 404', async () => {
    const learner = await registerLearner();
    const first = await api('/api/v1/progress/enrolments', {
      token: learner.accessToken,
      body: { courseId: course.courseId },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      courseId: course.courseId,
      version: 1,
      startedAt: null,
      completedAt: null,
    });
    const again = await api('/api/v1/progress/enrolments', {
      token: learner.accessToken,
      body: { courseId: course.courseId },
    });
    expect(again.status).toBe(200);
    expect(again.body.enrolledAt).toBe(first.body.enrolledAt);

    const draftOnly = await createCourse(trainer.accessToken);
    for (const courseId of [draftOnly, '00000000-0000-4000-8000-000000000000']) {
      expectError(
        await api('/api/v1/progress/enrolments', { token: learner.accessToken, body: { courseId } }),
        404,
        'LEARNING_COURSE_NOT_FOUND',
      );
    }
    expectError(
      await api('/api/v1/progress/enrolments', { token: learner.accessToken, body: { courseId: 'x' } }),
      400,
    );
    expectError(await api('/api/v1/progress/enrolments', { body: { courseId: course.courseId } }), 401);

    const mine = (await api('/api/v1/progress/me', { token: learner.accessToken })).body;
    expect(mine.inProgress).toHaveLength(1);
    expect(mine.inProgress[0]).toMatchObject({
      courseId: course.courseId,
      lessonsCompleted: 0,
      lessonsRequired: 3,
      percent: 0,
      nextLesson: { id: course.videoId, kind: 'video' },
      resume: null,
      completion: null,
    });
  });

  it('counts a video as watched from merged intervals: a seek to the end or a replayed stretch is not enough', async () => {
    const learner = await registerLearner();
    const d = course.duration;
    // Seeking to the end and playing the last second.
    let res = await send(
      learner,
      progressEvent('video.heartbeat', course.videoId, {
        intervals: [[d - 1, d]],
        position: d,
        locale: 'vi',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.receipt).toEqual({ id: expect.any(String), status: 'accepted' });
    expect(res.body.lesson).toMatchObject({ status: 'in_progress', video: { requiredShare: 0.9 } });
    expect(res.body.lesson.video.watchedSeconds).toBeCloseTo(1, 1);

    // The first half, twice, in overlapping pieces: counted once.
    const half = Math.round((d / 2) * 10) / 10;
    for (const intervals of [[[0, 3]], [[2, half]], [[0, half]]]) {
      res = await send(
        learner,
        progressEvent('video.heartbeat', course.videoId, { intervals, locale: 'vi' }),
      );
      expect(res.status).toBe(200);
    }
    expect(res.body.lesson.status).toBe('in_progress');
    expect(res.body.lesson.video.watchedSeconds).toBeCloseTo(half + 1, 1);

    // Up to 89 %: still not complete.
    const almost = Math.floor(d * 0.89 * 10) / 10 - 1;
    res = await send(
      learner,
      progressEvent('video.heartbeat', course.videoId, { intervals: [[half, almost]], locale: 'vi' }),
    );
    expect(res.body.lesson.status).toBe('in_progress');
    expect(res.body.lesson.video.watchedShare).toBeLessThan(0.9);

    // The rest: complete.
    res = await send(
      learner,
      progressEvent('video.heartbeat', course.videoId, {
        intervals: [[almost, d - 1]],
        position: d - 1,
        locale: 'vi',
      }),
    );
    expect(res.body.lesson).toMatchObject({ status: 'completed', completedAt: expect.any(String) });
    expect(res.body.lesson.video.watchedShare).toBe(1);

    // A heartbeat cannot claim a long stretch at once, and an unavailable language is refused.
    expectError(
      await send(
        learner,
        progressEvent('video.heartbeat', course.videoId, { intervals: [[0, 121]], locale: 'vi' }),
      ),
      400,
      'EVENT_HEARTBEAT_TOO_LONG',
    );
    expectError(
      await send(
        learner,
        progressEvent('video.heartbeat', course.videoId, { intervals: [[0, 5]], locale: 'hmn' }),
      ),
      409,
      'EVENT_VIDEO_NOT_AVAILABLE',
    );
    for (const bad of [
      { intervals: [[5, 2]] },
      { intervals: [['a', 2]] },
      { intervals: [] },
      { intervals: [[0, 1, 2]] },
    ]) {
      expectError(
        await send(learner, progressEvent('video.heartbeat', course.videoId, bad)),
        400,
        'EVENT_INVALID',
      );
    }
    expectError(
      await send(learner, progressEvent('guide.step', course.videoId, { stepId: course.stepIds[0] })),
      400,
      'EVENT_WRONG_LESSON_KIND',
    );
    expectError(
      await send(learner, {
        ...progressEvent('video.heartbeat', course.videoId),
        intervals: [[0, 1]],
        at: new Date(Date.now() + 3_600_000).toISOString(),
      }),
      400,
      'EVENT_IN_FUTURE',
    );
    expectError(
      await send(learner, {
        ...progressEvent('video.heartbeat', course.videoId),
        intervals: [[0, 1]],
        lessonId: '00000000-0000-4000-8000-000000000000',
      }),
      404,
      'EVENT_LESSON_NOT_FOUND',
    );
  });

  it('keeps the resume position of the latest client time, whatever the arrival order', async () => {
    const learner = await registerLearner();
    const later = progressEvent(
      'video.heartbeat',
      course.videoId,
      { position: 9, locale: 'vi' },
      minutesAgo(1),
    );
    const earlier = progressEvent(
      'video.heartbeat',
      course.videoId,
      { position: 4, locale: 'vi' },
      minutesAgo(2),
    );
    await send(learner, later);
    const res = await send(learner, earlier);
    expect(res.body.lesson.video.positionSeconds).toBe(9);
  });

  it("takes a heartbeat without a language as the video the learner is served (H'Mông learner, Vietnamese video)", async () => {
    const learner = await registerLearner({ languages: ['hmn', 'vi'] });
    const res = await send(
      learner,
      progressEvent('video.heartbeat', course.videoId, { intervals: [[0, 4]] }),
    );
    expect(res.status).toBe(200);
    expect(res.body.lesson.video.watchedSeconds).toBe(4);
    const [stored] = (
      await db.query('SELECT locale FROM progress_events WHERE learner_id = $1', [learner.id])
    ).rows;
    expect(stored.locale).toBe('vi');
  });

  it('completes a guide when every step is acknowledged, once each', async () => {
    const learner = await registerLearner();
    for (const [i, stepId] of [course.stepIds[0], course.stepIds[0], course.stepIds[1]].entries()) {
      const res = await send(learner, progressEvent('guide.step', course.guideId, { stepId }));
      expect(res.body.lesson.guide.stepsDone).toHaveLength(i === 2 ? 2 : 1);
      expect(res.body.lesson.status).toBe('in_progress');
    }
    expectError(
      await send(
        learner,
        progressEvent('guide.step', course.guideId, { stepId: '00000000-0000-4000-8000-000000000000' }),
      ),
      400,
      'EVENT_UNKNOWN_STEP',
    );
    const res = await send(
      learner,
      progressEvent('guide.step', course.guideId, { stepId: course.stepIds[2] }),
    );
    expect(res.body.lesson).toMatchObject({ status: 'completed', guide: { stepCount: 3 } });
  });

  it('grades quizzes on the server with feedback in the learner language, an attempt limit and a cooldown', async () => {
    const learner = await registerLearner({ languages: ['hmn', 'vi'] });
    const attempt = (answers: unknown[], at: Date) =>
      send(learner, progressEvent('quiz.attempt', course.quizId, { answers }, at));
    const t0 = minutesAgo(30);

    const failed = await attempt(course.wrongAnswers, t0);
    expect(failed.status).toBe(200);
    expect(failed.body.receipt.quiz).toMatchObject({
      score: 0,
      passMark: 70,
      passed: false,
      correctCount: 0,
      questionCount: 4,
    });
    // Feedback for the wrong option, in Vietnamese because no H'Mông text exists: marked as a fallback.
    expect(failed.body.receipt.quiz.questions[0].feedback).toEqual([
      { text: 'Kẻ lừa đảo hay giả làm nhân viên ngân hàng.', locale: 'vi', fallback: true, voice: null },
    ]);
    expect(failed.body.lesson.quiz).toMatchObject({
      attempts: 1,
      attemptsLeft: 2,
      bestScore: 0,
      passed: false,
    });

    // 30 s later: inside the 60 s cooldown.
    const early = await attempt(course.rightAnswers, new Date(t0.getTime() + 30_000));
    expectError(early, 409, 'QUIZ_COOLDOWN');
    expect(early.body.details.retryAt).toBe(new Date(t0.getTime() + 60_000).toISOString());

    const passed = await attempt(course.rightAnswers, new Date(t0.getTime() + 61_000));
    expect(passed.body.receipt.quiz).toMatchObject({ score: 100, passed: true, correctCount: 4 });
    expect(passed.body.lesson).toMatchObject({
      status: 'completed',
      quiz: { attempts: 2, attemptsLeft: 1, bestScore: 100 },
    });

    // A worse third attempt keeps the best score and the completion; a fourth is refused.
    const third = await attempt(course.wrongAnswers, new Date(t0.getTime() + 130_000));
    expect(third.body.lesson).toMatchObject({
      status: 'completed',
      quiz: { bestScore: 100, lastScore: 0, attemptsLeft: 0 },
    });
    expectError(
      await attempt(course.rightAnswers, new Date(t0.getTime() + 200_000)),
      409,
      'QUIZ_NO_ATTEMPTS_LEFT',
    );

    // Answers that do not fit the quiz are a 400 naming them, and use up no attempt.
    const other = await registerLearner();
    const bad = await send(
      other,
      progressEvent('quiz.attempt', course.quizId, {
        answers: [{ questionId: '00000000-0000-4000-8000-000000000000', answer: true }],
      }),
    );
    expectError(bad, 400, 'EVENT_INVALID_ANSWERS');
    expect(bad.body.details.problems).toEqual(['answers.0.questionId: not a question of this quiz']);
    expect((await lessonProgress(other, course.quizId)).quiz.attempts).toBe(0);

    // No learner-facing response carries the key.
    const everything = JSON.stringify([
      failed.body,
      passed.body,
      third.body,
      await lessonProgress(learner, course.quizId),
    ]);
    expect(everything).not.toMatch(/"(options|items|answer|order|optionIds)"/);
  });

  it('completes the course once, with its version and the language studied, and emits one domain event', async () => {
    const learner = await registerLearner({ languages: ['hmn', 'vi'] });
    const events = [
      ...heartbeats(course.videoId, 0, course.duration, 6),
      ...course.stepIds.map((stepId) =>
        progressEvent('guide.step', course.guideId, { stepId, locale: 'hmn' }),
      ),
      progressEvent('quiz.attempt', course.quizId, { answers: course.rightAnswers, locale: 'hmn' }),
    ];
    const receipt = (await sync(learner, events)).body;
    expect(receipt).toMatchObject({ accepted: events.length, duplicate: 0, rejected: 0 });
    expect(receipt.completedCourses).toEqual([
      {
        courseId: course.courseId,
        version: 1,
        locale: 'hmn',
        averageQuizScore: 100,
        completedAt: expect.any(String),
      },
    ]);
    const mine = (await api('/api/v1/progress/me', { token: learner.accessToken })).body;
    expect(mine.inProgress).toEqual([]);
    expect(mine.completed[0]).toMatchObject({ courseId: course.courseId, percent: 100, nextLesson: null });
    expect(mine.completed[0].title).toMatchObject({ locale: 'hmn', fallback: false });

    // Replaying everything: all duplicates, no second completion or event.
    const replay = (await sync(learner, events)).body;
    expect(replay).toMatchObject({
      accepted: 0,
      duplicate: events.length,
      rejected: 0,
      completedCourses: [],
    });
    const emitted = await db.query(
      `SELECT payload FROM domain_events WHERE type = 'learning.course_completed' AND payload->>'learnerId' = $1`,
      [learner.id],
    );
    expect(emitted.rows).toEqual([
      {
        payload: expect.objectContaining({
          learnerId: learner.id,
          courseId: course.courseId,
          version: 1,
          locale: 'hmn',
          averageQuizScore: 100,
        }),
      },
    ]);
    expect(await storedEvents(learner.id)).toBe(events.length);
  });

  it('takes an offline batch in any order with a receipt per event; replaying it changes nothing', async () => {
    const a = await registerLearner();
    const b = await registerLearner();
    const good = [
      ...heartbeats(course.videoId, 0, course.duration, 4),
      ...course.stepIds.map((stepId, i) =>
        progressEvent('guide.step', course.guideId, { stepId }, minutesAgo(10 - i)),
      ),
    ];
    const bad = [
      {
        type: 'video.heartbeat',
        lessonId: course.videoId,
        at: new Date().toISOString(),
        intervals: [[0, 1]],
      },
      progressEvent('video.heartbeat', '00000000-0000-4000-8000-000000000000', { intervals: [[0, 1]] }),
      progressEvent('guide.step', course.guideId, { stepId: course.stepIds[0], extra: 'field' }),
      'not an event',
    ];
    const batch = [...good, ...bad, good[0]];
    const shuffled = [...batch].sort(() => Math.random() - 0.5);

    const first = (await sync(a, shuffled)).body;
    expect(first).toMatchObject({ accepted: good.length, duplicate: 1, rejected: bad.length });
    expect(first.receipts).toHaveLength(batch.length);
    // Receipts follow the order sent.
    first.receipts.forEach((r: any, i: number) =>
      expect(r.id).toBe(typeof shuffled[i] === 'object' ? ((shuffled[i] as any).id ?? null) : null),
    );
    const reasons = first.receipts
      .filter((r: any) => r.status === 'rejected')
      .map((r: any) => r.code)
      .sort();
    expect(reasons).toEqual(['EVENT_INVALID', 'EVENT_INVALID', 'EVENT_INVALID', 'EVENT_LESSON_NOT_FOUND']);
    const invalid = first.receipts.find(
      (r: any) => r.code === 'EVENT_INVALID' && r.id === null && r.message.includes('id'),
    );
    expect(invalid.message).toMatch(/id must be a UUID/);

    const state = async (l: TestUser) => ({
      me: (await api('/api/v1/progress/me', { token: l.accessToken })).body,
      video: await lessonProgress(l, course.videoId),
      guide: await lessonProgress(l, course.guideId),
    });
    const before = await state(a);
    expect(before.video.status).toBe('completed');
    expect(before.guide.status).toBe('completed');

    const replay = (await sync(a, shuffled)).body;
    expect(replay).toMatchObject({ accepted: 0, duplicate: good.length + 1, rejected: bad.length });
    expect(await state(a)).toEqual(before);
    expect(await storedEvents(a.id)).toBe(good.length);

    // The same events in the opposite order give the same state (b: another learner, so new ids).
    const forB = good.map((e) => ({ ...e, id: crypto.randomUUID() })).reverse();
    expect((await sync(b, forB)).body.accepted).toBe(good.length);
    const afterB = await state(b);
    // The same state, apart from when the server saw the lesson complete.
    const { completedAt: _b, ...videoB } = afterB.video;
    const { completedAt: _a, ...videoA } = before.video;
    expect(videoB).toEqual(videoA);
    expect(afterB.guide.guide.stepsDone.sort()).toEqual(before.guide.guide.stepsDone.sort());
    expect(afterB.me.inProgress[0].lessonsCompleted).toBe(before.me.inProgress[0].lessonsCompleted);
  });

  it('keeps event ids per learner: the same client id from another learner is not a duplicate', async () => {
    const a = await registerLearner();
    const b = await registerLearner();
    const event = progressEvent('guide.step', course.guideId, { stepId: course.stepIds[0] });
    expect((await send(a, event)).body.receipt.status).toBe('accepted');
    expect((await send(b, event)).body.receipt.status).toBe('accepted');
    expect((await send(b, event)).body.receipt.status).toBe('duplicate');
    expect((await lessonProgress(a, course.guideId)).guide.stepsDone).toEqual([course.stepIds[0]]);
  });

  it('bounds the batch size with a clear error and stores nothing of a refused batch', async () => {
    const learner = await registerLearner();
    const max = Number(testEnv().SYNC_MAX_EVENTS ?? 500);
    const tooMany = heartbeats(course.videoId, 0, (max + 1) * 0.02, 0.02);
    expect(tooMany.length).toBeGreaterThan(max);
    const res = await sync(learner, tooMany);
    expectError(res, 413, 'SYNC_BATCH_TOO_LARGE');
    expect(res.body.details).toEqual({ max, received: tooMany.length });
    expect(await storedEvents(learner.id)).toBe(0);
    expectError(
      await api('/api/v1/sync', { token: learner.accessToken, body: { events: 'x' } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api('/api/v1/sync', { token: learner.accessToken, body: {} }),
      400,
      'VALIDATION_FAILED',
    );
    const empty = await sync(learner, []);
    expect(empty.body).toMatchObject({ accepted: 0, duplicate: 0, rejected: 0, receipts: [] });
  });

  it('still counts events about lessons of an older course version, and keeps learners on their version', async () => {
    const { courseId, videoId, guideId, stepIds } = await learnableCourse(trainer, reviewer);
    const learner = await registerLearner();
    await api('/api/v1/progress/enrolments', { token: learner.accessToken, body: { courseId } });
    // Version 2 is published while the learner is offline.
    const v2 = await api(`/api/v1/authoring/courses/${courseId}/drafts`, {
      token: trainer.accessToken,
      body: {},
    });
    expect(v2.status).toBe(201);
    await api(`/api/v1/authoring/courses/${courseId}/draft`, {
      method: 'PATCH',
      token: trainer.accessToken,
      body: { title: { vi: 'Thanh toán tiền điện (bản 2)' } },
    });
    await publishCourse(trainer.accessToken, reviewer.accessToken, courseId);

    const receipt = (
      await sync(learner, [
        ...stepIds.map((stepId) => progressEvent('guide.step', guideId, { stepId })),
        ...heartbeats(videoId, 0, 5),
      ])
    ).body;
    expect(receipt).toMatchObject({ accepted: stepIds.length + 1, rejected: 0 });
    const mine = (await api('/api/v1/progress/me', { token: learner.accessToken })).body.inProgress[0];
    expect(mine).toMatchObject({ courseId, version: 1, newerVersion: true, lessonsCompleted: 1 });
    expect(mine.resume).toMatchObject({ id: videoId, positionSeconds: 5 });

    // The lesson of version 2 with the same key shows the same progress.
    const v2Guide = (await api(`/api/v1/courses/${courseId}`)).body.lessons.find(
      (l: any) => l.kind === 'guide',
    );
    expect(v2Guide.id).not.toBe(guideId);
    expect((await lessonProgress(learner, v2Guide.id)).status).toBe('completed');
  });

  it('takes no new learners in an archived course; those already in it carry on', async () => {
    const courseId = await createCourse(trainer.accessToken);
    await addLessons(trainer.accessToken, courseId, [guideLesson]);
    await publishCourse(trainer.accessToken, reviewer.accessToken, courseId);
    const guide = (await api(`/api/v1/courses/${courseId}`)).body.lessons[0];
    const stepId = (await api(`/api/v1/lessons/${guide.id}`)).body.content.steps[0].id;
    const inside = await registerLearner();
    await api('/api/v1/progress/enrolments', { token: inside.accessToken, body: { courseId } });
    expect(
      (await api(`/api/v1/authoring/courses/${courseId}/archive`, { token: trainer.accessToken, body: {} }))
        .status,
    ).toBe(204);

    const newcomer = await registerLearner();
    expectError(
      await api('/api/v1/progress/enrolments', { token: newcomer.accessToken, body: { courseId } }),
      409,
      'LEARNING_COURSE_NOT_AVAILABLE',
    );
    expectError(
      await send(newcomer, progressEvent('guide.step', guide.id, { stepId })),
      409,
      'EVENT_COURSE_NOT_AVAILABLE',
    );
    expect((await send(inside, progressEvent('guide.step', guide.id, { stepId }))).status).toBe(200);
  });

  it('lets a trainer enrol a list of learners by phone or id, each answered on its own', async () => {
    const a = await registerLearner();
    const b = await registerLearner();
    const already = await registerLearner();
    await api('/api/v1/progress/enrolments', {
      token: already.accessToken,
      body: { courseId: course.courseId },
    });
    const unknown = uniquePhone();
    const res = await api(`/api/v1/progress/courses/${course.courseId}/enrolments`, {
      token: trainer.accessToken,
      body: { learners: [a.phone.replace(/^0/, '+84'), b.id, already.phone, unknown, 'not a phone'] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ enrolled: 2, alreadyEnrolled: 1, notFound: 2 });
    expect(res.body.results.map((r: any) => r.status)).toEqual([
      'enrolled',
      'enrolled',
      'already_enrolled',
      'not_found',
      'not_found',
    ]);
    expect((await api('/api/v1/progress/me', { token: a.accessToken })).body.inProgress[0].courseId).toBe(
      course.courseId,
    );

    expectError(
      await api(`/api/v1/progress/courses/${course.courseId}/enrolments`, {
        token: a.accessToken,
        body: { learners: [b.id] },
      }),
      403,
    );
    expectError(
      await api(`/api/v1/progress/courses/${course.courseId}/enrolments`, {
        token: trainer.accessToken,
        body: { learners: [] },
      }),
      400,
    );
    expectError(
      await api(`/api/v1/progress/courses/00000000-0000-4000-8000-000000000000/enrolments`, {
        token: trainer.accessToken,
        body: { learners: [b.id] },
      }),
      404,
      'LEARNING_COURSE_NOT_FOUND',
    );
  });

  describe('progress for staff', () => {
    let communeA: any;
    let communeB: any;
    let villageA: any;
    let villageB: any;
    let own: LearnableCourse;

    beforeAll(async () => {
      const province = (await api('/api/v1/localities?level=province')).body.items[0];
      const communes = (await api(`/api/v1/localities?parentId=${province.id}&pageSize=100`)).body.items;
      [communeA, communeB] = communes;
      villageA = (await api(`/api/v1/localities?parentId=${communeA.id}&pageSize=1`)).body.items[0];
      villageB = (await api(`/api/v1/localities?parentId=${communeB.id}&pageSize=1`)).body.items[0];
      own = await learnableCourse(trainer, reviewer);
      const groups = (await api('/api/v1/learner-groups')).body;
      const elderly = groups.find((g: any) => g.code === 'elderly').id;
      const pupils = groups.find((g: any) => g.code !== 'elderly').id;
      // In village A: one completed, one in progress, one not started; in village B: one in progress.
      const done = await registerLearner({ villageId: villageA.id, learnerGroupId: elderly });
      const going = await registerLearner({ villageId: villageA.id, learnerGroupId: pupils });
      const idle = await registerLearner({ villageId: villageA.id, learnerGroupId: elderly });
      const far = await registerLearner({ villageId: villageB.id, learnerGroupId: elderly });
      await sync(done, [
        ...heartbeats(own.videoId, 0, own.duration, 6),
        ...own.stepIds.map((stepId) => progressEvent('guide.step', own.guideId, { stepId })),
        progressEvent('quiz.attempt', own.quizId, { answers: own.rightAnswers }),
      ]);
      await sync(going, [progressEvent('guide.step', own.guideId, { stepId: own.stepIds[0] })]);
      await api('/api/v1/progress/enrolments', { token: idle.accessToken, body: { courseId: own.courseId } });
      await sync(far, [progressEvent('guide.step', own.guideId, { stepId: own.stepIds[0] })]);
    }, 120_000);

    it('shows the course owner and admins all learners, by group and by place', async () => {
      const report = await api(`/api/v1/progress/courses/${own.courseId}/report`, {
        token: trainer.accessToken,
      });
      expect(report.status).toBe(200);
      expect(report.body.totals).toEqual({ enrolled: 4, notStarted: 1, inProgress: 2, completed: 1 });
      const elderly = report.body.byLearnerGroup.find((g: any) => g.code === 'elderly');
      expect(elderly).toMatchObject({ enrolled: 3, notStarted: 1, inProgress: 1, completed: 1 });
      expect(report.body.byLocality).toEqual([
        expect.objectContaining({ enrolled: 4, notStarted: 1, inProgress: 2, completed: 1 }),
      ]);
      expect(report.body.scopedTo).toEqual([]);
    });

    it('scopes coordinators to their locality and refuses other staff and learners', async () => {
      const coordinatorA = await userWithRoles([{ role: 'coordinator', localityId: communeA.id }]);
      const report = (
        await api(`/api/v1/progress/courses/${own.courseId}/report`, { token: coordinatorA.accessToken })
      ).body;
      expect(report.totals).toEqual({ enrolled: 3, notStarted: 1, inProgress: 1, completed: 1 });
      expect(report.scopedTo).toEqual([communeA.id]);
      expect(report.byLocality).toEqual([
        expect.objectContaining({ id: villageA.id, name: villageA.name, enrolled: 3 }),
      ]);

      const place = await api(`/api/v1/progress/localities/${communeA.id}/report`, {
        token: coordinatorA.accessToken,
      });
      expect(place.status).toBe(200);
      expect(place.body.byLocality.find((l: any) => l.id === villageA.id)).toMatchObject({ completed: 1 });
      expectError(
        await api(`/api/v1/progress/localities/${communeB.id}/report`, { token: coordinatorA.accessToken }),
        403,
        'OUTSIDE_YOUR_AREA',
      );
      const otherTrainer = await userWithRoles([{ role: 'trainer' }]);
      expectError(
        await api(`/api/v1/progress/courses/${own.courseId}/report`, { token: otherTrainer.accessToken }),
        403,
      );
      const learner = await registerLearner();
      expectError(
        await api(`/api/v1/progress/courses/${own.courseId}/report`, { token: learner.accessToken }),
        403,
      );
      expectError(
        await api(`/api/v1/progress/localities/${communeA.id}/report`, { token: learner.accessToken }),
        403,
      );
      expectError(
        await api(`/api/v1/progress/localities/${communeA.id}/report`, { token: otherTrainer.accessToken }),
        403,
      );
      expectError(
        await api(`/api/v1/progress/courses/00000000-0000-4000-8000-000000000000/report`, {
          token: trainer.accessToken,
        }),
        404,
      );
    });

    it('shows learners only their own progress', async () => {
      const a = await registerLearner();
      const b = await registerLearner();
      await send(a, progressEvent('guide.step', own.guideId, { stepId: own.stepIds[0] }));
      expect((await lessonProgress(b, own.guideId)).status).toBe('not_started');
      expect((await api('/api/v1/progress/me', { token: b.accessToken })).body.inProgress).toEqual([]);
      expectError(await api(`/api/v1/progress/lessons/${own.guideId}`), 401);
    });
  });
});

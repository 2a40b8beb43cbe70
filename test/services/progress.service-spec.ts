import { randomUUID } from 'node:crypto';
import { EnrolmentService } from '../../src/modules/learning/enrolment.service.js';
import { ProgressService, type EventReceipt } from '../../src/modules/learning/progress.service.js';
import { guideLesson } from '../factories/course.factory.js';
import type { TestUser } from '../factories/driver.js';
import { factoriesVia } from '../factories/index.js';
import { heartbeats, progressEvent, type LearnableCourse } from '../factories/learning.factory.js';
import { serviceDriver } from '../factories/service-driver.js';
import { serviceContext, type ServiceContext } from '../support/service-context.js';
import type { ProgressState } from '../../src/modules/learning/learning.repository.js';

/** The kinds' own states, as the rules below read them (video, guide, quiz). */
interface KindStates {
  watchedSeconds: number;
  durationSeconds: number | null;
  positionSeconds: number | null;
  stepsDone: string[];
  attemptTimes: Date[];
  bestScore: number | null;
  lastScore: number | null;
}

/**
 * Learner progress on ProgressService, online (`record`) and offline (`sync`), against the real
 * database: a published course with a video processed by the real worker, a guide and a quiz
 * (3 attempts, 60 s apart, pass mark 70).
 */
describe('ProgressService', () => {
  let ctx: ServiceContext;
  /** A second context of the same platform configured otherwise: 50 % of a video counts, 5 events a sync. */
  let lenient: ServiceContext;
  let progress: ProgressService;
  let f: ReturnType<typeof factoriesVia>;
  let course: LearnableCourse;
  let author: TestUser;
  /** Client times: an hour ago, plus seconds. */
  const base = Date.now() - 3_600_000;
  const at = (seconds: number) => new Date(base + seconds * 1000);

  const learner = () => f.registerLearner({ languages: ['vi'] });
  /** A learner's row with its kind's own state beside the columns (a quiz's attempt times as dates). */
  const stateOf = async (who: TestUser, lessonId: string, service = progress) => {
    const row = (await service.lessonProgress(who.id, lessonId)).state;
    if (!row) return null;
    const { state, ...columns } = row;
    const own = state as { attemptTimes?: string[] };
    return {
      ...columns,
      ...own,
      ...(own.attemptTimes && { attemptTimes: own.attemptTimes.map((t) => new Date(t)) }),
    } as Omit<ProgressState, 'state'> & KindStates;
  };
  const statuses = (receipts: EventReceipt[]) => receipts.map((r) => r.code ?? r.status);
  const watch = (from: number, to: number, fields: Record<string, unknown> = {}, seconds = from) =>
    progressEvent(
      'video.heartbeat',
      course.videoId,
      { intervals: [[from, to]], position: to, locale: 'vi', ...fields },
      at(seconds),
    );
  const attempt = (answers: unknown[], seconds: number) =>
    progressEvent('quiz.attempt', course.quizId, { answers }, at(seconds));
  const step = (stepId: string, seconds = 0) =>
    progressEvent('guide.step', course.guideId, { stepId }, at(seconds));

  beforeAll(async () => {
    [ctx, lenient] = await Promise.all([
      serviceContext(),
      serviceContext({ VIDEO_COMPLETION_PERCENT: '50', SYNC_MAX_EVENTS: '5' }),
    ]);
    progress = ctx.get(ProgressService);
    f = factoriesVia(serviceDriver(ctx));
    const [a, reviewer] = await Promise.all([
      f.userWithRoles([{ role: 'trainer' }]),
      f.userWithRoles([{ role: 'trainer' }]),
    ]);
    author = a;
    course = await f.learnableCourse(author, reviewer);
  });
  afterAll(async () => {
    await Promise.all([ctx?.close(), lenient?.close()]);
  });

  it('merges watched intervals and completes a video at the configured share of its duration, not by seeking', async () => {
    const me = await learner();
    const d = course.duration;
    const send = async (...events: object[]) => statuses((await progress.record(me.id, events)).receipts);

    expect(await send(watch(0, 4), watch(2, 6, {}, 2))).toEqual(['accepted', 'accepted']);
    expect(await stateOf(me, course.videoId)).toMatchObject({
      watchedSeconds: 6,
      durationSeconds: d,
      positionSeconds: 6,
      status: 'in_progress',
    });
    // Replaying a stretch adds nothing; a seek to the end moves the position, not the time watched.
    await send(watch(0, 6, {}, 10));
    await send(progressEvent('video.heartbeat', course.videoId, { position: d, locale: 'vi' }, at(12)));
    expect(await stateOf(me, course.videoId)).toMatchObject({
      watchedSeconds: 6,
      positionSeconds: d,
      status: 'in_progress',
    });

    const share = ctx.config.learning.videoCompletionShare;
    await send(watch(6, share * d - 0.5, {}, 20));
    expect((await stateOf(me, course.videoId))!.status).toBe('in_progress');
    await send(watch(share * d - 0.5, share * d + 0.1, {}, 30));
    const done = await stateOf(me, course.videoId);
    expect(done).toMatchObject({ status: 'completed' });
    expect(done!.watchedSeconds).toBeCloseTo(share * d + 0.1, 5);
    expect(done!.completedAt).toBeInstanceOf(Date);

    // Stretches past the end are clipped to the video.
    await send(watch(0, d + 50, {}, 40));
    expect((await stateOf(me, course.videoId))!.watchedSeconds).toBeCloseTo(d, 5);

    expect(
      await send(
        watch(0, 130, {}, 50),
        watch(5, 3, {}, 51),
        watch(0, 2, { locale: 'hmn' }, 52),
        progressEvent('video.heartbeat', course.guideId, { intervals: [[0, 2]] }, at(53)),
        progressEvent('video.heartbeat', course.videoId, {}, at(54)),
      ),
    ).toEqual([
      'EVENT_HEARTBEAT_TOO_LONG',
      'EVENT_INVALID',
      'EVENT_VIDEO_NOT_AVAILABLE',
      'EVENT_WRONG_LESSON_KIND',
      'EVENT_INVALID',
    ]);

    // The share is configuration: under VIDEO_COMPLETION_PERCENT=50, 60 % of the video counts.
    const [strictLearner, lenientLearner] = await Promise.all([learner(), learner()]);
    const sixty = [watch(0, 0.6 * d)];
    await progress.record(strictLearner.id, sixty);
    await lenient.get(ProgressService).record(lenientLearner.id, sixty);
    expect((await stateOf(strictLearner, course.videoId))!.status).toBe('in_progress');
    expect((await stateOf(lenientLearner, course.videoId))!.status).toBe('completed');
  });

  it('completes a guide once every step is acknowledged; unknown steps are refused and repeats change nothing', async () => {
    const me = await learner();
    const [s1, s2, s3] = course.stepIds;
    const send = async (...events: object[]) => statuses((await progress.record(me.id, events)).receipts);

    expect(await send(step(s1), step(s1, 1), step(randomUUID(), 2))).toEqual([
      'accepted',
      'accepted',
      'EVENT_UNKNOWN_STEP',
    ]);
    expect(await send(progressEvent('guide.step', course.guideId, {}, at(3)))).toEqual(['EVENT_INVALID']);
    expect(await stateOf(me, course.guideId)).toMatchObject({
      stepsDone: [s1],
      status: 'in_progress',
      events: 2,
    });
    await send(step(s3, 4));
    expect((await stateOf(me, course.guideId))!.status).toBe('in_progress');
    await send(step(s2, 5));
    expect(await stateOf(me, course.guideId)).toMatchObject({ status: 'completed', events: 4 });
    expect([...(await stateOf(me, course.guideId))!.stepsDone].sort()).toEqual([s1, s2, s3].sort());
  });

  it('grades quiz attempts on the server, keeps the best score, and allows three attempts', async () => {
    const me = await learner();
    const first = await progress.record(me.id, [attempt(course.wrongAnswers, 0)]);
    expect(first.receipts[0]).toMatchObject({ status: 'accepted', quiz: { score: 0, passed: false } });
    expect(first.lessons.get(course.quizId)?.state).toMatchObject({
      status: 'in_progress',
      state: { bestScore: 0 },
    });

    const second = await progress.record(me.id, [attempt(course.rightAnswers, 120)]);
    expect(second.receipts[0]).toMatchObject({ status: 'accepted', quiz: { score: 100, passed: true } });
    await progress.record(me.id, [attempt(course.wrongAnswers, 240)]);
    expect(await stateOf(me, course.quizId)).toMatchObject({
      status: 'completed',
      bestScore: 100,
      lastScore: 0,
      attemptTimes: [at(0), at(120), at(240)],
    });

    const fourth = await progress.record(me.id, [attempt(course.rightAnswers, 360)]);
    expect(fourth.receipts[0]).toMatchObject({
      status: 'rejected',
      code: 'QUIZ_NO_ATTEMPTS_LEFT',
      details: { maxAttempts: 3 },
    });
    const unknownQuestion = [{ questionId: randomUUID(), answer: true }];
    expect(statuses((await progress.record(me.id, [attempt(unknownQuestion, 480)])).receipts)).toEqual([
      'EVENT_INVALID_ANSWERS',
    ]);
    expect((await stateOf(me, course.quizId))!.attemptTimes).toHaveLength(3);
  });

  it('keeps quiz attempts 60 s apart by their client times, in whatever order they arrive', async () => {
    const me = await learner();
    const send = async (...events: object[]) => (await progress.sync(me.id, events)).receipts;
    const t = 1000;

    expect(statuses(await send(attempt(course.wrongAnswers, t)))).toEqual(['accepted']);
    const tooSoon = await send(attempt(course.wrongAnswers, t + 30));
    expect(tooSoon[0]).toMatchObject({
      code: 'QUIZ_COOLDOWN',
      details: { cooldownSeconds: 60, retryAt: at(t + 60).toISOString() },
    });
    // Arriving later but made earlier: too close before the first attempt is refused too…
    expect(statuses(await send(attempt(course.wrongAnswers, t - 30)))).toEqual(['QUIZ_COOLDOWN']);
    // …far enough before it counts.
    expect(statuses(await send(attempt(course.wrongAnswers, t - 90)))).toEqual(['accepted']);
    expect((await stateOf(me, course.quizId))!.attemptTimes).toEqual([at(t - 90), at(t)]);

    // In one batch the events are decided in client-time order; receipts keep the order sent.
    const other = await learner();
    const batch = [
      attempt(course.wrongAnswers, t + 30),
      attempt(course.rightAnswers, t + 90),
      attempt(course.wrongAnswers, t),
    ];
    expect(statuses((await progress.sync(other.id, batch)).receipts)).toEqual([
      'QUIZ_COOLDOWN',
      'accepted',
      'accepted',
    ]);
    expect(await stateOf(other, course.quizId)).toMatchObject({
      attemptTimes: [at(t), at(t + 90)],
      bestScore: 100,
      status: 'completed',
    });
  });

  it('answers a replayed batch with duplicates and changes nothing; event ids are per learner', async () => {
    const me = await learner();
    const batch = [
      ...heartbeats(course.videoId, 0, 8, 4, base),
      step(course.stepIds[0], 20),
      attempt(course.wrongAnswers, 30),
    ];
    const first = await progress.sync(me.id, [...batch, batch[0]]);
    expect(statuses(first.receipts)).toEqual([...batch.map(() => 'accepted'), 'duplicate']);
    const before = await Promise.all(
      [course.videoId, course.guideId, course.quizId].map((l) => stateOf(me, l)),
    );

    const replay = await progress.sync(me.id, batch);
    expect(statuses(replay.receipts)).toEqual(batch.map(() => 'duplicate'));
    expect(replay.completions).toEqual([]);
    const after = await Promise.all(
      [course.videoId, course.guideId, course.quizId].map((l) => stateOf(me, l)),
    );
    expect(after).toEqual(before);
    expect(after.map((s) => s!.events)).toEqual([2, 1, 1]);

    // The same client ids from another learner are that learner's own events.
    const someoneElse = await learner();
    expect(statuses((await progress.sync(someoneElse.id, batch)).receipts)).toEqual(
      batch.map(() => 'accepted'),
    );
  });

  it('ends in the same state whatever the order and batching of the same events', async () => {
    const d = course.duration;
    const events = [
      watch(0, 3, {}, 0),
      watch(2, 7, {}, 10),
      progressEvent('video.heartbeat', course.videoId, { position: 5, locale: 'vi' }, at(20)),
      watch(7, d, {}, 30),
      ...course.stepIds.map((s, i) => step(s, 40 + i)),
      attempt(course.wrongAnswers, 100),
      attempt(course.rightAnswers, 200),
    ];
    const shuffled = [...events].reverse();
    const inOrder = await learner();
    const reversed = await learner();
    const oneByOne = await learner();
    await progress.sync(inOrder.id, events);
    await progress.sync(reversed.id, shuffled.slice(0, 4));
    await progress.sync(reversed.id, shuffled.slice(4));
    for (const e of shuffled) await progress.record(oneByOne.id, [e]);

    // What the learner did, not when the server heard of it.
    const summary = async (who: TestUser, lessonId: string) => {
      const { completedAt: _c, ...rest } = (await stateOf(who, lessonId))!;
      return { ...rest, ...(rest.stepsDone && { stepsDone: [...rest.stepsDone].sort() }) };
    };
    for (const lessonId of [course.videoId, course.guideId]) {
      const expected = await summary(inOrder, lessonId);
      expect(expected.status).toBe('completed');
      expect(await summary(reversed, lessonId)).toEqual(expected);
      expect(await summary(oneByOne, lessonId)).toEqual(expected);
    }
    expect((await stateOf(inOrder, course.videoId))!.positionSeconds).toBe(d);
    const quiz = async (who: TestUser) => {
      const { attemptTimes, bestScore, status, events } = (await stateOf(who, course.quizId))!;
      return { attemptTimes, bestScore, status, events };
    };
    expect(await quiz(inOrder)).toEqual({
      attemptTimes: [at(100), at(200)],
      bestScore: 100,
      status: 'completed',
      events: 2,
    });
    expect(await quiz(reversed)).toEqual(await quiz(inOrder));
    expect(await quiz(oneByOne)).toEqual(await quiz(inOrder));
  });

  it('completes the course once, with its version, language and quiz average, even when its last events race', async () => {
    const enrolments = ctx.get(EnrolmentService);
    const all = () => [
      watch(0, course.duration, {}, 0),
      ...course.stepIds.map((s, i) => step(s, 10 + i)),
      attempt(course.rightAnswers, 30),
    ];
    const me = await learner();
    await enrolments.enrolSelf(me.id, course.courseId);
    const done = await progress.sync(me.id, all());
    expect(done.completions).toEqual([
      expect.objectContaining({ courseId: course.courseId, version: 1, locale: 'vi', averageQuizScore: 100 }),
    ]);
    expect(
      (await progress.sync(me.id, [watch(0, 5, {}, 60), attempt(course.wrongAnswers, 120)])).completions,
    ).toEqual([]);
    expect((await enrolments.completionsOf(me.id)).map((c) => c.courseId)).toEqual([course.courseId]);
    expect((await enrolments.myLearning(me.id)).completed.map((c) => c.courseId)).toEqual([course.courseId]);

    // The last two lessons finished by two requests at once, and the same batch sent twice at once.
    const racer = await learner();
    const [video, ...rest] = all();
    await progress.sync(racer.id, [video, ...rest.slice(0, 2)]);
    const racing = await Promise.all([
      progress.sync(racer.id, [rest[2]]),
      progress.sync(racer.id, [rest[3]]),
      progress.sync(racer.id, [rest[2], rest[3]]),
    ]);
    expect(racing.flatMap((r) => r.completions)).toHaveLength(1);
    expect(await enrolments.completionsOf(racer.id)).toHaveLength(1);
  });

  it('refuses events about lessons learners cannot have, and from clocks that cannot be right', async () => {
    const me = await learner();
    // A course still in draft: its lessons are not learnable yet.
    const draftId = await f.createCourse(author.accessToken);
    await f.addLessons(author.accessToken, draftId, [guideLesson]);
    const [draftGuide] = await serviceDriver(ctx).lessons(author.accessToken, draftId, 1);
    const receipts = (
      await progress.sync(me.id, [
        progressEvent('guide.step', randomUUID(), { stepId: course.stepIds[0] }),
        progressEvent('guide.step', draftGuide.id, { stepId: draftGuide.content.steps[0].id }),
        progressEvent(
          'guide.step',
          course.guideId,
          { stepId: course.stepIds[0] },
          new Date(Date.now() + 3_600_000),
        ),
        progressEvent(
          'guide.step',
          course.guideId,
          { stepId: course.stepIds[0] },
          new Date('2023-12-31T00:00:00Z'),
        ),
        { type: 'guide.step', lessonId: course.guideId },
        step(course.stepIds[0]),
      ])
    ).receipts;
    expect(statuses(receipts)).toEqual([
      'EVENT_LESSON_NOT_FOUND',
      'EVENT_LESSON_NOT_FOUND',
      'EVENT_IN_FUTURE',
      'EVENT_INVALID',
      'EVENT_INVALID',
      'accepted',
    ]);
    expect(receipts[4].id).toBeNull();
  });

  it('bounds a sync batch by configuration and stores nothing of a refused one', async () => {
    const me = await learner();
    const service = lenient.get(ProgressService);
    const six = heartbeats(course.videoId, 0, 12, 2, base);
    await expect(service.sync(me.id, six)).rejects.toMatchObject({
      code: 'SYNC_BATCH_TOO_LARGE',
      details: { max: 5, received: 6 },
    });
    expect(await stateOf(me, course.videoId, service)).toBeNull();
    expect(statuses((await service.sync(me.id, six.slice(0, 5))).receipts)).toEqual(
      six.slice(0, 5).map(() => 'accepted'),
    );
    // The online path takes what the controller hands it (one event at a time) without that bound.
    expect(statuses((await service.record(me.id, six)).receipts)).toEqual([
      ...six.slice(0, 5).map(() => 'duplicate'),
      'accepted',
    ]);
  });
});

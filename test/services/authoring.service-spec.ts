import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuthoringService } from '../../src/modules/authoring/authoring.service.js';
import {
  CreateCourseDto,
  CreateLessonDto,
  UpdateDraftDto,
  UpdateLessonDto,
} from '../../src/modules/authoring/dto/authoring.dto.js';
import { CourseCatalogService } from '../../src/modules/catalog/course-catalog.service.js';
import { LearnableContentService } from '../../src/modules/catalog/learnable-content.service.js';
import type { Principal } from '../../src/infrastructure/auth/roles.js';
import { EnrolmentService } from '../../src/modules/learning/enrolment.service.js';
import { MediaService } from '../../src/modules/media/media.service.js';
import { Buckets } from '../../src/infrastructure/storage/storage-keys.js';
import { StorageService } from '../../src/infrastructure/storage/storage.service.js';
import { courseInput, guideLesson, quizLesson, videoLesson } from '../factories/course.factory.js';
import type { TestUser } from '../factories/driver.js';
import { factoriesVia } from '../factories/index.js';
import { serviceDriver } from '../factories/service-driver.js';
import { sampleVideo } from '../support/media.js';
import { input, serviceContext, type ServiceContext } from '../support/service-context.js';

/**
 * The authoring workflow where it lives: AuthoringService, called the way its controller calls it,
 * on the real database. Refusals are checked by their error code.
 */
/** Until some statement of this database waits for a lock (the race the test stages). */
async function waitForLockWaiter(db: DataSource) {
  for (let i = 0; i < 200; i++) {
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (n > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('nothing waited for the lock');
}

describe('AuthoringService', () => {
  let ctx: ServiceContext;
  let authoring: AuthoringService;
  let f: ReturnType<typeof factoriesVia>;
  let groups: { id: string; code: string }[];
  let author: TestUser;
  let reviewer: TestUser;
  let other: TestUser;
  let learner: TestUser;
  /** Principals as the auth guard makes them. */
  const who = {} as Record<'author' | 'reviewer' | 'other' | 'learner' | 'admin', Principal>;

  beforeAll(async () => {
    ctx = await serviceContext();
    authoring = ctx.get(AuthoringService);
    f = factoriesVia(serviceDriver(ctx));
    [author, reviewer, other, learner] = await Promise.all([
      f.userWithRoles([{ role: 'trainer' }]),
      f.userWithRoles([{ role: 'trainer' }]),
      f.userWithRoles([{ role: 'trainer' }]),
      f.registerLearner(),
    ]);
    who.author = await ctx.principal(author);
    who.reviewer = await ctx.principal(reviewer);
    who.other = await ctx.principal(other);
    who.learner = await ctx.principal(learner);
    who.admin = await ctx.principal({ accessToken: await f.adminAccessToken() });
    groups = await serviceDriver(ctx).learnerGroups();
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const newCourse = async (by: Principal = who.author, overrides: Record<string, unknown> = {}) =>
    authoring.createCourse(await input(CreateCourseDto, courseInput(groups, overrides)), by);
  const addLesson = async (courseId: string, lesson: object, by: Principal = who.author) =>
    authoring.addLesson(courseId, await input(CreateLessonDto, lesson), by);
  const lessonsOf = async (courseId: string, version = 1, by: Principal = who.author) =>
    (await authoring.readableVersion(courseId, version, by)).lessons;
  const versionsOf = async (courseId: string) => (await authoring.history(courseId, who.author)).versions;
  /** A draft with a guide and a quiz, by the author. */
  const draftWithLessons = async () => {
    const { course } = await newCourse();
    await addLesson(course.id, guideLesson);
    await addLesson(course.id, quizLesson);
    return course.id;
  };

  it('creates a course with a first draft owned by its creator; refuses a taken slug and an unknown learner group', async () => {
    const slug = `tra-cuu-vneid-${Date.now().toString(36)}`;
    const { course, version } = await newCourse(who.author, { slug });
    expect(course).toMatchObject({ slug, ownerId: author.id, publishedVersionId: null });
    expect(version).toMatchObject({ version: 1, status: 'draft', createdBy: author.id });
    expect((await versionsOf(course.id)).map((v) => [v.version, v.status])).toEqual([[1, 'draft']]);
    expect((await lessonsOf(course.id)).length).toBe(0);

    const listed = async (by: Principal) => (await authoring.listMine(by)).map((c) => c.course.id);
    expect(await listed(who.author)).toContain(course.id);
    expect(await listed(who.admin)).toContain(course.id);
    expect(await listed(who.other)).not.toContain(course.id);

    await expect(newCourse(who.other, { slug })).rejects.toMatchObject({ code: 'AUTHORING_SLUG_TAKEN' });
    await expect(newCourse(who.author, { learnerGroupIds: [randomUUID()] })).rejects.toMatchObject({
      code: 'AUTHORING_UNKNOWN_LEARNER_GROUP',
    });
    await expect(authoring.readableVersion(course.id, 2, who.author)).rejects.toMatchObject({
      code: 'AUTHORING_VERSION_NOT_FOUND',
    });
    await expect(authoring.history(randomUUID(), who.author)).rejects.toMatchObject({
      code: 'CATALOG_COURSE_NOT_FOUND',
    });
  });

  it('merges draft texts by language, drops the languages being replaced, and lets only the owner or an admin edit', async () => {
    const { course } = await newCourse();
    const edit = async (body: object, by: Principal = who.author, replacing: string[] = []) =>
      authoring.updateDraft(course.id, await input(UpdateDraftDto, body), by, replacing);
    const draft = async () => (await authoring.readableVersion(course.id, 1, who.author)).version;

    // The API sends only the languages it changes; the others stay.
    expect(await edit({ summary: { hmn: 'Rau cov laus nyob Bát Xát' }, topic: 'online-safety' })).toBe(1);
    expect(await draft()).toMatchObject({
      summary: {
        vi: 'Cho người cao tuổi ở Bát Xát: trả tiền điện không cần ra bưu điện.',
        hmn: 'Rau cov laus nyob Bát Xát',
      },
      topic: 'online-safety',
    });
    await edit({ title: { vi: 'Trả tiền điện bằng điện thoại' } });
    expect((await draft()).title).toEqual({
      vi: 'Trả tiền điện bằng điện thoại',
      hmn: 'Them nqi hluav taws xob hauv xov tooj',
    });
    // The side-by-side editor replaces languages as a whole: one it leaves out is cleared.
    await edit({ title: { vi: 'Trả tiền điện bằng điện thoại' } }, who.author, ['vi', 'hmn']);
    expect((await draft()).title).toEqual({ vi: 'Trả tiền điện bằng điện thoại' });

    await expect(edit({ summary: { vi: 'Sửa trộm' } }, who.other)).rejects.toMatchObject({
      code: 'AUTHORING_NOT_OWNER',
    });
    await expect(edit({ summary: { vi: 'Sửa trộm' } }, who.learner)).rejects.toMatchObject({
      code: 'AUTHORING_NOT_OWNER',
    });
    await expect(edit({ learnerGroupIds: [randomUUID()] })).rejects.toMatchObject({
      code: 'AUTHORING_UNKNOWN_LEARNER_GROUP',
    });
    expect((await draft()).summary).toMatchObject({ hmn: 'Rau cov laus nyob Bát Xát' });

    await edit({ summary: { hmn: 'Rau cov laus' } }, who.admin);
    expect((await draft()).summary).toMatchObject({ hmn: 'Rau cov laus' });
  });

  it('adds, updates, removes and reorders the lessons of the draft', async () => {
    const { course } = await newCourse();
    for (const lesson of [guideLesson, quizLesson, videoLesson])
      expect(await addLesson(course.id, lesson)).toBe(1);
    let lessons = await lessonsOf(course.id);
    expect(lessons.map((l) => [l.position, l.kind])).toEqual([
      [1, 'guide'],
      [2, 'quiz'],
      [3, 'video'],
    ]);
    const [guide, quiz, video] = lessons;
    // Steps, questions and options get ids; the author keeps the answer keys.
    expect(guide.content.steps).toHaveLength(3);
    expect((guide.content.steps as { id: string }[]).every((s) => typeof s.id === 'string')).toBe(true);
    expect(quiz.content).toMatchObject({ passMark: 70, maxAttempts: 3, cooldownSeconds: 60 });
    const single = (quiz.content.questions as unknown[])[0] as { options: { correct: boolean }[] };
    expect(single.options.map((o) => o.correct)).toEqual([true, false]);

    // Content is checked per kind; a refused lesson leaves the draft as it was.
    const twoRight = structuredClone(quizLesson);
    twoRight.content.questions[0].options![1].correct = true;
    await expect(addLesson(course.id, twoRight)).rejects.toMatchObject({
      code: 'CATALOG_INVALID_LESSON_CONTENT',
    });
    await expect(
      addLesson(course.id, { ...videoLesson, content: { url: 'http://x' } }),
    ).rejects.toMatchObject({ code: 'CATALOG_INVALID_LESSON_CONTENT' });
    expect(await lessonsOf(course.id)).toHaveLength(3);

    const update = async (lessonKey: string, body: object, replacing: string[] = []) =>
      authoring.updateLesson(course.id, lessonKey, await input(UpdateLessonDto, body), who.author, replacing);
    await update(guide.lessonKey, { title: { vi: 'Cài ứng dụng EVN' }, required: false });
    lessons = await lessonsOf(course.id);
    expect(lessons[0]).toMatchObject({
      title: { vi: 'Cài ứng dụng EVN', hmn: guideLesson.title.hmn },
      required: false,
      lessonKey: guide.lessonKey,
    });
    await update(guide.lessonKey, { title: { vi: 'Cài ứng dụng EVN' } }, ['vi', 'hmn']);
    expect((await lessonsOf(course.id))[0].title).toEqual({ vi: 'Cài ứng dụng EVN' });
    await update(quiz.lessonKey, { content: { ...quizLesson.content, passMark: 50 } });
    expect((await lessonsOf(course.id))[1].content.passMark).toBe(50);
    await expect(update(randomUUID(), { required: true })).rejects.toMatchObject({
      code: 'AUTHORING_LESSON_NOT_FOUND',
    });

    const reorder = (keys: string[]) => authoring.reorderLessons(course.id, keys, who.author);
    await reorder([video.lessonKey, guide.lessonKey, quiz.lessonKey]);
    expect((await lessonsOf(course.id)).map((l) => [l.position, l.kind])).toEqual([
      [1, 'video'],
      [2, 'guide'],
      [3, 'quiz'],
    ]);
    for (const bad of [
      [video.lessonKey, guide.lessonKey],
      [video.lessonKey, guide.lessonKey, randomUUID()],
      [video.lessonKey, guide.lessonKey, quiz.lessonKey, randomUUID()],
    ]) {
      await expect(reorder(bad)).rejects.toMatchObject({ code: 'AUTHORING_BAD_LESSON_ORDER' });
    }

    await authoring.removeLesson(course.id, guide.lessonKey, who.author);
    expect((await lessonsOf(course.id)).map((l) => [l.position, l.lessonKey])).toEqual([
      [1, video.lessonKey],
      [2, quiz.lessonKey],
    ]);
    await expect(authoring.removeLesson(course.id, guide.lessonKey, who.author)).rejects.toMatchObject({
      code: 'AUTHORING_LESSON_NOT_FOUND',
    });
    await expect(authoring.removeLesson(course.id, quiz.lessonKey, who.other)).rejects.toMatchObject({
      code: 'AUTHORING_NOT_OWNER',
    });
  });

  it('submits a draft that has lessons and locks it while in review; the owner withdraws it to edit again', async () => {
    const { course } = await newCourse();
    await expect(authoring.submit(course.id, who.author)).rejects.toMatchObject({
      code: 'AUTHORING_EMPTY_COURSE',
    });
    await addLesson(course.id, guideLesson);
    const [guide] = await lessonsOf(course.id);
    await expect(authoring.readableVersion(course.id, 1, who.other)).rejects.toMatchObject({
      code: 'AUTHORING_NOT_OWNER',
    });
    await expect(authoring.submit(course.id, who.other)).rejects.toMatchObject({
      code: 'AUTHORING_NOT_OWNER',
    });

    expect(await authoring.submit(course.id, who.author)).toBe(1);
    const [submitted] = await versionsOf(course.id);
    expect(submitted).toMatchObject({ status: 'in_review', submittedBy: author.id });
    expect(submitted.submittedAt).toBeInstanceOf(Date);
    // Other trainers may read a version in review (to review it).
    expect(await lessonsOf(course.id, 1, who.other)).toHaveLength(1);

    const locked = { code: 'AUTHORING_VERSION_LOCKED' };
    await expect(addLesson(course.id, quizLesson)).rejects.toMatchObject(locked);
    await expect(
      authoring.updateDraft(course.id, await input(UpdateDraftDto, { topic: 'online-safety' }), who.author),
    ).rejects.toMatchObject(locked);
    await expect(
      authoring.updateLesson(
        course.id,
        guide.lessonKey,
        await input(UpdateLessonDto, { required: false }),
        who.author,
      ),
    ).rejects.toMatchObject(locked);
    await expect(authoring.removeLesson(course.id, guide.lessonKey, who.author)).rejects.toMatchObject(
      locked,
    );
    await expect(authoring.reorderLessons(course.id, [guide.lessonKey], who.author)).rejects.toMatchObject(
      locked,
    );
    await expect(authoring.submit(course.id, who.author)).rejects.toMatchObject(locked);
    expect(await lessonsOf(course.id)).toHaveLength(1);

    await expect(authoring.withdraw(course.id, who.other)).rejects.toMatchObject({
      code: 'AUTHORING_NOT_OWNER',
    });
    expect(await authoring.withdraw(course.id, who.author)).toBe(1);
    expect((await versionsOf(course.id))[0].status).toBe('draft');
    await expect(authoring.withdraw(course.id, who.author)).rejects.toMatchObject({
      code: 'AUTHORING_NOT_IN_REVIEW',
    });
    await expect(authoring.publish(course.id, who.reviewer)).rejects.toMatchObject({
      code: 'AUTHORING_NOT_IN_REVIEW',
    });
    expect(await addLesson(course.id, quizLesson)).toBe(1);
    expect(await lessonsOf(course.id)).toHaveLength(2);
  });

  it('refuses to submit a video that failed processing, naming the lesson and language, until it is detached', async () => {
    const driver = serviceDriver(ctx);
    const media = ctx.get(MediaService);
    const { course } = await newCourse();
    await addLesson(course.id, videoLesson);
    await addLesson(course.id, guideLesson);
    const [lesson] = await lessonsOf(course.id);
    const mediaId = await driver.uploadVideo(
      author.accessToken,
      await sampleVideo({ seconds: 2, width: 320, height: 180 }),
    );
    expect((await driver.processedVideo(author.accessToken, mediaId)).status).toBe('ready');
    await authoring.attachMedia(course.id, lesson.lessonKey, 'hmn', mediaId, who.author);

    // The original is lost from storage, then processed again: the worker fails it, with a reason.
    await ctx
      .get(StorageService)
      .remove(Buckets.media, (await media.ownAsset(mediaId, who.author)).sourceKey!);
    await media.reprocess(mediaId, who.author);
    expect(await driver.processedVideo(author.accessToken, mediaId)).toMatchObject({
      status: 'failed',
      failure: { code: 'MEDIA_SOURCE_MISSING' },
    });
    await expect(authoring.submit(course.id, who.author)).rejects.toMatchObject({
      code: 'AUTHORING_MEDIA_NOT_USABLE',
      details: { videos: [{ lessonKey: lesson.lessonKey, locale: 'hmn', status: 'failed' }] },
    });
    expect((await versionsOf(course.id))[0].status).toBe('draft');

    await authoring.detachMedia(course.id, lesson.lessonKey, 'hmn', who.author);
    expect(await authoring.submit(course.id, who.author)).toBe(1);
  });

  it('never lets an edit land in a version once it is in review, even one racing the submission', async () => {
    const db = ctx.get(DataSource);
    const courseId = await draftWithLessons();
    const [lesson] = await lessonsOf(courseId);
    const [{ id: versionId }] = await versionsOf(courseId);

    // A submission in flight holds the version's row while the admin's edit arrives: the edit
    // waits for it, then finds the version in review and is refused, leaving no trace.
    const submission = db.createQueryRunner();
    await submission.connect();
    await submission.startTransaction();
    await submission.query(`SELECT 1 FROM course_versions WHERE id = $1 FOR UPDATE`, [versionId]);
    const edit = authoring.updateLesson(
      courseId,
      lesson.lessonKey,
      await input(UpdateLessonDto, { title: { vi: 'Sửa muộn' } }),
      who.admin,
    );
    const settled = edit.then(
      () => null,
      (e: { code?: string }) => e,
    );
    await waitForLockWaiter(db);
    await submission.query(
      `UPDATE course_versions SET status = 'in_review', submitted_by = $2, submitted_at = now() WHERE id = $1`,
      [versionId, author.id],
    );
    await submission.commitTransaction();
    await submission.release();
    expect(await settled).toMatchObject({ code: 'AUTHORING_VERSION_LOCKED' });
    const [after] = await lessonsOf(courseId);
    expect(after.title).toEqual(lesson.title);
    expect((await versionsOf(courseId))[0].contributors ?? []).not.toContain((await who.admin).userId);

    // Below the service, the database itself refuses a lesson or text change in review…
    const bs002 = { driverError: { code: 'BS002' } };
    await expect(
      db.query(`UPDATE lessons SET required = false WHERE id = $1`, [lesson.id]),
    ).rejects.toMatchObject(bs002);
    await expect(
      db.query(`UPDATE course_versions SET topic = 'other' WHERE id = $1`, [versionId]),
    ).rejects.toMatchObject(bs002);
    // …and a lesson write that waited for a submission sees its outcome.
    await authoring.withdraw(courseId, who.author);
    const slowSubmit = db.createQueryRunner();
    await slowSubmit.connect();
    await slowSubmit.startTransaction();
    await slowSubmit.query(`UPDATE course_versions SET status = 'in_review' WHERE id = $1`, [versionId]);
    const write = db.query(`UPDATE lessons SET required = false WHERE id = $1`, [lesson.id]).then(
      () => null,
      (e: unknown) => e,
    );
    await waitForLockWaiter(db);
    await slowSubmit.commitTransaction();
    await slowSubmit.release();
    expect(await write).toMatchObject(bs002);
  });

  it('makes nobody a contributor by an edit it refused', async () => {
    const courseId = await draftWithLessons();
    const [guide] = await lessonsOf(courseId);
    await expect(
      authoring.putSubtitles(
        courseId,
        guide.lessonKey,
        'vi',
        'WEBVTT\n\n00:00.000 --> 00:01.000\nx',
        who.admin,
      ),
    ).rejects.toMatchObject({ code: 'AUTHORING_NOT_A_VIDEO' });
    await expect(
      authoring.updateDraft(
        courseId,
        await input(UpdateDraftDto, { learnerGroupIds: [randomUUID()] }),
        who.admin,
      ),
    ).rejects.toMatchObject({ code: 'AUTHORING_UNKNOWN_LEARNER_GROUP' });
    await authoring.submit(courseId, who.author);
    // The admin touched nothing, so they may review it.
    expect(await authoring.publish(courseId, who.admin)).toBe(1);
  });

  it('publishes only by a second person: whoever created, edited or submitted the version is refused', async () => {
    const fourEyes = { code: 'AUTHORING_FOUR_EYES' };
    const inQueue = async (by: Principal) => (await authoring.reviewQueue(by)).map((v) => v.courseId);

    // Created and submitted by the author; edited by the admin.
    const edited = await draftWithLessons();
    await authoring.updateDraft(
      edited,
      await input(UpdateDraftDto, { summary: { hmn: 'Rau cov laus' } }),
      who.admin,
    );
    await authoring.submit(edited, who.author);
    await expect(authoring.publish(edited, who.author)).rejects.toMatchObject(fourEyes);
    await expect(authoring.publish(edited, who.admin)).rejects.toMatchObject(fourEyes);
    await expect(authoring.reject(edited, 'Thiếu bản dịch', who.admin)).rejects.toMatchObject(fourEyes);
    await expect(authoring.publish(edited, who.learner)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await inQueue(who.reviewer)).toContain(edited);
    expect(await inQueue(who.author)).not.toContain(edited);
    expect(await inQueue(who.admin)).not.toContain(edited);

    // Created by the author; submitted by the admin.
    const submitted = await draftWithLessons();
    await authoring.submit(submitted, who.admin);
    await expect(authoring.publish(submitted, who.author)).rejects.toMatchObject(fourEyes);
    await expect(authoring.publish(submitted, who.admin)).rejects.toMatchObject(fourEyes);

    // Reading a version in review does not count as a hand in it.
    expect(await lessonsOf(edited, 1, who.reviewer)).toHaveLength(2);
    expect(await authoring.publish(edited, who.reviewer)).toBe(1);
    expect(await authoring.publish(submitted, who.other)).toBe(1);
    expect((await versionsOf(edited))[0]).toMatchObject({ status: 'published', publishedBy: reviewer.id });
    expect((await versionsOf(submitted))[0]).toMatchObject({ status: 'published', publishedBy: other.id });
    expect(await inQueue(who.reviewer)).not.toContain(edited);
    await expect(authoring.publish(edited, who.other)).rejects.toMatchObject({
      code: 'AUTHORING_NOT_IN_REVIEW',
    });
  });

  it('sends a rejected version back to its author as a draft with the reason; learners see nothing until it is published', async () => {
    const courseId = await draftWithLessons();
    const catalog = ctx.get(CourseCatalogService);
    await authoring.submit(courseId, who.author);
    await expect(authoring.reject(courseId, 'Tự duyệt', who.author)).rejects.toMatchObject({
      code: 'AUTHORING_FOUR_EYES',
    });
    const reason = "Bước 3 thiếu bản dịch tiếng H'Mông.";
    expect(await authoring.reject(courseId, reason, who.reviewer)).toBe(1);
    expect((await versionsOf(courseId))[0]).toMatchObject({ status: 'draft', reviewNote: reason });
    await expect(catalog.detail(courseId)).rejects.toMatchObject({ code: 'CATALOG_COURSE_NOT_FOUND' });
    expect(await ctx.get(LearnableContentService).courseForLearners(courseId)).toBeNull();

    // The author fixes it and submits again: the note is cleared, and the reviewer may publish.
    const [guide] = await lessonsOf(courseId);
    await authoring.updateLesson(
      courseId,
      guide.lessonKey,
      await input(UpdateLessonDto, { summary: { hmn: 'Tsib kauj ruam' } }),
      who.author,
    );
    await authoring.submit(courseId, who.author);
    expect((await versionsOf(courseId))[0]).toMatchObject({ status: 'in_review', reviewNote: null });
    await authoring.publish(courseId, who.reviewer);
    const shown = await catalog.detail(courseId);
    expect(shown).toMatchObject({ version: 1, lessonCount: 2 });
  });

  it('publishes once when two reviewers publish at the same moment', async () => {
    const courseId = await draftWithLessons();
    await authoring.submit(courseId, who.author);
    const reviewers = [who.reviewer, who.other, who.admin];
    const results = await Promise.allSettled(reviewers.map((r) => authoring.publish(courseId, r)));
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [reviewers[i]] : []));
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(['AUTHORING_CONFLICT', 'AUTHORING_NOT_IN_REVIEW']).toContain(r.reason.code);
      }
    }
    const versions = await versionsOf(courseId);
    expect(versions.map((v) => [v.version, v.status, v.publishedBy])).toEqual([
      [1, 'published', won[0].userId],
    ]);
  });

  it('never changes a published version: edits go to a new draft version, and learners keep the published one until it replaces it', async () => {
    const courseId = await draftWithLessons();
    await f.publishCourse(author.accessToken, reviewer.accessToken, courseId);
    const catalog = ctx.get(CourseCatalogService);
    const v1 = await lessonsOf(courseId, 1);

    await expect(addLesson(courseId, videoLesson)).rejects.toMatchObject({ code: 'AUTHORING_NO_DRAFT' });
    await expect(
      authoring.updateLesson(
        courseId,
        v1[0].lessonKey,
        await input(UpdateLessonDto, { required: false }),
        who.author,
      ),
    ).rejects.toMatchObject({ code: 'AUTHORING_NO_DRAFT' });
    await expect(authoring.startNewDraft(courseId, who.other)).rejects.toMatchObject({
      code: 'AUTHORING_NOT_OWNER',
    });

    const draft = await authoring.startNewDraft(courseId, who.author);
    expect(draft).toMatchObject({ version: 2, status: 'draft', createdBy: author.id });
    await expect(authoring.startNewDraft(courseId, who.author)).rejects.toMatchObject({
      code: 'AUTHORING_DRAFT_EXISTS',
    });
    const v2 = await lessonsOf(courseId, 2);
    // The same lessons (by key) as new rows: version 1 keeps its own.
    expect(v2.map((l) => l.lessonKey)).toEqual(v1.map((l) => l.lessonKey));
    expect(v2.map((l) => l.id)).not.toEqual(expect.arrayContaining([v1[0].id]));

    await authoring.updateLesson(
      courseId,
      v2[0].lessonKey,
      await input(UpdateLessonDto, { title: { vi: 'Cài ứng dụng EVNNPC' } }),
      who.author,
    );
    await addLesson(courseId, videoLesson);
    expect((await lessonsOf(courseId, 1)).map((l) => l.title)).toEqual(v1.map((l) => l.title));
    expect(await catalog.detail(courseId)).toMatchObject({ version: 1, lessonCount: 2 });

    await f.publishCourse(author.accessToken, reviewer.accessToken, courseId);
    expect((await versionsOf(courseId)).map((v) => [v.version, v.status])).toEqual(
      expect.arrayContaining([
        [1, 'superseded'],
        [2, 'published'],
      ]),
    );
    const shown = await catalog.detail(courseId);
    expect(shown).toMatchObject({ version: 2, lessonCount: 3 });
    expect(shown.lessons[0].title).toMatchObject({ text: 'Cài ứng dụng EVNNPC' });
    expect((await ctx.get(LearnableContentService).courseForLearners(courseId))?.publishedVersionId).toBe(
      draft.id,
    );
    // Version 1 is still there for learners part-way through it.
    expect((await lessonsOf(courseId, 1)).map((l) => l.id)).toEqual(v1.map((l) => l.id));
  });

  it('archives instead of deleting: an archived course takes no new learners until it is unarchived', async () => {
    const courseId = await draftWithLessons();
    await f.publishCourse(author.accessToken, reviewer.accessToken, courseId);
    const enrolments = ctx.get(EnrolmentService);

    await expect(authoring.setArchived(courseId, true, who.other)).rejects.toMatchObject({
      code: 'AUTHORING_NOT_OWNER',
    });
    await authoring.setArchived(courseId, true, who.author);
    await expect(ctx.get(CourseCatalogService).detail(courseId)).rejects.toMatchObject({
      code: 'CATALOG_COURSE_NOT_FOUND',
    });
    await expect(enrolments.enrolSelf(learner.id, courseId)).rejects.toMatchObject({
      code: 'LEARNING_COURSE_NOT_AVAILABLE',
    });
    expect((await versionsOf(courseId))[0].status).toBe('published');

    await authoring.setArchived(courseId, false, who.admin);
    expect((await enrolments.enrolSelf(learner.id, courseId)).created).toBe(true);

    // A draft that was never published is discarded with its course.
    const { course } = await newCourse();
    expect(await authoring.discardDraft(course.id, who.author)).toBe('course');
    await expect(authoring.history(course.id, who.author)).rejects.toMatchObject({
      code: 'CATALOG_COURSE_NOT_FOUND',
    });
  });
});

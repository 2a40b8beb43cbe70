import pg from 'pg';
import {
  addLessons,
  createCourse,
  guideLesson,
  publishCourse,
  quizLesson,
  videoLesson,
} from './factories/course.factory.js';
import { adminAccessToken, registerLearner, userWithRoles, type TestUser } from './factories/user.factory.js';
import { api, expectError, testEnv } from './support/api.js';

describe('authoring', () => {
  let a: TestUser; // trainer, author
  let b: TestUser; // another trainer, reviewer
  let learner: TestUser;
  let admin: string;

  beforeAll(async () => {
    [a, b, learner] = await Promise.all([
      userWithRoles([{ role: 'trainer' }]),
      userWithRoles([{ role: 'trainer' }]),
      registerLearner(),
    ]);
    admin = await adminAccessToken();
  });

  it('creates a course with a first draft; slugs are unique; learners cannot author', async () => {
    const courseId = await createCourse(a.accessToken, { slug: `tien-dien-${Date.now()}` });
    const history = await api(`/api/v1/authoring/courses/${courseId}`, { token: a.accessToken });
    expect(history.body.versions).toEqual([expect.objectContaining({ version: 1, status: 'draft' })]);
    expect(history.body.publishedVersion).toBeNull();
    expectError(
      await api('/api/v1/authoring/courses', {
        token: a.accessToken,
        body: { ...history.body, slug: history.body.slug },
      }),
      400,
      'VALIDATION_FAILED',
    );
    const dupe = await api('/api/v1/authoring/courses', {
      token: b.accessToken,
      body: {
        slug: history.body.slug,
        topic: 'vneid',
        learnerGroupIds: [(await api('/api/v1/learner-groups')).body[0].id],
        title: { vi: 'Trùng địa chỉ' },
      },
    });
    expectError(dupe, 409, 'AUTHORING_SLUG_TAKEN');
    expectError(
      await api('/api/v1/authoring/courses', { token: learner.accessToken, body: {} }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api('/api/v1/authoring/courses', {
        token: a.accessToken,
        body: {
          slug: 'nhom-khong-co',
          topic: 'vneid',
          learnerGroupIds: ['00000000-0000-4000-8000-000000000000'],
          title: { vi: 'X' },
        },
      }),
      400,
      'AUTHORING_UNKNOWN_LEARNER_GROUP',
    );
  });

  it('validates lesson content per kind and keeps answer keys for authors', async () => {
    const courseId = await createCourse(a.accessToken);
    const bad = structuredClone(quizLesson);
    (bad.content.questions[0] as { options: { correct: boolean }[] }).options[1].correct = true;
    const res = await api(`/api/v1/authoring/courses/${courseId}/draft/lessons`, {
      token: a.accessToken,
      body: bad,
    });
    expectError(res, 400, 'CATALOG_INVALID_LESSON_CONTENT');
    expect(res.body.message).toMatch(/questions\.0: a single-choice question needs exactly one right option/);
    expectError(
      await api(`/api/v1/authoring/courses/${courseId}/draft/lessons`, {
        token: a.accessToken,
        body: { ...guideLesson, content: { steps: [], extra: 1 } },
      }),
      400,
      'CATALOG_INVALID_LESSON_CONTENT',
    );
    await addLessons(a.accessToken, courseId);
    const draft = await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: a.accessToken });
    expect(draft.body.lessons.map((l: { kind: string }) => l.kind)).toEqual(['video', 'guide', 'quiz']);
    expect(JSON.stringify(draft.body.lessons[2].content)).toContain('"correct":true');
  });

  it('reorders lessons and refuses an incomplete order', async () => {
    const courseId = await createCourse(a.accessToken);
    await addLessons(a.accessToken, courseId);
    const keys = (
      await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: a.accessToken })
    ).body.lessons.map((l: { lessonKey: string }) => l.lessonKey);
    expectError(
      await api(`/api/v1/authoring/courses/${courseId}/draft/lesson-order`, {
        method: 'PUT',
        token: a.accessToken,
        body: { lessonKeys: keys.slice(1) },
      }),
      400,
      'AUTHORING_BAD_LESSON_ORDER',
    );
    const reordered = await api(`/api/v1/authoring/courses/${courseId}/draft/lesson-order`, {
      method: 'PUT',
      token: a.accessToken,
      body: { lessonKeys: [keys[2], keys[0], keys[1]] },
    });
    expect(
      reordered.body.lessons.map((l: { kind: string; position: number }) => `${l.position}:${l.kind}`),
    ).toEqual(['1:quiz', '2:video', '3:guide']);
    const removed = await api(`/api/v1/authoring/courses/${courseId}/draft/lessons/${keys[0]}`, {
      method: 'DELETE',
      token: a.accessToken,
    });
    expect(removed.status).toBe(204);
    const after = (await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: a.accessToken }))
      .body.lessons;
    expect(after.map((l: { position: number }) => l.position)).toEqual([1, 2]);
  });

  it('needs a second person to publish, and locks a version while it is in review', async () => {
    const courseId = await createCourse(a.accessToken);
    expectError(
      await api(`/api/v1/authoring/courses/${courseId}/draft/submit`, { token: a.accessToken, body: {} }),
      400,
      'AUTHORING_EMPTY_COURSE',
    );
    await addLessons(a.accessToken, courseId);
    expect(
      (await api(`/api/v1/authoring/courses/${courseId}/draft/submit`, { token: a.accessToken, body: {} }))
        .body.status,
    ).toBe('in_review');
    expectError(
      await api(`/api/v1/authoring/courses/${courseId}/draft`, {
        method: 'PATCH',
        token: a.accessToken,
        body: { topic: 'vneid' },
      }),
      409,
      'AUTHORING_VERSION_LOCKED',
    );
    expectError(
      await api(`/api/v1/authoring/courses/${courseId}/review/publish`, { token: a.accessToken, body: {} }),
      403,
      'AUTHORING_FOUR_EYES',
    );
    expectError(
      await api(`/api/v1/authoring/courses/${courseId}/review/publish`, {
        token: learner.accessToken,
        body: {},
      }),
      403,
      'FORBIDDEN',
    );

    // The reviewer sees it in the queue and can read it while it is in review.
    const queue = await api('/api/v1/authoring/review-queue', { token: b.accessToken });
    expect(queue.body.map((v: { courseId: string }) => v.courseId)).toContain(courseId);
    expect(
      (await api('/api/v1/authoring/review-queue', { token: a.accessToken })).body.map(
        (v: { courseId: string }) => v.courseId,
      ),
    ).not.toContain(courseId);
    expect(
      (await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: b.accessToken })).status,
    ).toBe(200);

    const rejected = await api(`/api/v1/authoring/courses/${courseId}/review/reject`, {
      token: b.accessToken,
      body: { reason: "Bước 2 thiếu bản dịch tiếng H'Mông." },
    });
    expect(rejected.body.status).toBe('draft');
    expect(
      (await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: a.accessToken })).body
        .reviewNote,
    ).toMatch(/H'Mông/);
    await publishCourse(a.accessToken, b.accessToken, courseId);
    const history = (await api(`/api/v1/authoring/courses/${courseId}`, { token: a.accessToken })).body;
    expect(history.publishedVersion).toBe(1);
    expect(history.versions[0]).toMatchObject({ version: 1, status: 'published', publishedBy: b.id });
    expectError(
      await api(`/api/v1/authoring/courses/${courseId}/review/publish`, { token: b.accessToken, body: {} }),
      409,
      'AUTHORING_NOT_IN_REVIEW',
    );
  });

  it('never changes a published version: edits make a new draft version; learners keep the old one until it is published', async () => {
    const courseId = await createCourse(a.accessToken);
    await addLessons(a.accessToken, courseId);
    await publishCourse(a.accessToken, b.accessToken, courseId);
    const v1 = (await api(`/api/v1/courses/${courseId}`)).body;

    expectError(
      await api(`/api/v1/authoring/courses/${courseId}/draft`, {
        method: 'PATCH',
        token: a.accessToken,
        body: { title: { vi: 'Sửa' } },
      }),
      409,
      'AUTHORING_NO_DRAFT',
    );
    const v2 = await api(`/api/v1/authoring/courses/${courseId}/drafts`, { token: a.accessToken, body: {} });
    expect(v2.body.version).toBe(2);
    expect(v2.body.lessons.map((l: { lessonKey: string }) => l.lessonKey)).toEqual(
      v1.lessons.map((l: { lessonKey: string }) => l.lessonKey),
    );
    expectError(
      await api(`/api/v1/authoring/courses/${courseId}/drafts`, { token: a.accessToken, body: {} }),
      409,
      'AUTHORING_DRAFT_EXISTS',
    );
    await api(`/api/v1/authoring/courses/${courseId}/draft`, {
      method: 'PATCH',
      token: a.accessToken,
      body: { title: { vi: 'Thanh toán tiền điện (bản 2)' } },
    });
    // Learners still see version 1.
    expect((await api(`/api/v1/courses/${courseId}`)).body).toMatchObject({
      version: 1,
      title: { text: 'Thanh toán tiền điện qua điện thoại' },
    });

    // The database itself refuses to change published content.
    const db = new pg.Client({ connectionString: testEnv().DATABASE_URL });
    await db.connect();
    try {
      await expect(
        db.query(`UPDATE lessons SET title = '{"vi":"x"}' WHERE id = $1`, [v1.lessons[0].id]),
      ).rejects.toThrow(/immutable/);
      await expect(
        db.query(`UPDATE course_versions SET title = '{"vi":"x"}' WHERE course_id = $1 AND version = 1`, [
          courseId,
        ]),
      ).rejects.toThrow(/immutable/);
    } finally {
      await db.end();
    }

    await api(`/api/v1/authoring/courses/${courseId}/draft/submit`, { token: a.accessToken, body: {} });
    expect(
      (await api(`/api/v1/authoring/courses/${courseId}/review/publish`, { token: admin, body: {} })).status,
    ).toBe(200);
    expect((await api(`/api/v1/courses/${courseId}`)).body).toMatchObject({
      version: 2,
      title: { text: 'Thanh toán tiền điện (bản 2)' },
    });
    // Lessons of version 1 stay readable for learners part-way through it.
    const old = await api(`/api/v1/lessons/${v1.lessons[0].id}`);
    expect(old.status).toBe(200);
    expect(old.body.courseVersion).toBe(1);
    const history = (await api(`/api/v1/authoring/courses/${courseId}`, { token: a.accessToken })).body
      .versions;
    expect(history.map((v: { version: number; status: string }) => `${v.version}:${v.status}`)).toEqual([
      '2:published',
      '1:superseded',
    ]);
  });

  it('validates and stores WebVTT subtitles per language, served with the published video lesson', async () => {
    const courseId = await createCourse(a.accessToken);
    await addLessons(a.accessToken, courseId, [videoLesson, guideLesson]);
    const [video, guide] = (
      await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: a.accessToken })
    ).body.lessons;
    const put = (key: string, locale: string, body: string, token = a.accessToken) =>
      api(`/api/v1/authoring/courses/${courseId}/draft/lessons/${key}/subtitles/${locale}`, {
        method: 'PUT',
        token,
        body,
        headers: { 'content-type': 'text/vtt' },
      });
    const hmn =
      'WEBVTT\n\n00:00.000 --> 00:03.000\nThem nqi hluav taws xob\n\n00:03.000 --> 00:06.000\nQhib app EVN\n';
    const vi = 'WEBVTT\n\n00:00.000 --> 00:03.000\nTrả tiền điện qua điện thoại\n';

    const bad = await put(video.lessonKey, 'hmn', 'WEBVTT\n\n00:00.000 --> 00:03,000\nx\n');
    expectError(bad, 400, 'AUTHORING_INVALID_WEBVTT');
    expect(bad.body.message).toMatch(/line 3/);
    expect(bad.body.details.line).toBe(3);
    expectError(await put(guide.lessonKey, 'hmn', hmn), 400, 'AUTHORING_NOT_A_VIDEO');
    expectError(await put(video.lessonKey, 'fr', hmn), 400);
    expectError(await put(video.lessonKey, 'hmn', hmn, b.accessToken), 403, 'AUTHORING_NOT_OWNER');

    const ok = await put(video.lessonKey, 'hmn', hmn);
    expect(ok.status).toBe(200);
    expect(ok.body.lessons[0].content.subtitles.hmn).toMatchObject({ cues: 2 });
    expect((await put(video.lessonKey, 'vi', vi)).status).toBe(200);
    const matrix = (
      await api(`/api/v1/authoring/courses/${courseId}/versions/1/translations`, { token: a.accessToken })
    ).body;
    expect(matrix.lessons[0].fields.subtitles).toEqual({
      vi: 'complete',
      hmn: 'complete',
      ium: 'missing',
      tyz: 'missing',
    });

    await publishCourse(a.accessToken, b.accessToken, courseId);
    const lessonId = (await api(`/api/v1/courses/${courseId}`)).body.lessons[0].id;
    const detail = (await api(`/api/v1/lessons/${lessonId}?lang=hmn`)).body;
    expect(detail.subtitles.map((t: { locale: string }) => t.locale)).toEqual(['hmn', 'vi']);
    const track = await api(detail.subtitles[0].url);
    expect([track.status, track.headers.get('content-type')]).toEqual([
      200,
      expect.stringContaining('text/vtt'),
    ]);
    expect(track.text).toBe(hmn);
    expectError(await api(`/api/v1/lessons/${lessonId}/subtitles/tyz`), 404, 'CATALOG_LESSON_NOT_FOUND');
  });

  it('reports translation completeness per lesson, language and field', async () => {
    const courseId = await createCourse(a.accessToken);
    await addLessons(a.accessToken, courseId);
    const m = (
      await api(`/api/v1/authoring/courses/${courseId}/versions/1/translations`, { token: a.accessToken })
    ).body;
    expect(m.locales).toEqual(['vi', 'hmn', 'ium', 'tyz']);
    expect(m.course.title).toEqual({ vi: 'complete', hmn: 'complete', ium: 'missing', tyz: 'missing' });
    expect(m.course.summary.hmn).toBe('missing');
    const guide = m.lessons.find((l: { kind: string }) => l.kind === 'guide');
    expect(guide.fields.title.hmn).toBe('complete');
    expect(guide.fields.steps).toEqual({ vi: 'complete', hmn: 'partial', ium: 'missing', tyz: 'missing' });
    const video = m.lessons.find((l: { kind: string }) => l.kind === 'video');
    expect(video.fields.subtitles).toEqual({ vi: 'missing', hmn: 'missing', ium: 'missing', tyz: 'missing' });
    const quiz = m.lessons.find((l: { kind: string }) => l.kind === 'quiz');
    expect(quiz.fields.questions.hmn).toBe('partial');
    expect(quiz.fields.feedback.vi).toBe('complete');
  });

  it('archives instead of deleting, and discards a never-published draft', async () => {
    const courseId = await createCourse(a.accessToken);
    await addLessons(a.accessToken, courseId, [videoLesson]);
    await publishCourse(a.accessToken, b.accessToken, courseId);
    const lessonId = (await api(`/api/v1/courses/${courseId}`)).body.lessons[0].id;
    expect(
      (await api(`/api/v1/authoring/courses/${courseId}/archive`, { token: a.accessToken, body: {} })).status,
    ).toBe(204);
    expectError(await api(`/api/v1/courses/${courseId}`), 404, 'CATALOG_COURSE_NOT_FOUND');
    expect((await api(`/api/v1/lessons/${lessonId}`)).status).toBe(200);
    await api(`/api/v1/authoring/courses/${courseId}/unarchive`, { token: a.accessToken, body: {} });
    expect((await api(`/api/v1/courses/${courseId}`)).status).toBe(200);

    const scratch = await createCourse(a.accessToken);
    expect(
      (await api(`/api/v1/authoring/courses/${scratch}/draft`, { method: 'DELETE', token: a.accessToken }))
        .status,
    ).toBe(204);
    expectError(
      await api(`/api/v1/authoring/courses/${scratch}`, { token: a.accessToken }),
      404,
      'CATALOG_COURSE_NOT_FOUND',
    );
  });

  it("keeps trainers out of each other's courses on every route (403), and learners out of authoring", async () => {
    const courseId = await createCourse(a.accessToken);
    await addLessons(a.accessToken, courseId, [guideLesson]);
    const key = (await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: a.accessToken })).body
      .lessons[0].lessonKey;
    const base = `/api/v1/authoring/courses/${courseId}`;
    const routes: [string, string, unknown?][] = [
      ['GET', base],
      ['GET', `${base}/versions/1`],
      ['GET', `${base}/versions/1/translations`],
      ['PATCH', `${base}/draft`, { topic: 'vneid' }],
      ['POST', `${base}/draft/lessons`, guideLesson],
      ['PATCH', `${base}/draft/lessons/${key}`, { required: false }],
      ['DELETE', `${base}/draft/lessons/${key}`],
      ['PUT', `${base}/draft/lesson-order`, { lessonKeys: [key] }],
      ['POST', `${base}/draft/submit`, {}],
      ['POST', `${base}/drafts`, {}],
      ['POST', `${base}/review/withdraw`, {}],
      ['POST', `${base}/archive`, {}],
      ['POST', `${base}/unarchive`, {}],
      ['DELETE', `${base}/draft`],
    ];
    for (const [method, path, body] of routes) {
      expectError(await api(path, { method, body, token: b.accessToken }), 403);
      expectError(await api(path, { method, body, token: learner.accessToken }), 403, 'FORBIDDEN');
    }
    // Nothing changed.
    const draft = (await api(`${base}/versions/1`, { token: a.accessToken })).body;
    expect(draft).toMatchObject({ status: 'draft', topic: 'cashless-payment' });
    expect(draft.lessons).toHaveLength(1);
    expectError(
      await api('/api/v1/authoring/courses/00000000-0000-4000-8000-000000000000', { token: a.accessToken }),
      404,
    );
  });
});

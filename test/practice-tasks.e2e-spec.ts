import {
  coordinatorOf,
  eligibleCandidate,
  logHouseholds,
  quizCourse,
  testArea,
  testProgramme,
  waitForCertificate,
  type TestArea,
} from './factories/certification.factory.js';
import {
  addLessons,
  createCourse,
  guideLesson,
  practiceLesson,
  publishCourse,
} from './factories/course.factory.js';
import { httpDriver } from './factories/http-driver.js';
import { progressEvent } from './factories/learning.factory.js';
import { registerLearner, userWithRoles, type TestUser } from './factories/user.factory.js';
import { api, expectError } from './support/api.js';
import { Browser } from './support/portal-browser.js';

/**
 * Practice tasks (issue 17, item 3): the learner does the real thing and someone of their village
 * confirms it in person — a certified ambassador of the village, a coordinator of the area, a
 * trainer living there. Confirmation completes the lesson and the course, counts toward
 * eligibility, and enters the confirming ambassador's "1 kèm 5" log. Nobody confirms their own;
 * another village's ambassador is refused.
 */
describe('practice tasks confirmed in person', () => {
  let area: TestArea;
  let ambassador: TestUser;
  let otherAmbassador: TestUser;
  let programmeId: string;
  let practiceCourse: { courseId: string; guideId: string; practiceId: string; stepIds: string[] };
  const village = () => area.communes[0].villageIds[0];
  const otherVillage = () => area.communes[0].villageIds[1];
  const confirm = (token: string, learnerId: string, lessonId: string, extra: object = {}) =>
    api('/api/v1/practice-confirmations', { token, body: { learnerId, lessonId, ...extra } });
  const pending = (token: string, villageId?: string) =>
    api(`/api/v1/practice-confirmations/pending${villageId ? `?villageId=${villageId}` : ''}`, { token });

  /** A learner of `villageId` enrolled in the practice course, with the guide done. */
  async function practising(villageId: string, displayName = 'Lý Thị Sử'): Promise<TestUser> {
    const learner = await registerLearner({ villageId, displayName, languages: ['hmn', 'vi'] });
    await httpDriver.enrol(learner.accessToken, practiceCourse.courseId);
    const synced = await api('/api/v1/sync', {
      token: learner.accessToken,
      body: {
        events: practiceCourse.stepIds.map((stepId) =>
          progressEvent('guide.step', practiceCourse.guideId, { stepId }),
        ),
      },
    });
    expect(synced.status).toBe(200);
    return learner;
  }

  beforeAll(async () => {
    area = await testArea(1, 2);
    const author = await userWithRoles([{ role: 'trainer' }]);
    const reviewer = await userWithRoles([{ role: 'trainer' }]);
    const courseId = await createCourse(author.accessToken);
    await addLessons(author.accessToken, courseId, [guideLesson, practiceLesson]);
    await publishCourse(author.accessToken, reviewer.accessToken, courseId);
    const [guide, practice] = await httpDriver.lessons(author.accessToken, courseId, 1);
    practiceCourse = {
      courseId,
      guideId: guide.id,
      practiceId: practice.id,
      stepIds: guide.content.steps.map((s: { id: string }) => s.id),
    };
    programmeId = await testProgramme(area, [courseId], 1);

    // Two certified ambassadors (of another programme's course), one per village.
    const certCourse = await quizCourse(author, reviewer);
    const certProgramme = await testProgramme(area, [certCourse.courseId], 1);
    const coordinator = await coordinatorOf(area.communes[0].id);
    const certify = async (villageId: string, displayName: string) => {
      const a = await eligibleCandidate(villageId, certCourse, 1, { displayName });
      const applied = await api('/api/v1/certification/applications', {
        token: a.accessToken,
        body: { programmeId: certProgramme },
      });
      const approved = await api(`/api/v1/certification/applications/${applied.body.id}/approve`, {
        token: coordinator.accessToken,
        body: { reason: 'Đã xác minh các hộ tại thôn.' },
      });
      await waitForCertificate(a.accessToken, approved.body.certificate.id);
      return a;
    };
    ambassador = await certify(village(), 'Giàng A Sử');
    otherAmbassador = await certify(otherVillage(), 'Thào Mí Dua');
  });

  it('is done only when someone of the village confirms it, which completes the course and counts for eligibility', async () => {
    const learner = await practising(village());
    await logHouseholds(learner, 1);
    const eligibility = () =>
      api(`/api/v1/certification/programmes/${programmeId}/eligibility?lang=vi`, {
        token: learner.accessToken,
      });
    expect((await eligibility()).body.items.find((i: { kind: string }) => i.kind === 'course').met).toBe(
      false,
    );

    // The learner cannot mark it themselves, online or in an offline batch, nor through the confirmation route.
    const own = await api('/api/v1/progress/events', {
      token: learner.accessToken,
      body: progressEvent('practice.confirmed', practiceCourse.practiceId, { confirmedBy: learner.id }),
    });
    expectError(own, 403, 'EVENT_CONFIRMED_IN_PERSON');
    const offline = await api('/api/v1/sync', {
      token: learner.accessToken,
      body: {
        events: [
          progressEvent('practice.confirmed', practiceCourse.practiceId, { confirmedBy: ambassador.id }),
        ],
      },
    });
    expect(offline.body.receipts[0]).toMatchObject({ status: 'rejected', code: 'EVENT_CONFIRMED_IN_PERSON' });
    expectError(
      await confirm(learner.accessToken, learner.id, practiceCourse.practiceId),
      403,
      'CERT_PRACTICE_SELF_CONFIRMATION',
    );
    // Another village's ambassador is refused.
    expectError(
      await confirm(otherAmbassador.accessToken, learner.id, practiceCourse.practiceId),
      403,
      'CERT_PRACTICE_NOT_YOUR_VILLAGE',
    );

    // The village's ambassador sees it waiting, and confirms it.
    const waiting = await pending(ambassador.accessToken);
    expect(waiting.status).toBe(200);
    expect(waiting.body.items).toContainEqual(
      expect.objectContaining({
        learnerId: learner.id,
        lessonId: practiceCourse.practiceId,
        displayName: 'Lý Thị Sử',
        task: expect.stringContaining('EVNNPC'),
      }),
    );
    expect(
      (await pending(otherAmbassador.accessToken)).body.items.map((i: { learnerId: string }) => i.learnerId),
    ).not.toContain(learner.id);
    const done = await confirm(ambassador.accessToken, learner.id, practiceCourse.practiceId);
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({
      newlyConfirmed: true,
      completedCourses: [practiceCourse.courseId],
      mentoring: { record: { household: 'Lý Thị Sử', task: 'online-bill-payment', villageId: village() } },
    });

    // The learner's lesson and course are done; eligibility now counts the course.
    const state = await api(`/api/v1/progress/lessons/${practiceCourse.practiceId}`, {
      token: learner.accessToken,
    });
    expect(state.body).toMatchObject({ status: 'completed', practice: { confirmed: true } });
    expect((await eligibility()).body.items.find((i: { kind: string }) => i.kind === 'course').met).toBe(
      true,
    );
    // It appears in the ambassador's "1 kèm 5" log.
    const log = await api('/api/v1/certification/mentoring-records', { token: ambassador.accessToken });
    expect(log.body).toContainEqual(
      expect.objectContaining({ household: 'Lý Thị Sử', task: 'online-bill-payment' }),
    );
    // No longer waiting; a second confirmation (by anyone) changes nothing and logs nothing.
    expect(
      (await pending(ambassador.accessToken)).body.items.map((i: { learnerId: string }) => i.learnerId),
    ).not.toContain(learner.id);
    const again = await confirm(ambassador.accessToken, learner.id, practiceCourse.practiceId);
    expect(again.body).toMatchObject({ newlyConfirmed: false, completedCourses: [], mentoring: null });
    expect(
      (await api('/api/v1/certification/mentoring-records', { token: ambassador.accessToken })).body,
    ).toHaveLength(log.body.length);
  });

  it('lets coordinators of the area and trainers living in the village confirm, and nobody else', async () => {
    const learner = await practising(otherVillage(), 'Vàng Thị Mai');
    const communeCoordinator = await coordinatorOf(area.communes[0].id);
    const farCoordinator = await coordinatorOf((await testArea(1, 1)).communes[0].id);
    const trainerHere = await userWithRoles([{ role: 'trainer' }]);
    await api('/api/v1/me', {
      method: 'PATCH',
      token: trainerHere.accessToken,
      body: { villageId: otherVillage() },
    });
    const trainerElsewhere = await userWithRoles([{ role: 'trainer' }]);
    const neighbour = await registerLearner({ villageId: otherVillage() });

    for (const who of [farCoordinator, trainerElsewhere, neighbour])
      expectError(
        await confirm(who.accessToken, learner.id, practiceCourse.practiceId),
        403,
        'CERT_PRACTICE_NOT_YOUR_VILLAGE',
      );
    expectError(
      await pending(farCoordinator.accessToken, otherVillage()),
      403,
      'CERT_PRACTICE_NOT_YOUR_VILLAGE',
    );
    // Staff name the village they list.
    expectError(await pending(communeCoordinator.accessToken), 400, 'VALIDATION_FAILED');
    expect(
      (await pending(communeCoordinator.accessToken, otherVillage())).body.items.map(
        (i: { learnerId: string }) => i.learnerId,
      ),
    ).toContain(learner.id);
    // A lesson that is not a practice task, or a learner not taking the course: not found.
    expectError(
      await confirm(trainerHere.accessToken, learner.id, practiceCourse.guideId),
      404,
      'CERT_PRACTICE_LESSON_NOT_FOUND',
    );
    expectError(
      await confirm(trainerHere.accessToken, neighbour.id, practiceCourse.practiceId),
      404,
      'CERT_PRACTICE_LESSON_NOT_FOUND',
    );

    const byTrainer = await confirm(trainerHere.accessToken, learner.id, practiceCourse.practiceId);
    expect(byTrainer.body).toMatchObject({ newlyConfirmed: true, mentoring: null });
    const second = await practising(otherVillage(), 'Hờ Thị Pà');
    const byCoordinator = await confirm(communeCoordinator.accessToken, second.id, practiceCourse.practiceId);
    expect(byCoordinator.body).toMatchObject({ newlyConfirmed: true, mentoring: null });
  });

  it('works in the portal: the ambassador confirms from their list, the learner sees it confirmed', async () => {
    const learner = await practising(village(), 'Sùng Thị Dợ');
    const helper = await Browser.signedIn(ambassador);
    expect((await helper.request('/my/ambassador')).text).toContain('href="/practice-confirmations"');
    const list = await helper.request('/practice-confirmations');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Sùng Thị Dợ');
    const done = await helper.request('/practice-confirmations', {
      form: {
        learnerId: learner.id,
        lessonId: practiceCourse.practiceId,
        _csrf: Browser.csrfFrom(list.text),
      },
    });
    expect(done.status).toBe(200);
    expect(done.text).toContain('role="status"');
    // A malformed form is a 400 page, never a 500.
    const hostile = await helper.request('/practice-confirmations', {
      form: { learnerId: 'x', lessonId: '\u0000', _csrf: Browser.csrfFrom(list.text) },
    });
    expect(hostile.status).toBe(400);
    expect(done.text).not.toContain(`value="${learner.id}"`);
    // Naming another village's list: refused, and showing the form again is refused too — a 403
    // page, not an exception out of the error filter (which used to end the API process).
    const foreign = await helper.request('/practice-confirmations', {
      form: {
        learnerId: learner.id,
        lessonId: practiceCourse.practiceId,
        village: otherVillage(),
        _csrf: Browser.csrfFrom(list.text),
      },
    });
    expect(foreign.status).toBe(403);
    expect((await helper.request('/practice-confirmations')).status).toBe(200);

    const own = await Browser.signedIn(learner);
    const lesson = await own.request(`/lessons/${practiceCourse.practiceId}`);
    expect(lesson.status).toBe(200);
    expect(lesson.text).toContain('class="practice-task"');
    expect(lesson.text).toMatch(/Đã được xác nhận ngày \d\d\/\d\d\/\d{4}/);
  });
});

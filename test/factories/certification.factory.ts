import { api } from '../support/api.js';
import { addLessons, createCourse, guideLesson, publishCourse, quizLesson } from './course.factory.js';
import { progressEvent } from './learning.factory.js';
import { adminAccessToken, registerLearner, userWithRoles, type TestUser } from './user.factory.js';

export interface TestArea {
  provinceId: string;
  communes: { id: string; villageIds: string[] }[];
}

async function createLocality(body: Record<string, unknown>): Promise<string> {
  const res = await api('/api/v1/localities', { token: await adminAccessToken(), body });
  if (res.status !== 201) throw new Error(`locality: ${res.status} ${res.text}`);
  return res.body.id;
}

/** A province of its own (codes 40–99), so coverage counts are this test's alone. */
export async function testArea(communes = 2, villagesPerCommune = 2): Promise<TestArea> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const code = String(40 + Math.floor(Math.random() * 60));
    const res = await api('/api/v1/localities', {
      token: await adminAccessToken(),
      body: { code, level: 'province', kind: 'tỉnh', name: `Thử nghiệm ${code}` },
    });
    if (res.status === 409) continue;
    if (res.status !== 201) throw new Error(`province: ${res.status} ${res.text}`);
    const area: TestArea = { provinceId: res.body.id, communes: [] };
    for (let c = 0; c < communes; c++) {
      const communeCode = `${code}${String(100 + c).padStart(3, '0')}`;
      const id = await createLocality({
        code: communeCode,
        level: 'commune',
        kind: 'xã',
        name: `Bản Phiệt ${c + 1}`,
        parentId: area.provinceId,
      });
      const villageIds: string[] = [];
      for (let v = 0; v < villagesPerCommune; v++) {
        villageIds.push(
          await createLocality({
            code: `${communeCode}-${String(v + 1).padStart(3, '0')}`,
            level: 'village',
            kind: 'thôn',
            name: `Pạc Tà ${c + 1}.${v + 1}`,
            parentId: id,
          }),
        );
      }
      area.communes.push({ id, villageIds });
    }
    return area;
  }
  throw new Error('no free province code');
}

export interface QuizCourse {
  courseId: string;
  guideId: string;
  quizId: string;
  stepIds: string[];
  rightAnswers: unknown[];
}

/** A published course of a guide and a quiz: completed in two requests, no video to wait for. */
export async function quizCourse(author: TestUser, reviewer: TestUser): Promise<QuizCourse> {
  const courseId = await createCourse(author.accessToken);
  await addLessons(author.accessToken, courseId, [guideLesson, quizLesson]);
  await publishCourse(author.accessToken, reviewer.accessToken, courseId);
  const [g, q] = (
    await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: author.accessToken })
  ).body.lessons;
  const [single, multiple, trueFalse, ordering] = q.content.questions;
  const right = (o: { correct: boolean }) => o.correct;
  return {
    courseId,
    guideId: g.id,
    quizId: q.id,
    stepIds: g.content.steps.map((s: { id: string }) => s.id),
    rightAnswers: [
      { questionId: single.id, optionIds: single.options.filter(right).map((o: any) => o.id) },
      { questionId: multiple.id, optionIds: multiple.options.filter(right).map((o: any) => o.id) },
      { questionId: trueFalse.id, answer: true },
      { questionId: ordering.id, order: ordering.items.map((i: any) => i.id) },
    ],
  };
}

/** The learner completes the course with full marks. */
export async function completeCourse(learner: TestUser, course: QuizCourse): Promise<void> {
  await api('/api/v1/progress/enrolments', {
    token: learner.accessToken,
    body: { courseId: course.courseId },
  });
  const events = [
    ...course.stepIds.map((stepId) => progressEvent('guide.step', course.guideId, { stepId })),
    progressEvent('quiz.attempt', course.quizId, { answers: course.rightAnswers }),
  ];
  const res = await api('/api/v1/sync', { token: learner.accessToken, body: { events } });
  if (res.status !== 200 || res.body.completedCourses.length !== 1) {
    throw new Error(`completing ${course.courseId}: ${res.status} ${res.text.slice(0, 300)}`);
  }
}

/** Logs `n` distinct households helped. */
export async function logHouseholds(learner: TestUser, n: number, prefix = 'Hộ ông Sùng A'): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await api('/api/v1/certification/mentoring-records', {
      token: learner.accessToken,
      body: { helpedOn: '2026-11-01', household: `${prefix} ${i + 1}`, task: 'vneid-level-2' },
    });
    if (res.status !== 201) throw new Error(`record: ${res.status} ${res.text}`);
  }
}

let prefixes = 0;
/** A programme for the area: one required course, 70 % average, `households` households, 24 months. */
export async function testProgramme(area: TestArea, courseIds: string[], households = 2): Promise<string> {
  const suffix = `${process.pid % 1000}${prefixes++}`.slice(-6);
  const res = await api('/api/v1/certification/programmes', {
    token: await adminAccessToken(),
    body: {
      code: `nbs-test-${suffix}-${Date.now() % 100000}`,
      provinceId: area.provinceId,
      serialPrefix: `T${suffix.replace(/[^0-9]/g, '')}-${String(Date.now() % 10000000).padStart(7, '0')}`,
      names: { vi: 'Người bản số thử nghiệm', hmn: 'Neeg txawj digital sim' },
      requiredCourseIds: courseIds,
      minAverageQuizScore: 70,
      minHouseholds: households,
      validityMonths: 24,
    },
  });
  if (res.status !== 201) throw new Error(`programme: ${res.status} ${res.text}`);
  return res.body.id;
}

/** A learner living in `villageId` who meets the programme (course done, households logged). */
export async function eligibleCandidate(
  villageId: string,
  course: QuizCourse,
  households = 2,
  overrides: Record<string, unknown> = {},
): Promise<TestUser> {
  const learner = await registerLearner({
    villageId,
    languages: ['hmn', 'vi'],
    displayName: 'Sùng Thị Mỷ',
    ...overrides,
  });
  await completeCourse(learner, course);
  await logHouseholds(learner, households);
  return learner;
}

export async function coordinatorOf(localityId: string): Promise<TestUser> {
  return userWithRoles([{ role: 'coordinator', localityId }]);
}

/** Polls until the certificate has its files (the worker issues it in the background). */
export async function waitForCertificate(
  token: string,
  certificateId: string,
  timeoutMs = 30_000,
): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await api(`/api/v1/certificates/${certificateId}`, { token });
    if (res.status === 200 && res.body.status !== 'pending') return res.body;
    if (Date.now() > until)
      throw new Error(`certificate ${certificateId} still ${res.status} ${res.body?.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

import { api } from '../support/api.js';
import { courseFactories, guideLesson, quizAnswers, quizLesson } from './course.factory.js';
import type { PlatformDriver, TestUser } from './driver.js';
import { httpDriver } from './http-driver.js';
import { progressEvent } from './learning.factory.js';
import { userFactories } from './user.factory.js';

export interface TestArea {
  provinceId: string;
  communes: { id: string; villageIds: string[] }[];
}

export interface QuizCourse {
  courseId: string;
  guideId: string;
  quizId: string;
  stepIds: string[];
  rightAnswers: unknown[];
}

let prefixes = 0;

/** Places, courses, candidates and programmes built through `via` (HTTP or in-process services). */
export function certificationFactories(via: PlatformDriver) {
  const users = userFactories(via);
  const courses = courseFactories(via);

  async function createLocality(body: Record<string, unknown>): Promise<string> {
    const id = await via.createLocality(await users.adminAccessToken(), body);
    if (!id) throw new Error(`locality code ${String(body.code)} is taken`);
    return id;
  }

  /** A province of its own (codes 40–99), so coverage counts are this test's alone. */
  async function testArea(communes = 2, villagesPerCommune = 2): Promise<TestArea> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const code = String(40 + Math.floor(Math.random() * 60));
      const provinceId = await via.createLocality(await users.adminAccessToken(), {
        code,
        level: 'province',
        kind: 'tỉnh',
        name: `Thử nghiệm ${code}`,
      });
      if (!provinceId) continue;
      const area: TestArea = { provinceId, communes: [] };
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

  /** A published course of a guide and a quiz: completed in two requests, no video to wait for. */
  async function quizCourse(author: TestUser, reviewer: TestUser): Promise<QuizCourse> {
    const courseId = await courses.createCourse(author.accessToken);
    await courses.addLessons(author.accessToken, courseId, [guideLesson, quizLesson]);
    await courses.publishCourse(author.accessToken, reviewer.accessToken, courseId);
    const [g, q] = await via.lessons(author.accessToken, courseId, 1);
    return {
      courseId,
      guideId: g.id,
      quizId: q.id,
      stepIds: g.content.steps.map((s: { id: string }) => s.id),
      rightAnswers: quizAnswers(q).right,
    };
  }

  /** The learner completes the course with full marks. */
  async function completeCourse(learner: TestUser, course: QuizCourse): Promise<void> {
    await via.enrol(learner.accessToken, course.courseId);
    const events = [
      ...course.stepIds.map((stepId) => progressEvent('guide.step', course.guideId, { stepId })),
      progressEvent('quiz.attempt', course.quizId, { answers: course.rightAnswers }),
    ];
    const result = await via.sync(learner.accessToken, events);
    if (result.completedCourses !== 1) {
      throw new Error(`completing ${course.courseId}: ${JSON.stringify(result.receipts).slice(0, 300)}`);
    }
  }

  /** Logs `n` distinct households helped. */
  async function logHouseholds(learner: TestUser, n: number, prefix = 'Hộ ông Sùng A'): Promise<void> {
    for (let i = 0; i < n; i++) {
      await via.addMentoringRecord(learner.accessToken, {
        helpedOn: '2026-11-01',
        household: `${prefix} ${i + 1}`,
        task: 'vneid-level-2',
      });
    }
  }

  /** A programme for the area: the courses required, 70 % average, `households` households, 24 months. */
  async function testProgramme(area: TestArea, courseIds: string[], households = 2): Promise<string> {
    const suffix = `${process.pid % 1000}${prefixes++}`.slice(-6);
    return via.createProgramme(await users.adminAccessToken(), {
      code: `nbs-test-${suffix}-${Date.now() % 100000}`,
      provinceId: area.provinceId,
      serialPrefix: `T${suffix.replace(/[^0-9]/g, '')}-${String(Date.now() % 10000000).padStart(7, '0')}`,
      names: { vi: 'Người bản số thử nghiệm', hmn: 'Neeg txawj digital sim' },
      requiredCourseIds: courseIds,
      minAverageQuizScore: 70,
      minHouseholds: households,
      validityMonths: 24,
    });
  }

  /** A learner living in `villageId` who meets the programme (course done, households logged). */
  async function eligibleCandidate(
    villageId: string,
    course: QuizCourse,
    households = 2,
    overrides: Record<string, unknown> = {},
  ): Promise<TestUser> {
    const learner = await users.registerLearner({
      villageId,
      languages: ['hmn', 'vi'],
      displayName: 'Sùng Thị Mỷ',
      ...overrides,
    });
    await completeCourse(learner, course);
    await logHouseholds(learner, households);
    return learner;
  }

  async function coordinatorOf(localityId: string): Promise<TestUser> {
    return users.userWithRoles([{ role: 'coordinator', localityId }]);
  }

  return {
    testArea,
    quizCourse,
    completeCourse,
    logHouseholds,
    testProgramme,
    eligibleCandidate,
    coordinatorOf,
  };
}

export const {
  testArea,
  quizCourse,
  completeCourse,
  logHouseholds,
  testProgramme,
  eligibleCandidate,
  coordinatorOf,
} = certificationFactories(httpDriver);

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

/** Certifies a candidate through the real flow (apply, a coordinator approves) and waits for the worker. */
export async function certify(holder: TestUser, programmeId: string, coordinator: TestUser): Promise<any> {
  const applied = await api('/api/v1/certification/applications', {
    token: holder.accessToken,
    body: { programmeId },
  });
  const approved = await api(`/api/v1/certification/applications/${applied.body.id}/approve`, {
    token: coordinator.accessToken,
    body: { reason: 'Đã xác minh các hộ tại thôn.' },
  });
  if (approved.status !== 200) throw new Error(`approval answered ${approved.status}: ${approved.text}`);
  return waitForCertificate(holder.accessToken, approved.body.certificate.id);
}

import type { AuthoredLesson, PlatformDriver } from './driver.js';
import { httpDriver } from './http-driver.js';

/** Authoring payloads that read like real lessons (Lào Cai, VNeID, paying the electricity bill). */
export const guideLesson = {
  kind: 'guide',
  title: { vi: 'Cài ứng dụng thanh toán tiền điện', hmn: 'Nruab app them nqi hluav taws xob' },
  summary: { vi: 'Năm bước, làm cùng Người bản số.' },
  content: {
    steps: [
      {
        title: { vi: 'Mở CH Play', hmn: 'Qhib CH Play' },
        body: { vi: 'Chạm vào biểu tượng CH Play trên màn hình.', hmn: 'Nias lub cim CH Play.' },
      },
      {
        title: { vi: 'Tìm ứng dụng EVN', hmn: 'Nrhiav app EVN' },
        body: { vi: 'Gõ "EVNNPC CSKH" vào ô tìm kiếm.' },
      },
      {
        title: { vi: 'Nhập mã khách hàng', hmn: 'Sau tus lej' },
        body: {
          vi: 'Mã khách hàng in trên hoá đơn tiền điện, bắt đầu bằng PA.',
          hmn: 'Tus lej nyob saum daim ntawv nqi hluav taws xob.',
        },
      },
    ],
  },
};

/** A practice task: done for real, confirmed in person by someone of the village. */
export const practiceLesson = {
  kind: 'practice',
  title: { vi: 'Thực hành: trả tiền điện tháng này', hmn: 'Xyaum ua: them nqi hluav taws xob lub hli no' },
  content: {
    task: {
      vi: 'Tự trả tiền điện tháng này bằng ứng dụng EVNNPC CSKH trên điện thoại của bạn.',
      hmn: 'Them nqi hluav taws xob lub hli no nrog app EVNNPC CSKH ntawm koj lub xov tooj.',
    },
    howTo: { vi: 'Mang theo hoá đơn tháng trước để có mã khách hàng.' },
    digitalTask: 'online-bill-payment',
  },
};

export const quizLesson = {
  kind: 'quiz',
  title: { vi: 'Kiểm tra: thanh toán an toàn', hmn: 'Xeem: them nyiaj kom muaj kev nyab xeeb' },
  content: {
    passMark: 70,
    maxAttempts: 3,
    cooldownSeconds: 60,
    questions: [
      {
        type: 'single',
        prompt: { vi: 'Ai được biết mã OTP của bạn?', hmn: 'Leej twg paub tau koj tus OTP?' },
        options: [
          {
            text: { vi: 'Không ai cả', hmn: 'Tsis muaj leej twg' },
            correct: true,
            feedback: { vi: 'Đúng: ngân hàng không bao giờ hỏi mã OTP.' },
          },
          {
            text: { vi: 'Nhân viên ngân hàng gọi điện', hmn: 'Neeg txhab nyiaj hu xov tooj' },
            correct: false,
            feedback: { vi: 'Kẻ lừa đảo hay giả làm nhân viên ngân hàng.' },
          },
        ],
      },
      {
        type: 'multiple',
        prompt: { vi: 'Cách nào trả được tiền điện?' },
        options: [
          { text: { vi: 'Ứng dụng EVN' }, correct: true },
          { text: { vi: 'Ứng dụng ngân hàng' }, correct: true },
          { text: { vi: 'Gửi mã OTP cho người lạ' }, correct: false },
        ],
      },
      {
        type: 'true_false',
        prompt: { vi: 'Hoá đơn điện tử có mã QR để thanh toán.' },
        answer: true,
        feedback: { correct: { vi: 'Đúng vậy.' } },
      },
      {
        type: 'ordering',
        prompt: { vi: 'Xếp các bước theo thứ tự' },
        items: [{ vi: 'Mở ứng dụng' }, { vi: 'Chọn hoá đơn' }, { vi: 'Xác nhận bằng mã PIN' }],
      },
    ],
  },
};

export const videoLesson = {
  kind: 'video',
  title: { vi: 'Xem: trả tiền điện trong 2 phút', hmn: 'Saib: them nqi hluav taws xob hauv 2 feeb' },
  content: {},
};

/** A course's create input: a unique slug, for the elderly group, in Vietnamese and H'Mông. */
export function courseInput(
  learnerGroups: { id: string; code: string }[],
  overrides: Record<string, unknown> = {},
) {
  return {
    slug: `thanh-toan-tien-dien-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`,
    topic: 'cashless-payment',
    learnerGroupIds: [learnerGroups.find((g) => g.code === 'elderly')!.id],
    title: { vi: 'Thanh toán tiền điện qua điện thoại', hmn: 'Them nqi hluav taws xob hauv xov tooj' },
    summary: { vi: 'Cho người cao tuổi ở Bát Xát: trả tiền điện không cần ra bưu điện.' },
    ...overrides,
  };
}

/** Answers to the factory quiz (`quizLesson`, as stored): all right, and all wrong. */
export function quizAnswers(quiz: AuthoredLesson): { right: unknown[]; wrong: unknown[] } {
  const [single, multiple, trueFalse, ordering] = quiz.content.questions;
  const isRight = (o: { correct: boolean }) => o.correct;
  return {
    right: [
      { questionId: single.id, optionIds: single.options.filter(isRight).map((o: any) => o.id) },
      { questionId: multiple.id, optionIds: multiple.options.filter(isRight).map((o: any) => o.id) },
      { questionId: trueFalse.id, answer: true },
      { questionId: ordering.id, order: ordering.items.map((i: any) => i.id) },
    ],
    wrong: [
      {
        questionId: single.id,
        optionIds: single.options.filter((o: any) => !o.correct).map((o: any) => o.id),
      },
      { questionId: multiple.id, optionIds: [multiple.options[0].id] },
      { questionId: trueFalse.id, answer: false },
      { questionId: ordering.id, order: [...ordering.items].reverse().map((i: any) => i.id) },
    ],
  };
}

/** Courses built through `via` (HTTP for e2e tests, in-process services for service tests). */
export function courseFactories(via: PlatformDriver) {
  /** Creates a course as `token` and returns its id. */
  async function createCourse(token: string, overrides: Record<string, unknown> = {}) {
    return via.createCourse(token, courseInput(await via.learnerGroups(), overrides));
  }

  async function addLessons(
    token: string,
    courseId: string,
    lessons = [videoLesson, guideLesson, quizLesson],
  ) {
    for (const lesson of lessons) await via.addLesson(token, courseId, lesson);
  }

  /** Author submits, reviewer publishes. */
  async function publishCourse(authorToken: string, reviewerToken: string, courseId: string) {
    await via.submit(authorToken, courseId);
    await via.publish(reviewerToken, courseId);
  }

  return { createCourse, addLessons, publishCourse };
}

export const { createCourse, addLessons, publishCourse } = courseFactories(httpDriver);

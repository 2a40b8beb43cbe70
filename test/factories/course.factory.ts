import { api } from '../support/api.js';

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

/** Creates a course as `token` and returns its id. */
export async function createCourse(token: string, overrides: Record<string, unknown> = {}) {
  const groups = (await api('/api/v1/learner-groups')).body;
  const res = await api('/api/v1/authoring/courses', {
    token,
    body: {
      slug: `thanh-toan-tien-dien-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`,
      topic: 'cashless-payment',
      learnerGroupIds: [groups.find((g: { code: string }) => g.code === 'elderly').id],
      title: { vi: 'Thanh toán tiền điện qua điện thoại', hmn: 'Them nqi hluav taws xob hauv xov tooj' },
      summary: { vi: 'Cho người cao tuổi ở Bát Xát: trả tiền điện không cần ra bưu điện.' },
      ...overrides,
    },
  });
  if (res.status !== 201) throw new Error(`create course failed: ${res.status} ${res.text}`);
  return res.body.courseId as string;
}

export async function addLessons(
  token: string,
  courseId: string,
  lessons = [videoLesson, guideLesson, quizLesson],
) {
  for (const lesson of lessons) {
    const res = await api(`/api/v1/authoring/courses/${courseId}/draft/lessons`, { token, body: lesson });
    if (res.status !== 201) throw new Error(`add lesson failed: ${res.status} ${res.text}`);
  }
}

/** Author submits, reviewer publishes. */
export async function publishCourse(authorToken: string, reviewerToken: string, courseId: string) {
  const submit = await api(`/api/v1/authoring/courses/${courseId}/draft/submit`, {
    token: authorToken,
    body: {},
  });
  if (submit.status !== 200) throw new Error(`submit failed: ${submit.status} ${submit.text}`);
  const publish = await api(`/api/v1/authoring/courses/${courseId}/review/publish`, {
    token: reviewerToken,
    body: {},
  });
  if (publish.status !== 200) throw new Error(`publish failed: ${publish.status} ${publish.text}`);
}

import type { QuizContent } from './quiz-content.js';
import { answerProblems, gradeQuiz } from './quiz-grading.js';

const quiz: QuizContent = {
  passMark: 70,
  questions: [
    {
      id: 'q1',
      type: 'single',
      prompt: { vi: 'Mã OTP có được đưa cho người lạ không?' },
      options: [
        {
          id: 'a',
          text: { vi: 'Có' },
          correct: false,
          feedback: { vi: 'Không bao giờ đưa OTP.', hmn: 'Tsis txhob muab OTP.' },
        },
        { id: 'b', text: { vi: 'Không' }, correct: true, feedback: {} },
      ],
    },
    {
      id: 'q2',
      type: 'multiple',
      prompt: { vi: 'Dấu hiệu lừa đảo?' },
      options: [
        { id: 'c', text: { vi: 'Giục chuyển tiền gấp' }, correct: true, feedback: {} },
        { id: 'd', text: { vi: 'Xin mã OTP' }, correct: true, feedback: {} },
        { id: 'e', text: { vi: 'Gọi từ số tổng đài chính thức' }, correct: false, feedback: {} },
      ],
    },
    {
      id: 'q3',
      type: 'true_false',
      prompt: { vi: 'VNeID mức 2 cần ảnh chân dung.' },
      answer: true,
      feedback: { correct: { vi: 'Đúng rồi.' }, incorrect: { vi: 'Chưa đúng.', hmn: 'Tsis yog.' } },
    },
    {
      id: 'q4',
      type: 'ordering',
      prompt: { vi: 'Sắp xếp các bước' },
      items: [
        { id: 'i1', text: { vi: 'Mở ứng dụng' } },
        { id: 'i2', text: { vi: 'Quét mã QR' } },
        { id: 'i3', text: { vi: 'Xác nhận' } },
      ],
      feedback: { correct: {}, incorrect: {} },
    },
  ],
};

describe('quiz grading', () => {
  it('scores all-or-nothing per question and passes at the pass mark', () => {
    const grade = gradeQuiz(
      quiz,
      [
        { questionId: 'q1', optionIds: ['b'] },
        { questionId: 'q2', optionIds: ['c', 'd'] },
        { questionId: 'q3', answer: true },
        { questionId: 'q4', order: ['i1', 'i3', 'i2'] },
      ],
      ['vi'],
    );
    expect(grade).toMatchObject({ score: 75, passMark: 70, passed: true, correctCount: 3, questionCount: 4 });
    expect(grade.questions.map((q) => q.correct)).toEqual([true, true, true, false]);
  });

  it('needs exactly the right set for multiple choice and counts a skipped question as wrong', () => {
    const grade = gradeQuiz(quiz, [{ questionId: 'q2', optionIds: ['c'] }], ['vi']);
    expect(grade.score).toBe(0);
    expect(grade.passed).toBe(false);
  });

  it('gives feedback in the learner language with a fallback marker', () => {
    const grade = gradeQuiz(
      quiz,
      [
        { questionId: 'q1', optionIds: ['a'] },
        { questionId: 'q3', answer: false },
      ],
      ['hmn', 'vi'],
    );
    expect(grade.questions[0].feedback).toEqual([
      { text: 'Tsis txhob muab OTP.', locale: 'hmn', fallback: false, voice: null },
    ]);
    expect(grade.questions[2].feedback).toEqual([
      { text: 'Tsis yog.', locale: 'hmn', fallback: false, voice: null },
    ]);
    const vi = gradeQuiz(quiz, [{ questionId: 'q3', answer: true }], ['hmn', 'vi']);
    expect(vi.questions[2].feedback).toEqual([
      { text: 'Đúng rồi.', locale: 'vi', fallback: true, voice: null },
    ]);
  });

  it('reads feedback aloud in the best language with a ready recording, marking another language', () => {
    const file = (id: string) => ({ url: `/media/${id}/voice.m4a`, bytes: 9000, durationSeconds: 2 });
    const spoken: QuizContent = {
      ...quiz,
      questions: quiz.questions!.map((q) =>
        q.id === 'q1' && 'options' in q
          ? {
              ...q,
              options: q.options.map((o) => ({ ...o, feedbackVoice: { vi: 'rec-vi', hmn: 'rec-hmn' } })),
            }
          : q.type === 'true_false'
            ? {
                ...q,
                feedback: {
                  ...q.feedback,
                  voice: { correct: { vi: 'rec-right' }, incorrect: { hmn: 'rec-not-ready' } },
                },
              }
            : q,
      ),
    };
    const files = { 'rec-vi': file('rec-vi'), 'rec-hmn': file('rec-hmn'), 'rec-right': file('rec-right') };
    const wrong = gradeQuiz(
      spoken,
      [
        { questionId: 'q1', optionIds: ['a'] },
        { questionId: 'q3', answer: false },
      ],
      ['hmn', 'vi'],
      files,
    );
    expect(wrong.questions[0].feedback[0].voice).toEqual({
      ...file('rec-hmn'),
      locale: 'hmn',
      fallback: false,
    });
    // Its recording is still processing: the text alone.
    expect(wrong.questions[2].feedback[0].voice).toBeNull();
    const right = gradeQuiz(spoken, [{ questionId: 'q3', answer: true }], ['hmn', 'vi'], files);
    expect(right.questions[2].feedback[0].voice).toEqual({
      ...file('rec-right'),
      locale: 'vi',
      fallback: true,
    });
  });

  it('never puts the key in the result', () => {
    const grade = gradeQuiz(quiz, [{ questionId: 'q1', optionIds: ['a'] }], ['vi']);
    expect(JSON.stringify(grade)).not.toMatch(
      /"correct":\s*true,\s*"feedback":\[\]|"answer"|"order"|"options"/,
    );
    expect(Object.keys(grade.questions[0]).sort()).toEqual(['correct', 'feedback', 'questionId']);
  });

  it('names answers that do not fit the quiz', () => {
    expect(
      answerProblems(quiz, [
        { questionId: 'nope', answer: true },
        { questionId: 'q1', optionIds: ['a', 'b'] },
        { questionId: 'q1', optionIds: ['b'] },
        { questionId: 'q2', optionIds: ['zzz'] },
        { questionId: 'q3' },
        { questionId: 'q4', order: ['i1', 'i1', 'i2'] },
      ]),
    ).toEqual([
      'answers.0.questionId: not a question of this quiz',
      'answers.1.optionIds: choose exactly one option',
      'answers.2.questionId: answered twice',
      'answers.3.optionIds: not an option of this question',
      'answers.4.answer: true or false is needed',
      'answers.5.order: every item of the question, each once',
    ]);
  });
});

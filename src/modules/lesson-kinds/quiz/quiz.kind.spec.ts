import type { KindLesson, KindRejection } from '../lesson-kind.js';
import { quizKind, type QuizContent } from './quiz.kind.js';

const authored = {
  passMark: 70,
  questions: [
    {
      type: 'single',
      prompt: { vi: 'Ai được biết mã OTP?', hmn: 'Leej twg paub OTP?' },
      options: [
        { text: { vi: 'Không ai' }, correct: true, feedback: { vi: 'Đúng.' } },
        { text: { vi: 'Người gọi điện' }, correct: false },
      ],
    },
    { type: 'true_false', prompt: { vi: 'VNeID mức 2 cần căn cước gắn chip.' }, answer: true },
    { type: 'ordering', prompt: { vi: 'Xếp thứ tự' }, items: [{ vi: 'Một' }, { vi: 'Hai' }, { vi: 'Ba' }] },
  ],
};

function built(raw: unknown = authored): QuizContent {
  const result = quizKind.buildContent(raw);
  if ('problems' in result) throw new Error(result.problems.join('; '));
  return result.content;
}
const problemsOf = (raw: unknown) => {
  const result = quizKind.buildContent(raw);
  return 'problems' in result ? result.problems.join('; ') : '';
};
const lessonOf = (content: QuizContent): KindLesson<QuizContent> => ({
  id: 'l1',
  content,
  mediaDurations: {},
});
const settings = { videoCompletionShare: 0.9, chain: ['vi'] };

describe('quiz lessons', () => {
  it('gives every question and option a server-made id and keeps the answer key', () => {
    const content = built();
    expect(content.maxAttempts).toBeNull();
    const [single, tf, ordering] = content.questions!;
    expect(single.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(single.type === 'single' && single.options.map((o) => o.correct)).toEqual([true, false]);
    expect(tf.type === 'true_false' && tf.answer).toBe(true);
    expect(ordering.type === 'ordering' && ordering.items.map((i) => i.text.vi)).toEqual([
      'Một',
      'Hai',
      'Ba',
    ]);
  });

  it('refuses a single-choice question with two right answers, a multiple-choice one with none, and unknown fields', () => {
    const twoRight = structuredClone(authored);
    twoRight.questions[0].options![1].correct = true;
    expect(problemsOf(twoRight)).toMatch(
      /questions\.0: a single-choice question needs exactly one right option/,
    );
    const noneRight = {
      passMark: 50,
      questions: [
        { type: 'multiple', prompt: { vi: 'x' }, options: [{ text: { vi: 'a' } }, { text: { vi: 'b' } }] },
      ],
    };
    expect(problemsOf(noneRight)).toMatch(/needs right and wrong options/);
    expect(problemsOf({ ...authored, passMark: 120 })).toMatch(/passMark/);
    expect(problemsOf({ ...authored, secret: 1 })).toMatch(/secret/);
  });

  it('gives learners localized content with no answer keys and a stable shuffled ordering', () => {
    const content = built();
    const learner = quizKind.learnerContent(content, ['hmn', 'vi']) as {
      questions: { prompt: unknown; options?: { text: unknown }[]; items?: { text: { text: string } }[] }[];
    };
    expect(JSON.stringify(learner)).not.toMatch(/"correct"|"answer"|"feedback"/);
    const [single, , ordering] = learner.questions;
    expect(single.prompt).toEqual({ text: 'Leej twg paub OTP?', locale: 'hmn', fallback: false });
    expect(single.options![0].text).toEqual({ text: 'Không ai', locale: 'vi', fallback: true });
    const order = ordering.items!.map((i) => i.text.text);
    expect(order).not.toEqual(['Một', 'Hai', 'Ba']);
    expect([...order].sort()).toEqual(['Ba', 'Hai', 'Một']);
    expect(quizKind.learnerContent(content, ['vi'])).toEqual(quizKind.learnerContent(content, ['vi']));
  });

  it('lists its translatable texts by field', () => {
    const fields = quizKind.textFields(built());
    expect(fields.questions).toHaveLength(3 + 2 + 3);
    expect(fields.feedback).toEqual([{ vi: 'Đúng.' }]);
  });

  describe('attempts', () => {
    const content = { ...built(), maxAttempts: 2, cooldownSeconds: 600 };
    const lesson = lessonOf(content);
    const [single, tf] = content.questions!;
    const right = single.type === 'single' ? single.options[0].id : '';
    const wrong = single.type === 'single' ? single.options[1].id : '';
    const attempt = (optionId: string, at: string) => ({
      payload: {
        answers: [
          { questionId: single.id, optionIds: [optionId] },
          { questionId: tf.id, answer: true },
        ],
      },
      at: new Date(at),
      locale: 'vi',
    });

    it('keeps the last score by client time, whatever order attempts arrive in', () => {
      const early = attempt(wrong, '2026-11-29T08:00:00Z');
      const late = attempt(right, '2026-11-29T09:00:00Z');
      const inOrder = quizKind.emptyState();
      quizKind.apply(inOrder, early, lesson, settings);
      quizKind.apply(inOrder, late, lesson, settings);
      const reversed = quizKind.emptyState();
      quizKind.apply(reversed, late, lesson, settings);
      quizKind.apply(reversed, early, lesson, settings);
      expect(reversed).toEqual(inOrder);
      expect(inOrder.lastScore).toBe(67);
      expect(inOrder.bestScore).toBe(67);
    });

    it('refuses attempts inside the cooldown either side, and past the limit', () => {
      const state = quizKind.emptyState();
      quizKind.apply(state, attempt(wrong, '2026-11-29T09:00:00Z'), lesson, settings);
      const before = quizKind.apply(state, attempt(right, '2026-11-29T08:55:00Z'), lesson, settings);
      expect((before as KindRejection).code).toBe('QUIZ_COOLDOWN');
      quizKind.apply(state, attempt(wrong, '2026-11-29T10:00:00Z'), lesson, settings);
      const third = quizKind.apply(state, attempt(right, '2026-11-29T12:00:00Z'), lesson, settings);
      expect((third as KindRejection).code).toBe('QUIZ_NO_ATTEMPTS_LEFT');
      expect(state.attemptTimes).toHaveLength(2);
    });

    it('refuses an attempt without answers and answers that do not fit the quiz', () => {
      expect(quizKind.check({}, lesson)?.code).toBe('EVENT_INVALID');
      const foreign = { answers: [{ questionId: '00000000-0000-4000-8000-000000000000', answer: true }] };
      expect(quizKind.check(foreign, lesson)?.code).toBe('EVENT_INVALID_ANSWERS');
    });
  });

  describe("the trainer's editor", () => {
    const teach = quizKind.portal.teach!;

    it('builds questions from flat option rows and names each problem by question number', () => {
      const rows = teach.rowsFromForm({
        passMark: '80',
        qId: ['', ''],
        qType: ['single', 'true_false'],
        qPromptVi: ['Ai được biết mã OTP?', 'Ngân hàng không hỏi mã OTP.'],
        qPromptSecond: ['', ''],
        qTrue: '1',
        oQuestion: ['0', '0', '0'],
        oId: ['', '', ''],
        oTextVi: ['Không ai', 'Người lạ', ''],
        oTextSecond: ['', '', ''],
        oCorrect: ['0', '1'],
      });
      expect(teach.contentFrom(rows, undefined, 'hmn').problems).toEqual([
        { key: 'teach.problem.singleRight', params: { n: 1 } },
      ]);
      (rows.questions as { options: { correct: boolean }[] }[])[0].options[1].correct = false;
      const { content, problems } = teach.contentFrom(rows, undefined, 'hmn');
      expect(problems).toEqual([]);
      expect(content).toMatchObject({
        passMark: 80,
        questions: [
          {
            type: 'single',
            options: [
              { text: { vi: 'Không ai' }, correct: true },
              { text: { vi: 'Người lạ' }, correct: false },
            ],
          },
          { type: 'true_false', answer: true },
        ],
      });
      // What the editor makes is what the API accepts.
      expect(problemsOf(content)).toBe('');
    });

    it('keeps other languages, feedback and settings of stored questions found by id', () => {
      const stored = { ...built(), maxAttempts: 3 };
      const rows = teach.rows(stored, 'hmn');
      const { content } = teach.contentFrom(rows, stored, 'hmn');
      expect(content).toMatchObject({ maxAttempts: 3, passMark: 70 });
      const [single] = content.questions as { prompt: object; options: { feedback: object }[] }[];
      expect(single.prompt).toEqual({ vi: 'Ai được biết mã OTP?', hmn: 'Leej twg paub OTP?' });
      expect(single.options[0].feedback).toEqual({ vi: 'Đúng.' });
    });

    it('numbers option rows across questions so checkbox values point at the right row', () => {
      const stored = built({
        passMark: 50,
        questions: [
          {
            type: 'single',
            prompt: { vi: 'Câu 1' },
            options: [{ text: { vi: 'A' }, correct: true }, { text: { vi: 'B' } }],
          },
        ],
      });
      const model = teach.editor(teach.rows(stored, 'hmn')) as {
        questions: { isNew: boolean; options: { row: number }[] }[];
      };
      // Two stored options, two blank rows to add more, then the new question's four.
      expect(model.questions.map((q) => q.options.map((o) => o.row))).toEqual([
        [0, 1, 2, 3],
        [4, 5, 6, 7],
      ]);
      expect(model.questions[1].isNew).toBe(true);
    });
  });
});

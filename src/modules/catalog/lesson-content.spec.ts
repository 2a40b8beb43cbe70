import { buildLessonContent, lessonTextFields, toLearnerContent } from './lesson-content.js';

const quiz = {
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

describe('lesson content', () => {
  it('gives every question, option and step a server-made id and keeps the answer key', () => {
    const content = buildLessonContent('quiz', quiz);
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
    const twoRight = structuredClone(quiz);
    twoRight.questions[0].options![1].correct = true;
    expect(() => buildLessonContent('quiz', twoRight)).toThrow(
      /questions\.0: a single-choice question needs exactly one right option/,
    );
    const noneRight = {
      passMark: 50,
      questions: [
        { type: 'multiple', prompt: { vi: 'x' }, options: [{ text: { vi: 'a' } }, { text: { vi: 'b' } }] },
      ],
    };
    expect(() => buildLessonContent('quiz', noneRight)).toThrow(/needs right and wrong options/);
    expect(() => buildLessonContent('quiz', { ...quiz, passMark: 120 })).toThrow(/passMark/);
    expect(() =>
      buildLessonContent('guide', { steps: [{ title: { vi: 'a' }, body: { vi: 'b' } }], secret: 1 }),
    ).toThrow(/secret/);
    expect(() => buildLessonContent('video', { url: 'http://x' })).toThrow(/upload media instead/);
  });

  it('gives learners localized content with no answer keys and a shuffled ordering', () => {
    const content = buildLessonContent('quiz', quiz);
    const learner = toLearnerContent('quiz', content, ['hmn', 'vi']);
    const text = JSON.stringify(learner);
    expect(text).not.toMatch(/"correct"|"answer"|"feedback"/);
    const [single, , ordering] = learner.questions!;
    expect(single.prompt).toEqual({ text: 'Leej twg paub OTP?', locale: 'hmn', fallback: false });
    expect('options' in single && single.options[0].text).toEqual({
      text: 'Không ai',
      locale: 'vi',
      fallback: true,
    });
    const order = 'items' in ordering ? ordering.items.map((i) => i.text.text) : [];
    expect(order).not.toEqual(['Một', 'Hai', 'Ba']);
    expect([...order].sort()).toEqual(['Ba', 'Hai', 'Một']);
    // Stable: the same question always shows the same order (cacheable).
    expect(toLearnerContent('quiz', content, ['vi'])).toEqual(toLearnerContent('quiz', content, ['vi']));
  });

  it('lists the translatable texts of a lesson by field', () => {
    const fields = lessonTextFields(buildLessonContent('quiz', quiz));
    expect(fields.questions).toHaveLength(3 + 2 + 3);
    expect(fields.feedback).toEqual([{ vi: 'Đúng.' }]);
  });
});

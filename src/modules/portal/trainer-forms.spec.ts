import type { LessonContent } from '../catalog/entities/lesson.entity.js';
import {
  contentFromRows,
  editorModel,
  LessonFormDto,
  merge,
  rowsFromForm,
  rowsFromLesson,
} from './trainer-forms.js';

const form = (fields: Partial<LessonFormDto>) => Object.assign(new LessonFormDto(), fields);

describe('trainer lesson forms', () => {
  it('replaces Vietnamese and the second language and keeps the others', () => {
    expect(merge({ vi: 'Cũ', hmn: 'Qub', tyz: 'Cũ tày' }, 'hmn', ' Mới ', '')).toEqual({
      vi: 'Mới',
      tyz: 'Cũ tày',
    });
    expect(merge(undefined, 'vi', 'Chỉ tiếng Việt', 'ignored')).toEqual({ vi: 'Chỉ tiếng Việt' });
  });

  it('reads step rows by index, dropping removed and blank rows, keeping other languages by step id', () => {
    const stored: LessonContent = {
      steps: [
        { id: 's1', title: { vi: 'Mở', ium: 'Nqoi' }, body: { vi: 'Chạm', ium: 'Bui' } },
        { id: 's2', title: { vi: 'Bỏ' }, body: { vi: 'Bỏ' } },
      ],
    };
    const rows = rowsFromForm(
      form({
        stepId: ['s1', 's2', ''],
        stepTitleVi: ['Mở ứng dụng', 'Bỏ', ''],
        stepTitleSecond: ['Qhib', '', ''],
        stepBodyVi: ['Chạm vào biểu tượng', 'Bỏ', ''],
        stepBodySecond: ['', '', ''],
        removeStep: '1',
      }),
    );
    expect(rows.steps.map((s) => s.id)).toEqual(['s1']);
    const { content, problems } = contentFromRows('guide', rows, stored, 'hmn');
    expect(problems).toEqual([]);
    expect(content).toEqual({
      steps: [
        {
          title: { vi: 'Mở ứng dụng', hmn: 'Qhib', ium: 'Nqoi' },
          body: { vi: 'Chạm vào biểu tượng', ium: 'Bui' },
        },
      ],
    });
  });

  it('builds quiz questions from flat option rows and names each problem by question number', () => {
    const rows = rowsFromForm(
      form({
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
      }),
    );
    expect(contentFromRows('quiz', rows, {}, 'hmn').problems).toEqual([
      { key: 'teach.problem.singleRight', params: { n: 1 } },
    ]);
    rows.questions[0].options[1].correct = false;
    const { content, problems } = contentFromRows('quiz', rows, {}, 'hmn');
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
  });

  it('numbers option rows across questions so checkbox values point at the right row', () => {
    const model = editorModel(
      rowsFromLesson(
        {
          title: { vi: 'Kiểm tra' },
          summary: {},
          content: {
            questions: [
              {
                id: 'q1',
                type: 'single',
                prompt: { vi: 'Câu 1' },
                options: [
                  { id: 'o1', text: { vi: 'A' }, correct: true, feedback: {} },
                  { id: 'o2', text: { vi: 'B' }, correct: false, feedback: {} },
                ],
              },
            ],
          },
        },
        'hmn',
      ),
    );
    // Two stored options, two blank rows to add more, then the new question's four.
    expect(model.questions.map((q) => q.options.map((o) => o.row))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(model.questions[1].isNew).toBe(true);
  });
});

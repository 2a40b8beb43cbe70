import { merge } from '../form-texts.js';
import { guideKind, type GuideContent } from './guide.kind.js';

function built(raw: unknown): GuideContent {
  const result = guideKind.buildContent(raw);
  if ('problems' in result) throw new Error(result.problems.join('; '));
  return result.content;
}
const settings = { videoCompletionShare: 0.9, chain: ['vi'] };
const at = new Date('2026-11-29T08:00:00Z');

describe('guide lessons', () => {
  const content = built({
    steps: [
      { title: { vi: 'Mở ứng dụng' }, body: { vi: 'Chạm vào biểu tượng VNeID.' } },
      { title: { vi: 'Đăng nhập' }, body: { vi: 'Nhập số định danh.', hmn: 'Sau tus lej.' } },
    ],
  });
  const lesson = { id: 'l1', content, mediaDurations: {} };

  it('refuses unknown fields and steps without Vietnamese', () => {
    expect(guideKind.buildContent({ steps: [{ title: { vi: 'a' }, body: { vi: 'b' } }], secret: 1 })).toEqual(
      {
        problems: [expect.stringMatching(/secret/)],
      },
    );
    expect(
      'problems' in guideKind.buildContent({ steps: [{ title: { hmn: 'a' }, body: { vi: 'b' } }] }),
    ).toBe(true);
  });

  it('is done when every step is, in any order, and a step done twice counts once', () => {
    const [one, two] = content.steps!;
    const state = guideKind.emptyState();
    const step = (stepId: string) => ({ payload: { stepId }, at, locale: 'vi' });
    expect(guideKind.apply(state, step(two.id), lesson, settings)).toEqual({ completes: false });
    expect(guideKind.apply(state, step(two.id), lesson, settings)).toEqual({ completes: false });
    expect(guideKind.apply(state, step(one.id), lesson, settings)).toEqual({ completes: true });
    expect(guideKind.progress(lesson, state, settings, true)).toEqual({
      stepsDone: [two.id, one.id],
      stepCount: 2,
    });
    expect(guideKind.check({ stepId: '00000000-0000-4000-8000-000000000000' }, lesson)?.code).toBe(
      'EVENT_UNKNOWN_STEP',
    );
  });

  describe("the trainer's editor", () => {
    const teach = guideKind.portal.teach!;

    it('replaces Vietnamese and the second language and keeps the others', () => {
      expect(merge({ vi: 'Cũ', hmn: 'Qub', tyz: 'Cũ tày' }, 'hmn', ' Mới ', '')).toEqual({
        vi: 'Mới',
        tyz: 'Cũ tày',
      });
      expect(merge(undefined, 'vi', 'Chỉ tiếng Việt', 'ignored')).toEqual({ vi: 'Chỉ tiếng Việt' });
    });

    it('reads step rows by index, dropping removed and blank rows, keeping other languages by step id', () => {
      const stored = {
        steps: [
          { id: 's1', title: { vi: 'Mở', ium: 'Nqoi' }, body: { vi: 'Chạm', ium: 'Bui' } },
          { id: 's2', title: { vi: 'Bỏ' }, body: { vi: 'Bỏ' } },
        ],
      };
      const rows = teach.rowsFromForm({
        stepId: ['s1', 's2', ''],
        stepTitleVi: ['Mở ứng dụng', 'Bỏ', ''],
        stepTitleSecond: ['Qhib', '', ''],
        stepBodyVi: ['Chạm vào biểu tượng', 'Bỏ', ''],
        stepBodySecond: ['', '', ''],
        removeStep: '1',
      });
      expect((rows.steps as { id: string }[]).map((s) => s.id)).toEqual(['s1']);
      const { content, problems } = teach.contentFrom(rows, stored, 'hmn');
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

    it('names a step without Vietnamese by its number', () => {
      const rows = teach.rowsFromForm({
        stepId: [''],
        stepTitleVi: [''],
        stepTitleSecond: ['Qhib'],
        stepBodyVi: ['x'],
        stepBodySecond: [''],
      });
      expect(teach.contentFrom(rows, undefined, 'hmn').problems).toEqual([
        { key: 'teach.problem.stepVi', params: { n: 1 } },
      ]);
    });
  });
});

import { practiceKind, type PracticeContent } from './practice.kind.js';

function built(raw: unknown): PracticeContent {
  const result = practiceKind.buildContent(raw);
  if ('problems' in result) throw new Error(result.problems.join('; '));
  return result.content;
}
const settings = { videoCompletionShare: 0.9, chain: ['hmn', 'vi'] };

describe('practice lessons', () => {
  const content = built({
    task: { vi: 'Tự trả tiền điện tháng này bằng điện thoại.', hmn: 'Them nqi hluav taws xob.' },
    howTo: { vi: 'Mang theo hoá đơn tháng trước.' },
    digitalTask: 'online-bill-payment',
  });
  const lesson = { id: 'l1', content, mediaDurations: {} };

  it('needs the task in Vietnamese and a known digital task; nothing else', () => {
    for (const raw of [
      { task: { hmn: 'a' }, digitalTask: 'other' },
      { task: { vi: 'a' }, digitalTask: 'juggling' },
      { task: { vi: 'a' }, digitalTask: 'other', secret: 1 },
    ])
      expect('problems' in practiceKind.buildContent(raw)).toBe(true);
    // An empty "how" is left out rather than stored empty.
    expect(built({ task: { vi: 'a' }, howTo: {}, digitalTask: 'other' })).toEqual({
      task: { vi: 'a' },
      digitalTask: 'other',
    });
  });

  it('is confirmed by someone else, in person: its event is never the learner’s', () => {
    expect(practiceKind.confirmedInPerson).toBe(true);
    expect(practiceKind.check({}, lesson)?.code).toBe('EVENT_INVALID');
    expect(practiceKind.check({ confirmedBy: 'a3c1d4a8-0d5e-4c8e-9c39-1a2b3c4d5e6f' }, lesson)).toBeNull();
  });

  it('is done at the first confirmation, which stands whatever arrives after', () => {
    const state = practiceKind.emptyState();
    const confirmation = (by: string, iso: string) => ({
      payload: { confirmedBy: by },
      at: new Date(iso),
      locale: 'vi',
    });
    expect(practiceKind.apply(state, confirmation('b', '2026-12-02T03:00:00Z'), lesson, settings)).toEqual({
      completes: true,
    });
    practiceKind.apply(state, confirmation('a', '2026-12-01T03:00:00Z'), lesson, settings);
    practiceKind.apply(state, confirmation('c', '2026-12-03T03:00:00Z'), lesson, settings);
    expect(state).toEqual({ confirmedBy: 'a', confirmedAt: '2026-12-01T03:00:00.000Z' });
    expect(practiceKind.progress(lesson, state, settings, true)).toEqual({
      confirmed: true,
      confirmedAt: '2026-12-01T03:00:00.000Z',
    });
    expect(practiceKind.progress(lesson, null, settings, false)).toEqual({
      confirmed: false,
      confirmedAt: null,
    });
  });

  it('shows the learner the task in their language, and counts its texts for translation', () => {
    expect(practiceKind.learnerContent(content, settings.chain)).toMatchObject({
      task: { text: 'Them nqi hluav taws xob.', locale: 'hmn' },
      howTo: { text: 'Mang theo hoá đơn tháng trước.', locale: 'vi', fallback: true },
      digitalTask: 'online-bill-payment',
    });
    expect(practiceKind.textFields(content)).toEqual({ task: [content.task], howTo: [content.howTo] });
  });

  it('round-trips the trainer’s form, keeping languages the form does not edit', () => {
    const teach = practiceKind.portal.teach!;
    const withDao = { ...content, task: { ...content.task, ium: 'Dao text' } };
    const rows = teach.rowsFromForm({
      taskVi: 'Kích hoạt VNeID mức 2',
      taskSecond: 'Qhib VNeID',
      howToVi: '',
      howToSecond: '',
      digitalTask: 'vneid-level-2',
    });
    const { content: next, problems } = teach.contentFrom(rows, withDao, 'hmn');
    expect(problems).toEqual([]);
    // "How" emptied in the form is gone; Dao, which the form does not edit, stays.
    expect(next).toEqual({
      task: { vi: 'Kích hoạt VNeID mức 2', hmn: 'Qhib VNeID', ium: 'Dao text' },
      digitalTask: 'vneid-level-2',
    });
    expect(teach.contentFrom(teach.rowsFromForm({ digitalTask: 'nonsense' }), undefined, 'hmn')).toEqual({
      content: { task: {}, digitalTask: 'other' },
      problems: [{ key: 'teach.problem.practiceTaskVi' }],
    });
  });
});

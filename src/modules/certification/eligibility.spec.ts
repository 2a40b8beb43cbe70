import { assessEligibility, type CompletionFact } from './eligibility.js';

const rules = { requiredCourseIds: ['a', 'b'], minAverageQuizScore: 70, minHouseholds: 5 };
const done = (
  courseId: string,
  score: number | null,
  at = '2026-10-01T00:00:00Z',
  version = 1,
): CompletionFact => ({
  courseId,
  courseVersionId: `${courseId}-v${version}`,
  version,
  locale: 'hmn',
  averageQuizScore: score,
  completedAt: at,
});
const village = { id: 'v', inProvince: true };

describe('assessEligibility', () => {
  it('is eligible when every item is met', () => {
    const s = assessEligibility(rules, {
      completions: [done('a', 80), done('b', 70)],
      households: 5,
      village,
    });
    expect(s.eligible).toBe(true);
    expect(s.quizAverage).toEqual({ met: true, required: 70, actual: 75 });
    expect(s.courses.map((c) => c.completion?.courseVersionId)).toEqual(['a-v1', 'b-v1']);
  });

  it('names each missing item', () => {
    const s = assessEligibility(rules, { completions: [done('a', 60)], households: 4, village: null });
    expect(s.eligible).toBe(false);
    expect(s.courses.map((c) => c.met)).toEqual([true, false]);
    expect(s.quizAverage.met).toBe(false);
    expect(s.households).toEqual({ met: false, required: 5, actual: 4 });
    expect(s.village.met).toBe(false);
  });

  it('takes the latest completion of a course and ignores courses that are not required', () => {
    const s = assessEligibility(rules, {
      completions: [done('a', 50), done('a', 90, '2026-11-01T00:00:00Z', 2), done('b', 70), done('x', 0)],
      households: 9,
      village,
    });
    expect(s.courses[0].completion?.version).toBe(2);
    expect(s.quizAverage.actual).toBe(80);
    expect(s.eligible).toBe(true);
  });

  it('averages only courses that had a quiz', () => {
    const s = assessEligibility(rules, {
      completions: [done('a', 72), done('b', null)],
      households: 5,
      village,
    });
    expect(s.quizAverage.actual).toBe(72);
    expect(s.eligible).toBe(true);
  });

  it('refuses a village outside the programme province', () => {
    const s = assessEligibility(rules, {
      completions: [done('a', 80), done('b', 80)],
      households: 5,
      village: { id: 'v', inProvince: false },
    });
    expect(s.village).toEqual({ met: false, villageId: 'v' });
    expect(s.eligible).toBe(false);
  });
});

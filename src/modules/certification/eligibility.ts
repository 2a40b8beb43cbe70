/**
 * Whether a candidate meets a programme, item by item. Pure: the service gathers the facts
 * (completions, households, village), this decides. Stored with the application as a snapshot.
 */

export interface ProgrammeRules {
  requiredCourseIds: string[];
  minAverageQuizScore: number;
  minHouseholds: number;
}

/** A programme certifies the villages of one province: its path starts with the province's id. */
export const inProvince = (localityPath: string, provinceId: string) =>
  localityPath.startsWith(`/${provinceId}/`);

export interface CompletionFact {
  courseId: string;
  courseVersionId: string;
  version: number;
  locale: string;
  averageQuizScore: number | null;
  completedAt: Date | string;
}

export interface EligibilityFacts {
  /** The candidate's completions, any order. */
  completions: CompletionFact[];
  /** Distinct households helped (since the previous certificate, for a renewal). */
  households: number;
  /** The village applied for and whether it lies in the programme's province. */
  village: { id: string; inProvince: boolean } | null;
}

export interface CourseItem {
  courseId: string;
  met: boolean;
  completion: Omit<CompletionFact, 'courseId'> | null;
}

export interface EligibilitySnapshot {
  eligible: boolean;
  checkedAt: string;
  courses: CourseItem[];
  quizAverage: { met: boolean; required: number; actual: number | null };
  households: { met: boolean; required: number; actual: number };
  village: { met: boolean; villageId: string | null };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function assessEligibility(
  rules: ProgrammeRules,
  facts: EligibilityFacts,
  now = new Date(),
): EligibilitySnapshot {
  // The latest completion of each course counts (any version: certificates record which).
  const latest = new Map<string, CompletionFact>();
  for (const c of facts.completions) {
    const seen = latest.get(c.courseId);
    if (!seen || new Date(c.completedAt) > new Date(seen.completedAt)) latest.set(c.courseId, c);
  }
  const courses: CourseItem[] = rules.requiredCourseIds.map((courseId) => {
    const c = latest.get(courseId);
    return {
      courseId,
      met: !!c,
      completion: c
        ? {
            courseVersionId: c.courseVersionId,
            version: c.version,
            locale: c.locale,
            averageQuizScore: c.averageQuizScore === null ? null : Number(c.averageQuizScore),
            completedAt: new Date(c.completedAt).toISOString(),
          }
        : null,
    };
  });
  // The average over the required courses that have quizzes; courses without a quiz do not count.
  const scores = courses.flatMap((c) =>
    c.completion?.averageQuizScore != null ? [c.completion.averageQuizScore] : [],
  );
  const average = scores.length > 0 ? round2(scores.reduce((a, b) => a + b, 0) / scores.length) : null;
  const quizMet =
    rules.minAverageQuizScore <= 0 ||
    (average !== null ? average >= rules.minAverageQuizScore : courses.every((c) => c.met));
  const quizAverage = { met: quizMet, required: rules.minAverageQuizScore, actual: average };
  const households = {
    met: facts.households >= rules.minHouseholds,
    required: rules.minHouseholds,
    actual: facts.households,
  };
  const village = { met: !!facts.village?.inProvince, villageId: facts.village?.id ?? null };
  return {
    eligible: courses.every((c) => c.met) && quizAverage.met && households.met && village.met,
    checkedAt: now.toISOString(),
    courses,
    quizAverage,
    households,
    village,
  };
}

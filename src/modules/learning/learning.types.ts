/** The learning vocabulary other modules use: the facts it appends to the outbox, with their payloads. */

/** A learner completed a version of a course (once per version). */
export const COURSE_COMPLETED = 'learning.course_completed';

export interface CourseCompletedEvent {
  completionId: string;
  learnerId: string;
  courseId: string;
  courseVersionId: string;
  version: number;
  locale: string;
  averageQuizScore: number | null;
  completedAt: string;
}

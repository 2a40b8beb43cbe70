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
  /** This completion completed the enrolment (the course's first completed version for the learner). */
  enrolmentCompleted?: boolean;
}

/** A learner was enrolled in a course (by themselves, a trainer, or their first event). */
export const ENROLLED = 'learning.enrolled';
/** A learner's first event in a course was received. */
export const COURSE_STARTED = 'learning.course_started';
/** The first event of a (Vietnam) day was received for a learner in a course. */
export const COURSE_ACTIVE = 'learning.course_active';

/** The payload of ENROLLED, COURSE_STARTED and COURSE_ACTIVE. */
export interface EnrolmentFact {
  learnerId: string;
  courseId: string;
  /** When it happened (the enrolment, the first event's receipt, the day's first event's receipt). */
  at: string;
}

import { DomainError, errorStatuses } from '../../infrastructure/errors/domain-error.js';

export enum LearningErrorCode {
  CourseNotFound = 'LEARNING_COURSE_NOT_FOUND',
  CourseNotAvailable = 'LEARNING_COURSE_NOT_AVAILABLE',
  LessonNotFound = 'LEARNING_LESSON_NOT_FOUND',
  SyncBatchTooLarge = 'SYNC_BATCH_TOO_LARGE',
}

/** The HTTP status of each code (read by the JSON filter and the portal's pages). */
export const LEARNING_ERROR_STATUS = errorStatuses({
  [LearningErrorCode.CourseNotAvailable]: 409,
  [LearningErrorCode.CourseNotFound]: 404,
  [LearningErrorCode.LessonNotFound]: 404,
  [LearningErrorCode.SyncBatchTooLarge]: 413,
} satisfies Record<LearningErrorCode, number>);

/**
 * Why one event of a batch was not taken, before its kind looks at it. Sent per event in the sync
 * receipt; each lesson kind adds its own codes (`rejections` in its definition).
 */
export enum EventRejectionCode {
  Invalid = 'EVENT_INVALID',
  InFuture = 'EVENT_IN_FUTURE',
  LessonNotFound = 'EVENT_LESSON_NOT_FOUND',
  WrongLessonKind = 'EVENT_WRONG_LESSON_KIND',
  CourseNotAvailable = 'EVENT_COURSE_NOT_AVAILABLE',
}

/** The status an event refused on its own (the online route) is answered with. */
export const EVENT_REJECTION_STATUS = errorStatuses({
  [EventRejectionCode.Invalid]: 400,
  [EventRejectionCode.InFuture]: 400,
  [EventRejectionCode.LessonNotFound]: 404,
  [EventRejectionCode.WrongLessonKind]: 400,
  [EventRejectionCode.CourseNotAvailable]: 409,
} satisfies Record<EventRejectionCode, number>);

export class LearningError extends DomainError {
  static courseNotFound() {
    return new LearningError(
      LearningErrorCode.CourseNotFound,
      'This course does not exist or is not published.',
    );
  }
  static courseNotAvailable() {
    return new LearningError(
      LearningErrorCode.CourseNotAvailable,
      'This course is archived and takes no new learners.',
    );
  }
  static lessonNotFound() {
    return new LearningError(
      LearningErrorCode.LessonNotFound,
      'This lesson does not exist or is not published.',
    );
  }
}

/** One event refused: the rest of its batch still counts. */
export class EventRejection {
  constructor(
    readonly code: EventRejectionCode,
    readonly message: string,
    readonly details?: Record<string, unknown>,
  ) {}
}

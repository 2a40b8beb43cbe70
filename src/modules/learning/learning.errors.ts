import { DomainError } from '../../infrastructure/http/domain-error.js';

export enum LearningErrorCode {
  CourseNotFound = 'LEARNING_COURSE_NOT_FOUND',
  CourseNotAvailable = 'LEARNING_COURSE_NOT_AVAILABLE',
  LessonNotFound = 'LEARNING_LESSON_NOT_FOUND',
  SyncBatchTooLarge = 'SYNC_BATCH_TOO_LARGE',
  OutsideLocality = 'LEARNING_OUTSIDE_YOUR_LOCALITY',
}

/** Why one event of a batch was not taken. Sent per event in the sync receipt. */
export enum EventRejectionCode {
  Invalid = 'EVENT_INVALID',
  InFuture = 'EVENT_IN_FUTURE',
  LessonNotFound = 'EVENT_LESSON_NOT_FOUND',
  WrongLessonKind = 'EVENT_WRONG_LESSON_KIND',
  CourseNotAvailable = 'EVENT_COURSE_NOT_AVAILABLE',
  VideoNotAvailable = 'EVENT_VIDEO_NOT_AVAILABLE',
  HeartbeatTooLong = 'EVENT_HEARTBEAT_TOO_LONG',
  UnknownStep = 'EVENT_UNKNOWN_STEP',
  InvalidAnswers = 'EVENT_INVALID_ANSWERS',
  NoAttemptsLeft = 'QUIZ_NO_ATTEMPTS_LEFT',
  Cooldown = 'QUIZ_COOLDOWN',
}

export class LearningError extends DomainError {
  static courseNotFound() {
    return new LearningError(
      LearningErrorCode.CourseNotFound,
      'This course does not exist or is not published.',
      404,
    );
  }
  static courseNotAvailable() {
    return new LearningError(
      LearningErrorCode.CourseNotAvailable,
      'This course is archived and takes no new learners.',
      409,
    );
  }
  static lessonNotFound() {
    return new LearningError(
      LearningErrorCode.LessonNotFound,
      'This lesson does not exist or is not published.',
      404,
    );
  }
  static outsideLocality() {
    return new LearningError(
      LearningErrorCode.OutsideLocality,
      'This locality is outside the area you coordinate.',
      403,
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

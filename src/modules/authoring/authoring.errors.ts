import { DomainError, errorStatuses } from '../../infrastructure/errors/domain-error.js';

export enum AuthoringErrorCode {
  NotOwner = 'AUTHORING_NOT_OWNER',
  SlugTaken = 'AUTHORING_SLUG_TAKEN',
  NoDraft = 'AUTHORING_NO_DRAFT',
  VersionLocked = 'AUTHORING_VERSION_LOCKED',
  DraftExists = 'AUTHORING_DRAFT_EXISTS',
  NothingPublished = 'AUTHORING_NOTHING_PUBLISHED',
  NotInReview = 'AUTHORING_NOT_IN_REVIEW',
  FourEyes = 'AUTHORING_FOUR_EYES',
  EmptyCourse = 'AUTHORING_EMPTY_COURSE',
  UnknownLearnerGroup = 'AUTHORING_UNKNOWN_LEARNER_GROUP',
  LessonNotFound = 'AUTHORING_LESSON_NOT_FOUND',
  BadLessonOrder = 'AUTHORING_BAD_LESSON_ORDER',
  VersionNotFound = 'AUTHORING_VERSION_NOT_FOUND',
  Conflict = 'AUTHORING_CONFLICT',
  NotAVideo = 'AUTHORING_NOT_A_VIDEO',
  InvalidSubtitles = 'AUTHORING_INVALID_WEBVTT',
  MediaNotUsable = 'AUTHORING_MEDIA_NOT_USABLE',
}

/** The HTTP status of each code (read by the JSON filter and the portal's pages). */
export const AUTHORING_ERROR_STATUS = errorStatuses({
  [AuthoringErrorCode.BadLessonOrder]: 400,
  [AuthoringErrorCode.Conflict]: 409,
  [AuthoringErrorCode.DraftExists]: 409,
  [AuthoringErrorCode.EmptyCourse]: 400,
  [AuthoringErrorCode.FourEyes]: 403,
  [AuthoringErrorCode.InvalidSubtitles]: 400,
  [AuthoringErrorCode.LessonNotFound]: 404,
  [AuthoringErrorCode.MediaNotUsable]: 409,
  [AuthoringErrorCode.NoDraft]: 409,
  [AuthoringErrorCode.NotAVideo]: 400,
  [AuthoringErrorCode.NotInReview]: 409,
  [AuthoringErrorCode.NotOwner]: 403,
  [AuthoringErrorCode.NothingPublished]: 409,
  [AuthoringErrorCode.SlugTaken]: 409,
  [AuthoringErrorCode.UnknownLearnerGroup]: 400,
  [AuthoringErrorCode.VersionLocked]: 409,
  [AuthoringErrorCode.VersionNotFound]: 404,
} satisfies Record<AuthoringErrorCode, number>);

export class AuthoringError extends DomainError {
  static locked() {
    return new AuthoringError(
      AuthoringErrorCode.VersionLocked,
      'This version is waiting for review and cannot be edited. Withdraw it first.',
    );
  }
  static noDraft() {
    return new AuthoringError(
      AuthoringErrorCode.NoDraft,
      'There is no draft to edit. Published versions never change: start a new draft version.',
    );
  }
  static conflict() {
    return new AuthoringError(
      AuthoringErrorCode.Conflict,
      'Someone else changed this version first. Reload it.',
    );
  }
}

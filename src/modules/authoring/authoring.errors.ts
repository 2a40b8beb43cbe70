import { DomainError } from '../../infrastructure/http/domain-error.js';

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

export class AuthoringError extends DomainError {
  static locked() {
    return new AuthoringError(
      AuthoringErrorCode.VersionLocked,
      'This version is waiting for review and cannot be edited. Withdraw it first.',
      409,
    );
  }
  static noDraft() {
    return new AuthoringError(
      AuthoringErrorCode.NoDraft,
      'There is no draft to edit. Published versions never change: start a new draft version.',
      409,
    );
  }
  static conflict() {
    return new AuthoringError(
      AuthoringErrorCode.Conflict,
      'Someone else changed this version first. Reload it.',
      409,
    );
  }
}

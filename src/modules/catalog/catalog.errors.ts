import { DomainError, errorStatuses } from '../../infrastructure/errors/domain-error.js';

export enum CatalogErrorCode {
  LearnerGroupNotFound = 'CATALOG_LEARNER_GROUP_NOT_FOUND',
  LearnerGroupCodeTaken = 'CATALOG_LEARNER_GROUP_CODE_TAKEN',
  CourseNotFound = 'CATALOG_COURSE_NOT_FOUND',
  LessonNotFound = 'CATALOG_LESSON_NOT_FOUND',
  InvalidLessonContent = 'CATALOG_INVALID_LESSON_CONTENT',
}

/** The HTTP status of each code (read by the JSON filter and the portal's pages). */
export const CATALOG_ERROR_STATUS = errorStatuses({
  [CatalogErrorCode.CourseNotFound]: 404,
  [CatalogErrorCode.InvalidLessonContent]: 400,
  [CatalogErrorCode.LearnerGroupCodeTaken]: 409,
  [CatalogErrorCode.LearnerGroupNotFound]: 404,
  [CatalogErrorCode.LessonNotFound]: 404,
} satisfies Record<CatalogErrorCode, number>);

export class CatalogError extends DomainError {
  static courseNotFound() {
    return new CatalogError(CatalogErrorCode.CourseNotFound, 'The course was not found.');
  }
  static lessonNotFound() {
    return new CatalogError(CatalogErrorCode.LessonNotFound, 'The lesson was not found.');
  }
}

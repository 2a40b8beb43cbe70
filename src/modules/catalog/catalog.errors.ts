import { DomainError } from '../../infrastructure/http/domain-error.js';

export enum CatalogErrorCode {
  LearnerGroupNotFound = 'CATALOG_LEARNER_GROUP_NOT_FOUND',
  LearnerGroupCodeTaken = 'CATALOG_LEARNER_GROUP_CODE_TAKEN',
  CourseNotFound = 'CATALOG_COURSE_NOT_FOUND',
  LessonNotFound = 'CATALOG_LESSON_NOT_FOUND',
  InvalidLessonContent = 'CATALOG_INVALID_LESSON_CONTENT',
}

export class CatalogError extends DomainError {
  static courseNotFound() {
    return new CatalogError(CatalogErrorCode.CourseNotFound, 'The course was not found.', 404);
  }
  static lessonNotFound() {
    return new CatalogError(CatalogErrorCode.LessonNotFound, 'The lesson was not found.', 404);
  }
}

/**
 * What other modules may know of the catalog's data: its vocabulary and the shapes its services
 * return. Entities and repositories stay inside the module.
 */
export {
  COURSE_STATUSES,
  COURSE_TOPICS,
  type CourseStatus,
  type CourseTopic,
  type CourseVersionEntity as CourseVersion,
} from './entities/course-version.entity.js';
export type { CourseEntity as Course } from './entities/course.entity.js';
export type { LessonContent, LessonEntity as Lesson, Texts } from './entities/lesson.entity.js';

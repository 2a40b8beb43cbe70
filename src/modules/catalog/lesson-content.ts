import { lessonKind } from '../lesson-kinds/lesson-kinds.js';
import { CatalogError, CatalogErrorCode } from './catalog.errors.js';
import type { LessonContent } from './entities/lesson.entity.js';

/**
 * Validates authored content through its kind and gives its parts server-made ids; a 400 listing
 * every problem by path otherwise.
 */
export function buildLessonContent(kind: string, raw: unknown): LessonContent {
  const built = lessonKind(kind).buildContent(raw);
  if ('problems' in built) {
    throw new CatalogError(CatalogErrorCode.InvalidLessonContent, built.problems.join('; '), {
      problems: built.problems,
    });
  }
  return built.content as LessonContent;
}

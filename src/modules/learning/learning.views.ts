import type { LearnableLesson } from '../catalog/learnable-content.service.js';
import { lessonKind } from '../lesson-kinds/lesson-kinds.js';
import type { LessonProgressResponse } from './dto/learning-responses.dto.js';
import type { ProgressState } from './learning.repository.js';

/** A learner's summary of one lesson as the API shows it: the kind's summary under its name. */
export function lessonProgressResponse(
  lesson: LearnableLesson,
  state: ProgressState | null,
  videoCompletionShare: number,
): LessonProgressResponse {
  const kind = lessonKind(lesson.kind);
  return {
    lessonId: lesson.id,
    lessonKey: lesson.lessonKey,
    kind: lesson.kind,
    status: state?.status ?? 'not_started',
    completedAt: state?.completedAt?.toISOString() ?? null,
    [lesson.kind]: kind.progress(
      { id: lesson.id, content: lesson.content, mediaDurations: lesson.mediaDurations },
      state?.state ?? null,
      { videoCompletionShare },
      state?.status === 'completed',
    ),
  };
}

import type { LearnableLesson } from '../catalog/learnable-content.service.js';
import type { LessonProgressResponse } from './dto/learning-responses.dto.js';
import type { ProgressState } from './learning.repository.js';

const share = (watched: number, duration: number | null) =>
  duration ? Math.min(1, Math.round((1000 * watched) / duration) / 1000) : 0;

/** A learner's summary of one lesson as the API shows it (never the quiz key). */
export function lessonProgressResponse(
  lesson: LearnableLesson,
  state: ProgressState | null,
  requiredShare: number,
): LessonProgressResponse {
  const base = {
    lessonId: lesson.id,
    lessonKey: lesson.lessonKey,
    kind: lesson.kind,
    status: state?.status ?? 'not_started',
    completedAt: state?.completedAt?.toISOString() ?? null,
  };
  if (lesson.kind === 'video') {
    const duration = state?.durationSeconds ?? Object.values(lesson.videoDurations)[0] ?? null;
    return {
      ...base,
      video: {
        watchedSeconds: state?.watchedSeconds ?? 0,
        durationSeconds: duration,
        watchedShare: share(state?.watchedSeconds ?? 0, duration),
        requiredShare,
        positionSeconds: state?.positionSeconds ?? null,
      },
    };
  }
  if (lesson.kind === 'guide') {
    return {
      ...base,
      guide: { stepsDone: state?.stepsDone ?? [], stepCount: lesson.content.steps?.length ?? 0 },
    };
  }
  const { maxAttempts, cooldownSeconds, passMark } = lesson.content;
  const attempts = state?.attemptTimes.length ?? 0;
  const last = state?.attemptTimes.at(-1);
  const nextAt = last && cooldownSeconds ? new Date(last.getTime() + cooldownSeconds * 1000) : null;
  return {
    ...base,
    quiz: {
      attempts,
      attemptsLeft: maxAttempts ? Math.max(0, maxAttempts - attempts) : null,
      bestScore: state?.bestScore ?? null,
      lastScore: state?.lastScore ?? null,
      passMark: passMark ?? 0,
      passed: state?.status === 'completed',
      nextAttemptAt: nextAt && nextAt.getTime() > Date.now() ? nextAt.toISOString() : null,
    },
  };
}

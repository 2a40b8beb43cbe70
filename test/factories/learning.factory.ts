import { randomUUID } from 'node:crypto';
import { api } from '../support/api.js';
import { sampleVideo, uploadVideo, waitForMedia } from '../support/media.js';
import {
  addLessons,
  createCourse,
  guideLesson,
  publishCourse,
  quizLesson,
  videoLesson,
} from './course.factory.js';
import type { TestUser } from './user.factory.js';

export interface LearnableCourse {
  courseId: string;
  videoId: string;
  guideId: string;
  quizId: string;
  /** Seconds, as measured by the media pipeline. */
  duration: number;
  stepIds: string[];
  /** Answers that pass the factory quiz, and answers that fail it. */
  rightAnswers: unknown[];
  wrongAnswers: unknown[];
}

const videos = new Map<string, Promise<Buffer>>();

/**
 * A published course (video with a processed sample video in vi, guide, quiz) ready for learners.
 * The default 320×180 video has one video rendition; 640×360 gives a ladder of several.
 */
export async function learnableCourse(
  author: TestUser,
  reviewer: TestUser,
  size: { width: number; height: number } = { width: 320, height: 180 },
): Promise<LearnableCourse> {
  const key = `${size.width}x${size.height}`;
  if (!videos.has(key)) videos.set(key, sampleVideo({ seconds: 12, ...size }));
  const video = await videos.get(key)!;
  const courseId = await createCourse(author.accessToken);
  await addLessons(author.accessToken, courseId, [videoLesson, guideLesson, quizLesson]);
  const { mediaId } = await uploadVideo(author.accessToken, video);
  const media = await waitForMedia(author.accessToken, mediaId);
  if (media.status !== 'ready') throw new Error(`sample video failed: ${JSON.stringify(media.failure)}`);
  const draft = (await api(`/api/v1/authoring/courses/${courseId}/versions/1`, { token: author.accessToken }))
    .body;
  const [v, g, q] = draft.lessons;
  const attach = await api(`/api/v1/authoring/courses/${courseId}/draft/lessons/${v.lessonKey}/media/vi`, {
    method: 'PUT',
    token: author.accessToken,
    body: { mediaId },
  });
  if (attach.status !== 200) throw new Error(`attach failed: ${attach.status} ${attach.text}`);
  await publishCourse(author.accessToken, reviewer.accessToken, courseId);
  const [single, multiple, trueFalse, ordering] = q.content.questions;
  const right = (o: { correct: boolean }) => o.correct;
  return {
    courseId,
    videoId: v.id,
    guideId: g.id,
    quizId: q.id,
    duration: media.durationSeconds,
    stepIds: g.content.steps.map((s: { id: string }) => s.id),
    rightAnswers: [
      { questionId: single.id, optionIds: single.options.filter(right).map((o: any) => o.id) },
      { questionId: multiple.id, optionIds: multiple.options.filter(right).map((o: any) => o.id) },
      { questionId: trueFalse.id, answer: true },
      { questionId: ordering.id, order: ordering.items.map((i: any) => i.id) },
    ],
    wrongAnswers: [
      {
        questionId: single.id,
        optionIds: single.options.filter((o: any) => !o.correct).map((o: any) => o.id),
      },
      { questionId: multiple.id, optionIds: [multiple.options[0].id] },
      { questionId: trueFalse.id, answer: false },
      { questionId: ordering.id, order: [...ordering.items].reverse().map((i: any) => i.id) },
    ],
  };
}

/** A client event as the portal's offline queue would send it. */
export function progressEvent(
  type: 'video.heartbeat' | 'guide.step' | 'quiz.attempt',
  lessonId: string,
  fields: Record<string, unknown> = {},
  at = new Date(),
) {
  return { id: randomUUID(), type, lessonId, at: at.toISOString(), ...fields };
}

/** Heartbeats covering [from, to) in `step`-second stretches. */
export function heartbeats(
  lessonId: string,
  from: number,
  to: number,
  step = 10,
  start = Date.now() - 3_600_000,
) {
  const out = [];
  for (let t = from; t < to; t += step) {
    const end = Math.min(to, t + step);
    out.push(
      progressEvent(
        'video.heartbeat',
        lessonId,
        { intervals: [[t, end]], position: end, locale: 'vi' },
        new Date(start + t * 1000),
      ),
    );
  }
  return out;
}

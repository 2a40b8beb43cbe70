import { randomUUID } from 'node:crypto';
import { sampleVideo } from '../support/media.js';
import { courseFactories, guideLesson, quizAnswers, quizLesson, videoLesson } from './course.factory.js';
import type { PlatformDriver, TestUser } from './driver.js';
import { httpDriver } from './http-driver.js';

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

/** Courses ready for learners, built through `via` (HTTP for e2e tests, services for service tests). */
export function learningFactories(via: PlatformDriver) {
  const courses = courseFactories(via);

  /**
   * A published course (video with a processed sample video in vi, guide, quiz) ready for learners.
   * The default 320×180 video has one video rendition; 640×360 gives a ladder of several.
   */
  async function learnableCourse(
    author: TestUser,
    reviewer: TestUser,
    size: { width: number; height: number } = { width: 320, height: 180 },
  ): Promise<LearnableCourse> {
    const key = `${size.width}x${size.height}`;
    if (!videos.has(key)) videos.set(key, sampleVideo({ seconds: 12, ...size }));
    const video = await videos.get(key)!;
    const courseId = await courses.createCourse(author.accessToken);
    await courses.addLessons(author.accessToken, courseId, [videoLesson, guideLesson, quizLesson]);
    const mediaId = await via.uploadVideo(author.accessToken, video);
    const media = await via.processedVideo(author.accessToken, mediaId);
    if (media.status !== 'ready') throw new Error(`sample video failed: ${JSON.stringify(media.failure)}`);
    const [v, g, q] = await via.lessons(author.accessToken, courseId, 1);
    await via.attachVideo(author.accessToken, courseId, v.lessonKey, 'vi', mediaId);
    await courses.publishCourse(author.accessToken, reviewer.accessToken, courseId);
    const answers = quizAnswers(q);
    return {
      courseId,
      videoId: v.id,
      guideId: g.id,
      quizId: q.id,
      duration: media.durationSeconds!,
      stepIds: g.content.steps.map((s: { id: string }) => s.id),
      rightAnswers: answers.right,
      wrongAnswers: answers.wrong,
    };
  }

  return { learnableCourse };
}

export const { learnableCourse } = learningFactories(httpDriver);

/** A client event as the portal's offline queue would send it. */
export function progressEvent(
  type: 'video.heartbeat' | 'guide.step' | 'quiz.attempt' | 'practice.confirmed',
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

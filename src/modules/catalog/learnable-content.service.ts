import { Inject, Injectable } from '@nestjs/common';
import { TtlCache } from '../../infrastructure/cache/ttl-cache.js';
import { pickLocalized } from '../../infrastructure/i18n/locales.js';
import { MediaService } from '../media/media.service.js';
import { CATALOG_CACHE_MS } from './course-catalog.service.js';
import { CourseRepository } from './course.repository.js';
import type { LessonContent, LessonKind, Texts } from './entities/lesson.entity.js';

export type { LessonContent, LessonKind, QuizQuestion, Texts } from './entities/lesson.entity.js';

/** A lesson as the learning module grades it: whole (answer keys included), never sent to learners. */
export interface LearnableLesson {
  id: string;
  lessonKey: string;
  kind: LessonKind;
  required: boolean;
  position: number;
  title: Texts;
  content: LessonContent;
  courseId: string;
  courseVersionId: string;
  version: number;
  /** An archived course takes no new learners; those already in it carry on. */
  courseArchived: boolean;
  /** Seconds, per language of a ready video. */
  videoDurations: Partial<Record<string, number>>;
}

/** A course version's lessons in order, for completion and "next lesson". */
export interface VersionOutline {
  courseId: string;
  courseVersionId: string;
  version: number;
  title: Texts & { vi: string };
  lessons: Pick<LearnableLesson, 'id' | 'lessonKey' | 'kind' | 'required' | 'position' | 'title'>[];
}

/**
 * What the learning module needs from the catalog: lessons of published or superseded versions
 * (learners part-way through an older version keep it) and version outlines. Published content
 * never changes, so both are cached per replica.
 */
@Injectable()
export class LearnableContentService {
  private readonly lessons = new TtlCache<LearnableLesson | null>(CATALOG_CACHE_MS, 20_000);
  private readonly outlines = new TtlCache<VersionOutline | null>(CATALOG_CACHE_MS, 5_000);

  constructor(
    @Inject(CourseRepository) private readonly courses: CourseRepository,
    @Inject(MediaService) private readonly media: MediaService,
  ) {}

  /** Learnable lessons by id; drafts, unknown ids and lessons of unpublished versions are absent. */
  async lessonsByIds(ids: string[]): Promise<Map<string, LearnableLesson>> {
    const found = await Promise.all([...new Set(ids)].map((id) => this.lessons.get(id, () => this.load(id))));
    return new Map(found.filter((l): l is LearnableLesson => !!l).map((l) => [l.id, l]));
  }

  outline(courseVersionId: string): Promise<VersionOutline | null> {
    return this.outlines.get(courseVersionId, async () => {
      const version = await this.courses.findVersionById(courseVersionId);
      if (!version || (version.status !== 'published' && version.status !== 'superseded')) return null;
      const lessons = await this.courses.lessonsOf(version.id);
      return {
        courseId: version.courseId,
        courseVersionId: version.id,
        version: version.version,
        title: version.title,
        lessons: lessons.map((l) => ({
          id: l.id,
          lessonKey: l.lessonKey,
          kind: l.kind,
          required: l.required,
          position: l.position,
          title: l.title,
        })),
      };
    });
  }

  /** The version a new learner of the course starts on, or null if it takes no learners. */
  async enrollableVersion(courseId: string): Promise<string | null> {
    const course = await this.courses.findCourse(courseId);
    return course?.publishedVersionId && !course.archivedAt ? course.publishedVersionId : null;
  }

  /** True for a course learners could ever see (published, possibly archived since). */
  async courseExists(courseId: string): Promise<boolean> {
    return !!(await this.courses.findCourse(courseId))?.publishedVersionId;
  }

  /** The course owner, for authorising staff views (null for an unknown course). */
  async ownerOf(courseId: string): Promise<string | null> {
    return (await this.courses.findCourse(courseId))?.ownerId ?? null;
  }

  /** enrollableVersion for several courses. */
  async enrollableVersions(courseIds: string[]): Promise<Map<string, string | null>> {
    return new Map(
      await Promise.all(courseIds.map(async (id) => [id, await this.enrollableVersion(id)] as const)),
    );
  }

  private async load(id: string): Promise<LearnableLesson | null> {
    const lesson = await this.courses.findLesson(id);
    const version = lesson && (await this.courses.findVersionById(lesson.courseVersionId));
    if (!lesson || !version || (version.status !== 'published' && version.status !== 'superseded'))
      return null;
    const course = await this.courses.findCourse(version.courseId);
    const media = lesson.content.media ?? {};
    const assets = await this.media.byIds(Object.values(media) as string[]);
    const videoDurations: Partial<Record<string, number>> = {};
    for (const [locale, mediaId] of Object.entries(media)) {
      const asset = mediaId ? assets.get(mediaId) : undefined;
      if (asset?.status === 'ready' && asset.durationSeconds)
        videoDurations[locale] = Number(asset.durationSeconds);
    }
    return {
      id: lesson.id,
      lessonKey: lesson.lessonKey,
      kind: lesson.kind,
      required: lesson.required,
      position: lesson.position,
      title: lesson.title,
      content: lesson.content,
      courseId: version.courseId,
      courseVersionId: version.id,
      version: version.version,
      courseArchived: !!course?.archivedAt,
      videoDurations,
    };
  }
}

export type Localized = NonNullable<ReturnType<typeof pickLocalized>>;

/** Localizes a text through a chain; an empty text stays empty rather than failing. */
export const localizeText = (t: Texts, chain: readonly string[]): Localized =>
  pickLocalized(t, chain) ?? { text: '', locale: 'vi', fallback: true };

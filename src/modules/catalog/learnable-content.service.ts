import { Inject, Injectable } from '@nestjs/common';
import { TtlCache } from '../../infrastructure/cache/ttl-cache.js';
import { MediaService } from '../media/media.service.js';
import { voiceFile } from '../media/media.views.js';
import { lessonKind } from '../lesson-kinds/lesson-kinds.js';
import type { VoiceFileRef } from '../lesson-kinds/lesson-kind.js';
import { contentMedia } from '../lesson-kinds/voice-and-pictures.js';
import { CATALOG_CACHE_MS } from './course-catalog.service.js';
import { CourseRepository } from './course.repository.js';
import type { LessonContent, Texts } from './entities/lesson.entity.js';

export type { LessonContent, Texts } from './entities/lesson.entity.js';

/** A lesson as the learning module grades it: whole (answer keys included), never sent to learners. */
export interface LearnableLesson {
  id: string;
  lessonKey: string;
  /** A kind of the lesson-kinds registry. */
  kind: string;
  required: boolean;
  position: number;
  title: Texts;
  content: LessonContent;
  courseId: string;
  courseVersionId: string;
  version: number;
  /** An archived course takes no new learners; those already in it carry on. */
  courseArchived: boolean;
  /** Seconds, per language of a ready media asset (kinds with media). */
  mediaDurations: Partial<Record<string, number>>;
  /** The content's recordings that are ready, by media id (graded feedback is read aloud). */
  voiceFiles: Partial<Record<string, VoiceFileRef>>;
}

/** A course version's lessons in order, for completion and "next lesson". */
export interface VersionOutline {
  courseId: string;
  courseVersionId: string;
  version: number;
  title: Texts & { vi: string };
  lessons: Pick<LearnableLesson, 'id' | 'lessonKey' | 'kind' | 'required' | 'position' | 'title'>[];
}

/** The lessons that count towards completing a version: the required ones, or all if none is marked. */
export function requiredLessons(outline: VersionOutline): VersionOutline['lessons'] {
  const required = outline.lessons.filter((l) => l.required);
  return required.length > 0 ? required : outline.lessons;
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
  private readonly titles = new TtlCache<Texts | null>(CATALOG_CACHE_MS, 5_000);

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

  /**
   * A course as learners know it: the published version a new learner starts on, and whether it is
   * archived (no new learners). Null for an unknown or never-published course.
   */
  async courseForLearners(
    courseId: string,
  ): Promise<{ publishedVersionId: string; archived: boolean } | null> {
    const course = await this.courses.findCourse(courseId);
    return course?.publishedVersionId
      ? { publishedVersionId: course.publishedVersionId, archived: !!course.archivedAt }
      : null;
  }

  /**
   * Published titles of many courses at once (a report by course names up to every course):
   * kept like the outlines, asked for in one query for those not kept.
   */
  async publishedTitles(courseIds: string[]): Promise<Map<string, Texts>> {
    const ids = [...new Set(courseIds)];
    // The first id not kept loads every id asked for, in one query; the others share it.
    let bulk: Promise<Map<string, Texts>> | undefined;
    const titles = await Promise.all(
      ids.map((id) =>
        this.titles.get(id, async () => (await (bulk ??= this.courses.publishedTitles(ids))).get(id) ?? null),
      ),
    );
    return new Map(ids.flatMap((id, i) => (titles[i] ? [[id, titles[i]] as const] : [])));
  }

  /** The course owner, for authorising staff views (null for an unknown course). */
  async ownerOf(courseId: string): Promise<string | null> {
    return (await this.courses.findCourse(courseId))?.ownerId ?? null;
  }

  /** The version new learners start on, per course (null: archived or never published). */
  async enrollableVersions(courseIds: string[]): Promise<Map<string, string | null>> {
    return new Map(
      await Promise.all(
        courseIds.map(async (id) => {
          const course = await this.courseForLearners(id);
          return [id, course && !course.archived ? course.publishedVersionId : null] as const;
        }),
      ),
    );
  }

  private async load(id: string): Promise<LearnableLesson | null> {
    const lesson = await this.courses.findLesson(id);
    const version = lesson && (await this.courses.findVersionById(lesson.courseVersionId));
    if (!lesson || !version || (version.status !== 'published' && version.status !== 'superseded'))
      return null;
    const course = await this.courses.findCourse(version.courseId);
    const media = lesson.content.media ?? {};
    const recordings = contentMedia(lessonKind(lesson.kind), lesson.content)
      .filter((r) => r.kind === 'audio')
      .map((r) => r.mediaId);
    const assets = await this.media.byIds([...(Object.values(media) as string[]), ...recordings]);
    const voiceFiles: Partial<Record<string, VoiceFileRef>> = {};
    for (const id of recordings) {
      const file = assets.get(id) && voiceFile(assets.get(id)!);
      if (file) voiceFiles[id] = { url: file.url, bytes: file.bytes, durationSeconds: file.durationSeconds };
    }
    const mediaDurations: Partial<Record<string, number>> = {};
    for (const [locale, mediaId] of Object.entries(media)) {
      const asset = mediaId ? assets.get(mediaId) : undefined;
      if (asset?.status === 'ready' && asset.durationSeconds)
        mediaDurations[locale] = Number(asset.durationSeconds);
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
      mediaDurations,
      voiceFiles,
    };
  }
}

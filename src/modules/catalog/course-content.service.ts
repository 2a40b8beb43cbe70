import { Inject, Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../../infrastructure/database/pg-errors.js';
import { CONTENT_LOCALES } from '../../infrastructure/i18n/locales.js';
import { CatalogError } from './catalog.errors.js';
import { CourseCatalogService } from './course-catalog.service.js';
import {
  CourseRepository,
  type LessonFields,
  type NewVersion,
  type VersionPatch,
} from './course.repository.js';
import type { CourseVersionEntity } from './entities/course-version.entity.js';
import type { CourseEntity } from './entities/course.entity.js';
import type { LessonEntity, Texts } from './entities/lesson.entity.js';
import { buildLessonContent } from './lesson-content.js';
import { lessonKind } from '../lesson-kinds/lesson-kinds.js';
import type { SubtitleTrack } from '../lesson-kinds/lesson-kind.js';
import { MediaService } from '../media/media.service.js';
import type { MediaStatus } from '../media/media.types.js';

export type Coverage = 'complete' | 'partial' | 'missing';

export interface TranslationMatrix {
  locales: string[];
  course: Record<'title' | 'summary', Record<string, Coverage>>;
  lessons: {
    lessonKey: string;
    position: number;
    kind: string;
    title: string;
    fields: Record<string, Record<string, Coverage>>;
  }[];
}

function coverage(texts: Texts[], locale: string): Coverage {
  const present = texts.filter((t) => !!t[locale]).length;
  return present === 0 ? 'missing' : present === texts.length ? 'complete' : 'partial';
}

/**
 * Course content as data, for the authoring module: every write goes through here, the
 * workflow rules (ownership, four eyes, immutability) live in AuthoringService.
 */
@Injectable()
export class CourseContentService {
  constructor(
    @Inject(CourseRepository) private readonly courses: CourseRepository,
    @Inject(CourseCatalogService) private readonly catalog: CourseCatalogService,
    @Inject(MediaService) private readonly media: MediaService,
  ) {}

  async getCourse(id: string): Promise<CourseEntity> {
    const course = await this.courses.findCourse(id);
    if (!course) throw CatalogError.courseNotFound();
    return course;
  }

  versions(courseId: string) {
    return this.courses.versionsOf(courseId);
  }
  version(courseId: string, version: number) {
    return this.courses.findVersion(courseId, version);
  }
  openVersion(courseId: string) {
    return this.courses.findOpenVersion(courseId);
  }
  lessons(versionId: string) {
    return this.courses.lessonsOf(versionId);
  }
  coursesWithLatestVersion(ownerId: string | null) {
    return this.courses.coursesWithLatestVersion(ownerId);
  }
  inReview() {
    return this.courses.inReview();
  }

  async createCourse(slug: string, ownerId: string, draft: NewVersion, onSlugTaken: () => Error) {
    try {
      return await this.courses.createCourse(slug, ownerId, draft);
    } catch (e) {
      if (isUniqueViolation(e)) throw onSlugTaken();
      throw e;
    }
  }

  updateDraft(versionId: string, patch: VersionPatch) {
    return this.courses.updateVersion(versionId, patch);
  }

  /** Validates kind-specific content (answer keys included) before storing it. */
  addLesson(versionId: string, fields: Omit<LessonFields, 'content'> & { content: unknown }) {
    return this.courses.addLesson(versionId, {
      ...fields,
      content: buildLessonContent(fields.kind, fields.content),
    });
  }

  updateLesson(
    lesson: LessonEntity,
    patch: Partial<Omit<LessonFields, 'content' | 'kind'>> & { content?: unknown },
  ) {
    const { content, ...rest } = patch;
    return this.courses.updateLesson(lesson.id, {
      ...rest,
      ...(content !== undefined && { content: buildLessonContent(lesson.kind, content) }),
    });
  }

  /** Sets or removes one language's subtitles of a (draft) video lesson; `lesson` is kept current. */
  async setSubtitles(lesson: LessonEntity, locale: string, track: SubtitleTrack | null): Promise<void> {
    const subtitles = { ...(lesson.content.subtitles ?? {}) };
    if (track) subtitles[locale] = track;
    else delete subtitles[locale];
    lesson.content = { ...lesson.content, subtitles };
    await this.courses.updateLesson(lesson.id, { content: lesson.content });
  }

  /** Sets or removes one language's video of a (draft) video lesson; `lesson` is kept current. */
  async setMedia(lesson: LessonEntity, locale: string, mediaId: string | null): Promise<void> {
    const media = { ...(lesson.content.media ?? {}) };
    if (mediaId) media[locale] = mediaId;
    else delete media[locale];
    lesson.content = { ...lesson.content, media };
    await this.courses.updateLesson(lesson.id, { content: lesson.content });
  }

  /** The status of every video attached to these lessons, by lesson and language. */
  async mediaStatuses(
    lessons: LessonEntity[],
  ): Promise<Map<string, Record<string, MediaStatus | 'missing'>>> {
    const assets = await this.media.byIds(
      lessons.flatMap((l) => Object.values(l.content.media ?? {}) as string[]),
    );
    return new Map(
      lessons.map((l) => [
        l.id,
        Object.fromEntries(
          Object.entries(l.content.media ?? {}).map(([locale, id]) => [
            locale,
            assets.get(id!)?.status ?? 'missing',
          ]),
        ),
      ]),
    );
  }

  removeLesson(lesson: LessonEntity) {
    return this.courses.removeLesson(lesson);
  }
  reorderLessons(versionId: string, lessonKeys: string[]) {
    return this.courses.reorderLessons(versionId, lessonKeys);
  }
  transition(
    id: string,
    from: CourseVersionEntity['status'],
    to: CourseVersionEntity['status'],
    fields: Partial<CourseVersionEntity> = {},
  ) {
    return this.courses.transition(id, from, to, fields);
  }

  /** Publishes with the derived catalog fields: complete languages and the search text. */
  async publish(version: CourseVersionEntity, publishedBy: string): Promise<boolean> {
    const lessons = await this.courses.lessonsOf(version.id);
    const languages = CONTENT_LOCALES.filter((l) => !!version.title[l] && lessons.every((x) => !!x.title[l]));
    const searchText = [version.title, version.summary, ...lessons.map((l) => l.title)]
      .flatMap((t) => Object.values(t))
      .join(' \n ');
    const published = await this.courses.publish(version, { publishedBy, languages, searchText });
    this.catalog.invalidate();
    return published;
  }

  /** Four eyes: remembers who edited a draft (authoring refuses them as its publisher). */
  addContributor(version: CourseVersionEntity, userId: string): Promise<void> {
    if (version.contributors?.includes(userId)) return Promise.resolve();
    return this.courses.addContributor(version.id, userId);
  }

  draftFrom(published: CourseVersionEntity, createdBy: string) {
    return this.courses.draftFrom(published, createdBy);
  }
  discard(version: CourseVersionEntity) {
    return this.courses.discardVersion(version);
  }
  async setArchived(courseId: string, archived: boolean) {
    await this.courses.setArchived(courseId, archived);
    this.catalog.invalidate();
  }

  /** Course × lesson × locale × field coverage for trainers. */
  async translationMatrix(version: CourseVersionEntity): Promise<TranslationMatrix> {
    const lessons = await this.courses.lessonsOf(version.id);
    const videos = await this.mediaStatuses(lessons);
    const locales = [...CONTENT_LOCALES];
    const videoCoverage = (status: MediaStatus | 'missing' | undefined): Coverage =>
      status === 'ready'
        ? 'complete'
        : status === 'uploaded' || status === 'processing'
          ? 'partial'
          : 'missing';
    const row = (texts: Texts[]) => Object.fromEntries(locales.map((l) => [l, coverage(texts, l)]));
    const spokenRow = (l: LessonEntity): Record<string, Record<string, Coverage>> => {
      const spoken = lessonKind(l.kind).spokenTexts?.(l.content) ?? [];
      return spoken.length > 0 ? { voice: row(spoken.map((s) => s.voice ?? {})) } : {};
    };
    return {
      locales,
      course: {
        title: row([version.title]),
        summary: row([version.summary]),
        // Recordings count like texts: a language is complete when every text has one in it.
        ...(Object.keys(version.summary).length > 0 && { summaryVoice: row([version.summaryVoice]) }),
      },
      lessons: lessons.map((l) => ({
        lessonKey: l.lessonKey,
        position: l.position,
        kind: l.kind,
        title: l.title.vi,
        fields: {
          title: row([l.title]),
          summary: row([l.summary]),
          ...(Object.keys(l.summary).length > 0 && { summaryVoice: row([l.summaryVoice]) }),
          ...spokenRow(l),
          ...Object.fromEntries(
            Object.entries(lessonKind(l.kind).textFields(l.content)).map(([field, texts]) => [
              field,
              row(texts),
            ]),
          ),
          // Kinds with media: the video (its picture and audio) and a subtitle track per language;
          // a video still processing counts as partial.
          ...(lessonKind(l.kind).hasMedia && {
            video: Object.fromEntries(locales.map((loc) => [loc, videoCoverage(videos.get(l.id)?.[loc])])),
          }),
          ...(lessonKind(l.kind).hasMedia && {
            subtitles: Object.fromEntries(
              locales.map((loc): [string, Coverage] => [
                loc,
                l.content.subtitles?.[loc] ? 'complete' : 'missing',
              ]),
            ),
          }),
        },
      })),
    };
  }
}

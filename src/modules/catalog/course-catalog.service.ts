import { Inject, Injectable } from '@nestjs/common';
import { normalizeFallbackChain } from '../../infrastructure/i18n/locales.js';
import { CatalogError } from './catalog.errors.js';
import { TtlCache } from '../../infrastructure/cache/ttl-cache.js';
import { ResponseCache } from '../../infrastructure/http/response-cache.js';
import { CourseRepository, type CatalogRow } from './course.repository.js';
import type {
  CatalogQueryDto,
  CourseDetailResponse,
  CoursePageResponse,
  LessonDetailResponse,
} from './dto/course.dto.js';
import type { CourseVersionEntity } from './entities/course-version.entity.js';
import type { LearnerGroupEntity } from './entities/learner-group.entity.js';
import type { LessonEntity } from './entities/lesson.entity.js';
import { LearnerGroupsService } from './learner-groups.service.js';
import { MediaService } from '../media/media.service.js';
import { courseSummaryView, lessonSummaryView } from './catalog.views.js';
import type { MediaAsset } from '../media/media.types.js';
import { mediaIdsIn, withMediaFiles, type OfflineFile } from '../media/media.views.js';
import { lessonKind } from '../lesson-kinds/lesson-kinds.js';
import { learnerVoice } from '../lesson-kinds/voice-and-pictures.js';

/**
 * Catalog reads may be this stale on other replicas after a publication: the data is kept this
 * long, and the answers made from it `CATALOG_ANSWER_MS` more (ResponseCache), 15 s together.
 */
export const CATALOG_CACHE_MS = 10_000;
export const CATALOG_ANSWER_MS = 5_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Position of a locale in the chain (unknown last), to list the preferred tracks first. */
const rank = (chain: string[], locale: string) =>
  chain.includes(locale) ? chain.indexOf(locale) : chain.length;

export const chainFrom = (lang?: string) => normalizeFallbackChain(lang ? lang.split(',') : []);

/** What learners see: published versions only, localized with fallback markers, no answer keys. */
@Injectable()
export class CourseCatalogService {
  constructor(
    @Inject(CourseRepository) private readonly courses: CourseRepository,
    @Inject(LearnerGroupsService) private readonly learnerGroups: LearnerGroupsService,
    @Inject(MediaService) private readonly media: MediaService,
    @Inject(ResponseCache) private readonly answers: ResponseCache,
  ) {}

  /** Learner-facing reads are cached briefly per replica; publishing or archiving clears this replica's cache. */
  private readonly cache = new TtlCache<unknown>(CATALOG_CACHE_MS, 2000);

  invalidate(): void {
    this.cache.clear();
    this.answers.clear();
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.cache.get(key, load) as Promise<T>;
  }

  /** Every learner group, archived ones included (cached like the catalog). */
  groups(): Promise<LearnerGroupEntity[]> {
    return this.cached('learner-groups', () => this.learnerGroups.list(true));
  }

  list(query: CatalogQueryDto): Promise<CoursePageResponse> {
    const key = `list:${JSON.stringify([query.group, query.language, query.topic, query.q, query.lang, query.page, query.pageSize])}`;
    return this.cached(key, () => this.load(query));
  }

  private async load(query: CatalogQueryDto): Promise<CoursePageResponse> {
    const chain = chainFrom(query.lang);
    const groups = await this.groups();
    let learnerGroupId: string | undefined;
    if (query.group) {
      const group = groups.find((g) => g.code === query.group || g.id === query.group);
      if (!group) return { items: [], meta: { page: query.page, pageSize: query.pageSize, total: 0 } };
      learnerGroupId = group.id;
    }
    const words = (query.q ?? '')
      .split(' ')
      .filter((w) => w.length > 0)
      .slice(0, 8);
    const { items, total } = await this.courses.searchPublished({
      learnerGroupId,
      locale: query.language,
      topic: query.topic,
      words,
      page: query.page,
      pageSize: query.pageSize,
    });
    return {
      items: items.map((row) => courseSummaryView(row, groups, chain)),
      meta: { page: query.page, pageSize: query.pageSize, total },
    };
  }

  /** A course by id or slug, as published. */
  detail(idOrSlug: string, lang?: string): Promise<CourseDetailResponse> {
    return this.cached(`detail:${idOrSlug}:${lang ?? ''}`, () => this.loadDetail(idOrSlug, lang));
  }

  private async loadDetail(idOrSlug: string, lang?: string): Promise<CourseDetailResponse> {
    const course = UUID.test(idOrSlug)
      ? await this.courses.findCourse(idOrSlug)
      : await this.courses.findCourseBySlug(idOrSlug);
    if (!course?.publishedVersionId || course.archivedAt) throw CatalogError.courseNotFound();
    const version = (await this.courses.findVersionById(course.publishedVersionId))!;
    const [lessons, groups] = await Promise.all([this.courses.lessonsOf(version.id), this.groups()]);
    const chain = chainFrom(lang);
    const videos = await this.videosOf(lessons);
    const row: CatalogRow = {
      ...version,
      courseId: course.id,
      slug: course.slug,
      versionId: version.id,
      publishedAt: version.publishedAt!,
      lessonCount: lessons.length,
    };
    return this.withFiles(
      {
        ...courseSummaryView(row, groups, chain),
        summaryVoice: learnerVoice(version.summaryVoice, chain) as CourseDetailResponse['summaryVoice'],
        lessons: lessons.map((l) => lessonSummaryView(l, chain, videos)),
      },
      [],
    );
  }

  /** A published lesson for learners (see publishedLesson for which ones). */
  lesson(id: string, lang?: string): Promise<LessonDetailResponse> {
    // Published lessons never change, so caching them is safe.
    return this.cached(`lesson:${id}:${lang ?? ''}`, () => this.loadLesson(id, lang));
  }

  private async loadLesson(id: string, lang?: string): Promise<LessonDetailResponse> {
    const { lesson, version } = await this.publishedLesson(id);
    const chain = chainFrom(lang);
    const offlineFiles: OfflineFile[] = [];
    const view = await this.withFiles(
      {
        ...lessonSummaryView(lesson, chain, await this.videosOf([lesson])),
        content: lessonKind(lesson.kind).learnerContent(lesson.content, chain),
      },
      offlineFiles,
    );
    return {
      ...view,
      offlineFiles,
      courseId: version.courseId,
      courseVersion: version.version,
      subtitles: Object.entries(lesson.content.subtitles ?? {})
        .filter(([, track]) => !!track)
        .map(([locale, track]) => ({
          locale,
          url: `/api/v1/lessons/${lesson.id}/subtitles/${locale}`,
          cues: track!.cues,
          bytes: track!.bytes,
        }))
        .sort((x, y) => rank(chain, x.locale) - rank(chain, y.locale)),
    };
  }

  /** The storage key of a published lesson's subtitles in one language. */
  async subtitleKey(lessonId: string, locale: string): Promise<string> {
    const track = (await this.publishedLesson(lessonId)).lesson.content.subtitles?.[locale];
    if (!track) throw CatalogError.lessonNotFound();
    return track.key;
  }

  /**
   * A lesson of a published or superseded version: learners part-way through an older version
   * keep reading it after a newer one is published. Drafts are not visible.
   */
  private async publishedLesson(id: string): Promise<{ lesson: LessonEntity; version: CourseVersionEntity }> {
    const lesson = await this.courses.findLesson(id);
    const version = lesson && (await this.courses.findVersionById(lesson.courseVersionId));
    if (!lesson || !version || (version.status !== 'published' && version.status !== 'superseded')) {
      throw CatalogError.lessonNotFound();
    }
    return { lesson, version };
  }

  /** A learner view with its recordings and pictures (references until then) turned into files. */
  private async withFiles<T>(view: T, offline: OfflineFile[]): Promise<T> {
    const ids = mediaIdsIn(view);
    return ids.length === 0 ? view : withMediaFiles(view, await this.media.byIds(ids), offline);
  }

  /** The media assets of video lessons, in one query. */
  private videosOf(lessons: LessonEntity[]): Promise<Map<string, MediaAsset>> {
    return this.media.byIds(lessons.flatMap((l) => Object.values(l.content.media ?? {}) as string[]));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { normalizeFallbackChain, pickLocalized } from '../../infrastructure/i18n/locales.js';
import { CatalogError } from './catalog.errors.js';
import { CourseRepository } from './course.repository.js';
import type {
  CatalogQueryDto,
  CourseDetailResponse,
  CoursePageResponse,
  CourseSummaryResponse,
  LessonDetailResponse,
  LessonSummaryResponse,
} from './dto/course.dto.js';
import type { CourseVersionEntity } from './entities/course-version.entity.js';
import type { LearnerGroupEntity } from './entities/learner-group.entity.js';
import type { LessonEntity } from './entities/lesson.entity.js';
import { LearnerGroupsService } from './learner-groups.service.js';
import { toLearnerContent } from './lesson-content.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const chainFrom = (lang?: string) => normalizeFallbackChain(lang ? lang.split(',') : []);

/** What learners see: published versions only, localized with fallback markers, no answer keys. */
@Injectable()
export class CourseCatalogService {
  constructor(
    @Inject(CourseRepository) private readonly courses: CourseRepository,
    @Inject(LearnerGroupsService) private readonly learnerGroups: LearnerGroupsService,
  ) {}

  async list(query: CatalogQueryDto): Promise<CoursePageResponse> {
    const chain = chainFrom(query.lang);
    const groups = await this.learnerGroups.list(true);
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
      items: items.map(({ course, version, lessonCount }) =>
        this.summary(course, version, lessonCount, groups, chain),
      ),
      meta: { page: query.page, pageSize: query.pageSize, total },
    };
  }

  /** A course by id or slug, as published. */
  async detail(idOrSlug: string, lang?: string): Promise<CourseDetailResponse> {
    const course = UUID.test(idOrSlug)
      ? await this.courses.findCourse(idOrSlug)
      : await this.courses.findCourseBySlug(idOrSlug);
    if (!course?.publishedVersionId || course.archivedAt) throw CatalogError.courseNotFound();
    const version = (await this.courses.findVersionById(course.publishedVersionId))!;
    const [lessons, groups] = await Promise.all([
      this.courses.lessonsOf(version.id),
      this.learnerGroups.list(true),
    ]);
    const chain = chainFrom(lang);
    return {
      ...this.summary(course, version, lessons.length, groups, chain),
      lessons: lessons.map((l) => this.lessonSummary(l, chain)),
    };
  }

  /**
   * A lesson of a published or superseded version: learners part-way through an older version
   * keep reading it after a newer one is published. Drafts are not visible.
   */
  async lesson(id: string, lang?: string): Promise<LessonDetailResponse> {
    const lesson = await this.courses.findLesson(id);
    const version = lesson && (await this.courses.findVersionById(lesson.courseVersionId));
    if (!lesson || !version || (version.status !== 'published' && version.status !== 'superseded')) {
      throw CatalogError.lessonNotFound();
    }
    const chain = chainFrom(lang);
    return {
      ...this.lessonSummary(lesson, chain),
      courseId: version.courseId,
      courseVersion: version.version,
      content: toLearnerContent(lesson.kind, lesson.content, chain),
    };
  }

  private summary(
    course: { id: string; slug: string },
    version: CourseVersionEntity,
    lessonCount: number,
    groups: LearnerGroupEntity[],
    chain: string[],
  ): CourseSummaryResponse {
    return {
      id: course.id,
      slug: course.slug,
      version: version.version,
      topic: version.topic,
      learnerGroups: version.learnerGroupIds
        .map((id) => groups.find((g) => g.id === id))
        .filter((g): g is LearnerGroupEntity => !!g)
        .map((g) => ({ id: g.id, code: g.code, name: pickLocalized(g.names, chain)! })),
      title: pickLocalized(version.title, chain)!,
      summary: pickLocalized(version.summary, chain),
      languages: version.languages,
      lessonCount,
      publishedAt: version.publishedAt!.toISOString(),
    };
  }

  private lessonSummary(l: LessonEntity, chain: string[]): LessonSummaryResponse {
    return {
      id: l.id,
      lessonKey: l.lessonKey,
      position: l.position,
      kind: l.kind,
      required: l.required,
      title: pickLocalized(l.title, chain)!,
      summary: pickLocalized(l.summary, chain),
    };
  }
}

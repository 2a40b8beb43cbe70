import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { CourseVersionEntity, type CourseStatus } from './entities/course-version.entity.js';
import { CourseEntity } from './entities/course.entity.js';
import { LessonEntity, type Texts } from './entities/lesson.entity.js';
import { preparedQuery } from '../../infrastructure/database/prepared-query.js';

export interface CatalogFilter {
  learnerGroupId?: string;
  locale?: string;
  topic?: string;
  /** Words, each matched accent-insensitively. */
  words: string[];
  page: number;
  pageSize: number;
}

/** One catalog entry: a course and its published version, as the listing needs it. */
export interface CatalogRow {
  courseId: string;
  slug: string;
  versionId: string;
  version: number;
  topic: string;
  learnerGroupIds: string[];
  title: Partial<Record<string, string>> & { vi: string };
  summary: Partial<Record<string, string>>;
  languages: string[];
  publishedAt: Date;
  lessonCount: number;
}

export type NewVersion = Pick<
  CourseVersionEntity,
  'topic' | 'learnerGroupIds' | 'title' | 'summary' | 'createdBy'
>;
export type VersionPatch = Partial<
  Pick<CourseVersionEntity, 'topic' | 'learnerGroupIds' | 'title' | 'summary' | 'summaryVoice'>
>;
export type LessonFields = Pick<LessonEntity, 'kind' | 'required' | 'title' | 'summary' | 'content'> &
  Partial<Pick<LessonEntity, 'summaryVoice'>>;

/** The only place that touches TypeORM for courses, versions and lessons. */
@Injectable()
export class CourseRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private courses(em: EntityManager = this.dataSource.manager) {
    return em.getRepository(CourseEntity);
  }
  private versions(em: EntityManager = this.dataSource.manager) {
    return em.getRepository(CourseVersionEntity);
  }
  private lessons(em: EntityManager = this.dataSource.manager) {
    return em.getRepository(LessonEntity);
  }

  // --- reads -------------------------------------------------------------

  findCourse(id: string): Promise<CourseEntity | null> {
    return this.courses().findOne({ where: { id } });
  }

  findCourseBySlug(slug: string): Promise<CourseEntity | null> {
    return this.courses().findOne({ where: { slug } });
  }

  findVersionById(id: string): Promise<CourseVersionEntity | null> {
    return this.versions().findOne({ where: { id } });
  }

  findVersion(courseId: string, version: number): Promise<CourseVersionEntity | null> {
    return this.versions().findOne({ where: { courseId, version } });
  }

  findOpenVersion(courseId: string): Promise<CourseVersionEntity | null> {
    return this.versions().findOne({ where: { courseId, status: In(['draft', 'in_review']) } });
  }

  versionsOf(courseId: string): Promise<CourseVersionEntity[]> {
    return this.versions().find({ where: { courseId }, order: { version: 'DESC' } });
  }

  lessonsOf(versionId: string): Promise<LessonEntity[]> {
    return this.lessons().find({ where: { courseVersionId: versionId }, order: { position: 'ASC' } });
  }

  findLesson(id: string): Promise<LessonEntity | null> {
    return this.lessons().findOne({ where: { id } });
  }

  /** Courses with their newest version, for an owner (or everyone when ownerId is null). */
  /** The titles of courses' published versions, in one query (unknown or unpublished: absent). */
  async publishedTitles(courseIds: string[]): Promise<Map<string, Texts>> {
    const rows = await this.dataSource.query<{ id: string; title: Texts }[]>(
      `SELECT c.id, v.title FROM courses c JOIN course_versions v ON v.id = c.published_version_id
        WHERE c.id = ANY ($1::uuid[])`,
      [courseIds],
    );
    return new Map(rows.map((r) => [r.id, r.title]));
  }

  async coursesWithLatestVersion(
    ownerId: string | null,
  ): Promise<{ course: CourseEntity; latest: CourseVersionEntity }[]> {
    const qb = this.courses().createQueryBuilder('c').orderBy('c.updated_at', 'DESC').limit(500);
    if (ownerId) qb.where('c.owner_id = :ownerId', { ownerId });
    const courses = await qb.getMany();
    if (courses.length === 0) return [];
    const latest = await this.versions()
      .createQueryBuilder('v')
      .distinctOn(['v.course_id'])
      .where('v.course_id IN (:...ids)', { ids: courses.map((c) => c.id) })
      .orderBy('v.course_id')
      .addOrderBy('v.version', 'DESC')
      .getMany();
    return courses.map((course) => ({ course, latest: latest.find((v) => v.courseId === course.id)! }));
  }

  /** Versions waiting for review, oldest first. */
  inReview(): Promise<CourseVersionEntity[]> {
    return this.versions().find({ where: { status: 'in_review' }, order: { submittedAt: 'ASC' } });
  }

  /**
   * The catalog: each non-archived course's published version, filtered and paged, in one query
   * (the total comes from a window). Array filters use GIN indexes (`@>`); search words match the
   * stored `search_key` through its trigram index.
   */
  async searchPublished(filter: CatalogFilter): Promise<{ items: CatalogRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.learnerGroupId)
      where.push(`v.learner_group_ids @> ARRAY[${param(filter.learnerGroupId)}]::uuid[]`);
    if (filter.locale) where.push(`v.languages @> ARRAY[${param(filter.locale)}]::text[]`);
    if (filter.topic) where.push(`v.topic = ${param(filter.topic)}`);
    for (const word of filter.words)
      where.push(`v.search_key LIKE '%' || f_search_key(${param(word)}) || '%'`);
    const rows = await preparedQuery<CatalogRow & { total: string }>(
      this.dataSource,
      `SELECT v.course_id AS "courseId", c.slug, v.id AS "versionId", v.version, v.topic,
              v.learner_group_ids AS "learnerGroupIds", v.title, v.summary, v.languages,
              v.published_at AS "publishedAt",
              (SELECT count(*) FROM lessons l WHERE l.course_version_id = v.id)::int AS "lessonCount",
              count(*) OVER () AS total
         FROM course_versions v
         JOIN courses c ON c.published_version_id = v.id AND c.archived_at IS NULL
        WHERE v.status = 'published' ${where.map((w) => `AND ${w}`).join(' ')}
        ORDER BY v.published_at DESC, v.id
        LIMIT ${param(filter.pageSize)} OFFSET ${param((filter.page - 1) * filter.pageSize)}`,
      params,
    );
    return { items: rows, total: rows.length > 0 ? Number(rows[0].total) : 0 };
  }

  // --- writes (the authoring rules live in the authoring module) ----------

  /** A new course with its first draft. Throws the unique violation of a taken slug. */
  async createCourse(
    slug: string,
    ownerId: string,
    draft: NewVersion,
  ): Promise<{ course: CourseEntity; version: CourseVersionEntity }> {
    return this.dataSource.transaction(async (em) => {
      const course = await this.courses(em).save(this.courses(em).create({ slug, ownerId }));
      const version = await this.versions(em).save(
        this.versions(em).create({
          ...draft,
          courseId: course.id,
          version: 1,
          status: 'draft',
          contributors: [draft.createdBy],
        }),
      );
      return { course, version };
    });
  }

  async updateVersion(id: string, patch: VersionPatch): Promise<void> {
    if (Object.keys(patch).length > 0) await this.versions().update({ id }, patch);
    await this.touchCourseOf(id);
  }

  /** Adds an editor to a draft's contributors (once). */
  async addContributor(versionId: string, userId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE course_versions SET contributors = array_append(contributors, $2::uuid)
        WHERE id = $1 AND status = 'draft' AND NOT ($2::uuid = ANY (contributors))`,
      [versionId, userId],
    );
  }

  async addLesson(versionId: string, fields: LessonFields, lessonKey = randomUUID()): Promise<LessonEntity> {
    return this.dataSource.transaction(async (em) => {
      await em.query('SELECT 1 FROM course_versions WHERE id = $1 FOR UPDATE', [versionId]);
      const [{ next }] = await em.query(
        'SELECT coalesce(max(position), 0) + 1 AS next FROM lessons WHERE course_version_id = $1',
        [versionId],
      );
      return this.lessons(em).save(
        this.lessons(em).create({ ...fields, courseVersionId: versionId, lessonKey, position: next }),
      );
    });
  }

  async updateLesson(id: string, patch: Partial<LessonFields>): Promise<void> {
    // Content is the kind's own JSON shape, which TypeORM's deep-partial type cannot follow.
    if (Object.keys(patch).length > 0)
      await this.lessons().update({ id }, patch as QueryDeepPartialEntity<LessonEntity>);
  }

  /** Removes a lesson and closes the gap in positions (once, however often it is asked). */
  async removeLesson(lesson: LessonEntity): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const { affected } = await this.lessons(em).delete({ id: lesson.id });
      // A concurrent removal of the same lesson already closed the gap.
      if (!affected) return;
      await em.query(
        'UPDATE lessons SET position = position - 1 WHERE course_version_id = $1 AND position > $2',
        [lesson.courseVersionId, lesson.position],
      );
    });
  }

  /** Positions follow `lessonKeys` (which must name every lesson of the version). */
  async reorderLessons(versionId: string, lessonKeys: string[]): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.query('SET CONSTRAINTS lessons_position_per_version DEFERRED');
      for (const [i, key] of lessonKeys.entries()) {
        await this.lessons(em).update({ courseVersionId: versionId, lessonKey: key }, { position: i + 1 });
      }
    });
  }

  /** Compare-and-set on the status: false when someone else changed it first. */
  async transition(
    id: string,
    from: CourseStatus,
    to: CourseStatus,
    fields: Partial<CourseVersionEntity> = {},
  ): Promise<boolean> {
    const result = await this.versions().update({ id, status: from }, { ...fields, status: to });
    return (result.affected ?? 0) === 1;
  }

  /**
   * Publishes an in-review version: the previous published version becomes superseded and the
   * course points at the new one, atomically. False if the version was no longer in review.
   */
  async publish(
    version: CourseVersionEntity,
    fields: Pick<CourseVersionEntity, 'publishedBy' | 'languages' | 'searchText'>,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (em) => {
      const [course] = await em.query('SELECT published_version_id FROM courses WHERE id = $1 FOR UPDATE', [
        version.courseId,
      ]);
      const [, moved] = await em.query(
        `UPDATE course_versions
            SET status = 'published', published_by = $2, published_at = now(), languages = $3,
                search_text = $4, search_key = f_search_key($4), updated_at = now()
          WHERE id = $1 AND status = 'in_review'`,
        [version.id, fields.publishedBy, fields.languages, fields.searchText],
      );
      if (moved !== 1) return false;
      if (course.published_version_id) {
        await this.versions(em).update(
          { id: course.published_version_id, status: 'published' },
          { status: 'superseded' },
        );
      }
      await this.courses(em).update({ id: version.courseId }, { publishedVersionId: version.id });
      return true;
    });
  }

  /** A new draft copying a published version, lessons keep their keys. */
  async draftFrom(source: CourseVersionEntity, createdBy: string): Promise<CourseVersionEntity> {
    return this.dataSource.transaction(async (em) => {
      const [{ next }] = await em.query(
        'SELECT max(version) + 1 AS next FROM course_versions WHERE course_id = $1',
        [source.courseId],
      );
      const draft = await this.versions(em).save(
        this.versions(em).create({
          courseId: source.courseId,
          version: next,
          status: 'draft',
          topic: source.topic,
          learnerGroupIds: source.learnerGroupIds,
          title: source.title,
          summary: source.summary,
          summaryVoice: source.summaryVoice,
          createdBy,
          contributors: [createdBy],
        }),
      );
      const lessons = await this.lessons(em).find({ where: { courseVersionId: source.id } });
      if (lessons.length > 0) {
        await this.lessons(em).insert(
          lessons.map(({ lessonKey, position, kind, required, title, summary, summaryVoice, content }) => ({
            courseVersionId: draft.id,
            lessonKey,
            position,
            kind,
            required,
            title,
            summary,
            summaryVoice,
            content,
          })) as QueryDeepPartialEntity<LessonEntity>[],
        );
      }
      return draft;
    });
  }

  /** Deletes an unpublished version (its lessons go with it); the course too if nothing is left. */
  async discardVersion(version: CourseVersionEntity): Promise<'version' | 'course'> {
    return this.dataSource.transaction(async (em) => {
      await this.versions(em).delete({ id: version.id });
      const left = await this.versions(em).count({ where: { courseId: version.courseId } });
      if (left > 0) return 'version';
      await this.courses(em).delete({ id: version.courseId });
      return 'course';
    });
  }

  async setArchived(courseId: string, archived: boolean): Promise<void> {
    await this.courses().update({ id: courseId }, { archivedAt: archived ? new Date() : null });
  }

  private async touchCourseOf(versionId: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE courses SET updated_at = now() WHERE id = (SELECT course_id FROM course_versions WHERE id = $1)',
      [versionId],
    );
  }
}

import { isUUID } from 'class-validator';
import { Inject, Injectable } from '@nestjs/common';
import { CommonError } from '../../infrastructure/errors/domain-error.js';
import { localizeText, normalizeFallbackChain } from '../../infrastructure/i18n/locales.js';
import {
  LearnableContentService,
  requiredLessons,
  type VersionOutline,
} from '../catalog/learnable-content.service.js';
import { AreaScope } from '../geography/area-scope.service.js';
import { GeographyService } from '../geography/geography.service.js';
import type { User } from '../identity/identity.types.js';
import { normalizeVietnamesePhone } from '../identity/phone-number.js';
import { hasRole, type Principal } from '../../infrastructure/auth/roles.js';
import { UsersService } from '../identity/users.service.js';
import type {
  CourseCompletionResponse,
  EnrolLearnersResponse,
  EnrolResultResponse,
  EnrolmentResponse,
  MyCourseResponse,
  MyLearningResponse,
} from './dto/learning-responses.dto.js';
import { LearningError } from './learning.errors.js';
import {
  LearningRepository,
  type CompletionRow,
  type EnrolmentRow,
  type ProgressState,
} from './learning.repository.js';
import { lessonKind } from '../lesson-kinds/lesson-kinds.js';

const STALLED_PAGE = 500;

/** An unfinished enrolment whose learner has not been active for a while. */
export interface StalledEnrolment {
  learnerId: string;
  courseId: string;
  lastActivityAt: Date;
  /** The title of the version studied, per language. */
  courseTitle: Partial<Record<string, string>> & { vi: string };
}

export const completionResponse = (c: CompletionRow): CourseCompletionResponse => ({
  courseId: c.courseId,
  version: c.version,
  locale: c.locale,
  averageQuizScore: c.averageQuizScore,
  completedAt: c.completedAt.toISOString(),
});

/** Who studies which course (self-enrolment, or a trainer's list) and "my learning". */
@Injectable()
export class EnrolmentService {
  constructor(
    @Inject(LearningRepository) private readonly repo: LearningRepository,
    @Inject(LearnableContentService) private readonly content: LearnableContentService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(AreaScope) private readonly area: AreaScope,
  ) {}

  /**
   * Learners who stopped part-way: unfinished enrolments last active in [from, to), with the
   * course's title in every language it has (for a reminder in the learner's language).
   */
  async *stalled(from: Date, to: Date): AsyncGenerator<StalledEnrolment[]> {
    let after: Parameters<LearningRepository['stalledEnrolments']>[3];
    for (;;) {
      const rows = await this.repo.stalledEnrolments(from, to, STALLED_PAGE, after);
      if (rows.length === 0) return;
      yield await Promise.all(
        rows.map(async (r) => ({
          learnerId: r.learnerId,
          courseId: r.courseId,
          lastActivityAt: r.lastActivityAt,
          courseTitle: (await this.content.outline(r.courseVersionId))?.title ?? { vi: r.courseId },
        })),
      );
      const last = rows.at(-1)!;
      after = { lastActivityAt: last.lastActivityAt, learnerId: last.learnerId, courseId: last.courseId };
    }
  }

  /** Self-enrolment on the course's published version; enrolling twice returns the first. */
  async enrolSelf(
    learnerId: string,
    courseId: string,
  ): Promise<{ enrolment: EnrolmentResponse; created: boolean }> {
    const versionId = await this.enrollableVersionOrThrow(courseId);
    const { enrolment, created } = await this.repo.enrol(learnerId, courseId, versionId, null);
    return { enrolment: await this.enrolmentResponse(enrolment), created };
  }

  /**
   * Staff enrol learners by phone number or user id; each entry is answered on its own. The
   * course owner and admins may enrol anyone; a coordinator only learners living inside their
   * area (anyone else is "not_found", exactly like a number with no account). The answer echoes
   * what was given and never maps it to a user id.
   */
  async enrolLearners(who: Principal, courseId: string, entries: string[]): Promise<EnrolLearnersResponse> {
    const versionId = await this.enrollableVersionOrThrow(courseId);
    const unscoped = hasRole(who, 'admin') || (await this.content.ownerOf(courseId)) === who.userId;
    const area = unscoped ? undefined : await this.area.coordinatedPaths(who);
    if (area && area.length === 0) {
      throw CommonError.forbidden(
        'Only the course owner, an admin, or a coordinator (for the learners of their area) may enrol learners.',
      );
    }
    const results: EnrolResultResponse[] = [];
    for (const learner of entries) {
      const user = await this.resolveLearner(learner);
      if (!user || (area && !(await this.livesInside(user.villageId, area)))) {
        results.push({ learner, status: 'not_found' });
        continue;
      }
      const { created } = await this.repo.enrol(user.id, courseId, versionId, who.userId);
      results.push({ learner, status: created ? 'enrolled' : 'already_enrolled' });
    }
    const count = (status: string) => results.filter((r) => r.status === status).length;
    return {
      enrolled: count('enrolled'),
      alreadyEnrolled: count('already_enrolled'),
      notFound: count('not_found'),
      results,
    };
  }

  private async livesInside(villageId: string | null, area: string[]): Promise<boolean> {
    if (!villageId) return false;
    const [village] = await this.geography.findMany([villageId]);
    return !!village && area.some((path) => village.path.startsWith(path));
  }

  /** Every course version a learner completed, newest first (certification's eligibility reads it). */
  completionsOf(learnerId: string): Promise<CompletionRow[]> {
    return this.repo.completionsOf(learnerId);
  }

  /** In progress and completed courses, with the next lesson and where to resume. */
  async myLearning(learnerId: string, lang?: string): Promise<MyLearningResponse> {
    const chain = normalizeFallbackChain(
      lang ? lang.split(',') : (await this.users.get(learnerId)).languages,
    );
    const [enrolments, completions] = await Promise.all([
      this.repo.enrolmentsOf(learnerId),
      this.repo.completionsOf(learnerId),
    ]);
    const outlines = await Promise.all(enrolments.map((e) => this.content.outline(e.courseVersionId)));
    const current = await this.content.enrollableVersions(enrolments.map((e) => e.courseId));
    const progress = await this.repo.progressOf(
      learnerId,
      outlines.flatMap((o) => o?.lessons.map((l) => l.lessonKey) ?? []),
    );
    const byKey = new Map(progress.map((p) => [p.lessonKey, p]));
    const courses: MyCourseResponse[] = [];
    enrolments.forEach((enrolment, i) => {
      const outline = outlines[i];
      if (!outline) return;
      courses.push(
        this.myCourse(enrolment, outline, byKey, completions, current.get(enrolment.courseId), chain),
      );
    });
    return {
      inProgress: courses.filter((c) => !c.completion),
      completed: courses.filter((c) => !!c.completion),
    };
  }

  private myCourse(
    enrolment: EnrolmentRow,
    outline: VersionOutline,
    progress: Map<string, ProgressState>,
    completions: CompletionRow[],
    publishedVersionId: string | null | undefined,
    chain: string[],
  ): MyCourseResponse {
    const required = requiredLessons(outline);
    const done = (key: string) => progress.get(key)?.status === 'completed';
    const completedCount = required.filter((l) => done(l.lessonKey)).length;
    const next = outline.lessons.find((l) => !done(l.lessonKey)) ?? null;
    // Resume the most recently touched lesson that is not finished.
    const open = outline.lessons
      .map((l) => ({ l, p: progress.get(l.lessonKey) }))
      .filter((x) => x.p && x.p.status !== 'completed')
      .sort((a, b) => b.p!.lastEventAt.getTime() - a.p!.lastEventAt.getTime())[0];
    const completion = completions.find((c) => c.courseVersionId === enrolment.courseVersionId) ?? null;
    return {
      courseId: outline.courseId,
      title: localizeText(outline.title, chain),
      version: outline.version,
      newerVersion: !!publishedVersionId && publishedVersionId !== outline.courseVersionId,
      lessonsCompleted: completedCount,
      lessonsRequired: required.length,
      percent: required.length === 0 ? 0 : Math.round((100 * completedCount) / required.length),
      nextLesson: next ? { id: next.id, kind: next.kind, title: localizeText(next.title, chain) } : null,
      resume: open
        ? {
            id: open.l.id,
            kind: open.l.kind,
            title: localizeText(open.l.title, chain),
            positionSeconds: lessonKind(open.l.kind).resumeAt?.(open.p!.state) ?? null,
          }
        : null,
      enrolledAt: enrolment.enrolledAt.toISOString(),
      lastActivityAt: enrolment.lastActivityAt?.toISOString() ?? null,
      completion: completion ? completionResponse(completion) : null,
    };
  }

  private async enrollableVersionOrThrow(courseId: string): Promise<string> {
    const course = await this.content.courseForLearners(courseId);
    if (!course) throw LearningError.courseNotFound();
    if (course.archived) throw LearningError.courseNotAvailable();
    return course.publishedVersionId;
  }

  private async enrolmentResponse(e: EnrolmentRow): Promise<EnrolmentResponse> {
    const outline = await this.content.outline(e.courseVersionId);
    return {
      courseId: e.courseId,
      version: outline?.version ?? 0,
      enrolledAt: e.enrolledAt.toISOString(),
      startedAt: e.startedAt?.toISOString() ?? null,
      completedAt: e.completedAt?.toISOString() ?? null,
    };
  }

  private async resolveLearner(entry: string): Promise<User | null> {
    const trimmed = entry.trim();
    const phone = isUUID(trimmed) ? null : normalizeVietnamesePhone(trimmed);
    const user = isUUID(trimmed)
      ? await this.users.get(trimmed).catch(() => null)
      : phone
        ? await this.users.findByIdentifier({ phone, email: null })
        : null;
    return user && !user.disabledAt ? user : null;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { CommonError } from '../../infrastructure/errors/domain-error.js';
import { normalizeFallbackChain, pickLocalized } from '../../infrastructure/i18n/locales.js';
import { LearnableContentService } from '../catalog/learnable-content.service.js';
import { LearnerGroupsService } from '../catalog/learner-groups.service.js';
import { AreaScope } from '../geography/area-scope.service.js';
import { GeographyService } from '../geography/geography.service.js';
import { childPart } from '../geography/locality-rules.js';
import { hasRole, type Principal } from '../../infrastructure/auth/roles.js';
import type { ProgressReportResponse } from './dto/reporting-responses.dto.js';
import { LearningError } from '../learning/learning.errors.js';
import { ReportingRepository, type ProgressCounts } from './reporting.repository.js';
import { RollupsService } from './rollups.service.js';

const counts = (c?: ProgressCounts): ProgressCounts => ({
  enrolled: c?.enrolled ?? 0,
  notStarted: c?.notStarted ?? 0,
  inProgress: c?.inProgress ?? 0,
  completed: c?.completed ?? 0,
});

/**
 * Progress for staff: per course (its owner, admins; coordinators for the learners of their
 * locality) and per locality (coordinators inside their area, admins). Counts only, no names.
 */
@Injectable()
export class ProgressReportService {
  constructor(
    @Inject(ReportingRepository) private readonly repo: ReportingRepository,
    @Inject(LearnableContentService) private readonly content: LearnableContentService,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(AreaScope) private readonly area: AreaScope,
    @Inject(LearnerGroupsService) private readonly groups: LearnerGroupsService,
    @Inject(RollupsService) private readonly rollups: RollupsService,
  ) {}

  async courseReport(who: Principal, courseId: string, lang?: string): Promise<ProgressReportResponse> {
    const owner = await this.content.ownerOf(courseId);
    if (!owner) throw LearningError.courseNotFound();
    const unscoped = hasRole(who, 'admin') || (hasRole(who, 'trainer') && owner === who.userId);
    const scopePaths = unscoped ? undefined : await this.area.coordinatedPaths(who);
    if (scopePaths && scopePaths.length === 0) {
      throw CommonError.forbidden('Only the course owner, a coordinator or an admin sees its progress.');
    }
    // The breakdown goes one level below the narrowest area the caller sees.
    const part = scopePaths?.length === 1 ? childPart(scopePaths[0]) : 2;
    return this.report({ courseId, scopePaths, childPart: part, lang });
  }

  /** A place's report; `withCourses` adds every course learned there (the dashboard's table). */
  async localityReport(
    who: Principal,
    localityId: string,
    lang?: string,
    withCourses = false,
  ): Promise<ProgressReportResponse> {
    const locality = await this.geography.get(localityId);
    await this.area.assertCovers(who, locality.path);
    const chain = normalizeFallbackChain(lang ? lang.split(',') : []);
    // After the report: it brings the rollups up to date first.
    const report = await this.report({
      withinPath: locality.path,
      childPart: childPart(locality.path),
      lang,
    });
    if (!withCourses) return { ...report, localityId };
    const byCourse = await this.repo.progressCounts({ withinPath: locality.path, groupBy: 'course' });
    const titles = await this.content.publishedTitles(byCourse.map((r) => r.key!));
    return {
      ...report,
      localityId,
      byCourse: byCourse
        .map((r) => {
          const title = titles.get(r.key!);
          return { courseId: r.key!, title: title ? pickLocalized(title, chain) : null, ...counts(r) };
        })
        .sort((a, b) => b.enrolled - a.enrolled || a.courseId.localeCompare(b.courseId)),
    };
  }

  private async report(q: {
    courseId?: string;
    withinPath?: string;
    scopePaths?: string[];
    childPart: number;
    lang?: string;
  }): Promise<ProgressReportResponse> {
    const chain = normalizeFallbackChain(q.lang ? q.lang.split(',') : []);
    const filter = { courseId: q.courseId, withinPath: q.withinPath, scopePaths: q.scopePaths };
    await this.rollups.refresh();
    const [[total], byGroup, byLocality, groups] = await Promise.all([
      this.repo.progressCounts({ ...filter, groupBy: 'none' }),
      this.repo.progressCounts({ ...filter, groupBy: 'learner_group' }),
      this.repo.progressCounts({ ...filter, groupBy: 'child_locality', childPart: q.childPart }),
      this.groups.list(true),
    ]);
    const places = new Map(
      (await this.geography.findMany(byLocality.flatMap((r) => (r.key ? [r.key] : [])))).map((l) => [
        l.id,
        l,
      ]),
    );
    return {
      ...(q.courseId && { courseId: q.courseId }),
      scopedTo: q.scopePaths ? q.scopePaths.map((p) => p.split('/').filter(Boolean).pop()!) : [],
      totals: counts(total),
      byLearnerGroup: byGroup.map((r) => {
        const group = groups.find((g) => g.id === r.key);
        return {
          code: group?.code ?? null,
          name: group ? pickLocalized(group.names, chain) : null,
          ...counts(r),
        };
      }),
      byLocality: byLocality
        .filter((r) => !q.withinPath || r.key)
        .map((r) => ({ id: r.key, name: (r.key && places.get(r.key)?.name) || null, ...counts(r) })),
    };
  }
}

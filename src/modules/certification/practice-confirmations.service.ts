import { Inject, Injectable } from '@nestjs/common';
import { hasRole, type Principal } from '../../infrastructure/auth/roles.js';
import { CommonError } from '../../infrastructure/errors/domain-error.js';
import { localizeText, normalizeFallbackChain } from '../../infrastructure/i18n/locales.js';
import { vietnamDay } from '../../infrastructure/i18n/vietnam-time.js';
import { LearnableContentService } from '../catalog/learnable-content.service.js';
import { AreaScope } from '../geography/area-scope.service.js';
import { GeographyService } from '../geography/geography.service.js';
import { UsersService } from '../identity/users.service.js';
import { VillageAmbassadors } from '../identity/village-ambassadors.js';
import { LearningError } from '../learning/learning.errors.js';
import { ProgressService } from '../learning/progress.service.js';
import { CertificationError, CertificationErrorCode as Code } from './certification.errors.js';
import type {
  ConfirmPracticeDto,
  PendingPracticePage,
  PracticeConfirmedResponse,
} from './dto/practice.dto.js';
import { MentoringService } from './mentoring.service.js';

type Confirmer = 'ambassador' | 'staff';

/**
 * Practice tasks ("thực hành") confirmed in person. Someone who can see the learner do it — a
 * certified ambassador of the learner's village, a coordinator whose area holds it, a trainer
 * living there, or an admin — confirms; nobody confirms their own. The confirmation is the
 * practice lesson's event, recorded on the learner's behalf (learning completes the lesson and
 * the course, which counts toward eligibility like any other). An ambassador's confirmation also
 * enters their "1 kèm 5" log (the household helped, the task, optionally a photo).
 */
@Injectable()
export class PracticeConfirmationsService {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(AreaScope) private readonly scope: AreaScope,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(VillageAmbassadors) private readonly ambassadors: VillageAmbassadors,
    @Inject(LearnableContentService) private readonly content: LearnableContentService,
    @Inject(ProgressService) private readonly progress: ProgressService,
    @Inject(MentoringService) private readonly mentoring: MentoringService,
  ) {}

  async confirm(
    who: Principal,
    dto: ConfirmPracticeDto,
    now = new Date(),
  ): Promise<PracticeConfirmedResponse> {
    if (who.userId === dto.learnerId) {
      throw new CertificationError(
        Code.PracticeSelf,
        'You cannot confirm your own practice task: someone of your village confirms it.',
      );
    }
    const learner = await this.users.get(dto.learnerId);
    const confirmer = await this.reach(who, learner.villageId);
    if (!confirmer) {
      throw new CertificationError(
        Code.PracticeNotYourVillage,
        "Practice tasks are confirmed by an ambassador, trainer or coordinator of the learner's village.",
      );
    }
    const lesson = (await this.content.lessonsByIds([dto.lessonId])).get(dto.lessonId);
    if (
      !lesson ||
      lesson.kind !== 'practice' ||
      !(await this.progress.isEnrolled(learner.id, lesson.courseId))
    ) {
      throw new CertificationError(
        Code.PracticeLessonNotFound,
        'This is not a practice lesson of a course the learner is taking.',
      );
    }
    const { receipts, completions } = await this.progress.recordConfirmation(
      learner.id,
      lesson.id,
      who.userId,
      now,
    );
    const [receipt] = receipts;
    if (receipt.status === 'rejected')
      throw new LearningError(receipt.code!, receipt.message!, receipt.details);
    const newlyConfirmed = receipt.status === 'accepted';
    const task = (lesson.content as { digitalTask?: string }).digitalTask ?? 'other';
    const mentoring =
      newlyConfirmed && confirmer === 'ambassador'
        ? await this.mentoring.create(
            who.userId,
            {
              helpedOn: vietnamDay(now),
              household: learner.displayName.slice(0, 120),
              villageId: learner.villageId ?? undefined,
              task,
              note: localizeText(lesson.title, ['vi']).text.slice(0, 500),
              photo: dto.photo,
            },
            now,
          )
        : null;
    return {
      learnerId: learner.id,
      lessonId: lesson.id,
      newlyConfirmed,
      completedCourses: completions.map((c) => c.courseId),
      mentoring,
    };
  }

  /**
   * Practice tasks waiting in a village the reader may confirm in: the given one, or by default
   * every village an ambassador holds a certificate for.
   */
  async pending(
    who: Principal,
    query: { villageId?: string; page: number; pageSize: number },
  ): Promise<PendingPracticePage> {
    let villages: string[];
    if (query.villageId) {
      if (!(await this.reach(who, query.villageId))) {
        throw new CertificationError(
          Code.PracticeNotYourVillage,
          'You confirm practice tasks only in your own village or area.',
        );
      }
      villages = [query.villageId];
    } else {
      villages = await this.ambassadors.villagesOf(who.userId);
      if (villages.length === 0) {
        throw CommonError.invalidField('villageId', 'Choose the village (villageId) to list.', 'required');
      }
    }
    const chain = normalizeFallbackChain((await this.users.get(who.userId)).languages);
    const { items, total } = await this.progress.pendingPractice(villages, query.page, query.pageSize);
    return {
      items: items.map((r) => ({
        learnerId: r.learnerId,
        displayName: r.displayName,
        villageId: r.villageId,
        lessonId: r.lessonId,
        lessonTitle: localizeText(r.lessonTitle, chain).text,
        task: r.task ? localizeText(r.task, chain).text : '',
        courseId: r.courseId,
        courseTitle: localizeText(r.courseTitle, chain).text,
        lastActivityAt: r.lastActivityAt?.toISOString() ?? null,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** The villages an ambassador confirms in by default (their valid certificates' villages). */
  ownVillages(who: Principal): Promise<string[]> {
    return this.ambassadors.villagesOf(who.userId);
  }

  /** Whether `who` may confirm in the village, and as whom (an ambassador's confirmations are logged). */
  async reach(who: Principal, villageId: string | null): Promise<Confirmer | null> {
    if (villageId && (await this.ambassadors.villagesOf(who.userId)).includes(villageId)) return 'ambassador';
    if (hasRole(who, 'admin')) return 'staff';
    if (!villageId) return null;
    if (hasRole(who, 'coordinator')) {
      const village = await this.geography.findOfLevel(villageId, ['village']);
      if (village && (await this.scope.covers(who, village.path))) return 'staff';
    }
    if (hasRole(who, 'trainer') && (await this.users.get(who.userId)).villageId === villageId) return 'staff';
    return null;
  }
}

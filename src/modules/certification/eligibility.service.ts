import { Inject, Injectable } from '@nestjs/common';
import { translate } from '../../infrastructure/i18n/messages.js';
import { vietnamDay } from '../../infrastructure/i18n/vietnam-time.js';
import {
  normalizeFallbackChain,
  pickLocalized,
  UI_LOCALES,
  type Locale,
} from '../../infrastructure/i18n/locales.js';
import { LearnableContentService } from '../catalog/learnable-content.service.js';
import { GeographyService } from '../geography/geography.service.js';
import { EnrolmentService } from '../learning/enrolment.service.js';
import { CertificationRepository } from './certification.repository.js';
import { assessEligibility, inProvince, type EligibilitySnapshot } from './eligibility.js';
import type { ProgrammeEntity } from './entities/programme.entity.js';

export interface EligibilityItemView {
  /** `course`, `quizAverage`, `households` or `village`. */
  kind: string;
  met: boolean;
  /** What is required, in the reader's language. */
  label: string;
  /** Where the candidate stands. */
  detail: string;
  courseId?: string;
  required?: number;
  actual?: number | null;
}

export interface EligibilityView {
  programmeId: string;
  eligible: boolean;
  checkedAt: string;
  locale: string;
  items: EligibilityItemView[];
}

/** Gathers a candidate's facts for `assessEligibility` and explains the result in their language. */
@Injectable()
export class EligibilityService {
  constructor(
    @Inject(CertificationRepository) private readonly repo: CertificationRepository,
    @Inject(EnrolmentService) private readonly learning: EnrolmentService,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(LearnableContentService) private readonly content: LearnableContentService,
  ) {}

  /**
   * @param villageId the village applied for (or the candidate's own)
   * @param householdsSince for a renewal, only households helped since the previous certificate count
   */
  async assess(
    candidateId: string,
    programme: ProgrammeEntity,
    villageId: string | null,
    householdsSince?: Date,
  ): Promise<EligibilitySnapshot> {
    const [completions, households, village] = await Promise.all([
      this.learning.completionsOf(candidateId),
      this.repo.countHouseholds(candidateId, householdsSince && vietnamDay(householdsSince)),
      villageId ? this.geography.findOfLevel(villageId, ['village']) : null,
    ]);
    return assessEligibility(
      {
        requiredCourseIds: programme.requiredCourseIds,
        minAverageQuizScore: Number(programme.minAverageQuizScore),
        minHouseholds: programme.minHouseholds,
      },
      {
        completions,
        households,
        village: village
          ? { id: village.id, inProvince: inProvince(village.path, programme.provinceId) }
          : null,
      },
    );
  }

  /** The snapshot item by item, in the first UI language of the chain (Vietnamese otherwise). */
  async present(
    snapshot: EligibilitySnapshot,
    programmeId: string,
    languages: string[],
  ): Promise<EligibilityView> {
    const chain = normalizeFallbackChain(languages);
    const locale: Locale = chain.find((l) => (UI_LOCALES as readonly string[]).includes(l)) ?? 'vi';
    const t = (key: string, params: Record<string, string | number> = {}) => translate(locale, key, params);
    const courseItems = await Promise.all(
      snapshot.courses.map(async (c): Promise<EligibilityItemView> => {
        const title = await this.courseTitle(c.courseId, c.completion?.courseVersionId, chain);
        return {
          kind: 'course',
          courseId: c.courseId,
          met: c.met,
          label: t('eligibility.course', { title }),
          detail: c.completion
            ? t('eligibility.course.done', { version: c.completion.version })
            : t('eligibility.course.missing'),
        };
      }),
    );
    const q = snapshot.quizAverage;
    const h = snapshot.households;
    return {
      programmeId,
      eligible: snapshot.eligible,
      checkedAt: snapshot.checkedAt,
      locale,
      items: [
        ...courseItems,
        {
          kind: 'quizAverage',
          met: q.met,
          required: q.required,
          actual: q.actual,
          label: t('eligibility.quizAverage', { required: q.required }),
          detail:
            q.actual === null
              ? t('eligibility.quizAverage.none')
              : t('eligibility.quizAverage.actual', { actual: q.actual }),
        },
        {
          kind: 'households',
          met: h.met,
          required: h.required,
          actual: h.actual,
          label: t('eligibility.households', { required: h.required }),
          detail: t('eligibility.households.actual', { actual: h.actual, required: h.required }),
        },
        {
          kind: 'village',
          met: snapshot.village.met,
          label: t('eligibility.village'),
          detail: snapshot.village.met ? t('eligibility.village.done') : t('eligibility.village.missing'),
        },
      ],
    };
  }

  /** The title of the version completed, else of the version now published. */
  async courseTitle(
    courseId: string,
    versionId: string | undefined,
    chain: readonly string[],
  ): Promise<string> {
    const id = versionId ?? (await this.content.courseForLearners(courseId))?.publishedVersionId;
    const outline = id ? await this.content.outline(id) : null;
    return outline ? (pickLocalized(outline.title, chain)?.text ?? outline.title.vi) : courseId;
  }
}

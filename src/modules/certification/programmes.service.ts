import { Inject, Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../../infrastructure/database/pg-errors.js';
import { compactTexts } from '../../infrastructure/i18n/locales.js';
import { LearnableContentService } from '../catalog/learnable-content.service.js';
import { GeographyService } from '../geography/geography.service.js';
import { CertificationError, CertificationErrorCode } from './certification.errors.js';
import { CertificationRepository } from './certification.repository.js';
import type { CreateProgrammeDto, UpdateProgrammeDto } from './dto/certification.dto.js';
import type { ProgrammeEntity } from './entities/programme.entity.js';

/** The programme definition: data, edited by admins. */
@Injectable()
export class ProgrammesService {
  constructor(
    @Inject(CertificationRepository) private readonly repo: CertificationRepository,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(LearnableContentService) private readonly content: LearnableContentService,
  ) {}

  list(includeInactive: boolean): Promise<ProgrammeEntity[]> {
    return this.repo.listProgrammes(!includeInactive);
  }

  async get(id: string): Promise<ProgrammeEntity> {
    const programme = await this.repo.findProgramme(id);
    if (!programme) throw CertificationError.programmeNotFound();
    return programme;
  }

  async create(dto: CreateProgrammeDto): Promise<ProgrammeEntity> {
    if (!(await this.geography.findOfLevel(dto.provinceId, ['province']))) {
      throw this.invalid('provinceId must be an existing province.');
    }
    await this.assertCourses(dto.requiredCourseIds);
    try {
      return await this.repo.saveProgramme({
        ...dto,
        names: compactTexts(dto.names),
        descriptions: compactTexts(dto.descriptions),
        minAverageQuizScore: String(dto.minAverageQuizScore),
        requiredCourseIds: [...new Set(dto.requiredCourseIds)],
      } as Partial<ProgrammeEntity>);
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new CertificationError(
          CertificationErrorCode.ProgrammeCodeTaken,
          'Another programme already uses this code or serial prefix.',
        );
      }
      throw e;
    }
  }

  /** Rule changes apply to decisions from now on; certificates already issued keep what they were granted on. */
  async update(id: string, dto: UpdateProgrammeDto): Promise<ProgrammeEntity> {
    const programme = await this.get(id);
    if (dto.requiredCourseIds) await this.assertCourses(dto.requiredCourseIds);
    return this.repo.saveProgramme({
      ...programme,
      ...(dto.names && { names: compactTexts(dto.names) as ProgrammeEntity['names'] }),
      ...(dto.descriptions && { descriptions: compactTexts(dto.descriptions) }),
      ...(dto.requiredCourseIds && { requiredCourseIds: [...new Set(dto.requiredCourseIds)] }),
      ...(dto.minAverageQuizScore !== undefined && { minAverageQuizScore: String(dto.minAverageQuizScore) }),
      ...(dto.minHouseholds !== undefined && { minHouseholds: dto.minHouseholds }),
      ...(dto.validityMonths !== undefined && { validityMonths: dto.validityMonths }),
      ...(dto.renewalWindowDays !== undefined && { renewalWindowDays: dto.renewalWindowDays }),
      ...(dto.activeWithinDays !== undefined && { activeWithinDays: dto.activeWithinDays }),
      ...(dto.active !== undefined && { active: dto.active }),
    });
  }

  private async assertCourses(ids: string[]): Promise<void> {
    const unknown: string[] = [];
    for (const id of new Set(ids)) if (!(await this.content.courseForLearners(id))) unknown.push(id);
    if (unknown.length > 0) {
      throw this.invalid('Every required course must exist and be published.', { unknown });
    }
  }

  private invalid(message: string, details?: Record<string, unknown>) {
    return new CertificationError(CertificationErrorCode.ProgrammeInvalid, message, details);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../../infrastructure/database/pg-errors.js';
import type { CreateLearnerGroupDto, UpdateLearnerGroupDto } from './dto/learner-group.dto.js';
import type { LearnerGroupEntity, LocalizedText } from './entities/learner-group.entity.js';
import { CatalogError, CatalogErrorCode } from './catalog.errors.js';
import { LearnerGroupRepository } from './learner-group.repository.js';
import { compactTexts as compact } from '../../infrastructure/i18n/locales.js';

@Injectable()
export class LearnerGroupsService {
  constructor(@Inject(LearnerGroupRepository) private readonly groups: LearnerGroupRepository) {}

  list(includeArchived = false): Promise<LearnerGroupEntity[]> {
    return this.groups.findAllOrdered(includeArchived);
  }

  async get(id: string): Promise<LearnerGroupEntity> {
    const group = await this.groups.findById(id);
    if (!group) {
      throw new CatalogError(CatalogErrorCode.LearnerGroupNotFound, 'The learner group was not found.');
    }
    return group;
  }

  /** For other modules: an active (not archived) group, or null. */
  async findActive(id: string): Promise<LearnerGroupEntity | null> {
    const group = await this.groups.findById(id);
    return group && !group.archivedAt ? group : null;
  }

  async create(dto: CreateLearnerGroupDto): Promise<LearnerGroupEntity> {
    try {
      return await this.groups.create({
        code: dto.code,
        names: compact(dto.names) as LocalizedText,
        descriptions: compact(dto.descriptions),
        sortOrder: dto.sortOrder ?? 100,
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new CatalogError(
          CatalogErrorCode.LearnerGroupCodeTaken,
          `The code "${dto.code}" is already used.`,
        );
      }
      throw e;
    }
  }

  /** Groups are archived, never deleted: learners and courses keep referring to them. */
  async update(id: string, dto: UpdateLearnerGroupDto): Promise<LearnerGroupEntity> {
    const current = await this.get(id);
    await this.groups.update(id, {
      ...(dto.names && { names: compact(dto.names) as LocalizedText }),
      ...(dto.descriptions && { descriptions: { ...current.descriptions, ...compact(dto.descriptions) } }),
      ...(dto.sortOrder !== undefined && { sortOrder: dto.sortOrder }),
      ...(dto.archived !== undefined && {
        archivedAt: dto.archived ? (current.archivedAt ?? new Date()) : null,
      }),
    });
    return this.get(id);
  }
}

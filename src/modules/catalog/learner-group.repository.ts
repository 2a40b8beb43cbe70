import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { LearnerGroupEntity } from './entities/learner-group.entity.js';

@Injectable()
export class LearnerGroupRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get groups() {
    return this.dataSource.getRepository(LearnerGroupEntity);
  }

  findAllOrdered(includeArchived: boolean): Promise<LearnerGroupEntity[]> {
    return this.groups.find({
      where: includeArchived ? {} : { archivedAt: IsNull() },
      order: { sortOrder: 'ASC', code: 'ASC' },
    });
  }

  findById(id: string): Promise<LearnerGroupEntity | null> {
    return this.groups.findOne({ where: { id } });
  }

  findByCode(code: string): Promise<LearnerGroupEntity | null> {
    return this.groups.findOne({ where: { code } });
  }

  async create(
    data: Pick<LearnerGroupEntity, 'code' | 'names' | 'descriptions' | 'sortOrder'>,
  ): Promise<LearnerGroupEntity> {
    return this.groups.save(this.groups.create(data));
  }

  async update(id: string, patch: Partial<LearnerGroupEntity>): Promise<void> {
    if (Object.keys(patch).length > 0) await this.groups.update({ id }, patch);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { LocalityEntity, type LocalityLevel } from './entities/locality.entity.js';

export interface LocalityRow extends LocalityEntity {
  parentName: string | null;
  parentCode: string | null;
  childCount: number;
}

export interface LocalityFilter {
  parentId?: string;
  level?: LocalityLevel;
  q?: string;
  page: number;
  pageSize: number;
}

/** The only place that touches TypeORM for localities. */
@Injectable()
export class LocalityRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get localities() {
    return this.dataSource.getRepository(LocalityEntity);
  }

  findById(id: string): Promise<LocalityEntity | null> {
    return this.localities.findOne({ where: { id } });
  }

  findByIds(ids: string[]): Promise<LocalityEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.localities.find({ where: { id: In(ids) } });
  }

  findByCode(code: string): Promise<LocalityEntity | null> {
    return this.localities.findOne({ where: { code } });
  }

  /** Listing and accent-insensitive search (`sai duan` finds "Sải Duần"), trigram-indexed. */
  async search(filter: LocalityFilter): Promise<{ items: LocalityRow[]; total: number }> {
    const qb = this.localities
      .createQueryBuilder('l')
      .leftJoin(LocalityEntity, 'p', 'p.id = l.parent_id')
      .select('l')
      .addSelect('p.name', 'parent_name')
      .addSelect('p.code', 'parent_code')
      .addSelect('(SELECT count(*) FROM localities c WHERE c.parent_id = l.id)::int', 'child_count');
    if (filter.parentId) qb.andWhere('l.parent_id = :parentId', { parentId: filter.parentId });
    if (filter.level) qb.andWhere('l.level = :level', { level: filter.level });
    if (filter.q) {
      qb.andWhere(`f_search_key(l.name) LIKE '%' || f_search_key(:q) || '%'`, { q: filter.q });
      qb.orderBy(`CASE l.level WHEN 'province' THEN 0 WHEN 'commune' THEN 1 ELSE 2 END`, 'ASC')
        .addOrderBy('similarity(f_search_key(l.name), f_search_key(:q))', 'DESC')
        .setParameter('q', filter.q);
    } else {
      qb.orderBy(`CASE l.level WHEN 'province' THEN 0 WHEN 'commune' THEN 1 ELSE 2 END`, 'ASC');
    }
    qb.addOrderBy('l.code', 'ASC')
      .offset((filter.page - 1) * filter.pageSize)
      .limit(filter.pageSize);
    const [{ entities, raw }, total] = await Promise.all([qb.getRawAndEntities(), qb.getCount()]);
    const items = entities.map((entity, i) => ({
      ...entity,
      parentName: raw[i].parent_name ?? null,
      parentCode: raw[i].parent_code ?? null,
      childCount: raw[i].child_count ?? 0,
    }));
    return { items, total };
  }

  /** Ancestors first, the locality itself last. */
  async lineage(locality: LocalityEntity): Promise<LocalityEntity[]> {
    const ids = locality.path.split('/').filter(Boolean);
    const rows = await this.localities.find({ where: { id: In(ids) } });
    return ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is LocalityEntity => !!r);
  }

  async countChildren(id: string): Promise<number> {
    return this.localities.count({ where: { parentId: id } });
  }

  async create(
    data: Pick<LocalityEntity, 'code' | 'level' | 'kind' | 'name'>,
    parent: LocalityEntity | null,
  ) {
    return this.dataSource.transaction(async (em) => {
      const repo = em.getRepository(LocalityEntity);
      const created = await repo.save(repo.create({ ...data, parentId: parent?.id ?? null, path: '/' }));
      created.path = `${parent?.path ?? '/'}${created.id}/`;
      await repo.update({ id: created.id }, { path: created.path });
      return created;
    });
  }

  async update(id: string, patch: Partial<Pick<LocalityEntity, 'code' | 'kind' | 'name'>>): Promise<void> {
    if (Object.keys(patch).length > 0) await this.localities.update({ id }, patch);
  }

  async delete(id: string): Promise<void> {
    await this.localities.delete({ id });
  }
}

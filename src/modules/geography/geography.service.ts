import { Inject, Injectable } from '@nestjs/common';
import { isForeignKeyViolation, isUniqueViolation } from '../../infrastructure/database/pg-errors.js';
import type { CreateLocalityDto, LocalityQueryDto, UpdateLocalityDto } from './dto/locality.dto.js';
import type { LocalityEntity, LocalityLevel } from './entities/locality.entity.js';
import { GeographyError, GeographyErrorCode } from './geography.errors.js';
import { LocalityRepository } from './locality.repository.js';
import { codeProblem, kindAllowed, PARENT_LEVEL } from './locality-rules.js';

/** What other modules may know about a locality. */
export interface LocalitySummary {
  id: string;
  code: string;
  level: LocalityLevel;
  kind: string;
  name: string;
  parentId: string | null;
  /** `/<province id>/<commune id>/<own id>/` */
  path: string;
}

@Injectable()
export class GeographyService {
  constructor(@Inject(LocalityRepository) private readonly localities: LocalityRepository) {}

  search(query: LocalityQueryDto) {
    return this.localities.search(query);
  }

  async get(id: string): Promise<LocalityEntity> {
    const locality = await this.localities.findById(id);
    if (!locality) throw GeographyError.notFound();
    return locality;
  }

  /** Localities by id (unknown ids are left out), for naming rows of a report. */
  findMany(ids: string[]): Promise<LocalityEntity[]> {
    return this.localities.findByIds(ids);
  }

  /** "Thôn Sải Duần, xã Bát Xát, tỉnh Lào Cai": kinds and names from the place up, as on documents. */
  async placeName(id: string): Promise<string> {
    const lineage = await this.localities.lineage(await this.get(id));
    const text = lineage
      .slice()
      .reverse()
      .map((l) => `${l.kind} ${l.name}`)
      .join(', ');
    return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
  }

  /** Village and commune names for village ids (unknown ids are left out). */
  async villagePlaces(
    villageIds: string[],
  ): Promise<Map<string, { village: string; commune: string | null }>> {
    const villages = await this.findMany([...new Set(villageIds)]);
    const communes = new Map(
      (await this.findMany([...new Set(villages.flatMap((v) => (v.parentId ? [v.parentId] : [])))])).map(
        (c) => [c.id, c.name],
      ),
    );
    return new Map(
      villages.map((v) => [
        v.id,
        { village: v.name, commune: v.parentId ? (communes.get(v.parentId) ?? null) : null },
      ]),
    );
  }

  async getWithLineage(id: string) {
    const locality = await this.get(id);
    const [lineage, childCount] = await Promise.all([
      this.localities.lineage(locality),
      this.localities.countChildren(id),
    ]);
    return { locality, lineage, childCount };
  }

  /** For other modules: the locality if it exists and has the expected level. */
  async findOfLevel(id: string, levels: LocalityLevel[]): Promise<LocalitySummary | null> {
    const l = await this.localities.findById(id);
    return l && levels.includes(l.level) ? l : null;
  }

  async create(dto: CreateLocalityDto): Promise<LocalityEntity> {
    const parentLevel = PARENT_LEVEL[dto.level];
    let parent: LocalityEntity | null = null;
    if (parentLevel) {
      parent = dto.parentId ? await this.localities.findById(dto.parentId) : null;
      if (!parent || parent.level !== parentLevel) {
        throw new GeographyError(
          GeographyErrorCode.InvalidParent,
          `A ${dto.level} must be placed under an existing ${parentLevel} (parentId).`,
        );
      }
    } else if (dto.parentId) {
      throw new GeographyError(GeographyErrorCode.InvalidParent, 'A province has no parent.');
    }
    this.assertValid(dto.level, dto.code, dto.kind, parent?.code ?? null);
    try {
      return await this.localities.create(
        { code: dto.code, level: dto.level, kind: dto.kind, name: dto.name },
        parent,
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw this.codeTaken(dto.code);
      throw e;
    }
  }

  async update(id: string, dto: UpdateLocalityDto): Promise<LocalityEntity> {
    const current = await this.get(id);
    const parent = current.parentId ? await this.localities.findById(current.parentId) : null;
    this.assertValid(current.level, dto.code ?? current.code, dto.kind ?? current.kind, parent?.code ?? null);
    if (
      dto.code &&
      dto.code !== current.code &&
      current.level === 'commune' &&
      (await this.localities.countChildren(id)) > 0
    ) {
      throw new GeographyError(
        GeographyErrorCode.CodeLocked,
        "A commune's code cannot change while it has villages: their codes start with it.",
      );
    }
    try {
      await this.localities.update(id, { code: dto.code, kind: dto.kind, name: dto.name });
    } catch (e) {
      if (isUniqueViolation(e)) throw this.codeTaken(dto.code!);
      throw e;
    }
    return this.get(id);
  }

  /** Only an unused leaf can be deleted: nothing that users or roles refer to disappears. */
  async delete(id: string): Promise<void> {
    await this.get(id);
    if ((await this.localities.countChildren(id)) > 0) {
      throw new GeographyError(GeographyErrorCode.InUse, 'Delete or move the places inside it first.');
    }
    try {
      await this.localities.delete(id);
    } catch (e) {
      if (isForeignKeyViolation(e)) {
        throw new GeographyError(GeographyErrorCode.InUse, 'People or roles still refer to this place.');
      }
      throw e;
    }
  }

  private assertValid(level: LocalityLevel, code: string, kind: string, parentCode: string | null) {
    const problem = codeProblem(level, code, parentCode);
    if (problem) throw new GeographyError(GeographyErrorCode.InvalidCode, problem);
    if (!kindAllowed(level, kind)) {
      throw new GeographyError(GeographyErrorCode.InvalidKind, `"${kind}" is not a kind of ${level}.`);
    }
  }

  private codeTaken(code: string) {
    return new GeographyError(GeographyErrorCode.CodeTaken, `The code "${code}" is already used.`);
  }
}

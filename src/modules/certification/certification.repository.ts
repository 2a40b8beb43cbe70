import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ApplicationEntity, type ApplicationStatus } from './entities/application.entity.js';
import { CertificationAuditEntity } from './entities/certification-audit.entity.js';
import { appendEvent } from '../../infrastructure/outbox/outbox.js';
import {
  APPLICATION_DECIDED,
  MENTORING_RECORDED,
  type ApplicationDecidedEvent,
  type MentoringRecordedEvent,
} from './certification.types.js';
import { MentoringRecordEntity } from './entities/mentoring-record.entity.js';
import { ProgrammeEntity } from './entities/programme.entity.js';

export type AuditEntry = Pick<CertificationAuditEntity, 'action'> &
  Partial<
    Pick<
      CertificationAuditEntity,
      'applicationId' | 'certificateId' | 'actorId' | 'fromStatus' | 'toStatus' | 'reason'
    >
  >;

export interface ApplicationQueueFilter {
  status?: ApplicationStatus;
  programmeId?: string;
  /** Locality paths the caller covers; undefined for no restriction. */
  withinPaths?: string[];
  limit: number;
  offset: number;
}

/** Programmes, mentoring records, applications and the audit trail. */
@Injectable()
export class CertificationRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  // Programmes

  listProgrammes(activeOnly: boolean): Promise<ProgrammeEntity[]> {
    return this.dataSource
      .getRepository(ProgrammeEntity)
      .find({ where: activeOnly ? { active: true } : {}, order: { createdAt: 'ASC' } });
  }

  findProgramme(id: string): Promise<ProgrammeEntity | null> {
    return this.dataSource.getRepository(ProgrammeEntity).findOneBy({ id });
  }

  findProgrammeByCode(code: string): Promise<ProgrammeEntity | null> {
    return this.dataSource.getRepository(ProgrammeEntity).findOneBy({ code });
  }

  async saveProgramme(values: Partial<ProgrammeEntity>): Promise<ProgrammeEntity> {
    return this.dataSource.getRepository(ProgrammeEntity).save(values);
  }

  // Mentoring records

  /** Stores a household helped and appends MENTORING_RECORDED, in one transaction. */
  createRecord(values: Partial<MentoringRecordEntity>): Promise<MentoringRecordEntity> {
    return this.dataSource.transaction(async (m) => {
      const record = await m.getRepository(MentoringRecordEntity).save(values);
      await appendEvent(m, MENTORING_RECORDED, record.id, {
        recordId: record.id,
        mentorId: record.candidateId,
        helpedOn: record.helpedOn,
      } satisfies MentoringRecordedEvent);
      return record;
    });
  }

  findRecord(id: string): Promise<MentoringRecordEntity | null> {
    return this.dataSource.getRepository(MentoringRecordEntity).findOneBy({ id });
  }

  recordsOf(candidateId: string): Promise<MentoringRecordEntity[]> {
    return this.dataSource
      .getRepository(MentoringRecordEntity)
      .find({ where: { candidateId }, order: { helpedOn: 'DESC', createdAt: 'DESC' } });
  }

  async markPhotoReady(id: string): Promise<void> {
    await this.dataSource.getRepository(MentoringRecordEntity).update({ id }, { photoStatus: 'ready' });
  }

  /** Distinct households a candidate helped on or after a day (all time without one). */
  async countHouseholds(candidateId: string, since?: string): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(DISTINCT household_key)::int AS n FROM mentoring_records
        WHERE candidate_id = $1 AND ($2::date IS NULL OR helped_on >= $2::date)`,
      [candidateId, since ?? null],
    );
    return row.n;
  }

  // Applications

  async insertApplication(m: EntityManager, values: Partial<ApplicationEntity>): Promise<ApplicationEntity> {
    return m.getRepository(ApplicationEntity).save(values);
  }

  findApplication(id: string, m?: EntityManager): Promise<ApplicationEntity | null> {
    return (m ?? this.dataSource.manager).getRepository(ApplicationEntity).findOneBy({ id });
  }

  applicationsOf(candidateId: string): Promise<ApplicationEntity[]> {
    return this.dataSource
      .getRepository(ApplicationEntity)
      .find({ where: { candidateId }, order: { createdAt: 'DESC' } });
  }

  /** The review queue: oldest first, so nobody waits behind newer candidates. */
  async queue(f: ApplicationQueueFilter): Promise<{ items: ApplicationEntity[]; total: number }> {
    const q = this.dataSource.getRepository(ApplicationEntity).createQueryBuilder('a');
    if (f.status) q.andWhere('a.status = :status', { status: f.status });
    if (f.programmeId) q.andWhere('a.programme_id = :programmeId', { programmeId: f.programmeId });
    if (f.withinPaths) {
      q.andWhere(
        `(${f.withinPaths.map((_, i) => `a.locality_path LIKE :p${i}`).join(' OR ') || 'false'})`,
        Object.fromEntries(f.withinPaths.map((p, i) => [`p${i}`, `${p}%`])),
      );
    }
    const [items, total] = await q
      .orderBy('a.created_at', 'ASC')
      .take(f.limit)
      .skip(f.offset)
      .getManyAndCount();
    return { items, total };
  }

  /**
   * Moves a submitted application to its decision. The `status = 'submitted'` condition is what
   * makes two coordinators deciding at once safe: exactly one update matches.
   */
  async decide(
    m: EntityManager,
    id: string,
    d: { status: 'approved' | 'rejected'; by: string; reason: string; eligibility: unknown },
  ): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [rows]: [
      { programmeId: string; candidateId: string; nominatedBy: string | null; decidedAt: Date }[],
      number,
    ] = await m.query(
      `UPDATE certification_applications
          SET status = $2, decided_by = $3, decided_at = now(), decision_reason = $4, eligibility = $5,
              updated_at = now()
        WHERE id = $1 AND status = 'submitted'
       RETURNING programme_id AS "programmeId", candidate_id AS "candidateId",
                 nominated_by AS "nominatedBy", decided_at AS "decidedAt"`,
      [id, d.status, d.by, d.reason, JSON.stringify(d.eligibility)],
    );
    const [decided] = rows;
    if (!decided) return false;
    await appendEvent(m, APPLICATION_DECIDED, id, {
      applicationId: id,
      programmeId: decided.programmeId,
      candidateId: decided.candidateId,
      nominatedBy: decided.nominatedBy,
      decision: d.status,
      reason: d.reason,
      at: decided.decidedAt.toISOString(),
    } satisfies ApplicationDecidedEvent);
    return true;
  }

  /** Which of these people have an application waiting for a decision in the programme. */
  async waitingApplicants(candidateIds: string[], programmeId: string): Promise<Set<string>> {
    if (candidateIds.length === 0) return new Set();
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT candidate_id AS id FROM certification_applications
        WHERE candidate_id = ANY ($1::uuid[]) AND programme_id = $2 AND status = 'submitted'`,
      [candidateIds, programmeId],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Applications still waiting for a decision that were made before `before`, oldest first. */
  waitingSince(before: Date): Promise<{ id: string; localityPath: string; createdAt: Date }[]> {
    return this.dataSource.query(
      `SELECT id, locality_path AS "localityPath", created_at AS "createdAt"
         FROM certification_applications WHERE status = 'submitted' AND created_at < $1
        ORDER BY created_at`,
      [before],
    );
  }

  async withdraw(m: EntityManager, id: string): Promise<boolean> {
    const r = await m
      .getRepository(ApplicationEntity)
      .update({ id, status: 'submitted' }, { status: 'withdrawn' });
    return (r.affected ?? 0) > 0;
  }

  // Audit trail

  async audit(m: EntityManager, entries: AuditEntry[]): Promise<void> {
    if (entries.length > 0) await m.getRepository(CertificationAuditEntity).insert(entries);
  }

  auditOf(subject: {
    applicationId?: string;
    certificateIds?: string[];
  }): Promise<CertificationAuditEntity[]> {
    const q = this.dataSource.getRepository(CertificationAuditEntity).createQueryBuilder('e');
    q.where('false');
    if (subject.applicationId) q.orWhere('e.application_id = :a', { a: subject.applicationId });
    if (subject.certificateIds?.length)
      q.orWhere('e.certificate_id IN (:...c)', { c: subject.certificateIds });
    return q.orderBy('e.id', 'ASC').getMany();
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { vietnamYear } from '../../infrastructure/i18n/vietnam-time.js';
import { formatSerial } from './certificate-identifiers.js';
import { CertificateEntity } from './entities/certificate.entity.js';

/** A certificate counts for the registry while it is issued, unrevoked, not replaced and unexpired. */
const ACTIVE = `c.ready_at IS NOT NULL AND c.revoked_at IS NULL AND c.superseded_at IS NULL AND c.expires_at > now()`;

export type CertificateReservation = Omit<
  CertificateEntity,
  | 'id'
  | 'serial'
  | 'pdfKey'
  | 'pdfSha256'
  | 'pdfBytes'
  | 'credentialKey'
  | 'credentialKeyId'
  | 'readyAt'
  | 'revokedAt'
  | 'revokedBy'
  | 'revocationReason'
  | 'supersededAt'
  | 'createdAt'
>;

export interface VillageCoverageRow {
  villageId: string;
  villageName: string;
  /** The locality one level below the area asked about (a commune for a province). */
  childId: string | null;
  ambassadors: number;
}

export interface AmbassadorRow {
  certificateId: string;
  serial: string;
  holderId: string;
  holderName: string;
  villageId: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** Certificates, their serial counters, the registry of active ambassadors and coverage. */
@Injectable()
export class CertificateRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.dataSource.manager).getRepository(CertificateEntity);
  }

  /**
   * Takes the next serial and inserts the certificate, inside the caller's transaction. The
   * counter row's lock orders concurrent reservations, and a rollback gives the number back, so
   * serials have no gaps. A second reservation for the same cause (`issue_key` is unique) fails
   * with a unique violation once the first commits, rolling its whole transaction back.
   */
  async reserve(
    m: EntityManager,
    prefix: string,
    values: CertificateReservation,
  ): Promise<CertificateEntity> {
    const year = vietnamYear(values.issuedAt);
    const [{ last_number: n }] = await m.query<{ last_number: number }[]>(
      `INSERT INTO certificate_serials (prefix, year, last_number) VALUES ($1, $2, 1)
       ON CONFLICT (prefix, year) DO UPDATE SET last_number = certificate_serials.last_number + 1
       RETURNING last_number`,
      [prefix, year],
    );
    return this.repo(m).save({ ...values, serial: formatSerial(prefix, year, n) });
  }

  findById(id: string): Promise<CertificateEntity | null> {
    return this.repo().findOneBy({ id });
  }

  findByCode(code: string): Promise<CertificateEntity | null> {
    return this.repo().findOneBy({ verificationCode: code });
  }

  /** The certificate that replaced this one (renewal or correction), if any. */
  findReplacementOf(id: string): Promise<CertificateEntity | null> {
    return this.repo().findOne({ where: { replacesId: id }, order: { createdAt: 'DESC' } });
  }

  ofHolder(holderId: string): Promise<CertificateEntity[]> {
    return this.repo().find({ where: { holderId }, order: { issuedAt: 'DESC' } });
  }

  /** The holder's current certificate in a programme: not revoked and not replaced (it may have expired). */
  async currentOf(
    holderId: string,
    programmeId: string,
    m?: EntityManager,
  ): Promise<CertificateEntity | null> {
    return this.repo(m)
      .createQueryBuilder('c')
      .where('c.holder_id = :holderId AND c.programme_id = :programmeId', { holderId, programmeId })
      .andWhere('c.revoked_at IS NULL AND c.superseded_at IS NULL')
      .andWhere('NOT EXISTS (SELECT 1 FROM certificates n WHERE n.replaces_id = c.id)')
      .orderBy('c.issued_at', 'DESC')
      .getOne();
  }

  /** Reserved certificates still without their files, oldest first (for recovery after a crash). */
  async pendingIds(olderThanSeconds: number, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM certificates WHERE ready_at IS NULL AND created_at < now() - make_interval(secs => $1)
        ORDER BY created_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Records the files once; false if another run already did. */
  async markReady(
    m: EntityManager,
    id: string,
    files: {
      pdfKey: string;
      pdfSha256: string;
      pdfBytes: number;
      credentialKey: string;
      credentialKeyId: string;
    },
  ): Promise<boolean> {
    const r = await this.repo(m)
      .createQueryBuilder()
      .update()
      .set({ ...files, readyAt: () => 'now()' })
      .where('id = :id AND ready_at IS NULL', { id })
      .execute();
    return (r.affected ?? 0) > 0;
  }

  async supersede(m: EntityManager, id: string): Promise<void> {
    await this.repo(m)
      .createQueryBuilder()
      .update()
      .set({ supersededAt: () => 'now()' })
      .where('id = :id AND superseded_at IS NULL', { id })
      .execute();
  }

  async revoke(m: EntityManager, id: string, by: string, reason: string): Promise<boolean> {
    const r = await this.repo(m)
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()', revokedBy: by, revocationReason: reason })
      .where('id = :id AND revoked_at IS NULL', { id })
      .execute();
    return (r.affected ?? 0) > 0;
  }

  /** Active ambassadors serving villages under a locality path, by village then name. */
  async activeAmbassadors(
    path: string,
    limit: number,
    offset: number,
  ): Promise<{ items: AmbassadorRow[]; total: number }> {
    const rows = await this.dataSource.query<(AmbassadorRow & { total: number })[]>(
      `SELECT c.id AS "certificateId", c.serial, c.holder_id AS "holderId", c.holder_name AS "holderName",
              c.village_id AS "villageId", c.issued_at AS "issuedAt", c.expires_at AS "expiresAt",
              count(*) OVER ()::int AS total
         FROM certificates c
        WHERE ${ACTIVE} AND c.locality_path LIKE $1
        ORDER BY c.locality_path, c.holder_name
        LIMIT $2 OFFSET $3`,
      [`${path}%`, limit, offset],
    );
    return { items: rows.map(({ total: _, ...r }) => r), total: rows[0]?.total ?? 0 };
  }

  /** Every village under a path with its number of active ambassadors (distinct holders). */
  coverage(path: string, childPart: number): Promise<VillageCoverageRow[]> {
    return this.dataSource.query<VillageCoverageRow[]>(
      `SELECT v.id AS "villageId", v.name AS "villageName",
              NULLIF(split_part(v.path, '/', $2), '')::uuid AS "childId",
              (SELECT count(DISTINCT c.holder_id)::int FROM certificates c WHERE c.village_id = v.id AND ${ACTIVE})
                AS ambassadors
         FROM localities v
        WHERE v.level = 'village' AND v.path LIKE $1
        ORDER BY v.name`,
      [`${path}%`, childPart],
    );
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { vietnamYear } from '../../infrastructure/i18n/vietnam-time.js';
import { appendEvent } from '../../infrastructure/outbox/outbox.js';
import { formatSerial } from './certificate-identifiers.js';
import { CERTIFICATE_ISSUED, CERTIFICATE_REVOKED, type CertificateEvent } from './certification.types.js';
import { CertificateEntity } from './entities/certificate.entity.js';
import type { StatusEntry } from './open-badges/status-list.js';

const EVENT_COLUMNS = `id AS "certificateId", holder_id AS "holderId", programme_id AS "programmeId",
  village_id AS "villageId", locality_path AS "localityPath", expires_at AS "expiresAt"`;

type EventRow = Omit<CertificateEvent, 'at' | 'expiresAt'> & { at: Date; expiresAt: Date };

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

/** Certificates and their serial counters; issuance and revocation append to the outbox. */
@Injectable()
export class CertificateRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Valid certificates whose programme's renewal window has opened by `now` (and that have not
   * expired): their holders may apply to renew.
   */
  enteringRenewal(now: Date): Promise<{ id: string; holderId: string; expiresAt: Date }[]> {
    return this.dataSource.query(
      `SELECT c.id, c.holder_id AS "holderId", c.expires_at AS "expiresAt"
         FROM certificates c JOIN certification_programmes p ON p.id = c.programme_id
        WHERE c.ready_at IS NOT NULL AND c.revoked_at IS NULL AND c.superseded_at IS NULL
          AND c.expires_at > $1 AND c.expires_at - make_interval(days => p.renewal_window_days) <= $1`,
      [now],
    );
  }

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

  /** Ready certificates signed before the status lists (VC-JWT only), oldest first. */
  async unlistedIds(limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM certificates WHERE ready_at IS NOT NULL AND status_list_id IS NULL
        ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Gives a certificate its status entry once: null if it already had one, else whether it is
   * withdrawn (revoked or superseded), read under the row's lock so a concurrent revocation is seen.
   */
  async setStatusEntry(
    m: EntityManager,
    id: string,
    entry: StatusEntry,
  ): Promise<{ withdrawn: boolean } | null> {
    const [rows] = await m.query<[{ withdrawn: boolean }[], number]>(
      `UPDATE certificates SET status_list_id = $2, status_list_index = $3
        WHERE id = $1 AND status_list_id IS NULL
        RETURNING revoked_at IS NOT NULL OR superseded_at IS NOT NULL AS withdrawn`,
      [id, entry.listId, entry.index],
    );
    return rows[0] ?? null;
  }

  /** A certificate's revocation entry, read in the caller's transaction (null before the lists). */
  async statusEntryOf(m: EntityManager, id: string): Promise<StatusEntry | null> {
    const [row] = await m.query<{ listId: number | null; index: number | null }[]>(
      `SELECT status_list_id AS "listId", status_list_index AS index FROM certificates WHERE id = $1`,
      [id],
    );
    return row?.listId != null && row.index != null ? { listId: row.listId, index: row.index } : null;
  }

  /** Points a ready certificate at its re-signed credential. */
  async setCredential(id: string, credentialKey: string, credentialKeyId: string): Promise<void> {
    await this.repo().update({ id }, { credentialKey, credentialKeyId });
  }

  /**
   * Records the files once and appends `certificate_issued` to the outbox in the same
   * transaction; false if another run already did.
   */
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
    const [updated] = await m.query<EventRow[][]>(
      `UPDATE certificates
          SET pdf_key = $2, pdf_sha256 = $3, pdf_bytes = $4, credential_key = $5, credential_key_id = $6,
              ready_at = now()
        WHERE id = $1 AND ready_at IS NULL
        RETURNING ${EVENT_COLUMNS}, issued_at AS at`,
      [id, files.pdfKey, files.pdfSha256, files.pdfBytes, files.credentialKey, files.credentialKeyId],
    );
    return this.appendEvent(m, CERTIFICATE_ISSUED, updated);
  }

  async supersede(m: EntityManager, id: string): Promise<void> {
    await this.repo(m)
      .createQueryBuilder()
      .update()
      .set({ supersededAt: () => 'now()' })
      .where('id = :id AND superseded_at IS NULL', { id })
      .execute();
  }

  /** Revokes once and appends `certificate_revoked` in the same transaction; false if already revoked. */
  async revoke(m: EntityManager, id: string, by: string, reason: string): Promise<boolean> {
    const [updated] = await m.query<EventRow[][]>(
      `UPDATE certificates SET revoked_at = now(), revoked_by = $2, revocation_reason = $3
        WHERE id = $1 AND revoked_at IS NULL
        RETURNING ${EVENT_COLUMNS}, revoked_at AS at`,
      [id, by, reason],
    );
    return this.appendEvent(m, CERTIFICATE_REVOKED, updated);
  }

  private async appendEvent(m: EntityManager, type: string, rows: EventRow[]): Promise<boolean> {
    const [row] = rows;
    if (!row) return false;
    await appendEvent(m, type, row.certificateId, {
      ...row,
      at: new Date(row.at).toISOString(),
      expiresAt: new Date(row.expiresAt).toISOString(),
    } satisfies CertificateEvent);
    return true;
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { pickLocalized } from '../../infrastructure/i18n/locales.js';
import { isUiLocale, type UiLocale } from '../../infrastructure/i18n/messages.js';
import { QueueService } from '../../infrastructure/queue/queue.service.js';
import { JOB_QUEUE, JobName } from '../../infrastructure/queue/queue.constants.js';
import { StorageService } from '../../infrastructure/storage/storage.service.js';
import { Buckets, StorageKeys } from '../../infrastructure/storage/storage-keys.js';
import { GeographyService } from '../geography/geography.service.js';
import { newVerificationCode } from './certificate-identifiers.js';
import { CertificateRenderer } from './certificate-renderer.js';
import { CertificateRepository, type CertificateReservation } from './certificate.repository.js';
import { CertificationRepository } from './certification.repository.js';
import type { CertificateEntity } from './entities/certificate.entity.js';
import type { ProgrammeEntity } from './entities/programme.entity.js';
import { CredentialIssuerService } from './credential-issuer.service.js';
import { CredentialStatusRepository } from './credential-status.repository.js';
import { CREDENTIAL_MEDIA_TYPE, criteriaNarrative, openBadgeCredential } from './open-badge-credential.js';
import { wholeSeconds } from './open-badges/vc-time.js';

/** The job id of a certificate's issuance: the same certificate is never queued twice at once. */
export const issuanceJobId = (certificateId: string) => `issue-certificate-${certificateId}`;

/** The language printed beside Vietnamese: the holder's first UI language other than Vietnamese, else English. */
export function secondLocale(languages: string[]): UiLocale {
  const found = languages.find((l) => l !== 'vi' && isUiLocale(l));
  return (found as UiLocale | undefined) ?? 'en';
}

export type IssueOutcome = 'issued' | 'already-issued' | 'unknown';

type ListedCertificate = CertificateEntity & { statusListId: number; statusListIndex: number };

/**
 * Exactly one certificate per cause. The decision's transaction reserves the row (serial and
 * verification code, unique per `issue_key`); the job then renders the PDF, signs the credential,
 * stores both and marks the row ready. Every step repeats safely: a retry or a second worker
 * overwrites the same objects and finds the row already ready.
 */
@Injectable()
export class CertificateIssuanceService {
  private readonly logger = new Logger(CertificateIssuanceService.name);

  constructor(
    @Inject(CertificateRepository) private readonly certificates: CertificateRepository,
    @Inject(CertificationRepository) private readonly repo: CertificationRepository,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(CertificateRenderer) private readonly renderer: CertificateRenderer,
    @Inject(CredentialIssuerService) private readonly issuer: CredentialIssuerService,
    @Inject(CredentialStatusRepository) private readonly statusLists: CredentialStatusRepository,
    @Inject(StorageService) private readonly storage: StorageService,
    @Inject(QueueService) private readonly queues: QueueService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Inside the caller's transaction; a unique violation if this cause already has its certificate.
   * Validity is kept to whole seconds (as credentials state it), and the credential's revocation
   * entry is taken now, so a revocation before the job runs already has its bit.
   */
  async reserve(
    m: EntityManager,
    programme: ProgrammeEntity,
    values: Omit<
      CertificateReservation,
      'verificationCode' | 'programmeId' | 'statusListId' | 'statusListIndex'
    >,
  ): Promise<CertificateEntity> {
    const entry = await this.statusLists.allocate(m);
    return this.certificates.reserve(m, programme.serialPrefix, {
      ...values,
      issuedAt: wholeSeconds(values.issuedAt),
      expiresAt: wholeSeconds(values.expiresAt),
      programmeId: programme.id,
      verificationCode: newVerificationCode(),
      statusListId: entry.listId,
      statusListIndex: entry.index,
    });
  }

  /** After the reserving transaction committed. A lost enqueue is caught by `resumePending`. */
  async enqueue(certificateId: string, requestId?: string): Promise<void> {
    try {
      await this.queues.enqueue(
        JobName.issueCertificate,
        { certificateId },
        { jobId: issuanceJobId(certificateId), requestId },
      );
    } catch (e) {
      this.logger.warn(
        `Could not queue certificate ${certificateId}; recovery will: ${(e as Error).message}`,
      );
    }
  }

  async issue(certificateId: string): Promise<IssueOutcome> {
    const cert = await this.certificates.findById(certificateId);
    if (!cert) return 'unknown';
    if (cert.readyAt) return 'already-issued';
    const programme = await this.repo.findProgramme(cert.programmeId);
    if (!programme) throw new Error(`Programme ${cert.programmeId} of certificate ${cert.id} is missing`);

    const verifyUrl = `${this.config.publicBaseUrl}/verify/${cert.verificationCode}`;
    const second = cert.holderLocale as UiLocale;
    const programmeVi = programme.names.vi;
    const place = await this.geography.placeName(cert.villageId);
    const pdf = await this.renderer.pdf({
      serial: cert.serial,
      holderName: cert.holderName,
      secondLocale: second,
      programmeVi,
      programmeSecond: pickLocalized(programme.names, [second])?.text ?? programmeVi,
      place,
      courses: cert.assessment.courses.map((c) => ({ title: c.title, version: c.version })),
      issuedAt: cert.issuedAt,
      expiresAt: cert.expiresAt,
      verifyUrl,
      issuerName: this.config.certification.issuerName,
    });
    const pdfSha256 = createHash('sha256').update(pdf).digest('hex');
    const pdfKey = StorageKeys.certificateFile(cert.serial, 'certificate.pdf');
    await this.storage.put(Buckets.certificates, pdfKey, pdf, { contentType: 'application/pdf' });

    const listed = await this.withStatusEntry(cert);
    const { credentialKey, kid } = await this.storeCredential(listed, programme, place, pdfSha256);

    const marked = await this.repo.transaction(async (m) => {
      const done = await this.certificates.markReady(m, cert.id, {
        pdfKey,
        pdfSha256,
        pdfBytes: pdf.length,
        credentialKey,
        credentialKeyId: kid,
      });
      if (!done) return false;
      // A corrected certificate replaces the old one the moment it can be downloaded.
      // Its bit is set too: offline verifiers must not keep trusting the corrected copy.
      if (cert.replacesId && cert.replacementReason === 'correction') {
        await this.certificates.supersede(m, cert.replacesId);
        const old = await this.certificates.statusEntryOf(m, cert.replacesId);
        if (old) await this.statusLists.setRevoked(m, old);
      }
      await this.repo.audit(m, [
        {
          certificateId: cert.id,
          applicationId: cert.applicationId,
          action: 'certificate.issued',
          toStatus: 'valid',
        },
      ]);
      return true;
    });
    return marked ? 'issued' : 'already-issued';
  }

  /**
   * Signs the certificate's Open Badges 3.0 credential (Data Integrity proof, status list entry)
   * and stores it beside the PDF. Repeats safely: a second run overwrites the file with a credential
   * as valid (a fresh salt and proof), under the same storage key.
   */
  private async storeCredential(
    cert: ListedCertificate,
    programme: ProgrammeEntity,
    place: string,
    pdfSha256: string,
  ) {
    const credential = openBadgeCredential(
      {
        serial: cert.serial,
        holderName: cert.holderName,
        programme: {
          id: programme.id,
          name: programme.names.vi,
          description: programme.descriptions.vi ?? programme.names.vi,
          criteria: criteriaNarrative(programme),
        },
        issuedAt: cert.issuedAt,
        expiresAt: cert.expiresAt,
        pdfSha256,
        courses: cert.assessment.courses,
        village: place,
        status: { listId: cert.statusListId, index: cert.statusListIndex },
      },
      this.issuer.issuer,
      `${this.config.publicBaseUrl}/verify/${cert.verificationCode}`,
    );
    const { signed, kid } = await this.issuer.sign(credential);
    const credentialKey = StorageKeys.certificateFile(cert.serial, 'credential.json');
    await this.storage.put(Buckets.certificates, credentialKey, Buffer.from(JSON.stringify(signed)), {
      contentType: CREDENTIAL_MEDIA_TYPE,
    });
    return { credentialKey, kid };
  }

  /**
   * Certificates issued before the status lists carry a VC-JWT and no status entry: each gets an
   * entry and a Data Integrity credential in place of the JWT (which stays in storage). Returns
   * how many were re-signed.
   */
  async resignUnlisted(limit = 100): Promise<number> {
    let done = 0;
    for (const id of await this.certificates.unlistedIds(limit)) {
      const cert = await this.certificates.findById(id);
      const programme = cert && (await this.repo.findProgramme(cert.programmeId));
      if (!cert?.readyAt || !programme) continue;
      const listed = await this.withStatusEntry(cert);
      const place = await this.geography.placeName(cert.villageId);
      const { credentialKey, kid } = await this.storeCredential(listed, programme, place, cert.pdfSha256!);
      await this.certificates.setCredential(id, credentialKey, kid);
      done++;
    }
    return done;
  }

  /**
   * The certificate with its revocation entry, taking one if it was reserved before the status
   * lists existed (its bit set at once if it was revoked or superseded since).
   */
  private async withStatusEntry(cert: CertificateEntity): Promise<ListedCertificate> {
    if (cert.statusListId !== null && cert.statusListIndex !== null) return cert as ListedCertificate;
    const entry = await this.repo.transaction(async (m) => {
      const e = await this.statusLists.allocate(m);
      const set = await this.certificates.setStatusEntry(m, cert.id, e);
      if (!set) return null;
      if (set.withdrawn) await this.statusLists.setRevoked(m, e);
      return e;
    });
    if (entry) return { ...cert, statusListId: entry.listId, statusListIndex: entry.index };
    // Another worker listed it first: use its entry.
    return (await this.certificates.findById(cert.id)) as ListedCertificate;
  }

  /** Queues reserved certificates whose job was lost (process died before enqueueing, job failed for good). */
  async resumePending(olderThanSeconds = 60): Promise<number> {
    await this.resignUnlisted();
    const ids = await this.certificates.pendingIds(olderThanSeconds, 500);
    for (const id of ids) {
      const job = await this.queues.queue(JOB_QUEUE[JobName.issueCertificate]).getJob(issuanceJobId(id));
      if (job && (await job.isFailed())) await job.retry();
      else if (!job) await this.enqueue(id);
    }
    return ids.length;
  }
}

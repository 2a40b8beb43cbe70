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
import { IssuerKeysService } from './issuer-keys.service.js';
import { CREDENTIAL_MEDIA_TYPE, openBadgeCredential, signCredential } from './open-badge-credential.js';

/** The job id of a certificate's issuance: the same certificate is never queued twice at once. */
export const issuanceJobId = (certificateId: string) => `issue-certificate-${certificateId}`;

/** The language printed beside Vietnamese: the holder's first UI language other than Vietnamese, else English. */
export function secondLocale(languages: string[]): UiLocale {
  const found = languages.find((l) => l !== 'vi' && isUiLocale(l));
  return (found as UiLocale | undefined) ?? 'en';
}

export type IssueOutcome = 'issued' | 'already-issued' | 'unknown';

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
    @Inject(IssuerKeysService) private readonly keys: IssuerKeysService,
    @Inject(StorageService) private readonly storage: StorageService,
    @Inject(QueueService) private readonly queues: QueueService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Inside the caller's transaction; a unique violation if this cause already has its certificate. */
  async reserve(
    m: EntityManager,
    programme: ProgrammeEntity,
    values: Omit<CertificateReservation, 'verificationCode' | 'programmeId'>,
  ): Promise<CertificateEntity> {
    return this.certificates.reserve(m, programme.serialPrefix, {
      ...values,
      programmeId: programme.id,
      verificationCode: newVerificationCode(),
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

    const key = await this.keys.signingKey();
    const credential = openBadgeCredential(
      {
        certificateId: cert.id,
        serial: cert.serial,
        holderId: cert.holderId,
        holderName: cert.holderName,
        programme: {
          id: programme.id,
          name: programmeVi,
          description: programme.descriptions.vi ?? programmeVi,
          criteria: criteriaNarrative(programme),
        },
        issuedAt: cert.issuedAt,
        expiresAt: cert.expiresAt,
        pdfSha256,
        courses: cert.assessment.courses,
        village: place,
      },
      { baseUrl: this.config.publicBaseUrl, issuerName: this.config.certification.issuerName, verifyUrl },
    );
    const jwt = await signCredential(credential, key);
    const credentialKey = StorageKeys.certificateFile(cert.serial, 'credential.jwt');
    await this.storage.put(Buckets.certificates, credentialKey, Buffer.from(jwt), {
      contentType: CREDENTIAL_MEDIA_TYPE,
    });

    const marked = await this.repo.transaction(async (m) => {
      const done = await this.certificates.markReady(m, cert.id, {
        pdfKey,
        pdfSha256,
        pdfBytes: pdf.length,
        credentialKey,
        credentialKeyId: key.kid,
      });
      if (!done) return false;
      // A corrected certificate replaces the old one the moment it can be downloaded.
      if (cert.replacesId && cert.replacementReason === 'correction') {
        await this.certificates.supersede(m, cert.replacesId);
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

  /** Queues reserved certificates whose job was lost (process died before enqueueing, job failed for good). */
  async resumePending(olderThanSeconds = 60): Promise<number> {
    const ids = await this.certificates.pendingIds(olderThanSeconds, 500);
    for (const id of ids) {
      const job = await this.queues.queue(JOB_QUEUE[JobName.issueCertificate]).getJob(issuanceJobId(id));
      if (job && (await job.isFailed())) await job.retry();
      else if (!job) await this.enqueue(id);
    }
    return ids.length;
  }
}

/** The rules as one sentence, for the credential's achievement criteria. */
function criteriaNarrative(p: ProgrammeEntity): string {
  return (
    `Hoàn thành ${p.requiredCourseIds.length} khoá học bắt buộc, điểm trung bình bài kiểm tra từ ` +
    `${Number(p.minAverageQuizScore)} trở lên, hướng dẫn ít nhất ${p.minHouseholds} hộ gia đình ` +
    `theo mô hình "1 kèm 5", được tổ điều phối xét duyệt.`
  );
}

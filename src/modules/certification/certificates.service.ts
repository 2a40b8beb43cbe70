import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { isUniqueViolation } from '../../infrastructure/database/pg-errors.js';
import { StorageService } from '../../infrastructure/storage/storage.service.js';
import { Buckets } from '../../infrastructure/storage/storage-keys.js';
import { hasRole, type Principal } from '../../infrastructure/auth/roles.js';
import { AreaScope } from '../geography/area-scope.service.js';
import { CertificateIssuanceService } from './certificate-issuance.service.js';
import { CertificateRepository } from './certificate.repository.js';
import { CredentialStatusRepository } from './credential-status.repository.js';
import { CertificationError, CertificationErrorCode } from './certification.errors.js';
import { CertificationRepository } from './certification.repository.js';
import { auditView, certificateStatus, certificateSummary } from './certification.views.js';
import type { CertificateEntity } from './entities/certificate.entity.js';

/** Certificates after issuance: the holder's list and downloads, revocation, reissue after a correction. */
@Injectable()
export class CertificatesService {
  constructor(
    @Inject(CertificateRepository) private readonly certificates: CertificateRepository,
    @Inject(CertificationRepository) private readonly repo: CertificationRepository,
    @Inject(CertificateIssuanceService) private readonly issuance: CertificateIssuanceService,
    @Inject(CredentialStatusRepository) private readonly statusLists: CredentialStatusRepository,
    @Inject(AreaScope) private readonly scope: AreaScope,
    @Inject(StorageService) private readonly storage: StorageService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Valid certificates whose renewal window is open at `now` (reminders). */
  enteringRenewalWindow(now: Date) {
    return this.certificates.enteringRenewal(now);
  }

  /** "My certificates", newest first, each with short-lived download links once issued. */
  async mine(who: Principal) {
    return Promise.all((await this.certificates.ofHolder(who.userId)).map((c) => this.withDownloads(c)));
  }

  async detail(who: Principal, id: string) {
    const c = await this.visible(who, id);
    const audit = await this.repo.auditOf({ certificateIds: [c.id] });
    const replacement = await this.certificates.findReplacementOf(c.id);
    return {
      ...(await this.withDownloads(c)),
      replacedBy: replacement
        ? { id: replacement.id, serial: replacement.serial, reason: replacement.replacementReason }
        : null,
      audit: audit.map(auditView),
    };
  }

  /** Never deletes: the certificate stays and verifies as revoked, with the date. */
  async revoke(who: Principal, id: string, reason: string) {
    const c = await this.staffVisible(who, id);
    const done = await this.repo.transaction(async (m) => {
      if (!(await this.certificates.revoke(m, id, who.userId, reason))) return false;
      // The bit verifiers read flips with the revocation, or neither happens.
      const entry = await this.certificates.statusEntryOf(m, id);
      if (entry) await this.statusLists.setRevoked(m, entry);
      await this.repo.audit(m, [
        {
          certificateId: id,
          actorId: who.userId,
          action: 'certificate.revoked',
          fromStatus: certificateStatus(c),
          toStatus: 'revoked',
          reason,
        },
      ]);
      return true;
    });
    if (!done) {
      throw new CertificationError(
        CertificationErrorCode.AlreadyRevoked,
        'This certificate is already revoked.',
      );
    }
    return this.detail(who, id);
  }

  /**
   * A corrected copy (e.g. a misspelled name): a new serial and code with the same validity; the
   * old certificate becomes "superseded" once the new one is issued and links to it.
   */
  async reissue(who: Principal, id: string, reason: string, holderName?: string, requestId?: string) {
    const old = await this.staffVisible(who, id);
    if (certificateStatus(old) !== 'valid') {
      throw new CertificationError(
        CertificationErrorCode.CertificateNotActive,
        `Only a valid certificate is reissued; this one is ${certificateStatus(old)}.`,
      );
    }
    const programme = await this.repo.findProgramme(old.programmeId);
    let reserved: CertificateEntity;
    try {
      reserved = await this.repo.transaction(async (m) => {
        const created = await this.issuance.reserve(m, programme!, {
          issueKey: `correction:${old.id}`,
          applicationId: old.applicationId,
          holderId: old.holderId,
          holderName: (holderName ?? old.holderName).normalize('NFC'),
          holderLocale: old.holderLocale,
          villageId: old.villageId,
          localityPath: old.localityPath,
          assessment: old.assessment,
          replacesId: old.id,
          replacementReason: 'correction',
          issuedAt: new Date(),
          expiresAt: old.expiresAt,
        });
        await this.repo.audit(m, [
          { certificateId: old.id, actorId: who.userId, action: 'certificate.reissued', reason },
          {
            certificateId: created.id,
            actorId: who.userId,
            action: 'certificate.reserved',
            toStatus: 'pending',
            reason,
          },
        ]);
        return created;
      });
    } catch (e) {
      // Its correction is already reserved (issue_key is unique): correct the new one instead.
      if (!isUniqueViolation(e)) throw e;
      throw new CertificationError(
        CertificationErrorCode.AlreadyReissued,
        'This certificate has already been reissued; correct the new one instead.',
      );
    }
    await this.issuance.enqueue(reserved.id, requestId);
    return this.detail(who, reserved.id);
  }

  /** The holder, and staff covering the village. To other learners it does not exist (404). */
  private async visible(who: Principal, id: string): Promise<CertificateEntity> {
    const c = await this.certificates.findById(id);
    if (!c) throw CertificationError.certificateNotFound();
    if (c.holderId === who.userId) return c;
    if (!hasRole(who, 'coordinator') && !hasRole(who, 'admin'))
      throw CertificationError.certificateNotFound();
    await this.scope.assertCovers(who, c.localityPath);
    return c;
  }

  /** Lifecycle actions are for staff covering the village, never the holder. */
  private async staffVisible(who: Principal, id: string): Promise<CertificateEntity> {
    const c = await this.certificates.findById(id);
    if (!c) throw CertificationError.certificateNotFound();
    await this.scope.assertCovers(who, c.localityPath);
    return c;
  }

  private async withDownloads(c: CertificateEntity) {
    const ttl = this.config.certification.linkTtlSeconds;
    const downloads = c.readyAt
      ? {
          expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
          pdf: this.storage.presignedGet(Buckets.certificates, c.pdfKey!, {
            expiresSeconds: ttl,
            downloadName: `${c.serial}.pdf`,
          }),
          credential: this.storage.presignedGet(Buckets.certificates, c.credentialKey!, {
            expiresSeconds: ttl,
            downloadName: `${c.serial}.${c.credentialKey!.endsWith('.jwt') ? 'jwt' : 'json'}`,
          }),
        }
      : null;
    return {
      ...certificateSummary(c),
      verifyUrl: `${this.config.publicBaseUrl}/verify/${c.verificationCode}`,
      downloads,
      wallet:
        c.readyAt && c.credentialKey?.endsWith('.json') ? walletOffer(this.config.publicBaseUrl, c) : null,
    };
  }
}

/**
 * How a wallet takes the credential: a plain URL (the QR code a wallet scans; GET answers the
 * credential) and the Learner Credential Wallet's deep link, whose `vc_request_url` answers the
 * credential to the presentation the wallet posts.
 */
function walletOffer(baseUrl: string, c: CertificateEntity) {
  const credentialUrl = `${baseUrl}/credentials/${c.verificationCode}`;
  const params = new URLSearchParams({
    issuer: new URL(baseUrl).host,
    auth_type: 'bearer',
    challenge: c.verificationCode,
    vc_request_url: `${baseUrl}/api/v1/credentials/${c.verificationCode}`,
  });
  return { credentialUrl, deepLink: `dccrequest://request?${params}` };
}

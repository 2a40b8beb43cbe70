import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { TtlCache } from '../../infrastructure/cache/ttl-cache.js';
import { CommonErrorCode } from '../../infrastructure/errors/domain-error.js';
import { pickLocalized } from '../../infrastructure/i18n/locales.js';
import { RateLimiter } from '../../infrastructure/rate-limit/rate-limiter.js';
import { StorageService } from '../../infrastructure/storage/storage.service.js';
import { Buckets } from '../../infrastructure/storage/storage-keys.js';
import { GeographyService } from '../geography/geography.service.js';
import { maskName, normalizeVerificationCode } from './certificate-identifiers.js';
import { CertificateRepository } from './certificate.repository.js';
import { CertificationError, CertificationErrorCode } from './certification.errors.js';
import { CertificationRepository } from './certification.repository.js';
import { certificateStatus, statusDate, type CertificateStatus } from './certification.views.js';
import { CredentialIssuerService } from './credential-issuer.service.js';
import { achievement, criteriaNarrative } from './open-badge-credential.js';
import type { CredentialReport } from './open-badges/credential-checks.js';
import { OB3_CONTEXT } from './open-badges/document-loader.js';
import { didDocumentUrl, verificationMethodId } from './open-badges/issuer-did.js';

/** What anyone holding the QR code may learn: no phone, email, id number or full name. */
export interface PublicVerification {
  status: CertificateStatus;
  statusDate: string | null;
  holder: string;
  programme: { vi: string; text: string; locale: string };
  village: string;
  serial: string;
  issuedAt: string;
  expiresAt: string;
  coursesAssessed: { title: string; version: number; locale: string }[];
  replacedBy: { serial: string; verifyUrl: string } | null;
  pdfSha256: string;
  verificationMethod: string;
  issuer: { id: string; name: string; didDocument: string };
}

/** Public verification by code, rate-limited per client address. */
@Injectable()
export class VerificationService {
  private readonly places = new TtlCache<string>(300_000, 5_000);

  constructor(
    @Inject(CertificateRepository) private readonly certificates: CertificateRepository,
    @Inject(CertificationRepository) private readonly repo: CertificationRepository,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(CredentialIssuerService) private readonly issuer: CredentialIssuerService,
    @Inject(StorageService) private readonly storage: StorageService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Counted per client address before anything is looked up: codes cannot be guessed in bulk. */
  async verify(
    codeInput: string,
    chain: readonly string[],
    clientAddress: string,
  ): Promise<PublicVerification> {
    const c = await this.readyByCode(codeInput, clientAddress);
    const programme = await this.repo.findProgramme(c.programmeId);
    const status = certificateStatus(c);
    const replacement = status === 'superseded' ? await this.certificates.findReplacementOf(c.id) : null;
    const name = pickLocalized(programme!.names, chain)!;
    return {
      status,
      statusDate: statusDate(c, status),
      holder: maskName(c.holderName),
      programme: { vi: programme!.names.vi, text: name.text, locale: name.locale },
      village: await this.place(c.villageId),
      serial: c.serial,
      issuedAt: c.issuedAt.toISOString(),
      expiresAt: c.expiresAt.toISOString(),
      coursesAssessed: c.assessment.courses.map((x) => ({
        title: x.title,
        version: x.version,
        locale: x.locale,
      })),
      replacedBy: replacement?.readyAt
        ? {
            serial: replacement.serial,
            verifyUrl: `${this.config.publicBaseUrl}/verify/${replacement.verificationCode}`,
          }
        : null,
      pdfSha256: c.pdfSha256!,
      verificationMethod: verificationMethodId(this.issuer.did, c.credentialKeyId!),
      issuer: {
        id: this.issuer.did,
        name: this.config.certification.issuerName,
        didDocument: didDocumentUrl(this.issuer.did, this.scheme),
      },
    };
  }

  /**
   * The signed credential a certificate's id URL names, for JSON-LD readers (wallets, verifiers).
   * Not found while only a pre-Data-Integrity VC-JWT exists (the worker re-signs it within a minute).
   */
  async credential(codeInput: string, clientAddress: string): Promise<object> {
    const c = await this.readyByCode(codeInput, clientAddress);
    if (!c.credentialKey?.endsWith('.json')) throw CertificationError.unknownVerificationCode();
    return JSON.parse((await this.storage.getBuffer(Buckets.certificates, c.credentialKey)).toString('utf8'));
  }

  /**
   * Checks a credential anyone pasted or uploaded: which checks pass, against our keys and lists.
   * The request body's limit (32 KB; a certificate's credential is about 5 KB) bounds the work.
   */
  async check(
    credential: unknown,
    pdfSha256: string | undefined,
    clientAddress: string,
  ): Promise<CredentialReport> {
    await this.countRequest(clientAddress);
    return this.issuer.check(credential, pdfSha256);
  }

  /** The public Achievement a credential's `achievement.id` names. */
  async achievement(programmeId: string) {
    const p = await this.repo.findProgramme(programmeId);
    if (!p) throw this.documentNotFound('achievement');
    return {
      '@context': OB3_CONTEXT,
      ...achievement(this.config.publicBaseUrl, {
        id: p.id,
        name: p.names.vi,
        description: p.descriptions.vi ?? p.names.vi,
        criteria: criteriaNarrative(p),
      }),
    };
  }

  /** A signed status list credential, with its version (an ETag across processes). */
  async statusList(listId: number): Promise<{ version: number; credential: object }> {
    const list = await this.issuer.statusList(listId);
    if (!list) throw this.documentNotFound('status list');
    return list;
  }

  didDocument() {
    return this.issuer.didDocument();
  }

  issuerProfile() {
    return {
      '@context': OB3_CONTEXT,
      id: this.issuer.did,
      type: ['Profile'],
      name: this.config.certification.issuerName,
      url: this.config.publicBaseUrl,
    };
  }

  /** Our own host's did:web resolves over http on a plain-http installation (development). */
  private get scheme(): 'http' | 'https' {
    return this.config.publicBaseUrl.startsWith('https://') ? 'https' : 'http';
  }

  private documentNotFound(what: string) {
    return new CertificationError(
      CertificationErrorCode.CredentialDocumentNotFound,
      `There is no such ${what}.`,
    );
  }

  private async readyByCode(codeInput: string, clientAddress: string) {
    await this.countRequest(clientAddress);
    const code = normalizeVerificationCode(codeInput);
    const c = code ? await this.certificates.findByCode(code) : null;
    // Pending certificates are not public yet: their holder has no code to share.
    if (!c || !c.readyAt) throw CertificationError.unknownVerificationCode();
    return c;
  }

  private async countRequest(clientAddress: string) {
    const limit = await this.limiter.hit(
      `verify:${clientAddress}`,
      this.config.certification.verifyMaxPerMinute,
      60,
    );
    if (limit.limited) {
      throw new CertificationError(
        CommonErrorCode.RateLimited,
        'Too many verification requests from this address. Try again shortly.',
        { retryAfterSeconds: limit.retryAfterSeconds },
      );
    }
  }

  /** Place names rarely change: cached, as every QR scan asks for one. */
  private place(villageId: string): Promise<string> {
    return this.places.get(villageId, () => this.geography.placeName(villageId));
  }
}

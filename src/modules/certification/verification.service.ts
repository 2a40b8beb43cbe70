import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { TtlCache } from '../../infrastructure/cache/ttl-cache.js';
import { CommonErrorCode } from '../../infrastructure/errors/domain-error.js';
import { pickLocalized } from '../../infrastructure/i18n/locales.js';
import { RateLimiter } from '../../infrastructure/rate-limit/rate-limiter.js';
import { GeographyService } from '../geography/geography.service.js';
import { maskName, normalizeVerificationCode } from './certificate-identifiers.js';
import { CertificateRepository } from './certificate.repository.js';
import { CertificationError } from './certification.errors.js';
import { CertificationRepository } from './certification.repository.js';
import { certificateStatus, statusDate, type CertificateStatus } from './certification.views.js';
import { issuerId, jwksUrl } from './open-badge-credential.js';

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
  credentialKeyId: string;
  issuer: { id: string; name: string; keys: string };
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
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Counted per client address before anything is looked up: codes cannot be guessed in bulk. */
  async verify(
    codeInput: string,
    chain: readonly string[],
    clientAddress: string,
  ): Promise<PublicVerification> {
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
    const code = normalizeVerificationCode(codeInput);
    const c = code ? await this.certificates.findByCode(code) : null;
    // Pending certificates are not public yet: their holder has no code to share.
    if (!c || !c.readyAt) throw CertificationError.unknownVerificationCode();
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
      credentialKeyId: c.credentialKeyId!,
      issuer: {
        id: issuerId(this.config.publicBaseUrl),
        name: this.config.certification.issuerName,
        keys: jwksUrl(this.config.publicBaseUrl),
      },
    };
  }

  /** Place names rarely change: cached, as every QR scan asks for one. */
  private place(villageId: string): Promise<string> {
    return this.places.get(villageId, () => this.geography.placeName(villageId));
  }
}

import { Controller, Get, Header, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { CommonErrorCode } from '../../infrastructure/errors/domain-error.js';
import { normalizeFallbackChain } from '../../infrastructure/i18n/locales.js';
import { LangQueryDto } from '../catalog/dto/course.dto.js';
import { Public } from '../../infrastructure/auth/auth.decorators.js';
import { CertificationErrorCode } from './certification.errors.js';
import {
  IssuerProfileResponse,
  JwkSetResponse,
  PublicVerificationResponse,
} from './dto/certification-responses.dto.js';
import { IssuerKeysService } from './issuer-keys.service.js';
import { issuerId, jwksUrl } from './open-badge-credential.js';
import { VerificationService, type PublicVerification } from './verification.service.js';

/** Public verification, and the issuer's keys for checking credentials offline. */
@ApiTags('verification')
@Public()
@Controller()
export class VerificationController {
  constructor(
    @Inject(VerificationService) private readonly verification: VerificationService,
    @Inject(IssuerKeysService) private readonly keys: IssuerKeysService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get('api/v1/verify/:code')
  @ApiOperation({
    summary: 'Verify a certificate by its code: status, masked holder, programme, village, dates',
  })
  @ApiOkResponse({ type: PublicVerificationResponse })
  @ApiErrors({ 404: [CertificationErrorCode.CertificateNotFound], 429: [CommonErrorCode.RateLimited] })
  @Header('cache-control', 'no-store')
  verify(
    @Param('code') code: string,
    @Query() query: LangQueryDto,
    @Req() req: FastifyRequest,
  ): Promise<PublicVerification> {
    return this.verification.verify(
      code,
      normalizeFallbackChain(query.lang ? query.lang.split(',') : []),
      req.ip,
    );
  }

  @Get('.well-known/jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: "The issuer's Ed25519 public keys, retired ones included (JWK set)" })
  @ApiOkResponse({ type: JwkSetResponse })
  async jwks() {
    return { keys: await this.keys.published() };
  }

  @Get('.well-known/issuer.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'The issuer profile (Open Badges 3.0 Profile) named in every credential' })
  @ApiOkResponse({ type: IssuerProfileResponse })
  issuer() {
    return {
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      id: issuerId(this.config.publicBaseUrl),
      type: ['Profile'],
      name: this.config.certification.issuerName,
      url: this.config.publicBaseUrl,
      jwks: jwksUrl(this.config.publicBaseUrl),
    };
  }
}

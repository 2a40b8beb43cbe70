import { Controller, Get, Header, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { normalizeFallbackChain } from '../../infrastructure/i18n/locales.js';
import { LangQueryDto } from '../catalog/dto/course.dto.js';
import { Public } from '../identity/auth.decorators.js';
import { IssuerKeysService } from './issuer-keys.service.js';
import { issuerId, jwksUrl } from './open-badge-credential.js';
import { RateLimitedError, VerificationService, type PublicVerification } from './verification.service.js';

/** Runs a rate-limited lookup, telling the client when to come back. */
export async function throttled<T>(
  verification: VerificationService,
  req: FastifyRequest,
  reply: FastifyReply,
  work: () => Promise<T>,
): Promise<T> {
  try {
    await verification.throttle(req.ip);
  } catch (e) {
    if (e instanceof RateLimitedError) void reply.header('retry-after', String(e.retryAfterSeconds));
    throw e;
  }
  return work();
}

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
  @ApiOkResponse({ schema: { type: 'object' } })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED; see Retry-After' })
  verify(
    @Param('code') code: string,
    @Query() query: LangQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PublicVerification> {
    void reply.header('cache-control', 'no-store');
    return throttled(this.verification, req, reply, () =>
      this.verification.verify(code, normalizeFallbackChain(query.lang ? query.lang.split(',') : [])),
    );
  }

  @Get('.well-known/jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: "The issuer's Ed25519 public keys, retired ones included (JWK set)" })
  @ApiOkResponse({ schema: { type: 'object' } })
  async jwks() {
    return { keys: await this.keys.published() };
  }

  @Get('.well-known/issuer.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'The issuer profile (Open Badges 3.0 Profile) named in every credential' })
  @ApiOkResponse({ schema: { type: 'object' } })
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

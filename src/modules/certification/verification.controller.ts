import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { CommonErrorCode } from '../../infrastructure/errors/domain-error.js';
import { normalizeFallbackChain } from '../../infrastructure/i18n/locales.js';
import { LangQueryDto } from '../catalog/dto/course.dto.js';
import { Public } from '../../infrastructure/auth/auth.decorators.js';
import { CertificationErrorCode } from './certification.errors.js';
import { CheckCredentialDto } from './dto/certification.dto.js';
import {
  CredentialReportResponse,
  DidDocumentResponse,
  IssuerProfileResponse,
  PublicVerificationResponse,
} from './dto/certification-responses.dto.js';
import { VerificationService, type PublicVerification } from './verification.service.js';

/** A JSON-LD document whose shape a W3C or 1EdTech specification defines, not this API. */
const jsonLd = (description: string) => ({
  description,
  schema: { type: 'object' as const, additionalProperties: true, required: ['@context'] },
});

/**
 * Public verification, and what wallets and verifiers dereference: the issuer's DID document and
 * profile, achievements, and the signed status lists. All without login, all cacheable but the
 * per-code answers.
 */
@ApiTags('verification')
@Public()
@Controller()
export class VerificationController {
  constructor(@Inject(VerificationService) private readonly verification: VerificationService) {}

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

  @Post('api/v1/verify/credential')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Check an Open Badges 3.0 credential anyone holds: format, issuer key, signature, revocation status, dates and (given its hash) the PDF',
  })
  @ApiOkResponse({ type: CredentialReportResponse })
  @ApiErrors({
    400: [CommonErrorCode.ValidationFailed],
    413: [CommonErrorCode.PayloadTooLarge],
    429: [CommonErrorCode.RateLimited],
  })
  @Header('cache-control', 'no-store')
  check(@Body() dto: CheckCredentialDto, @Req() req: FastifyRequest) {
    return this.verification.check(dto.credential, dto.pdfSha256?.toLowerCase(), req.ip);
  }

  /**
   * The credential as a wallet imports it: what the "add to wallet" QR code holds (a plain GET,
   * sent without an Accept header); the Learner Credential Wallet's deep link posts its DIDAuth
   * presentation to the route below (`vc_request_url`). The credential binds no holder DID, so the
   * presentation is not needed: the code, already on the certificate's QR, is the only key.
   */
  @Get('credentials/:code')
  @Header('cache-control', 'no-store')
  @Header('access-control-allow-origin', '*')
  @ApiOperation({ summary: "A certificate's signed credential, for wallets (the code is the one on its QR)" })
  @ApiOkResponse(jsonLd('The OpenBadgeCredential (JSON-LD with its Data Integrity proof)'))
  @ApiErrors({ 404: [CertificationErrorCode.CertificateNotFound], 429: [CommonErrorCode.RateLimited] })
  async credential(
    @Param('code') code: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.header('content-type', 'application/ld+json; charset=utf-8');
    return this.verification.credential(code, req.ip);
  }

  /** Under /api: no session cookie is involved, so no CSRF token (the wallet has none to send). */
  @Post('api/v1/credentials/:code')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: "The wallet deep link's request URL: answers the credential to any presentation" })
  @ApiBody({
    required: false,
    description:
      'What the wallet posts: its DIDAuth VerifiablePresentation (read by nobody; the code is the key)',
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiOkResponse(jsonLd('The OpenBadgeCredential'))
  @ApiErrors({ 404: [CertificationErrorCode.CertificateNotFound], 429: [CommonErrorCode.RateLimited] })
  async credentialForWallet(
    @Param('code') code: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.credential(code, req, reply);
  }

  /** did:web without a path resolves here; with one (`did:web:host:path`), at `/path/did.json`. */
  @Get(['.well-known/did.json', 'did.json'])
  @Header('access-control-allow-origin', '*')
  @Header('cache-control', 'public, max-age=60')
  @ApiOperation({ summary: "The issuer's did:web DID document: every signing key, retired ones included" })
  @ApiOkResponse({ type: DidDocumentResponse })
  didDocument() {
    return this.verification.didDocument();
  }

  @Get('.well-known/issuer.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'The issuer profile (Open Badges 3.0 Profile) named in every credential' })
  @ApiOkResponse({ type: IssuerProfileResponse })
  issuer() {
    return this.verification.issuerProfile();
  }

  @Get('credentials/achievements/:programmeId')
  @Header('access-control-allow-origin', '*')
  @Header('cache-control', 'public, max-age=300')
  @Header('content-type', 'application/ld+json; charset=utf-8')
  @ApiOperation({ summary: 'The Open Badges 3.0 Achievement a credential names (public)' })
  @ApiOkResponse(jsonLd('An Open Badges 3.0 Achievement with its @context'))
  @ApiErrors({ 404: [CertificationErrorCode.CredentialDocumentNotFound] })
  achievement(@Param('programmeId', ParseUUIDPipe) programmeId: string) {
    return this.verification.achievement(programmeId);
  }

  /**
   * The signed BitstringStatusListCredential every credential points to. Verifiers poll it; a
   * revocation shows within the cache's five minutes, and its ETag makes a re-check cost ~200 bytes.
   */
  @Get('credentials/status/:listId')
  @Header('access-control-allow-origin', '*')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'A signed W3C Bitstring Status List (revocation) of 131,072 entries' })
  @ApiOkResponse(jsonLd('A BitstringStatusListCredential'))
  @ApiErrors({ 404: [CertificationErrorCode.CredentialDocumentNotFound] })
  async statusList(
    @Param('listId', new ParseIntPipe({ errorHttpStatusCode: 404 })) listId: number,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const list = await this.verification.statusList(listId);
    const etag = `"${listId}.${list.version}"`;
    void reply.header('etag', etag).header('content-type', 'application/ld+json; charset=utf-8');
    if (req.headers['if-none-match'] === etag) {
      void reply.status(304);
      return '';
    }
    return list.credential;
  }
}

import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { CommonErrorCode } from '../../infrastructure/errors/domain-error.js';
import { Authenticated, CurrentPrincipal, Roles } from '../../infrastructure/auth/auth.decorators.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { GeographyErrorCode } from '../geography/geography.errors.js';
import { CertificatesService } from './certificates.service.js';
import { CertificationErrorCode as Code } from './certification.errors.js';
import { CertificateDetailResponse, CertificateResponse } from './dto/certification-responses.dto.js';
import { DecisionDto, ReissueDto } from './dto/certification.dto.js';

const STAFF_ERRORS = {
  403: [CommonErrorCode.Forbidden, GeographyErrorCode.OutsideArea],
  404: [Code.CertificateNotFound],
};

/** Issued certificates: the holder's, and staff actions on them. */
@ApiTags('certification')
@Authenticated()
@Controller('api/v1/certificates')
export class CertificatesController {
  constructor(@Inject(CertificatesService) private readonly certificates: CertificatesService) {}

  @Get('mine')
  @ApiOperation({ summary: 'My certificates, with short-lived links to the PDF and the signed credential' })
  @ApiOkResponse({ type: [CertificateResponse] })
  mine(@CurrentPrincipal() who: Principal) {
    return this.certificates.mine(who);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A certificate (its holder, or staff covering the village), with download links' })
  @ApiOkResponse({ type: CertificateDetailResponse })
  @ApiErrors(STAFF_ERRORS)
  detail(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() who: Principal) {
    return this.certificates.detail(who, id);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Revoke with a reason (kept; verification then shows it revoked)' })
  @ApiOkResponse({ type: CertificateDetailResponse })
  @ApiErrors({ ...STAFF_ERRORS, 409: [Code.AlreadyRevoked] })
  revoke(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DecisionDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.certificates.revoke(who, id, dto.reason);
  }

  @Post(':id/reissue')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Reissue after a correction; the old certificate links to the new one' })
  @ApiOkResponse({ type: CertificateDetailResponse, description: 'The new certificate' })
  @ApiErrors({ ...STAFF_ERRORS, 409: [Code.CertificateNotActive, Code.AlreadyReissued] })
  reissue(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReissueDto,
    @CurrentPrincipal() who: Principal,
    @Req() req: FastifyRequest,
  ) {
    return this.certificates.reissue(who, id, dto.reason, dto.holderName, String(req.id));
  }
}

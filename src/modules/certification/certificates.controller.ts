import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Authenticated, CurrentPrincipal, Roles } from '../identity/auth.decorators.js';
import type { Principal } from '../identity/roles.js';
import { CertificatesService } from './certificates.service.js';
import { DecisionDto, ReissueDto } from './dto/certification.dto.js';
import { ApiJsonResponse } from './dto/json-response.js';

/** Issued certificates: the holder's, and staff actions on them. */
@ApiTags('certification')
@Authenticated()
@Controller('api/v1/certificates')
export class CertificatesController {
  constructor(@Inject(CertificatesService) private readonly certificates: CertificatesService) {}

  @Get('mine')
  @ApiOperation({ summary: 'My certificates, with short-lived links to the PDF and the signed credential' })
  @ApiJsonResponse('Certificates')
  mine(@CurrentPrincipal() who: Principal) {
    return this.certificates.mine(who);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A certificate (its holder, or staff covering the village), with download links' })
  @ApiJsonResponse('Certificate')
  detail(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() who: Principal) {
    return this.certificates.detail(who, id);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Revoke with a reason (kept; verification then shows it revoked)' })
  @ApiJsonResponse('Certificate')
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
  @ApiJsonResponse('The new certificate')
  reissue(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReissueDto,
    @CurrentPrincipal() who: Principal,
    @Req() req: FastifyRequest,
  ) {
    return this.certificates.reissue(who, id, dto.reason, dto.holderName, String(req.id));
  }
}

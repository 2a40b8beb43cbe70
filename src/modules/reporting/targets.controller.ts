import { Body, Controller, Delete, Get, Inject, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Roles } from '../../infrastructure/auth/auth.decorators.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { CommonErrorCode } from '../../infrastructure/errors/domain-error.js';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { CertificationErrorCode } from '../certification/certification.errors.js';
import { GeographyErrorCode } from '../geography/geography.errors.js';
import {
  RemoveTargetQueryDto,
  SetTargetDto,
  TargetHistoryResponse,
  TargetResponse,
} from './dto/targets.dto.js';
import { ReportingErrorCode } from './reporting.errors.js';
import { TargetsService } from './targets.service.js';

const NOT_FOUND = [CertificationErrorCode.ProgrammeNotFound, GeographyErrorCode.NotFound];

/** Programme targets per province and commune, versioned, with the figures and pace against them. */
@ApiTags('reporting')
@Authenticated()
@Controller('api/v1/certification/programmes/:programmeId/targets/:localityId')
export class TargetsController {
  constructor(@Inject(TargetsService) private readonly targets: TargetsService) {}

  @Get()
  @Roles('coordinator', 'admin')
  @ApiOperation({
    summary:
      "The target in force (own, or the commune's share of the province's), the area's figures and a projection at the current pace",
  })
  @ApiOkResponse({ type: TargetResponse })
  @ApiErrors({
    400: [ReportingErrorCode.TargetLocalityInvalid],
    403: [CommonErrorCode.Forbidden, GeographyErrorCode.OutsideArea],
    404: NOT_FOUND,
  })
  view(
    @Param('programmeId', ParseUUIDPipe) programmeId: string,
    @Param('localityId', ParseUUIDPipe) localityId: string,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.targets.view(who, programmeId, localityId);
  }

  @Put()
  @Roles('admin')
  @ApiOperation({ summary: 'Sets the target as a new version (admins)' })
  @ApiOkResponse({ type: TargetResponse })
  @ApiErrors({
    400: [ReportingErrorCode.TargetLocalityInvalid, ReportingErrorCode.TargetInvalid],
    404: NOT_FOUND,
    409: [ReportingErrorCode.TargetChanged],
  })
  set(
    @Param('programmeId', ParseUUIDPipe) programmeId: string,
    @Param('localityId', ParseUUIDPipe) localityId: string,
    @Body() dto: SetTargetDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.targets.set(who, programmeId, localityId, dto);
  }

  @Delete()
  @Roles('admin')
  @ApiOperation({
    summary: "Removes the locality's own target (a commune then takes its share of the province's)",
  })
  @ApiOkResponse({ type: TargetResponse })
  @ApiErrors({
    400: [ReportingErrorCode.TargetLocalityInvalid],
    404: [...NOT_FOUND, ReportingErrorCode.TargetNotFound],
    409: [ReportingErrorCode.TargetChanged],
  })
  remove(
    @Param('programmeId', ParseUUIDPipe) programmeId: string,
    @Param('localityId', ParseUUIDPipe) localityId: string,
    @Query() query: RemoveTargetQueryDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.targets.remove(who, programmeId, localityId, query.basedOnVersion);
  }

  @Get('history')
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Every version of the locality’s own target, newest first, with who changed it' })
  @ApiOkResponse({ type: TargetHistoryResponse })
  @ApiErrors({
    400: [ReportingErrorCode.TargetLocalityInvalid],
    403: [CommonErrorCode.Forbidden, GeographyErrorCode.OutsideArea],
    404: NOT_FOUND,
  })
  history(
    @Param('programmeId', ParseUUIDPipe) programmeId: string,
    @Param('localityId', ParseUUIDPipe) localityId: string,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.targets.history(who, programmeId, localityId);
  }
}

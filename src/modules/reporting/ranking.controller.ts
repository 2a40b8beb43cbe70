import { Body, Controller, Get, Header, Inject, Param, ParseUUIDPipe, Put, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentPrincipal, Public, Roles } from '../../infrastructure/auth/auth.decorators.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { CommonErrorCode } from '../../infrastructure/errors/domain-error.js';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { CertificationErrorCode } from '../certification/certification.errors.js';
import { GeographyErrorCode } from '../geography/geography.errors.js';
import {
  PublishRankingDto,
  RankingImageQueryDto,
  RankingPublicationResponse,
  RankingQueryDto,
  RankingResponse,
} from './dto/ranking.dto.js';
import { rankingImage } from './ranking-image.js';
import { RankingService } from './ranking.service.js';
import { ReportingErrorCode } from './reporting.errors.js';

/** The ranking between a programme's communes, for its coordinators and admins. */
@ApiTags('reporting')
@Authenticated()
@Controller('api/v1/certification/programmes/:programmeId/ranking')
export class RankingController {
  constructor(@Inject(RankingService) private readonly rankings: RankingService) {}

  @Get()
  @Roles('coordinator', 'admin')
  @ApiOperation({
    summary: "Communes of the programme's province, by coverage or by progress toward targets",
  })
  @ApiOkResponse({ type: RankingResponse })
  @ApiErrors({
    403: [CommonErrorCode.Forbidden, GeographyErrorCode.OutsideArea],
    404: [CertificationErrorCode.ProgrammeNotFound],
  })
  ranking(
    @Param('programmeId', ParseUUIDPipe) programmeId: string,
    @Query() query: RankingQueryDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.rankings.ranking(who, programmeId, query.by ?? 'coverage');
  }

  @Get('publication')
  @Roles('admin')
  @ApiOperation({ summary: 'Whether, and from when, the ranking is public (admins)' })
  @ApiOkResponse({ type: RankingPublicationResponse })
  @ApiErrors({ 404: [CertificationErrorCode.ProgrammeNotFound] })
  publication(@Param('programmeId', ParseUUIDPipe) programmeId: string) {
    return this.rankings.publication(programmeId);
  }

  @Put('publication')
  @Roles('admin')
  @ApiOperation({ summary: 'Publishes the ranking from a moment, or withdraws it (admins)' })
  @ApiOkResponse({ type: RankingPublicationResponse })
  @ApiErrors({ 404: [CertificationErrorCode.ProgrammeNotFound] })
  publish(
    @Param('programmeId', ParseUUIDPipe) programmeId: string,
    @Body() dto: PublishRankingDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.rankings.publish(who, programmeId, dto.publishedFrom);
  }
}

/** The published ranking, for everyone: counts per commune, and a picture to share. */
@ApiTags('reporting')
@Public()
@Controller('api/v1/public/programmes/:programmeId')
export class PublicRankingController {
  constructor(@Inject(RankingService) private readonly rankings: RankingService) {}

  @Get('ranking')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: "The programme's published ranking of communes (counts only)" })
  @ApiOkResponse({ type: RankingResponse })
  @ApiErrors({ 404: [ReportingErrorCode.RankingNotPublished, CertificationErrorCode.ProgrammeNotFound] })
  ranking(@Param('programmeId', ParseUUIDPipe) programmeId: string, @Query() query: RankingQueryDto) {
    return this.rankings.publicRanking(programmeId, query.by ?? 'coverage');
  }

  @Get('ranking.svg')
  @ApiOperation({ summary: 'The published ranking by coverage as a square picture for chat groups (SVG)' })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'image/svg+xml, 1080 × 1080', schema: { type: 'string' } })
  @ApiErrors({ 404: [ReportingErrorCode.RankingNotPublished, CertificationErrorCode.ProgrammeNotFound] })
  async image(
    @Param('programmeId', ParseUUIDPipe) programmeId: string,
    @Query() query: RankingImageQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const svg = rankingImage(await this.rankings.publicRanking(programmeId, 'coverage'), query.lang ?? 'vi');
    void reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'public, max-age=300');
    return svg;
  }
}

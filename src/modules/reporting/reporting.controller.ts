import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Roles } from '../../infrastructure/auth/auth.decorators.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { CommonErrorCode } from '../../infrastructure/errors/domain-error.js';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { LangQueryDto } from '../catalog/dto/course.dto.js';
import { GeographyErrorCode } from '../geography/geography.errors.js';
import { LearningErrorCode } from '../learning/learning.errors.js';
import { ActivityService } from './activity.service.js';
import { AmbassadorRegistryService } from './ambassador-registry.service.js';
import { ActivityQueryDto, LocalityQueryDto, LocalityReportQueryDto } from './dto/reporting.dto.js';
import {
  ActivityResponse,
  AmbassadorPageResponse,
  CoverageResponse,
  ProgressReportResponse,
} from './dto/reporting-responses.dto.js';
import { ProgressReportService } from './progress-report.service.js';

/** Coordinators act inside their area: elsewhere 403. */
const OUTSIDE_AREA = [CommonErrorCode.Forbidden, GeographyErrorCode.OutsideArea];

/**
 * Staff reports: the ambassador registry and coverage, progress per course and per locality, and
 * daily activity. Their addresses stay where the API first published them.
 */
@ApiTags('reporting')
@Authenticated()
@Controller('api/v1')
export class ReportingController {
  constructor(
    @Inject(AmbassadorRegistryService) private readonly registry: AmbassadorRegistryService,
    @Inject(ProgressReportService) private readonly progress: ProgressReportService,
    @Inject(ActivityService) private readonly activityReports: ActivityService,
  ) {}

  @Get('certification/ambassadors')
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Active ambassadors (valid certificate) serving villages of a locality' })
  @ApiOkResponse({ type: AmbassadorPageResponse })
  @ApiErrors({ 403: OUTSIDE_AREA, 404: [GeographyErrorCode.NotFound] })
  ambassadors(@Query() query: LocalityQueryDto, @CurrentPrincipal() who: Principal) {
    return this.registry.ambassadors(who, query.localityId, query.page, query.pageSize);
  }

  @Get('certification/coverage')
  @Roles('coordinator', 'admin')
  @ApiOperation({
    summary: 'Villages with an active ambassador ÷ all villages, by part, and a page of those without',
  })
  @ApiOkResponse({ type: CoverageResponse })
  @ApiErrors({ 403: OUTSIDE_AREA, 404: [GeographyErrorCode.NotFound] })
  coverage(@Query() query: LocalityQueryDto, @CurrentPrincipal() who: Principal) {
    return this.registry.coveragePage(who, query.localityId, query.page, query.pageSize);
  }

  @Get('progress/courses/:courseId/report')
  @Roles('trainer', 'coordinator', 'admin')
  @ApiOperation({
    summary: "A course's progress counts: the owner and admins see all, coordinators their locality",
  })
  @ApiOkResponse({ type: ProgressReportResponse })
  @ApiErrors({ 403: [CommonErrorCode.Forbidden], 404: [LearningErrorCode.CourseNotFound] })
  courseReport(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @CurrentPrincipal() who: Principal,
    @Query() query: LangQueryDto,
  ): Promise<ProgressReportResponse> {
    return this.progress.courseReport(who, courseId, query.lang);
  }

  @Get('progress/localities/:localityId/report')
  @Roles('coordinator', 'admin')
  @ApiOperation({
    summary: 'Progress counts of the learners living in a locality (coordinators: inside their area)',
  })
  @ApiOkResponse({ type: ProgressReportResponse })
  @ApiErrors({ 403: OUTSIDE_AREA, 404: [GeographyErrorCode.NotFound] })
  localityReport(
    @Param('localityId', ParseUUIDPipe) localityId: string,
    @CurrentPrincipal() who: Principal,
    @Query() query: LocalityReportQueryDto,
  ): Promise<ProgressReportResponse> {
    return this.progress.localityReport(who, localityId, query.lang, query.byCourse === 'true');
  }

  @Get('reporting/activity')
  @Roles('coordinator', 'admin')
  @ApiOperation({
    summary:
      'Course completions, certificates issued and revoked per day in a locality (from the outbox, ~15 s behind)',
  })
  @ApiOkResponse({ type: ActivityResponse })
  @ApiErrors({
    400: [CommonErrorCode.ValidationFailed],
    403: OUTSIDE_AREA,
    404: [GeographyErrorCode.NotFound],
  })
  activity(@Query() query: ActivityQueryDto, @CurrentPrincipal() who: Principal): Promise<ActivityResponse> {
    return this.activityReports.activity(who, query);
  }
}

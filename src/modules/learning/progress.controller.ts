import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { CommonErrorCode } from '../../infrastructure/http/domain-error.js';
import { LangQueryDto } from '../catalog/dto/course.dto.js';
import { Authenticated, CurrentPrincipal, Roles } from '../identity/auth.decorators.js';
import type { Principal } from '../identity/roles.js';
import {
  EnrolLearnersResponse,
  EnrolmentResponse,
  EventResultResponse,
  LessonProgressResponse,
  MyLearningResponse,
  ProgressReportResponse,
  SyncReceiptResponse,
} from './dto/learning-responses.dto.js';
import { EnrolDto, EnrolLearnersDto, ProgressEventDto, SyncBatchDto } from './dto/progress.dto.js';
import { EventRejectionCode, LearningError } from './learning.errors.js';
import { completionResponse, EnrolmentService } from './enrolment.service.js';
import { lessonProgressResponse } from './lesson-progress.view.js';
import { ProgressReportService } from './progress-report.service.js';
import { ProgressService, type RecordResult } from './progress.service.js';

/** HTTP status of a refused single (online) event; in a sync batch the same codes go in the receipt. */
const REJECTION_STATUS: Record<string, number> = {
  [EventRejectionCode.LessonNotFound]: 404,
  [EventRejectionCode.CourseNotAvailable]: 409,
  [EventRejectionCode.VideoNotAvailable]: 409,
  [EventRejectionCode.NoAttemptsLeft]: 409,
  [EventRejectionCode.Cooldown]: 409,
};

/** A learner's own progress: enrolment, events (online), "my learning". */
@ApiTags('learning')
@Authenticated()
@Controller('api/v1/progress')
export class ProgressController {
  constructor(
    @Inject(ProgressService) private readonly progress: ProgressService,
    @Inject(EnrolmentService) private readonly enrolments: EnrolmentService,
    @Inject(ProgressReportService) private readonly reports: ProgressReportService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Post('enrolments')
  @ApiOperation({
    summary: 'Enrol in a published course (201; 200 with the existing enrolment if already in it)',
  })
  @ApiOkResponse({ type: EnrolmentResponse })
  async enrol(
    @Body() dto: EnrolDto,
    @CurrentPrincipal() who: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EnrolmentResponse> {
    const { enrolment, created } = await this.enrolments.enrolSelf(who.userId, dto.courseId);
    void reply.status(created ? 201 : 200);
    return enrolment;
  }

  @Get('me')
  @ApiOperation({ summary: 'My learning: courses in progress and completed, next lesson, where to resume' })
  @ApiOkResponse({ type: MyLearningResponse })
  me(@CurrentPrincipal() who: Principal, @Query() query: LangQueryDto): Promise<MyLearningResponse> {
    return this.enrolments.myLearning(who.userId, query.lang);
  }

  @Get('lessons/:lessonId')
  @ApiOperation({ summary: 'My progress in one lesson (watched share, steps done, attempts)' })
  @ApiOkResponse({ type: LessonProgressResponse })
  async lesson(
    @Param('lessonId', ParseUUIDPipe) lessonId: string,
    @CurrentPrincipal() who: Principal,
  ): Promise<LessonProgressResponse> {
    const { lesson, state } = await this.progress.lessonProgress(who.userId, lessonId);
    return lessonProgressResponse(lesson, state, this.config.learning.videoCompletionShare);
  }

  @Post('events')
  @HttpCode(200)
  @ApiOperation({
    summary: 'One event while online (video heartbeat, guide step, quiz attempt); a replay is a duplicate',
  })
  @ApiOkResponse({ type: EventResultResponse })
  @ApiBody({ type: ProgressEventDto })
  async event(
    // Checked by the service, the same way as an event inside a sync batch (not twice).
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() who: Principal,
  ): Promise<EventResultResponse> {
    const { receipts, completions, lessons } = await this.progress.record(who.userId, [body]);
    const receipt = receipts[0];
    if (receipt.status === 'rejected') {
      throw new LearningError(
        receipt.code!,
        receipt.message!,
        REJECTION_STATUS[receipt.code!] ?? 400,
        receipt.details,
      );
    }
    const { lesson, state } = [...lessons.values()][0];
    return {
      receipt,
      lesson: lessonProgressResponse(lesson, state, this.config.learning.videoCompletionShare),
      completedCourses: completions.map(completionResponse),
    };
  }

  @Post('courses/:courseId/enrolments')
  @Roles('trainer', 'admin')
  @ApiOperation({ summary: 'Enrol learners by phone number or user id (each answered on its own)' })
  @ApiOkResponse({ type: EnrolLearnersResponse })
  enrolLearners(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Body() dto: EnrolLearnersDto,
    @CurrentPrincipal() who: Principal,
  ): Promise<EnrolLearnersResponse> {
    return this.enrolments.enrolLearners(who.userId, courseId, dto.learners);
  }

  @Get('courses/:courseId/report')
  @Roles('trainer', 'coordinator', 'admin')
  @ApiOperation({
    summary: "A course's progress counts: the owner and admins see all, coordinators their locality",
  })
  @ApiOkResponse({ type: ProgressReportResponse })
  courseReport(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @CurrentPrincipal() who: Principal,
    @Query() query: LangQueryDto,
  ): Promise<ProgressReportResponse> {
    return this.reports.courseReport(who, courseId, query.lang);
  }

  @Get('localities/:localityId/report')
  @Roles('coordinator', 'admin')
  @ApiOperation({
    summary: 'Progress counts of the learners living in a locality (coordinators: inside their area)',
  })
  @ApiOkResponse({ type: ProgressReportResponse })
  localityReport(
    @Param('localityId', ParseUUIDPipe) localityId: string,
    @CurrentPrincipal() who: Principal,
    @Query() query: LangQueryDto,
  ): Promise<ProgressReportResponse> {
    return this.reports.localityReport(who, localityId, query.lang);
  }
}

/** Offline progress: a batch of events in any order, answered with a receipt per event. */
@ApiTags('learning')
@Authenticated()
@Controller('api/v1/sync')
export class SyncController {
  constructor(@Inject(ProgressService) private readonly progress: ProgressService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Send events recorded offline; replaying a batch changes nothing' })
  @ApiOkResponse({ type: SyncReceiptResponse })
  @ApiPayloadTooLargeResponse({ description: 'SYNC_BATCH_TOO_LARGE: more events than SYNC_MAX_EVENTS' })
  @ApiBody({ type: SyncBatchDto })
  async sync(
    // Not through the global ValidationPipe: copying and sanitising a 500-event body cost more
    // than checking it. Each event is checked by the service.
    @Body() body: Record<string, unknown> | null,
    @CurrentPrincipal() who: Principal,
  ): Promise<SyncReceiptResponse> {
    const events = body?.events;
    if (!Array.isArray(events)) {
      throw new LearningError(CommonErrorCode.ValidationFailed, 'events must be an array of events', 400);
    }
    return syncReceipt(await this.progress.sync(who.userId, events));
  }
}

function syncReceipt({ receipts, completions }: RecordResult): SyncReceiptResponse {
  const count = (status: string) => receipts.filter((r) => r.status === status).length;
  return {
    accepted: count('accepted'),
    duplicate: count('duplicate'),
    rejected: count('rejected'),
    receipts,
    completedCourses: completions.map(completionResponse),
  };
}

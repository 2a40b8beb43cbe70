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
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { CommonErrorCode } from '../../infrastructure/errors/domain-error.js';
import { LangQueryDto } from '../catalog/dto/course.dto.js';
import { Authenticated, CurrentPrincipal, Roles } from '../../infrastructure/auth/auth.decorators.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import {
  EnrolLearnersResponse,
  EnrolmentResponse,
  EventResultResponse,
  LessonProgressResponse,
  MyLearningResponse,
  SyncReceiptResponse,
} from './dto/learning-responses.dto.js';
import { EnrolDto, EnrolLearnersDto, ProgressEventDto, SyncBatchDto } from './dto/progress.dto.js';
import { EVENT_REJECTION_STATUS, LearningError, LearningErrorCode } from './learning.errors.js';
import { completionResponse, EnrolmentService } from './enrolment.service.js';
import { lessonProgressResponse } from './learning.views.js';
import { ProgressService, type RecordResult } from './progress.service.js';
import { BODY_LIMITS, BodyLimit } from '../../infrastructure/http/body-intake.js';
import { LESSON_KIND_DEFINITIONS } from '../lesson-kinds/lesson-kinds.js';

/** The status of each rejection code, the way `event` answers it: the common ones and each kind's. */
const EVENT_ERRORS = Object.entries({
  ...EVENT_REJECTION_STATUS,
  ...Object.assign({}, ...LESSON_KIND_DEFINITIONS.map((k) => k.rejections)),
} as Record<string, number>).reduce<Record<number, string[]>>(
  (byStatus, [code, status]) => ({ ...byStatus, [status]: [...(byStatus[status] ?? []), code] }),
  {},
);

/** A learner's own progress: enrolment, events (online), "my learning". */
@ApiTags('learning')
@Authenticated()
@Controller('api/v1/progress')
export class ProgressController {
  constructor(
    @Inject(ProgressService) private readonly progress: ProgressService,
    @Inject(EnrolmentService) private readonly enrolments: EnrolmentService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Post('enrolments')
  @ApiOperation({
    summary: 'Enrol in a published course (201; 200 with the existing enrolment if already in it)',
  })
  @ApiCreatedResponse({ type: EnrolmentResponse, description: 'Enrolled now' })
  @ApiOkResponse({ type: EnrolmentResponse, description: 'Already enrolled: the existing enrolment' })
  @ApiErrors({ 404: [LearningErrorCode.CourseNotFound], 409: [LearningErrorCode.CourseNotAvailable] })
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
  @ApiErrors({ 404: [LearningErrorCode.LessonNotFound] })
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
  @ApiErrors(EVENT_ERRORS)
  async event(
    // Checked by the service, the same way as an event inside a sync batch (not twice).
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() who: Principal,
  ): Promise<EventResultResponse> {
    const { receipts, completions, lessons } = await this.progress.record(who.userId, [body]);
    const receipt = receipts[0];
    if (receipt.status === 'rejected') {
      throw new LearningError(receipt.code!, receipt.message!, receipt.details);
    }
    const { lesson, state } = [...lessons.values()][0];
    return {
      receipt,
      lesson: lessonProgressResponse(lesson, state, this.config.learning.videoCompletionShare),
      completedCourses: completions.map(completionResponse),
    };
  }

  @Post('courses/:courseId/enrolments')
  @Roles('trainer', 'coordinator', 'admin')
  @ApiOperation({
    summary:
      'Enrol learners by phone number or user id, each answered on its own (course owner, admins; coordinators for learners of their area)',
  })
  @ApiCreatedResponse({ type: EnrolLearnersResponse })
  @ApiErrors({ 404: [LearningErrorCode.CourseNotFound], 409: [LearningErrorCode.CourseNotAvailable] })
  enrolLearners(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Body() dto: EnrolLearnersDto,
    @CurrentPrincipal() who: Principal,
  ): Promise<EnrolLearnersResponse> {
    return this.enrolments.enrolLearners(who, courseId, dto.learners);
  }
}

/** Offline progress: a batch of events in any order, answered with a receipt per event. */
@ApiTags('learning')
@BodyLimit(BODY_LIMITS.sync)
@Authenticated()
@Controller('api/v1/sync')
export class SyncController {
  constructor(@Inject(ProgressService) private readonly progress: ProgressService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send events recorded offline; replaying a batch changes nothing',
    description:
      'Each event carries a client-made id (unique per learner). A 200 answers every event with a receipt: ' +
      '`accepted` and `duplicate` are stored (forget them), `rejected` will never be (forget them too). ' +
      'Any other answer acknowledges nothing: keep every event and send the batch again — after ' +
      '`Retry-After` on a 503 or 429, with half the events on a 413. Re-sending an event that was in ' +
      'fact stored is answered `duplicate`.',
  })
  @ApiOkResponse({ type: SyncReceiptResponse })
  @ApiBody({ type: SyncBatchDto })
  @ApiErrors({ 413: [LearningErrorCode.SyncBatchTooLarge] })
  async sync(
    // Not through the global ValidationPipe: copying and sanitising a 500-event body cost more
    // than checking it. Each event is checked by the service.
    @Body() body: Record<string, unknown> | null,
    @CurrentPrincipal() who: Principal,
  ): Promise<SyncReceiptResponse> {
    const events = body?.events;
    if (!Array.isArray(events)) {
      throw new LearningError(CommonErrorCode.ValidationFailed, 'events must be an array of events');
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

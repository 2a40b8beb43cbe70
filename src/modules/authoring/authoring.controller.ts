import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseEnumPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { CommonErrorCode } from '../../infrastructure/errors/domain-error.js';
import { CONTENT_LOCALE_ENUM } from '../../infrastructure/i18n/locales.js';
import { CatalogErrorCode } from '../catalog/catalog.errors.js';
import { CurrentPrincipal, Roles } from '../../infrastructure/auth/auth.decorators.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { MediaErrorCode } from '../media/media.errors.js';
import { AuthoringErrorCode as Code } from './authoring.errors.js';
import { AuthoringService } from './authoring.service.js';
import { courseResponse, historyEntry, versionResponse } from './authoring.views.js';
import {
  AttachMediaDto,
  AuthoringCourseResponse,
  AuthoringVersionResponse,
  CreateCourseDto,
  CreateLessonDto,
  RejectDto,
  ReviewDecisionResponse,
  ReorderLessonsDto,
  TranslationMatrixResponse,
  UpdateDraftDto,
  UpdateLessonDto,
  VersionInReviewEntry,
} from './dto/authoring.dto.js';
import { BODY_LIMITS, BodyLimit } from '../../infrastructure/http/body-intake.js';
import { ParsePositiveIntPipe } from '../../infrastructure/http/input-rules.js';

/** What the service checks before acting on a course, its draft, a lesson of the draft. */
const COURSE_ERRORS = { 403: [Code.NotOwner], 404: [CatalogErrorCode.CourseNotFound] };
const DRAFT_ERRORS = { ...COURSE_ERRORS, 409: [Code.NoDraft, Code.VersionLocked] };
const LESSON_ERRORS = { ...DRAFT_ERRORS, 404: [CatalogErrorCode.CourseNotFound, Code.LessonNotFound] };
const REVIEW_ERRORS = {
  403: [Code.FourEyes, CommonErrorCode.Forbidden],
  404: [CatalogErrorCode.CourseNotFound],
  409: [Code.NotInReview, Code.Conflict],
};

/** Trainers author their courses; admins can act on all; publishing needs a second person. */
@ApiTags('authoring')
@Roles('trainer', 'admin')
@BodyLimit(BODY_LIMITS.content)
@Controller('api/v1/authoring')
export class AuthoringController {
  constructor(@Inject(AuthoringService) private readonly authoring: AuthoringService) {}

  private async view(courseId: string, version: number, who: Principal) {
    const { course, version: v, lessons } = await this.authoring.readableVersion(courseId, version, who);
    return versionResponse(course, v, lessons);
  }

  @Get('courses')
  @ApiOperation({ summary: 'My courses (admins: all) with their version history' })
  @ApiOkResponse({ type: [AuthoringCourseResponse] })
  async list(@CurrentPrincipal() who: Principal): Promise<AuthoringCourseResponse[]> {
    return (await this.authoring.listMine(who)).map(({ course, latest }) => courseResponse(course, [latest]));
  }

  @Post('courses')
  @ApiOperation({ summary: 'Create a course with its first draft version' })
  @ApiCreatedResponse({ type: AuthoringVersionResponse })
  @ApiErrors({ 400: [Code.UnknownLearnerGroup], 409: [Code.SlugTaken] })
  async create(
    @Body() dto: CreateCourseDto,
    @CurrentPrincipal() who: Principal,
  ): Promise<AuthoringVersionResponse> {
    const { course, version } = await this.authoring.createCourse(dto, who);
    return versionResponse(course, version, []);
  }

  @Get('courses/:courseId')
  @ApiOperation({ summary: 'A course and its version history (owner or admin)' })
  @ApiOkResponse({ type: AuthoringCourseResponse })
  @ApiErrors(COURSE_ERRORS)
  async history(@Param('courseId', ParseUUIDPipe) courseId: string, @CurrentPrincipal() who: Principal) {
    const { course, versions } = await this.authoring.history(courseId, who);
    return courseResponse(course, versions);
  }

  @Get('courses/:courseId/versions/:version')
  @ApiOperation({
    summary:
      'One version with full lesson content, answer keys included (owner, admin, or reviewer while in review)',
  })
  @ApiOkResponse({ type: AuthoringVersionResponse })
  @ApiErrors({ ...COURSE_ERRORS, 404: [CatalogErrorCode.CourseNotFound, Code.VersionNotFound] })
  version(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('version', ParsePositiveIntPipe) version: number,
    @CurrentPrincipal() who: Principal,
  ): Promise<AuthoringVersionResponse> {
    return this.view(courseId, version, who);
  }

  @Get('courses/:courseId/versions/:version/translations')
  @ApiOperation({ summary: 'Translation completeness: lesson × language × field' })
  @ApiOkResponse({ type: TranslationMatrixResponse })
  @ApiErrors({ ...COURSE_ERRORS, 404: [CatalogErrorCode.CourseNotFound, Code.VersionNotFound] })
  translations(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('version', ParsePositiveIntPipe) version: number,
    @CurrentPrincipal() who: Principal,
  ): Promise<TranslationMatrixResponse> {
    return this.authoring.translationMatrix(courseId, version, who);
  }

  @Patch('courses/:courseId/draft')
  @ApiOperation({ summary: 'Edit the draft: topic, learner groups, title and summary per language' })
  @ApiOkResponse({ type: AuthoringVersionResponse })
  @ApiErrors({ ...DRAFT_ERRORS, 400: [Code.UnknownLearnerGroup] })
  async updateDraft(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Body() dto: UpdateDraftDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.view(courseId, await this.authoring.updateDraft(courseId, dto, who), who);
  }

  @Delete('courses/:courseId/draft')
  @HttpCode(204)
  @ApiOperation({ summary: 'Discard the draft (a never-published course goes with it)' })
  @ApiNoContentResponse()
  @ApiErrors(DRAFT_ERRORS)
  async discard(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @CurrentPrincipal() who: Principal,
  ): Promise<void> {
    await this.authoring.discardDraft(courseId, who);
  }

  @Post('courses/:courseId/draft/lessons')
  @ApiOperation({ summary: 'Add a lesson (video, quiz or guide) at the end of the draft' })
  @ApiCreatedResponse({ type: AuthoringVersionResponse })
  @ApiErrors({ ...DRAFT_ERRORS, 400: [CatalogErrorCode.InvalidLessonContent] })
  async addLesson(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Body() dto: CreateLessonDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.view(courseId, await this.authoring.addLesson(courseId, dto, who), who);
  }

  @Patch('courses/:courseId/draft/lessons/:lessonKey')
  @ApiOperation({ summary: 'Edit a lesson of the draft (texts per language, content)' })
  @ApiOkResponse({ type: AuthoringVersionResponse })
  @ApiErrors({ ...LESSON_ERRORS, 400: [CatalogErrorCode.InvalidLessonContent] })
  async updateLesson(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('lessonKey', ParseUUIDPipe) lessonKey: string,
    @Body() dto: UpdateLessonDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.view(courseId, await this.authoring.updateLesson(courseId, lessonKey, dto, who), who);
  }

  @Delete('courses/:courseId/draft/lessons/:lessonKey')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a lesson from the draft' })
  @ApiNoContentResponse()
  @ApiErrors(LESSON_ERRORS)
  async removeLesson(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('lessonKey', ParseUUIDPipe) lessonKey: string,
    @CurrentPrincipal() who: Principal,
  ): Promise<void> {
    await this.authoring.removeLesson(courseId, lessonKey, who);
  }

  @Put('courses/:courseId/draft/lessons/:lessonKey/subtitles/:locale')
  @ApiOperation({
    summary: 'Upload WebVTT subtitles of a video lesson for one language (a parse error names the line)',
  })
  @ApiConsumes('text/vtt')
  @ApiBody({
    schema: { type: 'string', example: 'WEBVTT\n\n00:00.000 --> 00:03.000\nThem nqi hluav taws xob' },
  })
  @ApiOkResponse({ type: AuthoringVersionResponse })
  @ApiErrors({ ...LESSON_ERRORS, 400: [Code.NotAVideo, Code.InvalidSubtitles] })
  async putSubtitles(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('lessonKey', ParseUUIDPipe) lessonKey: string,
    @Param('locale', new ParseEnumPipe(CONTENT_LOCALE_ENUM)) locale: string,
    @Body() vtt: string,
    @CurrentPrincipal() who: Principal,
  ) {
    if (typeof vtt !== 'string') throw new BadRequestException('Send the subtitles as text/vtt.');
    return this.view(courseId, await this.authoring.putSubtitles(courseId, lessonKey, locale, vtt, who), who);
  }

  @Put('courses/:courseId/draft/lessons/:lessonKey/media/:locale')
  @ApiOperation({
    summary: 'Attach an uploaded video (see /api/v1/media) to a video lesson for one language',
  })
  @ApiOkResponse({ type: AuthoringVersionResponse })
  @ApiErrors({
    ...LESSON_ERRORS,
    400: [Code.NotAVideo, MediaErrorCode.WrongKind],
    404: [...LESSON_ERRORS[404], MediaErrorCode.NotFound],
    409: [...LESSON_ERRORS[409], MediaErrorCode.NotUploadedYet],
  })
  async attachMedia(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('lessonKey', ParseUUIDPipe) lessonKey: string,
    @Param('locale', new ParseEnumPipe(CONTENT_LOCALE_ENUM)) locale: string,
    @Body() dto: AttachMediaDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.view(
      courseId,
      await this.authoring.attachMedia(courseId, lessonKey, locale, dto.mediaId, who),
      who,
    );
  }

  @Delete('courses/:courseId/draft/lessons/:lessonKey/media/:locale')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove the video of one language from a draft video lesson' })
  @ApiNoContentResponse()
  @ApiErrors(LESSON_ERRORS)
  async detachMedia(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('lessonKey', ParseUUIDPipe) lessonKey: string,
    @Param('locale', new ParseEnumPipe(CONTENT_LOCALE_ENUM)) locale: string,
    @CurrentPrincipal() who: Principal,
  ): Promise<void> {
    await this.authoring.detachMedia(courseId, lessonKey, locale, who);
  }

  @Delete('courses/:courseId/draft/lessons/:lessonKey/subtitles/:locale')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove the subtitles of one language from a draft video lesson' })
  @ApiNoContentResponse()
  @ApiErrors(LESSON_ERRORS)
  async removeSubtitles(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('lessonKey', ParseUUIDPipe) lessonKey: string,
    @Param('locale', new ParseEnumPipe(CONTENT_LOCALE_ENUM)) locale: string,
    @CurrentPrincipal() who: Principal,
  ): Promise<void> {
    await this.authoring.removeSubtitles(courseId, lessonKey, locale, who);
  }

  @Put('courses/:courseId/draft/lesson-order')
  @ApiOperation({ summary: 'Reorder the lessons of the draft' })
  @ApiOkResponse({ type: AuthoringVersionResponse })
  @ApiErrors({ ...DRAFT_ERRORS, 400: [Code.BadLessonOrder] })
  async reorder(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Body() dto: ReorderLessonsDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.view(courseId, await this.authoring.reorderLessons(courseId, dto.lessonKeys, who), who);
  }

  @Post('courses/:courseId/draft/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit the draft for review' })
  @ApiOkResponse({ type: AuthoringVersionResponse })
  @ApiErrors({
    ...DRAFT_ERRORS,
    400: [Code.EmptyCourse],
    409: [...DRAFT_ERRORS[409], Code.MediaNotUsable, Code.Conflict],
  })
  async submit(@Param('courseId', ParseUUIDPipe) courseId: string, @CurrentPrincipal() who: Principal) {
    return this.view(courseId, await this.authoring.submit(courseId, who), who);
  }

  @Post('courses/:courseId/drafts')
  @ApiOperation({
    summary: 'Start a new draft version from the published one (published versions never change)',
  })
  @ApiCreatedResponse({ type: AuthoringVersionResponse })
  @ApiErrors({ ...COURSE_ERRORS, 409: [Code.DraftExists, Code.NothingPublished] })
  async newDraft(@Param('courseId', ParseUUIDPipe) courseId: string, @CurrentPrincipal() who: Principal) {
    const draft = await this.authoring.startNewDraft(courseId, who);
    return this.view(courseId, draft.version, who);
  }

  @Post('courses/:courseId/review/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take a version back from review to keep editing (owner or admin)' })
  @ApiOkResponse({ type: AuthoringVersionResponse })
  @ApiErrors({ ...COURSE_ERRORS, 409: [Code.NotInReview, Code.Conflict] })
  async withdraw(@Param('courseId', ParseUUIDPipe) courseId: string, @CurrentPrincipal() who: Principal) {
    return this.view(courseId, await this.authoring.withdraw(courseId, who), who);
  }

  @Post('courses/:courseId/review/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send the version back to its author with a reason (second person)' })
  @ApiOkResponse({ type: ReviewDecisionResponse })
  @ApiErrors(REVIEW_ERRORS)
  async reject(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Body() dto: RejectDto,
    @CurrentPrincipal() who: Principal,
  ): Promise<ReviewDecisionResponse> {
    return { courseId, version: await this.authoring.reject(courseId, dto.reason, who), status: 'draft' };
  }

  @Post('courses/:courseId/review/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish the version in review (a second person: another trainer or an admin)' })
  @ApiOkResponse({ type: ReviewDecisionResponse })
  @ApiErrors(REVIEW_ERRORS)
  async publish(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @CurrentPrincipal() who: Principal,
  ): Promise<ReviewDecisionResponse> {
    return { courseId, version: await this.authoring.publish(courseId, who), status: 'published' };
  }

  @Post('courses/:courseId/archive')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive: hidden from the catalog, nothing deleted (owner or admin)' })
  @ApiNoContentResponse()
  @ApiErrors(COURSE_ERRORS)
  async archive(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @CurrentPrincipal() who: Principal,
  ): Promise<void> {
    await this.authoring.setArchived(courseId, true, who);
  }

  @Post('courses/:courseId/unarchive')
  @HttpCode(204)
  @ApiOperation({ summary: 'Bring an archived course back to the catalog' })
  @ApiNoContentResponse()
  @ApiErrors(COURSE_ERRORS)
  async unarchive(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @CurrentPrincipal() who: Principal,
  ): Promise<void> {
    await this.authoring.setArchived(courseId, false, who);
  }

  @Get('review-queue')
  @ApiOperation({ summary: 'Versions waiting for review by someone other than me' })
  @ApiOkResponse({ type: [VersionInReviewEntry] })
  async queue(@CurrentPrincipal() who: Principal) {
    return (await this.authoring.reviewQueue(who)).map((v) => ({ courseId: v.courseId, ...historyEntry(v) }));
  }
}

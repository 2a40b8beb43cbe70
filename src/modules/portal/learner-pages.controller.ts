import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { DomainError } from '../../infrastructure/http/domain-error.js';
import { hasMessage } from '../../infrastructure/i18n/messages.js';
import { NormalizedText } from '../../infrastructure/http/text.js';
import { CourseCatalogService } from '../catalog/course-catalog.service.js';
import type { LessonDetailResponse } from '../catalog/dto/course.dto.js';
import { COURSE_TOPICS } from '../catalog/entities/course-version.entity.js';
import { Authenticated, Public } from '../identity/auth.decorators.js';
import { EnrolmentService } from '../learning/enrolment.service.js';
import { lessonProgressResponse } from '../learning/lesson-progress.view.js';
import { ProgressService, type EventReceipt } from '../learning/progress.service.js';
import type { QuizAnswer } from '../learning/quiz-grading.js';
import { PortalView, errorMessage, type PortalContext } from './portal-view.js';
import { PortalForm } from './portal-form.js';

class CatalogPageQuery {
  @IsOptional() @NormalizedText() @IsString() @Length(0, 100) q?: string;
  @IsOptional() @IsIn(['', ...COURSE_TOPICS]) topic?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) page?: number;
  @IsOptional() @IsString() lang?: string;
  @IsOptional() @IsString() notice?: string;
}

const PAGE_SIZE = 12;
/** A rendition at or under this bitrate is the default where the browser says nothing about its link. */
const DEFAULT_MAX_KBPS = 600;

/** What learners see: the catalog, a course, its lessons (video, guide, quiz) and their own learning. */
@ApiExcludeController()
@Controller()
export class LearnerPagesController {
  constructor(
    @Inject(PortalView) private readonly view: PortalView,
    @Inject(CourseCatalogService) private readonly catalog: CourseCatalogService,
    @Inject(EnrolmentService) private readonly enrolments: EnrolmentService,
    @Inject(ProgressService) private readonly progress: ProgressService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Accent-insensitive search in every language ("thanh toan" finds "thanh toán"). */
  @Get('/courses')
  @Public()
  async courses(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: CatalogPageQuery) {
    const ctx = await this.view.context(req, reply);
    const page = query.page ?? 1;
    const result = await this.catalog.list({
      q: query.q || undefined,
      topic: query.topic || undefined,
      lang: ctx.chain.join(','),
      page,
      pageSize: PAGE_SIZE,
    });
    const pages = Math.max(1, Math.ceil(result.meta.total / PAGE_SIZE));
    const link = (p: number) =>
      `/courses?${new URLSearchParams({ q: query.q ?? '', topic: query.topic ?? '', page: String(p) })}`;
    return this.view.render(
      ctx,
      'courses',
      {
        q: query.q ?? '',
        topics: COURSE_TOPICS.map((code) => ({ code, selected: code === query.topic })),
        courses: result.items,
        total: result.meta.total,
        previous: page > 1 ? link(page - 1) : null,
        next: page < pages ? link(page + 1) : null,
        page,
        pages,
      },
      { title: ctx.t('nav.courses') },
    );
  }

  @Get('/courses/:idOrSlug')
  @Public()
  async course(@Param('idOrSlug') idOrSlug: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.view.context(req, reply);
    const course = await this.catalog.detail(idOrSlug, ctx.chain.join(','));
    const mine = ctx.user ? await this.myCourse(ctx, course.id) : null;
    const statuses = ctx.user
      ? await this.progress.statusesOf(
          ctx.user.id,
          course.lessons.map((l) => l.lessonKey),
        )
      : new Map<string, string>();
    return this.view.render(
      ctx,
      'course',
      {
        course,
        lessons: course.lessons.map((l) => ({ ...l, done: statuses.get(l.lessonKey) === 'completed' })),
        mine,
        firstLesson: mine?.nextLesson?.id ?? course.lessons[0]?.id,
      },
      { title: course.title.text },
    );
  }

  private async myCourse(ctx: PortalContext, courseId: string) {
    const learning = await this.enrolments.myLearning(ctx.user!.id, ctx.chain.join(','));
    return [...learning.inProgress, ...learning.completed].find((c) => c.courseId === courseId) ?? null;
  }

  @Post('/courses/:courseId/enrol')
  @Authenticated()
  async enrol(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() _form: PortalForm,
  ) {
    const ctx = await this.view.context(req, reply);
    await this.enrolments.enrolSelf(ctx.user!.id, courseId);
    return reply.redirect(`/courses/${courseId}?notice=enrolled`, 303);
  }

  @Get('/lessons/:id')
  @Public()
  async lesson(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const ctx = await this.view.context(req, reply);
    return this.renderLesson(ctx, id);
  }

  private async renderLesson(
    ctx: PortalContext,
    id: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const lang = ctx.chain.join(',');
    const lesson = await this.catalog.lesson(id, lang);
    const course = await this.catalog.detail(lesson.courseId, lang).catch(() => null);
    const progress = ctx.user ? await this.progress.lessonProgress(ctx.user.id, id) : null;
    const summary =
      progress &&
      lessonProgressResponse(progress.lesson, progress.state, this.config.learning.videoCompletionShare);
    // Navigation within the version the lesson belongs to (the published one, or the learner's older one).
    const siblings = course?.version === lesson.courseVersion ? course.lessons : [];
    const at = siblings.findIndex((l) => l.id === id);
    const video = lesson.kind === 'video' ? this.videoModel(ctx, lesson) : null;
    return this.view.render(
      ctx,
      'lesson',
      {
        lesson,
        course,
        progress: summary,
        video,
        guide: lesson.kind === 'guide' ? this.guideModel(lesson, summary?.guide?.stepsDone ?? []) : null,
        quiz: lesson.kind === 'quiz' ? { ...lesson.content, attemptId: randomUUID() } : null,
        previous: at > 0 ? siblings[at - 1] : null,
        next: at >= 0 && at < siblings.length - 1 ? siblings[at + 1] : null,
        position: at >= 0 ? { n: at + 1, of: siblings.length } : null,
        ...extra,
      },
      {
        title: lesson.title.text,
        status,
        scripts: video?.playable ? ['/assets/player.js'] : [],
      },
    );
  }

  /**
   * Renditions with their size, lowest first. The server picks the lowest when the browser sends
   * Save-Data; the player script does the same for a slow connection it can see.
   */
  private videoModel(ctx: PortalContext, lesson: LessonDetailResponse) {
    const v = lesson.video;
    if (!v || v.status !== 'ready' || !v.download) return { playable: false, video: v };
    const saveData = String(ctx.req.headers['save-data'] ?? '').toLowerCase() === 'on';
    const rungs = v.renditions.filter((r) => r.kind === 'video');
    const preferred = saveData
      ? rungs[0]
      : ([...rungs].reverse().find((r) => r.bitrateKbps <= DEFAULT_MAX_KBPS) ?? rungs[0]);
    return {
      playable: true,
      video: v,
      saveData,
      renditions: v.renditions.map((r) => ({ ...r, selected: r.name === preferred?.name })),
      lowest: rungs[0]?.name,
      subtitles: lesson.subtitles,
    };
  }

  private guideModel(lesson: LessonDetailResponse, done: string[]) {
    const steps = (lesson.content.steps ?? []) as { id: string }[];
    return { steps: steps.map((s, i) => ({ ...s, n: i + 1, done: done.includes(s.id) })) };
  }

  /** A guide step marked done by a plain form. */
  @Post('/lessons/:id/steps/:stepId')
  @Authenticated()
  async step(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('stepId', ParseUUIDPipe) stepId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() _form: PortalForm,
  ) {
    const ctx = await this.view.context(req, reply);
    const refused = await this.recordOne(ctx, { type: 'guide.step', lessonId: id, stepId });
    if (refused) return this.renderLesson(ctx, id, { error: refused.message }, refused.status);
    return reply.redirect(`/lessons/${id}#step-${stepId}`, 303);
  }

  /** The quiz result's address, opened again later (a bookmark, a restored tab): back to the lesson. */
  @Get('/lessons/:id/quiz')
  @Public()
  quizResultAgain(@Param('id', ParseUUIDPipe) id: string, @Res() reply: FastifyReply) {
    return reply.redirect(`/lessons/${id}`, 303);
  }

  /**
   * A quiz as a plain form, graded on the server. The attempt id comes from the page, so sending
   * the same form twice (a retry on a weak connection) counts once.
   */
  @Post('/lessons/:id/quiz')
  @Authenticated()
  async quiz(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    // Field names depend on the questions (q_<questionId>), so the body is read by quizAnswers.
    @Body() body: Record<string, unknown>,
  ) {
    const ctx = await this.view.context(req, reply);
    const lesson = await this.catalog.lesson(id, ctx.chain.join(','));
    if (lesson.kind !== 'quiz') return reply.redirect(`/lessons/${id}`, 303);
    const attemptId = typeof body.attempt === 'string' ? body.attempt : randomUUID();
    const answers = quizAnswers(lesson, body);
    const { receipts } = await this.progress.record(ctx.user!.id, [
      { id: attemptId, type: 'quiz.attempt', lessonId: id, at: new Date().toISOString(), answers },
    ]);
    const receipt = receipts[0];
    if (receipt.status === 'rejected') {
      return this.renderLesson(ctx, id, { error: refusal(ctx, receipt) }, 409);
    }
    // The same attempt again (a retry, or the back button): it was graded once; say so.
    if (receipt.status === 'duplicate' || !receipt.quiz)
      return this.renderLesson(ctx, id, { alreadySent: true });
    const grade = receipt.quiz;
    return this.renderLesson(ctx, id, {
      result: { ...grade, byQuestion: Object.fromEntries(grade.questions.map((q) => [q.questionId, q])) },
    });
  }

  private async recordOne(ctx: PortalContext, event: Record<string, unknown>) {
    try {
      const { receipts } = await this.progress.record(ctx.user!.id, [
        { id: randomUUID(), at: new Date().toISOString(), ...event },
      ]);
      const r = receipts[0];
      return r.status === 'rejected' ? { message: refusal(ctx, r), status: 409 } : null;
    } catch (e) {
      if (!(e instanceof DomainError) || e.statusCode >= 500) throw e;
      return { message: errorMessage(ctx, e), status: e.statusCode };
    }
  }

  @Get('/my/learning')
  @Authenticated()
  async myLearning(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.view.context(req, reply);
    const learning = await this.enrolments.myLearning(ctx.user!.id, ctx.chain.join(','));
    return this.view.render(ctx, 'my-learning', { ...learning }, { title: ctx.t('nav.myLearning') });
  }
}

/** Why an event was refused, in the reader's language when we have the words. */
function refusal(ctx: PortalContext, receipt: EventReceipt): string {
  return hasMessage(`errors.${receipt.code}`)
    ? ctx.t(`errors.${receipt.code}`)
    : (receipt.message ?? ctx.t('errors.status.400'));
}

/**
 * Reads a quiz form: `q_<id>` holds the chosen option(s) or "true"/"false"; ordering questions
 * send `o_<id>_<itemId>` = position. Unknown fields are ignored; the grader checks the rest.
 */
export function quizAnswers(lesson: LessonDetailResponse, body: Record<string, unknown>) {
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
  const questions = (lesson.content.questions ?? []) as {
    id: string;
    type: string;
    items?: { id: string }[];
  }[];
  return questions.flatMap((q): QuizAnswer[] => {
    const value = body[`q_${q.id}`];
    if (q.type === 'single' || q.type === 'multiple') {
      const optionIds = list(value);
      return optionIds.length ? [{ questionId: q.id, optionIds }] : [];
    }
    if (q.type === 'true_false') {
      return value === 'true' || value === 'false' ? [{ questionId: q.id, answer: value === 'true' }] : [];
    }
    const items = q.items ?? [];
    const positions = items.map((i) => ({ id: i.id, at: Number(body[`o_${q.id}_${i.id}`]) }));
    if (positions.some((p) => !Number.isInteger(p.at))) return [];
    return [{ questionId: q.id, order: positions.sort((a, b) => a.at - b.at).map((p) => p.id) }];
  });
}

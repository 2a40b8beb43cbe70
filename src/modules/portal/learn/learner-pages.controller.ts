import { Body, Get, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { IsIn, IsInt, IsString, isUUID, Length, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../../infrastructure/config/app-config.js';
import { httpStatusOf } from '../../../infrastructure/errors/domain-error.js';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { hasMessage } from '../../../infrastructure/i18n/messages.js';
import { NormalizedText } from '../../../infrastructure/http/text.js';
import { CourseCatalogService } from '../../catalog/course-catalog.service.js';
import { COURSE_TOPICS } from '../../catalog/catalog.types.js';
import { Authenticated, Public } from '../../../infrastructure/auth/auth.decorators.js';
import { EnrolmentService } from '../../learning/enrolment.service.js';
import { lessonProgressResponse } from '../../learning/learning.views.js';
import { ProgressService, type EventReceipt } from '../../learning/progress.service.js';
import { lessonKind } from '../../lesson-kinds/lesson-kinds.js';
import { type PortalPage } from '../shell/portal-view.js';
import { Page, PortalPages } from '../shell/page.js';
import { PortalForm } from '../shell/portal-form.js';

class CatalogPageQuery {
  @Optional() @NormalizedText() @IsString() @Length(0, 100) q?: string;
  @Optional() @IsIn(['', ...COURSE_TOPICS]) topic?: string;
  @Optional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) page?: number;
  @Optional() @IsString() lang?: string;
  @Optional() @IsString() notice?: string;
}

const PAGE_SIZE = 12;

/** What learners see: the catalog, a course, its lessons (video, guide, quiz) and their own learning. */
@PortalPages('learn')
export class LearnerPagesController {
  constructor(
    @Inject(CourseCatalogService) private readonly catalog: CourseCatalogService,
    @Inject(EnrolmentService) private readonly enrolments: EnrolmentService,
    @Inject(ProgressService) private readonly progress: ProgressService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Accent-insensitive search in every language ("thanh toan" finds "thanh toán"). */
  @Get('/courses')
  @Public()
  async courses(@Page() page: PortalPage, @Query() query: CatalogPageQuery) {
    const at = query.page ?? 1;
    const result = await this.catalog.list({
      q: query.q || undefined,
      topic: query.topic || undefined,
      lang: page.chain.join(','),
      page: at,
      pageSize: PAGE_SIZE,
    });
    const pages = Math.max(1, Math.ceil(result.meta.total / PAGE_SIZE));
    const link = (p: number) =>
      `/courses?${new URLSearchParams({ q: query.q ?? '', topic: query.topic ?? '', page: String(p) })}`;
    return page.render(
      'courses',
      {
        q: query.q ?? '',
        topics: COURSE_TOPICS.map((code) => ({ code, selected: code === query.topic })),
        courses: result.items,
        total: result.meta.total,
        previous: at > 1 ? link(at - 1) : null,
        next: at < pages ? link(at + 1) : null,
        page: at,
        pages,
      },
      { title: page.t('nav.courses') },
    );
  }

  @Get('/courses/:idOrSlug')
  @Public()
  async course(@Param('idOrSlug') idOrSlug: string, @Page() page: PortalPage) {
    const course = await this.catalog.detail(idOrSlug, page.chain.join(','));
    const mine = page.user ? await this.myCourse(page, course.id) : null;
    const statuses = page.user
      ? await this.progress.statusesOf(
          page.user.id,
          course.lessons.map((l) => l.lessonKey),
        )
      : new Map<string, string>();
    return page.render(
      'course',
      {
        course,
        lessons: course.lessons.map((l) => ({ ...l, done: statuses.get(l.lessonKey) === 'completed' })),
        mine,
        firstLesson: mine?.nextLesson?.id ?? course.lessons[0]?.id,
      },
      {
        title: course.title.text,
        scripts: course.summaryVoice ? ['/assets/speak.js'] : [],
      },
    );
  }

  private async myCourse(page: PortalPage, courseId: string) {
    const learning = await this.enrolments.myLearning(page.user!.id, page.chain.join(','));
    return [...learning.inProgress, ...learning.completed].find((c) => c.courseId === courseId) ?? null;
  }

  @Post('/courses/:courseId/enrol')
  @Authenticated()
  async enrol(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Page() page: PortalPage,
    @Body() _form: PortalForm,
  ) {
    await this.enrolments.enrolSelf(page.user!.id, courseId);
    return page.redirect(`/courses/${courseId}?notice=enrolled`);
  }

  @Get('/lessons/:id')
  @Public()
  async lesson(@Param('id', ParseUUIDPipe) id: string, @Page() page: PortalPage) {
    return this.renderLesson(page, id);
  }

  private async renderLesson(
    page: PortalPage,
    id: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const lang = page.chain.join(',');
    const lesson = await this.catalog.lesson(id, lang);
    const course = await this.catalog.detail(lesson.courseId, lang).catch(() => null);
    const progress = page.user ? await this.progress.lessonProgress(page.user.id, id) : null;
    const summary =
      progress &&
      lessonProgressResponse(progress.lesson, progress.state, this.config.learning.videoCompletionShare);
    // Navigation within the version the lesson belongs to (the published one, or the learner's older one).
    const siblings = course?.version === lesson.courseVersion ? course.lessons : [];
    const at = siblings.findIndex((l) => l.id === id);
    const kind = lessonKind(lesson.kind).portal;
    const saveData = String(page.req.headers['save-data'] ?? '').toLowerCase() === 'on';
    const model = kind.learnModel(lesson, summary, { saveData });
    // Recordings and pictures go into "save for offline" too, their sizes told apart.
    const files = lesson.offlineFiles;
    const bytesOf = (k: string) => files.filter((f) => f.kind === k).reduce((n, f) => n + f.bytes, 0);
    const offline = {
      urls: files.map((f) => f.url).join(' '),
      bytes: bytesOf('audio') + bytesOf('picture'),
      audioBytes: bytesOf('audio'),
      pictureBytes: bytesOf('picture'),
    };
    // Recordings are played by speak.js: the lesson's own, or a graded attempt's feedback.
    const speaks = files.some((f) => f.kind === 'audio') || 'result' in extra;
    return page.render(
      'lesson',
      {
        lesson,
        course,
        progress: summary,
        ...model,
        offline,
        kindPartial: `kind-${lesson.kind}-learn`,
        attemptId: randomUUID(),
        previous: at > 0 ? siblings[at - 1] : null,
        next: at >= 0 && at < siblings.length - 1 ? siblings[at + 1] : null,
        position: at >= 0 ? { n: at + 1, of: siblings.length } : null,
        ...extra,
      },
      {
        title: lesson.title.text,
        status,
        scripts: [...(kind.scripts?.(model) ?? []), ...(speaks ? ['/assets/speak.js'] : [])],
      },
    );
  }

  /**
   * A lesson's form (a guide step done, a quiz's answers…), read by its kind and recorded like any
   * event. The page's attempt id makes sending the same form twice (a retry on a weak connection)
   * count once.
   */
  @Post('/lessons/:id/progress')
  @Authenticated()
  async lessonForm(
    @Param('id', ParseUUIDPipe) id: string,
    @Page() page: PortalPage,
    // Field names depend on the kind and the lesson (a quiz's q_<questionId>): the kind reads them.
    @Body() form: Record<string, unknown>,
  ) {
    const lesson = await this.catalog.lesson(id, page.chain.join(','));
    // A refusal of the whole request (not of the event) is shown on the lesson too.
    page.onRefusal((r) => this.renderLesson(page, id, { error: r.message }, r.status));
    const kind = lessonKind(lesson.kind);
    const read = kind.portal.eventFromForm?.(lesson, form);
    if (!read) return page.redirect(`/lessons/${id}`);
    const eventId = isUUID(form.attempt) ? (form.attempt as string) : randomUUID();
    const { receipts } = await this.progress.record(page.user!.id, [
      { ...read.event, id: eventId, type: kind.eventType, lessonId: id, at: new Date().toISOString() },
    ]);
    const receipt = receipts[0];
    if (receipt.status === 'rejected') {
      // The status the API's online route gives the same refusal (every kind's codes are declared).
      const status = Math.min(httpStatusOf(receipt.code!), 409);
      return this.renderLesson(page, id, { error: refusal(page, receipt) }, status);
    }
    if (kind.portal.afterForm) {
      const added = receipt[lesson.kind] as Record<string, unknown> | undefined;
      const shown = kind.portal.afterForm(added, receipt.status === 'duplicate');
      return this.renderLesson(page, id, shown);
    }
    return page.redirect(`/lessons/${id}${read.anchor ? `#${read.anchor}` : ''}`);
  }

  /** The form's earlier address, kept for pages saved offline: a guide step marked done. */
  @Post('/lessons/:id/steps/:stepId')
  @Authenticated()
  step(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('stepId', ParseUUIDPipe) stepId: string,
    @Page() page: PortalPage,
    @Body() form: Record<string, unknown>,
  ) {
    return this.lessonForm(id, page, { ...form, stepId });
  }

  /** The form's earlier address, kept for pages saved offline: a quiz's answers. */
  @Post('/lessons/:id/quiz')
  @Authenticated()
  quiz(
    @Param('id', ParseUUIDPipe) id: string,
    @Page() page: PortalPage,
    @Body() form: Record<string, unknown>,
  ) {
    return this.lessonForm(id, page, form);
  }

  /** A result's address opened again later (a bookmark, a restored tab): back to the lesson. */
  @Get(['/lessons/:id/quiz', '/lessons/:id/progress'])
  @Public()
  formAgain(@Param('id', ParseUUIDPipe) id: string, @Page() page: PortalPage) {
    return page.redirect(`/lessons/${id}`);
  }

  @Get('/my/learning')
  @Authenticated()
  async myLearning(@Page() page: PortalPage) {
    const learning = await this.enrolments.myLearning(page.user!.id, page.chain.join(','));
    return page.render('my-learning', { ...learning }, { title: page.t('nav.myLearning') });
  }
}

/** Why an event was refused, in the reader's language when we have the words. */
function refusal(page: PortalPage, receipt: EventReceipt): string {
  return hasMessage(`errors.${receipt.code}`)
    ? page.t(`errors.${receipt.code}`)
    : (receipt.message ?? page.t('errors.status.400'));
}

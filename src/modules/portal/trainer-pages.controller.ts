import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { CommonError, DomainError } from '../../infrastructure/http/domain-error.js';
import {
  CONTENT_LOCALES,
  localizeText,
  normalizeFallbackChain,
  pickLocalized,
} from '../../infrastructure/i18n/locales.js';
import { hasMessage } from '../../infrastructure/i18n/messages.js';
import { AuthoringErrorCode } from '../authoring/authoring.errors.js';
import { AuthoringService } from '../authoring/authoring.service.js';
import {
  CreateCourseDto,
  CreateLessonDto,
  UpdateDraftDto,
  UpdateLessonDto,
} from '../authoring/dto/authoring.dto.js';
import { COURSE_TOPICS, type CourseVersionEntity } from '../catalog/entities/course-version.entity.js';
import type { LessonEntity, LessonKind } from '../catalog/entities/lesson.entity.js';
import { LearnerGroupsService } from '../catalog/learner-groups.service.js';
import { toLearnerContent } from '../catalog/lesson-content.js';
import { Roles } from '../identity/auth.decorators.js';
import type { Principal } from '../identity/roles.js';
import { playableVideo } from '../media/media-view.js';
import { MediaService } from '../media/media.service.js';
import { LANGUAGE_NAMES } from './portal-handlebars.js';
import { errorMessage, PortalView, type PortalContext } from './portal-view.js';
import {
  contentFromRows,
  CourseFormDto,
  editorModel,
  LessonFormDto,
  list,
  pair,
  rowsFromForm,
  rowsFromLesson,
  secondLanguage,
  SECOND_LANGUAGES,
  validateAs,
  type LessonRows,
  type Problem,
} from './trainer-forms.js';
import { PortalForm } from './portal-form.js';

class MoveLessonForm extends PortalForm {
  @IsIn(['up', 'down']) direction!: 'up' | 'down';
  @IsOptional() @IsString() @MaxLength(8) second?: string;
}

class SubtitlesForm extends PortalForm {
  @IsIn(CONTENT_LOCALES) locale!: string;
  @IsString() @MaxLength(600_000) vtt!: string;
  @IsOptional() @IsString() @MaxLength(8) second?: string;
}

class RejectForm extends PortalForm {
  @IsOptional() @IsString() @MaxLength(4000) reason?: string;
}

class ArchiveForm extends PortalForm {
  @IsIn(['0', '1']) archived!: '0' | '1';
}

const UPLOAD_SCRIPT = '/assets/upload.js';

/** A readable address from a Vietnamese title: "Thanh toán tiền điện" → "thanh-toan-tien-dien-3fa1". */
function slugFrom(title: string): string {
  const base = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
  return `${base.length >= 3 ? base : 'khoa-hoc'}-${randomBytes(2).toString('hex')}`;
}

/** A form field path from the API's DTO rules (`title.vi`) as words for the trainer. */
function problemText(ctx: PortalContext, path: string): string {
  const field = path === 'title.vi' ? 'titleVi' : path.split('.')[0];
  const key = `teach.invalid.${field}`;
  return hasMessage(key) ? ctx.t(key) : ctx.t('teach.invalid.other', { field: path });
}

/**
 * The trainer's side of the portal: their courses, the side-by-side bilingual editor, the
 * translation matrix, video and subtitle upload, a learner's preview, and the four-eyes review.
 * Everything works as plain forms; upload.js only adds the direct-to-storage video upload.
 */
@ApiExcludeController()
@Roles('trainer', 'admin')
@Controller('teach')
export class TrainerPagesController {
  constructor(
    @Inject(PortalView) private readonly view: PortalView,
    @Inject(AuthoringService) private readonly authoring: AuthoringService,
    @Inject(LearnerGroupsService) private readonly groups: LearnerGroupsService,
    @Inject(MediaService) private readonly media: MediaService,
  ) {}

  /** Runs a page; a refusal from the authoring rules becomes a page that says why. */
  private async page(
    req: FastifyRequest,
    reply: FastifyReply,
    work: (ctx: PortalContext, who: Principal) => Promise<unknown>,
  ) {
    const ctx = await this.view.context(req, reply);
    try {
      return await work(ctx, ctx.principal!);
    } catch (e) {
      if (!(e instanceof DomainError) || e.statusCode >= 500) throw e;
      return this.view.render(
        ctx,
        'teach/refused',
        { message: this.refusal(ctx, e), code: e.code },
        { title: ctx.t('teach.refused.title'), status: e.statusCode },
      );
    }
  }

  private refusal(ctx: PortalContext, e: DomainError): string {
    const key = `teach.error.${e.code}`;
    return hasMessage(key) ? ctx.t(key) : errorMessage(ctx, e);
  }

  private problems(ctx: PortalContext, problems: Problem[]): string[] {
    return problems.map((p) => ctx.t(p.key, p.params));
  }

  // --- course list ------------------------------------------------------------

  @Get()
  async index(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.page(req, reply, (ctx) => this.renderIndex(ctx, {}, []));
  }

  private async renderIndex(ctx: PortalContext, form: CourseFormDto, errors: string[], status = 200) {
    const who = ctx.principal!;
    const [mine, queue] = await Promise.all([this.authoring.listMine(who), this.authoring.reviewQueue(who)]);
    return this.view.render(
      ctx,
      'teach/index',
      {
        courses: mine.map(({ course, latest }) => ({
          id: course.id,
          title: localizeText(latest.title, ctx.chain),
          version: latest.version,
          status: ctx.t(`teach.status.${latest.status}`),
          published: !!course.publishedVersionId,
          archived: !!course.archivedAt,
        })),
        queue: queue.map((v) => ({
          courseId: v.courseId,
          version: v.version,
          title: localizeText(v.title, ctx.chain),
          submittedAt: v.submittedAt,
        })),
        form,
        errors,
        topics: this.topics(ctx, form.topic),
        groups: await this.groupChoices(ctx, list(form.learnerGroupIds)),
      },
      { title: ctx.t('teach.title'), status },
    );
  }

  private topics(ctx: PortalContext, selected: string | undefined) {
    return COURSE_TOPICS.map((code) => ({
      code,
      name: ctx.t(`teach.topic.${code}`),
      selected: code === selected,
    }));
  }

  private async groupChoices(ctx: PortalContext, checked: string[]) {
    return (await this.groups.list(false)).map((g) => ({
      id: g.id,
      name: localizeText(g.names, ctx.chain),
      checked: checked.includes(g.id),
    }));
  }

  @Post('courses')
  async create(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() form: CourseFormDto) {
    return this.page(req, reply, async (ctx, who) => {
      const title = pair('vi', form.titleVi, '');
      const { value, problems } = validateAs(CreateCourseDto, {
        slug: form.slug?.trim() || (title.vi ? slugFrom(title.vi) : ''),
        topic: form.topic ?? '',
        learnerGroupIds: list(form.learnerGroupIds),
        title,
        summary: pair('vi', form.summaryVi, ''),
      });
      if (problems.length)
        return this.renderIndex(ctx, form, [...new Set(problems.map((p) => problemText(ctx, p)))], 400);
      try {
        const { course } = await this.authoring.createCourse(value, who);
        return reply.redirect(`/teach/courses/${course.id}?notice=saved`, 303);
      } catch (e) {
        if (!(e instanceof DomainError) || e.statusCode >= 500 || e.statusCode === 403) throw e;
        return this.renderIndex(ctx, form, [this.refusal(ctx, e)], e.statusCode);
      }
    });
  }

  // --- the course editor --------------------------------------------------------

  @Get('courses/:courseId')
  async course(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Query('second') second: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.page(req, reply, (ctx) => this.renderCourse(ctx, courseId, secondLanguage(second)));
  }

  /** The latest version of a course the caller owns (403 for anyone else), with its lessons. */
  private async latest(courseId: string, who: Principal) {
    const { course, versions } = await this.authoring.history(courseId, who);
    const { version, lessons } = await this.authoring.readableVersion(courseId, versions[0].version, who);
    return { course, version, lessons, versions };
  }

  private secondChoices(ctx: PortalContext, path: string, second: string) {
    return SECOND_LANGUAGES.map((code) => ({
      code,
      name: LANGUAGE_NAMES[code],
      href: `${path}?second=${code}`,
      current: code === second,
    }));
  }

  private versionModel(v: CourseVersionEntity, ctx: PortalContext) {
    return {
      number: v.version,
      status: v.status,
      statusLabel: ctx.t(`teach.status.${v.status}`),
      isDraft: v.status === 'draft',
      inReview: v.status === 'in_review',
      isPublished: v.status === 'published',
      reviewNote: v.reviewNote,
    };
  }

  private async renderCourse(
    ctx: PortalContext,
    courseId: string,
    second: string,
    form?: CourseFormDto,
    errors: string[] = [],
    status = 200,
  ) {
    const { course, version, lessons } = await this.latest(courseId, ctx.principal!);
    const values = form ?? {
      topic: version.topic,
      learnerGroupIds: version.learnerGroupIds,
      titleVi: version.title.vi,
      titleSecond: version.title[second] ?? '',
      summaryVi: version.summary.vi ?? '',
      summarySecond: version.summary[second] ?? '',
    };
    const path = `/teach/courses/${course.id}`;
    return this.view.render(
      ctx,
      'teach/course',
      {
        course: { id: course.id, slug: course.slug, archived: !!course.archivedAt },
        title: localizeText(version.title, ctx.chain),
        version: this.versionModel(version, ctx),
        second,
        secondName: LANGUAGE_NAMES[second],
        seconds: this.secondChoices(ctx, path, second),
        values,
        errors,
        topics: this.topics(ctx, values.topic),
        groups: await this.groupChoices(ctx, list(values.learnerGroupIds)),
        lessons: lessons.map((l, i) => ({
          key: l.lessonKey,
          number: i + 1,
          kind: ctx.t(`teach.kind.${l.kind}`),
          titleVi: l.title.vi,
          titleSecond: l.title[second] ?? null,
          first: i === 0,
          last: i === lessons.length - 1,
        })),
        kinds: (['video', 'guide', 'quiz'] as const).map((k) => ({
          code: k,
          name: ctx.t(`teach.kind.${k}`),
        })),
      },
      { title: ctx.t('teach.course.title'), status, wide: true },
    );
  }

  @Post('courses/:courseId')
  async updateCourse(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: CourseFormDto,
  ) {
    return this.page(req, reply, async (ctx, who) => {
      const second = secondLanguage(form.second);
      const { value, problems } = validateAs(UpdateDraftDto, {
        ...(form.topic && { topic: form.topic }),
        learnerGroupIds: list(form.learnerGroupIds),
        title: pair(second, form.titleVi, form.titleSecond),
        summary: pair(second, form.summaryVi, form.summarySecond),
      });
      if (problems.length) {
        // Ownership first: a stranger learns nothing from a validation message.
        await this.authoring.history(courseId, who);
        const messages = [...new Set(problems.map((p) => problemText(ctx, p)))];
        return this.renderCourse(ctx, courseId, second, form, messages, 400);
      }
      // Both columns are the whole truth for their languages: an emptied field removes that text.
      await this.authoring.updateDraft(courseId, value, who, ['vi', second]);
      return reply.redirect(`/teach/courses/${courseId}?second=${second}&notice=saved`, 303);
    });
  }

  @Post('courses/:courseId/submit')
  async submit(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() _form: PortalForm,
  ) {
    return this.page(req, reply, async (_ctx, who) => {
      await this.authoring.submit(courseId, who);
      return reply.redirect(`/teach/courses/${courseId}?notice=submitted`, 303);
    });
  }

  @Post('courses/:courseId/withdraw')
  async withdraw(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() _form: PortalForm,
  ) {
    return this.page(req, reply, async (_ctx, who) => {
      await this.authoring.withdraw(courseId, who);
      return reply.redirect(`/teach/courses/${courseId}?notice=saved`, 303);
    });
  }

  /** Published versions never change: editing starts a new draft copied from the published one. */
  @Post('courses/:courseId/drafts')
  async newDraft(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() _form: PortalForm,
  ) {
    return this.page(req, reply, async (_ctx, who) => {
      await this.authoring.startNewDraft(courseId, who);
      return reply.redirect(`/teach/courses/${courseId}?notice=saved`, 303);
    });
  }

  @Post('courses/:courseId/archive')
  async archive(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: ArchiveForm,
  ) {
    return this.page(req, reply, async (_ctx, who) => {
      await this.authoring.setArchived(courseId, form.archived === '1', who);
      return reply.redirect(`/teach/courses/${courseId}?notice=saved`, 303);
    });
  }

  // --- lessons --------------------------------------------------------------------

  @Get('courses/:courseId/lessons/new')
  async newLesson(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Query('kind') kind: string | undefined,
    @Query('second') second: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.page(req, reply, async (ctx, who) => {
      const lessonKind: LessonKind = kind === 'video' || kind === 'quiz' ? kind : 'guide';
      await this.authoring.history(courseId, who);
      const blank = rowsFromLesson({ title: { vi: '' }, summary: {}, content: {} }, secondLanguage(second));
      return this.renderNewLesson(ctx, courseId, lessonKind, secondLanguage(second), blank);
    });
  }

  private renderNewLesson(
    ctx: PortalContext,
    courseId: string,
    kind: LessonKind,
    second: string,
    rows: LessonRows,
    errors: string[] = [],
    status = 200,
  ) {
    return this.view.render(
      ctx,
      'teach/lesson',
      {
        courseId,
        isNew: true,
        editable: true,
        action: `/teach/courses/${courseId}/lessons`,
        kind,
        kindLabel: ctx.t(`teach.kind.${kind}`),
        isGuide: kind === 'guide',
        isQuiz: kind === 'quiz',
        isVideo: kind === 'video',
        second,
        secondName: LANGUAGE_NAMES[second],
        seconds: this.secondChoices(ctx, `/teach/courses/${courseId}/lessons/new`, second).map((s) => ({
          ...s,
          href: `${s.href}&kind=${kind}`,
        })),
        editor: editorModel(rows),
        errors,
      },
      { title: ctx.t('teach.lesson.newTitle', { kind: ctx.t(`teach.kind.${kind}`) }), status, wide: true },
    );
  }

  @Post('courses/:courseId/lessons')
  async addLesson(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: LessonFormDto,
  ) {
    return this.page(req, reply, async (ctx, who) => {
      await this.authoring.history(courseId, who);
      const second = secondLanguage(form.second);
      const kind = form.kind ?? 'guide';
      const rows = rowsFromForm(form);
      const built = contentFromRows(kind, rows, {}, second);
      const { value, problems } = validateAs(CreateLessonDto, {
        kind,
        title: pair(second, rows.title.vi, rows.title.second),
        summary: pair(second, rows.summary.vi, rows.summary.second),
        content: built.content ?? {},
      });
      const messages = [
        ...problems.filter((p) => !p.startsWith('content')).map((p) => problemText(ctx, p)),
        ...this.problems(ctx, built.problems),
      ];
      if (messages.length)
        return this.renderNewLesson(ctx, courseId, kind, second, rows, [...new Set(messages)], 400);
      try {
        await this.authoring.addLesson(courseId, value, who);
      } catch (e) {
        if (!(e instanceof DomainError) || e.statusCode !== 400) throw e;
        return this.renderNewLesson(ctx, courseId, kind, second, rows, [this.refusal(ctx, e)], 400);
      }
      return reply.redirect(`/teach/courses/${courseId}?second=${second}&notice=saved`, 303);
    });
  }

  private async lessonOf(courseId: string, lessonKey: string, who: Principal) {
    const latest = await this.latest(courseId, who);
    const lesson = latest.lessons.find((l) => l.lessonKey === lessonKey);
    if (!lesson) throw CommonError.notFound('The lesson');
    return { ...latest, lesson };
  }

  @Get('courses/:courseId/lessons/:lessonKey')
  async lesson(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('lessonKey', ParseUUIDPipe) lessonKey: string,
    @Query('second') second: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.page(req, reply, (ctx) =>
      this.renderLesson(ctx, courseId, lessonKey, secondLanguage(second)),
    );
  }

  private async renderLesson(
    ctx: PortalContext,
    courseId: string,
    lessonKey: string,
    second: string,
    rows?: LessonRows,
    errors: string[] = [],
    status = 200,
  ) {
    const { version, lesson } = await this.lessonOf(courseId, lessonKey, ctx.principal!);
    const path = `/teach/courses/${courseId}/lessons/${lessonKey}`;
    const isVideo = lesson.kind === 'video';
    return this.view.render(
      ctx,
      'teach/lesson',
      {
        courseId,
        lessonKey,
        isNew: false,
        editable: version.status === 'draft',
        version: this.versionModel(version, ctx),
        action: path,
        kind: lesson.kind,
        kindLabel: ctx.t(`teach.kind.${lesson.kind}`),
        isGuide: lesson.kind === 'guide',
        isQuiz: lesson.kind === 'quiz',
        isVideo,
        second,
        secondName: LANGUAGE_NAMES[second],
        seconds: this.secondChoices(ctx, path, second),
        editor: editorModel(rows ?? rowsFromLesson(lesson, second)),
        videos: isVideo ? await this.videoSlots(ctx, lesson, ['vi', second]) : [],
        errors,
      },
      {
        title: ctx.t('teach.lesson.title'),
        status,
        wide: true,
        scripts: isVideo && version.status === 'draft' ? [UPLOAD_SCRIPT] : [],
      },
    );
  }

  /** Per language: the attached video and its processing status, and the subtitle track. */
  private async videoSlots(ctx: PortalContext, lesson: LessonEntity, locales: string[]) {
    const media = lesson.content.media ?? {};
    const assets = await this.media.byIds(locales.map((l) => media[l]).filter((id): id is string => !!id));
    return locales.map((locale) => {
      const asset = media[locale] ? assets.get(media[locale]) : undefined;
      const subtitles = lesson.content.subtitles?.[locale];
      return {
        locale,
        name: LANGUAGE_NAMES[locale],
        video: asset && {
          fileName: asset.fileName,
          status: ctx.t(`teach.media.${asset.status}`),
          posterUrl: playableVideo(asset).posterUrl,
        },
        subtitles: subtitles ? { cues: subtitles.cues } : null,
      };
    });
  }

  @Post('courses/:courseId/lessons/:lessonKey')
  async updateLesson(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('lessonKey', ParseUUIDPipe) lessonKey: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: LessonFormDto,
  ) {
    return this.page(req, reply, async (ctx, who) => {
      const second = secondLanguage(form.second);
      const { lesson } = await this.lessonOf(courseId, lessonKey, who);
      const rows = rowsFromForm(form);
      const built = contentFromRows(lesson.kind, rows, lesson.content, second);
      const { value, problems } = validateAs(UpdateLessonDto, {
        title: pair(second, rows.title.vi, rows.title.second),
        summary: pair(second, rows.summary.vi, rows.summary.second),
        ...(built.content && { content: built.content }),
      });
      const messages = [
        ...problems.filter((p) => !p.startsWith('content')).map((p) => problemText(ctx, p)),
        ...this.problems(ctx, built.problems),
      ];
      if (messages.length)
        return this.renderLesson(ctx, courseId, lessonKey, second, rows, [...new Set(messages)], 400);
      try {
        await this.authoring.updateLesson(courseId, lessonKey, value, who, ['vi', second]);
      } catch (e) {
        if (!(e instanceof DomainError) || e.statusCode !== 400) throw e;
        return this.renderLesson(ctx, courseId, lessonKey, second, rows, [this.refusal(ctx, e)], 400);
      }
      return reply.redirect(
        `/teach/courses/${courseId}/lessons/${lessonKey}?second=${second}&notice=saved`,
        303,
      );
    });
  }

  @Post('courses/:courseId/lessons/:lessonKey/remove')
  async removeLesson(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('lessonKey', ParseUUIDPipe) lessonKey: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() _form: PortalForm,
  ) {
    return this.page(req, reply, async (_ctx, who) => {
      await this.authoring.removeLesson(courseId, lessonKey, who);
      return reply.redirect(`/teach/courses/${courseId}?notice=saved`, 303);
    });
  }

  @Post('courses/:courseId/lessons/:lessonKey/move')
  async moveLesson(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('lessonKey', ParseUUIDPipe) lessonKey: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: MoveLessonForm,
  ) {
    return this.page(req, reply, async (_ctx, who) => {
      const { lessons } = await this.lessonOf(courseId, lessonKey, who);
      const keys = lessons.map((l) => l.lessonKey);
      const from = keys.indexOf(lessonKey);
      const to = form.direction === 'up' ? from - 1 : from + 1;
      if (to >= 0 && to < keys.length) {
        [keys[from], keys[to]] = [keys[to], keys[from]];
        await this.authoring.reorderLessons(courseId, keys, who);
      }
      return reply.redirect(
        `/teach/courses/${courseId}?second=${secondLanguage(form.second)}&notice=saved#lessons`,
        303,
      );
    });
  }

  /** Subtitles as WebVTT text in a form: works without JavaScript (the server takes no multipart). */
  @Post('courses/:courseId/lessons/:lessonKey/subtitles')
  async subtitles(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('lessonKey', ParseUUIDPipe) lessonKey: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: SubtitlesForm,
  ) {
    return this.page(req, reply, async (ctx, who) => {
      const second = secondLanguage(form.second);
      try {
        await this.authoring.putSubtitles(
          courseId,
          lessonKey,
          form.locale,
          form.vtt.replace(/\r\n?/g, '\n'),
          who,
        );
      } catch (e) {
        if (!(e instanceof DomainError) || e.code !== AuthoringErrorCode.InvalidSubtitles) throw e;
        const message = ctx.t('teach.error.AUTHORING_INVALID_WEBVTT', {
          line: Number(e.details?.line ?? 1),
        });
        return this.renderLesson(ctx, courseId, lessonKey, second, undefined, [message], 400);
      }
      return reply.redirect(
        `/teach/courses/${courseId}/lessons/${lessonKey}?second=${second}&notice=saved`,
        303,
      );
    });
  }

  // --- translations and preview ---------------------------------------------------

  @Get('courses/:courseId/versions/:version/translations')
  async translations(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('version', ParseIntPipe) version: number,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.page(req, reply, async (ctx, who) => {
      const matrix = await this.authoring.translationMatrix(courseId, version, who);
      // Reviewers see the matrix too; only the owner has an editor to go back to.
      const { course } = await this.authoring.readableVersion(courseId, version, who);
      const cells = (byLocale: Record<string, string>) =>
        matrix.locales.map((locale) => ({
          locale,
          state: byLocale[locale],
          label: ctx.t(`teach.coverage.${byLocale[locale]}`),
        }));
      const rows = (fields: Record<string, Record<string, string>>) =>
        Object.entries(fields).map(([field, byLocale]) => ({
          field: ctx.t(`teach.field.${field}`),
          cells: cells(byLocale),
        }));
      return this.view.render(
        ctx,
        'teach/translations',
        {
          courseId,
          version,
          ownCourse: course.ownerId === who.userId,
          span: matrix.locales.length + 1,
          locales: matrix.locales.map((code) => ({ code, name: LANGUAGE_NAMES[code] })),
          course: rows(matrix.course),
          lessons: matrix.lessons.map((l) => ({
            number: l.position + 1,
            title: l.title,
            kind: ctx.t(`teach.kind.${l.kind}`),
            rows: rows(l.fields),
          })),
        },
        { title: ctx.t('teach.translations.title'), wide: true },
      );
    });
  }

  /** The version as learners will see it (no answer keys), in a chosen content language. */
  @Get('courses/:courseId/versions/:version/preview')
  async preview(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('version', ParseIntPipe) version: number,
    @Query('as') as: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.page(req, reply, (ctx) => this.renderPreview(ctx, courseId, version, as));
  }

  private async renderPreview(
    ctx: PortalContext,
    courseId: string,
    number: number,
    as: string | undefined,
    errors: string[] = [],
    status = 200,
  ) {
    const who = ctx.principal!;
    const { course, version, lessons } = await this.authoring.readableVersion(courseId, number, who);
    const locale = (CONTENT_LOCALES as readonly unknown[]).includes(as) ? as! : null;
    const chain = locale ? normalizeFallbackChain([locale]) : ctx.chain;
    const media = await this.media.byIds(
      lessons.flatMap((l) => Object.values(l.content.media ?? {}) as string[]),
    );
    const author = version.createdBy === who.userId || version.submittedBy === who.userId;
    return this.view.render(
      ctx,
      'teach/preview',
      {
        courseId: course.id,
        number,
        version: this.versionModel(version, ctx),
        title: localizeText(version.title, chain),
        summary: pickLocalized(version.summary, chain),
        languages: CONTENT_LOCALES.map((code) => ({
          code,
          name: LANGUAGE_NAMES[code],
          href: `/teach/courses/${course.id}/versions/${number}/preview?as=${code}`,
          current: code === chain[0],
        })),
        lessons: lessons.map((l, i) => {
          const content = toLearnerContent(l.kind, l.content, chain);
          const picked = pickLocalized(l.content.media ?? {}, chain);
          const asset = picked ? media.get(picked.text) : undefined;
          return {
            number: i + 1,
            kind: ctx.t(`teach.kind.${l.kind}`),
            title: localizeText(l.title, chain),
            summary: pickLocalized(l.summary, chain),
            steps: 'steps' in content ? content.steps : null,
            questions:
              'questions' in content && content.questions
                ? content.questions.map((q) => ({ ...q, isTrueFalse: q.type === 'true_false' }))
                : null,
            isVideo: l.kind === 'video',
            video: asset
              ? { status: ctx.t(`teach.media.${asset.status}`), posterUrl: playableVideo(asset).posterUrl }
              : null,
          };
        }),
        review: version.status === 'in_review' && !author,
        ownCourse: course.ownerId === who.userId,
        errors,
      },
      { title: ctx.t('teach.preview.title'), status },
    );
  }

  // --- review (four eyes) ----------------------------------------------------------

  @Post('courses/:courseId/publish')
  async publish(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() _form: PortalForm,
  ) {
    return this.page(req, reply, async (_ctx, who) => {
      await this.authoring.publish(courseId, who);
      return reply.redirect('/teach?notice=published', 303);
    });
  }

  @Post('courses/:courseId/reject')
  async reject(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: RejectForm,
  ) {
    return this.page(req, reply, async (ctx, who) => {
      const reason = (form.reason ?? '').normalize('NFC').replace(/\r\n?/g, '\n').trim();
      if (reason.length < 3 || reason.length > 2000) {
        const open = (await this.authoring.reviewQueue(who)).find((v) => v.courseId === courseId);
        if (!open) throw CommonError.notFound('The version in review');
        return this.renderPreview(
          ctx,
          courseId,
          open.version,
          undefined,
          [ctx.t('teach.invalid.reason')],
          400,
        );
      }
      await this.authoring.reject(courseId, reason, who);
      return reply.redirect('/teach?notice=returned', 303);
    });
  }
}

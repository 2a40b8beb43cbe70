import { Body, Get, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { Roles } from '../../../infrastructure/auth/auth.decorators.js';
import { BODY_LIMITS, BodyLimit } from '../../../infrastructure/http/body-intake.js';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { AuthoringService } from '../../authoring/authoring.service.js';
import { Page, PortalPages } from '../shell/page.js';
import { PortalForm } from '../shell/portal-form.js';
import { type PortalPage } from '../shell/portal-view.js';
import { TeachView } from './teach-view.js';
import { CommonError } from '../../../infrastructure/errors/domain-error.js';
import { CONTENT_LOCALES } from '../../../infrastructure/i18n/locales.js';
import type { Principal } from '../../../infrastructure/auth/roles.js';
import { AuthoringErrorCode } from '../../authoring/authoring.errors.js';
import { CreateLessonDto, UpdateLessonDto } from '../../authoring/dto/authoring.dto.js';
import type { Lesson } from '../../catalog/catalog.types.js';
import { pair } from '../../lesson-kinds/form-texts.js';
import { LessonFormDto } from '../../lesson-kinds/lesson-form.dto.js';
import type { LessonKindDefinition } from '../../lesson-kinds/lesson-kind.js';
import { lessonKind } from '../../lesson-kinds/lesson-kinds.js';
import { playableVideo } from '../../media/media.views.js';
import { MediaService } from '../../media/media.service.js';
import { LANGUAGE_NAMES } from '../shell/portal-handlebars.js';
import { readForm } from '../shell/portal-form.js';
import {
  editorModel,
  kindOfForm,
  rowsFromForm,
  newVoice,
  rowsFromLesson,
  voiceChange,
  secondLanguage,
  validateAs,
  type LessonRows,
} from './trainer-forms.js';
import { problemText, RECORD_SCRIPT, UPLOAD_SCRIPT } from './teach-view.js';

class MoveLessonForm extends PortalForm {
  @IsIn(['up', 'down']) direction!: 'up' | 'down';
  @Optional() @IsString() @MaxLength(8) second?: string;
}

class SubtitlesForm extends PortalForm {
  @IsIn(CONTENT_LOCALES) locale!: string;
  @IsString() @MaxLength(600_000) vtt!: string;
  @Optional() @IsString() @MaxLength(8) second?: string;
}

/**
 * A draft's lessons: the side-by-side editor (its rows are the lesson kind's), order, removal,
 * and for media lessons the video and subtitles of each language.
 */
@Roles('trainer', 'admin')
@BodyLimit(BODY_LIMITS.content)
@PortalPages('teach', 'teach')
export class LessonPagesController {
  constructor(
    @Inject(AuthoringService) private readonly authoring: AuthoringService,
    @Inject(MediaService) private readonly media: MediaService,
    @Inject(TeachView) private readonly teach: TeachView,
  ) {}

  @Get('courses/:courseId/lessons/new')
  async newLesson(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Query('kind') kind: string | undefined,
    @Query('second') second: string | undefined,
    @Page() page: PortalPage,
  ) {
    const who = page.principal!;
    await this.authoring.history(courseId, who);
    const definition = kindOfForm(kind);
    const blank = rowsFromLesson(definition, { title: {}, summary: {} }, secondLanguage(second));
    return this.renderNewLesson(page, courseId, definition, secondLanguage(second), blank);
  }

  private renderNewLesson(
    page: PortalPage,
    courseId: string,
    definition: LessonKindDefinition,
    second: string,
    rows: LessonRows,
    errors: string[] = [],
    status = 200,
  ) {
    const { kind } = definition;
    return page.render(
      'teach/lesson',
      {
        courseId,
        isNew: true,
        editable: true,
        action: `/teach/courses/${courseId}/lessons`,
        kind,
        kindLabel: page.t(`teach.kind.${kind}`),
        kindPartial: `kind-${kind}-teach`,
        second,
        secondName: LANGUAGE_NAMES[second],
        seconds: this.teach
          .secondChoices(page, `/teach/courses/${courseId}/lessons/new`, second)
          .map((s) => ({
            ...s,
            href: `${s.href}&kind=${kind}`,
          })),
        editor: editorModel(definition, rows),
        errors,
      },
      {
        title: page.t('teach.lesson.newTitle', { kind: page.t(`teach.kind.${kind}`) }),
        status,
        wide: true,
        scripts: definition.spokenTexts ? [RECORD_SCRIPT] : [],
      },
    );
  }

  @Post('courses/:courseId/lessons')
  async addLesson(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Page() page: PortalPage,
    // Its fields depend on the lesson's kind: read with the kind's form DTO.
    @Body() raw: Record<string, unknown>,
  ) {
    const who = page.principal!;
    await this.authoring.history(courseId, who);
    const definition = kindOfForm(raw.kind);
    const form = await readForm(definition.portal.teach?.formDto ?? LessonFormDto, raw);
    const second = secondLanguage(form.second);
    const rows = rowsFromForm(definition, form);
    const built = definition.portal.teach?.contentFrom(rows.kind, undefined, second) ?? {
      content: {},
      problems: [],
    };
    const { value, problems } = validateAs(CreateLessonDto, {
      kind: definition.kind,
      title: pair(second, rows.title.vi, rows.title.second),
      summary: pair(second, rows.summary.vi, rows.summary.second),
      summaryVoice: newVoice(second, rows.summaryVoice),
      content: built.content,
    });
    const messages = [
      ...problems.filter((p) => !p.startsWith('content')).map((p) => problemText(page, p)),
      ...this.teach.problems(page, built.problems),
    ];
    if (messages.length)
      return this.renderNewLesson(page, courseId, definition, second, rows, [...new Set(messages)], 400);
    page.onRefusal((r) => this.renderNewLesson(page, courseId, definition, second, rows, [r.message], 400), {
      statuses: [400],
    });
    await this.authoring.addLesson(courseId, value, who);
    return page.redirect(`/teach/courses/${courseId}?second=${second}&notice=saved`);
  }

  private async lessonOf(courseId: string, lessonKey: string, who: Principal) {
    const latest = await this.teach.latest(courseId, who);
    const lesson = latest.lessons.find((l) => l.lessonKey === lessonKey);
    if (!lesson) throw CommonError.notFound('The lesson');
    return { ...latest, lesson };
  }

  @Get('courses/:courseId/lessons/:lessonKey')
  async lesson(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('lessonKey', ParseUUIDPipe) lessonKey: string,
    @Query('second') second: string | undefined,
    @Page() page: PortalPage,
  ) {
    return this.renderLesson(page, courseId, lessonKey, secondLanguage(second));
  }

  private async renderLesson(
    page: PortalPage,
    courseId: string,
    lessonKey: string,
    second: string,
    rows?: LessonRows,
    errors: string[] = [],
    status = 200,
  ) {
    const { version, lesson } = await this.lessonOf(courseId, lessonKey, page.principal!);
    const path = `/teach/courses/${courseId}/lessons/${lessonKey}`;
    const definition = lessonKind(lesson.kind);
    const hasMedia = !!definition.hasMedia;
    return page.render(
      'teach/lesson',
      {
        courseId,
        lessonKey,
        isNew: false,
        editable: version.status === 'draft',
        version: this.teach.versionModel(version, page),
        action: path,
        kind: lesson.kind,
        kindLabel: page.t(`teach.kind.${lesson.kind}`),
        kindPartial: `kind-${lesson.kind}-teach`,
        second,
        secondName: LANGUAGE_NAMES[second],
        seconds: this.teach.secondChoices(page, path, second),
        editor: editorModel(definition, rows ?? rowsFromLesson(definition, lesson, second)),
        videos: hasMedia ? await this.videoSlots(page, lesson, ['vi', second]) : [],
        errors,
      },
      {
        title: page.t('teach.lesson.title'),
        status,
        wide: true,
        scripts:
          version.status !== 'draft'
            ? []
            : [...(hasMedia ? [UPLOAD_SCRIPT] : []), ...(definition.spokenTexts ? [RECORD_SCRIPT] : [])],
      },
    );
  }

  /** Per language: the attached video and its processing status, and the subtitle track. */
  private async videoSlots(page: PortalPage, lesson: Lesson, locales: string[]) {
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
          status: page.t(`teach.media.${asset.status}`),
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
    @Page() page: PortalPage,
    // Its fields depend on the lesson's kind: read with the kind's form DTO.
    @Body() raw: Record<string, unknown>,
  ) {
    const who = page.principal!;
    const { lesson } = await this.lessonOf(courseId, lessonKey, who);
    const definition = lessonKind(lesson.kind);
    const form = await readForm(definition.portal.teach?.formDto ?? LessonFormDto, raw);
    const second = secondLanguage(form.second);
    const rows = rowsFromForm(definition, form);
    // Kinds without an editor (media) keep their content: it has its own forms.
    const built = definition.portal.teach?.contentFrom(rows.kind, lesson.content, second);
    const { value, problems } = validateAs(UpdateLessonDto, {
      title: pair(second, rows.title.vi, rows.title.second),
      summary: pair(second, rows.summary.vi, rows.summary.second),
      summaryVoice: voiceChange(second, rows.summaryVoice),
      ...(built && { content: built.content }),
    });
    const messages = [
      ...problems.filter((p) => !p.startsWith('content')).map((p) => problemText(page, p)),
      ...this.teach.problems(page, built?.problems ?? []),
    ];
    if (messages.length)
      return this.renderLesson(page, courseId, lessonKey, second, rows, [...new Set(messages)], 400);
    page.onRefusal((r) => this.renderLesson(page, courseId, lessonKey, second, rows, [r.message], 400), {
      statuses: [400],
    });
    await this.authoring.updateLesson(courseId, lessonKey, value, who, ['vi', second]);
    return page.redirect(`/teach/courses/${courseId}/lessons/${lessonKey}?second=${second}&notice=saved`);
  }

  @Post('courses/:courseId/lessons/:lessonKey/remove')
  async removeLesson(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('lessonKey', ParseUUIDPipe) lessonKey: string,
    @Page() page: PortalPage,
    @Body() _form: PortalForm,
  ) {
    const who = page.principal!;
    await this.authoring.removeLesson(courseId, lessonKey, who);
    return page.redirect(`/teach/courses/${courseId}?notice=saved`);
  }

  @Post('courses/:courseId/lessons/:lessonKey/move')
  async moveLesson(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('lessonKey', ParseUUIDPipe) lessonKey: string,
    @Page() page: PortalPage,
    @Body() form: MoveLessonForm,
  ) {
    const who = page.principal!;
    const { lessons } = await this.lessonOf(courseId, lessonKey, who);
    const keys = lessons.map((l) => l.lessonKey);
    const from = keys.indexOf(lessonKey);
    const to = form.direction === 'up' ? from - 1 : from + 1;
    if (to >= 0 && to < keys.length) {
      [keys[from], keys[to]] = [keys[to], keys[from]];
      await this.authoring.reorderLessons(courseId, keys, who);
    }
    return page.redirect(
      `/teach/courses/${courseId}?second=${secondLanguage(form.second)}&notice=saved#lessons`,
    );
  }

  /** Subtitles as WebVTT text in a form: works without JavaScript (the server takes no multipart). */
  @Post('courses/:courseId/lessons/:lessonKey/subtitles')
  async subtitles(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('lessonKey', ParseUUIDPipe) lessonKey: string,
    @Page() page: PortalPage,
    @Body() form: SubtitlesForm,
  ) {
    const who = page.principal!;
    const second = secondLanguage(form.second);
    // A WebVTT mistake is shown beside the form, naming its line.
    page.onRefusal((r) => this.renderLesson(page, courseId, lessonKey, second, undefined, [r.message], 400), {
      codes: [AuthoringErrorCode.InvalidSubtitles],
    });
    await this.authoring.putSubtitles(
      courseId,
      lessonKey,
      form.locale,
      form.vtt.replace(/\r\n?/g, '\n'),
      who,
    );
    return page.redirect(`/teach/courses/${courseId}/lessons/${lessonKey}?second=${second}&notice=saved`);
  }
}

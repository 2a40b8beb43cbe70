import { Body, Get, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { IsIn } from 'class-validator';
import { Roles } from '../../../infrastructure/auth/auth.decorators.js';
import { BODY_LIMITS, BodyLimit } from '../../../infrastructure/http/body-intake.js';
import { AuthoringService } from '../../authoring/authoring.service.js';
import { Page, PortalPages } from '../shell/page.js';
import { PortalForm } from '../shell/portal-form.js';
import { type PortalPage } from '../shell/portal-view.js';
import { TeachView } from './teach-view.js';
import { localizeText } from '../../../infrastructure/i18n/locales.js';
import { CreateCourseDto, UpdateDraftDto } from '../../authoring/dto/authoring.dto.js';
import { pair } from '../../lesson-kinds/form-texts.js';
import { LESSON_KINDS } from '../../lesson-kinds/lesson-kinds.js';
import { LANGUAGE_NAMES } from '../shell/portal-handlebars.js';
import { CourseFormDto, list, secondLanguage, validateAs, voiceChange } from './trainer-forms.js';
import { problemText, RECORD_SCRIPT, slugFrom } from './teach-view.js';

class ArchiveForm extends PortalForm {
  @IsIn(['0', '1']) archived!: '0' | '1';
}

/**
 * The trainer's courses: the list with the review queue, a new course, the course editor (texts
 * side by side, lessons in order) and the draft's way through review (submit, withdraw, a new
 * draft after publishing, archive). Refusals of the authoring rules become a page saying why.
 */
@Roles('trainer', 'admin')
@BodyLimit(BODY_LIMITS.content)
@PortalPages('teach', 'teach')
export class CoursePagesController {
  constructor(
    @Inject(AuthoringService) private readonly authoring: AuthoringService,
    @Inject(TeachView) private readonly teach: TeachView,
  ) {}

  @Get()
  async index(@Page() page: PortalPage) {
    return this.renderIndex(page, {}, []);
  }

  private async renderIndex(page: PortalPage, form: CourseFormDto, errors: string[], status = 200) {
    const who = page.principal!;
    const [mine, queue] = await Promise.all([this.authoring.listMine(who), this.authoring.reviewQueue(who)]);
    return page.render(
      'teach/index',
      {
        courses: mine.map(({ course, latest }) => ({
          id: course.id,
          title: localizeText(latest.title, page.chain),
          version: latest.version,
          status: page.t(`teach.status.${latest.status}`),
          published: !!course.publishedVersionId,
          archived: !!course.archivedAt,
        })),
        queue: queue.map((v) => ({
          courseId: v.courseId,
          version: v.version,
          title: localizeText(v.title, page.chain),
          submittedAt: v.submittedAt,
        })),
        form,
        errors,
        topics: this.teach.topics(page, form.topic),
        groups: await this.teach.groupChoices(page, list(form.learnerGroupIds)),
      },
      { title: page.t('teach.title'), status },
    );
  }

  @Post('courses')
  async create(@Page() page: PortalPage, @Body() form: CourseFormDto) {
    const who = page.principal!;
    const title = pair('vi', form.titleVi, '');
    const { value, problems } = validateAs(CreateCourseDto, {
      slug: form.slug?.trim() || (title.vi ? slugFrom(title.vi) : ''),
      topic: form.topic ?? '',
      learnerGroupIds: list(form.learnerGroupIds),
      title,
      summary: pair('vi', form.summaryVi, ''),
    });
    if (problems.length)
      return this.renderIndex(page, form, [...new Set(problems.map((p) => problemText(page, p)))], 400);
    // A taken address or an unknown group is said beside the form; a trainer-only refusal is a page.
    page.onRefusal((r) => this.renderIndex(page, form, [r.message], r.status), { statuses: [400, 404, 409] });
    const { course } = await this.authoring.createCourse(value, who);
    return page.redirect(`/teach/courses/${course.id}?notice=saved`);
  }

  @Get('courses/:courseId')
  async course(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Query('second') second: string | undefined,
    @Page() page: PortalPage,
  ) {
    return this.renderCourse(page, courseId, secondLanguage(second));
  }

  private async renderCourse(
    page: PortalPage,
    courseId: string,
    second: string,
    form?: CourseFormDto,
    errors: string[] = [],
    status = 200,
  ) {
    const { course, version, lessons } = await this.teach.latest(courseId, page.principal!);
    const values = form ?? {
      topic: version.topic,
      learnerGroupIds: version.learnerGroupIds,
      titleVi: version.title.vi,
      titleSecond: version.title[second] ?? '',
      summaryVi: version.summary.vi ?? '',
      summarySecond: version.summary[second] ?? '',
      summaryVoiceVi: version.summaryVoice.vi ?? '',
      summaryVoiceSecond: version.summaryVoice[second] ?? '',
    };
    const path = `/teach/courses/${course.id}`;
    return page.render(
      'teach/course',
      {
        course: { id: course.id, slug: course.slug, archived: !!course.archivedAt },
        title: localizeText(version.title, page.chain),
        version: this.teach.versionModel(version, page),
        second,
        secondName: LANGUAGE_NAMES[second],
        seconds: this.teach.secondChoices(page, path, second),
        values,
        errors,
        topics: this.teach.topics(page, values.topic),
        groups: await this.teach.groupChoices(page, list(values.learnerGroupIds)),
        lessons: lessons.map((l, i) => ({
          key: l.lessonKey,
          number: i + 1,
          kind: page.t(`teach.kind.${l.kind}`),
          titleVi: l.title.vi,
          titleSecond: l.title[second] ?? null,
          first: i === 0,
          last: i === lessons.length - 1,
        })),
        kinds: LESSON_KINDS.map((k) => ({
          code: k,
          name: page.t(`teach.kind.${k}`),
        })),
      },
      {
        title: page.t('teach.course.title'),
        status,
        wide: true,
        scripts: version.status === 'draft' ? [RECORD_SCRIPT] : [],
      },
    );
  }

  @Post('courses/:courseId')
  async updateCourse(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Page() page: PortalPage,
    @Body() form: CourseFormDto,
  ) {
    const who = page.principal!;
    const second = secondLanguage(form.second);
    const { value, problems } = validateAs(UpdateDraftDto, {
      ...(form.topic && { topic: form.topic }),
      learnerGroupIds: list(form.learnerGroupIds),
      title: pair(second, form.titleVi, form.titleSecond),
      summary: pair(second, form.summaryVi, form.summarySecond),
      summaryVoice: voiceChange(second, {
        vi: form.summaryVoiceVi ?? '',
        second: form.summaryVoiceSecond ?? '',
      }),
    });
    if (problems.length) {
      // Ownership first: a stranger learns nothing from a validation message.
      await this.authoring.history(courseId, who);
      const messages = [...new Set(problems.map((p) => problemText(page, p)))];
      return this.renderCourse(page, courseId, second, form, messages, 400);
    }
    // Both columns are the whole truth for their languages: an emptied field removes that text.
    await this.authoring.updateDraft(courseId, value, who, ['vi', second]);
    return page.redirect(`/teach/courses/${courseId}?second=${second}&notice=saved`);
  }

  @Post('courses/:courseId/submit')
  async submit(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Page() page: PortalPage,
    @Body() _form: PortalForm,
  ) {
    const who = page.principal!;
    await this.authoring.submit(courseId, who);
    return page.redirect(`/teach/courses/${courseId}?notice=submitted`);
  }

  @Post('courses/:courseId/withdraw')
  async withdraw(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Page() page: PortalPage,
    @Body() _form: PortalForm,
  ) {
    const who = page.principal!;
    await this.authoring.withdraw(courseId, who);
    return page.redirect(`/teach/courses/${courseId}?notice=saved`);
  }

  /** Published versions never change: editing starts a new draft copied from the published one. */
  @Post('courses/:courseId/drafts')
  async newDraft(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Page() page: PortalPage,
    @Body() _form: PortalForm,
  ) {
    const who = page.principal!;
    await this.authoring.startNewDraft(courseId, who);
    return page.redirect(`/teach/courses/${courseId}?notice=saved`);
  }

  @Post('courses/:courseId/archive')
  async archive(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Page() page: PortalPage,
    @Body() form: ArchiveForm,
  ) {
    const who = page.principal!;
    await this.authoring.setArchived(courseId, form.archived === '1', who);
    return page.redirect(`/teach/courses/${courseId}?notice=saved`);
  }
}

import { Body, Get, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import { Roles } from '../../../infrastructure/auth/auth.decorators.js';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { AuthoringService } from '../../authoring/authoring.service.js';
import { Page, PortalPages } from '../shell/page.js';
import { meetsRules, PortalForm } from '../shell/portal-form.js';
import { RejectDto } from '../../authoring/dto/authoring.dto.js';
import { type PortalPage } from '../shell/portal-view.js';
import { TeachView } from './teach-view.js';
import { CommonError } from '../../../infrastructure/errors/domain-error.js';
import { ParsePositiveIntPipe } from '../../../infrastructure/http/input-rules.js';
import {
  CONTENT_LOCALES,
  localizeText,
  normalizeFallbackChain,
  pickLocalized,
} from '../../../infrastructure/i18n/locales.js';
import { lessonKind } from '../../lesson-kinds/lesson-kinds.js';
import { playableVideo } from '../../media/media.views.js';
import { MediaService } from '../../media/media.service.js';
import { LANGUAGE_NAMES } from '../shell/portal-handlebars.js';

class RejectForm extends PortalForm {
  @Optional() @IsString() @MaxLength(4000) reason?: string;
}

/**
 * A version under review: its translation matrix, the learner's preview (no answer keys), and the
 * second person's decision (publish, or back to the author with the reason).
 */
@Roles('trainer', 'admin')
@PortalPages('teach', 'teach')
export class ReviewPagesController {
  constructor(
    @Inject(AuthoringService) private readonly authoring: AuthoringService,
    @Inject(MediaService) private readonly media: MediaService,
    @Inject(TeachView) private readonly teach: TeachView,
  ) {}

  @Get('courses/:courseId/versions/:version/translations')
  async translations(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('version', ParsePositiveIntPipe) version: number,
    @Page() page: PortalPage,
  ) {
    const who = page.principal!;
    const matrix = await this.authoring.translationMatrix(courseId, version, who);
    // Reviewers see the matrix too; only the owner has an editor to go back to.
    const { course } = await this.authoring.readableVersion(courseId, version, who);
    const cells = (byLocale: Record<string, string>) =>
      matrix.locales.map((locale) => ({
        locale,
        state: byLocale[locale],
        label: page.t(`teach.coverage.${byLocale[locale]}`),
      }));
    const rows = (fields: Record<string, Record<string, string>>) =>
      Object.entries(fields).map(([field, byLocale]) => ({
        field: page.t(`teach.field.${field}`),
        cells: cells(byLocale),
      }));
    return page.render(
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
          kind: page.t(`teach.kind.${l.kind}`),
          rows: rows(l.fields),
        })),
      },
      { title: page.t('teach.translations.title'), wide: true },
    );
  }

  /** The version as learners will see it (no answer keys), in a chosen content language. */
  @Get('courses/:courseId/versions/:version/preview')
  async preview(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Param('version', ParsePositiveIntPipe) version: number,
    @Query('as') as: string | undefined,
    @Page() page: PortalPage,
  ) {
    return this.renderPreview(page, courseId, version, as);
  }

  private async renderPreview(
    page: PortalPage,
    courseId: string,
    number: number,
    as: string | undefined,
    errors: string[] = [],
    status = 200,
  ) {
    const who = page.principal!;
    const { course, version, lessons } = await this.authoring.readableVersion(courseId, number, who);
    const locale = (CONTENT_LOCALES as readonly unknown[]).includes(as) ? as! : null;
    const chain = locale ? normalizeFallbackChain([locale]) : page.chain;
    const media = await this.media.byIds(
      lessons.flatMap((l) => Object.values(l.content.media ?? {}) as string[]),
    );
    const author = version.createdBy === who.userId || version.submittedBy === who.userId;
    return page.render(
      'teach/preview',
      {
        courseId: course.id,
        number,
        version: this.teach.versionModel(version, page),
        title: localizeText(version.title, chain),
        summary: pickLocalized(version.summary, chain),
        languages: CONTENT_LOCALES.map((code) => ({
          code,
          name: LANGUAGE_NAMES[code],
          href: `/teach/courses/${course.id}/versions/${number}/preview?as=${code}`,
          current: code === chain[0],
        })),
        lessons: lessons.map((l, i) => {
          const definition = lessonKind(l.kind);
          const picked = pickLocalized(l.content.media ?? {}, chain);
          const asset = picked ? media.get(picked.text) : undefined;
          return {
            number: i + 1,
            kind: page.t(`teach.kind.${l.kind}`),
            title: localizeText(l.title, chain),
            summary: pickLocalized(l.summary, chain),
            // The learner's view, as the catalog serves it: no answer keys.
            content: definition.learnerContent(l.content, chain),
            previewPartial: `kind-${l.kind}-preview`,
            hasMedia: !!definition.hasMedia,
            video: asset
              ? { status: page.t(`teach.media.${asset.status}`), posterUrl: playableVideo(asset).posterUrl }
              : null,
          };
        }),
        review: version.status === 'in_review' && !author,
        ownCourse: course.ownerId === who.userId,
        errors,
      },
      { title: page.t('teach.preview.title'), status },
    );
  }

  // --- review (four eyes) ----------------------------------------------------------

  @Post('courses/:courseId/publish')
  async publish(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Page() page: PortalPage,
    @Body() _form: PortalForm,
  ) {
    const who = page.principal!;
    await this.authoring.publish(courseId, who);
    return page.redirect('/teach?notice=published');
  }

  @Post('courses/:courseId/reject')
  async reject(
    @Param('courseId', ParseUUIDPipe) courseId: string,
    @Page() page: PortalPage,
    @Body() form: RejectForm,
  ) {
    const who = page.principal!;
    // The API's own rule (RejectDto), read as the API reads it; a short one re-renders the preview.
    const checked = await meetsRules(RejectDto, { reason: form.reason ?? '' });
    if (!checked) {
      const open = (await this.authoring.reviewQueue(who)).find((v) => v.courseId === courseId);
      if (!open) throw CommonError.notFound('The version in review');
      return this.renderPreview(
        page,
        courseId,
        open.version,
        undefined,
        [page.t('teach.invalid.reason')],
        400,
      );
    }
    await this.authoring.reject(courseId, checked.reason, who);
    return page.redirect('/teach?notice=returned');
  }
}

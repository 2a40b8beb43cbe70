import { Body, Get, Inject, Post, Query } from '@nestjs/common';
import { IsString, IsUUID } from 'class-validator';
import { Authenticated } from '../../../infrastructure/auth/auth.decorators.js';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { PracticeConfirmationsService } from '../../certification/practice-confirmations.service.js';
import { Page, PortalPages } from '../shell/page.js';
import { PortalForm } from '../shell/portal-form.js';
import { type PortalPage } from '../shell/portal-view.js';

class PracticeQuery {
  @Optional() @IsUUID() village?: string;
  @Optional() @IsString() notice?: string;
  @Optional() @IsString() lang?: string;
}

class ConfirmForm extends PortalForm {
  @IsUUID() learnerId!: string;
  @IsUUID() lessonId!: string;
  @Optional() @IsUUID() village?: string;
}

/**
 * The confirmer's page: practice tasks waiting in their village (an ambassador's villages, or the
 * one a coordinator, trainer or admin chose), each confirmed with one button once seen done.
 */
@Authenticated()
@PortalPages('learn')
export class PracticePagesController {
  constructor(
    @Inject(PracticeConfirmationsService) private readonly practice: PracticeConfirmationsService,
  ) {}

  @Get('/practice-confirmations')
  async list(@Page() page: PortalPage, @Query() query: PracticeQuery) {
    return this.render(page, query.village, {});
  }

  @Post('/practice-confirmations')
  async confirm(@Page() page: PortalPage, @Body() form: ConfirmForm) {
    page.onRefusal((r) => this.render(page, form.village, { error: r.message }, r.status), 'any');
    const done = await this.practice.confirm(page.principal!, {
      learnerId: form.learnerId,
      lessonId: form.lessonId,
    });
    return this.render(page, form.village, {
      confirmed: done.newlyConfirmed ? 'new' : 'again',
      logged: !!done.mentoring,
    });
  }

  private async render(
    page: PortalPage,
    village: string | undefined,
    extra: Record<string, unknown>,
    status = 200,
  ) {
    // Staff (not ambassadors) open the list of one village: from a village's link, `?village=`.
    if (!village && (await this.practice.ownVillages(page.principal!)).length === 0) {
      return page.render(
        'practice-confirmations',
        { chooseVillage: true, items: [], ...extra },
        { title: page.t('practiceConfirmations.title'), status },
      );
    }
    const pending = await this.practice.pending(page.principal!, {
      villageId: village,
      page: 1,
      pageSize: 100,
    });
    return page.render(
      'practice-confirmations',
      { ...pending, village: village ?? null, more: pending.total > pending.items.length, ...extra },
      { title: page.t('practiceConfirmations.title'), status },
    );
  }
}

import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../infrastructure/http/domain-error.js';
import { vietnamDay } from '../../infrastructure/i18n/vietnam-time.js';
import { pickLocalized } from '../../infrastructure/i18n/locales.js';
import { ApplicationsService } from '../certification/applications.service.js';
import { CertificatesService } from '../certification/certificates.service.js';
import { EligibilityService } from '../certification/eligibility.service.js';
import { MENTORING_TASKS } from '../certification/entities/mentoring-record.entity.js';
import { MentoringService } from '../certification/mentoring.service.js';
import { ProgrammesService } from '../certification/programmes.service.js';
import { GeographyService } from '../geography/geography.service.js';
import { Authenticated } from '../identity/auth.decorators.js';
import { PortalView, errorMessage, type PortalContext } from './portal-view.js';
import { PortalForm } from './portal-form.js';

class AmbassadorPageQuery {
  @IsOptional() @IsUUID() programme?: string;
  @IsOptional() @IsUUID() commune?: string;
  @IsOptional() @IsString() lang?: string;
  @IsOptional() @IsString() notice?: string;
}

class MentoringForm extends PortalForm {
  // As the API's CreateMentoringRecordDto; empty fields are named on the form instead.
  @ValidateIf((form: MentoringForm) => !!form.helpedOn) @IsDateString({ strict: true }) helpedOn?: string;
  @IsOptional() @IsString() @MaxLength(120) household?: string;
  @IsOptional() @IsIn(MENTORING_TASKS) task?: string;
  @IsOptional() @IsString() @MaxLength(500) note?: string;
  @IsOptional() @IsUUID() programme?: string;
}

class ApplyForm extends PortalForm {
  @IsUUID() programmeId!: string;
  @IsOptional() @IsUUID() villageId?: string;
  @IsOptional() @IsString() @Length(0, 1000) statement?: string;
}

/** What learners see of certification: their certificates, and the way to become a "Người bản số". */
@ApiExcludeController()
@Authenticated()
@Controller('/my')
export class AmbassadorPagesController {
  constructor(
    @Inject(PortalView) private readonly view: PortalView,
    @Inject(CertificatesService) private readonly certificates: CertificatesService,
    @Inject(ProgrammesService) private readonly programmes: ProgrammesService,
    @Inject(EligibilityService) private readonly eligibility: EligibilityService,
    @Inject(MentoringService) private readonly mentoring: MentoringService,
    @Inject(ApplicationsService) private readonly applications: ApplicationsService,
    @Inject(GeographyService) private readonly geography: GeographyService,
  ) {}

  /** Download links are short-lived: the page is never cached. */
  @Get('/certificates')
  async myCertificates(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.view.context(req, reply);
    void reply.header('cache-control', 'no-store');
    const list = await this.certificates.mine(ctx.principal!);
    const programmes = new Map((await this.programmes.list(true)).map((p) => [p.id, p]));
    const places = await this.placeNames(list.map((c) => c.villageId));
    return this.view.render(
      ctx,
      'my-certificates',
      {
        certificates: list.map((c) => ({
          ...c,
          programme: pickLocalized(programmes.get(c.programmeId)?.names ?? {}, ctx.chain),
          village: places.get(c.villageId) ?? '',
          statusText: ctx.t(`certificate.status.${c.status}`),
          valid: c.status === 'valid',
        })),
      },
      { title: ctx.t('nav.myCertificates') },
    );
  }

  private async placeNames(ids: (string | null)[]) {
    const unique = [...new Set(ids.filter((id): id is string => !!id))];
    return new Map(
      await Promise.all(unique.map(async (id) => [id, await this.geography.placeName(id)] as const)),
    );
  }

  /** Eligibility item by item, the "1 kèm 5" log, and the application, for one programme. */
  @Get('/ambassador')
  async ambassador(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() query: AmbassadorPageQuery,
  ) {
    const ctx = await this.view.context(req, reply);
    return this.renderAmbassador(ctx, query);
  }

  private async renderAmbassador(
    ctx: PortalContext,
    query: AmbassadorPageQuery,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const programmes = await this.programmes.list(false);
    const programme = programmes.find((p) => p.id === query.programme) ?? programmes[0];
    if (!programme)
      return this.view.render(ctx, 'ambassador', { none: true }, { title: ctx.t('nav.ambassador') });
    const user = ctx.user!;
    const [snapshot, records, mine] = await Promise.all([
      this.eligibility.assess(user.id, programme, user.villageId),
      this.mentoring.recordsOf(user.id),
      this.applications.mine(ctx.principal!),
    ]);
    const checklist = await this.eligibility.present(snapshot, programme.id, ctx.chain);
    const application =
      mine.find((a) => a.programmeId === programme.id && a.status === 'submitted') ??
      mine.find((a) => a.programmeId === programme.id) ??
      null;
    const communes = await this.geography.search({
      parentId: programme.provinceId,
      level: 'commune',
      page: 1,
      pageSize: 200,
    });
    const commune = query.commune ?? null;
    const villages = commune
      ? (await this.geography.search({ parentId: commune, level: 'village', page: 1, pageSize: 200 })).items
      : [];
    const places = await this.placeNames([user.villageId, application?.villageId ?? null]);
    return this.view.render(
      ctx,
      'ambassador',
      {
        programme: { ...programme, name: pickLocalized(programme.names, ctx.chain) },
        programmes:
          programmes.length > 1
            ? programmes.map((p) => ({ id: p.id, name: pickLocalized(p.names, ctx.chain) }))
            : [],
        checklist,
        records: records.map((r) => ({ ...r, taskText: ctx.t(`mentoring.task.${r.task}`) })),
        households: new Set(records.map((r) => r.household.toLowerCase())).size,
        tasks: MENTORING_TASKS.map((code) => ({ code, text: ctx.t(`mentoring.task.${code}`) })),
        today: vietnamDay(new Date()),
        application: application && {
          ...application,
          statusText: ctx.t(`application.status.${application.status}`),
          open: application.status === 'submitted',
          village: places.get(application.villageId) ?? '',
        },
        canApply: !application || !['submitted', 'approved'].includes(application.status),
        ownVillage: user.villageId ? { id: user.villageId, name: places.get(user.villageId) } : null,
        communes: communes.items.map((c) => ({ id: c.id, name: c.name, selected: c.id === commune })),
        commune,
        villages: villages.map((v) => ({ id: v.id, name: v.name })),
        ...extra,
      },
      { title: ctx.t('nav.ambassador'), status, scripts: ['/assets/evidence.js'] },
    );
  }

  @Post('/ambassador/mentoring')
  async logHousehold(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() form: MentoringForm) {
    const ctx = await this.view.context(req, reply);
    const missing = (['helpedOn', 'household', 'task'] as const)
      .filter((f) => (form[f]?.trim().length ?? 0) < (f === 'household' ? 2 : 1))
      .map((f) => ctx.t(`mentoring.required.${f}`));
    const fail = (errors: string[], status: number) =>
      this.renderAmbassador(
        ctx,
        { programme: form.programme },
        { mentoringErrors: errors, mentoringForm: form },
        status,
      );
    if (missing.length) return fail(missing, 400);
    try {
      await this.mentoring.create(ctx.user!.id, {
        helpedOn: form.helpedOn!,
        household: form.household!.normalize('NFC').trim(),
        task: form.task!,
        note: form.note?.normalize('NFC').trim() || undefined,
      });
    } catch (e) {
      if (!(e instanceof DomainError) || e.statusCode >= 500) throw e;
      return fail([errorMessage(ctx, e)], e.statusCode);
    }
    return reply.redirect(
      `/my/ambassador?notice=mentoringLogged${form.programme ? `&programme=${form.programme}` : ''}#mentoring`,
      303,
    );
  }

  @Post('/ambassador/apply')
  async apply(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() form: ApplyForm) {
    const ctx = await this.view.context(req, reply);
    try {
      await this.applications.apply(ctx.principal!, {
        programmeId: form.programmeId,
        villageId: form.villageId,
        statement: form.statement?.normalize('NFC').trim() || undefined,
      });
    } catch (e) {
      if (!(e instanceof DomainError) || e.statusCode >= 500) throw e;
      return this.renderAmbassador(
        ctx,
        { programme: form.programmeId },
        { applyError: errorMessage(ctx, e) },
        e.statusCode,
      );
    }
    return reply.redirect(`/my/ambassador?notice=applied&programme=${form.programmeId}`, 303);
  }

  @Post('/ambassador/applications/:id/withdraw')
  async withdraw(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() _form: PortalForm,
  ) {
    const ctx = await this.view.context(req, reply);
    await this.applications.withdraw(ctx.principal!, id);
    return reply.redirect('/my/ambassador?notice=withdrawn', 303);
  }
}

import QRCode from 'qrcode';
import { Body, Get, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { IsDateString, IsIn, IsString, IsUUID, Length, MaxLength, ValidateIf } from 'class-validator';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { vietnamDay } from '../../../infrastructure/i18n/vietnam-time.js';
import { pickLocalized } from '../../../infrastructure/i18n/locales.js';
import { ApplicationsService } from '../../certification/applications.service.js';
import { CertificatesService } from '../../certification/certificates.service.js';
import { EligibilityService } from '../../certification/eligibility.service.js';
import { MENTORING_TASKS } from '../../certification/certification.types.js';
import { MentoringService } from '../../certification/mentoring.service.js';
import { ProgrammesService } from '../../certification/programmes.service.js';
import { GeographyService } from '../../geography/geography.service.js';
import { AccountRecoveryService } from '../../identity/account-recovery.service.js';
import { Authenticated } from '../../../infrastructure/auth/auth.decorators.js';
import { type PortalPage } from '../shell/portal-view.js';
import { Page, PortalPages } from '../shell/page.js';
import { PortalForm } from '../shell/portal-form.js';

class AmbassadorPageQuery {
  @Optional() @IsUUID() programme?: string;
  @Optional() @IsUUID() commune?: string;
  @Optional() @IsString() lang?: string;
  @Optional() @IsString() notice?: string;
}

class MentoringForm extends PortalForm {
  // As the API's CreateMentoringRecordDto; empty fields are named on the form instead.
  @ValidateIf((form: MentoringForm) => !!form.helpedOn) @IsDateString({ strict: true }) helpedOn?: string;
  @Optional() @IsString() @MaxLength(120) household?: string;
  @Optional() @IsIn(MENTORING_TASKS) task?: string;
  @Optional() @IsString() @MaxLength(500) note?: string;
  @Optional() @IsUUID() programme?: string;
}

class ApplyForm extends PortalForm {
  @IsUUID() programmeId!: string;
  @Optional() @IsUUID() villageId?: string;
  @Optional() @IsString() @Length(0, 1000) statement?: string;
}

/** What learners see of certification: their certificates, and the way to become a "Người bản số". */
@Authenticated()
@PortalPages('learn', '/my')
export class AmbassadorPagesController {
  constructor(
    @Inject(CertificatesService) private readonly certificates: CertificatesService,
    @Inject(ProgrammesService) private readonly programmes: ProgrammesService,
    @Inject(EligibilityService) private readonly eligibility: EligibilityService,
    @Inject(MentoringService) private readonly mentoring: MentoringService,
    @Inject(ApplicationsService) private readonly applications: ApplicationsService,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(AccountRecoveryService) private readonly recovery: AccountRecoveryService,
  ) {}

  /** Download links are short-lived: the page is never cached. */
  @Get('/certificates')
  async myCertificates(@Page() page: PortalPage) {
    void page.reply.header('cache-control', 'no-store');
    const list = await this.certificates.mine(page.principal!);
    const programmes = new Map((await this.programmes.list(true)).map((p) => [p.id, p]));
    const places = await this.placeNames(list.map((c) => c.villageId));
    return page.render(
      'my-certificates',
      {
        certificates: await Promise.all(
          list.map(async (c) => ({
            ...c,
            // Drawn here, not by a script: the page works offline-first on any phone.
            walletQr: c.wallet
              ? await QRCode.toString(c.wallet.credentialUrl, {
                  type: 'svg',
                  margin: 1,
                  errorCorrectionLevel: 'M',
                })
              : null,
            programme: pickLocalized(programmes.get(c.programmeId)?.names ?? {}, page.chain),
            village: places.get(c.villageId) ?? '',
            statusText: page.t(`certificate.status.${c.status}`),
            valid: c.status === 'valid',
          })),
        ),
      },
      { title: page.t('nav.myCertificates') },
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
  async ambassador(@Page() page: PortalPage, @Query() query: AmbassadorPageQuery) {
    return this.renderAmbassador(page, query);
  }

  private async renderAmbassador(
    page: PortalPage,
    query: AmbassadorPageQuery,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const programmes = await this.programmes.list(false);
    const programme = programmes.find((p) => p.id === query.programme) ?? programmes[0];
    if (!programme) return page.render('ambassador', { none: true }, { title: page.t('nav.ambassador') });
    const user = page.user!;
    const [snapshot, records, mine, mayHelpRecover] = await Promise.all([
      this.eligibility.assess(user.id, programme, user.villageId),
      this.mentoring.recordsOf(user.id),
      this.applications.mine(page.principal!),
      this.recovery.mayIssue(page.principal!),
    ]);
    const checklist = await this.eligibility.present(snapshot, programme.id, page.chain);
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
    return page.render(
      'ambassador',
      {
        programme: { ...programme, name: pickLocalized(programme.names, page.chain) },
        programmes:
          programmes.length > 1
            ? programmes.map((p) => ({ id: p.id, name: pickLocalized(p.names, page.chain) }))
            : [],
        checklist,
        records: records.map((r) => ({ ...r, taskText: page.t(`mentoring.task.${r.task}`) })),
        households: new Set(records.map((r) => r.household.toLowerCase())).size,
        tasks: MENTORING_TASKS.map((code) => ({ code, text: page.t(`mentoring.task.${code}`) })),
        today: vietnamDay(new Date()),
        application: application && {
          ...application,
          statusText: page.t(`application.status.${application.status}`),
          open: application.status === 'submitted',
          village: places.get(application.villageId) ?? '',
        },
        canApply: !application || !['submitted', 'approved'].includes(application.status),
        ownVillage: user.villageId ? { id: user.villageId, name: places.get(user.villageId) } : null,
        communes: communes.items.map((c) => ({ id: c.id, name: c.name, selected: c.id === commune })),
        commune,
        villages: villages.map((v) => ({ id: v.id, name: v.name })),
        mayHelpRecover,
        ...extra,
      },
      { title: page.t('nav.ambassador'), status, scripts: ['/assets/evidence.js'] },
    );
  }

  @Post('/ambassador/mentoring')
  async logHousehold(@Page() page: PortalPage, @Body() form: MentoringForm) {
    const missing = (['helpedOn', 'household', 'task'] as const)
      .filter((f) => (form[f]?.trim().length ?? 0) < (f === 'household' ? 2 : 1))
      .map((f) => page.t(`mentoring.required.${f}`));
    const fail = (errors: string[], status: number) =>
      this.renderAmbassador(
        page,
        { programme: form.programme },
        { mentoringErrors: errors, mentoringForm: form },
        status,
      );
    if (missing.length) return fail(missing, 400);
    page.onRefusal((r) => fail([r.message], r.status), 'any');
    await this.mentoring.create(page.user!.id, {
      helpedOn: form.helpedOn!,
      household: form.household!.normalize('NFC').trim(),
      task: form.task!,
      note: form.note?.normalize('NFC').trim() || undefined,
    });
    return page.redirect(
      `/my/ambassador?notice=mentoringLogged${form.programme ? `&programme=${form.programme}` : ''}#mentoring`,
    );
  }

  @Post('/ambassador/apply')
  async apply(@Page() page: PortalPage, @Body() form: ApplyForm) {
    page.onRefusal(
      (r) =>
        this.renderAmbassador(page, { programme: form.programmeId }, { applyError: r.message }, r.status),
      'any',
    );
    await this.applications.apply(page.principal!, {
      programmeId: form.programmeId,
      villageId: form.villageId,
      statement: form.statement?.normalize('NFC').trim() || undefined,
    });
    return page.redirect(`/my/ambassador?notice=applied&programme=${form.programmeId}`);
  }

  @Post('/ambassador/applications/:id/withdraw')
  async withdraw(
    @Param('id', ParseUUIDPipe) id: string,
    @Page() page: PortalPage,
    @Body() _form: PortalForm,
  ) {
    await this.applications.withdraw(page.principal!, id, page.chain);
    return page.redirect('/my/ambassador?notice=withdrawn');
  }
}

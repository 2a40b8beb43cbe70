import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonError, DomainError } from '../../infrastructure/http/domain-error.js';
import { PageQueryDto } from '../../infrastructure/http/pagination.js';
import { NormalizedText } from '../../infrastructure/http/text.js';
import { pickLocalized } from '../../infrastructure/i18n/locales.js';
import { hasMessage } from '../../infrastructure/i18n/messages.js';
import { vietnamDay } from '../../infrastructure/i18n/vietnam-time.js';
import { AmbassadorRegistryService } from '../certification/ambassador-registry.service.js';
import { ApplicationsService } from '../certification/applications.service.js';
import { CertificatesService } from '../certification/certificates.service.js';
import { CertificationErrorCode } from '../certification/certification.errors.js';
import type { ApplicationQueueQueryDto } from '../certification/dto/certification.dto.js';
import type { EligibilitySnapshot } from '../certification/eligibility.js';
import { EligibilityService } from '../certification/eligibility.service.js';
import { APPLICATION_STATUSES } from '../certification/entities/application.entity.js';
import { ProgrammesService } from '../certification/programmes.service.js';
import { GeographyService, type LocalitySummary } from '../geography/geography.service.js';
import { Roles } from '../identity/auth.decorators.js';
import type { Principal } from '../identity/roles.js';
import { UsersService } from '../identity/users.service.js';
import { toCsv, type CsvColumn } from './csv.js';
import { errorMessage, PortalView, type PortalContext } from './portal-view.js';
import { PortalForm } from './portal-form.js';

type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

const REASON_MIN = 3;
const REASON_MAX = 1000;
/** Rows fetched per call while building an export (the services page their lists). */
const EXPORT_BATCH = 100;
const REGISTRY_PAGE_SIZE = 50;

/** Every coordinator page reads `?lang=` (remembered language) and `?notice=` (after a redirect). */
class PortalPageQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @MaxLength(8) lang?: string;
  @IsOptional() @IsString() @MaxLength(40) notice?: string;
}

class QueueQueryDto extends PortalPageQueryDto {
  @IsOptional() @IsIn(APPLICATION_STATUSES) status?: ApplicationStatus;
}

class CoverageQueryDto extends PortalPageQueryDto {
  @IsOptional() @IsUUID() locality?: string;
}

class ExportQueryDto {
  @IsOptional() @IsString() @MaxLength(8) lang?: string;
  @IsOptional() @IsUUID() locality?: string;
}

class DetailQueryDto {
  @IsOptional() @IsString() @MaxLength(8) lang?: string;
  @IsOptional() @IsString() @MaxLength(40) notice?: string;
}

/** The reason is checked here, not by the pipe, so a short one re-renders the page with the words. */
class ReasonFormDto extends PortalForm {
  @IsOptional() @NormalizedText({ multiline: true }) @IsString() @MaxLength(5000) reason?: string;
}

type DecisionForm = 'approve' | 'reject' | 'revoke';

interface DetailExtras {
  /** A refusal from the service (own application, already decided …), shown above the forms. */
  refusal?: string;
  /** The form whose reason was missing, its message and what was typed. */
  invalid?: { form: DecisionForm; message: string; reason: string };
}

/** Refusals shown on the application page itself; anything else (403 outside the area, 404) is an error page. */
const REFUSALS_SHOWN_IN_PAGE = new Set<string>([
  CertificationErrorCode.OwnApplication,
  CertificationErrorCode.AlreadyDecided,
  CertificationErrorCode.NotEligible,
  CertificationErrorCode.AlreadyRevoked,
  CertificationErrorCode.CertificateNotActive,
]);

const percent = (ratio: number) => Math.round(ratio * 1000) / 10;

/**
 * The coordination team's pages: the review queue of their locality, an application with its
 * evidence and the decision forms, coverage and the ambassador registry, and CSV exports. Scope
 * (commune or province) is decided by the certification services; these pages only show it.
 */
@ApiExcludeController()
@Roles('coordinator')
@Controller('coordinate')
export class CoordinatorPagesController {
  constructor(
    @Inject(PortalView) private readonly view: PortalView,
    @Inject(ApplicationsService) private readonly applications: ApplicationsService,
    @Inject(CertificatesService) private readonly certificates: CertificatesService,
    @Inject(AmbassadorRegistryService) private readonly registry: AmbassadorRegistryService,
    @Inject(EligibilityService) private readonly eligibility: EligibilityService,
    @Inject(ProgrammesService) private readonly programmes: ProgrammesService,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  @Get()
  async queue(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: QueueQueryDto) {
    const ctx = await this.view.context(req, reply);
    const status = query.status ?? 'submitted';
    const page = await this.applications.queue(ctx.principal!, this.queueQuery(status, query));
    const [places, programmes] = await Promise.all([
      this.places(page.items.map((a) => a.villageId)),
      this.programmeNames(
        ctx,
        page.items.map((a) => a.programmeId),
      ),
    ]);
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    const href = (p: number) => `/coordinate?${new URLSearchParams({ status, page: String(p) }).toString()}`;
    return this.view.render(
      ctx,
      'coordinate/queue',
      {
        status,
        statusLabel: ctx.t(`coordinate.status.${status}`),
        statuses: APPLICATION_STATUSES.map((s) => ({
          value: s,
          label: ctx.t(`coordinate.status.${s}`),
          href: `/coordinate?status=${s}`,
          current: s === status,
        })),
        items: page.items.map((a) => ({
          href: `/coordinate/applications/${a.id}`,
          candidateName: a.candidateName ?? '—',
          village: places.get(a.villageId)?.village ?? '—',
          commune: places.get(a.villageId)?.commune ?? '',
          programme: programmes.get(a.programmeId) ?? null,
          kind: ctx.t(`coordinate.kind.${a.kind}`),
          submittedAt: a.createdAt,
          decidedAt: a.decidedAt,
          status: ctx.t(`coordinate.status.${a.status}`),
        })),
        total: page.total,
        paging: {
          page: page.page,
          pages,
          prev: page.page > 1 ? href(page.page - 1) : null,
          next: page.page < pages ? href(page.page + 1) : null,
        },
        exports: this.exportLinks(),
      },
      { title: ctx.t('coordinate.queue.title') },
    );
  }

  @Get('applications/:id')
  async application(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() _query: DetailQueryDto,
  ) {
    return this.renderApplication(await this.view.context(req, reply), id);
  }

  @Post('applications/:id/approve')
  async approve(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: ReasonFormDto,
  ) {
    const ctx = await this.view.context(req, reply);
    // The note is optional when approving: meeting every requirement is the reason.
    const reason = form.reason || ctx.t('coordinate.approve.defaultReason');
    const invalid = this.reasonProblem(ctx, 'approve', reason);
    if (invalid) return this.renderApplication(ctx, id, { invalid }, 400);
    try {
      await this.applications.decide(ctx.principal!, id, 'approved', reason, String(req.id));
    } catch (e) {
      return this.refused(ctx, id, e);
    }
    return reply.redirect(`/coordinate/applications/${id}?notice=approved`, 303);
  }

  @Post('applications/:id/reject')
  async reject(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: ReasonFormDto,
  ) {
    const ctx = await this.view.context(req, reply);
    const reason = form.reason ?? '';
    const invalid = this.reasonProblem(ctx, 'reject', reason);
    if (invalid) return this.renderApplication(ctx, id, { invalid }, 400);
    try {
      await this.applications.decide(ctx.principal!, id, 'rejected', reason);
    } catch (e) {
      return this.refused(ctx, id, e);
    }
    return reply.redirect(`/coordinate/applications/${id}?notice=rejected`, 303);
  }

  /** Revokes the certificate this application led to (kept, and shown as revoked when verified). */
  @Post('applications/:id/revoke')
  async revoke(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: ReasonFormDto,
  ) {
    const ctx = await this.view.context(req, reply);
    // Read first: someone outside the area gets 403/404 before any word about the form.
    const application = await this.applications.detail(ctx.principal!, id, ctx.chain);
    const reason = form.reason ?? '';
    const invalid = this.reasonProblem(ctx, 'revoke', reason);
    if (invalid) return this.renderApplication(ctx, id, { invalid }, 400);
    const certificate = application.certificate;
    if (!certificate || certificate.status !== 'valid') {
      return this.renderApplication(ctx, id, { refusal: ctx.t('coordinate.refused.notIssued') }, 409);
    }
    try {
      await this.certificates.revoke(ctx.principal!, certificate.id, reason);
    } catch (e) {
      return this.refused(ctx, id, e);
    }
    return reply.redirect(`/coordinate/applications/${id}?notice=revoked`, 303);
  }

  @Get('coverage')
  async coverage(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: CoverageQueryDto) {
    const ctx = await this.view.context(req, reply);
    const who = ctx.principal!;
    const roots = await this.roots(who);
    const localityId = query.locality ?? roots[0].id;
    const [coverage, registry] = await Promise.all([
      this.registry.coverage(who, localityId),
      this.registry.ambassadors(who, localityId, query.page, REGISTRY_PAGE_SIZE),
    ]);
    const partNames = new Map(coverage.parts.map((p) => [p.id, p.name]));
    const pages = Math.max(1, Math.ceil(registry.total / registry.pageSize));
    const href = (p: number) =>
      `/coordinate/coverage?${new URLSearchParams({ locality: localityId, page: String(p) }).toString()}`;
    const partsAreVillages = coverage.parts.every((p) => p.level === 'village');
    return this.view.render(
      ctx,
      'coordinate/coverage',
      {
        locality: {
          name: coverage.locality.name,
          level: ctx.t(`coordinate.level.${coverage.locality.level}`),
        },
        // The coordinator's own areas, to switch between them or climb back from a commune.
        areas:
          roots.length > 1 || !roots.some((r) => r.id === localityId)
            ? roots.map((r) => ({
                name: r.name,
                level: ctx.t(`coordinate.level.${r.level}`),
                href: `/coordinate/coverage?locality=${r.id}`,
                current: r.id === localityId,
              }))
            : [],
        summary: {
          villages: coverage.villages,
          covered: coverage.covered,
          percent: percent(coverage.coverage),
          activeAmbassadors: coverage.activeAmbassadors,
        },
        partsHeading: ctx.t(
          partsAreVillages ? 'coordinate.coverage.byVillage' : 'coordinate.coverage.byCommune',
        ),
        partColumn: ctx.t(partsAreVillages ? 'coordinate.col.village' : 'coordinate.col.commune'),
        parts: coverage.parts.map((p) => ({
          name: p.name ?? '—',
          villages: p.villages,
          covered: p.covered,
          percent: percent(p.coverage),
          href: p.level === 'commune' ? `/coordinate/coverage?locality=${p.id}` : null,
        })),
        uncovered: coverage.uncovered.map((v) => ({
          name: v.name,
          commune: v.communeId ? (partNames.get(v.communeId) ?? null) : null,
        })),
        ambassadors: registry.items.map((a) => ({
          holderName: a.holderName,
          village: a.villageName ?? '—',
          serial: a.serial,
          issuedAt: a.issuedAt,
          expiresAt: a.expiresAt,
        })),
        registryTotal: registry.total,
        paging: {
          page: registry.page,
          pages,
          prev: registry.page > 1 ? href(registry.page - 1) : null,
          next: registry.page < pages ? href(registry.page + 1) : null,
        },
        exports: this.exportLinks(localityId),
      },
      { title: ctx.t('coordinate.coverage.title') },
    );
  }

  /** Applications in the coordinator's area (or `?locality=` inside it), every status, oldest first. */
  @Get('exports/candidates.csv')
  async candidatesCsv(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() query: ExportQueryDto,
  ) {
    const ctx = await this.view.context(req, reply);
    const rows = [];
    for (const status of APPLICATION_STATUSES) {
      for (let page = 1; ; page++) {
        const batch = await this.applications.queue(
          ctx.principal!,
          this.queueQuery(status, { page, pageSize: EXPORT_BATCH }, query.locality),
        );
        rows.push(...batch.items);
        if (page * EXPORT_BATCH >= batch.total || batch.items.length === 0) break;
      }
    }
    const [places, programmes] = await Promise.all([
      this.places(rows.map((a) => a.villageId)),
      this.programmeNames(
        ctx,
        rows.map((a) => a.programmeId),
      ),
    ]);
    type Row = (typeof rows)[number];
    const snapshot = (a: Row) => a.eligibility as EligibilitySnapshot | null;
    const columns: CsvColumn<Row>[] = [
      { header: ctx.t('coordinate.col.candidate'), value: (a) => a.candidateName },
      { header: ctx.t('coordinate.col.village'), value: (a) => places.get(a.villageId)?.village },
      { header: ctx.t('coordinate.col.commune'), value: (a) => places.get(a.villageId)?.commune },
      { header: ctx.t('coordinate.col.programme'), value: (a) => programmes.get(a.programmeId)?.text },
      { header: ctx.t('coordinate.col.kind'), value: (a) => ctx.t(`coordinate.kind.${a.kind}`) },
      { header: ctx.t('coordinate.col.status'), value: (a) => ctx.t(`coordinate.status.${a.status}`) },
      { header: ctx.t('coordinate.col.submitted'), value: (a) => vietnamDay(new Date(a.createdAt)) },
      {
        header: ctx.t('coordinate.col.decided'),
        value: (a) => a.decidedAt && vietnamDay(new Date(a.decidedAt)),
      },
      { header: ctx.t('coordinate.col.reason'), value: (a) => a.decisionReason },
      { header: ctx.t('coordinate.col.quizAverage'), value: (a) => snapshot(a)?.quizAverage.actual },
      { header: ctx.t('coordinate.col.households'), value: (a) => snapshot(a)?.households.actual },
    ];
    return this.sendCsv(reply, 'candidates', toCsv(rows, columns));
  }

  /** Active ambassadors (valid certificate) serving villages of the area, by village. */
  @Get('exports/ambassadors.csv')
  async ambassadorsCsv(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() query: ExportQueryDto,
  ) {
    const ctx = await this.view.context(req, reply);
    const rows = await this.allAmbassadors(ctx.principal!, query.locality);
    const places = await this.places(rows.map((a) => a.villageId));
    type Row = (typeof rows)[number];
    const columns: CsvColumn<Row>[] = [
      { header: ctx.t('coordinate.col.ambassador'), value: (a) => a.holderName },
      { header: ctx.t('coordinate.col.village'), value: (a) => places.get(a.villageId)?.village },
      { header: ctx.t('coordinate.col.commune'), value: (a) => places.get(a.villageId)?.commune },
      { header: ctx.t('coordinate.col.serial'), value: (a) => a.serial },
      { header: ctx.t('coordinate.col.issued'), value: (a) => vietnamDay(new Date(a.issuedAt)) },
      { header: ctx.t('coordinate.col.validUntil'), value: (a) => vietnamDay(new Date(a.expiresAt)) },
    ];
    return this.sendCsv(reply, 'ambassadors', toCsv(rows, columns));
  }

  /** One row per village of the area: its commune, how many active ambassadors serve it, covered or not. */
  @Get('exports/coverage.csv')
  async coverageCsv(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query() query: ExportQueryDto) {
    const ctx = await this.view.context(req, reply);
    const who = ctx.principal!;
    const localityIds = query.locality ? [query.locality] : (await this.roots(who)).map((r) => r.id);
    const holders = new Map<string, Set<string>>();
    for (const localityId of localityIds) {
      const coverage = await this.registry.coverage(who, localityId);
      for (const v of coverage.uncovered) holders.set(v.id, new Set());
    }
    for (const a of await this.allAmbassadors(who, query.locality)) {
      holders.set(a.villageId, (holders.get(a.villageId) ?? new Set()).add(a.holderId));
    }
    const places = await this.places([...holders.keys()]);
    const rows = [...holders.entries()]
      .map(([id, h]) => ({ ...places.get(id), ambassadors: h.size }))
      .sort(
        (a, b) =>
          String(a.commune).localeCompare(String(b.commune), 'vi') ||
          String(a.village).localeCompare(String(b.village), 'vi'),
      );
    type Row = (typeof rows)[number];
    const columns: CsvColumn<Row>[] = [
      { header: ctx.t('coordinate.col.commune'), value: (r) => r.commune },
      { header: ctx.t('coordinate.col.village'), value: (r) => r.village },
      { header: ctx.t('coordinate.col.activeAmbassadors'), value: (r) => r.ambassadors },
      {
        header: ctx.t('coordinate.col.covered'),
        value: (r) => ctx.t(r.ambassadors > 0 ? 'coordinate.yes' : 'coordinate.no'),
      },
    ];
    return this.sendCsv(reply, 'coverage', toCsv(rows, columns));
  }

  private async renderApplication(ctx: PortalContext, id: string, extras: DetailExtras = {}, status = 200) {
    const who = ctx.principal!;
    const a = await this.applications.detail(who, id, ctx.chain);
    const snapshot = a.eligibility as EligibilitySnapshot;
    const actorIds = [
      ...a.audit.map((e) => e.actorId),
      ...[a.decidedBy, a.nominatedBy].filter((x): x is string => !!x),
    ];
    const villageIds = [
      a.villageId,
      ...a.mentoringRecords.map((r) => r.villageId).filter((v): v is string => !!v),
    ];
    const [programme, place, names, places, courses] = await Promise.all([
      this.programmes.get(a.programmeId),
      this.geography.placeName(a.villageId),
      this.users.displayNames(actorIds.filter((x): x is string => !!x)),
      this.places(villageIds),
      Promise.all(
        snapshot.courses.map(async (c) => ({
          title: await this.eligibility.courseTitle(c.courseId, c.completion?.courseVersionId, ctx.chain),
          met: c.met,
          version: c.completion?.version ?? null,
          locale: c.completion?.locale ?? null,
          score: c.completion?.averageQuizScore ?? null,
          completedAt: c.completion?.completedAt ?? null,
        })),
      ),
    ]);
    const own = a.candidateId === who.userId || a.nominatedBy === who.userId;
    const certificate = a.certificate;
    const invalid = extras.invalid;
    const formState = (form: DecisionForm) => ({
      error: invalid?.form === form ? invalid.message : null,
      reason: invalid?.form === form ? invalid.reason : '',
    });
    return this.view.render(
      ctx,
      'coordinate/application',
      {
        id: a.id,
        refusal: extras.refusal ?? null,
        candidateName: a.candidate.displayName,
        programme: pickLocalized(programme.names, ctx.chain),
        place,
        kind: ctx.t(`coordinate.kind.${a.kind}`),
        status: a.status,
        statusLabel: ctx.t(`coordinate.status.${a.status}`),
        submittedAt: a.createdAt,
        statement: a.statement,
        nominatedBy: a.nominatedBy ? (names.get(a.nominatedBy) ?? '—') : null,
        decision:
          a.status === 'submitted' || a.status === 'withdrawn'
            ? null
            : {
                by: a.decidedBy ? (names.get(a.decidedBy) ?? '—') : '—',
                at: a.decidedAt,
                reason: a.decisionReason,
              },
        courses,
        quizAverage: snapshot.quizAverage,
        households: snapshot.households,
        snapshotCheckedAt: snapshot.checkedAt,
        checklist: {
          eligible: a.checklist.eligible,
          checkedAt: a.checklist.checkedAt,
          items: a.checklist.items,
        },
        records: a.mentoringRecords.map((r) => ({
          helpedOn: r.helpedOn,
          household: r.household,
          village: r.villageId ? (places.get(r.villageId)?.village ?? '—') : null,
          task: ctx.t(`coordinate.task.${r.task}`),
          note: r.note,
          photoUrl: r.photo?.url ?? null,
          photoAwaited: r.photo?.status === 'awaiting_upload',
        })),
        audit: a.audit.map((e) => ({
          at: e.at,
          action: hasMessage(`coordinate.audit.${e.action}`)
            ? ctx.t(`coordinate.audit.${e.action}`)
            : e.action,
          actor: e.actorId ? (names.get(e.actorId) ?? '—') : ctx.t('coordinate.audit.system'),
          reason: e.reason,
        })),
        canDecide: a.status === 'submitted' && !own,
        ownApplication: a.status === 'submitted' && own,
        approveForm: formState('approve'),
        rejectForm: formState('reject'),
        revokeForm: formState('revoke'),
        certificate: certificate && {
          serial: certificate.serial,
          state: ctx.t(`coordinate.certificate.${certificate.status}`),
          issued: certificate.status !== 'pending',
          issuedAt: certificate.issuedAt,
          expiresAt: certificate.expiresAt,
          revocationReason: certificate.revocationReason,
          statusDate: certificate.statusDate,
          verifyHref: `/verify/${certificate.verificationCode}`,
          canRevoke: certificate.status === 'valid',
        },
      },
      { title: a.candidate.displayName, status },
    );
  }

  /** Refusals a reviewer can act on are shown on the application page, with the service's status. */
  private async refused(ctx: PortalContext, id: string, e: unknown) {
    if (!(e instanceof DomainError) || !REFUSALS_SHOWN_IN_PAGE.has(e.code)) throw e;
    const key = `coordinate.refused.${e.code}`;
    const refusal = hasMessage(key) ? ctx.t(key) : errorMessage(ctx, e);
    return this.renderApplication(ctx, id, { refusal }, e.statusCode);
  }

  private reasonProblem(ctx: PortalContext, form: DecisionForm, reason: string) {
    if (reason.length >= REASON_MIN && reason.length <= REASON_MAX) return null;
    return {
      form,
      reason,
      message: ctx.t('coordinate.reason.invalid', { min: REASON_MIN, max: REASON_MAX }),
    };
  }

  private queueQuery(
    status: ApplicationStatus,
    paging: { page: number; pageSize: number },
    localityId?: string,
  ): ApplicationQueueQueryDto {
    return { status, page: paging.page, pageSize: paging.pageSize, localityId };
  }

  /** The localities the coordinator was granted, leaving out any inside another one. */
  private async roots(who: Principal): Promise<LocalitySummary[]> {
    const ids = who.roles.filter((r) => r.role === 'coordinator' && r.localityId).map((r) => r.localityId!);
    const granted = await this.geography.findMany([...new Set(ids)]);
    const roots = granted
      .filter((l) => !granted.some((o) => o.id !== l.id && l.path.startsWith(o.path)))
      .sort((a, b) => a.path.length - b.path.length || a.name.localeCompare(b.name, 'vi'));
    if (roots.length === 0) throw CommonError.forbidden('This needs a coordinator role for a locality.');
    return roots;
  }

  /** Every active ambassador of the area (or of `localityId` inside it), each certificate once. */
  private async allAmbassadors(who: Principal, localityId?: string) {
    const localityIds = localityId ? [localityId] : (await this.roots(who)).map((r) => r.id);
    const seen = new Map<
      string,
      Awaited<ReturnType<AmbassadorRegistryService['ambassadors']>>['items'][number]
    >();
    for (const id of localityIds) {
      for (let page = 1; ; page++) {
        const batch = await this.registry.ambassadors(who, id, page, EXPORT_BATCH);
        for (const a of batch.items) seen.set(a.certificateId, a);
        if (page * EXPORT_BATCH >= batch.total || batch.items.length === 0) break;
      }
    }
    return [...seen.values()];
  }

  /** Village and commune names for village ids. */
  private async places(
    villageIds: string[],
  ): Promise<Map<string, { village: string; commune: string | null }>> {
    const villages = await this.geography.findMany([...new Set(villageIds)]);
    const communes = new Map(
      (
        await this.geography.findMany([
          ...new Set(villages.map((v) => v.parentId).filter((p): p is string => !!p)),
        ])
      ).map((c) => [c.id, c.name]),
    );
    return new Map(
      villages.map((v) => [
        v.id,
        { village: v.name, commune: v.parentId ? (communes.get(v.parentId) ?? null) : null },
      ]),
    );
  }

  private async programmeNames(ctx: PortalContext, ids: string[]) {
    const programmes = await Promise.all([...new Set(ids)].map((id) => this.programmes.get(id)));
    return new Map(programmes.map((p) => [p.id, pickLocalized(p.names, ctx.chain)]));
  }

  private exportLinks(localityId?: string) {
    const query = localityId ? `?locality=${localityId}` : '';
    return {
      candidates: `/coordinate/exports/candidates.csv${query}`,
      ambassadors: `/coordinate/exports/ambassadors.csv${query}`,
      coverage: `/coordinate/exports/coverage.csv${query}`,
    };
  }

  private sendCsv(reply: FastifyReply, name: string, csv: string) {
    return reply
      .status(200)
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}-${vietnamDay(new Date())}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  }
}

import { Body, Get, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { NormalizedText } from '../../../infrastructure/http/text.js';
import { pickLocalized } from '../../../infrastructure/i18n/locales.js';
import { hasMessage } from '../../../infrastructure/i18n/messages.js';
import { ApplicationsService } from '../../certification/applications.service.js';
import { CertificatesService } from '../../certification/certificates.service.js';
import { CertificationErrorCode } from '../../certification/certification.errors.js';
import {
  DECISION_REASON_LENGTH,
  DecisionDto,
  type ApplicationQueueQueryDto,
} from '../../certification/dto/certification.dto.js';
import type { EligibilitySnapshot } from '../../certification/eligibility.js';
import { EligibilityService } from '../../certification/eligibility.service.js';
import { APPLICATION_STATUSES } from '../../certification/certification.types.js';
import { ProgrammesService } from '../../certification/programmes.service.js';
import { GeographyService } from '../../geography/geography.service.js';
import { Roles } from '../../../infrastructure/auth/auth.decorators.js';
import { UsersService } from '../../identity/users.service.js';
import { type PortalPage, type Refusal } from '../shell/portal-view.js';
import { Page, PortalPages } from '../shell/page.js';
import { meetsRules, PortalForm } from '../shell/portal-form.js';
import { exportLinks, PortalPageQueryDto } from './coordinate-pages.js';

type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

class QueueQueryDto extends PortalPageQueryDto {
  @Optional() @IsIn(APPLICATION_STATUSES) status?: ApplicationStatus;
}

class DetailQueryDto {
  @Optional() @IsString() @MaxLength(8) lang?: string;
  @Optional() @IsString() @MaxLength(40) notice?: string;
}

/** The reason is checked here, not by the pipe, so a short one re-renders the page with the words. */
class ReasonFormDto extends PortalForm {
  @Optional() @NormalizedText({ multiline: true }) @IsString() @MaxLength(5000) reason?: string;
}

type DecisionForm = 'approve' | 'reject' | 'revoke';

interface DetailExtras {
  /** A refusal from the service (own application, already decided …), shown above the forms. */
  refusal?: string;
  /** The form whose reason was missing, its message and what was typed. */
  invalid?: { form: DecisionForm; message: string; reason: string };
}

/** Refusals shown on the application page itself; anything else (403 outside the area, 404) is an error page. */
const REFUSALS_SHOWN_IN_PAGE: readonly string[] = [
  CertificationErrorCode.OwnApplication,
  CertificationErrorCode.AlreadyDecided,
  CertificationErrorCode.NotEligible,
  CertificationErrorCode.AlreadyRevoked,
  CertificationErrorCode.CertificateNotActive,
];

/**
 * The review queue of the coordinator's locality, an application with its evidence and the
 * decision forms (approve, reject, revoke the certificate it led to). Scope (commune or
 * province) is decided by the certification services; these pages only show it.
 */
@Roles('coordinator')
@PortalPages('coordinate', 'coordinate')
export class ApplicationsPagesController {
  constructor(
    @Inject(ApplicationsService) private readonly applications: ApplicationsService,
    @Inject(CertificatesService) private readonly certificates: CertificatesService,
    @Inject(EligibilityService) private readonly eligibility: EligibilityService,
    @Inject(ProgrammesService) private readonly programmes: ProgrammesService,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  @Get()
  async queue(@Page() page: PortalPage, @Query() query: QueueQueryDto) {
    const status = query.status ?? 'submitted';
    const found = await this.applications.queue(page.principal!, this.queueQuery(status, query));
    const [places, programmes] = await Promise.all([
      this.geography.villagePlaces(found.items.map((a) => a.villageId)),
      this.programmeNames(
        page,
        found.items.map((a) => a.programmeId),
      ),
    ]);
    const pages = Math.max(1, Math.ceil(found.total / found.pageSize));
    const href = (p: number) => `/coordinate?${new URLSearchParams({ status, page: String(p) }).toString()}`;
    return page.render(
      'coordinate/queue',
      {
        status,
        statusLabel: page.t(`coordinate.status.${status}`),
        statuses: APPLICATION_STATUSES.map((s) => ({
          value: s,
          label: page.t(`coordinate.status.${s}`),
          href: `/coordinate?status=${s}`,
          current: s === status,
        })),
        items: found.items.map((a) => ({
          href: `/coordinate/applications/${a.id}`,
          candidateName: a.candidateName ?? '—',
          village: places.get(a.villageId)?.village ?? '—',
          commune: places.get(a.villageId)?.commune ?? '',
          programme: programmes.get(a.programmeId) ?? null,
          kind: page.t(`coordinate.kind.${a.kind}`),
          submittedAt: a.createdAt,
          decidedAt: a.decidedAt,
          status: page.t(`coordinate.status.${a.status}`),
        })),
        total: found.total,
        paging: {
          page: found.page,
          pages,
          prev: found.page > 1 ? href(found.page - 1) : null,
          next: found.page < pages ? href(found.page + 1) : null,
        },
        exports: exportLinks(),
      },
      { title: page.t('coordinate.queue.title') },
    );
  }

  @Get('applications/:id')
  async application(
    @Param('id', ParseUUIDPipe) id: string,
    @Page() page: PortalPage,
    @Query() _query: DetailQueryDto,
  ) {
    return this.renderApplication(page, id);
  }

  @Post('applications/:id/approve')
  async approve(
    @Param('id', ParseUUIDPipe) id: string,
    @Page() page: PortalPage,
    @Body() form: ReasonFormDto,
  ) {
    // The note is optional when approving: meeting every requirement is the reason.
    const reason = form.reason || page.t('coordinate.approve.defaultReason');
    const invalid = await this.reasonProblem(page, 'approve', reason);
    if (invalid) return this.renderApplication(page, id, { invalid }, 400);
    page.onRefusal((r) => this.refused(page, id, r), { codes: REFUSALS_SHOWN_IN_PAGE });
    await this.applications.decide(page.principal!, id, 'approved', reason, String(page.req.id));
    return page.redirect(`/coordinate/applications/${id}?notice=approved`);
  }

  @Post('applications/:id/reject')
  async reject(
    @Param('id', ParseUUIDPipe) id: string,
    @Page() page: PortalPage,
    @Body() form: ReasonFormDto,
  ) {
    const reason = form.reason ?? '';
    const invalid = await this.reasonProblem(page, 'reject', reason);
    if (invalid) return this.renderApplication(page, id, { invalid }, 400);
    page.onRefusal((r) => this.refused(page, id, r), { codes: REFUSALS_SHOWN_IN_PAGE });
    await this.applications.decide(page.principal!, id, 'rejected', reason);
    return page.redirect(`/coordinate/applications/${id}?notice=rejected`);
  }

  /** Revokes the certificate this application led to (kept, and shown as revoked when verified). */
  @Post('applications/:id/revoke')
  async revoke(
    @Param('id', ParseUUIDPipe) id: string,
    @Page() page: PortalPage,
    @Body() form: ReasonFormDto,
  ) {
    // Read first: someone outside the area gets 403/404 before any word about the form.
    const application = await this.applications.detail(page.principal!, id, page.chain);
    const reason = form.reason ?? '';
    const invalid = await this.reasonProblem(page, 'revoke', reason);
    if (invalid) return this.renderApplication(page, id, { invalid }, 400);
    const certificate = application.certificate;
    if (!certificate || certificate.status !== 'valid') {
      return this.renderApplication(page, id, { refusal: page.t('coordinate.refused.notIssued') }, 409);
    }
    page.onRefusal((r) => this.refused(page, id, r), { codes: REFUSALS_SHOWN_IN_PAGE });
    await this.certificates.revoke(page.principal!, certificate.id, reason);
    return page.redirect(`/coordinate/applications/${id}?notice=revoked`);
  }

  private async renderApplication(page: PortalPage, id: string, extras: DetailExtras = {}, status = 200) {
    const who = page.principal!;
    const a = await this.applications.detail(who, id, page.chain);
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
      this.geography.villagePlaces(villageIds),
      Promise.all(
        snapshot.courses.map(async (c) => ({
          title: await this.eligibility.courseTitle(c.courseId, c.completion?.courseVersionId, page.chain),
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
    return page.render(
      'coordinate/application',
      {
        id: a.id,
        refusal: extras.refusal ?? null,
        candidateName: a.candidate.displayName,
        programme: pickLocalized(programme.names, page.chain),
        place,
        kind: page.t(`coordinate.kind.${a.kind}`),
        status: a.status,
        statusLabel: page.t(`coordinate.status.${a.status}`),
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
          task: page.t(`coordinate.task.${r.task}`),
          note: r.note,
          photoUrl: r.photo?.url ?? null,
          photoAwaited: r.photo?.status === 'awaiting_upload',
        })),
        audit: a.audit.map((e) => ({
          at: e.at,
          action: hasMessage(`coordinate.audit.${e.action}`)
            ? page.t(`coordinate.audit.${e.action}`)
            : e.action,
          actor: e.actorId ? (names.get(e.actorId) ?? '—') : page.t('coordinate.audit.system'),
          reason: e.reason,
        })),
        canDecide: a.status === 'submitted' && !own,
        ownApplication: a.status === 'submitted' && own,
        approveForm: formState('approve'),
        rejectForm: formState('reject'),
        revokeForm: formState('revoke'),
        certificate: certificate && {
          serial: certificate.serial,
          state: page.t(`coordinate.certificate.${certificate.status}`),
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
  private refused(page: PortalPage, id: string, refusal: Refusal) {
    return this.renderApplication(page, id, { refusal: refusal.message }, refusal.status);
  }

  /** The reason checked by the API's own DecisionDto; a problem re-renders the form with what was typed. */
  private async reasonProblem(page: PortalPage, form: DecisionForm, reason: string) {
    if (await meetsRules(DecisionDto, { reason })) return null;
    return { form, reason, message: page.t('coordinate.reason.invalid', { ...DECISION_REASON_LENGTH }) };
  }

  private queueQuery(
    status: ApplicationStatus,
    paging: { page: number; pageSize: number },
    localityId?: string,
  ): ApplicationQueueQueryDto {
    return { status, page: paging.page, pageSize: paging.pageSize, localityId };
  }

  private async programmeNames(page: PortalPage, ids: string[]) {
    const programmes = await Promise.all([...new Set(ids)].map((id) => this.programmes.get(id)));
    return new Map(programmes.map((p) => [p.id, pickLocalized(p.names, page.chain)]));
  }
}

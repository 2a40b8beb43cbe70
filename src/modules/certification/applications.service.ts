import { Inject, Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../../infrastructure/database/pg-errors.js';
import { CommonError, DomainError } from '../../infrastructure/errors/domain-error.js';
import { AreaScope } from '../geography/area-scope.service.js';
import { GeographyService } from '../geography/geography.service.js';
import { hasRole, type Principal } from '../../infrastructure/auth/roles.js';
import { IdentityErrorCode } from '../identity/identity.errors.js';
import { UsersService } from '../identity/users.service.js';
import { CertificateIssuanceService, secondLocale } from './certificate-issuance.service.js';
import { CertificateRepository } from './certificate.repository.js';
import { CertificationError, CertificationErrorCode } from './certification.errors.js';
import { CertificationRepository } from './certification.repository.js';
import { auditView, certificateStatus, certificateSummary } from './certification.views.js';
import type { ApplicationQueueQueryDto, ApplyDto } from './dto/certification.dto.js';
import type { EligibilitySnapshot } from './eligibility.js';
import { EligibilityService } from './eligibility.service.js';
import { inProvince } from './eligibility.js';
import type { ApplicationEntity } from './entities/application.entity.js';
import type { CertificateEntity } from './entities/certificate.entity.js';
import type { ProgrammeEntity } from './entities/programme.entity.js';
import { MentoringService } from './mentoring.service.js';
import { ProgrammesService } from './programmes.service.js';

const DAY_MS = 24 * 3600 * 1000;

export const applicationView = (a: ApplicationEntity) => ({
  id: a.id,
  programmeId: a.programmeId,
  candidateId: a.candidateId,
  villageId: a.villageId,
  kind: a.kind,
  renewsCertificateId: a.renewsCertificateId,
  nominatedBy: a.nominatedBy,
  statement: a.statement,
  status: a.status,
  eligibility: a.eligibility,
  decidedBy: a.decidedBy,
  decidedAt: a.decidedAt?.toISOString() ?? null,
  decisionReason: a.decisionReason,
  createdAt: a.createdAt.toISOString(),
});

/** Adds calendar months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(d: Date, months: number): Date {
  const r = new Date(d);
  const day = r.getUTCDate();
  r.setUTCDate(1);
  r.setUTCMonth(r.getUTCMonth() + months);
  const last = new Date(Date.UTC(r.getUTCFullYear(), r.getUTCMonth() + 1, 0)).getUTCDate();
  r.setUTCDate(Math.min(day, last));
  return r;
}

/**
 * Applications and their review: maker–checker. The candidate applies (or a trainer nominates);
 * a coordinator covering the village decides once, with a reason; approval reserves the
 * certificate in the same transaction and queues its issuance.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    @Inject(CertificationRepository) private readonly repo: CertificationRepository,
    @Inject(CertificateRepository) private readonly certificates: CertificateRepository,
    @Inject(ProgrammesService) private readonly programmes: ProgrammesService,
    @Inject(EligibilityService) private readonly eligibility: EligibilityService,
    @Inject(MentoringService) private readonly mentoring: MentoringService,
    @Inject(CertificateIssuanceService) private readonly issuance: CertificateIssuanceService,
    @Inject(AreaScope) private readonly scope: AreaScope,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  async apply(who: Principal, dto: ApplyDto) {
    const nominating = !!dto.candidateId && dto.candidateId !== who.userId;
    if (nominating && !hasRole(who, 'trainer') && !hasRole(who, 'admin')) {
      throw CommonError.forbidden('Only trainers and admins nominate other people.');
    }
    const programme = await this.programmes.get(dto.programmeId);
    if (!programme.active) {
      throw new CertificationError(
        CertificationErrorCode.ProgrammeInactive,
        'This programme takes no applications now.',
      );
    }
    const candidateId = dto.candidateId ?? who.userId;
    const candidate = await this.users.get(candidateId).catch((e: unknown) => {
      if (!(e instanceof DomainError) || e.code !== IdentityErrorCode.UserNotFound) throw e;
      throw new CertificationError(
        CertificationErrorCode.CandidateNotFound,
        'There is no user with this id.',
      );
    });
    const villageId = dto.villageId ?? candidate.villageId;
    const village = villageId ? await this.geography.findOfLevel(villageId, ['village']) : null;
    if (!village || !inProvince(village.path, programme.provinceId)) {
      throw new CertificationError(
        CertificationErrorCode.InvalidVillage,
        villageId
          ? "villageId must be a village in the programme's province."
          : 'Choose the village to serve (villageId), or set a village in the profile.',
      );
    }

    const current = await this.certificates.currentOf(candidateId, programme.id);
    // A certificate still being issued counts as held: applying again would make a second one.
    if (current && ['valid', 'pending'].includes(certificateStatus(current))) {
      const renewableFrom = new Date(current.expiresAt.getTime() - programme.renewalWindowDays * DAY_MS);
      if (renewableFrom > new Date()) {
        throw new CertificationError(
          CertificationErrorCode.AlreadyCertified,
          `Already certified until ${current.expiresAt.toISOString().slice(0, 10)}; renewal opens ${renewableFrom.toISOString().slice(0, 10)}.`,
          {
            certificateId: current.id,
            expiresAt: current.expiresAt.toISOString(),
            renewableFrom: renewableFrom.toISOString(),
          },
        );
      }
    }
    const renews = current && ['valid', 'expired'].includes(certificateStatus(current)) ? current : null;
    const snapshot = await this.eligibility.assess(candidateId, programme, village.id, renews?.issuedAt);
    if (!snapshot.eligible) throw await this.notEligible(snapshot, programme, candidate.languages);

    try {
      const application = await this.repo.transaction(async (m) => {
        const a = await this.repo.insertApplication(m, {
          programmeId: programme.id,
          candidateId,
          villageId: village.id,
          localityPath: village.path,
          kind: renews ? 'renewal' : 'initial',
          renewsCertificateId: renews?.id ?? null,
          nominatedBy: nominating ? who.userId : null,
          statement: dto.statement ?? null,
          status: 'submitted',
          eligibility: snapshot,
        });
        await this.repo.audit(m, [
          {
            applicationId: a.id,
            actorId: who.userId,
            action: nominating ? 'application.nominated' : 'application.submitted',
            toStatus: 'submitted',
          },
        ]);
        return a;
      });
      return applicationView(application);
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new CertificationError(
          CertificationErrorCode.AlreadyApplied,
          'There is already an open application for this programme.',
        );
      }
      throw e;
    }
  }

  /** Which of these people have an application waiting for a decision in the programme. */
  waitingApplicants(candidateIds: string[], programmeId: string): Promise<Set<string>> {
    return this.repo.waitingApplicants(candidateIds, programmeId);
  }

  /** Applications waiting for a decision since before `before`, with their place (reminders). */
  waitingSince(before: Date) {
    return this.repo.waitingSince(before);
  }

  async mine(who: Principal) {
    return (await this.repo.applicationsOf(who.userId)).map(applicationView);
  }

  async queue(who: Principal, q: ApplicationQueueQueryDto) {
    let paths = await this.scope.pathsFor(who);
    if (q.localityId) {
      const locality = await this.geography.get(q.localityId);
      await this.scope.assertCovers(who, locality.path);
      paths = [locality.path];
    }
    const { items, total } = await this.repo.queue({
      status: q.status ?? 'submitted',
      programmeId: q.programmeId,
      withinPaths: paths,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    const names = await this.users.displayNames(items.map((a) => a.candidateId));
    return {
      items: items.map((a) => ({ ...applicationView(a), candidateName: names.get(a.candidateId) ?? null })),
      page: q.page,
      pageSize: q.pageSize,
      total,
    };
  }

  /**
   * The candidate, the nominator and staff covering the village see it; to anyone else it does not
   * exist. The checklist is explained in the reader's languages, not the candidate's.
   */
  async detail(who: Principal, id: string, languages: string[]) {
    const a = await this.visible(who, id);
    const [programme, candidate, records, certificate] = await Promise.all([
      this.programmes.get(a.programmeId),
      this.users.get(a.candidateId),
      this.mentoring.recordsOf(a.candidateId),
      this.certificateOf(a),
    ]);
    const audit = await this.repo.auditOf({
      applicationId: a.id,
      certificateIds: certificate ? [certificate.id] : [],
    });
    const current =
      a.status === 'submitted'
        ? await this.eligibility.assess(
            a.candidateId,
            programme,
            a.villageId,
            (await this.renewedCertificate(a))?.issuedAt,
          )
        : a.eligibility;
    return {
      ...applicationView(a),
      candidate: { id: candidate.id, displayName: candidate.displayName, languages: candidate.languages },
      checklist: await this.eligibility.present(current, programme.id, languages),
      mentoringRecords: records,
      certificate: certificate ? certificateSummary(certificate) : null,
      audit: audit.map(auditView),
    };
  }

  async withdraw(who: Principal, id: string, languages: string[]) {
    const a = await this.visible(who, id);
    if (a.candidateId !== who.userId && a.nominatedBy !== who.userId) {
      throw CommonError.forbidden('Only the candidate or the nominating trainer withdraws an application.');
    }
    const done = await this.repo.transaction(async (m) => {
      if (!(await this.repo.withdraw(m, id))) return false;
      await this.repo.audit(m, [
        {
          applicationId: id,
          actorId: who.userId,
          action: 'application.withdrawn',
          fromStatus: 'submitted',
          toStatus: 'withdrawn',
        },
      ]);
      return true;
    });
    if (!done) throw this.alreadyDecided(a.status);
    return this.detail(who, id, languages);
  }

  async decide(
    who: Principal,
    id: string,
    decision: 'approved' | 'rejected',
    reason: string,
    requestId?: string,
  ) {
    const a = await this.repo.findApplication(id);
    if (!a) throw CertificationError.applicationNotFound();
    await this.scope.assertCovers(who, a.localityPath);
    if (a.candidateId === who.userId || a.nominatedBy === who.userId) {
      throw new CertificationError(
        CertificationErrorCode.OwnApplication,
        'Nobody decides on an application they made or nominated: another coordinator must.',
      );
    }
    if (a.status !== 'submitted') throw this.alreadyDecided(a.status);
    const programme = await this.programmes.get(a.programmeId);
    // Read everything before the transaction: it must not wait for a second pool connection while
    // it holds one (a burst of approvals exhausted the pool that way).
    const approving = decision === 'approved';
    const renewed = approving ? await this.renewedCertificate(a) : null;
    const snapshot = approving
      ? await this.eligibility.assess(a.candidateId, programme, a.villageId, renewed?.issuedAt)
      : a.eligibility;
    if (!snapshot.eligible && approving) throw await this.notEligible(snapshot, programme, ['vi']);
    const candidate = approving ? await this.users.get(a.candidateId) : null;
    const assessment = approving ? await this.assessment(snapshot) : null;

    const reserved = await this.repo.transaction(async (m) => {
      if (
        !(await this.repo.decide(m, id, { status: decision, by: who.userId, reason, eligibility: snapshot }))
      ) {
        return null;
      }
      await this.repo.audit(m, [
        {
          applicationId: id,
          actorId: who.userId,
          action: `application.${decision}`,
          fromStatus: 'submitted',
          toStatus: decision,
          reason,
        },
      ]);
      if (!approving) return { certificate: null };
      const issuedAt = new Date();
      // Renewing early loses nothing: the new validity runs on from the old expiry.
      const from = renewed && renewed.expiresAt > issuedAt ? renewed.expiresAt : issuedAt;
      const certificate = await this.issuance.reserve(m, programme, {
        issueKey: `application:${a.id}`,
        applicationId: a.id,
        holderId: a.candidateId,
        holderName: candidate!.displayName.normalize('NFC'),
        holderLocale: secondLocale(candidate!.languages),
        villageId: a.villageId,
        localityPath: a.localityPath,
        assessment: assessment!,
        replacesId: renewed?.id ?? null,
        replacementReason: renewed ? 'renewal' : null,
        issuedAt,
        expiresAt: addMonths(from, programme.validityMonths),
      });
      await this.repo.audit(m, [
        {
          applicationId: id,
          certificateId: certificate.id,
          actorId: who.userId,
          action: 'certificate.reserved',
          toStatus: 'pending',
        },
      ]);
      return { certificate };
    });
    if (!reserved) throw this.alreadyDecided('decided');
    if (reserved.certificate) await this.issuance.enqueue(reserved.certificate.id, requestId);
    // A short answer: a reviewer working through a queue does not need the whole file back.
    return {
      ...applicationView({
        ...a,
        status: decision,
        decidedBy: who.userId,
        decidedAt: new Date(),
        decisionReason: reason,
        eligibility: snapshot,
      }),
      certificate: reserved.certificate ? certificateSummary(reserved.certificate) : null,
    };
  }

  private async visible(who: Principal, id: string): Promise<ApplicationEntity> {
    const a = await this.repo.findApplication(id);
    if (!a) throw CertificationError.applicationNotFound();
    if (a.candidateId === who.userId || a.nominatedBy === who.userId) return a;
    if (!hasRole(who, 'coordinator') && !hasRole(who, 'admin'))
      throw CertificationError.applicationNotFound();
    await this.scope.assertCovers(who, a.localityPath);
    return a;
  }

  private async certificateOf(a: ApplicationEntity): Promise<CertificateEntity | null> {
    if (a.status !== 'approved') return null;
    return (await this.certificates.ofHolder(a.candidateId)).find((c) => c.applicationId === a.id) ?? null;
  }

  private async renewedCertificate(a: ApplicationEntity): Promise<CertificateEntity | null> {
    return a.renewsCertificateId ? this.certificates.findById(a.renewsCertificateId) : null;
  }

  private async assessment(snapshot: EligibilitySnapshot) {
    return {
      courses: await Promise.all(
        snapshot.courses
          .filter((c) => c.completion)
          .map(async (c) => ({
            courseId: c.courseId,
            courseVersionId: c.completion!.courseVersionId,
            version: c.completion!.version,
            locale: c.completion!.locale,
            title: await this.eligibility.courseTitle(c.courseId, c.completion!.courseVersionId, ['vi']),
          })),
      ),
      averageQuizScore: snapshot.quizAverage.actual,
      households: snapshot.households.actual,
    };
  }

  private async notEligible(snapshot: EligibilitySnapshot, programme: ProgrammeEntity, languages: string[]) {
    const view = await this.eligibility.present(snapshot, programme.id, languages);
    return new CertificationError(
      CertificationErrorCode.NotEligible,
      'The candidate does not meet every requirement yet.',
      { missing: view.items.filter((i) => !i.met) },
    );
  }

  private alreadyDecided(status: string) {
    return new CertificationError(
      CertificationErrorCode.AlreadyDecided,
      `This application is no longer open (${status}).`,
    );
  }
}

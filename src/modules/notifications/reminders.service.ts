import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { documentDate, vietnamDay } from '../../infrastructure/i18n/vietnam-time.js';
import { OutboxReader, type OutboxEvent } from '../../infrastructure/outbox/outbox.js';
import { ApplicationsService } from '../certification/applications.service.js';
import { CertificatesService } from '../certification/certificates.service.js';
import {
  APPLICATION_DECIDED,
  CERTIFICATE_ISSUED,
  type ApplicationDecidedEvent,
  type CertificateEvent,
} from '../certification/certification.types.js';
import { GeographyService } from '../geography/geography.service.js';
import { UsersService } from '../identity/users.service.js';
import { EnrolmentService } from '../learning/enrolment.service.js';
import { DashboardService, WAITING_DAYS } from '../reporting/dashboard.service.js';
import { afterQuietHours } from './delivery-rules.js';
import { NotificationsRepository, type NewNotification } from './notifications.repository.js';

/** A learner idle this long with an unfinished course is reminded, once per pause. */
export const INACTIVE_DAYS = 7;
/**
 * Pauses longer than this are not reminded: the first scan after deploying (or after the worker
 * was down for weeks) would otherwise message everyone who ever stopped.
 */
export const INACTIVE_LOOKBACK_DAYS = 30;
const DAY_MS = 86_400_000;
const CONSUMER = 'notifications';
const INACTIVE_SCAN = 'learner.inactive';
const FACTS = [APPLICATION_DECIDED, CERTIFICATE_ISSUED];
const BATCH = 200;

/** The Monday (Vietnam's calendar) of the week `at` falls in, YYYY-MM-DD. */
export function weekOf(at: Date): string {
  const day = new Date(`${vietnamDay(at)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/**
 * What makes a reminder, each exactly once: its trigger keys are taken in the notification's
 * transaction (notification_triggers' primary key), so running any of these again, from any
 * number of workers, adds nothing.
 * - from the outbox (a checkpointed consumer, started at its first run: history is not replayed):
 *   an application decided (to the candidate, with the reason); a certificate issued, renewed or
 *   corrected;
 * - from a scan at `now`: learners idle INACTIVE_DAYS with an unfinished course (once per pause:
 *   the key holds the day they were last active); certificates entering their renewal window;
 *   applications waiting more than WAITING_DAYS (to each coordinator covering them, grouped);
 *   from Monday 07:00, the week's digest to each coordinator grant.
 * Push and SMS wait for the end of quiet hours; the inbox has them at once.
 */
@Injectable()
export class RemindersService {
  private readonly log = new Logger(RemindersService.name);
  private started = false;

  constructor(
    @Inject(NotificationsRepository) private readonly repo: NotificationsRepository,
    @Inject(OutboxReader) private readonly outbox: OutboxReader,
    @Inject(EnrolmentService) private readonly enrolments: EnrolmentService,
    @Inject(CertificatesService) private readonly certificates: CertificatesService,
    @Inject(ApplicationsService) private readonly applications: ApplicationsService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(DashboardService) private readonly dashboard: DashboardService,
  ) {}

  /** Notifications for the outbox facts not seen yet; returns how many facts were read. */
  async catchUp(now = new Date()): Promise<number> {
    // A platform that has run for months does not remind anyone of last year's decisions.
    if (!this.started) {
      await this.outbox.startAtPresent(CONSUMER);
      this.started = true;
    }
    let read = 0;
    for (;;) {
      const n = await this.outbox.consumeBatch(
        CONSUMER,
        FACTS,
        (events, m) => this.fromFacts(events, m, now),
        BATCH,
      );
      read += n;
      if (n < BATCH) return read;
    }
  }

  /** Runs every scan; returns how many notifications were made. */
  async scan(now = new Date()): Promise<number> {
    return (
      (await this.inactiveLearners(now)) +
      (await this.renewalWindows(now)) +
      (await this.waitingApplications(now)) +
      (await this.weeklyDigests(now))
    );
  }

  private async fromFacts(events: OutboxEvent[], m: EntityManager, now: Date) {
    const dueAt = afterQuietHours(now);
    for (const e of events) {
      if (e.type === APPLICATION_DECIDED) {
        const p = e.payload as unknown as ApplicationDecidedEvent;
        await this.repo.create(
          {
            userId: p.candidateId,
            kind: p.decision === 'approved' ? 'application.approved' : 'application.rejected',
            triggers: [`application.decided:${p.applicationId}:${p.candidateId}`],
            params: () => ({ reason: p.reason }),
            link: '/my/ambassador',
            dueAt,
          },
          m,
        );
      } else if (e.type === CERTIFICATE_ISSUED) {
        const p = e.payload as unknown as CertificateEvent;
        await this.repo.create(
          {
            userId: p.holderId,
            kind: 'certificate.issued',
            triggers: [`certificate.issued:${p.certificateId}`],
            params: () => ({ expiresOn: p.expiresAt ? documentDate(new Date(p.expiresAt)) : '—' }),
            link: '/my/certificates',
            dueAt,
          },
          m,
        );
      }
    }
  }

  /**
   * Learners whose seventh idle day came since the last scan: last active in [mark, now − 7 days),
   * never further back than INACTIVE_LOOKBACK_DAYS. A scan reads only the slice that crossed since
   * the one before (the mark), not every idle enrolment again; missed scans are made up.
   */
  private async inactiveLearners(now: Date): Promise<number> {
    const to = new Date(now.getTime() - INACTIVE_DAYS * DAY_MS);
    const earliest = new Date(now.getTime() - INACTIVE_LOOKBACK_DAYS * DAY_MS);
    const mark = await this.repo.scannedUntil(INACTIVE_SCAN);
    // The first scan after deploying looks back one day only: a province has hundreds of
    // thousands of pauses older than that, and reminding them all at once is no reminder.
    const first = new Date(to.getTime() - DAY_MS);
    const from = mark ? (mark > earliest ? mark : earliest) : first;
    if (from >= to) return 0;
    let made = 0;
    for await (const page of this.enrolments.stalled(from, to)) {
      for (const e of page) {
        made += await this.make({
          userId: e.learnerId,
          kind: 'learner.inactive',
          triggers: [`learner.inactive:${e.learnerId}:${e.courseId}:${vietnamDay(e.lastActivityAt)}`],
          params: () => ({
            course: e.courseTitle,
            days: Math.floor((now.getTime() - e.lastActivityAt.getTime()) / DAY_MS),
          }),
          link: `/courses/${e.courseId}`,
          dueAt: afterQuietHours(now),
        });
      }
    }
    await this.repo.markScanned(INACTIVE_SCAN, to);
    return made;
  }

  private async renewalWindows(now: Date): Promise<number> {
    const open = await this.certificates.enteringRenewalWindow(now);
    const done = await this.repo.answered(open.map((c) => `certificate.renewal:${c.id}`));
    let made = 0;
    for (const c of open.filter((c) => !done.has(`certificate.renewal:${c.id}`))) {
      made += await this.make({
        userId: c.holderId,
        kind: 'certificate.renewal',
        triggers: [`certificate.renewal:${c.id}`],
        params: () => ({ expiresOn: documentDate(c.expiresAt) }),
        link: '/my/ambassador',
        dueAt: afterQuietHours(now),
      });
    }
    return made;
  }

  /** One reminder per coordinator and scan, counting the applications newly overdue in their area. */
  private async waitingApplications(now: Date): Promise<number> {
    const waiting = await this.applications.waitingSince(new Date(now.getTime() - WAITING_DAYS * DAY_MS));
    if (waiting.length === 0) return 0;
    const byCoordinator = new Map<string, Set<string>>();
    for (const { userId, path } of await this.coordinators()) {
      for (const a of waiting) {
        if (!a.localityPath.startsWith(path)) continue;
        const ids = byCoordinator.get(userId) ?? new Set<string>();
        byCoordinator.set(userId, ids.add(a.id));
      }
    }
    let made = 0;
    for (const [userId, ids] of byCoordinator) {
      made += await this.make({
        userId,
        kind: 'applications.waiting',
        triggers: [...ids].map((id) => `application.waiting:${id}:${userId}`),
        params: (fresh) => ({ count: fresh.length, days: WAITING_DAYS }),
        link: '/coordinate',
        dueAt: afterQuietHours(now),
      });
    }
    return made;
  }

  /** From Monday 07:00 (Vietnam), last week's figures to each coordinator grant, once a week. */
  private async weeklyDigests(now: Date): Promise<number> {
    const monday = weekOf(now);
    if (afterQuietHours(new Date(`${monday}T00:00:00+07:00`)) > now) return 0;
    const grants = (await this.coordinators()).map((g) => ({
      ...g,
      trigger: `digest.weekly:${g.userId}:${g.localityId}:${monday}`,
    }));
    // Figures are counted only for digests not made yet (the scan runs all week).
    const done = await this.repo.answered(grants.map((g) => g.trigger));
    let made = 0;
    for (const { userId, localityId, trigger } of grants.filter((g) => !done.has(g.trigger))) {
      try {
        const w = await this.dashboard.weekInReview(localityId);
        made += await this.make({
          userId,
          kind: 'digest.weekly',
          triggers: [trigger],
          params: () => ({
            place: w.place,
            week: documentDate(new Date(`${w.week}T12:00:00+07:00`)),
            enrolments: w.enrolments,
            completions: w.completions,
            certificates: w.certificates,
            uncovered: w.uncoveredVillages,
            waiting: w.waitingApplications,
          }),
          link: `/coordinate/dashboard?localityId=${localityId}`,
          dueAt: afterQuietHours(now),
        });
      } catch (e) {
        // One place's figures failing must not hold back everyone else's digest.
        this.log.warn(`weekly digest ${trigger} not made: ${(e as Error).message}`);
      }
    }
    return made;
  }

  /** Every coordinator grant with its place's path. */
  private async coordinators(): Promise<{ userId: string; localityId: string; path: string }[]> {
    const grants = (await this.users.roleHolders('coordinator')).filter(
      (g): g is { userId: string; localityId: string } => !!g.localityId,
    );
    const places = new Map(
      (await this.geography.findMany([...new Set(grants.map((g) => g.localityId))])).map((l) => [
        l.id,
        l.path,
      ]),
    );
    return grants.flatMap((g) => {
      const path = places.get(g.localityId);
      return path ? [{ ...g, path }] : [];
    });
  }

  private async make(n: NewNotification): Promise<number> {
    return (await this.repo.create(n)) ? 1 : 0;
  }
}

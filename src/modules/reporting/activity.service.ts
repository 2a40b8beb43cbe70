import { Inject, Injectable } from '@nestjs/common';
import { CommonError } from '../../infrastructure/errors/domain-error.js';
import { vietnamDay } from '../../infrastructure/i18n/vietnam-time.js';
import { OutboxReader, type OutboxEvent } from '../../infrastructure/outbox/outbox.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import {
  CERTIFICATE_ISSUED,
  CERTIFICATE_REVOKED,
  type CertificateEvent,
} from '../certification/certification.types.js';
import { AreaScope } from '../geography/area-scope.service.js';
import { GeographyService } from '../geography/geography.service.js';
import { COURSE_COMPLETED, type CourseCompletedEvent } from '../learning/learning.types.js';
import type { ActivityResponse } from './dto/reporting-responses.dto.js';
import { ReportingRepository, type ActivityFact, type ActivityMetric } from './reporting.repository.js';

/** The outbox consumer's name: its position is kept under it. */
export const ACTIVITY_CONSUMER = 'reporting.daily-activity';

/** The facts this module counts, and how each becomes a daily count. */
const FACTS: Record<string, (e: OutboxEvent) => ActivityFact> = {
  [COURSE_COMPLETED]: (e) => {
    const p = e.payload as unknown as CourseCompletedEvent;
    return { metric: 'course_completed', at: p.completedAt, learnerId: p.learnerId };
  },
  [CERTIFICATE_ISSUED]: (e) => {
    const p = e.payload as unknown as CertificateEvent;
    return { metric: 'certificate_issued', at: p.at, localityPath: p.localityPath };
  },
  [CERTIFICATE_REVOKED]: (e) => {
    const p = e.payload as unknown as CertificateEvent;
    return { metric: 'certificate_revoked', at: p.at, localityPath: p.localityPath };
  },
};

const FIELDS: Record<ActivityMetric, 'courseCompletions' | 'certificatesIssued' | 'certificatesRevoked'> = {
  course_completed: 'courseCompletions',
  certificate_issued: 'certificatesIssued',
  certificate_revoked: 'certificatesRevoked',
};

/** The longest range one request may ask for. */
export const MAX_ACTIVITY_DAYS = 366;
const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/**
 * Daily activity (course completions, certificates issued and revoked) per place, counted from
 * the outbox by a checkpointed consumer, so a report reads a few hundred rows instead of
 * scanning completions and certificates.
 */
@Injectable()
export class ActivityService {
  constructor(
    @Inject(OutboxReader) private readonly outbox: OutboxReader,
    @Inject(ReportingRepository) private readonly reporting: ReportingRepository,
    @Inject(GeographyService) private readonly geography: GeographyService,
    @Inject(AreaScope) private readonly area: AreaScope,
  ) {}

  /** Counts every new fact once; returns how many it counted. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const applied = await this.outbox.consumeBatch(ACTIVITY_CONSUMER, Object.keys(FACTS), (events, m) =>
        this.reporting.addActivity(
          m,
          events.map((e) => FACTS[e.type](e)),
        ),
      );
      total += applied;
      if (applied === 0) return total;
    }
  }

  async activity(
    who: Principal,
    q: { localityId: string; from?: string; to?: string },
  ): Promise<ActivityResponse> {
    const to = q.to ?? vietnamDay(new Date());
    const from = q.from ?? dayOf(dayNumber(to) - (DEFAULT_DAYS - 1));
    const span = dayNumber(to) - dayNumber(from) + 1;
    if (span < 1) throw CommonError.invalidField('from', 'from must not be after to.');
    if (span > MAX_ACTIVITY_DAYS) {
      throw CommonError.invalidField('from', `from and to may be at most ${MAX_ACTIVITY_DAYS} days apart.`);
    }
    const locality = await this.geography.get(q.localityId);
    await this.area.assertCovers(who, locality.path);
    const [rows, updatedAt] = await Promise.all([
      this.reporting.activity(locality.path, from, to),
      this.outbox.caughtUpAt(ACTIVITY_CONSUMER),
    ]);
    const zero = () => ({ courseCompletions: 0, certificatesIssued: 0, certificatesRevoked: 0 });
    const days = Array.from({ length: span }, (_, i) => ({ day: dayOf(dayNumber(from) + i), ...zero() }));
    const totals = zero();
    for (const r of rows) {
      const field = FIELDS[r.metric];
      const day = days[dayNumber(r.day) - dayNumber(from)];
      if (!field || !day) continue;
      day[field] += r.count;
      totals[field] += r.count;
    }
    return {
      localityId: locality.id,
      from,
      to,
      totals,
      days,
      updatedAt: updatedAt?.toISOString() ?? null,
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { OutboxReader, type OutboxEvent } from '../../infrastructure/outbox/outbox.js';
import {
  CERTIFICATE_ISSUED,
  CERTIFICATE_REVOKED,
  MENTORING_RECORDED,
  type CertificateEvent,
  type MentoringRecordedEvent,
} from '../certification/certification.types.js';
import {
  COURSE_ACTIVE,
  COURSE_COMPLETED,
  COURSE_STARTED,
  ENROLLED,
  type CourseCompletedEvent,
  type EnrolmentFact,
} from '../learning/learning.types.js';
import { RollupsRepository, type CertificateFact, type CourseFact } from './rollups.repository.js';

/** The rollups' outbox consumer: its position is kept under this name. */
export const ROLLUPS_CONSUMER = 'reporting.rollups';

const COURSE_FACTS: Record<string, CourseFact['kind']> = {
  [ENROLLED]: 'enrolled',
  [COURSE_STARTED]: 'started',
  [COURSE_ACTIVE]: 'active',
};
/** PostgreSQL's "lock not available" (lock_timeout). */
const LOCK_NOT_AVAILABLE = '55P03';
const REFRESH_LOCK_TIMEOUT_MS = 1_000;

const TYPES = [
  ...Object.keys(COURSE_FACTS),
  COURSE_COMPLETED,
  MENTORING_RECORDED,
  CERTIFICATE_ISSUED,
  CERTIFICATE_REVOKED,
];

/**
 * The rollups staff reports read (per day, place, learner group and course; totals; households
 * helped per mentor and month; per village and day), kept by one checkpointed outbox consumer:
 * each fact is applied once, in the transaction that moves the consumer's position. `rebuild`
 * recomputes them from the source tables and hands over to the consumer exactly (no fact counted
 * twice or missed, whatever is written meanwhile). A consumer that has never run starts with one.
 */
@Injectable()
export class RollupsService {
  constructor(
    @Inject(OutboxReader) private readonly outbox: OutboxReader,
    @Inject(RollupsRepository) private readonly rollups: RollupsRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Applies every new fact; returns how many. Rebuilds first if the rollups were never built. */
  async catchUp(): Promise<number> {
    if (!(await this.outbox.hasPosition(ROLLUPS_CONSUMER))) await this.rebuild();
    let total = 0;
    for (;;) {
      const applied = await this.applyBatch();
      total += applied;
      if (applied === 0) return total;
    }
  }

  /**
   * Applies what is pending just before a report reads, so staff see what they just did (an
   * enrolment, a completion). Waits at most a second for a worker applying a batch, then reads
   * what there is; never rebuilds (a worker does that at its start).
   */
  refresh(): Promise<void> {
    // One refresh at a time per process, and at most one waiting: a report arriving while one
    // runs waits for the next, which starts after it arrived (so it still sees what was written
    // before it), and every report arriving meanwhile shares that one. Sixteen reports at once
    // ran sixteen transactions fighting for the consumer's lock.
    if (!this.refreshing) {
      this.refreshing = this.refreshNow().finally(() => (this.refreshing = null));
      return this.refreshing;
    }
    this.nextRefresh ??= this.refreshing
      .catch(() => undefined)
      .then(() => {
        this.nextRefresh = null;
        return this.refresh();
      });
    return this.nextRefresh;
  }

  private refreshing: Promise<void> | null = null;
  private nextRefresh: Promise<void> | null = null;

  private async refreshNow(): Promise<void> {
    if (!(await this.outbox.hasPosition(ROLLUPS_CONSUMER))) return;
    try {
      while ((await this.applyBatch(REFRESH_LOCK_TIMEOUT_MS)) > 0);
    } catch (e) {
      if ((e as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw e;
    }
  }

  private applyBatch(lockTimeoutMs?: number): Promise<number> {
    return this.outbox.consumeBatch(
      ROLLUPS_CONSUMER,
      TYPES,
      async (events, m) => {
        await this.rollups.addCourseFacts(m, events.flatMap(courseFact));
        await this.rollups.addMentoring(
          m,
          events
            .filter((e) => e.type === MENTORING_RECORDED)
            .map((e) => (e.payload as unknown as MentoringRecordedEvent).recordId),
        );
        await this.rollups.addCertificates(m, events.flatMap(certificateFact));
      },
      undefined,
      lockTimeoutMs,
    );
  }

  /**
   * Recomputes every rollup from the source tables, in one snapshot, and moves the consumer past
   * it. On a connection of its own, outside the pool's statement timeout: at province scale it
   * reads every event of the log (minutes).
   */
  async rebuild(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.config.databaseUrl,
      application_name: 'banso-rollups-rebuild',
    });
    await client.connect();
    const sql = {
      query: async (text: string, params?: unknown[]) => (await client.query(text, params)).rows,
    };
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await client.query('SET LOCAL statement_timeout = 0');
      await this.outbox.lockForTakeOver(sql);
      await this.rollups.rebuild(sql);
      await this.outbox.takeOver(ROLLUPS_CONSUMER, sql);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Facts not yet applied, and how old the oldest is (exported as a metric). */
  lag() {
    return this.outbox.lag(ROLLUPS_CONSUMER, TYPES);
  }
}

function courseFact(e: OutboxEvent): CourseFact[] {
  if (e.type === COURSE_COMPLETED) {
    const p = e.payload as unknown as CourseCompletedEvent;
    // A later version completed again does not complete the enrolment again.
    if (p.enrolmentCompleted === false) return [];
    return [{ kind: 'completed', learnerId: p.learnerId, courseId: p.courseId, at: p.completedAt }];
  }
  const kind = COURSE_FACTS[e.type];
  if (!kind) return [];
  const p = e.payload as unknown as EnrolmentFact;
  return [{ kind, learnerId: p.learnerId, courseId: p.courseId, at: p.at }];
}

function certificateFact(e: OutboxEvent): CertificateFact[] {
  if (e.type !== CERTIFICATE_ISSUED && e.type !== CERTIFICATE_REVOKED) return [];
  const p = e.payload as unknown as CertificateEvent;
  return [
    { kind: e.type === CERTIFICATE_ISSUED ? 'issued' : 'revoked', localityPath: p.localityPath, at: p.at },
  ];
}

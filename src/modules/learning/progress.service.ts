import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Counter, Histogram } from 'prom-client';
import { Metrics } from '../../infrastructure/metrics/metrics.js';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { normalizeFallbackChain } from '../../infrastructure/i18n/locales.js';
import { vietnamDay } from '../../infrastructure/i18n/vietnam-time.js';
import {
  LearnableContentService,
  requiredLessons,
  type LearnableLesson,
} from '../catalog/learnable-content.service.js';
import { UsersService } from '../identity/users.service.js';
import {
  CONFIRMED_IN_PERSON,
  copyState,
  KindRejection,
  type KindLesson,
} from '../lesson-kinds/lesson-kind.js';
import { kindOfEvent, lessonKind } from '../lesson-kinds/lesson-kinds.js';
import { parseProgressEvent, type ProgressEventInput } from './event-parser.js';
import {
  EventRejection,
  EventRejectionCode as R,
  LearningError,
  LearningErrorCode,
} from './learning.errors.js';
import {
  LearningRepository,
  type CompletionRow,
  type EnrolmentRow,
  type EventRow,
  type LearnerChanges,
  type LearnerState,
  type ProgressState,
  type ProgressTransaction,
} from './learning.repository.js';
import { MicroBatcher } from '../../infrastructure/batching/micro-batcher.js';

/**
 * Client clocks run fast; beyond this an event "from the future" is refused. The duplicate probe
 * relies on it: an event was received no earlier than its time minus this (ProgressTransaction.load).
 */
const CLOCK_SKEW_MS = 10 * 60_000;
const EARLIEST_EVENT = Date.parse('2024-01-01T00:00:00Z');

export interface EventReceipt {
  id: string | null;
  status: 'accepted' | 'duplicate' | 'rejected';
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
  /** What the lesson's kind adds to an accepted event's receipt (e.g. `quiz`: the grade). */
  [extra: string]: unknown;
}

export interface RecordResult {
  receipts: EventReceipt[];
  completions: CompletionRow[];
  /** The summaries of the lessons the events were about, after them (null: nothing stored yet). */
  lessons: Map<string, { lesson: LearnableLesson; state: ProgressState | null }>;
}

/** One request's checked events, waiting for the next transaction. */
interface Submission {
  learnerId: string;
  events: CheckedEvent[];
  /** Filled in per event as it is decided. */
  receipts: EventReceipt[];
  chain: string[];
}

interface Applied {
  completions: CompletionRow[];
  /** The learner's summaries after the transaction, by lesson key. */
  states: Map<string, ProgressState>;
}

/** Group commit: concurrent requests share a transaction (each holds a pooled connection). */
const WRITE_CONCURRENCY = 2;
const MAX_EVENTS_PER_TRANSACTION = 1000;

/** An event that passed the checks needing no stored state. */
interface CheckedEvent {
  index: number;
  id: string;
  type: string;
  lesson: LearnableLesson;
  at: Date;
  locale: string;
  /** The event's own fields, as its kind read them. */
  payload: unknown;
}

const rejected = (id: string | null, r: EventRejection | KindRejection): EventReceipt => ({
  id,
  status: 'rejected',
  code: r.code,
  message: r.message,
  ...(r.details && { details: r.details }),
});

/**
 * Learner events, online one at a time or offline in batches, applied to the append-only event
 * log and the per-lesson summaries in one transaction. Replays are duplicates, order does not
 * matter (intervals and steps are unions, the resume position follows the client clock, quiz
 * limits and cooldowns are checked against the other attempts' client times), and whatever is
 * acknowledged has been committed.
 */
@Injectable()
export class ProgressService {
  constructor(
    @Inject(LearningRepository) private readonly repo: LearningRepository,
    @Inject(LearnableContentService) private readonly content: LearnableContentService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Metrics) metrics: Metrics,
  ) {
    this.events = metrics.counter(
      'progress_events_total',
      'Progress events received, by source and receipt status',
      ['source', 'status'],
    );
    this.batchSize = metrics.histogram(
      'sync_batch_events',
      'Events per offline sync batch',
      [],
      [1, 5, 10, 25, 50, 100, 250, 500, 1000],
    );
  }

  private readonly events: Counter<'source' | 'status'>;
  private readonly batchSize: Histogram;

  private readonly writer = new MicroBatcher<Submission, Applied>((batch) => this.applyBatch(batch), {
    concurrency: WRITE_CONCURRENCY,
    maxWeight: MAX_EVENTS_PER_TRANSACTION,
    weight: (s) => s.events.length,
  });

  /** An offline batch: every event answered in the receipt, in the order sent. */
  async sync(learnerId: string, raw: unknown[]): Promise<RecordResult> {
    const max = this.config.learning.syncMaxEvents;
    if (raw.length > max) {
      throw new LearningError(
        LearningErrorCode.SyncBatchTooLarge,
        `A sync batch carries at most ${max} events; this one has ${raw.length}. Send the rest in another request.`,
        { max, received: raw.length },
      );
    }
    this.batchSize.observe(raw.length);
    return this.record(learnerId, raw, 'sync');
  }

  /** Events as they come: `online` from a lesson being played, `sync` from an offline batch. */
  async record(
    learnerId: string,
    raw: unknown[],
    source: 'online' | 'sync' = 'online',
  ): Promise<RecordResult> {
    const result = await this.checkAndStore(learnerId, raw);
    for (const receipt of result.receipts) this.events.inc({ source, status: receipt.status });
    return result;
  }

  /**
   * A practice task confirmed in person by `confirmerId` (certification decides who may), recorded
   * as the learner's event. Its id is the learner's and the lesson's, so confirming again is a
   * duplicate: the first confirmation stands.
   */
  async recordConfirmation(
    learnerId: string,
    lessonId: string,
    confirmerId: string,
    at = new Date(),
  ): Promise<RecordResult> {
    const id = uuidOf(`practice.confirmed:${learnerId}:${lessonId}`);
    const event = {
      id,
      type: 'practice.confirmed',
      lessonId,
      at: at.toISOString(),
      confirmedBy: confirmerId,
    };
    const result = await this.checkAndStore(learnerId, [event], true);
    this.events.inc({ source: 'confirmation', status: result.receipts[0].status });
    return result;
  }

  private async checkAndStore(learnerId: string, raw: unknown[], inPerson = false): Promise<RecordResult> {
    const receipts: EventReceipt[] = new Array(raw.length);
    const parsed = raw.map((r) => this.parse(r));
    const lessons = await this.content.lessonsByIds(
      parsed.flatMap((p) => (p instanceof EventRejection ? [] : [p.lessonId])),
    );
    const seen = new Set<string>();
    const checked: CheckedEvent[] = [];
    let chain: string[] | undefined;
    for (const [index, p] of parsed.entries()) {
      if (p instanceof EventRejection) {
        receipts[index] = rejected(idOf(raw[index]), p);
        continue;
      }
      if (seen.has(p.id)) {
        receipts[index] = { id: p.id, status: 'duplicate' };
        continue;
      }
      seen.add(p.id);
      const lesson = lessons.get(p.lessonId);
      const event = lesson && this.check(p, lesson, index, inPerson);
      if (!event) {
        receipts[index] = rejected(
          p.id,
          new EventRejection(R.LessonNotFound, 'This lesson does not exist or is not published.'),
        );
      } else if (event instanceof EventRejection || event instanceof KindRejection) {
        receipts[index] = rejected(p.id, event);
      } else {
        if (!p.locale) chain ??= await this.chainOf(learnerId);
        checked.push({ ...event, locale: p.locale ?? defaultLocale(lesson!, chain!) });
      }
    }
    if (checked.length === 0) return { receipts, completions: [], lessons: new Map() };
    // Kinds that answer in the learner's languages (a quiz's feedback) need the whole chain.
    if (checked.some((e) => lessonKind(e.lesson.kind).answersInLanguages))
      chain ??= await this.chainOf(learnerId);

    const { completions, states } = await this.writer.submit({
      learnerId,
      events: checked,
      receipts,
      chain: chain ?? ['vi'],
    });
    const touched = new Map(checked.map((e) => [e.lesson.id, e.lesson]));
    return {
      receipts,
      completions,
      lessons: new Map(
        [...touched.values()].map((lesson) => [
          lesson.id,
          { lesson, state: states.get(lesson.lessonKey) ?? null },
        ]),
      ),
    };
  }

  /** Practice lessons of learners of `villageIds` waiting for an in-person confirmation. */
  pendingPractice(villageIds: string[], page: number, pageSize: number) {
    return this.repo.pendingPractice(villageIds, pageSize, (page - 1) * pageSize);
  }

  /** Whether the learner is enrolled in the course. */
  async isEnrolled(learnerId: string, courseId: string): Promise<boolean> {
    return !!(await this.repo.enrolmentIn(learnerId, courseId));
  }

  /** The learner's summary of one lesson (or its absence), for responses. */
  async lessonProgress(learnerId: string, lessonId: string) {
    const lesson = (await this.content.lessonsByIds([lessonId])).get(lessonId);
    if (!lesson) throw LearningError.lessonNotFound();
    const [state] = await this.repo.progressOf(learnerId, [lesson.lessonKey]);
    return { lesson, state: state ?? null };
  }

  /** Where a learner stands on each lesson (by lesson key, the same across versions). */
  async statusesOf(learnerId: string, lessonKeys: string[]): Promise<Map<string, ProgressState['status']>> {
    const states = lessonKeys.length ? await this.repo.progressOf(learnerId, lessonKeys) : [];
    return new Map(states.map((s) => [s.lessonKey, s.status]));
  }

  private async chainOf(learnerId: string): Promise<string[]> {
    return normalizeFallbackChain((await this.users.get(learnerId)).languages);
  }

  private parse(raw: unknown): EventRejection | ProgressEventInput {
    const dto = parseProgressEvent(raw);
    if ('problems' in dto)
      return new EventRejection(R.Invalid, dto.problems.join('; '), { problems: dto.problems });
    const at = Date.parse(dto.at);
    if (at < EARLIEST_EVENT) return new EventRejection(R.Invalid, 'at: the event time is before 2024');
    if (at > Date.now() + CLOCK_SKEW_MS) {
      return new EventRejection(R.InFuture, "at: the event time is in the future; check the phone's clock");
    }
    return dto;
  }

  /** Checks that need the lesson but no stored progress: the kind's, after the common ones. */
  private check(
    dto: ProgressEventInput,
    lesson: LearnableLesson,
    index: number,
    inPerson: boolean,
  ): EventRejection | KindRejection | Omit<CheckedEvent, 'locale'> {
    if (kindOfEvent(dto.type)?.kind !== lesson.kind) {
      return new EventRejection(
        R.WrongLessonKind,
        `A ${dto.type} event cannot be about a ${lesson.kind} lesson.`,
      );
    }
    if (!!lessonKind(lesson.kind).confirmedInPerson !== inPerson) {
      return new KindRejection(
        CONFIRMED_IN_PERSON,
        'A practice task is confirmed in person by an ambassador, trainer or coordinator of your village.',
      );
    }
    const refused = lessonKind(lesson.kind).check(dto.payload, kindLesson(lesson));
    if (refused) return refused;
    return { index, id: dto.id, type: dto.type, lesson, at: new Date(dto.at), payload: dto.payload };
  }

  /**
   * One transaction for every request in the batch: load what the events need, decide each
   * request's events in turn (a learner's later request sees the earlier one's effects), write
   * everything in one statement, then complete courses.
   */
  private async applyBatch(batch: Submission[]): Promise<Applied[]> {
    return this.repo.forLearners(
      batch.map((s) => s.learnerId),
      async (tx) => {
        const learners = new Map<string, Submission[]>();
        for (const s of batch) learners.set(s.learnerId, [...(learners.get(s.learnerId) ?? []), s]);
        let earliest = Infinity;
        for (const s of batch) for (const e of s.events) earliest = Math.min(earliest, e.at.getTime());
        const loaded = await tx.load(
          [...learners].map(([learnerId, subs]) => {
            const events = subs.flatMap((s) => s.events);
            return {
              learnerId,
              eventIds: events.map((e) => e.id),
              lessonKeys: [...new Set(events.map((e) => e.lesson.lessonKey))],
              courseIds: [...new Set(events.map((e) => e.lesson.courseId))],
            };
          }),
          new Date(Number.isFinite(earliest) ? earliest - CLOCK_SKEW_MS : Date.now()),
        );
        const decided = [...learners].map(([learnerId, subs]) =>
          this.decide(learnerId, subs, loaded.get(learnerId)!),
        );
        const written = await tx.write(decided.map((d) => d.changes));
        const results = new Map<Submission, Applied>();
        for (const d of decided) {
          const state = loaded.get(d.changes.learnerId)!;
          const enrolments = written.get(d.changes.learnerId)!;
          for (const [sub, courseIds] of d.completedBy) {
            const completions: CompletionRow[] = [];
            for (const courseId of courseIds) {
              // Only a lesson completed now can complete its course.
              const enrolment = enrolments.get(courseId) ?? state.enrolments.get(courseId);
              if (!enrolment || enrolment.completedAt) continue;
              const completion = await this.completeIfDone(tx, d.changes.learnerId, enrolment);
              if (completion) completions.push(completion);
            }
            results.set(sub, { completions, states: state.progress });
          }
        }
        return batch.map((sub) => results.get(sub)!);
      },
    );
  }

  /** Decides one learner's requests against the loaded state (mutating it), writing nothing. */
  private decide(
    learnerId: string,
    subs: Submission[],
    { existing, progress: states, enrolments }: LearnerState,
  ): { changes: LearnerChanges; completedBy: Map<Submission, Set<string>> } {
    const rows: EventRow[] = [];
    const changed = new Map<string, ProgressState>();
    const touched = new Map<string, { courseId: string; courseVersionId: string; activityAt: Date }>();
    const completedBy = new Map<Submission, Set<string>>();
    for (const sub of subs) {
      const { receipts, chain } = sub;
      const newlyCompleted = new Set<string>();
      completedBy.set(sub, newlyCompleted);
      // Client-time order, so "the latest position" and "the first passing attempt" are the client's.
      const ordered = [...sub.events].sort(
        (a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
      for (const event of ordered) {
        if (existing.has(event.id)) {
          receipts[event.index] = { id: event.id, status: 'duplicate' };
          continue;
        }
        const { lesson } = event;
        const enrolled = enrolments.has(lesson.courseId) || touched.has(lesson.courseId);
        if (!enrolled && lesson.courseArchived) {
          receipts[event.index] = rejected(
            event.id,
            new EventRejection(R.CourseNotAvailable, 'This course is archived and takes no new learners.'),
          );
          continue;
        }
        const state = states.get(lesson.lessonKey) ?? this.fresh(lesson, event);
        const kind = lessonKind(lesson.kind);
        // The kind works on a copy: a refused event leaves the stored state as it was.
        const kindState = copyState(state.state);
        const outcome = kind.apply(
          kindState,
          { payload: event.payload, at: event.at, locale: event.locale },
          kindLesson(lesson),
          { videoCompletionShare: this.config.learning.videoCompletionShare, chain },
        );
        if (outcome instanceof KindRejection) {
          receipts[event.index] = rejected(event.id, outcome);
          continue;
        }
        state.state = kindState;
        if (state.status !== 'completed' && outcome.completes) {
          state.status = 'completed';
          state.completedAt = new Date();
          newlyCompleted.add(lesson.courseId);
        }
        state.events += 1;
        if (event.at >= state.lastEventAt) {
          state.lastEventAt = event.at;
          state.lessonId = lesson.id;
          state.locale = event.locale;
        }
        states.set(lesson.lessonKey, state);
        changed.set(lesson.lessonKey, state);
        existing.add(event.id);
        const touch = touched.get(lesson.courseId);
        const activityAt = new Date(Math.min(event.at.getTime(), Date.now()));
        if (!touch) {
          touched.set(lesson.courseId, {
            courseId: lesson.courseId,
            courseVersionId: enrolments.get(lesson.courseId)?.courseVersionId ?? lesson.courseVersionId,
            activityAt,
          });
        } else if (activityAt > touch.activityAt) touch.activityAt = activityAt;
        rows.push({
          id: event.id,
          type: event.type,
          lessonId: lesson.id,
          lessonKey: lesson.lessonKey,
          courseId: lesson.courseId,
          locale: event.locale,
          clientAt: event.at,
          payload: kind.storedPayload(event.payload),
          outcome: outcome.outcome ?? null,
        });
        receipts[event.index] = {
          id: event.id,
          status: 'accepted',
          ...(outcome.receipt && { [lesson.kind]: outcome.receipt }),
        };
      }
    }
    // Activity is kept to the minute: a heartbeat every 15 s need not rewrite the enrolment —
    // unless it is the day's first (the enrolment then records the day, for the rollups).
    const today = vietnamDay(new Date());
    const touches = [...touched.values()].filter((t) => {
      const e = enrolments.get(t.courseId);
      return (
        !e?.startedAt ||
        !e.lastActivityAt ||
        e.activeOn !== today ||
        t.activityAt.getTime() - e.lastActivityAt.getTime() > 60_000
      );
    });
    return { changes: { learnerId, events: rows, states: [...changed.values()], touches }, completedBy };
  }

  private fresh(lesson: LearnableLesson, event: CheckedEvent): ProgressState {
    return {
      lessonKey: lesson.lessonKey,
      courseId: lesson.courseId,
      lessonId: lesson.id,
      kind: lesson.kind,
      locale: event.locale,
      status: 'in_progress',
      state: lessonKind(lesson.kind).emptyState() as Record<string, unknown>,
      events: 0,
      lastEventAt: event.at,
      completedAt: null,
    };
  }

  /** Completes the course version the learner is enrolled on if all its required lessons are done. */
  private async completeIfDone(
    tx: ProgressTransaction,
    learnerId: string,
    { courseId, courseVersionId }: EnrolmentRow,
  ): Promise<CompletionRow | null> {
    const outline = await this.content.outline(courseVersionId);
    if (!outline) return null;
    const required = requiredLessons(outline);
    const done = new Map((await tx.completedLessons(learnerId, courseId)).map((r) => [r.lessonKey, r]));
    if (required.length === 0 || !required.every((l) => done.has(l.lessonKey))) return null;
    // Kinds that score (quizzes) count towards the course's average.
    const quizScores = outline.lessons
      .flatMap((l) => {
        const row = done.get(l.lessonKey);
        const score = lessonKind(l.kind).score;
        return row && score ? [score(row.state)] : [];
      })
      .filter((s): s is number => typeof s === 'number');
    return tx.completeCourse(learnerId, {
      courseId,
      courseVersionId,
      version: outline.version,
      locale: mostUsed(required.map((l) => done.get(l.lessonKey)!.locale)),
      averageQuizScore:
        quizScores.length > 0
          ? Math.round((100 * quizScores.reduce((a, b) => a + b, 0)) / quizScores.length) / 100
          : null,
    });
  }
}

/** The language of an event that names none: the kind's choice, else the learner's first. */
function defaultLocale(lesson: LearnableLesson, chain: string[]): string {
  return lessonKind(lesson.kind).defaultLocale?.(kindLesson(lesson), chain) ?? chain[0];
}

/** A lesson as its kind sees it. */
const kindLesson = (lesson: LearnableLesson): KindLesson<never> => ({
  id: lesson.id,
  content: lesson.content as never,
  mediaDurations: lesson.mediaDurations,
  voiceFiles: lesson.voiceFiles,
});

const idOf = (raw: unknown): string | null => {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length <= 64 ? id : null;
};

/** The most frequent value (ties: the first seen). */
function mostUsed(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'vi';
}

/** A name-based UUID (the layout of RFC 9562's version 5, from SHA-256): the same name, the same id. */
function uuidOf(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { CONTENT_LOCALES, normalizeFallbackChain } from '../../infrastructure/i18n/locales.js';
import {
  LearnableContentService,
  requiredLessons,
  type LearnableLesson,
} from '../catalog/learnable-content.service.js';
import { UsersService } from '../identity/users.service.js';
import { parseProgressEvent, type ProgressEventInput } from './event-parser.js';
import type { ProgressEventType } from './entities/progress-event.entity.js';
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
import { answerProblems, gradeQuiz, type QuizAnswer, type QuizGrade } from './quiz-grading.js';
import {
  claimedSeconds,
  clipIntervals,
  coveredSeconds,
  mergeIntervals,
  type Interval,
} from './watched-intervals.js';

/** Most video one heartbeat may claim: players beat every 10–30 s, at up to 2× speed. */
const HEARTBEAT_MAX_SECONDS = 120;
/** Client clocks run fast; beyond this an event "from the future" is refused. */
const CLOCK_SKEW_MS = 10 * 60_000;
const EARLIEST_EVENT = Date.parse('2024-01-01T00:00:00Z');

const EVENT_KIND: Record<ProgressEventType, LearnableLesson['kind']> = {
  'video.heartbeat': 'video',
  'guide.step': 'guide',
  'quiz.attempt': 'quiz',
};

export interface EventReceipt {
  id: string | null;
  status: 'accepted' | 'duplicate' | 'rejected';
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
  quiz?: QuizGrade;
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
  type: ProgressEventType;
  lesson: LearnableLesson;
  at: Date;
  locale: string;
  intervals: Interval[];
  position?: number;
  stepId?: string;
  answers?: QuizAnswer[];
}

const rejected = (id: string | null, r: EventRejection): EventReceipt => ({
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
  ) {}

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
        413,
        { max, received: raw.length },
      );
    }
    return this.record(learnerId, raw);
  }

  async record(learnerId: string, raw: unknown[]): Promise<RecordResult> {
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
      const event = lesson && this.check(p, lesson, index);
      if (!event) {
        receipts[index] = rejected(
          p.id,
          new EventRejection(R.LessonNotFound, 'This lesson does not exist or is not published.'),
        );
      } else if (event instanceof EventRejection) {
        receipts[index] = rejected(p.id, event);
      } else {
        if (!p.locale) chain ??= await this.chainOf(learnerId);
        checked.push({ ...event, locale: p.locale ?? defaultLocale(lesson!, chain!) });
      }
    }
    if (checked.length === 0) return { receipts, completions: [], lessons: new Map() };
    if (checked.some((e) => e.type === 'quiz.attempt')) chain ??= await this.chainOf(learnerId);

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

  /** Checks that need the lesson but no stored progress. */
  private check(
    dto: ProgressEventInput,
    lesson: LearnableLesson,
    index: number,
  ): EventRejection | Omit<CheckedEvent, 'locale'> {
    if (EVENT_KIND[dto.type] !== lesson.kind) {
      return new EventRejection(
        R.WrongLessonKind,
        `A ${dto.type} event cannot be about a ${lesson.kind} lesson.`,
      );
    }
    const base = {
      index,
      id: dto.id,
      type: dto.type,
      lesson,
      at: new Date(dto.at),
      intervals: [] as Interval[],
    };
    if (dto.type === 'video.heartbeat') {
      const intervals: Interval[] = [];
      for (const [i, x] of (dto.intervals ?? []).entries()) {
        const ok =
          Array.isArray(x) &&
          x.length === 2 &&
          x.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
          x[0] >= 0 &&
          x[0] < x[1];
        if (!ok)
          return new EventRejection(
            R.Invalid,
            `intervals.${i}: must be [from, to] in seconds, 0 ≤ from < to`,
          );
        intervals.push([x[0], x[1]]);
      }
      if (intervals.length === 0 && dto.position === undefined) {
        return new EventRejection(R.Invalid, 'A heartbeat carries played intervals, a position, or both.');
      }
      if (claimedSeconds(intervals) > HEARTBEAT_MAX_SECONDS) {
        return new EventRejection(
          R.HeartbeatTooLong,
          `One heartbeat may cover at most ${HEARTBEAT_MAX_SECONDS} s of video; send heartbeats more often.`,
        );
      }
      return { ...base, intervals, position: dto.position };
    }
    if (dto.type === 'guide.step') {
      if (!dto.stepId) return new EventRejection(R.Invalid, 'stepId: a guide.step event names the step');
      if (!(lesson.content.steps ?? []).some((s) => s.id === dto.stepId)) {
        return new EventRejection(R.UnknownStep, 'stepId: not a step of this guide');
      }
      return { ...base, stepId: dto.stepId };
    }
    if (!dto.answers)
      return new EventRejection(R.Invalid, 'answers: a quiz.attempt event carries the answers');
    const problems = answerProblems(lesson.content, dto.answers);
    if (problems.length > 0) return new EventRejection(R.InvalidAnswers, problems.join('; '), { problems });
    return { ...base, answers: dto.answers };
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
        (a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id),
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
        const outcome = this.applyOne(state, event, chain);
        if (outcome instanceof EventRejection) {
          receipts[event.index] = rejected(event.id, outcome);
          continue;
        }
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
          payload: payloadOf(event),
          outcome: outcome.grade ? { score: outcome.grade.score, passed: outcome.grade.passed } : null,
        });
        receipts[event.index] = {
          id: event.id,
          status: 'accepted',
          ...(outcome.grade && { quiz: outcome.grade }),
        };
      }
    }
    // Activity is kept to the minute: a heartbeat every 15 s need not rewrite the enrolment.
    const touches = [...touched.values()].filter((t) => {
      const e = enrolments.get(t.courseId);
      return (
        !e?.startedAt || !e.lastActivityAt || t.activityAt.getTime() - e.lastActivityAt.getTime() > 60_000
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
      watched: {},
      watchedSeconds: 0,
      durationSeconds: null,
      positionSeconds: null,
      positionAt: null,
      stepsDone: [],
      attemptTimes: [],
      bestScore: null,
      lastScore: null,
      events: 0,
      lastEventAt: event.at,
      completedAt: null,
    };
  }

  /** Applies one event to a lesson summary (mutating it), or says why it cannot count. */
  private applyOne(
    state: ProgressState,
    event: CheckedEvent,
    chain: string[],
  ): EventRejection | { completes: boolean; grade?: QuizGrade } {
    const { lesson } = event;
    if (event.type === 'video.heartbeat') {
      const duration = lesson.videoDurations[event.locale];
      if (!duration) {
        return new EventRejection(
          R.VideoNotAvailable,
          `This lesson has no ready video in "${event.locale}".`,
          {
            available: Object.keys(lesson.videoDurations),
          },
        );
      }
      if (event.intervals.length > 0) {
        const merged = mergeIntervals(
          state.watched[event.locale] ?? [],
          clipIntervals(event.intervals, duration),
        );
        state.watched = { ...state.watched, [event.locale]: merged };
      }
      // The best-watched language counts: switching language does not add two partial viewings up.
      let best = { seconds: 0, duration };
      for (const [locale, intervals] of Object.entries(state.watched)) {
        const d = lesson.videoDurations[locale];
        if (!d || !intervals) continue;
        const seconds = coveredSeconds(intervals);
        if (seconds / d > best.seconds / best.duration) best = { seconds, duration: d };
      }
      state.watchedSeconds = best.seconds;
      state.durationSeconds = best.duration;
      if (event.position !== undefined && (!state.positionAt || event.at >= state.positionAt)) {
        state.positionSeconds = Math.min(event.position, duration);
        state.positionAt = event.at;
      }
      return { completes: best.seconds >= this.config.learning.videoCompletionShare * best.duration };
    }
    if (event.type === 'guide.step') {
      if (!state.stepsDone.includes(event.stepId!)) state.stepsDone = [...state.stepsDone, event.stepId!];
      const steps = lesson.content.steps ?? [];
      return { completes: steps.every((s) => state.stepsDone.includes(s.id)) };
    }
    const { maxAttempts, cooldownSeconds } = lesson.content;
    if (maxAttempts && state.attemptTimes.length >= maxAttempts) {
      return new EventRejection(
        R.NoAttemptsLeft,
        `This quiz allows ${maxAttempts} attempt(s); all are used.`,
        {
          maxAttempts,
        },
      );
    }
    const cooldownMs = (cooldownSeconds ?? 0) * 1000;
    const near = state.attemptTimes.filter((t) => Math.abs(t.getTime() - event.at.getTime()) < cooldownMs);
    if (near.length > 0) {
      const retryAt = new Date(Math.max(...state.attemptTimes.map((t) => t.getTime())) + cooldownMs);
      return new EventRejection(R.Cooldown, `Wait ${cooldownSeconds} s between attempts at this quiz.`, {
        cooldownSeconds,
        retryAt: retryAt.toISOString(),
      });
    }
    const grade = gradeQuiz(lesson.content, event.answers!, [event.locale, ...chain]);
    state.attemptTimes = [...state.attemptTimes, event.at].sort((a, b) => a.getTime() - b.getTime());
    state.lastScore = grade.score;
    state.bestScore = Math.max(state.bestScore ?? 0, grade.score);
    return { completes: grade.passed, grade };
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
    const quizScores = outline.lessons
      .filter((l) => l.kind === 'quiz')
      .map((l) => done.get(l.lessonKey)?.bestScore)
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

/**
 * The language of an event that names none: the learner's first; for a video, the one the catalog
 * serves them (the first of their chain, then of all languages, with a ready video).
 */
function defaultLocale(lesson: LearnableLesson, chain: string[]): string {
  if (lesson.kind !== 'video') return chain[0];
  return [...chain, ...CONTENT_LOCALES].find((l) => lesson.videoDurations[l]) ?? chain[0];
}

const idOf = (raw: unknown): string | null => {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length <= 64 ? id : null;
};

/** What is kept of an event: what the learner sent, normalised. */
function payloadOf(e: CheckedEvent): Record<string, unknown> {
  if (e.type === 'video.heartbeat')
    return { intervals: e.intervals, ...(e.position !== undefined && { position: e.position }) };
  if (e.type === 'guide.step') return { stepId: e.stepId };
  return { answers: e.answers };
}

/** The most frequent value (ties: the first seen). */
function mostUsed(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'vi';
}

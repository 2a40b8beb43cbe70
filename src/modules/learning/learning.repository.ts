import { isUUID } from 'class-validator';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  preparedQuery,
  preparedTransaction,
  type PreparedTx,
} from '../../infrastructure/database/prepared-query.js';
import { COURSE_COMPLETED } from './entities/domain-event.entity.js';
import type { WatchedIntervals } from './entities/lesson-progress.entity.js';
import type { ProgressEventType } from './entities/progress-event.entity.js';

/** A lesson_progress row as the service works with it (numbers as numbers). */
export interface ProgressState {
  lessonKey: string;
  courseId: string;
  lessonId: string;
  kind: string;
  locale: string;
  status: 'in_progress' | 'completed';
  watched: WatchedIntervals;
  watchedSeconds: number;
  durationSeconds: number | null;
  positionSeconds: number | null;
  positionAt: Date | null;
  stepsDone: string[];
  attemptTimes: Date[];
  bestScore: number | null;
  lastScore: number | null;
  events: number;
  lastEventAt: Date;
  completedAt: Date | null;
}

export interface EventRow {
  id: string;
  type: ProgressEventType;
  lessonId: string;
  lessonKey: string;
  courseId: string;
  locale: string;
  clientAt: Date;
  payload: Record<string, unknown>;
  outcome: Record<string, unknown> | null;
}

export interface EnrolmentRow {
  courseId: string;
  courseVersionId: string;
  enrolledBy: string | null;
  enrolledAt: Date;
  startedAt: Date | null;
  lastActivityAt: Date | null;
  completedAt: Date | null;
}

export interface CompletionRow {
  courseId: string;
  courseVersionId: string;
  version: number;
  locale: string;
  averageQuizScore: number | null;
  completedAt: Date;
}

export interface ProgressCounts {
  enrolled: number;
  notStarted: number;
  inProgress: number;
  completed: number;
}

const PROGRESS_COLUMNS = `lesson_key AS "lessonKey", course_id AS "courseId", lesson_id AS "lessonId", kind, locale,
  status, watched, watched_seconds::float8 AS "watchedSeconds", duration_seconds::float8 AS "durationSeconds",
  position_seconds::float8 AS "positionSeconds", position_at AS "positionAt", steps_done AS "stepsDone",
  attempt_times AS "attemptTimes", best_score AS "bestScore", last_score AS "lastScore", events,
  last_event_at AS "lastEventAt", completed_at AS "completedAt"`;

const ENROLMENT_COLUMNS = `course_id AS "courseId", course_version_id AS "courseVersionId", enrolled_by AS "enrolledBy",
  enrolled_at AS "enrolledAt", started_at AS "startedAt", last_activity_at AS "lastActivityAt",
  completed_at AS "completedAt"`;

const COMPLETION_COLUMNS = `course_id AS "courseId", course_version_id AS "courseVersionId", version, locale,
  average_quiz_score::float8 AS "averageQuizScore", completed_at AS "completedAt"`;

type JsonRow = Record<string, unknown>;
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

/** A summary read through json_agg: timestamps arrive as text. */
function progressFromJson(r: JsonRow): ProgressState {
  return {
    ...(r as unknown as ProgressState),
    positionAt: date(r.positionAt),
    attemptTimes: ((r.attemptTimes as string[]) ?? []).map((t) => new Date(t)),
    lastEventAt: new Date(r.lastEventAt as string),
    completedAt: date(r.completedAt),
  };
}

function enrolmentFromJson(r: JsonRow): EnrolmentRow {
  return {
    ...(r as unknown as EnrolmentRow),
    enrolledAt: new Date(r.enrolledAt as string),
    startedAt: date(r.startedAt),
    lastActivityAt: date(r.lastActivityAt),
    completedAt: date(r.completedAt),
  };
}

/** Advisory lock namespace (two-key form) for "one learner's progress is being written". */
const LEARNER_LOCK_CLASS = 0x4c4e; // 'LN'

/** What one learner's events need to be decided. */
export interface LearnerState {
  /** Event ids (of those asked about) already stored. */
  existing: Set<string>;
  /** Lesson summaries by lesson key. */
  progress: Map<string, ProgressState>;
  /** Enrolments by course id. */
  enrolments: Map<string, EnrolmentRow>;
}

/** What one learner's events change. */
export interface LearnerChanges {
  learnerId: string;
  events: EventRow[];
  states: ProgressState[];
  touches: { courseId: string; courseVersionId: string; activityAt: Date }[];
}

/**
 * Learners' events applied in one transaction, each learner under an advisory lock: concurrent
 * requests of the same learner (a retry racing its original, two tabs) apply one after the
 * other, so duplicates are seen and summaries are never overwritten with stale state. Requests
 * of many learners share the transaction (see ProgressService: group commit).
 */
export class ProgressTransaction {
  constructor(private readonly tx: PreparedTx) {}

  async load(
    wanted: { learnerId: string; eventIds: string[]; lessonKeys: string[]; courseIds: string[] }[],
  ): Promise<Map<string, LearnerState>> {
    const pairs = (pick: (w: (typeof wanted)[number]) => string[]) => {
      const learners: string[] = [];
      const ids: string[] = [];
      for (const w of wanted)
        for (const id of pick(w)) {
          learners.push(w.learnerId);
          ids.push(id);
        }
      return [learners, ids];
    };
    // One round trip for everything: on two cores each extra statement costs more than its work.
    const [row] = await this.tx.query<{
      existing: { learnerId: string; id: string }[];
      progress: JsonRow[];
      enrolments: JsonRow[];
    }>(
      `SELECT (SELECT coalesce(json_agg(json_build_object('learnerId', learner_id, 'id', id)), '[]')
                 FROM progress_events
                WHERE (learner_id, id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))) AS existing,
              (SELECT coalesce(json_agg(p), '[]') FROM (SELECT learner_id AS "learnerId", ${PROGRESS_COLUMNS}
                 FROM lesson_progress
                WHERE (learner_id, lesson_key) IN (SELECT * FROM unnest($3::uuid[], $4::uuid[]))) p) AS progress,
              (SELECT coalesce(json_agg(e), '[]') FROM (SELECT learner_id AS "learnerId", ${ENROLMENT_COLUMNS}
                 FROM enrolments
                WHERE (learner_id, course_id) IN (SELECT * FROM unnest($5::uuid[], $6::uuid[]))) e) AS enrolments`,
      [...pairs((w) => w.eventIds), ...pairs((w) => w.lessonKeys), ...pairs((w) => w.courseIds)],
    );
    const states = new Map<string, LearnerState>(
      wanted.map((w) => [w.learnerId, { existing: new Set(), progress: new Map(), enrolments: new Map() }]),
    );
    for (const e of row.existing) states.get(e.learnerId)!.existing.add(e.id);
    for (const p of row.progress)
      states.get(p.learnerId as string)!.progress.set(p.lessonKey as string, progressFromJson(p));
    for (const e of row.enrolments)
      states.get(e.learnerId as string)!.enrolments.set(e.courseId as string, enrolmentFromJson(e));
    return states;
  }

  /**
   * Writes the accepted events, the changed summaries and the enrolments' activity (enrolling
   * where needed, on the given version) of every learner in one statement; returns the touched
   * enrolments by learner.
   */
  async write(changes: LearnerChanges[]): Promise<Map<string, Map<string, EnrolmentRow>>> {
    const byLearner = new Map<string, Map<string, EnrolmentRow>>(
      changes.map((c) => [c.learnerId, new Map()]),
    );
    if (changes.every((c) => c.events.length === 0)) return byLearner;
    const rows = await this.tx.query<EnrolmentRow & { learnerId: string }>(
      `WITH new_events AS (
         INSERT INTO progress_events (learner_id, id, type, lesson_id, lesson_key, course_id, locale, client_at, payload, outcome)
         SELECT r.learner_id, r.id, r.type, r.lesson_id, r.lesson_key, r.course_id, r.locale, r.client_at, r.payload, r.outcome
           FROM jsonb_to_recordset($1::jsonb) AS r(learner_id uuid, id uuid, type text, lesson_id uuid, lesson_key uuid, course_id uuid,
                locale text, client_at timestamptz, payload jsonb, outcome jsonb)
       ), summaries AS (
         INSERT INTO lesson_progress (learner_id, lesson_key, course_id, lesson_id, kind, locale, status, watched,
                watched_seconds, duration_seconds, position_seconds, position_at, steps_done, attempt_times, best_score,
                last_score, events, last_event_at, completed_at, updated_at)
         SELECT r.learner_id, r.lesson_key, r.course_id, r.lesson_id, r.kind, r.locale, r.status, r.watched, r.watched_seconds,
                r.duration_seconds, r.position_seconds, r.position_at, r.steps_done, r.attempt_times, r.best_score,
                r.last_score, r.events, r.last_event_at, r.completed_at, now()
           FROM jsonb_to_recordset($2::jsonb) AS r(learner_id uuid, lesson_key uuid, course_id uuid, lesson_id uuid, kind text, locale text,
                status text, watched jsonb, watched_seconds numeric, duration_seconds numeric, position_seconds numeric,
                position_at timestamptz, steps_done uuid[], attempt_times timestamptz[], best_score int, last_score int,
                events int, last_event_at timestamptz, completed_at timestamptz)
         ON CONFLICT (learner_id, lesson_key) DO UPDATE SET
                course_id = EXCLUDED.course_id, lesson_id = EXCLUDED.lesson_id, kind = EXCLUDED.kind,
                locale = EXCLUDED.locale, status = EXCLUDED.status, watched = EXCLUDED.watched,
                watched_seconds = EXCLUDED.watched_seconds, duration_seconds = EXCLUDED.duration_seconds,
                position_seconds = EXCLUDED.position_seconds, position_at = EXCLUDED.position_at,
                steps_done = EXCLUDED.steps_done, attempt_times = EXCLUDED.attempt_times,
                best_score = EXCLUDED.best_score, last_score = EXCLUDED.last_score, events = EXCLUDED.events,
                last_event_at = EXCLUDED.last_event_at, completed_at = EXCLUDED.completed_at, updated_at = now()
       )
       INSERT INTO enrolments AS e (learner_id, course_id, course_version_id, started_at, last_activity_at)
       SELECT r.learner_id, r.course_id, r.course_version_id, now(), r.activity_at
         FROM jsonb_to_recordset($3::jsonb) AS r(learner_id uuid, course_id uuid, course_version_id uuid, activity_at timestamptz)
       ON CONFLICT (learner_id, course_id) DO UPDATE SET
              started_at = coalesce(e.started_at, EXCLUDED.started_at),
              last_activity_at = greatest(e.last_activity_at, EXCLUDED.last_activity_at)
       RETURNING learner_id AS "learnerId", ${ENROLMENT_COLUMNS}`,
      [
        JSON.stringify(
          changes.flatMap(({ learnerId, events }) =>
            events.map((e) => ({
              learner_id: learnerId,
              id: e.id,
              type: e.type,
              lesson_id: e.lessonId,
              lesson_key: e.lessonKey,
              course_id: e.courseId,
              locale: e.locale,
              client_at: e.clientAt,
              payload: e.payload,
              outcome: e.outcome,
            })),
          ),
        ),
        JSON.stringify(
          changes.flatMap(({ learnerId, states }) =>
            states.map((s) => ({
              learner_id: learnerId,
              lesson_key: s.lessonKey,
              course_id: s.courseId,
              lesson_id: s.lessonId,
              kind: s.kind,
              locale: s.locale,
              status: s.status,
              watched: s.watched,
              watched_seconds: s.watchedSeconds,
              duration_seconds: s.durationSeconds,
              position_seconds: s.positionSeconds,
              position_at: s.positionAt,
              steps_done: s.stepsDone,
              attempt_times: s.attemptTimes,
              best_score: s.bestScore,
              last_score: s.lastScore,
              events: s.events,
              last_event_at: s.lastEventAt,
              completed_at: s.completedAt,
            })),
          ),
        ),
        JSON.stringify(
          changes.flatMap(({ learnerId, touches }) =>
            touches.map((t) => ({
              learner_id: learnerId,
              course_id: t.courseId,
              course_version_id: t.courseVersionId,
              activity_at: t.activityAt,
            })),
          ),
        ),
      ],
    );
    for (const { learnerId, ...enrolment } of rows)
      byLearner.get(learnerId)!.set(enrolment.courseId, enrolment);
    return byLearner;
  }

  /** Progress rows of one course's completed lessons. */
  completedLessons(
    learnerId: string,
    courseId: string,
  ): Promise<Pick<ProgressState, 'lessonKey' | 'locale' | 'bestScore' | 'kind'>[]> {
    return this.tx.query(
      `SELECT lesson_key AS "lessonKey", locale, best_score AS "bestScore", kind
         FROM lesson_progress WHERE learner_id = $1 AND course_id = $2 AND status = 'completed'`,
      [learnerId, courseId],
    );
  }

  /**
   * Records a course completion once per version, marks the enrolment and appends the domain
   * event, all in this transaction. Null when this version was already completed.
   */
  async completeCourse(
    learnerId: string,
    completion: Omit<CompletionRow, 'completedAt'>,
  ): Promise<CompletionRow | null> {
    const [row] = await this.tx.query<CompletionRow & { id: string }>(
      `INSERT INTO course_completions (learner_id, course_id, course_version_id, version, locale, average_quiz_score)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (learner_id, course_version_id) DO NOTHING
       RETURNING id, ${COMPLETION_COLUMNS}`,
      [
        learnerId,
        completion.courseId,
        completion.courseVersionId,
        completion.version,
        completion.locale,
        completion.averageQuizScore,
      ],
    );
    if (!row) return null;
    await this.tx.query(
      `UPDATE enrolments SET completed_at = $3 WHERE learner_id = $1 AND course_id = $2 AND completed_at IS NULL`,
      [learnerId, completion.courseId, row.completedAt],
    );
    await this.tx.query(`INSERT INTO domain_events (type, subject_id, payload) VALUES ($1, $2, $3)`, [
      COURSE_COMPLETED,
      row.id,
      {
        completionId: row.id,
        learnerId: learnerId,
        courseId: row.courseId,
        courseVersionId: row.courseVersionId,
        version: row.version,
        locale: row.locale,
        averageQuizScore: row.averageQuizScore,
        completedAt: row.completedAt,
      },
    ]);
    const { id: _id, ...rest } = row;
    return rest;
  }
}

/** The only place that touches the database for learning. */
@Injectable()
export class LearningRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Runs `work` for one learner under the per-learner lock; committed when it resolves. */
  /** Runs `work` in one transaction holding every given learner's lock; committed when it resolves. */
  forLearners<T>(learnerIds: string[], work: (tx: ProgressTransaction) => Promise<T>): Promise<T> {
    // Ids come from verified sessions; checked anyway, since they are written into the SQL so that
    // BEGIN and the locks share one round trip. Locks are taken in the order of their keys, so two
    // transactions never wait on each other in a cycle (even when two learners' keys collide).
    const ids = [...new Set(learnerIds)];
    if (!ids.every((id) => isUUID(id))) throw new Error('not a user id');
    const list = ids.map((id) => `'${id}'`).join(', ');
    return preparedTransaction(
      this.dataSource,
      (tx) => work(new ProgressTransaction(tx)),
      `BEGIN; SELECT pg_advisory_xact_lock(${LEARNER_LOCK_CLASS}, k)
         FROM (SELECT DISTINCT hashtext(id) AS k FROM unnest(ARRAY[${list}]) AS id ORDER BY 1) keys`,
    );
  }

  /** Enrols if not yet enrolled; returns the enrolment and whether it is new. */
  async enrol(
    learnerId: string,
    courseId: string,
    courseVersionId: string,
    enrolledBy: string | null,
  ): Promise<{ enrolment: EnrolmentRow; created: boolean }> {
    const [created] = await preparedQuery<EnrolmentRow>(
      this.dataSource,
      `INSERT INTO enrolments (learner_id, course_id, course_version_id, enrolled_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (learner_id, course_id) DO NOTHING RETURNING ${ENROLMENT_COLUMNS}`,
      [learnerId, courseId, courseVersionId, enrolledBy],
    );
    if (created) return { enrolment: created, created: true };
    const [existing] = await preparedQuery<EnrolmentRow>(
      this.dataSource,
      `SELECT ${ENROLMENT_COLUMNS} FROM enrolments WHERE learner_id = $1 AND course_id = $2`,
      [learnerId, courseId],
    );
    return { enrolment: existing, created: false };
  }

  enrolmentsOf(learnerId: string): Promise<EnrolmentRow[]> {
    return preparedQuery(
      this.dataSource,
      `SELECT ${ENROLMENT_COLUMNS} FROM enrolments WHERE learner_id = $1
        ORDER BY coalesce(last_activity_at, enrolled_at) DESC`,
      [learnerId],
    );
  }

  progressOf(learnerId: string, lessonKeys: string[]): Promise<ProgressState[]> {
    return preparedQuery(
      this.dataSource,
      `SELECT ${PROGRESS_COLUMNS} FROM lesson_progress WHERE learner_id = $1 AND lesson_key = ANY($2::uuid[])`,
      [learnerId, lessonKeys],
    );
  }

  completionsOf(learnerId: string): Promise<CompletionRow[]> {
    return preparedQuery(
      this.dataSource,
      `SELECT ${COMPLETION_COLUMNS} FROM course_completions WHERE learner_id = $1 ORDER BY completed_at DESC`,
      [learnerId],
    );
  }

  /**
   * Enrolment counts, grouped by learner group or by a locality level under `withinPath`.
   * `scopePaths` (coordinators) keeps only learners whose village lies under one of them.
   */
  async counts(filter: {
    courseId?: string;
    withinPath?: string;
    scopePaths?: string[];
    groupBy: 'learner_group' | 'child_locality' | 'none';
    /** For child_locality: which `/`-separated part of the path holds the child's id. */
    childPart?: number;
  }): Promise<(ProgressCounts & { key: string | null })[]> {
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = [];
    if (filter.courseId) where.push(`e.course_id = ${p(filter.courseId)}`);
    if (filter.withinPath) where.push(`loc.path LIKE ${p(`${filter.withinPath}%`)}`);
    if (filter.scopePaths)
      where.push(`loc.path LIKE ANY (${p(filter.scopePaths.map((s) => `${s}%`))}::text[])`);
    const key =
      filter.groupBy === 'learner_group'
        ? 'u.learner_group_id::text'
        : filter.groupBy === 'child_locality'
          ? `split_part(loc.path, '/', ${p(filter.childPart)}::int)`
          : 'NULL::text';
    const rows = await this.dataSource.query(
      `SELECT ${key} AS key,
              count(*)::int AS enrolled,
              count(*) FILTER (WHERE e.started_at IS NULL)::int AS "notStarted",
              count(*) FILTER (WHERE e.started_at IS NOT NULL AND e.completed_at IS NULL)::int AS "inProgress",
              count(*) FILTER (WHERE e.completed_at IS NOT NULL)::int AS completed
         FROM enrolments e
         JOIN users u ON u.id = e.learner_id
         LEFT JOIN localities loc ON loc.id = u.village_id
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        GROUP BY 1 ORDER BY 1`,
      params,
    );
    return rows.map((r: ProgressCounts & { key: string | null }) => ({
      ...r,
      key: r.key === '' ? null : r.key,
    }));
  }
}

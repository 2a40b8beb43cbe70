import { isUUID } from 'class-validator';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  preparedQuery,
  preparedTransaction,
  type PreparedTx,
} from '../../infrastructure/database/prepared-query.js';
import { appendEvent } from '../../infrastructure/outbox/outbox.js';
import type { Texts } from '../catalog/catalog.types.js';
import {
  COURSE_ACTIVE,
  COURSE_COMPLETED,
  COURSE_STARTED,
  ENROLLED,
  type CourseCompletedEvent,
} from './learning.types.js';

/** A lesson_progress row as the service works with it. */
export interface ProgressState {
  lessonKey: string;
  courseId: string;
  lessonId: string;
  kind: string;
  locale: string;
  status: 'in_progress' | 'completed';
  /** The lesson kind's own state (JSON). */
  state: Record<string, unknown>;
  events: number;
  lastEventAt: Date;
  completedAt: Date | null;
}

export interface EventRow {
  id: string;
  type: string;
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

/** A practice lesson a learner has yet to have confirmed. */
export interface PendingPracticeRow {
  learnerId: string;
  displayName: string;
  villageId: string;
  lessonId: string;
  lessonTitle: Texts;
  task: Texts | null;
  courseId: string;
  courseTitle: Texts;
  lastActivityAt: Date | null;
}

export interface CompletionRow {
  courseId: string;
  courseVersionId: string;
  version: number;
  locale: string;
  averageQuizScore: number | null;
  completedAt: Date;
}

/**
 * lesson_progress's columns, once: the property the service uses, the column, and its SQL type (for
 * `jsonb_to_recordset`). Reads, the write and the row sent to it are all made from this list.
 */
const PROGRESS_FIELDS = [
  ['lessonKey', 'lesson_key', 'uuid'],
  ['courseId', 'course_id', 'uuid'],
  ['lessonId', 'lesson_id', 'uuid'],
  ['kind', 'kind', 'text'],
  ['locale', 'locale', 'text'],
  ['status', 'status', 'text'],
  ['state', 'state', 'jsonb'],
  ['events', 'events', 'int'],
  ['lastEventAt', 'last_event_at', 'timestamptz'],
  ['completedAt', 'completed_at', 'timestamptz'],
] as const satisfies readonly (readonly [keyof ProgressState, string, string])[];
type ProgressField = (typeof PROGRESS_FIELDS)[number][0];

/** `column AS "property"` for the given fields (all by default). */
const progressColumns = (only?: readonly ProgressField[]) =>
  PROGRESS_FIELDS.filter(([p]) => !only || only.includes(p))
    .map(([p, c]) => (p === c ? c : `${c} AS "${p}"`))
    .join(', ');
const PROGRESS_COLUMNS = progressColumns();
const PROGRESS_WRITE = {
  columns: PROGRESS_FIELDS.map(([, c]) => c).join(', '),
  recordset: PROGRESS_FIELDS.map(([, c, type]) => `${c} ${type}`).join(', '),
  values: PROGRESS_FIELDS.map(([, c]) => `r.${c}`).join(', '),
  // The key stays; everything else is the new summary.
  update: PROGRESS_FIELDS.filter(([p]) => p !== 'lessonKey')
    .map(([, c]) => `${c} = EXCLUDED.${c}`)
    .join(', '),
};
const progressRow = (learnerId: string, s: ProgressState) =>
  Object.fromEntries([['learner_id', learnerId], ...PROGRESS_FIELDS.map(([p, c]) => [c, s[p]])]);

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
  /** Enrolments by course id, with the (Vietnam) day of their last received event. */
  enrolments: Map<string, EnrolmentRow & { activeOn: string | null }>;
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

  /**
   * `receivedSince`: the earliest instant any of these events can have been received before. An
   * event is refused when its time is more than the allowed clock skew ahead of the server's, so a
   * retry (the same id, the same time) can only have been received after its time minus that skew:
   * the duplicate probe reads the months from there on, not every month of the log (a live
   * heartbeat reads the current month only).
   */
  async load(
    wanted: { learnerId: string; eventIds: string[]; lessonKeys: string[]; courseIds: string[] }[],
    receivedSince: Date,
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
      // Seen before: in a month of the log it can have been received in, or in an archived month.
      `SELECT (SELECT coalesce(json_agg(json_build_object('learnerId', learner_id, 'id', id)), '[]')
                 FROM (SELECT learner_id, id FROM progress_events
                        WHERE received_at >= $7 AND (learner_id, id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))
                       UNION ALL
                       SELECT learner_id, id FROM progress_events_archived
                        WHERE (learner_id, id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))) seen) AS existing,
              (SELECT coalesce(json_agg(p), '[]') FROM (SELECT learner_id AS "learnerId", ${PROGRESS_COLUMNS}
                 FROM lesson_progress
                WHERE (learner_id, lesson_key) IN (SELECT * FROM unnest($3::uuid[], $4::uuid[]))) p) AS progress,
              (SELECT coalesce(json_agg(e), '[]') FROM (SELECT learner_id AS "learnerId", ${ENROLMENT_COLUMNS},
                      to_char(active_on, 'YYYY-MM-DD') AS "activeOn"
                 FROM enrolments
                WHERE (learner_id, course_id) IN (SELECT * FROM unnest($5::uuid[], $6::uuid[]))) e) AS enrolments`,
      [
        ...pairs((w) => w.eventIds),
        ...pairs((w) => w.lessonKeys),
        ...pairs((w) => w.courseIds),
        receivedSince,
      ],
    );
    const states = new Map<string, LearnerState>(
      wanted.map((w) => [w.learnerId, { existing: new Set(), progress: new Map(), enrolments: new Map() }]),
    );
    for (const e of row.existing) states.get(e.learnerId)!.existing.add(e.id);
    for (const p of row.progress)
      states.get(p.learnerId as string)!.progress.set(p.lessonKey as string, progressFromJson(p));
    for (const e of row.enrolments)
      states.get(e.learnerId as string)!.enrolments.set(e.courseId as string, {
        ...enrolmentFromJson(e),
        activeOn: (e.activeOn as string | null) ?? null,
      });
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
         INSERT INTO lesson_progress (learner_id, ${PROGRESS_WRITE.columns}, updated_at)
         SELECT r.learner_id, ${PROGRESS_WRITE.values}, now()
           FROM jsonb_to_recordset($2::jsonb) AS r(learner_id uuid, ${PROGRESS_WRITE.recordset})
         ON CONFLICT (learner_id, lesson_key) DO UPDATE SET ${PROGRESS_WRITE.update}, updated_at = now()
       ), touched AS (
         SELECT r.*, (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS today
           FROM jsonb_to_recordset($3::jsonb) AS r(learner_id uuid, course_id uuid, course_version_id uuid, activity_at timestamptz)
       ), before AS (
         -- The enrolments as they were (every part of one statement sees the same snapshot).
         SELECT e.learner_id, e.course_id, e.started_at, e.active_on FROM enrolments e JOIN touched t USING (learner_id, course_id)
       ), facts AS (
         -- For the reporting rollups: enrolled by this first event, started, active on a new day.
         INSERT INTO domain_events (type, subject_id, payload)
         SELECT f.type, t.learner_id,
                jsonb_build_object('learnerId', t.learner_id, 'courseId', t.course_id,
                                   'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
           FROM touched t LEFT JOIN before b USING (learner_id, course_id)
          CROSS JOIN LATERAL (VALUES ('${ENROLLED}', b.learner_id IS NULL),
                                     ('${COURSE_STARTED}', b.started_at IS NULL),
                                     ('${COURSE_ACTIVE}', b.active_on IS DISTINCT FROM t.today)) AS f(type, happened)
          WHERE f.happened
       )
       INSERT INTO enrolments AS e (learner_id, course_id, course_version_id, started_at, last_activity_at, active_on)
       SELECT t.learner_id, t.course_id, t.course_version_id, now(), t.activity_at, t.today FROM touched t
       ON CONFLICT (learner_id, course_id) DO UPDATE SET
              started_at = coalesce(e.started_at, EXCLUDED.started_at),
              last_activity_at = greatest(e.last_activity_at, EXCLUDED.last_activity_at),
              active_on = EXCLUDED.active_on
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
          changes.flatMap(({ learnerId, states }) => states.map((s) => progressRow(learnerId, s))),
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
  ): Promise<Pick<ProgressState, 'lessonKey' | 'locale' | 'kind' | 'state'>[]> {
    return this.tx.query(
      `SELECT ${progressColumns(['lessonKey', 'locale', 'kind', 'state'])}
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
    const marked = await this.tx.query<{ courseId: string }>(
      `UPDATE enrolments SET completed_at = $3 WHERE learner_id = $1 AND course_id = $2 AND completed_at IS NULL
       RETURNING course_id AS "courseId"`,
      [learnerId, completion.courseId, row.completedAt],
    );
    await appendEvent(this.tx, COURSE_COMPLETED, row.id, {
      completionId: row.id,
      learnerId: learnerId,
      courseId: row.courseId,
      courseVersionId: row.courseVersionId,
      version: row.version,
      locale: row.locale,
      averageQuizScore: row.averageQuizScore,
      completedAt: new Date(row.completedAt).toISOString(),
      enrolmentCompleted: marked.length > 0,
    } satisfies CourseCompletedEvent);
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
      `WITH created AS (
         INSERT INTO enrolments (learner_id, course_id, course_version_id, enrolled_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (learner_id, course_id) DO NOTHING RETURNING *
       ), fact AS (
         INSERT INTO domain_events (type, subject_id, payload)
         SELECT '${ENROLLED}', learner_id, jsonb_build_object('learnerId', learner_id, 'courseId', course_id,
                'at', to_char(enrolled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
           FROM created
       )
       SELECT ${ENROLMENT_COLUMNS} FROM created`,
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

  /**
   * Unfinished enrolments whose last activity falls in [from, to): learners who stopped part-way.
   * Keyset-paged by (last activity, learner, course) after `after`.
   */
  stalledEnrolments(
    from: Date,
    to: Date,
    limit: number,
    after?: { lastActivityAt: Date; learnerId: string; courseId: string },
  ): Promise<(EnrolmentRow & { learnerId: string; lastActivityAt: Date })[]> {
    return this.dataSource.query(
      `SELECT learner_id AS "learnerId", ${ENROLMENT_COLUMNS} FROM enrolments
        WHERE completed_at IS NULL AND last_activity_at >= $1 AND last_activity_at < $2
          AND ($4::timestamptz IS NULL OR (last_activity_at, learner_id, course_id) > ($4, $5::uuid, $6::uuid))
        ORDER BY last_activity_at, learner_id, course_id
        LIMIT $3`,
      [from, to, limit, after?.lastActivityAt ?? null, after?.learnerId ?? null, after?.courseId ?? null],
    );
  }

  /**
   * Practice lessons waiting for someone to confirm them: learners of `villageIds` enrolled in a
   * course whose version has a practice lesson they have not completed, the most recently active
   * first (a confirmer's list; `total` counts every waiting pair).
   */
  async pendingPractice(
    villageIds: string[],
    limit: number,
    offset: number,
  ): Promise<{ items: PendingPracticeRow[]; total: number }> {
    const rows = await this.dataSource.query<(PendingPracticeRow & { total: number })[]>(
      `SELECT u.id AS "learnerId", u.display_name AS "displayName", u.village_id AS "villageId",
              l.id AS "lessonId", l.title AS "lessonTitle", l.content->'task' AS task,
              e.course_id AS "courseId", v.title AS "courseTitle", e.last_activity_at AS "lastActivityAt",
              count(*) OVER ()::int AS total
         FROM users u
         JOIN enrolments e ON e.learner_id = u.id
         JOIN lessons l ON l.course_version_id = e.course_version_id AND l.kind = 'practice'
         JOIN course_versions v ON v.id = e.course_version_id
        WHERE u.village_id = ANY ($1::uuid[]) AND u.disabled_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM lesson_progress p
                           WHERE p.learner_id = u.id AND p.lesson_key = l.lesson_key AND p.status = 'completed')
        ORDER BY e.last_activity_at DESC NULLS LAST, u.id, l.position
        LIMIT $2 OFFSET $3`,
      [villageIds, limit, offset],
    );
    return { items: rows.map(({ total: _, ...r }) => r), total: rows[0]?.total ?? 0 };
  }

  /** The learner's enrolment in a course, if any. */
  async enrolmentIn(learnerId: string, courseId: string): Promise<EnrolmentRow | null> {
    const [row] = await preparedQuery<EnrolmentRow>(
      this.dataSource,
      `SELECT ${ENROLMENT_COLUMNS} FROM enrolments WHERE learner_id = $1 AND course_id = $2`,
      [learnerId, courseId],
    );
    return row ?? null;
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
}

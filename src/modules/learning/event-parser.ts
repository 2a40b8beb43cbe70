import { isUUID } from 'class-validator';
import { CONTENT_LOCALES } from '../../infrastructure/i18n/locales.js';
import { PROGRESS_EVENT_TYPES, type ProgressEventType } from './entities/progress-event.entity.js';
import type { QuizAnswer } from './quiz-grading.js';

/** A client event whose shape is right (what it says is checked against the lesson later). */
export interface ProgressEventInput {
  id: string;
  type: ProgressEventType;
  lessonId: string;
  at: string;
  locale?: string;
  intervals?: unknown[];
  position?: number;
  stepId?: string;
  answers?: QuizAnswer[];
}

/** A date-time with its zone: a phone's local time is meaningless without one. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const EVENT_FIELDS = new Set([
  'id',
  'type',
  'lessonId',
  'at',
  'locale',
  'intervals',
  'position',
  'stepId',
  'answers',
]);
const ANSWER_FIELDS = new Set(['questionId', 'optionIds', 'answer', 'order']);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isUuid = (v: unknown): v is string => isUUID(v);

function uuidList(v: unknown, at: string, max: number, problems: string[]): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > max || !v.every(isUuid)) {
    problems.push(`${at} must be a list of at most ${max} UUIDs`);
    return undefined;
  }
  return v;
}

/**
 * Checks the shape of one event (the API documents it as ProgressEventDto). Hand-written rather
 * than class-validator: a sync batch carries up to 500 events, and class-transformer plus
 * class-validator were a quarter of the API's CPU on that path. Lists every problem found.
 */
export function parseProgressEvent(raw: unknown): ProgressEventInput | { problems: string[] } {
  if (!isObject(raw)) return { problems: ['an event must be an object'] };
  const problems: string[] = [];
  for (const key of Object.keys(raw))
    if (!EVENT_FIELDS.has(key)) problems.push(`property ${key} should not exist`);
  const { id, type, lessonId, at, locale, intervals, position, stepId, answers } = raw;
  if (!isUuid(id)) problems.push('id must be a UUID');
  if (!(PROGRESS_EVENT_TYPES as readonly unknown[]).includes(type))
    problems.push(`type must be one of: ${PROGRESS_EVENT_TYPES.join(', ')}`);
  if (!isUuid(lessonId)) problems.push('lessonId must be a UUID');
  if (typeof at !== 'string' || !DATE_TIME.test(at) || Number.isNaN(Date.parse(at)))
    problems.push('at must be a date-time with its time zone (ISO 8601), e.g. 2026-11-29T08:15:00+07:00');
  if (locale !== undefined && !(CONTENT_LOCALES as readonly unknown[]).includes(locale))
    problems.push(`locale must be one of: ${CONTENT_LOCALES.join(', ')}`);
  if (intervals !== undefined && (!Array.isArray(intervals) || intervals.length > 20))
    problems.push('intervals must be a list of at most 20 [from, to] pairs');
  if (
    position !== undefined &&
    (typeof position !== 'number' || !Number.isFinite(position) || position < 0 || position > 86_400)
  )
    problems.push('position must be a number of seconds between 0 and 86400');
  if (stepId !== undefined && !isUuid(stepId)) problems.push('stepId must be a UUID');
  let parsedAnswers: QuizAnswer[] | undefined;
  if (answers !== undefined) {
    if (!Array.isArray(answers) || answers.length > 50)
      problems.push('answers must be a list of at most 50 answers');
    else {
      parsedAnswers = [];
      for (const [i, a] of answers.entries()) {
        const here = `answers.${i}`;
        if (!isObject(a)) {
          problems.push(`${here} must be an object`);
          continue;
        }
        for (const key of Object.keys(a))
          if (!ANSWER_FIELDS.has(key)) problems.push(`${here}.property ${key} should not exist`);
        if (!isUuid(a.questionId)) problems.push(`${here}.questionId must be a UUID`);
        if (a.answer !== undefined && typeof a.answer !== 'boolean')
          problems.push(`${here}.answer must be true or false`);
        const optionIds = uuidList(a.optionIds, `${here}.optionIds`, 20, problems);
        const order = uuidList(a.order, `${here}.order`, 50, problems);
        parsedAnswers.push({
          questionId: a.questionId as string,
          ...(optionIds && { optionIds }),
          ...(typeof a.answer === 'boolean' && { answer: a.answer }),
          ...(order && { order }),
        });
      }
    }
  }
  if (problems.length > 0) return { problems };
  return {
    id: id as string,
    type: type as ProgressEventType,
    lessonId: lessonId as string,
    at: at as string,
    ...(locale !== undefined && { locale: locale as string }),
    ...(intervals !== undefined && { intervals: intervals as unknown[] }),
    ...(position !== undefined && { position: position as number }),
    ...(stepId !== undefined && { stepId: stepId as string }),
    ...(parsedAnswers && { answers: parsedAnswers }),
  };
}

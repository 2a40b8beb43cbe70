import { isUUID } from 'class-validator';
import { CONTENT_LOCALES } from '../../infrastructure/i18n/locales.js';
import {
  KIND_EVENT_FIELDS,
  kindOfEvent,
  LESSON_KIND_DEFINITIONS,
  PROGRESS_EVENT_TYPES,
} from '../lesson-kinds/lesson-kinds.js';

/** A client event whose shape is right (what it says is checked against the lesson later). */
export interface ProgressEventInput {
  id: string;
  type: string;
  lessonId: string;
  at: string;
  locale?: string;
  /** The event's own fields, as its kind read them. */
  payload: unknown;
}

/** A date-time with its zone: a phone's local time is meaningless without one. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const COMMON_FIELDS = ['id', 'type', 'lessonId', 'at', 'locale'];
const EVENT_FIELDS = new Set([...COMMON_FIELDS, ...KIND_EVENT_FIELDS]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks the shape of one event (the API documents it as ProgressEventDto): the common fields
 * here, the kind's own fields by its parser. Hand-written rather than class-validator: a sync
 * batch carries up to 500 events, and class-transformer plus class-validator were a quarter of the
 * API's CPU on that path. Lists every problem found.
 */
export function parseProgressEvent(raw: unknown): ProgressEventInput | { problems: string[] } {
  if (!isObject(raw)) return { problems: ['an event must be an object'] };
  const problems: string[] = [];
  const kind = kindOfEvent(raw.type as string);
  for (const key of Object.keys(raw)) {
    // A field of another kind is as unknown as any other.
    const known =
      EVENT_FIELDS.has(key) && (COMMON_FIELDS.includes(key) || !kind || Object.hasOwn(kind.eventFields, key));
    if (!known) problems.push(`property ${key} should not exist`);
  }
  const { id, type, lessonId, at, locale } = raw;
  if (!isUUID(id)) problems.push('id must be a UUID');
  if (!kind) problems.push(`type must be one of: ${PROGRESS_EVENT_TYPES.join(', ')}`);
  if (!isUUID(lessonId)) problems.push('lessonId must be a UUID');
  if (typeof at !== 'string' || !DATE_TIME.test(at) || Number.isNaN(Date.parse(at)))
    problems.push('at must be a date-time with its time zone (ISO 8601), e.g. 2026-11-29T08:15:00+07:00');
  if (locale !== undefined && !(CONTENT_LOCALES as readonly unknown[]).includes(locale))
    problems.push(`locale must be one of: ${CONTENT_LOCALES.join(', ')}`);
  // An unknown type is read by every kind, so that every problem of the event is listed at once.
  let payload: unknown;
  for (const k of kind ? [kind] : LESSON_KIND_DEFINITIONS) payload = k.parseEvent(raw, problems);
  if (problems.length > 0) return { problems };
  return {
    id: id as string,
    type: type as string,
    lessonId: lessonId as string,
    at: at as string,
    ...(locale !== undefined && { locale: locale as string }),
    payload,
  };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorStatuses } from '../../infrastructure/errors/domain-error.js';
import { registerMessages } from '../../infrastructure/i18n/messages.js';
import { guideKind } from './guide/guide.kind.js';
import type { LessonKindDefinition } from './lesson-kind.js';
import { practiceKind } from './practice/practice.kind.js';
import { quizKind } from './quiz/quiz.kind.js';
import { videoKind } from './video/video.kind.js';

/** A kind as the rest of the platform holds it: its content, events and state are its own business. */
export type LessonKind = LessonKindDefinition<object, unknown, unknown>;

/**
 * Every lesson kind the platform knows. Adding one is a folder beside these (its definition,
 * DTOs, templates and messages) and a line here; catalog, authoring, learning and the portal look
 * kinds up here and switch on none.
 */
export const LESSON_KIND_DEFINITIONS: readonly LessonKind[] = [videoKind, guideKind, quizKind, practiceKind];

const byKind = new Map(LESSON_KIND_DEFINITIONS.map((k) => [k.kind, k]));
const byEvent = new Map(LESSON_KIND_DEFINITIONS.map((k) => [k.eventType, k]));

/** Kind names, for validation and documentation. */
export const LESSON_KINDS: readonly string[] = LESSON_KIND_DEFINITIONS.map((k) => k.kind);
/** Event types learners record, one per kind. */
export const PROGRESS_EVENT_TYPES: readonly string[] = LESSON_KIND_DEFINITIONS.map((k) => k.eventType);
/** Every event field any kind reads. */
export const KIND_EVENT_FIELDS: readonly string[] = [
  ...new Set(LESSON_KIND_DEFINITIONS.flatMap((k) => Object.keys(k.eventFields))),
];

export const isLessonKind = (kind: unknown): kind is string => byKind.has(kind as string);

/** The definition of a stored kind (a kind the registry no longer has is a bug). */
export function lessonKind(kind: string): LessonKind {
  const definition = byKind.get(kind);
  if (!definition) throw new Error(`Unknown lesson kind "${kind}"`);
  return definition;
}

export const kindOfEvent = (type: string) => byEvent.get(type);

for (const k of LESSON_KIND_DEFINITIONS) {
  // Each kind's refusals keep their own codes; their statuses are declared like every module's.
  errorStatuses(k.rejections);
  // Its texts live in its folder: messages.json, { vi: {…}, hmn: {…}, en: {…} }.
  registerMessages(
    k.kind,
    JSON.parse(readFileSync(join(k.portal.templatesDir, '..', 'messages.json'), 'utf8')),
  );
}

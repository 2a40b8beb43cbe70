import { plainToInstance } from 'class-transformer';
import { IsString, MaxLength, validateSync, type ValidationError } from 'class-validator';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { CONTENT_LOCALES } from '../../../infrastructure/i18n/locales.js';
import { list, textPair, type TextPair } from '../../lesson-kinds/form-texts.js';
import type { KindRows, LessonKindDefinition } from '../../lesson-kinds/lesson-kind.js';
import { isLessonKind, LESSON_KINDS, lessonKind, type LessonKind } from '../../lesson-kinds/lesson-kinds.js';
import { CommonError } from '../../../infrastructure/errors/domain-error.js';
import { LessonFormDto, LONG_TEXT, SHORT_TEXT } from '../../lesson-kinds/lesson-form.dto.js';
import type { Texts } from '../../catalog/catalog.types.js';
import { PortalForm } from '../shell/portal-form.js';

/**
 * The trainer pages' plain HTML forms and how they become authoring inputs. Forms arrive as
 * application/x-www-form-urlencoded: a repeated name is an array, a single one a string. A
 * lesson's rows (steps, questions…) are its kind's (`portal.teach` of its definition).
 */

/** The language edited next to Vietnamese (content languages only: English is a UI language). */
export const SECOND_LANGUAGES = CONTENT_LOCALES.filter((l) => l !== 'vi');
export const secondLanguage = (value: unknown): string =>
  (SECOND_LANGUAGES as readonly unknown[]).includes(value) ? (value as string) : 'hmn';

export class CourseFormDto extends PortalForm {
  @Optional() @IsString() @MaxLength(8) second?: string;
  @Optional() @IsString() @MaxLength(100) slug?: string;
  @Optional() @IsString() @MaxLength(60) topic?: string;
  @Optional() @IsString({ each: true }) @MaxLength(60, { each: true }) learnerGroupIds?: string | string[];
  @Optional() @IsString() @MaxLength(SHORT_TEXT) titleVi?: string;
  @Optional() @IsString() @MaxLength(SHORT_TEXT) titleSecond?: string;
  @Optional() @IsString() @MaxLength(LONG_TEXT) summaryVi?: string;
  @Optional() @IsString() @MaxLength(LONG_TEXT) summarySecond?: string;
  @Optional() @IsString() @MaxLength(60) summaryVoiceVi?: string;
  @Optional() @IsString() @MaxLength(60) summaryVoiceSecond?: string;
}

/**
 * A recording slot pair as the API changes it: a slot with an id sets that language's recording,
 * an emptied slot removes it (`null`); other languages are not touched.
 */
export const voiceChange = (second: string, slots: TextPair): Record<string, string | null> => ({
  vi: slots.vi.trim() || null,
  ...(second !== 'vi' && { [second]: slots.second.trim() || null }),
});

/** A new text's recordings from its slots: only the filled ones. */
export const newVoice = (second: string, slots: TextPair): Record<string, string> =>
  Object.fromEntries(
    Object.entries(voiceChange(second, slots)).filter((e): e is [string, string] => e[1] !== null),
  );

/** Runs the API's DTO rules on a plain object built from a form: the page and the API agree. */
export function validateAs<T extends object>(
  type: new () => T,
  plain: object,
): { value: T; problems: string[] } {
  const value = plainToInstance(type, plain);
  const paths = (errors: ValidationError[], prefix = ''): string[] =>
    errors.flatMap((e) => {
      const here = prefix ? `${prefix}.${e.property}` : e.property;
      return [...(e.constraints ? [here] : []), ...paths(e.children ?? [], here)];
    });
  return { value, problems: paths(validateSync(value, { whitelist: true, forbidNonWhitelisted: true })) };
}

/** What the lesson editor shows and a posted form sends back: the common texts and the kind's rows. */
export interface LessonRows {
  title: TextPair;
  summary: TextPair;
  summaryVoice: TextPair;
  kind: KindRows;
}

export function rowsFromLesson(
  kind: LessonKindDefinition,
  lesson: { title: Texts; summary: Texts; summaryVoice?: Texts; content?: object },
  second: string,
): LessonRows {
  return {
    title: textPair(lesson.title, second),
    summary: textPair(lesson.summary, second),
    summaryVoice: textPair(lesson.summaryVoice, second),
    kind: kind.portal.teach?.rows(lesson.content, second) ?? {},
  };
}

export function rowsFromForm(kind: LessonKindDefinition, form: LessonFormDto): LessonRows {
  return {
    title: { vi: form.titleVi ?? '', second: form.titleSecond ?? '' },
    summary: { vi: form.summaryVi ?? '', second: form.summarySecond ?? '' },
    summaryVoice: { vi: form.summaryVoiceVi ?? '', second: form.summaryVoiceSecond ?? '' },
    kind: kind.portal.teach?.rowsFromForm(form as Record<string, unknown>) ?? {},
  };
}

/** The editor's model: the texts, and the kind's rows with blank ones for adding. */
export function editorModel(kind: LessonKindDefinition, rows: LessonRows) {
  return {
    title: rows.title,
    summary: rows.summary,
    summaryVoice: rows.summaryVoice,
    ...(kind.portal.teach?.editor(rows.kind) ?? {}),
  };
}

/** The kind a new lesson's page or form names; an unknown one is the form's mistake, like any field. */
export function kindOfForm(value: unknown): LessonKind {
  if (isLessonKind(value)) return lessonKind(value);
  throw CommonError.invalidField('kind', `kind must be one of: ${LESSON_KINDS.join(', ')}`, 'isIn');
}

export { list };

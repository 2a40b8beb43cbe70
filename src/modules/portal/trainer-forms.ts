import { plainToInstance } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, validateSync, type ValidationError } from 'class-validator';
import { CONTENT_LOCALES } from '../../infrastructure/i18n/locales.js';
import type { LessonContent, LessonEntity, LessonKind, Texts } from '../catalog/entities/lesson.entity.js';
import { PortalForm } from './portal-form.js';

/**
 * The trainer pages' plain HTML forms and how they become authoring inputs. Forms arrive as
 * application/x-www-form-urlencoded: a repeated name is an array, a single one a string, so
 * every row of a step or question sends all its inputs (empty ones too) to keep arrays aligned.
 */

/** The language edited next to Vietnamese (content languages only: English is a UI language). */
export const SECOND_LANGUAGES = CONTENT_LOCALES.filter((l) => l !== 'vi');
export const secondLanguage = (value: unknown): string =>
  (SECOND_LANGUAGES as readonly unknown[]).includes(value) ? (value as string) : 'hmn';

const SHORT = 1000;
const LONG = 8000;

export class CourseFormDto extends PortalForm {
  @IsOptional() @IsString() @MaxLength(8) second?: string;
  @IsOptional() @IsString() @MaxLength(100) slug?: string;
  @IsOptional() @IsString() @MaxLength(60) topic?: string;
  @IsOptional() @IsString({ each: true }) @MaxLength(60, { each: true }) learnerGroupIds?: string | string[];
  @IsOptional() @IsString() @MaxLength(SHORT) titleVi?: string;
  @IsOptional() @IsString() @MaxLength(SHORT) titleSecond?: string;
  @IsOptional() @IsString() @MaxLength(LONG) summaryVi?: string;
  @IsOptional() @IsString() @MaxLength(LONG) summarySecond?: string;
}

export class LessonFormDto extends PortalForm {
  @IsOptional() @IsString() @MaxLength(8) second?: string;
  @IsOptional() @IsIn(['video', 'guide', 'quiz']) kind?: LessonKind;
  @IsOptional() @IsString() @MaxLength(SHORT) titleVi?: string;
  @IsOptional() @IsString() @MaxLength(SHORT) titleSecond?: string;
  @IsOptional() @IsString() @MaxLength(LONG) summaryVi?: string;
  @IsOptional() @IsString() @MaxLength(LONG) summarySecond?: string;
  // guide: one row per step
  @IsOptional() @IsString({ each: true }) @MaxLength(60, { each: true }) stepId?: string | string[];
  @IsOptional() @IsString({ each: true }) @MaxLength(SHORT, { each: true }) stepTitleVi?: string | string[];
  @IsOptional() @IsString({ each: true }) @MaxLength(SHORT, { each: true }) stepTitleSecond?:
    string | string[];
  @IsOptional() @IsString({ each: true }) @MaxLength(LONG, { each: true }) stepBodyVi?: string | string[];
  @IsOptional() @IsString({ each: true }) @MaxLength(LONG, { each: true }) stepBodySecond?: string | string[];
  @IsOptional() @IsString({ each: true }) @MaxLength(6, { each: true }) removeStep?: string | string[];
  // quiz: one row per question, one row per option (naming its question by index)
  @IsOptional() @IsString() @MaxLength(6) passMark?: string;
  @IsOptional() @IsString({ each: true }) @MaxLength(60, { each: true }) qId?: string | string[];
  @IsOptional() @IsString({ each: true }) @MaxLength(20, { each: true }) qType?: string | string[];
  @IsOptional() @IsString({ each: true }) @MaxLength(LONG, { each: true }) qPromptVi?: string | string[];
  @IsOptional() @IsString({ each: true }) @MaxLength(LONG, { each: true }) qPromptSecond?: string | string[];
  @IsOptional() @IsString({ each: true }) @MaxLength(6, { each: true }) qTrue?: string | string[];
  @IsOptional() @IsString({ each: true }) @MaxLength(6, { each: true }) removeQuestion?: string | string[];
  @IsOptional() @IsString({ each: true }) @MaxLength(6, { each: true }) oQuestion?: string | string[];
  @IsOptional() @IsString({ each: true }) @MaxLength(60, { each: true }) oId?: string | string[];
  @IsOptional() @IsString({ each: true }) @MaxLength(LONG, { each: true }) oTextVi?: string | string[];
  @IsOptional() @IsString({ each: true }) @MaxLength(LONG, { each: true }) oTextSecond?: string | string[];
  @IsOptional() @IsString({ each: true }) @MaxLength(6, { each: true }) oCorrect?: string | string[];
}

export const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

const clean = (s: string | undefined) => (s ?? '').normalize('NFC').replace(/\r\n?/g, '\n').trim();

// --- validation against the API's own DTOs ------------------------------------

/** A problem to show next to the form: an i18n key and its parameters, or the API's own words. */
export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}

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

/** `{ vi, hmn }` from two inputs, without empty languages. */
export function pair(second: string, vi: string | undefined, other: string | undefined): Texts {
  return merge({}, second, vi, other);
}

/** Replaces Vietnamese and the second language, keeps every other language as it was. */
export function merge(old: Texts | undefined, second: string, vi?: string, other?: string): Texts {
  const out: Texts = { ...(old ?? {}), ...(second !== 'vi' && { [second]: clean(other) }), vi: clean(vi) };
  return Object.fromEntries(Object.entries(out).filter(([, t]) => !!t));
}

// --- lesson rows: what the editor shows and what the form sends back -----------

export interface TextPair {
  vi: string;
  second: string;
}
export interface StepRow {
  id: string;
  title: TextPair;
  body: TextPair;
}
export interface OptionRow {
  id: string;
  text: TextPair;
  correct: boolean;
}
export interface QuestionRow {
  id: string;
  type: string;
  prompt: TextPair;
  answer: boolean;
  options: OptionRow[];
}
export interface LessonRows {
  title: TextPair;
  summary: TextPair;
  passMark: string;
  steps: StepRow[];
  questions: QuestionRow[];
}

const textPair = (t: Texts | undefined, second: string): TextPair => ({
  vi: t?.vi ?? '',
  second: t?.[second] ?? '',
});
const blankPair = (p: TextPair) => !clean(p.vi) && !clean(p.second);

export function rowsFromLesson(lesson: Pick<LessonEntity, 'title' | 'summary' | 'content'>, second: string) {
  const c = lesson.content;
  return {
    title: textPair(lesson.title, second),
    summary: textPair(lesson.summary, second),
    passMark: String(c.passMark ?? 70),
    steps: (c.steps ?? []).map((s) => ({
      id: s.id,
      title: textPair(s.title, second),
      body: textPair(s.body, second),
    })),
    questions: (c.questions ?? []).map((q) => ({
      id: q.id,
      type: q.type,
      prompt: textPair(q.prompt, second),
      answer: q.type === 'true_false' ? q.answer : false,
      options:
        q.type === 'single' || q.type === 'multiple'
          ? q.options.map((o) => ({ id: o.id, text: textPair(o.text, second), correct: o.correct }))
          : q.type === 'ordering'
            ? q.items.map((i) => ({ id: i.id, text: textPair(i.text, second), correct: false }))
            : [],
    })),
  } satisfies LessonRows;
}

/** The rows a form sent, without removed rows and the blank rows offered for adding. */
export function rowsFromForm(form: LessonFormDto): LessonRows {
  const at = (v: string | string[] | undefined, i: number) => list(v)[i] ?? '';
  const removedSteps = new Set(list(form.removeStep));
  const removedQuestions = new Set(list(form.removeQuestion));
  const trueQuestions = new Set(list(form.qTrue));
  const correct = new Set(list(form.oCorrect));
  const options = list(form.oQuestion).map((q, i) => ({
    question: q,
    row: { id: at(form.oId, i), text: { vi: at(form.oTextVi, i), second: at(form.oTextSecond, i) } },
    correct: correct.has(String(i)),
  }));
  return {
    title: { vi: form.titleVi ?? '', second: form.titleSecond ?? '' },
    summary: { vi: form.summaryVi ?? '', second: form.summarySecond ?? '' },
    passMark: form.passMark ?? '70',
    steps: list(form.stepId)
      .map((id, i) => ({
        id,
        title: { vi: at(form.stepTitleVi, i), second: at(form.stepTitleSecond, i) },
        body: { vi: at(form.stepBodyVi, i), second: at(form.stepBodySecond, i) },
      }))
      .filter((s, i) => !removedSteps.has(String(i)) && !(blankPair(s.title) && blankPair(s.body))),
    questions: list(form.qId)
      .map((id, i) => ({
        id,
        type: at(form.qType, i),
        prompt: { vi: at(form.qPromptVi, i), second: at(form.qPromptSecond, i) },
        answer: trueQuestions.has(String(i)),
        options: options
          .filter((o) => o.question === String(i) && !blankPair(o.row.text))
          .map((o) => ({ ...o.row, correct: o.correct })),
      }))
      .filter((q, i) => !removedQuestions.has(String(i)) && !(blankPair(q.prompt) && q.options.length === 0)),
  };
}

const CHOICE_TYPES = ['single', 'multiple', 'true_false'];

/**
 * Lesson content from the editor's rows: Vietnamese and the second language replaced, other
 * languages, feedback and quiz settings kept from the stored content (found by id).
 */
export function contentFromRows(
  kind: LessonKind,
  rows: LessonRows,
  stored: LessonContent,
  second: string,
): { content: Record<string, unknown> | undefined; problems: Problem[] } {
  const problems: Problem[] = [];
  if (kind === 'guide') {
    if (rows.steps.length === 0) problems.push({ key: 'teach.problem.noSteps' });
    const steps = rows.steps.map((s, i) => {
      const old = stored.steps?.find((x) => x.id === s.id);
      if (!clean(s.title.vi) || !clean(s.body.vi))
        problems.push({ key: 'teach.problem.stepVi', params: { n: i + 1 } });
      return {
        title: merge(old?.title, second, s.title.vi, s.title.second),
        body: merge(old?.body, second, s.body.vi, s.body.second),
      };
    });
    return { content: { steps }, problems };
  }
  if (kind === 'quiz') {
    const passMark = Number(rows.passMark);
    if (!/^\d{1,3}$/.test(rows.passMark.trim()) || passMark > 100)
      problems.push({ key: 'teach.problem.passMark' });
    if (rows.questions.length === 0) problems.push({ key: 'teach.problem.noQuestions' });
    const questions = rows.questions.map((q, i) => {
      const n = i + 1;
      const old = stored.questions?.find((x) => x.id === q.id);
      const type = old?.type ?? (CHOICE_TYPES.includes(q.type) ? q.type : 'single');
      const prompt = merge(old?.prompt, second, q.prompt.vi, q.prompt.second);
      if (!prompt.vi) problems.push({ key: 'teach.problem.promptVi', params: { n } });
      if (type === 'true_false') {
        const feedback = old?.type === 'true_false' ? old.feedback : { correct: {}, incorrect: {} };
        return { type, prompt, answer: q.answer, feedback };
      }
      if (q.options.length < 2) problems.push({ key: 'teach.problem.options', params: { n } });
      if (q.options.some((o) => !clean(o.text.vi)))
        problems.push({ key: 'teach.problem.optionVi', params: { n } });
      if (type === 'ordering') {
        const items = old?.type === 'ordering' ? old.items : [];
        const feedback = old?.type === 'ordering' ? old.feedback : { correct: {}, incorrect: {} };
        return {
          type,
          prompt,
          items: q.options.map((o) =>
            merge(items.find((x) => x.id === o.id)?.text, second, o.text.vi, o.text.second),
          ),
          feedback,
        };
      }
      const right = q.options.filter((o) => o.correct).length;
      if (type === 'single' && right !== 1)
        problems.push({ key: 'teach.problem.singleRight', params: { n } });
      if (type === 'multiple' && (right === 0 || right === q.options.length))
        problems.push({ key: 'teach.problem.multipleRight', params: { n } });
      const oldOptions = old && 'options' in old ? old.options : [];
      return {
        type,
        prompt,
        options: q.options.map((o) => {
          const was = oldOptions.find((x) => x.id === o.id);
          return {
            text: merge(was?.text, second, o.text.vi, o.text.second),
            correct: o.correct,
            feedback: was?.feedback ?? {},
          };
        }),
      };
    });
    return {
      content: {
        passMark,
        maxAttempts: stored.maxAttempts ?? null,
        cooldownSeconds: stored.cooldownSeconds ?? 0,
        questions,
      },
      problems,
    };
  }
  // Video lessons take no inline content: their videos and subtitles have their own forms.
  return { content: undefined, problems };
}

/** The editor's view: rows with their form indexes, plus blank rows for adding steps and questions. */
export function editorModel(rows: LessonRows) {
  const blank = (): TextPair => ({ vi: '', second: '' });
  const steps = [...rows.steps, ...[0, 1].map(() => ({ id: '', title: blank(), body: blank() }))];
  const questions: (QuestionRow & { isNew?: boolean })[] = [
    ...rows.questions,
    {
      id: '',
      type: 'single',
      prompt: blank(),
      answer: false,
      options: [0, 1, 2, 3].map(() => ({ id: '', text: blank(), correct: false })),
      isNew: true,
    },
  ];
  let row = 0;
  return {
    title: rows.title,
    summary: rows.summary,
    passMark: rows.passMark,
    steps: steps.map((s, index) => ({ ...s, index, number: index + 1, isNew: !s.id })),
    questions: questions.map((q, index) => ({
      ...q,
      index,
      number: index + 1,
      isNew: !!q.isNew,
      typeKey: `teach.question.${q.type}`,
      isTrueFalse: q.type === 'true_false',
      isOrdering: q.type === 'ordering',
      isChoice: q.type === 'single' || q.type === 'multiple',
      // Existing choice questions get two blank rows to add options; new ones have four.
      options: [
        ...q.options,
        ...((q.type === 'single' || q.type === 'multiple' || q.type === 'ordering') && !q.isNew
          ? [0, 1].map(() => ({ id: '', text: blank(), correct: false }))
          : []),
      ].map((o, i) => ({ ...o, row: row++, question: index, number: i + 1 })),
    })),
  };
}

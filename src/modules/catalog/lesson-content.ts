import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { createHash, randomUUID } from 'node:crypto';
import { compactTexts as texts, localizeText } from '../../infrastructure/i18n/locales.js';
import { CatalogError, CatalogErrorCode } from './catalog.errors.js';
import { GuideContentDto, QuizContentDto } from './dto/lesson-content.dto.js';
import type { LessonContent, LessonKind, QuizQuestion, Texts } from './entities/lesson.entity.js';

const CONTENT_DTO = { guide: GuideContentDto, quiz: QuizContentDto } as const;

function flatten(errors: ValidationError[], path = 'content'): string[] {
  return errors.flatMap((e) => {
    const here = `${path}.${e.property}`;
    return [
      ...Object.values(e.constraints ?? {}).map((m) => `${here}: ${m}`),
      ...flatten(e.children ?? [], here),
    ];
  });
}

/**
 * Validates authored content for a lesson kind and gives every step, question and option a
 * server-made id. Semantic rules: single choice has exactly one right option; multiple choice at
 * least one right and one wrong.
 */
export function buildLessonContent(kind: LessonKind, raw: unknown): LessonContent {
  if (kind === 'video') {
    // Video lessons get their media from the media pipeline; nothing is authored inline.
    const extra = Object.keys((raw ?? {}) as object);
    if (extra.length === 0) return {};
    const problems = extra.map(
      (k) => `content.${k}: video lessons take no inline content (upload media instead)`,
    );
    throw new CatalogError(CatalogErrorCode.InvalidLessonContent, problems.join('; '), 400, { problems });
  }
  const dto = plainToInstance(CONTENT_DTO[kind] as new () => object, raw ?? {});
  const problems = flatten(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
  if (kind === 'quiz' && problems.length === 0) {
    (dto as QuizContentDto).questions.forEach((q, i) => {
      const right = (q.options ?? []).filter((o) => o.correct === true).length;
      if (q.type === 'single' && right !== 1)
        problems.push(`content.questions.${i}: a single-choice question needs exactly one right option`);
      if (q.type === 'multiple' && (right === 0 || right === q.options!.length)) {
        problems.push(`content.questions.${i}: a multiple-choice question needs right and wrong options`);
      }
    });
  }
  if (problems.length > 0) {
    throw new CatalogError(CatalogErrorCode.InvalidLessonContent, problems.join('; '), 400, { problems });
  }
  if (kind === 'guide') {
    return {
      steps: (dto as GuideContentDto).steps.map((s) => ({
        id: randomUUID(),
        title: texts(s.title),
        body: texts(s.body),
      })),
    };
  }
  if (kind === 'quiz') {
    const quiz = dto as QuizContentDto;
    return {
      passMark: quiz.passMark,
      maxAttempts: quiz.maxAttempts ?? null,
      cooldownSeconds: quiz.cooldownSeconds ?? 0,
      questions: quiz.questions.map((q): QuizQuestion => {
        const id = randomUUID();
        const feedback = { correct: texts(q.feedback?.correct), incorrect: texts(q.feedback?.incorrect) };
        if (q.type === 'true_false')
          return { id, type: q.type, prompt: texts(q.prompt), answer: q.answer!, feedback };
        if (q.type === 'ordering') {
          return {
            id,
            type: q.type,
            prompt: texts(q.prompt),
            items: q.items!.map((t) => ({ id: randomUUID(), text: texts(t) })),
            feedback,
          };
        }
        return {
          id,
          type: q.type,
          prompt: texts(q.prompt),
          options: q.options!.map((o) => ({
            id: randomUUID(),
            text: texts(o.text),
            correct: o.correct === true,
            feedback: texts(o.feedback),
          })),
        };
      }),
    };
  }
  return {};
}

/** Every localized text of a lesson, by field family, for translation coverage. */
export function lessonTextFields(content: LessonContent): Record<string, Texts[]> {
  const fields: Record<string, Texts[]> = {};
  if (content.steps) fields.steps = content.steps.flatMap((s) => [s.title, s.body]);
  if (content.questions) {
    fields.questions = content.questions.flatMap((q) =>
      q.type === 'single' || q.type === 'multiple'
        ? [q.prompt, ...q.options.map((o) => o.text)]
        : q.type === 'ordering'
          ? [q.prompt, ...q.items.map((i) => i.text)]
          : [q.prompt],
    );
    fields.feedback = content.questions
      .flatMap((q) =>
        'options' in q ? q.options.map((o) => o.feedback) : [q.feedback.correct, q.feedback.incorrect],
      )
      .filter((t) => Object.keys(t).length > 0);
  }
  return fields;
}

/** Deterministic shuffle (per question), so the order shown does not give the answer away. */
function shuffled<T extends { id: string }>(items: T[], seed: string): T[] {
  const rank = (x: T) =>
    createHash('sha256')
      .update(seed + x.id)
      .digest('hex');
  const out = [...items].sort((a, b) => (rank(a) < rank(b) ? -1 : 1));
  // Never show the correct order itself.
  if (out.length > 1 && out.every((x, i) => x.id === items[i].id)) out.push(out.shift()!);
  return out;
}

/** The learner's view of lesson content: localized, with every answer key and feedback removed. */
export function toLearnerContent(kind: LessonKind, content: LessonContent, chain: readonly string[]) {
  if (kind === 'guide') {
    return {
      steps: (content.steps ?? []).map((s) => ({
        id: s.id,
        title: localizeText(s.title, chain),
        body: localizeText(s.body, chain),
      })),
    };
  }
  if (kind === 'quiz') {
    return {
      passMark: content.passMark ?? 0,
      maxAttempts: content.maxAttempts ?? null,
      cooldownSeconds: content.cooldownSeconds ?? 0,
      questions: (content.questions ?? []).map((q) => {
        const base = { id: q.id, type: q.type, prompt: localizeText(q.prompt, chain) };
        if (q.type === 'single' || q.type === 'multiple') {
          return {
            ...base,
            options: q.options.map((o) => ({ id: o.id, text: localizeText(o.text, chain) })),
          };
        }
        if (q.type === 'ordering') {
          return {
            ...base,
            items: shuffled(q.items, q.id).map((i) => ({ id: i.id, text: localizeText(i.text, chain) })),
          };
        }
        return base;
      }),
    };
  }
  return {};
}

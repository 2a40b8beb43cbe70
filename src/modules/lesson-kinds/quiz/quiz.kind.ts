import { isUUID } from 'class-validator';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { sourceDirOf } from '../../../infrastructure/files/source-dir.js';
import { compactTexts as texts, localizeText } from '../../../infrastructure/i18n/locales.js';
import { validateContent } from '../content-problems.js';
import { at, blankPair, clean, list, merge, textPair, type TextPair } from '../form-texts.js';
import {
  KindRejection,
  type FormProblem,
  type LessonKindDefinition,
  type LessonPageData,
  type Texts,
} from '../lesson-kind.js';
import {
  isChoice,
  type AnswerFeedback,
  type QuizContent,
  type QuizOption,
  type QuizQuestion,
} from './quiz-content.js';
import {
  learnerPicture,
  learnerVoice,
  missingAlt,
  voiceOf,
  type SpokenText,
  type Voice,
} from '../voice-and-pictures.js';
import {
  QuizAnswerDto,
  QuizContentDto,
  QuizFormDto,
  QuizProgressResponse,
  QuizResultResponse,
} from './quiz.dto.js';
import { answerProblems, gradeQuiz, type QuizAnswer, type QuizGrade } from './quiz-grading.js';

export type { QuizContent, QuizQuestion } from './quiz-content.js';

export const INVALID_ANSWERS = 'EVENT_INVALID_ANSWERS';
export const NO_ATTEMPTS_LEFT = 'QUIZ_NO_ATTEMPTS_LEFT';
export const COOLDOWN = 'QUIZ_COOLDOWN';

interface QuizPayload {
  answers?: QuizAnswer[];
}
/** Client times (ISO) of the accepted attempts: the limit and the cooldown are checked against them. */
interface QuizState {
  attemptTimes: string[];
  bestScore: number | null;
  /** The score of the attempt made last (by client time, whatever the arrival order). */
  lastScore: number | null;
  lastAt?: string | null;
}
interface OptionRow {
  id: string;
  text: TextPair;
  correct: boolean;
  /** Media ids of its recordings in Vietnamese and the second language. */
  voice: TextPair;
  /** A picture choice's picture (media id). */
  picture: string;
}
interface QuestionRow {
  id: string;
  type: string;
  prompt: TextPair;
  voice: TextPair;
  answer: boolean;
  options: OptionRow[];
}

const ANSWER_FIELDS = new Set(['questionId', 'optionIds', 'answer', 'order']);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function uuidList(v: unknown, at: string, max: number, problems: string[]): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > max || !v.every((x) => isUUID(x))) {
    problems.push(`${at} must be a list of at most ${max} UUIDs`);
    return undefined;
  }
  return v as string[];
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

/** The types a trainer can start in the editor. */
const CHOICE_TYPES = ['single', 'multiple', 'picture_choice', 'true_false'];
const CHOICE_QUESTIONS = ['single', 'multiple', 'picture_choice'];

/** Stored true/false or ordering feedback as the API takes it. */
const feedbackInput = (f: AnswerFeedback) => ({
  correct: f.correct,
  incorrect: f.incorrect,
  ...(f.voice?.correct && { correctVoice: f.voice.correct }),
  ...(f.voice?.incorrect && { incorrectVoice: f.voice.incorrect }),
});

/** The object without its undefined fields; undefined when none is left. */
function compact<T extends object>(o: T): Partial<T> | undefined {
  const kept = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return Object.keys(kept).length > 0 ? (kept as Partial<T>) : undefined;
}

/**
 * A quiz graded on the server: single and multiple choice, true/false, ordering. Done when an
 * attempt reaches the pass mark; attempts may be limited and spaced by a cooldown, both judged on
 * the client times of the attempts, so an offline batch arriving late or out of order counts the same.
 */
export const quizKind: LessonKindDefinition<QuizContent, QuizPayload, QuizState> = {
  kind: 'quiz',
  eventType: 'quiz.attempt',
  answersInLanguages: true,
  rejections: { [INVALID_ANSWERS]: 400, [NO_ATTEMPTS_LEFT]: 409, [COOLDOWN]: 409 },

  contentDto: QuizContentDto,
  buildContent(raw) {
    const { value, problems } = validateContent(QuizContentDto, raw);
    if (problems.length === 0) {
      value.questions.forEach((q, i) => {
        const right = (q.options ?? []).filter((o) => o.correct === true).length;
        if ((q.type === 'single' || q.type === 'picture_choice') && right !== 1)
          problems.push(`content.questions.${i}: a single-choice question needs exactly one right option`);
        if (q.type === 'multiple' && (right === 0 || right === q.options!.length))
          problems.push(`content.questions.${i}: a multiple-choice question needs right and wrong options`);
        (q.options ?? []).forEach((o, j) => {
          if (q.type === 'picture_choice' && !o.picture)
            problems.push(`content.questions.${i}.options.${j}.picture: a picture choice shows a picture`);
          if (q.type !== 'picture_choice' && o.picture)
            problems.push(`content.questions.${i}.options.${j}.picture: only picture choices have pictures`);
          if (o.picture && o.text)
            problems.push(`content.questions.${i}.options.${j}.text: a picture's text is its alt text`);
        });
        if (q.itemVoices && (q.type !== 'ordering' || q.itemVoices.length !== q.items!.length))
          problems.push(`content.questions.${i}.itemVoices: one per item of an ordering question`);
      });
    }
    if (problems.length > 0) return { problems };
    const questions = value.questions.map((q, i): QuizQuestion => {
      const id = randomUUID();
      const prompt = texts(q.prompt);
      const voice = voiceOf(q.voice);
      const spoken = { prompt, ...(voice && { voice }) };
      const feedback: AnswerFeedback = {
        correct: texts(q.feedback?.correct),
        incorrect: texts(q.feedback?.incorrect),
      };
      const feedbackVoice = compact({
        correct: voiceOf(q.feedback?.correctVoice),
        incorrect: voiceOf(q.feedback?.incorrectVoice),
      });
      if (feedbackVoice) feedback.voice = feedbackVoice;
      if (q.type === 'true_false') return { id, type: q.type, ...spoken, answer: q.answer!, feedback };
      if (q.type === 'ordering') {
        const items = q.items!.map((t, j) => {
          const itemVoice = voiceOf(q.itemVoices?.[j]);
          return { id: randomUUID(), text: texts(t), ...(itemVoice && { voice: itemVoice }) };
        });
        return { id, type: q.type, ...spoken, items, feedback };
      }
      return {
        id,
        type: q.type,
        ...spoken,
        options: q.options!.map((o, j): QuizOption => {
          const picture = o.picture && { mediaId: o.picture.mediaId, alt: texts(o.picture.alt) };
          if (picture)
            for (const locale of missingAlt(picture, prompt))
              problems.push(
                `content.questions.${i}.options.${j}.picture.alt.${locale}: the question is written in it; describe the picture too`,
              );
          return {
            id: randomUUID(),
            text: picture ? picture.alt : texts(o.text),
            correct: o.correct === true,
            feedback: texts(o.feedback),
            ...compact({ voice: voiceOf(o.voice), feedbackVoice: voiceOf(o.feedbackVoice), picture }),
          };
        }),
      };
    });
    if (problems.length > 0) return { problems };
    return {
      content: {
        passMark: value.passMark,
        maxAttempts: value.maxAttempts ?? null,
        cooldownSeconds: value.cooldownSeconds ?? 0,
        questions,
      },
    };
  },
  textFields(content): Record<string, Texts[]> {
    if (!content.questions) return {};
    return {
      questions: content.questions.flatMap((q) =>
        isChoice(q)
          ? [q.prompt, ...q.options.map((o) => o.text)]
          : q.type === 'ordering'
            ? [q.prompt, ...q.items.map((i) => i.text)]
            : [q.prompt],
      ),
      feedback: content.questions
        .flatMap((q) =>
          isChoice(q) ? q.options.map((o) => o.feedback) : [q.feedback.correct, q.feedback.incorrect],
        )
        .filter((t) => Object.keys(t).length > 0),
    };
  },
  spokenTexts: (content) =>
    (content.questions ?? [])
      .flatMap((q): SpokenText[] => [
        { texts: q.prompt, voice: q.voice },
        ...(isChoice(q)
          ? q.options.flatMap((o) => [
              { texts: o.text, voice: o.voice },
              { texts: o.feedback, voice: o.feedbackVoice },
            ])
          : [
              ...(q.type === 'ordering' ? q.items.map((i) => ({ texts: i.text, voice: i.voice })) : []),
              { texts: q.feedback.correct, voice: q.feedback.voice?.correct },
              { texts: q.feedback.incorrect, voice: q.feedback.voice?.incorrect },
            ]),
      ])
      // Feedback left empty has nothing to read, unless a recording was given anyway (it is checked).
      .filter((s) => Object.keys(s.texts).length > 0 || Object.keys(s.voice ?? {}).length > 0),
  pictures: (content) =>
    (content.questions ?? []).flatMap((q) =>
      isChoice(q) ? q.options.flatMap((o) => (o.picture ? [o.picture] : [])) : [],
    ),

  learnerContent: (content, chain) => ({
    passMark: content.passMark ?? 0,
    maxAttempts: content.maxAttempts ?? null,
    cooldownSeconds: content.cooldownSeconds ?? 0,
    questions: (content.questions ?? []).map((q) => {
      const base = {
        id: q.id,
        type: q.type,
        prompt: localizeText(q.prompt, chain),
        voice: learnerVoice(q.voice, chain),
      };
      if (isChoice(q))
        return {
          ...base,
          options: q.options.map((o) => ({
            id: o.id,
            text: localizeText(o.text, chain),
            voice: learnerVoice(o.voice, chain),
            ...(o.picture && { picture: learnerPicture(o.picture, chain) }),
          })),
        };
      if (q.type === 'ordering')
        return {
          ...base,
          items: shuffled(q.items, q.id).map((i) => ({
            id: i.id,
            text: localizeText(i.text, chain),
            voice: learnerVoice(i.voice, chain),
          })),
        };
      return base;
    }),
  }),

  eventFields: { answers: { type: [QuizAnswerDto], description: 'The answers (≤ 50)' } },
  parseEvent(raw, problems) {
    const { answers } = raw;
    if (answers === undefined) return {};
    if (!Array.isArray(answers) || answers.length > 50) {
      problems.push('answers must be a list of at most 50 answers');
      return {};
    }
    const parsed: QuizAnswer[] = [];
    for (const [i, a] of answers.entries()) {
      const here = `answers.${i}`;
      if (!isObject(a)) {
        problems.push(`${here} must be an object`);
        continue;
      }
      for (const key of Object.keys(a))
        if (!ANSWER_FIELDS.has(key)) problems.push(`${here}.property ${key} should not exist`);
      if (!isUUID(a.questionId)) problems.push(`${here}.questionId must be a UUID`);
      if (a.answer !== undefined && typeof a.answer !== 'boolean')
        problems.push(`${here}.answer must be true or false`);
      const optionIds = uuidList(a.optionIds, `${here}.optionIds`, 20, problems);
      const order = uuidList(a.order, `${here}.order`, 50, problems);
      parsed.push({
        questionId: a.questionId as string,
        ...(optionIds && { optionIds }),
        ...(typeof a.answer === 'boolean' && { answer: a.answer }),
        ...(order && { order }),
      });
    }
    return { answers: parsed };
  },
  check(payload, lesson) {
    if (!payload.answers)
      return new KindRejection('EVENT_INVALID', 'answers: a quiz.attempt event carries the answers');
    const problems = answerProblems(lesson.content, payload.answers);
    return problems.length > 0 ? new KindRejection(INVALID_ANSWERS, problems.join('; '), { problems }) : null;
  },
  emptyState: () => ({ attemptTimes: [], bestScore: null, lastScore: null, lastAt: null }),
  apply(state, event, lesson, settings) {
    const { maxAttempts, cooldownSeconds } = lesson.content;
    if (maxAttempts && state.attemptTimes.length >= maxAttempts) {
      return new KindRejection(
        NO_ATTEMPTS_LEFT,
        `This quiz allows ${maxAttempts} attempt(s); all are used.`,
        {
          maxAttempts,
        },
      );
    }
    const cooldownMs = (cooldownSeconds ?? 0) * 1000;
    const times = state.attemptTimes.map((t) => Date.parse(t));
    if (times.some((t) => Math.abs(t - event.at.getTime()) < cooldownMs)) {
      const retryAt = new Date(Math.max(...times) + cooldownMs);
      return new KindRejection(COOLDOWN, `Wait ${cooldownSeconds} s between attempts at this quiz.`, {
        cooldownSeconds,
        retryAt: retryAt.toISOString(),
      });
    }
    const grade: QuizGrade = gradeQuiz(
      lesson.content,
      event.payload.answers!,
      [event.locale, ...settings.chain],
      lesson.voiceFiles,
    );
    state.attemptTimes = [...times, event.at.getTime()]
      .sort((a, b) => a - b)
      .map((t) => new Date(t).toISOString());
    if (!state.lastAt || event.at.getTime() >= Date.parse(state.lastAt)) {
      state.lastScore = grade.score;
      state.lastAt = event.at.toISOString();
    }
    state.bestScore = Math.max(state.bestScore ?? 0, grade.score);
    return {
      completes: grade.passed,
      outcome: { score: grade.score, passed: grade.passed },
      receipt: grade,
    };
  },
  storedPayload: (payload) => ({ answers: payload.answers }),
  progress(lesson, state, _settings, completed) {
    const { maxAttempts, cooldownSeconds, passMark } = lesson.content;
    const attempts = state?.attemptTimes.length ?? 0;
    const last = state?.attemptTimes.at(-1);
    const nextAt = last && cooldownSeconds ? Date.parse(last) + cooldownSeconds * 1000 : null;
    return {
      attempts,
      attemptsLeft: maxAttempts ? Math.max(0, maxAttempts - attempts) : null,
      bestScore: state?.bestScore ?? null,
      lastScore: state?.lastScore ?? null,
      passMark: passMark ?? 0,
      passed: completed,
      nextAttemptAt: nextAt && nextAt > Date.now() ? new Date(nextAt).toISOString() : null,
    };
  },
  progressDto: QuizProgressResponse,
  receiptDto: QuizResultResponse,
  score: (state) => state.bestScore,

  portal: {
    templatesDir: join(sourceDirOf(import.meta.url), 'templates'),
    learnModel: (lesson) => ({ quiz: lesson.content }),
    eventFromForm: (lesson, form) => ({ event: { answers: quizAnswers(lesson, form) } }),
    afterForm(added, duplicate) {
      // The same attempt again (a retry, or the back button): it was graded once; say so.
      const grade = added as QuizGrade | undefined;
      if (duplicate || !grade) return { alreadySent: true };
      return {
        result: { ...grade, byQuestion: Object.fromEntries(grade.questions.map((q) => [q.questionId, q])) },
      };
    },
    teach: {
      formDto: QuizFormDto,
      rows: (content, second) => ({
        passMark: String(content?.passMark ?? 70),
        questions: (content?.questions ?? []).map((q): QuestionRow => ({
          id: q.id,
          type: q.type,
          prompt: textPair(q.prompt, second),
          voice: textPair(q.voice, second),
          answer: q.type === 'true_false' ? q.answer : false,
          options: (isChoice(q)
            ? q.options.map((o) => ({
                id: o.id,
                text: o.text,
                voice: o.voice,
                correct: o.correct,
                picture: o.picture?.mediaId ?? '',
              }))
            : q.type === 'ordering'
              ? q.items.map((i) => ({ ...i, correct: false, picture: '' }))
              : []
          ).map((o) => ({ ...o, text: textPair(o.text, second), voice: textPair(o.voice, second) })),
        })),
      }),
      rowsFromForm(form) {
        const removed = new Set(list(form.removeQuestion));
        const trueQuestions = new Set(list(form.qTrue));
        const correct = new Set(list(form.oCorrect));
        const options = list(form.oQuestion).map((q, i) => ({
          question: q,
          row: {
            id: at(form.oId, i),
            text: { vi: at(form.oTextVi, i), second: at(form.oTextSecond, i) },
            voice: { vi: at(form.oVoiceVi, i), second: at(form.oVoiceSecond, i) },
            picture: at(form.oPicture, i),
          },
          correct: correct.has(String(i)),
        }));
        return {
          passMark: typeof form.passMark === 'string' ? form.passMark : '70',
          questions: list(form.qId)
            .map((id, i): QuestionRow => ({
              id,
              type: at(form.qType, i),
              prompt: { vi: at(form.qPromptVi, i), second: at(form.qPromptSecond, i) },
              voice: { vi: at(form.qVoiceVi, i), second: at(form.qVoiceSecond, i) },
              answer: trueQuestions.has(String(i)),
              options: options
                .filter((o) => o.question === String(i) && !(blankPair(o.row.text) && !clean(o.row.picture)))
                .map((o) => ({ ...o.row, correct: o.correct })),
            }))
            .filter((q, i) => !removed.has(String(i)) && !(blankPair(q.prompt) && q.options.length === 0)),
        };
      },
      editor(rows) {
        const blank = (): TextPair => ({ vi: '', second: '' });
        const blankOption = (): OptionRow => ({
          id: '',
          text: blank(),
          voice: blank(),
          correct: false,
          picture: '',
        });
        const questions: (QuestionRow & { isNew?: boolean })[] = [
          ...(rows.questions as QuestionRow[]),
          {
            id: '',
            type: 'single',
            prompt: blank(),
            voice: blank(),
            answer: false,
            options: [0, 1, 2, 3].map(() => blankOption()),
            isNew: true,
          },
        ];
        let row = 0;
        return {
          passMark: rows.passMark,
          questions: questions.map((q, index) => ({
            ...q,
            index,
            number: index + 1,
            isNew: !!q.isNew,
            typeKey: `teach.question.${q.type}`,
            isTrueFalse: q.type === 'true_false',
            isOrdering: q.type === 'ordering',
            isChoice: CHOICE_QUESTIONS.includes(q.type),
            isPictureChoice: q.type === 'picture_choice',
            // Existing questions with options get two blank rows to add some; new ones have four.
            options: [
              ...q.options,
              ...(q.type !== 'true_false' && !q.isNew ? [0, 1].map(blankOption) : []),
            ].map((o, i) => ({ ...o, row: row++, question: index, number: i + 1 })),
          })),
        };
      },
      contentFrom(rows, stored, second) {
        const problems: FormProblem[] = [];
        const passMarkText = String(rows.passMark ?? '');
        const passMark = Number(passMarkText);
        if (!/^\d{1,3}$/.test(passMarkText.trim()) || passMark > 100)
          problems.push({ key: 'teach.problem.passMark' });
        const questionRows = rows.questions as QuestionRow[];
        if (questionRows.length === 0) problems.push({ key: 'teach.problem.noQuestions' });
        const questions = questionRows.map((q, i) => {
          const n = i + 1;
          const old = stored?.questions?.find((x) => x.id === q.id);
          const type = old?.type ?? (CHOICE_TYPES.includes(q.type) ? q.type : 'single');
          const prompt = merge(old?.prompt, second, q.prompt.vi, q.prompt.second);
          if (!prompt.vi) problems.push({ key: 'teach.problem.promptVi', params: { n } });
          // Recordings of other languages stay; an emptied slot removes its recording. What the
          // form does not edit (feedback, pictures) is kept, in the API's shape.
          const recorded = (was: Voice | undefined, row: TextPair) => {
            const voice = merge(was, second, row.vi, row.second);
            return Object.keys(voice).length > 0 ? voice : undefined;
          };
          const questionVoice = recorded(old?.voice, q.voice);
          const kept = { ...(questionVoice && { voice: questionVoice }) };
          if (type === 'true_false') {
            const feedback = old?.type === 'true_false' ? feedbackInput(old.feedback) : {};
            return { type, prompt, ...kept, answer: q.answer, feedback };
          }
          if (q.options.length < 2) problems.push({ key: 'teach.problem.options', params: { n } });
          if (q.options.some((o) => !clean(o.text.vi)))
            problems.push({ key: 'teach.problem.optionVi', params: { n } });
          if (type === 'ordering') {
            const items = old?.type === 'ordering' ? old.items : [];
            const feedback = old?.type === 'ordering' ? feedbackInput(old.feedback) : {};
            const was = q.options.map((o) => items.find((x) => x.id === o.id));
            const itemVoices = q.options.map((o, j) => recorded(was[j]?.voice, o.voice) ?? {});
            return {
              type,
              prompt,
              ...kept,
              items: q.options.map((o, j) => merge(was[j]?.text, second, o.text.vi, o.text.second)),
              ...(itemVoices.some((v) => Object.keys(v).length > 0) && { itemVoices }),
              feedback,
            };
          }
          const right = q.options.filter((o) => o.correct).length;
          if ((type === 'single' || type === 'picture_choice') && right !== 1)
            problems.push({ key: 'teach.problem.singleRight', params: { n } });
          if (type === 'multiple' && (right === 0 || right === q.options.length))
            problems.push({ key: 'teach.problem.multipleRight', params: { n } });
          const oldOptions = old && isChoice(old) ? old.options : [];
          return {
            type,
            prompt,
            ...kept,
            options: q.options.map((o) => {
              const was = oldOptions.find((x) => x.id === o.id);
              const text = merge(was?.text, second, o.text.vi, o.text.second);
              const mediaId = type === 'picture_choice' ? clean(o.picture) : '';
              if (type === 'picture_choice' && !mediaId)
                problems.push({ key: 'teach.problem.pictureOption', params: { n } });
              if (mediaId && missingAlt({ mediaId, alt: text }, prompt).length > 0)
                problems.push({ key: 'teach.problem.pictureOptionAlt', params: { n } });
              return {
                // A picture's text is its alt text.
                ...(mediaId ? { picture: { mediaId, alt: text } } : { text }),
                correct: o.correct,
                feedback: was?.feedback ?? {},
                ...compact({ voice: recorded(was?.voice, o.voice), feedbackVoice: was?.feedbackVoice }),
              };
            }),
          };
        });
        return {
          content: {
            passMark,
            maxAttempts: stored?.maxAttempts ?? null,
            cooldownSeconds: stored?.cooldownSeconds ?? 0,
            questions,
          },
          problems,
        };
      },
    },
  },
};

/**
 * Reads a quiz form: `q_<id>` holds the chosen option(s) or "true"/"false"; ordering questions
 * send `o_<id>_<itemId>` = position. Unknown fields are ignored; the grader checks the rest.
 */
export function quizAnswers(lesson: LessonPageData, body: Record<string, unknown>): QuizAnswer[] {
  const questions = (lesson.content.questions ?? []) as {
    id: string;
    type: string;
    items?: { id: string }[];
  }[];
  return questions.flatMap((q): QuizAnswer[] => {
    const value = body[`q_${q.id}`];
    if (CHOICE_QUESTIONS.includes(q.type)) {
      const optionIds = list(value);
      return optionIds.length ? [{ questionId: q.id, optionIds }] : [];
    }
    if (q.type === 'true_false') {
      return value === 'true' || value === 'false' ? [{ questionId: q.id, answer: value === 'true' }] : [];
    }
    const items = q.items ?? [];
    const positions = items.map((i) => ({ id: i.id, at: Number(body[`o_${q.id}_${i.id}`]) }));
    if (positions.some((p) => !Number.isInteger(p.at))) return [];
    return [{ questionId: q.id, order: positions.sort((a, b) => a.at - b.at).map((p) => p.id) }];
  });
}

import { localizeText, type Localized } from '../../../infrastructure/i18n/locales.js';
import type { Texts, VoiceFileRef } from '../lesson-kind.js';
import { learnerVoice, type Voice } from '../voice-and-pictures.js';
import { isChoice, type QuizContent } from './quiz-content.js';

/** A learner's answer to one question. Which field is used depends on the question type. */
export interface QuizAnswer {
  questionId: string;
  /** single (exactly one) and multiple choice */
  optionIds?: string[];
  /** true_false */
  answer?: boolean;
  /** ordering: every item id, in the learner's order */
  order?: string[];
}

export interface QuestionResult {
  questionId: string;
  correct: boolean;
  /** The authored feedback for what the learner chose, in their language (may be empty). */
  feedback: SpokenFeedback[];
}

/** Feedback in the learner's language, with its recording when one is ready. */
export type SpokenFeedback = Localized & {
  voice: (VoiceFileRef & { locale: string; fallback: boolean }) | null;
};

export interface QuizGrade {
  /** Percent of questions answered correctly, 0–100. */
  score: number;
  passMark: number;
  passed: boolean;
  correctCount: number;
  questionCount: number;
  questions: QuestionResult[];
}

/** Answers that do not fit the quiz (unknown question or option, wrong shape): nothing is graded. */
export function answerProblems(content: QuizContent, answers: QuizAnswer[]): string[] {
  const problems: string[] = [];
  const questions = new Map((content.questions ?? []).map((q) => [q.id, q]));
  const seen = new Set<string>();
  answers.forEach((a, i) => {
    const at = `answers.${i}`;
    const q = questions.get(a.questionId);
    if (!q) return problems.push(`${at}.questionId: not a question of this quiz`);
    if (seen.has(a.questionId)) return problems.push(`${at}.questionId: answered twice`);
    seen.add(a.questionId);
    if (isChoice(q)) {
      const ids = a.optionIds;
      if (!ids || ids.length === 0) return problems.push(`${at}.optionIds: choose at least one option`);
      if (q.type !== 'multiple' && ids.length !== 1)
        problems.push(`${at}.optionIds: choose exactly one option`);
      if (new Set(ids).size !== ids.length) problems.push(`${at}.optionIds: an option is chosen twice`);
      if (ids.some((id) => !q.options.some((o) => o.id === id)))
        problems.push(`${at}.optionIds: not an option of this question`);
    } else if (q.type === 'true_false') {
      if (typeof a.answer !== 'boolean') problems.push(`${at}.answer: true or false is needed`);
    } else if (q.type === 'ordering') {
      const order = a.order ?? [];
      const ids = new Set(q.items.map((item) => item.id));
      if (
        order.length !== ids.size ||
        new Set(order).size !== order.length ||
        order.some((id) => !ids.has(id))
      )
        problems.push(`${at}.order: every item of the question, each once`);
    }
  });
  return problems;
}

/**
 * Grades an attempt on the server. A question left out counts as wrong. Each question is all or
 * nothing (multiple choice: exactly the right set). Nothing in the result reveals the key.
 */
export function gradeQuiz(
  content: QuizContent,
  answers: QuizAnswer[],
  chain: readonly string[],
  voiceFiles: Partial<Record<string, VoiceFileRef>> = {},
): QuizGrade {
  const byQuestion = new Map(answers.map((a) => [a.questionId, a]));
  const spoken = (text: Texts, voice: Voice | undefined): SpokenFeedback => {
    const picked = learnerVoice(voice, chain);
    const file = picked && voiceFiles[picked.mediaId];
    return {
      ...localizeText(text, chain),
      voice: file ? { ...file, locale: picked.locale, fallback: picked.fallback } : null,
    };
  };
  const questions = (content.questions ?? []).map((q): QuestionResult => {
    const a = byQuestion.get(q.id);
    if (isChoice(q)) {
      const chosen = new Set(a?.optionIds ?? []);
      const correct = chosen.size > 0 && q.options.every((o) => o.correct === chosen.has(o.id));
      const feedback = q.options
        .filter((o) => chosen.has(o.id) && Object.keys(o.feedback).length > 0)
        .map((o) => spoken(o.feedback, o.feedbackVoice));
      return { questionId: q.id, correct, feedback };
    }
    if (q.type !== 'true_false' && q.type !== 'ordering') throw new Error(`unknown question type`);
    const correct =
      q.type === 'true_false'
        ? a?.answer === q.answer
        : !!a?.order &&
          a.order.length === q.items.length &&
          q.items.every((item, i) => a.order![i] === item.id);
    const text = correct ? q.feedback.correct : q.feedback.incorrect;
    const voice = correct ? q.feedback.voice?.correct : q.feedback.voice?.incorrect;
    return {
      questionId: q.id,
      correct,
      feedback: Object.keys(text).length > 0 ? [spoken(text, voice)] : [],
    };
  });
  const correctCount = questions.filter((q) => q.correct).length;
  const score = questions.length === 0 ? 0 : Math.round((100 * correctCount) / questions.length);
  const passMark = content.passMark ?? 0;
  return {
    score,
    passMark,
    passed: score >= passMark,
    correctCount,
    questionCount: questions.length,
    questions,
  };
}

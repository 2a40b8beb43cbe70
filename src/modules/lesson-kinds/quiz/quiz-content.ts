import type { Texts } from '../lesson-kind.js';

export interface QuizOption {
  id: string;
  text: Texts;
  /** Answer key: never leaves the server in learner responses. */
  correct: boolean;
  feedback: Texts;
}

export type QuizQuestion =
  | { id: string; type: 'single' | 'multiple'; prompt: Texts; options: QuizOption[] }
  | {
      id: string;
      type: 'true_false';
      prompt: Texts;
      answer: boolean;
      feedback: { correct: Texts; incorrect: Texts };
    }
  | {
      id: string;
      type: 'ordering';
      prompt: Texts;
      /** In the correct order (the answer key). */
      items: { id: string; text: Texts }[];
      feedback: { correct: Texts; incorrect: Texts };
    };

/** A quiz as stored, answer keys included (they never reach learners). */
export interface QuizContent {
  passMark?: number;
  /** null: unlimited. */
  maxAttempts?: number | null;
  cooldownSeconds?: number;
  questions?: QuizQuestion[];
}

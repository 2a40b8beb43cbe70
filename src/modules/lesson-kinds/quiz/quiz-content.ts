import type { Texts } from '../lesson-kind.js';
import type { Picture, Voice } from '../voice-and-pictures.js';

export interface QuizOption {
  id: string;
  /** What the option says; for a picture choice, what its picture shows (the alt text). */
  text: Texts;
  /** Answer key: never leaves the server in learner responses. */
  correct: boolean;
  feedback: Texts;
  /** The option read aloud. */
  voice?: Voice;
  /** Its feedback read aloud. */
  feedbackVoice?: Voice;
  /** A picture choice's picture (learners tap it). */
  picture?: Picture;
}

/** Feedback on a right or a wrong answer (true/false and ordering), with its recordings. */
export interface AnswerFeedback {
  correct: Texts;
  incorrect: Texts;
  voice?: { correct?: Voice; incorrect?: Voice };
}

/** Choice questions: one right option (`single`, `picture_choice`) or a right set (`multiple`). */
export type ChoiceQuestion = {
  id: string;
  type: 'single' | 'multiple' | 'picture_choice';
  prompt: Texts;
  voice?: Voice;
  options: QuizOption[];
};

export type QuizQuestion =
  | ChoiceQuestion
  | {
      id: string;
      type: 'true_false';
      prompt: Texts;
      voice?: Voice;
      answer: boolean;
      feedback: AnswerFeedback;
    }
  | {
      id: string;
      type: 'ordering';
      prompt: Texts;
      voice?: Voice;
      /** In the correct order (the answer key). */
      items: { id: string; text: Texts; voice?: Voice }[];
      feedback: AnswerFeedback;
    };

export const isChoice = (q: QuizQuestion): q is ChoiceQuestion => 'options' in q;

/** A quiz as stored, answer keys included (they never reach learners). */
export interface QuizContent {
  passMark?: number;
  /** null: unlimited. */
  maxAttempts?: number | null;
  cooldownSeconds?: number;
  questions?: QuizQuestion[];
}

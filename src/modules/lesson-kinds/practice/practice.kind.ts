import { isUUID } from 'class-validator';
import { join } from 'node:path';
import { sourceDirOf } from '../../../infrastructure/files/source-dir.js';
import { compactTexts as texts, localizeText } from '../../../infrastructure/i18n/locales.js';
import { validateContent } from '../content-problems.js';
import { clean, merge, textPair } from '../form-texts.js';
import {
  CONFIRMED_IN_PERSON,
  KindRejection,
  type FormProblem,
  type LessonKindDefinition,
  type Texts,
} from '../lesson-kind.js';
import { learnerVoice, voiceOf, type Voice } from '../voice-and-pictures.js';
import { DIGITAL_TASKS, type DigitalTask } from './digital-tasks.js';
import { PracticeContentDto, PracticeFormDto, PracticeProgressResponse } from './practice.dto.js';

export interface PracticeContent {
  task?: Texts;
  howTo?: Texts;
  digitalTask?: DigitalTask;
  taskVoice?: Voice;
  howToVoice?: Voice;
}
interface PracticePayload {
  confirmedBy?: string;
}
interface PracticeState {
  confirmedBy: string | null;
  confirmedAt: string | null;
}

/**
 * A practice task ("thực hành"): the learner does the real thing — pays the electricity bill from
 * the phone, activates VNeID level 2 — and an ambassador, trainer or coordinator of their village
 * confirms it in person (certification's PracticeConfirmationsService records the confirmation as
 * this kind's event, on the learner's behalf). Done once confirmed; learners never send its event.
 */
export const practiceKind: LessonKindDefinition<PracticeContent, PracticePayload, PracticeState> = {
  kind: 'practice',
  eventType: 'practice.confirmed',
  rejections: { [CONFIRMED_IN_PERSON]: 403 },
  confirmedInPerson: true,

  contentDto: PracticeContentDto,
  buildContent(raw) {
    const { value, problems } = validateContent(PracticeContentDto, raw);
    if (problems.length > 0) return { problems };
    const howTo = value.howTo && texts(value.howTo);
    const taskVoice = voiceOf(value.taskVoice);
    const howToVoice = voiceOf(value.howToVoice);
    return {
      content: {
        task: texts(value.task),
        ...(howTo && Object.keys(howTo).length > 0 && { howTo }),
        digitalTask: value.digitalTask as DigitalTask,
        ...(taskVoice && { taskVoice }),
        ...(howToVoice && { howToVoice }),
      },
    };
  },
  textFields: (content): Record<string, Texts[]> => ({
    task: content.task ? [content.task] : [],
    ...(content.howTo && { howTo: [content.howTo] }),
  }),
  spokenTexts: (content) => [
    { texts: content.task ?? {}, voice: content.taskVoice },
    ...(content.howTo || content.howToVoice
      ? [{ texts: content.howTo ?? {}, voice: content.howToVoice }]
      : []),
  ],

  learnerContent: (content, chain) => ({
    task: localizeText(content.task ?? {}, chain),
    howTo: content.howTo ? localizeText(content.howTo, chain) : null,
    digitalTask: content.digitalTask ?? 'other',
    taskVoice: learnerVoice(content.taskVoice, chain),
    howToVoice: learnerVoice(content.howToVoice, chain),
  }),

  eventFields: {
    confirmedBy: {
      type: String,
      format: 'uuid',
      description: 'practice.confirmed: who confirmed it in person (never sent by learners)',
    },
  },
  parseEvent(raw, problems) {
    if (raw.confirmedBy !== undefined && !isUUID(raw.confirmedBy))
      problems.push('confirmedBy must be a UUID');
    return { confirmedBy: raw.confirmedBy as string | undefined };
  },
  check(payload) {
    if (!payload.confirmedBy)
      return new KindRejection('EVENT_INVALID', 'confirmedBy: a confirmation names who confirmed it');
    return null;
  },
  emptyState: () => ({ confirmedBy: null, confirmedAt: null }),
  apply(state, { payload, at }) {
    // The first confirmation stands; another one later changes nothing.
    if (!state.confirmedAt || at.toISOString() < state.confirmedAt) {
      state.confirmedBy = payload.confirmedBy!;
      state.confirmedAt = at.toISOString();
    }
    return { completes: true };
  },
  storedPayload: (payload) => ({ confirmedBy: payload.confirmedBy }),
  progress: (_lesson, state) => ({
    confirmed: !!state?.confirmedAt,
    confirmedAt: state?.confirmedAt ?? null,
  }),
  progressDto: PracticeProgressResponse,

  portal: {
    templatesDir: join(sourceDirOf(import.meta.url), 'templates'),
    learnModel(lesson, progress) {
      const state = progress?.practice as { confirmed?: boolean; confirmedAt?: string | null } | undefined;
      return {
        practice: {
          ...lesson.content,
          confirmed: !!state?.confirmed,
          confirmedAt: state?.confirmedAt ?? null,
        },
      };
    },
    teach: {
      formDto: PracticeFormDto,
      rows: (content, second) => ({
        task: textPair(content?.task, second),
        howTo: textPair(content?.howTo, second),
        digitalTask: content?.digitalTask ?? 'other',
        taskVoice: textPair(content?.taskVoice, second),
        howToVoice: textPair(content?.howToVoice, second),
      }),
      rowsFromForm: (form) => ({
        task: { vi: String(form.taskVi ?? ''), second: String(form.taskSecond ?? '') },
        howTo: { vi: String(form.howToVi ?? ''), second: String(form.howToSecond ?? '') },
        digitalTask: String(form.digitalTask ?? 'other'),
        taskVoice: { vi: String(form.taskVoiceVi ?? ''), second: String(form.taskVoiceSecond ?? '') },
        howToVoice: { vi: String(form.howToVoiceVi ?? ''), second: String(form.howToVoiceSecond ?? '') },
      }),
      editor: (rows) => ({
        ...rows,
        digitalTasks: DIGITAL_TASKS.map((code) => ({ code, selected: code === rows.digitalTask })),
      }),
      contentFrom(rows, current, second) {
        const task = rows.task as { vi: string; second: string };
        const howTo = rows.howTo as { vi: string; second: string };
        const problems: FormProblem[] = clean(task.vi) ? [] : [{ key: 'teach.problem.practiceTaskVi' }];
        const digitalTask = (DIGITAL_TASKS as readonly string[]).includes(rows.digitalTask as string)
          ? rows.digitalTask
          : 'other';
        const how = merge(current?.howTo, second, howTo.vi, howTo.second);
        // Recordings of other languages stay; an emptied slot removes its recording.
        const recorded = (was: Voice | undefined, slots: unknown) => {
          const { vi, second: other } = slots as { vi: string; second: string };
          const voice = merge(was, second, vi, other);
          return Object.keys(voice).length > 0 ? voice : undefined;
        };
        const taskVoice = recorded(current?.taskVoice, rows.taskVoice);
        const howToVoice = recorded(current?.howToVoice, rows.howToVoice);
        return {
          content: {
            task: merge(current?.task, second, task.vi, task.second),
            ...(Object.keys(how).length > 0 && { howTo: how }),
            ...(taskVoice && { taskVoice }),
            ...(howToVoice && { howToVoice }),
            digitalTask,
          },
          problems,
        };
      },
    },
  },
};

import { isUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { sourceDirOf } from '../../../infrastructure/files/source-dir.js';
import { compactTexts as texts, localizeText } from '../../../infrastructure/i18n/locales.js';
import { validateContent } from '../content-problems.js';
import { at, blankPair, clean, list, merge, textPair, type TextPair } from '../form-texts.js';
import { KindRejection, type FormProblem, type LessonKindDefinition, type Texts } from '../lesson-kind.js';
import {
  learnerPicture,
  learnerVoice,
  missingAlt,
  voiceOf,
  type Picture,
  type Voice,
} from '../voice-and-pictures.js';
import { GuideContentDto, GuideFormDto, GuideProgressResponse } from './guide.dto.js';

export interface GuideStep {
  id: string;
  title: Texts;
  body: Texts;
  /** The step (title and body) read aloud. */
  voice?: Voice;
  picture?: Picture;
}
export interface GuideContent {
  steps?: GuideStep[];
}
interface GuidePayload {
  stepId?: string;
}
interface GuideState {
  stepsDone: string[];
}
interface StepRow {
  id: string;
  title: TextPair;
  body: TextPair;
  /** Media ids of the recordings in Vietnamese and the second language. */
  voice: TextPair;
  picture: { mediaId: string; alt: TextPair };
}

export const UNKNOWN_STEP = 'EVENT_UNKNOWN_STEP';

/** A step-by-step guide ("cầm tay chỉ việc"): done when the learner has acknowledged every step. */
export const guideKind: LessonKindDefinition<GuideContent, GuidePayload, GuideState> = {
  kind: 'guide',
  eventType: 'guide.step',
  rejections: { [UNKNOWN_STEP]: 400 },

  contentDto: GuideContentDto,
  buildContent(raw) {
    const { value, problems } = validateContent(GuideContentDto, raw);
    if (problems.length > 0) return { problems };
    const steps = value.steps.map((s, i): GuideStep => {
      const step: GuideStep = { id: randomUUID(), title: texts(s.title), body: texts(s.body) };
      const voice = voiceOf(s.voice);
      if (voice) step.voice = voice;
      if (s.picture) {
        step.picture = { mediaId: s.picture.mediaId, alt: texts(s.picture.alt) };
        for (const locale of missingAlt(step.picture, step.title, step.body))
          problems.push(
            `content.steps.${i}.picture.alt.${locale}: the step is written in it; describe the picture too`,
          );
      }
      return step;
    });
    return problems.length > 0 ? { problems } : { content: { steps } };
  },
  textFields: (content): Record<string, Texts[]> =>
    content.steps ? { steps: content.steps.flatMap((s) => [s.title, s.body]) } : {},
  spokenTexts: (content) =>
    (content.steps ?? []).map((s) => ({ texts: mergedTexts(s.title, s.body), voice: s.voice })),
  pictures: (content) => (content.steps ?? []).flatMap((s) => (s.picture ? [s.picture] : [])),

  learnerContent: (content, chain) => ({
    steps: (content.steps ?? []).map((s) => ({
      id: s.id,
      title: localizeText(s.title, chain),
      body: localizeText(s.body, chain),
      voice: learnerVoice(s.voice, chain),
      picture: learnerPicture(s.picture, chain),
    })),
  }),

  eventFields: { stepId: { type: String, format: 'uuid', description: 'The step acknowledged' } },
  parseEvent(raw, problems) {
    if (raw.stepId !== undefined && !isUUID(raw.stepId)) problems.push('stepId must be a UUID');
    return { stepId: raw.stepId as string | undefined };
  },
  check(payload, lesson) {
    if (!payload.stepId)
      return new KindRejection('EVENT_INVALID', 'stepId: a guide.step event names the step');
    if (!(lesson.content.steps ?? []).some((s) => s.id === payload.stepId))
      return new KindRejection(UNKNOWN_STEP, 'stepId: not a step of this guide');
    return null;
  },
  emptyState: () => ({ stepsDone: [] }),
  apply(state, { payload }, lesson) {
    if (!state.stepsDone.includes(payload.stepId!)) state.stepsDone = [...state.stepsDone, payload.stepId!];
    return { completes: (lesson.content.steps ?? []).every((s) => state.stepsDone.includes(s.id)) };
  },
  storedPayload: (payload) => ({ stepId: payload.stepId }),
  progress: (lesson, state) => ({
    stepsDone: state?.stepsDone ?? [],
    stepCount: lesson.content.steps?.length ?? 0,
  }),
  progressDto: GuideProgressResponse,

  portal: {
    templatesDir: join(sourceDirOf(import.meta.url), 'templates'),
    learnModel(lesson, progress) {
      const steps = (lesson.content.steps ?? []) as { id: string }[];
      const done = ((progress?.guide as { stepsDone?: string[] } | undefined)?.stepsDone ?? []) as string[];
      return { guide: { steps: steps.map((s, i) => ({ ...s, n: i + 1, done: done.includes(s.id) })) } };
    },
    eventFromForm(_lesson, form) {
      return isUUID(form.stepId) ? { event: { stepId: form.stepId }, anchor: `step-${form.stepId}` } : null;
    },
    teach: {
      formDto: GuideFormDto,
      rows: (content, second) => ({
        steps: (content?.steps ?? []).map((s): StepRow => ({
          id: s.id,
          title: textPair(s.title, second),
          body: textPair(s.body, second),
          voice: textPair(s.voice, second),
          picture: { mediaId: s.picture?.mediaId ?? '', alt: textPair(s.picture?.alt, second) },
        })),
      }),
      rowsFromForm(form) {
        const removed = new Set(list(form.removeStep));
        return {
          steps: list(form.stepId)
            .map((id, i): StepRow => ({
              id,
              title: { vi: at(form.stepTitleVi, i), second: at(form.stepTitleSecond, i) },
              body: { vi: at(form.stepBodyVi, i), second: at(form.stepBodySecond, i) },
              voice: { vi: at(form.stepVoiceVi, i), second: at(form.stepVoiceSecond, i) },
              picture: {
                mediaId: at(form.stepPicture, i),
                alt: { vi: at(form.stepAltVi, i), second: at(form.stepAltSecond, i) },
              },
            }))
            .filter((s, i) => !removed.has(String(i)) && !(blankPair(s.title) && blankPair(s.body))),
        };
      },
      editor(rows) {
        const blank = (): TextPair => ({ vi: '', second: '' });
        const steps = [
          ...(rows.steps as StepRow[]),
          ...[0, 1].map(() => ({
            id: '',
            title: blank(),
            body: blank(),
            voice: blank(),
            picture: { mediaId: '', alt: blank() },
          })),
        ];
        return { steps: steps.map((s, index) => ({ ...s, index, number: index + 1, isNew: !s.id })) };
      },
      contentFrom(rows, current, second) {
        const stepRows = rows.steps as StepRow[];
        const problems: FormProblem[] = stepRows.length === 0 ? [{ key: 'teach.problem.noSteps' }] : [];
        const steps = stepRows.map((s, i) => {
          const old = current?.steps?.find((x) => x.id === s.id);
          if (!clean(s.title.vi) || !clean(s.body.vi))
            problems.push({ key: 'teach.problem.stepVi', params: { n: i + 1 } });
          const title = merge(old?.title, second, s.title.vi, s.title.second);
          const body = merge(old?.body, second, s.body.vi, s.body.second);
          // Recordings of other languages stay; an emptied slot removes its recording.
          const voice = merge(old?.voice, second, s.voice.vi, s.voice.second);
          const mediaId = clean(s.picture.mediaId);
          const picture = mediaId && {
            mediaId,
            alt: merge(old?.picture?.alt, second, s.picture.alt.vi, s.picture.alt.second),
          };
          if (picture && missingAlt(picture, title, body).length > 0)
            problems.push({ key: 'teach.problem.pictureAlt', params: { n: i + 1 } });
          return {
            title,
            body,
            ...(Object.keys(voice).length > 0 && { voice }),
            ...(picture && { picture }),
          };
        });
        return { content: { steps }, problems };
      },
    },
  },
};

/** A step's title and body as one spoken text: a language counts where either is written. */
const mergedTexts = (title: Texts, body: Texts): Texts => ({ ...body, ...title });

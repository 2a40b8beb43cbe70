import type { ApiPropertyOptions } from '@nestjs/swagger';
import type { LessonFormDto } from './lesson-form.dto.js';
import type { Picture, SpokenText } from './voice-and-pictures.js';

/** A text in each content language: `{ vi: '…', hmn: '…' }`. */
export type Texts = Partial<Record<string, string>>;

/** A subtitle track of one language, validated WebVTT in object storage. */
export interface SubtitleTrack {
  key: string;
  bytes: number;
  cues: number;
}

/**
 * Content fields every kind with per-language media shares: attached by the media pipeline and
 * the subtitle upload, never authored inline.
 */
export interface MediaContent {
  /** A media asset id per language. */
  media?: Partial<Record<string, string>>;
  subtitles?: Partial<Record<string, SubtitleTrack>>;
}

/** A lesson as a kind sees it. */
export interface KindLesson<Content> {
  id: string;
  content: Content;
  /** Seconds, per language of a ready media asset (kinds with media). */
  mediaDurations: Partial<Record<string, number>>;
  /** The content's recordings that are ready, by media id (a quiz's feedback is read aloud). */
  voiceFiles?: Partial<Record<string, VoiceFileRef>>;
}

/** A ready recording's file. */
export interface VoiceFileRef {
  url: string;
  bytes: number;
  durationSeconds: number;
}

/** A learner sent the event of a kind confirmed in person (`confirmedInPerson`): someone else records it. */
export const CONFIRMED_IN_PERSON = 'EVENT_CONFIRMED_IN_PERSON';

/** Why one event cannot count: its code goes into the receipt (or the online route's error). */
export class KindRejection {
  constructor(
    readonly code: string,
    readonly message: string,
    readonly details?: Record<string, unknown>,
  ) {}
}

/** An event of a kind, after the common checks (id, time, lesson, language). */
export interface KindEvent<Payload> {
  payload: Payload;
  /** The client's time of the event. */
  at: Date;
  /** The language it was studied in. */
  locale: string;
}

/** What applying an event needs besides the lesson and the learner's state. */
export interface KindSettings {
  /** Share of a video's duration that must actually be watched (VIDEO_COMPLETION_PERCENT). */
  videoCompletionShare: number;
  /** The learner's languages, the event's first: graded feedback comes in them. */
  chain: readonly string[];
}

export interface Applied {
  /** The lesson is done now (completion is recorded once, the first time). */
  completes: boolean;
  /** Kept with the stored event (e.g. a quiz attempt's score). */
  outcome?: Record<string, unknown>;
  /** Added to the learner's receipt under the kind's name (a quiz: its grade). */
  receipt?: object;
}

/** The definition of a lesson kind: everything that differs between video, guide, quiz… */
/**
 * A copy of a kind's state, which is JSON (plain objects, arrays, strings, numbers, booleans,
 * null): what `apply` works on, so a refused event leaves the state as it was. Ten times cheaper
 * than `structuredClone` on a video's watched intervals, copied once per event of an offline batch.
 */
export function copyState<State>(state: State): State {
  if (Array.isArray(state)) return state.map(copyState) as State;
  if (state === null || typeof state !== 'object') return state;
  // Anything but a plain object (a Date a kind should not keep, say) is copied the general way.
  if (Object.getPrototypeOf(state) !== Object.prototype) return structuredClone(state);
  const copy: Record<string, unknown> = {};
  for (const key in state) copy[key] = copyState((state as Record<string, unknown>)[key]);
  return copy as State;
}

export interface LessonKindDefinition<Content extends object = object, Payload = unknown, State = unknown> {
  /** Stored in `lessons.kind`, named in the API. */
  readonly kind: string;
  /** The one event type learners record on lessons of this kind. */
  readonly eventType: string;
  /** Why its events may be refused: code → HTTP status of the online route (receipts carry the code). */
  readonly rejections: Record<string, number>;
  /** Lessons of this kind carry per-language media (video, audio) and subtitles. */
  readonly hasMedia?: boolean;
  /** `apply` answers in the learner's languages (a quiz's feedback): it needs their whole chain. */
  readonly answersInLanguages?: boolean;
  /**
   * Its event is recorded by someone confirming the learner's work in person (a practice task),
   * never by the learner: the learner's routes refuse it (`EVENT_CONFIRMED_IN_PERSON`, 403).
   */
  readonly confirmedInPerson?: boolean;

  // --- authoring --------------------------------------------------------------
  /** The authored content's DTO, for OpenAPI (none: nothing is authored inline). */
  readonly contentDto?: new () => object;
  /** Validates authored content and gives its parts server-made ids; or the problems, each naming its field. */
  buildContent(raw: unknown): { content: Content } | { problems: string[] };
  /** Every learner-visible text by field family (the translation matrix counts them). */
  textFields(content: Content): Record<string, Texts[]>;
  /** Every learner-visible text that can be read aloud, with its recordings (the matrix counts them). */
  spokenTexts?(content: Content): SpokenText[];
  /** Every picture of the content (their assets must be pictures the editor may use). */
  pictures?(content: Content): Picture[];

  // --- learners ---------------------------------------------------------------
  /** The learner's view of the content, in their languages: no answer key ever leaves this. */
  learnerContent(content: Content, chain: readonly string[]): Record<string, unknown>;

  // --- progress -----------------------------------------------------------------
  /**
   * The event's own fields (besides id, type, lessonId, at, locale), with their OpenAPI description
   * (each names its `type`: these are documented without a class to reflect on).
   */
  readonly eventFields: Readonly<Record<string, ApiPropertyOptions>>;
  /** Reads the event's own fields (shape only), adding a problem per bad field. */
  parseEvent(raw: Record<string, unknown>, problems: string[]): Payload;
  /** Checks needing the lesson but not the learner's state. */
  check(payload: Payload, lesson: KindLesson<Content>): KindRejection | null;
  /** The language an event naming none is counted in (default: the learner's first). */
  defaultLocale?(lesson: KindLesson<Content>, chain: readonly string[]): string;
  /** A learner's state before their first event: JSON only (it is stored as jsonb; see `copyState`). */
  emptyState(): State;
  /**
   * Applies one event to the state (mutating it), or says why it cannot count. Events arrive in
   * any order and may be replayed (replays never reach here): the result must not depend on order.
   */
  apply(
    state: State,
    event: KindEvent<Payload>,
    lesson: KindLesson<Content>,
    settings: KindSettings,
  ): KindRejection | Applied;
  /** What is stored of the event (`progress_events.payload`). */
  storedPayload(payload: Payload): Record<string, unknown>;
  /** The API's summary of a learner in one lesson (`null`: not started), under `kind` in the response. */
  progress(
    lesson: KindLesson<Content>,
    state: State | null,
    settings: Pick<KindSettings, 'videoCompletionShare'>,
    completed: boolean,
  ): Record<string, unknown>;
  /** Its DTO, for OpenAPI. */
  readonly progressDto: new () => object;
  /** The DTO of what `apply` adds to the receipt, for OpenAPI. */
  readonly receiptDto?: new () => object;
  /** A score (0–100) that counts towards the course's average (quizzes). */
  score?(state: State): number | null;
  /** Where the learner left off, in seconds (media). */
  resumeAt?(state: State): number | null;

  // --- the portal -------------------------------------------------------------
  readonly portal: KindPortal<Content>;
}

/** A lesson detail as the portal gets it from the catalog (the learner view). */
export interface LessonPageData {
  id: string;
  content: Record<string, unknown>;
  video?: unknown;
  subtitles?: unknown[];
}

/** The kind's part of the portal's pages. */
export interface KindPortal<Content> {
  /**
   * Handlebars partials in the kind's folder: `learn.hbs` (the learner's lesson page, required),
   * `teach.hbs` (the editor's rows) and `preview.hbs` (the reviewer's preview of the learner view).
   */
  readonly templatesDir: string;
  /** What the learner lesson page's partial needs, merged into the page's model. */
  learnModel(
    lesson: LessonPageData,
    progress: Record<string, unknown> | null,
    page: { saveData: boolean },
  ): Record<string, unknown>;
  /** Scripts the learner lesson page loads for this kind (only when it can be used). */
  scripts?(model: Record<string, unknown>): string[];
  /**
   * A form posted from the learner's lesson page (to `/lessons/:id/progress`) as the event's own
   * fields; null when the form does not fit the lesson. `anchor` is where the page goes back to
   * after it counted. The page's `attempt` field (a UUID made with the page) is the event's id, so
   * a form sent twice counts once.
   */
  eventFromForm?(
    lesson: LessonPageData,
    form: Record<string, unknown>,
  ): { event: Record<string, unknown>; anchor?: string } | null;
  /**
   * The learner's page after a form event counted (a quiz's result), from what `apply` added to
   * the receipt (none: the same form was sent before); default: back to the page.
   */
  afterForm?(added: Record<string, unknown> | undefined, duplicate: boolean): Record<string, unknown>;
  /** The trainer's editor for authored content (kinds without it are authored elsewhere, e.g. media). */
  readonly teach?: KindTeachForm<Content>;
}

/** A problem to show beside the trainer's form: an i18n key and its parameters. */
export interface FormProblem {
  key: string;
  params?: Record<string, string | number>;
}

/** The editor rows of a kind: plain data the `teach.hbs` partial shows and the form sends back. */
export type KindRows = Record<string, unknown>;

export interface KindTeachForm<Content> {
  /** The editor form's fields of this kind, validated like the API's DTOs. */
  readonly formDto: new () => LessonFormDto;
  /** Rows from stored content, Vietnamese beside `second`. */
  rows(content: Content | undefined, second: string): KindRows;
  /** Rows as a form posted them (removed and blank rows left out). */
  rowsFromForm(form: Record<string, unknown>): KindRows;
  /** The editor's model: the rows with their form indexes, plus blank rows for adding. */
  editor(rows: KindRows): KindRows;
  /**
   * Authored content from rows: Vietnamese and `second` replaced, every other language and what
   * the form does not edit kept from `current`; problems are shown beside the form.
   */
  contentFrom(
    rows: KindRows,
    current: Content | undefined,
    second: string,
  ): { content: Record<string, unknown>; problems: FormProblem[] };
}

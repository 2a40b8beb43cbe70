import { join } from 'node:path';
import { sourceDirOf } from '../../../infrastructure/files/source-dir.js';
import { CONTENT_LOCALES } from '../../../infrastructure/i18n/locales.js';
import { KindRejection, type LessonKindDefinition, type MediaContent } from '../lesson-kind.js';
import { VideoProgressResponse } from './video.dto.js';
import {
  claimedSeconds,
  clipIntervals,
  coveredSeconds,
  mergeIntervals,
  type Interval,
} from './watched-intervals.js';

export const VIDEO_NOT_AVAILABLE = 'EVENT_VIDEO_NOT_AVAILABLE';
export const HEARTBEAT_TOO_LONG = 'EVENT_HEARTBEAT_TOO_LONG';

/** Most video one heartbeat may claim: players beat every 10–30 s, at up to 2× speed. */
const HEARTBEAT_MAX_SECONDS = 120;
/** A rendition at or under this bitrate is the default where the browser says nothing about its link. */
const DEFAULT_MAX_KBPS = 600;

interface VideoPayload {
  intervals: Interval[];
  position?: number;
  /** Shape problems of `intervals`, reported by `check` (they need no lesson, but are rejections). */
  invalid?: string;
}
/** Merged watched stretches per video language, and where to resume. */
interface VideoState {
  watched: Partial<Record<string, Interval[]>>;
  watchedSeconds: number;
  durationSeconds: number | null;
  positionSeconds: number | null;
  /** The client time of the position (the latest wins, whatever the arrival order). */
  positionAt: string | null;
}
interface Rendition {
  name: string;
  kind: string;
  bitrateKbps: number;
}

const share = (watched: number, duration: number | null) =>
  duration ? Math.min(1, Math.round((1000 * watched) / duration) / 1000) : 0;

/**
 * A video, one per language, from the media pipeline. It counts as watched from the stretches
 * actually played (merged intervals, not one "ended" event or a seek to the end), in the
 * best-watched language.
 */
export const videoKind: LessonKindDefinition<MediaContent, VideoPayload, VideoState> = {
  kind: 'video',
  eventType: 'video.heartbeat',
  hasMedia: true,
  rejections: { [VIDEO_NOT_AVAILABLE]: 409, [HEARTBEAT_TOO_LONG]: 400 },

  buildContent(raw) {
    // Media and subtitles come from the pipeline and the subtitle upload; nothing is authored inline.
    const extra = Object.keys((raw ?? {}) as object);
    if (extra.length === 0) return { content: {} };
    return {
      problems: extra.map((k) => `content.${k}: video lessons take no inline content (upload media instead)`),
    };
  },
  textFields: () => ({}),
  learnerContent: () => ({}),

  eventFields: {
    intervals: {
      type: 'array',
      items: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
      description: 'Stretches played since the last heartbeat, [from, to] in seconds (≤ 20)',
      example: [[0, 14.75]],
    },
    position: { type: Number, description: 'Playback position (s), for resuming' },
  },
  parseEvent(raw, problems) {
    const { intervals, position } = raw;
    if (intervals !== undefined && (!Array.isArray(intervals) || intervals.length > 20))
      problems.push('intervals must be a list of at most 20 [from, to] pairs');
    if (
      position !== undefined &&
      (typeof position !== 'number' || !Number.isFinite(position) || position < 0 || position > 86_400)
    )
      problems.push('position must be a number of seconds between 0 and 86400');
    const list: Interval[] = [];
    let invalid: string | undefined;
    for (const [i, x] of (Array.isArray(intervals) ? intervals : []).entries()) {
      const ok =
        Array.isArray(x) &&
        x.length === 2 &&
        x.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
        x[0] >= 0 &&
        x[0] < x[1];
      if (!ok) {
        invalid ??= `intervals.${i}: must be [from, to] in seconds, 0 ≤ from < to`;
        continue;
      }
      list.push([x[0], x[1]]);
    }
    return {
      intervals: list,
      ...(typeof position === 'number' && { position }),
      ...(invalid && { invalid }),
    };
  },
  check(payload) {
    if (payload.invalid) return new KindRejection('EVENT_INVALID', payload.invalid);
    if (payload.intervals.length === 0 && payload.position === undefined)
      return new KindRejection('EVENT_INVALID', 'A heartbeat carries played intervals, a position, or both.');
    if (claimedSeconds(payload.intervals) > HEARTBEAT_MAX_SECONDS)
      return new KindRejection(
        HEARTBEAT_TOO_LONG,
        `One heartbeat may cover at most ${HEARTBEAT_MAX_SECONDS} s of video; send heartbeats more often.`,
      );
    return null;
  },
  /** The video the catalog serves the learner: the first of their chain, then of all languages, that is ready. */
  defaultLocale: (lesson, chain) =>
    [...chain, ...CONTENT_LOCALES].find((l) => lesson.mediaDurations[l]) ?? chain[0],
  emptyState: () => ({
    watched: {},
    watchedSeconds: 0,
    durationSeconds: null,
    positionSeconds: null,
    positionAt: null,
  }),
  apply(state, { payload, at, locale }, lesson, settings) {
    const duration = lesson.mediaDurations[locale];
    if (!duration) {
      return new KindRejection(VIDEO_NOT_AVAILABLE, `This lesson has no ready video in "${locale}".`, {
        available: Object.keys(lesson.mediaDurations),
      });
    }
    if (payload.intervals.length > 0) {
      const merged = mergeIntervals(state.watched[locale] ?? [], clipIntervals(payload.intervals, duration));
      state.watched = { ...state.watched, [locale]: merged };
    }
    // The best-watched language counts: switching language does not add two partial viewings up.
    let best = { seconds: 0, duration };
    for (const [l, intervals] of Object.entries(state.watched)) {
      const d = lesson.mediaDurations[l];
      if (!d || !intervals) continue;
      const seconds = coveredSeconds(intervals);
      if (seconds / d > best.seconds / best.duration) best = { seconds, duration: d };
    }
    state.watchedSeconds = best.seconds;
    state.durationSeconds = best.duration;
    if (
      payload.position !== undefined &&
      (!state.positionAt || at.getTime() >= Date.parse(state.positionAt))
    ) {
      state.positionSeconds = Math.min(payload.position, duration);
      state.positionAt = at.toISOString();
    }
    return { completes: best.seconds >= settings.videoCompletionShare * best.duration };
  },
  storedPayload: (payload) => ({
    intervals: payload.intervals,
    ...(payload.position !== undefined && { position: payload.position }),
  }),
  progress(lesson, state, settings) {
    const duration = state?.durationSeconds ?? Object.values(lesson.mediaDurations)[0] ?? null;
    return {
      watchedSeconds: state?.watchedSeconds ?? 0,
      durationSeconds: duration,
      watchedShare: share(state?.watchedSeconds ?? 0, duration),
      requiredShare: settings.videoCompletionShare,
      positionSeconds: state?.positionSeconds ?? null,
    };
  },
  progressDto: VideoProgressResponse,
  resumeAt: (state) => state.positionSeconds,

  portal: {
    templatesDir: join(sourceDirOf(import.meta.url), 'templates'),
    /**
     * Renditions with their size, lowest first. The server picks the lowest when the browser sends
     * Save-Data; the player script does the same for a slow connection it can see.
     */
    learnModel(lesson, _progress, page) {
      const v = lesson.video as
        { status: string; download?: unknown; renditions: Rendition[] } | null | undefined;
      if (!v || v.status !== 'ready' || !v.download) return { video: { playable: false, video: v } };
      const rungs = v.renditions.filter((r) => r.kind === 'video');
      const preferred = page.saveData
        ? rungs[0]
        : ([...rungs].reverse().find((r) => r.bitrateKbps <= DEFAULT_MAX_KBPS) ?? rungs[0]);
      return {
        offlineMedia: v.download,
        video: {
          playable: true,
          video: v,
          saveData: page.saveData,
          renditions: v.renditions.map((r) => ({ ...r, selected: r.name === preferred?.name })),
          lowest: rungs[0]?.name,
          subtitles: lesson.subtitles,
        },
      };
    },
    scripts: (model) => ((model.video as { playable?: boolean })?.playable ? ['/assets/player.js'] : []),
  },
};

import type { KindRejection } from '../lesson-kind.js';
import { videoKind } from './video.kind.js';

const settings = { videoCompletionShare: 0.9, chain: ['hmn', 'vi'] };
const lesson = { id: 'l1', content: {}, mediaDurations: { vi: 100, hmn: 200 } };
const beat = (locale: string, intervals: [number, number][], at: string, position?: number) => ({
  payload: { intervals, ...(position !== undefined && { position }) },
  at: new Date(at),
  locale,
});

describe('video lessons', () => {
  it('takes no inline content: media come from the pipeline', () => {
    expect(videoKind.buildContent({})).toEqual({ content: {} });
    expect(videoKind.buildContent({ url: 'http://x' })).toEqual({
      problems: [expect.stringMatching(/upload media instead/)],
    });
  });

  it('counts the best-watched language, never two partial viewings added up', () => {
    const state = videoKind.emptyState();
    expect(videoKind.apply(state, beat('vi', [[0, 60]], '2026-11-29T08:00:00Z'), lesson, settings)).toEqual({
      completes: false,
    });
    videoKind.apply(state, beat('hmn', [[0, 100]], '2026-11-29T08:01:00Z'), lesson, settings);
    expect(state.watchedSeconds).toBe(60);
    expect(state.durationSeconds).toBe(100);
    const done = videoKind.apply(state, beat('vi', [[55, 92]], '2026-11-29T08:02:00Z'), lesson, settings);
    expect(done).toEqual({ completes: true });
  });

  it('resumes at the position of the latest beat by client time, whatever the arrival order', () => {
    const state = videoKind.emptyState();
    videoKind.apply(state, beat('vi', [[40, 50]], '2026-11-29T08:05:00Z', 50), lesson, settings);
    videoKind.apply(state, beat('vi', [[0, 10]], '2026-11-29T08:00:00Z', 10), lesson, settings);
    expect(videoKind.resumeAt!(state)).toBe(50);
  });

  it('refuses a beat in a language without a ready video, and one claiming too much', () => {
    const none = videoKind.apply(
      videoKind.emptyState(),
      beat('tyz', [[0, 5]], '2026-11-29T08:00:00Z'),
      lesson,
      settings,
    );
    expect((none as KindRejection).code).toBe('EVENT_VIDEO_NOT_AVAILABLE');
    expect(videoKind.check({ intervals: [[0, 500]] }, lesson)?.code).toBe('EVENT_HEARTBEAT_TOO_LONG');
    expect(videoKind.check({ intervals: [] }, lesson)?.code).toBe('EVENT_INVALID');
  });

  it("counts an event naming no language in the learner's first language with a ready video", () => {
    expect(videoKind.defaultLocale!(lesson, ['tyz', 'hmn'])).toBe('hmn');
    expect(videoKind.defaultLocale!({ ...lesson, mediaDurations: {} }, ['tyz'])).toBe('tyz');
  });
});

/** A stretch of video actually played, in seconds from the start: `[from, to]`. */
export type Interval = [number, number];

/** Players report time in steps of about 0.25 s; gaps this small are the same stretch. */
export const MERGE_GAP_SECONDS = 0.5;

const ms = (x: number) => Math.round(x * 1000) / 1000;

/** Keeps what lies within the video: clipped to [0, duration], empty stretches dropped. */
export function clipIntervals(intervals: Interval[], durationSeconds: number): Interval[] {
  return intervals
    .map(([from, to]): Interval => [ms(Math.max(0, from)), ms(Math.min(durationSeconds, to))])
    .filter(([from, to]) => to > from);
}

/** The union of two sets of stretches, sorted and merged; order of arrival does not matter. */
export function mergeIntervals(a: Interval[], b: Interval[]): Interval[] {
  const all = [...a, ...b].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: Interval[] = [];
  for (const [from, to] of all) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1] + MERGE_GAP_SECONDS) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/** Seconds covered by merged stretches. */
export const coveredSeconds = (merged: Interval[]) =>
  ms(merged.reduce((sum, [from, to]) => sum + to - from, 0));

/** Seconds a heartbeat claims, before merging (bounded per event, so one event cannot claim a whole video). */
export const claimedSeconds = (intervals: Interval[]) =>
  intervals.reduce((sum, [from, to]) => sum + Math.max(0, to - from), 0);

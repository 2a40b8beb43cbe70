import {
  claimedSeconds,
  clipIntervals,
  coveredSeconds,
  mergeIntervals,
  type Interval,
} from './watched-intervals.js';

describe('watched intervals', () => {
  it('merges overlapping and touching stretches in any order', () => {
    const parts: Interval[] = [
      [30, 40],
      [0, 10],
      [9, 20],
      [20.3, 25],
    ];
    const forward = parts.reduce<Interval[]>((acc, p) => mergeIntervals(acc, [p]), []);
    const backward = [...parts].reverse().reduce<Interval[]>((acc, p) => mergeIntervals(acc, [p]), []);
    expect(forward).toEqual([
      [0, 25],
      [30, 40],
    ]);
    expect(backward).toEqual(forward);
    expect(coveredSeconds(forward)).toBe(35);
  });

  it('counts a replayed stretch once', () => {
    const once = mergeIntervals([], [[0, 15]]);
    expect(coveredSeconds(mergeIntervals(once, [[0, 15]]))).toBe(15);
  });

  it('does not bridge a real gap: seeking ahead leaves the skipped part unwatched', () => {
    const merged = mergeIntervals([[0, 5]], [[95, 100]]);
    expect(merged).toHaveLength(2);
    expect(coveredSeconds(merged)).toBe(10);
  });

  it('clips to the video and drops empty or inverted stretches', () => {
    expect(
      clipIntervals(
        [
          [-3, 2],
          [50, 80],
          [90, 95],
          [7, 7],
        ],
        60,
      ),
    ).toEqual([
      [0, 2],
      [50, 60],
    ]);
  });

  it('sums what an event claims', () => {
    expect(
      claimedSeconds([
        [0, 10],
        [20, 25],
      ]),
    ).toBe(15);
  });
});

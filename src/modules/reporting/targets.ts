import type { AreaStanding } from './targets.repository.js';

/** The three programme targets, as set by admins for a province or a commune. */
export interface TargetGoals {
  /** Distinct holders of a valid certificate. */
  certifiedAmbassadors: number | null;
  /** Villages with at least one active ambassador, in % of all villages. */
  activeVillagePercent: number | null;
  /** Households helped under "1 kèm 5" (mentoring records, each a household helped with a task). */
  householdsHelped: number | null;
}

export const TARGET_METRICS = ['certifiedAmbassadors', 'activeVillagePercent', 'householdsHelped'] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];

/** The days over which the current pace is measured. */
export const PACE_WINDOW_DAYS = 90;

export interface Projection {
  goal: number;
  actual: number;
  /** Gained per day over the last PACE_WINDOW_DAYS days. */
  perDay: number;
  /** What the rest would need per day from today to the deadline (0 once reached). */
  neededPerDay: number;
  /**
   * `reached`; `on_track` (at this pace, by the deadline); `behind` (at this pace, after it);
   * `stalled` (no gain in the window: at this pace, never).
   */
  status: 'reached' | 'on_track' | 'behind' | 'stalled';
  /** The day the goal is reached at this pace (null when reached or stalled). */
  reachesOn: string | null;
}

const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayString = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/**
 * Where the current pace leads: "at this pace the province reaches 100 % of villages in …".
 * Days are calendar days (YYYY-MM-DD, Vietnam's). Pure arithmetic, tested on its own.
 */
export function project(input: {
  goal: number;
  actual: number;
  perDay: number;
  today: string;
  deadline: string;
}): Projection {
  const { goal, actual, perDay, today, deadline } = input;
  const remaining = goal - actual;
  const base = { goal, actual, perDay: round(perDay) };
  if (remaining <= 0) return { ...base, neededPerDay: 0, status: 'reached', reachesOn: null };
  const daysLeft = Math.max(1, dayNumber(deadline) - dayNumber(today));
  const neededPerDay = round(remaining / daysLeft);
  if (!(perDay > 0)) return { ...base, neededPerDay, status: 'stalled', reachesOn: null };
  const reachesOn = dayString(dayNumber(today) + Math.ceil(remaining / perDay));
  return { ...base, neededPerDay, status: reachesOn <= deadline ? 'on_track' : 'behind', reachesOn };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * A commune without a target of its own takes its share of the province's: counts in proportion
 * to its villages (rounded up: a share is never zero while the province's goal is not), the
 * percentage of villages as it is.
 */
export function inheritedGoals(
  province: TargetGoals,
  villages: number,
  provinceVillages: number,
): TargetGoals {
  const share = provinceVillages === 0 ? 0 : villages / provinceVillages;
  const part = (n: number | null) => (n === null ? null : Math.ceil(n * share));
  return {
    certifiedAmbassadors: part(province.certifiedAmbassadors),
    activeVillagePercent: province.activeVillagePercent,
    householdsHelped: part(province.householdsHelped),
  };
}

/** A locality's current target version, as far as inheritance needs it. */
export interface TargetState extends TargetGoals {
  removed: boolean;
  deadline: string | null;
}

/**
 * The target in force for a locality: its own, else (a commune) its share of the province's, else
 * none.
 */
export function effectiveTarget(
  own: TargetState | undefined,
  province: TargetState | undefined,
  villages: number,
  provinceVillages: number,
): { source: 'own' | 'province' | 'none'; goals: TargetGoals | null; deadline: string | null } {
  if (own && !own.removed) return { source: 'own', goals: pickGoals(own), deadline: own.deadline };
  if (province && !province.removed)
    return {
      source: 'province',
      goals: inheritedGoals(province, villages, provinceVillages),
      deadline: province.deadline,
    };
  return { source: 'none', goals: null, deadline: null };
}

export const pickGoals = (g: TargetGoals): TargetGoals => ({
  certifiedAmbassadors: g.certifiedAmbassadors,
  activeVillagePercent: g.activeVillagePercent,
  householdsHelped: g.householdsHelped,
});

/**
 * How far along the targets a place is, 0–1: each goal's share reached (capped at 1; a goal of 0
 * is reached), averaged over the goals set. Null without any.
 */
export function targetProgress(
  goals: TargetGoals | null,
  actual: Record<TargetMetric, number>,
): number | null {
  if (!goals) return null;
  const shares = TARGET_METRICS.flatMap((m) => {
    const goal = goals[m];
    if (goal === null) return [];
    return [goal <= 0 ? 1 : Math.min(1, actual[m] / goal)];
  });
  return shares.length === 0
    ? null
    : Math.round((10_000 * shares.reduce((a, b) => a + b, 0)) / shares.length) / 10_000;
}

/** A share in %, two decimals (0 for no villages). */
export const percent = (part: number, whole: number) =>
  whole === 0 ? 0 : Math.round((10_000 * part) / whole) / 100;

/** An area's figures in the targets' terms. */
export const actualFigures = (s: AreaStanding): Record<TargetMetric, number> => ({
  certifiedAmbassadors: s.certifiedAmbassadors,
  activeVillagePercent: percent(s.coveredVillages, s.villages),
  householdsHelped: s.householdsHelped,
});

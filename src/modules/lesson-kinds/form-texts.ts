import type { Texts } from './lesson-kind.js';

/**
 * The trainer editor's side-by-side texts: Vietnamese next to one second language. Plain HTML
 * forms send every row's inputs (empty ones too) so arrays stay aligned; a repeated name is an
 * array, a single one a string.
 */
export interface TextPair {
  vi: string;
  second: string;
}

export const list = (v: unknown): string[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

/** The value at `i` of a repeated form field. */
export const at = (v: unknown, i: number): string => list(v)[i] ?? '';

export const clean = (s: string | undefined) => (s ?? '').normalize('NFC').replace(/\r\n?/g, '\n').trim();

export const textPair = (t: Texts | undefined, second: string): TextPair => ({
  vi: t?.vi ?? '',
  second: t?.[second] ?? '',
});

export const blankPair = (p: TextPair) => !clean(p.vi) && !clean(p.second);

/** Replaces Vietnamese and the second language, keeps every other language as it was. */
export function merge(old: Texts | undefined, second: string, vi?: string, other?: string): Texts {
  const out: Texts = { ...(old ?? {}), ...(second !== 'vi' && { [second]: clean(other) }), vi: clean(vi) };
  return Object.fromEntries(Object.entries(out).filter(([, t]) => !!t));
}

/** `{ vi, hmn }` from two inputs, without empty languages. */
export const pair = (second: string, vi: string | undefined, other: string | undefined): Texts =>
  merge({}, second, vi, other);

import { LOCALITY_KINDS, type LocalityLevel } from './entities/locality.entity.js';

/** `/<province>/<commune>/<village>/` → how many levels deep (1 for a province). */
export const depthOf = (path: string) => path.split('/').filter(Boolean).length;

/** The `split_part(path, '/', n)` index naming the locality one level below `path`. */
export const childPart = (path: string) => depthOf(path) + 2;

/** Which level a parent must have, and the official-style code of each level. */
export const PARENT_LEVEL: Record<LocalityLevel, LocalityLevel | null> = {
  province: null,
  commune: 'province',
  village: 'commune',
};

const CODE_FORMAT: Record<LocalityLevel, RegExp> = {
  province: /^\d{2}$/,
  commune: /^\d{5}$/,
  village: /^\d{5}-\d{3}$/,
};

export const CODE_EXAMPLE: Record<LocalityLevel, string> = {
  province: '15',
  commune: '02683',
  village: '02683-004',
};

/** Returns the problem with a code, or null. A village code starts with its commune's code. */
export function codeProblem(level: LocalityLevel, code: string, parentCode: string | null): string | null {
  if (!CODE_FORMAT[level].test(code)) return `A ${level} code looks like "${CODE_EXAMPLE[level]}".`;
  if (level === 'village' && parentCode && !code.startsWith(`${parentCode}-`)) {
    return `A village code starts with its commune's code ("${parentCode}-…").`;
  }
  return null;
}

export function kindAllowed(level: LocalityLevel, kind: string): boolean {
  return LOCALITY_KINDS[level].includes(kind);
}

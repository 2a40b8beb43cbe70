import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN_LENGTH = 8;
/** Long passphrases are welcome; the cap only stops abuse of the hashing cost. */
export const PASSWORD_MAX_LENGTH = 256;

/** Common passwords seen here besides the global list. */
const LOCAL_COMMON = [
  'matkhau',
  'matkhau1',
  'matkhau123',
  'anhyeuem',
  'emyeuanh',
  'iloveyou',
  'vietnam',
  'vietnam1',
  'laocai',
  'laocai123',
  'banso123',
  'nguoibanso',
  '12345678a',
  '123456a@',
  'a123456789',
  'zxcvbnm1',
  'qwerty123',
];

const COMMON = new Set<string>([...(dictionary['passwords-common'] as string[]), ...LOCAL_COMMON]);

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common' | 'contains_identifier';

/**
 * NFC first: the same Vietnamese passphrase typed on two keyboards can arrive precomposed or
 * decomposed, and must hash the same.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFC');
}

/** Returns the problem, or null when the password is acceptable. */
export function checkPassword(password: string, identifiers: string[] = []): PasswordProblem | null {
  const p = normalizePassword(password);
  const length = [...p].length;
  if (length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'too_long';
  const lower = p.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1+$/.test(p) || (/^\d+$/.test(p) && COMMON.has(p))) return 'too_common';
  for (const id of identifiers.filter((i) => i.length >= 6)) {
    const bare = id.toLowerCase().replace(/^\+84/, '0').split('@')[0];
    if (bare.length >= 6 && lower.includes(bare)) return 'contains_identifier';
  }
  return null;
}

export const PASSWORD_MESSAGES: Record<PasswordProblem, string> = {
  too_short: `The password must be at least ${PASSWORD_MIN_LENGTH} characters.`,
  too_long: `The password must be at most ${PASSWORD_MAX_LENGTH} characters.`,
  too_common: 'This password is one of the most common ones and is easy to guess. Choose another.',
  contains_identifier: 'The password must not contain your phone number or email.',
};

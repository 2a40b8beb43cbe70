import { randomBytes } from 'node:crypto';

/** Crockford's base32, lower-case: no i, l, o, u, so a code read aloud or typed is unambiguous. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** 130 bits of randomness (≥ 128 required) as 26 base32 characters. */
export function newVerificationCode(): string {
  const bytes = randomBytes(17); // 136 bits read, 130 used
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let code = '';
  for (let i = 0; i < 26; i++) {
    code += ALPHABET[Number(bits & 31n)];
    bits >>= 5n;
  }
  return code;
}

/** Accepts what people type: upper case, dashes or spaces between groups. Null if it cannot be a code. */
export function normalizeVerificationCode(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]/g, '');
  return /^[0-9a-hjkmnp-tv-z]{26}$/.test(code) ? code : null;
}

/** `NBS-LCI` + 2026 + 123 → `NBS-LCI-2026-000123`. */
export function formatSerial(prefix: string, year: number, n: number): string {
  return `${prefix}-${year}-${String(n).padStart(6, '0')}`;
}

/**
 * The holder's name as public pages show it: initials for every word but the last, which is the
 * given name in Vietnamese and H'Mông order ("Sùng Thị Mỷ" → "S. T. Mỷ"). Enough to match the
 * person in front of you, not enough to look them up.
 */
export function maskName(name: string): string {
  const words = name.normalize('NFC').trim().split(/\s+/).filter(Boolean);
  if (words.length <= 1) return words[0] ? `${[...words[0]][0]}.` : '';
  return [...words.slice(0, -1).map((w) => `${[...w][0].toLocaleUpperCase('vi')}.`), words.at(-1)].join(' ');
}

/** Households are counted by this key: "Hộ ông Sùng A Páo" and "ho ong sung a pao " are one household. */
export function householdKey(household: string): string {
  return household
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .slice(0, 120);
}

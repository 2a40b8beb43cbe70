import { randomInt } from 'node:crypto';
import { hashSecret } from './token.service.js';

/** An invitation code works this long. */
export const INVITATION_DAYS = 7;
/** Letters and digits nobody mixes up when reading aloud or typing (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G). */
const CODE_ALPHABET = 'ACDEFHJKMNPRTUVWXY34679';
const CODE_LENGTH = 8;

/** `K7MP-34XA`: 8 characters of 23 (≈ 36 bits), in two groups of four. */
export function newInvitationCode(): string {
  const chars = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** The code as typed (any case, spaces or dashes) in its stored form, or null if it cannot be one. */
export function normalizeInvitationCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length !== CODE_LENGTH || [...compact].some((c) => !CODE_ALPHABET.includes(c))) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4)}`;
}

/** Codes are looked up by account, then compared by hash: the table never holds a usable code. */
export const invitationCodeHash = (code: string) => hashSecret(`invitation:${code}`);

import { randomInt } from 'node:crypto';
import { hashSecret } from './token.service.js';

/** A recovery code works this long. */
export const RECOVERY_MINUTES = 30;
/** Wrong tries a recovery code survives; then it is spent and a new one must be issued. */
export const RECOVERY_MAX_TRIES = 5;
const DIGITS = 6;

/**
 * `482 913`: six digits, the easiest thing to read aloud in any language and to type on a keypad.
 * A million values against at most RECOVERY_MAX_TRIES guesses in RECOVERY_MINUTES (and the
 * sign-in limits per account and address on top): one chance in 200,000 per code.
 */
export function newRecoveryCode(): string {
  const n = String(randomInt(10 ** DIGITS)).padStart(DIGITS, '0');
  return `${n.slice(0, 3)} ${n.slice(3)}`;
}

/** The code as typed (spaces, dashes or dots anywhere) as six digits, or null if it cannot be one. */
export function normalizeRecoveryCode(input: string): string | null {
  const compact = input.replace(/[\s.-]/g, '');
  return new RegExp(`^\\d{${DIGITS}}$`).test(compact) ? compact : null;
}

/** Stored as a hash tied to the account (the same six digits for two people hash apart). */
export const recoveryCodeHash = (userId: string, code: string) =>
  hashSecret(`recovery:${userId}:${normalizeRecoveryCode(code)}`);

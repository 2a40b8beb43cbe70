import { newRecoveryCode, normalizeRecoveryCode, recoveryCodeHash } from './recovery-code.js';

describe('recovery codes', () => {
  it('are six digits in two groups of three', () => {
    const codes = Array.from({ length: 300 }, newRecoveryCode);
    for (const code of codes) expect(code).toMatch(/^\d{3} \d{3}$/);
    // Drawn at random: 300 draws of a million values all but never repeat more than once or twice.
    expect(new Set(codes).size).toBeGreaterThan(295);
  });

  it('are read back as typed, with or without spaces, dashes or dots; anything else is not a code', () => {
    expect(normalizeRecoveryCode('482 913')).toBe('482913');
    expect(normalizeRecoveryCode(' 482-913 ')).toBe('482913');
    expect(normalizeRecoveryCode('48.29.13')).toBe('482913');
    expect(normalizeRecoveryCode('48291')).toBeNull();
    expect(normalizeRecoveryCode('4829133')).toBeNull();
    expect(normalizeRecoveryCode('48291O')).toBeNull();
    expect(normalizeRecoveryCode('٤٨٢٩١٣')).toBeNull();
  });

  it('hash apart for two accounts, and alike however the code was typed', () => {
    expect(recoveryCodeHash('a', '482 913')).toMatch(/^[0-9a-f]{64}$/);
    expect(recoveryCodeHash('a', '482 913')).toBe(recoveryCodeHash('a', '482913'));
    expect(recoveryCodeHash('a', '482 913')).not.toBe(recoveryCodeHash('b', '482 913'));
  });
});

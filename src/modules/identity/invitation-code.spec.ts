import { invitationCodeHash, newInvitationCode, normalizeInvitationCode } from './invitation-code.js';

describe('invitation codes', () => {
  it('are two groups of four unambiguous characters, different each time', () => {
    const codes = new Set(Array.from({ length: 500 }, newInvitationCode));
    expect(codes.size).toBe(500);
    for (const code of codes)
      expect(code).toMatch(/^[ACDEFHJKMNPRTUVWXY34679]{4}-[ACDEFHJKMNPRTUVWXY34679]{4}$/);
  });

  it('are read back as typed: any case, spaces or dashes; anything else is not a code', () => {
    expect(normalizeInvitationCode('k7mp 34xa')).toBe('K7MP-34XA');
    expect(normalizeInvitationCode(' K7MP-34XA ')).toBe('K7MP-34XA');
    expect(normalizeInvitationCode('K7MP34XA')).toBe('K7MP-34XA');
    // 0, 1, 2, 5, 8, O, I, L, S, B, Z, G are never in a code.
    expect(normalizeInvitationCode('K7MP-34X0')).toBeNull();
    expect(normalizeInvitationCode('K7MP-34X')).toBeNull();
    expect(normalizeInvitationCode('K7MP-34XAA')).toBeNull();
  });

  it('are stored as a hash that does not contain the code', () => {
    const h = invitationCodeHash('K7MP-34XA');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).toBe(invitationCodeHash('K7MP-34XA'));
    expect(h).not.toBe(invitationCodeHash('K7MP-34XC'));
  });
});

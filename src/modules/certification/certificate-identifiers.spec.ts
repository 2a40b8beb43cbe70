import {
  formatSerial,
  householdKey,
  maskName,
  newVerificationCode,
  normalizeVerificationCode,
} from './certificate-identifiers.js';

describe('certificate identifiers', () => {
  it('makes 26-character codes with 130 random bits that never repeat in practice', () => {
    const codes = new Set(Array.from({ length: 10_000 }, () => newVerificationCode()));
    expect(codes.size).toBe(10_000);
    for (const code of [...codes].slice(0, 100)) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/);
    // Every position varies: the code is not a counter or a timestamp.
    const firsts = new Set([...codes].map((c) => c[25]));
    expect(firsts.size).toBeGreaterThan(20);
  });

  it('normalises typed codes and refuses anything else', () => {
    const code = newVerificationCode();
    expect(normalizeVerificationCode(code.toUpperCase())).toBe(code);
    expect(normalizeVerificationCode(`${code.slice(0, 13)}-${code.slice(13)}`)).toBe(code);
    expect(normalizeVerificationCode(code.slice(1))).toBeNull();
    expect(normalizeVerificationCode(`${code.slice(1)}u`)).toBeNull(); // u is not in the alphabet
    expect(normalizeVerificationCode("' OR 1=1 --")).toBeNull();
  });

  it('formats serials with six digits', () => {
    expect(formatSerial('NBS-LCI', 2026, 123)).toBe('NBS-LCI-2026-000123');
    expect(formatSerial('NBS-LCI', 2027, 1_234_567)).toBe('NBS-LCI-2027-1234567');
  });

  it('masks all but the given name', () => {
    expect(maskName('Sùng Thị Mỷ')).toBe('S. T. Mỷ');
    expect(maskName('  nguyễn   văn  an ')).toBe('N. V. an');
    expect(maskName('Páo')).toBe('P.');
    expect(maskName('Đỗ Ánh')).toBe('Đ. Ánh');
  });

  it('folds accents, case and punctuation for household keys', () => {
    expect(householdKey('Hộ ông Sùng A Páo')).toBe(householdKey('  ho ong sung a pao'));
    expect(householdKey('Hộ bà Đỗ Thị Hoa, thôn Pạc Tà')).toBe('ho ba do thi hoa thon pac ta');
    expect(householdKey('Hộ A')).not.toBe(householdKey('Hộ B'));
  });
});

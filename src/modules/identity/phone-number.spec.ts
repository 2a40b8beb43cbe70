import { normalizeEmail, normalizeVietnamesePhone } from './phone-number.js';

describe('normalizeVietnamesePhone', () => {
  it.each([
    '0912345678',
    '+84912345678',
    '84912345678',
    '0084912345678',
    '0912 345 678',
    '0912.345.678',
    '(+84) 912-345-678',
    '+84 0912345678',
    '０９１２３４５６７８', // full-width digits from some phone keyboards
  ])('%s is the same person', (input) => {
    expect(normalizeVietnamesePhone(input)).toBe('+84912345678');
  });

  it.each([
    '',
    '12345',
    '091234567',
    '09123456789',
    '+1 202 555 0100',
    '0212345678',
    'abc0912345678',
    '0612345678',
    // Inside the mobile ranges but allocated to no carrier.
    '0501234567',
    '0531234567',
    '0711234567',
    '0751234567',
    '0801234567',
  ])('refuses %s', (input) => {
    expect(normalizeVietnamesePhone(input)).toBeNull();
  });

  it('accepts the post-2018 prefixes', () => {
    expect(normalizeVietnamesePhone('0356789012')).toBe('+84356789012');
    expect(normalizeVietnamesePhone('0587654321')).toBe('+84587654321');
    expect(normalizeVietnamesePhone('0778899001')).toBe('+84778899001');
    expect(normalizeVietnamesePhone('0868123456')).toBe('+84868123456');
    expect(normalizeVietnamesePhone('0591234567')).toBe('+84591234567'); // Gmobile
    expect(normalizeVietnamesePhone('0871234567')).toBe('+84871234567'); // iTel
  });
});

describe('normalizeEmail', () => {
  it('trims and lowercases', () => {
    expect(normalizeEmail('  Giang.Vien@LaoCai.gov.VN ')).toBe('giang.vien@laocai.gov.vn');
  });
});

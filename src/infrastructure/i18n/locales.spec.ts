import { normalizeFallbackChain, pickLocalized } from './locales.js';

describe('locales', () => {
  it('always ends a fallback chain with Vietnamese and drops unknown or repeated codes', () => {
    expect(normalizeFallbackChain(['hmn'])).toEqual(['hmn', 'vi']);
    expect(normalizeFallbackChain(['HMN', 'hmn', 'xx', 'vi', 'ium'])).toEqual(['hmn', 'vi', 'ium']);
    expect(normalizeFallbackChain([])).toEqual(['vi']);
  });

  it('marks a fallback when the first language is missing', () => {
    expect(pickLocalized({ vi: 'Người cao tuổi', hmn: 'Cov neeg laus' }, ['hmn', 'vi'])).toEqual({
      text: 'Cov neeg laus',
      locale: 'hmn',
      fallback: false,
    });
    expect(pickLocalized({ vi: 'Học sinh' }, ['hmn', 'vi'])).toEqual({
      text: 'Học sinh',
      locale: 'vi',
      fallback: true,
    });
  });
});

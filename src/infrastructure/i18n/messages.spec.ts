import { missingKeys, translate } from './messages.js';

describe('UI messages', () => {
  it('has every key in vi, hmn and en', () => {
    expect(missingKeys()).toEqual({ vi: [], hmn: [], en: [] });
  });

  it('fills parameters and falls back to Vietnamese for other languages', () => {
    expect(translate('hmn', 'home.greeting', { name: 'Mai' })).toBe('Nyob zoo, Mai!');
    expect(translate('tyz', 'nav.signIn')).toBe('Đăng nhập');
  });
});

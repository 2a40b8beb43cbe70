import { checkPassword } from './password-policy.js';

describe('checkPassword', () => {
  it.each(['123456789', 'password', 'qwertyuiop', 'matkhau123', 'Password', 'aaaaaaaaaa', 'iloveyou'])(
    'refuses the common password %s',
    (p) => expect(checkPassword(p)).toBe('too_common'),
  );

  it('refuses short passwords and accepts long passphrases', () => {
    expect(checkPassword('Ab1!x')).toBe('too_short');
    expect(checkPassword('Tôi học dùng điện thoại ở bản Sải Duần mỗi tối thứ bảy')).toBeNull();
    expect(checkPassword('x'.repeat(40) + 'y'.repeat(200))).toBeNull();
    expect(checkPassword('z'.repeat(257) + 'q')).toBe('too_long');
  });

  it('counts characters, not UTF-16 units or bytes', () => {
    expect(checkPassword('đường ổ')).toBe('too_short');
    expect(checkPassword('đường ổn định')).toBeNull();
  });

  it('refuses a password built on the phone number or email', () => {
    expect(checkPassword('0912345678abc', ['+84912345678'])).toBe('contains_identifier');
    expect(checkPassword('hoangmai-2026', ['hoangmai@example.vn'])).toBe('contains_identifier');
  });
});

import { gsm7Length, smsText, toGsm7 } from '../../infrastructure/sms/sms-text.js';
import { afterQuietHours } from './delivery-rules.js';
import {
  NOTIFICATION_KINDS,
  renderNotification,
  renderSms,
  type NotificationParams,
} from './notification-texts.js';

/** Vietnam is UTC+7: 21:00 there is 14:00 UTC, 07:00 is 00:00 UTC. */
describe('quiet hours (21:00–07:00, Asia/Ho_Chi_Minh)', () => {
  it.each([
    ['06:59 → 07:00 the same day', '2026-12-07T23:59:00Z', '2026-12-08T00:00:00.000Z'],
    ['07:00 goes at once', '2026-12-08T00:00:00Z', '2026-12-08T00:00:00.000Z'],
    ['20:59 goes at once', '2026-12-08T13:59:59Z', '2026-12-08T13:59:59.000Z'],
    ['21:00 → 07:00 the next day', '2026-12-08T14:00:00Z', '2026-12-09T00:00:00.000Z'],
    ['23:30 → 07:00 the next day', '2026-12-08T16:30:00Z', '2026-12-09T00:00:00.000Z'],
    ['00:10 → 07:00 that morning', '2026-12-08T17:10:00Z', '2026-12-09T00:00:00.000Z'],
    ['21:00 on 31 December → 07:00 on 1 January', '2026-12-31T14:00:00Z', '2027-01-01T00:00:00.000Z'],
  ])('%s', (_name, at, expected) => {
    expect(afterQuietHours(new Date(at)).toISOString()).toBe(expected);
  });
});

describe('SMS texts', () => {
  it('folds Vietnamese to GSM-7 without diacritics', () => {
    expect(toGsm7('Người bản số “Đạt” – xã Bản Hồ…')).toBe('Nguoi ban so "Dat" - xa Ban Ho...');
    expect(gsm7Length('Nguoi ban so')).toBe(12);
    expect(gsm7Length('€')).toBe(2);
    expect(gsm7Length('Người')).toBeNull();
    // Anything GSM-7 cannot carry becomes "?", never a second, UCS-2 encoded message.
    expect(toGsm7('Hello 😀 中')).toBe('Hello ? ?');
  });

  it('cuts a long text to one 160-character segment, or three UCS-2 segments with accents', () => {
    const long = 'Lý do: '.concat('chưa xác minh được các hộ dân ở thôn Sả Séng, '.repeat(10));
    const gsm = smsText(long, false);
    expect(gsm7Length(gsm)).toBeLessThanOrEqual(160);
    expect(gsm.endsWith('...')).toBe(true);
    const ucs2 = smsText(long, true);
    expect(ucs2.length).toBeLessThanOrEqual(201);
    expect(ucs2.length).toBeGreaterThan(190);
    expect(ucs2.endsWith('…')).toBe(true);
    expect(ucs2).toMatch(/^Lý do: chưa xác minh/);
    expect(smsText('Ngắn thôi.', true)).toBe('Ngắn thôi.');
  });

  /** Realistic long values: a long course title in both languages, a long place name, big counts. */
  const PARAMS: NotificationParams = {
    course: {
      vi: 'Thanh toán tiền điện, nước và học phí bằng điện thoại an toàn',
      hmn: 'Them nqi hluav taws xob, dej thiab nqi kawm ntawv hauv xov tooj kom nyab xeeb',
    },
    days: 29,
    reason: 'Đã xác minh tại thôn.',
    expiresOn: '31/12/2028',
    count: 128,
    place: 'Xã Mường Khương',
    week: '30/11/2026',
    enrolments: 12345,
    completions: 6789,
    certificates: 321,
    uncovered: 145,
    waiting: 37,
  };

  it.each(NOTIFICATION_KINDS.flatMap((kind) => ['vi', 'hmn', 'en'].map((l) => [kind, l] as const)))(
    '%s in %s fits one GSM-7 segment and has a title and a body',
    (kind, locale) => {
      const sms = renderSms(kind, PARAMS, [locale], false);
      expect(gsm7Length(sms)).not.toBeNull();
      expect(gsm7Length(sms)!).toBeLessThanOrEqual(160);
      // Written to fit with these values: only a free-text reason may be cut.
      if (!kind.startsWith('application.')) expect(sms.endsWith('...')).toBe(false);
      const { title, body } = renderNotification(kind, PARAMS, [locale]);
      expect(title).not.toMatch(/notify\.|\{\{/);
      expect(body).not.toMatch(/notify\.|\{\{/);
    },
  );

  it("falls back to Vietnamese for a language the UI does not have, and picks the reader's course title", () => {
    expect(renderNotification('learner.inactive', PARAMS, ['tyz', 'vi']).locale).toBe('vi');
    expect(renderNotification('learner.inactive', PARAMS, ['hmn', 'vi']).body).toContain('Them nqi hluav');
    expect(
      renderNotification('learner.inactive', { ...PARAMS, course: { vi: 'Zalo' } }, ['hmn']).body,
    ).toContain('“Zalo”');
  });
});

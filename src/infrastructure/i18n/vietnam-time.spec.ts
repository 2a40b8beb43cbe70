import { documentDate, documentDayOf, vietnamDay, vietnamYear } from './vietnam-time.js';

describe('Vietnam calendar days', () => {
  it('dates by UTC+7: late evening UTC is already the next day', () => {
    const lateUtc = new Date('2026-12-31T18:30:00Z'); // 01:30 on 1 January in Hà Nội
    expect(vietnamDay(lateUtc)).toBe('2027-01-01');
    expect(vietnamYear(lateUtc)).toBe(2027);
    expect(documentDate(lateUtc)).toBe('01/01/2027');
    expect(documentDate(new Date('2026-11-30T02:00:00Z'))).toBe('30/11/2026');
  });

  it("writes a day already in Vietnam's calendar as documents do", () => {
    const lateUtc = new Date('2026-12-31T18:30:00Z');
    expect(documentDayOf(vietnamDay(lateUtc))).toBe(documentDate(lateUtc));
    expect(documentDayOf('2028-02-29')).toBe('29/02/2028');
  });
});

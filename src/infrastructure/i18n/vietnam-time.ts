/**
 * Calendar days as people in Vietnam count them (UTC+7, no daylight saving): a certificate issued
 * at 23:30 UTC is dated the next day, on paper and on every page. Formatters are built once.
 */
const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const isoDay = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE });
const documentDay = new Intl.DateTimeFormat('vi-VN', {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** `2026-11-30` */
export const vietnamDay = (d: Date): string => isoDay.format(d);

export const vietnamYear = (d: Date): number => Number(vietnamDay(d).slice(0, 4));

/** `30/11/2026`, as on Vietnamese documents. */
export const documentDate = (d: Date): string => documentDay.format(d);

/** A calendar day already in Vietnam's calendar (`2026-11-30`) as on documents: `30/11/2026`. */
export const documentDayOf = (day: string): string => day.split('-').reverse().join('/');

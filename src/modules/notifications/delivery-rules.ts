/**
 * When and in what shape a reminder may leave: quiet hours in Vietnam's time, and SMS texts that
 * fit one segment. Pure functions (delivery-rules.spec.ts).
 */

/** Asia/Ho_Chi_Minh: UTC+7 all year (no daylight saving). */
const VIETNAM_OFFSET_MS = 7 * 3600_000;

/** No push or SMS from 21:00 to 07:00, Vietnam's time; the inbox fills at any hour. */
export const QUIET_HOURS = { from: 21, until: 7 } as const;

/** `at` itself outside quiet hours, else the 07:00 (Vietnam) that ends them. */
export function afterQuietHours(at: Date): Date {
  const local = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  const hour = local.getUTCHours();
  if (hour >= QUIET_HOURS.until && hour < QUIET_HOURS.from) return at;
  const morning = new Date(local);
  morning.setUTCHours(QUIET_HOURS.until, 0, 0, 0);
  if (hour >= QUIET_HOURS.from) morning.setUTCDate(morning.getUTCDate() + 1);
  return new Date(morning.getTime() - VIETNAM_OFFSET_MS);
}

/** GSM 03.38's default alphabet (one septet each) and its extension table (two septets each). */
const GSM7 = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENDED = new Set('^{}\\[~]|€');

/** One SMS segment: 160 GSM-7 septets, or 70 UCS-2 characters (67 each when concatenated). */
export const SMS_SEGMENT = { gsm7: 160, ucs2: 70, ucs2Part: 67 } as const;
/** With accents (UCS-2), a reminder may take up to three concatenated segments. */
export const UNICODE_SMS_PARTS = 3;

/** Septets a text takes in GSM-7, or null if some character is outside the alphabet. */
export function gsm7Length(text: string): number | null {
  let n = 0;
  for (const c of text) {
    if (GSM7.has(c)) n += 1;
    else if (GSM7_EXTENDED.has(c)) n += 2;
    else return null;
  }
  return n;
}

/**
 * Vietnamese (and any Latin text) without diacritics, in GSM-7: "Người bản số" → "Nguoi ban so".
 * Typographic quotes and dashes become their ASCII forms; anything else outside GSM-7 becomes "?".
 */
export function toGsm7(text: string): string {
  const folded = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[“”„«»]/g, '"')
    .replace(/[‘’‚]/g, "'")
    .replace(/[–—]/g, '-')
    .replace(/…/g, '...')
    .replace(/\s+/g, ' ')
    .trim();
  return [...folded].map((c) => (GSM7.has(c) || GSM7_EXTENDED.has(c) ? c : '?')).join('');
}

/**
 * A reminder's SMS. By default in GSM-7 without diacritics, cut to one 160-character segment:
 * every gateway and phone takes it and it costs one message. With `unicode`, as written with its
 * accents (UCS-2), cut to three concatenated segments (201 characters): a Vietnamese sentence
 * with accents fits one segment only below 70 characters. Cut with "...": the inbox has the
 * whole text.
 */
export function smsText(text: string, unicode: boolean): string {
  if (unicode) {
    const t = text.normalize('NFC').replace(/\s+/g, ' ').trim();
    const max = SMS_SEGMENT.ucs2Part * UNICODE_SMS_PARTS;
    return t.length <= max ? t : `${cutTo(t, max - 1, (s) => s.length)}…`;
  }
  const t = toGsm7(text);
  return gsm7Length(t)! <= SMS_SEGMENT.gsm7
    ? t
    : `${cutTo(t, SMS_SEGMENT.gsm7 - 3, (s) => gsm7Length(s)!)}...`;
}

/** The longest prefix of `text` (whole code points, no trailing space) within `max` by `size`. */
function cutTo(text: string, max: number, size: (s: string) => number): string {
  const chars = [...text];
  while (chars.length > 0 && size(chars.join('')) > max) chars.pop();
  return chars.join('').trimEnd();
}

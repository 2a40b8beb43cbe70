/**
 * The shape of a text message: GSM-7 without diacritics in one segment by default, or UCS-2 with
 * its accents in up to three. Pure functions (sms-text.spec.ts).
 */

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
 * A text message (a reminder, a recovery code). By default in GSM-7 without diacritics, cut to one 160-character segment:
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

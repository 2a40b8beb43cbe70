import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Vietnamese mobile numbers in every spelling people type — `0912 345 678`, `+84912345678`,
 * `84912345678`, `(+84) 912.345.678` — become one canonical E.164 form, `+84912345678`.
 * Only numbers of the real numbering plan count (libphonenumber's full metadata): the mobile
 * ranges since the 2018 renumbering are 03x, 05x, 07x, 08x and 09x, but not all of each
 * (050, 053, 054, 057, 071–075 and 080, for example, belong to no carrier).
 */
const MOBILE_NATIONAL = /^(3|5|7|8|9)\d{8}$/;

const isAllocatedMobile = (national: string) => {
  const number = parsePhoneNumberFromString(`+84${national}`);
  const type = number?.getType();
  return !!number?.isValid() && (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE');
};

export function normalizeVietnamesePhone(input: string): string | null {
  const compact = input.normalize('NFKC').replace(/[\s.\-()]/g, '');
  let national: string;
  if (/^\+84\d+$/.test(compact)) national = compact.slice(3);
  else if (/^0084\d+$/.test(compact)) national = compact.slice(4);
  else if (/^84\d{9}$/.test(compact)) national = compact.slice(2);
  else if (/^0\d+$/.test(compact)) national = compact.slice(1);
  else return null;
  // "+84 0912…" happens too.
  if (national.startsWith('0')) national = national.slice(1);
  return MOBILE_NATIONAL.test(national) && isAllocatedMobile(national) ? `+84${national}` : null;
}

export function normalizeEmail(input: string): string {
  return input.normalize('NFKC').trim().toLowerCase();
}

import { pickLocalized } from '../../infrastructure/i18n/locales.js';
import { isUiLocale, translate, type UiLocale } from '../../infrastructure/i18n/messages.js';
import { smsText } from '../../infrastructure/sms/sms-text.js';

/** What a reminder is about; each has a title, a body and an SMS text in every UI language. */
export const NOTIFICATION_KINDS = [
  'learner.inactive',
  'application.approved',
  'application.rejected',
  'certificate.issued',
  'certificate.renewal',
  'applications.waiting',
  'digest.weekly',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const CHANNELS = ['push', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A text's values: a number, a text, or a text per language (a course's title). */
export type NotificationParams = Record<string, string | number | Partial<Record<string, string>>>;

/** The first UI language of a user's fallback chain, else Vietnamese. */
export const uiLocaleOf = (chain: readonly string[]): UiLocale => chain.find(isUiLocale) ?? 'vi';

function values(params: NotificationParams, chain: readonly string[]): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [
      k,
      typeof v === 'object' ? (pickLocalized(v, chain)?.text ?? '') : v,
    ]),
  );
}

/** Title and body in the reader's language (the inbox and Web Push). */
export function renderNotification(
  kind: NotificationKind,
  params: NotificationParams,
  chain: readonly string[],
) {
  const locale = uiLocaleOf(chain);
  const v = values(params, chain);
  return {
    locale,
    title: translate(locale, `notify.${kind}.title`, v),
    body: translate(locale, `notify.${kind}.body`, v),
  };
}

/** The SMS text in the reader's language, within one segment (delivery-rules.ts). */
export function renderSms(
  kind: NotificationKind,
  params: NotificationParams,
  chain: readonly string[],
  unicode: boolean,
): string {
  const locale = uiLocaleOf(chain);
  // With Unicode, the full body with its accents; else the short text written for GSM-7.
  const key = unicode ? `notify.${kind}.body` : `notify.${kind}.sms`;
  return smsText(translate(locale, key, values(params, chain)), unicode);
}

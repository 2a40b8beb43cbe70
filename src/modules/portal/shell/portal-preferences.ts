import type { FastifyReply, FastifyRequest } from 'fastify';
import { isUiLocale, type UiLocale } from '../../../infrastructure/i18n/messages.js';

/** Remembered on the device, with or without an account: a shared phone keeps its choices. */
export const LANG_COOKIE = 'bs_lang';
export const GROUP_COOKIE = 'bs_group';
export const TEXT_COOKIE = 'bs_text';

const YEAR = 365 * 24 * 3600;
const GROUP_CODE = /^[a-z0-9-]{2,40}$/;

export interface PortalPreferences {
  locale: UiLocale;
  /** Learner group code (elderly, pupils …) chosen on the first visit. */
  groupCode: string | null;
  /** Large type and high contrast, for elderly learners and bright sunlight. */
  largeText: boolean;
  /** False until the first-visit question was answered. */
  chosen: boolean;
}

function remember(reply: FastifyReply, name: string, value: string) {
  void reply.setCookie(name, value, { path: '/', maxAge: YEAR, sameSite: 'lax', httpOnly: true });
}

/** `?lang=` (remembered), then the cookie, then Accept-Language, then Vietnamese. */
export function resolvePortalLocale(req: FastifyRequest, reply: FastifyReply): UiLocale {
  const query = (req.query as Record<string, unknown> | undefined)?.lang;
  if (isUiLocale(query)) {
    remember(reply, LANG_COOKIE, query);
    return query;
  }
  const cookie = req.cookies?.[LANG_COOKIE];
  if (isUiLocale(cookie)) return cookie;
  const accepted = String(req.headers['accept-language'] ?? '')
    .split(',')
    .map((part) => part.split(';')[0].trim().toLowerCase().split('-')[0]);
  return accepted.find(isUiLocale) ?? 'vi';
}

export function readPreferences(req: FastifyRequest, reply: FastifyReply): PortalPreferences {
  const group = req.cookies?.[GROUP_COOKIE];
  return {
    locale: resolvePortalLocale(req, reply),
    groupCode: group && GROUP_CODE.test(group) && group !== 'none' ? group : null,
    largeText: req.cookies?.[TEXT_COOKIE] === 'large',
    chosen: !!group,
  };
}

export function rememberPreferences(
  reply: FastifyReply,
  prefs: { locale?: UiLocale; groupCode?: string | null; largeText?: boolean },
) {
  if (prefs.locale) remember(reply, LANG_COOKIE, prefs.locale);
  // "none" records that the question was answered without picking a group.
  if (prefs.groupCode !== undefined) remember(reply, GROUP_COOKIE, prefs.groupCode ?? 'none');
  if (prefs.largeText !== undefined) remember(reply, TEXT_COOKIE, prefs.largeText ? 'large' : 'normal');
}

/** Where to go after a form: only a path on this site, never another origin. */
export function safeNext(value: unknown, fallback = '/'): string {
  // Printable ASCII only (browsers send paths percent-encoded): nothing a Location header refuses.
  return typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) && value.length < 500
    ? value
    : fallback;
}

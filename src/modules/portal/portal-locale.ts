import type { FastifyReply, FastifyRequest } from 'fastify';
import { isUiLocale, type UiLocale } from '../../infrastructure/i18n/messages.js';

export const LANG_COOKIE = 'bs_lang';

/** `?lang=` (remembered in a cookie), then the cookie, then Accept-Language, then Vietnamese. */
export function resolvePortalLocale(req: FastifyRequest, reply: FastifyReply): UiLocale {
  const query = (req.query as Record<string, unknown> | undefined)?.lang;
  if (isUiLocale(query)) {
    void reply.setCookie(LANG_COOKIE, query, {
      path: '/',
      maxAge: 365 * 24 * 3600,
      sameSite: 'lax',
      httpOnly: true,
    });
    return query;
  }
  const cookie = req.cookies?.[LANG_COOKIE];
  if (isUiLocale(cookie)) return cookie;
  const accepted = String(req.headers['accept-language'] ?? '')
    .split(',')
    .map((part) => part.split(';')[0].trim().toLowerCase().split('-')[0]);
  return accepted.find(isUiLocale) ?? 'vi';
}

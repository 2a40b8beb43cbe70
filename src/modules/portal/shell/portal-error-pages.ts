import { Injectable } from '@nestjs/common';
import type {} from '@fastify/view';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '../../../infrastructure/http/error-body.js';
import type { ErrorPages } from '../../../infrastructure/http/all-exceptions.filter.js';
import { hasMessage, translate } from '../../../infrastructure/i18n/messages.js';
import { ASSET_VERSION } from './portal-assets.js';
import { resolvePortalLocale } from './portal-preferences.js';

const PAGE_STATUSES = new Set([400, 401, 403, 404, 409, 413, 415, 429, 503]);

/**
 * The portal's error pages: the facts of the error body in the reader's language; a 401 on a
 * page goes to the sign-in form and comes back.
 */
@Injectable()
export class PortalErrorPages implements ErrorPages {
  render(req: FastifyRequest, reply: FastifyReply, body: ErrorBody): void {
    if (body.statusCode === 401 && req.method === 'GET') {
      void reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
      return;
    }
    const locale = resolvePortalLocale(req, reply);
    const group = PAGE_STATUSES.has(body.statusCode) ? body.statusCode : body.statusCode >= 500 ? 500 : 400;
    const key = hasMessage(`errors.${body.code}`) ? `errors.${body.code}` : `errors.status.${group}`;
    void reply
      .status(body.statusCode)
      .header('cache-control', 'no-store')
      .view('error', {
        locale,
        assetVersion: ASSET_VERSION,
        title: translate(locale, 'errors.title'),
        message: translate(locale, key),
        code: body.code,
        requestId: body.requestId,
        languages: [],
        nav: {},
      });
  }
}

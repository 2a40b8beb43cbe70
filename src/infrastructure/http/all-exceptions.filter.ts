import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type {} from '@fastify/view';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ASSET_VERSION } from '../../modules/portal/portal-assets.js';
import { resolvePortalLocale } from '../../modules/portal/portal-preferences.js';
import { hasMessage, translate } from '../i18n/messages.js';
import { setRetryAfter, toErrorBody, type ErrorBody } from './error-body.js';

/** Paths that always answer JSON, whoever asks. */
const MACHINE_PATHS = /^\/(api|\.well-known|health|queues)(\/|$)/;

/** A browser navigating or submitting a portal form: it gets a page, not JSON. */
const wantsPage = (req: FastifyRequest) =>
  !MACHINE_PATHS.test(req.url) && String(req.headers.accept ?? '').includes('text/html');

/**
 * Global filter: every error leaves as `{ statusCode, code, message, requestId }`, except for
 * portal pages, which get the same facts as a page in the reader's language (a 401 goes to the
 * sign-in form and comes back).
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = toErrorBody(exception, String(request.id));
    if (body.statusCode >= 500) {
      // Name, message, code and stack only: a driver error also carries query parameters (hashes, tokens).
      const e = exception as { name?: string; message?: string; code?: string; stack?: string };
      this.logger.error({
        msg: 'Unhandled error',
        err: { name: e?.name, message: e?.message, code: e?.code, stack: e?.stack },
        requestId: request.id,
        url: request.url,
      });
    }
    if (reply.sent) return;
    setRetryAfter(reply, body.details);
    if (wantsPage(request) && typeof reply.view === 'function') return void errorPage(request, reply, body);
    void reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }
}

function errorPage(req: FastifyRequest, reply: FastifyReply, body: ErrorBody) {
  if (body.statusCode === 401 && req.method === 'GET') {
    return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
  }
  const locale = resolvePortalLocale(req, reply);
  const key = hasMessage(`errors.${body.code}`)
    ? `errors.${body.code}`
    : `errors.status.${statusGroup(body.statusCode)}`;
  return reply
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

function statusGroup(status: number): string {
  if ([400, 401, 403, 404, 409, 413, 415, 429].includes(status)) return String(status);
  return status >= 500 ? '500' : '400';
}

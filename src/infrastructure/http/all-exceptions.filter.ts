import { ArgumentsHost, Catch, ExceptionFilter, Inject, Logger, Optional } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrorCode } from '../errors/domain-error.js';
import { BODY_LIMITS } from './body-intake.js';
import { setRetryAfter, toErrorBody, type ErrorBody } from './error-body.js';

/** Paths that always answer JSON, whoever asks. */
const MACHINE_PATHS = /^\/(api|\.well-known|health|queues)(\/|$)/;

/**
 * Renders errors as pages for browsers. The portal provides it (and so owns its error pages);
 * without one, every error is JSON.
 */
export interface ErrorPages {
  render(request: FastifyRequest, reply: FastifyReply, body: ErrorBody): void;
}
export const ERROR_PAGES = Symbol('ERROR_PAGES');

/** A browser navigating or submitting a portal form: it gets a page, not JSON. */
const wantsPage = (req: FastifyRequest) =>
  !MACHINE_PATHS.test(req.url) && String(req.headers.accept ?? '').includes('text/html');

/**
 * Global filter: every error leaves as `{ statusCode, code, message, requestId }` (the status
 * from the code's module table), except for browsers on portal paths, which get the same facts as
 * a page from the portal's `ErrorPages`.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(@Optional() @Inject(ERROR_PAGES) private readonly pages?: ErrorPages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = toErrorBody(exception, String(request.id));
    if (body.code === CommonErrorCode.PayloadTooLarge && !body.details) {
      // Refused by Fastify from Content-Length or while reading: say which limit applied.
      const limit = request.routeOptions?.bodyLimit ?? BODY_LIMITS.default;
      body.message = `The request body is too large (at most ${limit} bytes).`;
      body.details = { limit, unit: 'bytes' };
      // Fastify closes the connection after a refused body; with the rest of the body still
      // unread, the client may see a reset instead of this answer. A body at most twice the limit
      // (a clumsy client) is read and thrown away (Node does that when the connection stays
      // open); a bigger one (an attack) is not worth reading: the connection closes.
      const declared = Number(request.headers['content-length']);
      if (declared <= 2 * limit) void reply.removeHeader('connection');
    }
    if (body.code === CommonErrorCode.ServiceUnavailable) {
      const cause = (exception as { cause?: { message?: string } }).cause ?? exception;
      this.logger.warn({
        msg: 'Backend unavailable',
        cause: (cause as { message?: string })?.message,
        requestId: request.id,
        url: request.url,
      });
    } else if (body.statusCode >= 500) {
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
    if (this.pages && wantsPage(request)) return this.pages.render(request, reply, body);
    void reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }
}

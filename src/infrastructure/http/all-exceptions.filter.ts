import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setRetryAfter, toErrorBody } from './error-body.js';

/** Global filter: every error leaves as `{ statusCode, code, message, requestId }`. */
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
    void reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }
}

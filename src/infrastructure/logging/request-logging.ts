import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';

/** Health probes (every few seconds from each balancer and orchestrator) are not logged. */
const isProbe = (url: string) => url.startsWith('/health/');

export interface RequestLogging {
  /** Runs the rest of the request (`next`) inside its log context: logs written meanwhile carry its id. */
  enter(req: FastifyRequest, next: () => void): void;
  /** Writes the request's line once its answer is sent. */
  completed(req: FastifyRequest, reply: FastifyReply): void;
}

/**
 * One line per request, at the production level: `request completed` (or `request errored` for a
 * 5xx) with the request's id, method, URL, status and time, as pino-http wrote it. Called from the
 * request pipeline's hooks (request-pipeline.ts) instead of nestjs-pino's Express-style
 * middleware: that one needed @fastify/middie on every request and wrapped each response in
 * listeners. Logs written while a request is handled carry its id and line (`req`), through the
 * same context nestjs-pino's PinoLogger reads.
 */
export function requestLogging(context: PinoLogger): RequestLogging {
  // The root's serializers expect Node's request and response objects (pino-http's); these lines
  // are built from Fastify's, already in the final shape.
  const lines = PinoLogger.root.child(
    {},
    { serializers: { req: (r: unknown) => r, res: (r: unknown) => r } },
  );
  return {
    enter(req, next) {
      // Probes log nothing, so they need no context (a pino child per request).
      if (isProbe(req.url)) return next();
      context.runInContext(next, { bindings: { req: { id: req.id, method: req.method, url: req.url } } });
    },
    completed(req, reply) {
      if (isProbe(req.url)) return;
      const line = {
        req: { id: req.id, method: req.method, url: req.url },
        res: { statusCode: reply.statusCode },
        responseTime: Math.round(reply.elapsedTime),
      };
      if (reply.statusCode >= 500) lines.error(line, 'request errored');
      else lines.info(line, 'request completed');
    },
  };
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';

/** Health probes (every few seconds from each balancer and orchestrator) are not logged. */
const isProbe = (url: string) => url.startsWith('/health/');

/**
 * One line per request, at the production level: `request completed` (or `request errored` for a
 * 5xx) with the request's id, method, URL, status and time, as pino-http wrote it. Fastify hooks
 * instead of nestjs-pino's Express-style middleware: that one needed @fastify/middie on every
 * request and wrapped each response in listeners. Logs written while a request is handled carry
 * its id and line (`req`), through the same context nestjs-pino's PinoLogger reads.
 */
export function installRequestLogging(fastify: FastifyInstance, context: PinoLogger): void {
  // The root's serializers expect Node's request and response objects (pino-http's); these lines
  // are built from Fastify's, already in the final shape.
  const lines = PinoLogger.root.child(
    {},
    { serializers: { req: (r: unknown) => r, res: (r: unknown) => r } },
  );
  fastify.addHook('onRequest', (req: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    context.runInContext(done, { bindings: { req: { id: req.id, method: req.method, url: req.url } } });
  });
  fastify.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (!isProbe(req.url)) {
      const line = {
        req: { id: req.id, method: req.method, url: req.url },
        res: { statusCode: reply.statusCode },
        responseTime: Math.round(reply.elapsedTime),
      };
      if (reply.statusCode >= 500) lines.error(line, 'request errored');
      else lines.info(line, 'request completed');
    }
    done();
  });
}

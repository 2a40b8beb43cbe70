import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestLogging } from '../logging/request-logging.js';
import { refuseOversizedBody } from './body-intake.js';
import { cleanRequestInput } from './input-hygiene.js';
import { answerFromCache, type ResponseCache } from './response-cache.js';
import { dataAnswerHeaders } from './security-headers.js';

/** JSON API and probe paths; /api/docs (Swagger UI, a page) is not one. */
const isDataAnswer = (url: string) => url.startsWith('/api/v1/') || url.startsWith('/health/');

export interface RequestPipeline {
  /** Set on every page, asset and document answer, errors included (security-headers.ts). */
  securityHeaders: Record<string, string>;
  logging: RequestLogging;
  logRefusal: (entry: Record<string, unknown>) => void;
  /** Counts each answer (http-metrics.ts). */
  observe: (req: FastifyRequest, reply: FastifyReply) => void;
  /** Calls `done` when the request may go on, else answers 403 (http-app.ts says which requests). */
  csrf: (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void;
  cache: ResponseCache;
}

/**
 * The platform's own work around every request, as one Fastify hook per phase: each hook costs a
 * turn of Fastify's hook runner, and the per-request fixed cost is what a province-wide load pays
 * most often (docs/capacity.md). In order:
 * - onRequest: security headers (the short set for data answers, security-headers.ts) and
 *   `x-request-id` (kept on errors: Fastify's error handler keeps headers already set), a body declared far over the route's limit refused unread, then the rest
 *   of the request runs inside its log context;
 * - preValidation (after parsing and routing): input hygiene, CSRF for state-changing requests,
 *   then a kept public answer short-circuits Nest;
 * - onResponse: metrics and the request's log line.
 * Plugins (CORS, compression, cookies) add their own hooks.
 */
export function installRequestPipeline(fastify: FastifyInstance, pipeline: RequestPipeline): void {
  const { securityHeaders, logging, logRefusal, observe, csrf, cache } = pipeline;
  const dataHeaders = dataAnswerHeaders(securityHeaders);
  fastify.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    void reply.headers(isDataAnswer(req.url) ? dataHeaders : securityHeaders).header('x-request-id', req.id);
    if (refuseOversizedBody(req, reply, logRefusal)) return;
    logging.enter(req, done);
  });
  fastify.addHook(
    'preValidation',
    (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      try {
        cleanRequestInput(req);
      } catch (e) {
        return done(e as Error);
      }
      if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') {
        if (!answerFromCache(cache, req, reply)) done();
        return;
      }
      csrf(req, reply, done);
    },
  );
  fastify.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    observe(req, reply);
    logging.completed(req, reply);
    done();
  });
}

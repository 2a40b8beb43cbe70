import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../metrics/metrics.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Every answer, by route template (`/api/v1/courses/:courseId`, never the raw path: ids would
 * make a series per course), method and status. Requests that matched no route count as
 * `unmatched`, so a scan of random paths cannot grow the series. Returns what the request
 * pipeline calls once an answer is sent (request-pipeline.ts).
 */
export function httpMetrics(metrics: Metrics): (req: FastifyRequest, reply: FastifyReply) => void {
  const duration = metrics.histogram(
    'http_request_duration_seconds',
    'HTTP requests: latency by route, method and status',
    ['route', 'method', 'status'],
  );
  return (req, reply) =>
    duration.observe(
      {
        route: req.routeOptions?.url ?? 'unmatched',
        method: METHODS.has(req.method) ? req.method : 'OTHER',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
}

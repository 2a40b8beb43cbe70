import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../metrics/metrics.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Status codes as label values, made once. */
const STATUS_LABELS = Array.from({ length: 600 }, (_, code) => String(code));

/**
 * Every answer, by route template (`/api/v1/courses/:courseId`, never the raw path: ids would
 * make a series per course), method and status. Requests that matched no route count as
 * `unmatched`, so a scan of random paths cannot grow the series. Returns what the request
 * pipeline calls once an answer is sent (request-pipeline.ts).
 */
export function httpMetrics(metrics: Metrics): (req: FastifyRequest, reply: FastifyReply) => void {
  const duration = metrics.keyedHistogram(
    'http_request_duration_seconds',
    'HTTP requests: latency by route, method and status',
    ['route', 'method', 'status'],
  );
  return (req, reply) =>
    duration.observe(
      [
        req.routeOptions?.url ?? 'unmatched',
        METHODS.has(req.method) ? req.method : 'OTHER',
        STATUS_LABELS[reply.statusCode] ?? String(reply.statusCode),
      ],
      reply.elapsedTime / 1000,
    );
}

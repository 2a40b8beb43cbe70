import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { OpenAPIObject } from '@nestjs/swagger';

export const LIVENESS_PATH = '/health/live';
const ANSWER = '{"status":"ok"}';

/**
 * The liveness probe, answered by Fastify itself: it passes every request hook (security headers,
 * request id, metrics, the 503 of a process shutting down) but not Nest's route machinery (guards,
 * pipes, interceptors), which has nothing to decide for it. A balancer or orchestrator asks every
 * few seconds per replica; "the process answers HTTP" needs no more, and stays true while a guard
 * or the database is slow (readiness, /health/ready, says that).
 */
export function installLiveness(fastify: FastifyInstance): void {
  fastify.get(
    LIVENESS_PATH,
    // 15 bytes are never compressed (@fastify/compress: below its threshold), so its hooks skip
    // this route. Register after the compression plugin and after Nest's init (http-app.ts).
    { compress: false, decompress: false } as RouteShorthandOptions,
    (_req: FastifyRequest, reply: FastifyReply) => {
      void reply.type('application/json; charset=utf-8').send(ANSWER);
    },
  );
}

/** Its entry in the OpenAPI document, which Nest builds from controllers only. */
export function documentLiveness(document: OpenAPIObject): void {
  document.paths[LIVENESS_PATH] = {
    get: {
      operationId: 'HealthController_live',
      summary: 'The process is up',
      tags: ['health'],
      responses: {
        '200': {
          description: 'The process answers HTTP',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { status: { type: 'string', example: 'ok' } },
                required: ['status'],
              },
            },
          },
        },
      },
    },
  };
}

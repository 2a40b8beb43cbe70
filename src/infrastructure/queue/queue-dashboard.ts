import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CommonError, CommonErrorCode } from '../errors/domain-error.js';
import { toErrorBody } from '../http/error-body.js';
import { isSameOriginRequest } from '../http/same-origin.js';
import { QueueService } from './queue.service.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * bull-board for admins. Its Fastify plugin is open by default below its root, so one onRequest
 * hook in its scope guards every route it serves (pages and its JSON API alike). Its scripts
 * cannot send our CSRF token, so its state-changing calls (retry, clean, pause…) must come from
 * our own origin.
 */
export async function mountQueueDashboard(
  app: NestFastifyApplication,
  isAdmin: (request: FastifyRequest) => Promise<'admin' | 'forbidden' | 'anonymous'>,
  ownOrigins: string[],
): Promise<void> {
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    if (
      !SAFE_METHODS.has(request.method) &&
      !isSameOriginRequest(request.headers, ownOrigins, request.protocol)
    ) {
      const error = new CommonError(
        CommonErrorCode.CsrfInvalid,
        'This request must come from the dashboard page.',
      );
      return reply.status(403).send(toErrorBody(error, String(request.id)));
    }
    const verdict = await isAdmin(request).catch(() => 'anonymous' as const);
    if (verdict === 'admin') return;
    if (verdict === 'anonymous' && String(request.headers.accept ?? '').includes('text/html')) {
      return reply.redirect(`/login?next=${encodeURIComponent(QUEUE_DASHBOARD_PATH)}`, 303);
    }
    const error =
      verdict === 'anonymous'
        ? CommonError.unauthenticated()
        : CommonError.forbidden('The queue dashboard is for admins.');
    const body = toErrorBody(error, String(request.id));
    return reply.status(body.statusCode).send(body);
  };

  const serverAdapter = new BullBoardAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: app
      .get(QueueService)
      .all()
      .map((q) => new BullMQAdapter(q as never)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Bản Số queues' } },
  });
  // The guard is a hook of the dashboard's own plugin scope: it runs for the dashboard's routes
  // and costs every other request nothing.
  await app.register((async (scope: FastifyInstance) => {
    scope.addHook('onRequest', guard);
    await scope.register(serverAdapter.registerPlugin() as never, { prefix: QUEUE_DASHBOARD_PATH });
  }) as never);
}

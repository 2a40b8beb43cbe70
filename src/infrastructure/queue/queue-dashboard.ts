import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonError } from '../http/domain-error.js';
import { toErrorBody } from '../http/error-body.js';
import { QueueService } from './queue.service.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * bull-board for admins. Its Fastify plugin is open by default below its root, so one onRequest
 * hook guards the whole prefix (pages and its JSON API alike).
 */
export async function mountQueueDashboard(
  app: NestFastifyApplication,
  isAdmin: (request: FastifyRequest) => Promise<'admin' | 'forbidden' | 'anonymous'>,
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    if (path !== QUEUE_DASHBOARD_PATH && !path.startsWith(`${QUEUE_DASHBOARD_PATH}/`)) return;
    const verdict = await isAdmin(request).catch(() => 'anonymous' as const);
    if (verdict === 'admin') return;
    if (verdict === 'anonymous' && String(request.headers.accept ?? '').includes('text/html')) {
      return reply.redirect(`/login?next=${encodeURIComponent(QUEUE_DASHBOARD_PATH)}`, 303);
    }
    const error =
      verdict === 'anonymous'
        ? CommonError.unauthenticated()
        : CommonError.forbidden('The queue dashboard is for admins.');
    return reply.status(error.statusCode).send(toErrorBody(error, String(request.id)));
  });

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
  await app.register(serverAdapter.registerPlugin() as never, { prefix: QUEUE_DASHBOARD_PATH });
}

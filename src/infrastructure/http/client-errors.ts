import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrorCode } from '../errors/domain-error.js';
import { nextRequestId } from './request-id.js';

/**
 * URLs the router refuses before any route runs (a broken %-escape, a path segment over 100
 * characters): the platform's error format instead of Fastify's own.
 */
export function answerFrameworkError(
  error: Error & { code?: string; statusCode?: number },
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.statusCode ?? 400;
  void reply
    .status(status)
    .type('application/json; charset=utf-8')
    .send({
      statusCode: status,
      code: CommonErrorCode.MalformedUrl,
      message: status === 414 ? 'A part of the address is too long.' : 'The address is not valid.',
      requestId: String(request.id),
    });
}

/** How long a refused client may keep sending what we will not read before the socket goes. */
const LINGER_MS = 2_000;

const REFUSALS: Record<string, { status: number; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'HEADERS_TOO_LARGE',
    message: 'The request headers are too large.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT', message: 'The request took too long.' },
};

/**
 * Requests Node's HTTP parser refuses before any route sees them (headers over 16 KB, broken
 * framing). Fastify's default writes a 431/400 and destroys the socket at once: with the rest of
 * the request still unread the kernel answers with a reset, the client never reads the refusal,
 * and a client that queued more requests on that connection loses them too. This answers in the
 * platform's error format, says `Connection: close`, half-closes, and drains what the client still
 * sends for a moment before letting go.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || socket.destroyed) return;
  const refusal = REFUSALS[err.code ?? ''] ?? {
    status: 400,
    code: CommonErrorCode.MalformedBody,
    message: 'The request is not valid HTTP.',
  };
  if (socket.writable) {
    const { status, code, message } = refusal;
    const body = JSON.stringify({ statusCode: status, code, message, requestId: nextRequestId() });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.on('data', () => undefined).resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/**
 * This process's ids: 72 random bits drawn at start, then a counter. Unique across replicas and
 * restarts for log correlation (a collision needs two processes to draw the same 72 bits), and
 * a fraction of the cost of a UUID per request (crypto's buffered random was 4 % of a probe's
 * CPU; docs/decisions.md, "The request path").
 */
const processPrefix = randomBytes(9).toString('base64url');
let sequence = 0;

/** The next id of this process: `<12 characters>-<base-36 counter>`. */
export const nextRequestId = (): string => `${processPrefix}-${(++sequence).toString(36)}`;

/**
 * Fastify's genReqId: keep a well-formed incoming `x-request-id` (from a load balancer), else
 * make one. Stored on the raw request for the pino-http middleware.
 */
export function generateRequestId(raw: IncomingMessage): string {
  const header = raw.headers['x-request-id'];
  const id = typeof header === 'string' && SAFE_ID.test(header) ? header : nextRequestId();
  (raw as IncomingMessage & { id?: string }).id = id;
  return id;
}

import type { IncomingHttpHeaders } from 'node:http';

/**
 * CSRF defence for pages that cannot carry our token (the queue dashboard's own scripts): a
 * state-changing browser request must say it comes from our origin. Browsers send `Origin` on
 * every cross-origin request and on same-origin ones that are not GET/HEAD; when it is missing,
 * `Sec-Fetch-Site` still tells. A request with neither (curl, an API client) is refused unless it
 * is authenticated by a bearer token, which a browser never adds on its own.
 */
export function isSameOriginRequest(
  headers: IncomingHttpHeaders,
  allowedOrigins: string[],
  protocol: string,
) {
  if (headers.authorization !== undefined) return true;
  const origin = headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    const own = headers.host ? `${protocol}://${headers.host}` : undefined;
    return allowedOrigins.includes(origin) || origin === own;
  }
  return headers['sec-fetch-site'] === 'same-origin';
}

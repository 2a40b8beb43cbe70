import { Injectable, Module } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A cached answer: the JSON as sent, its ETag and the route's max-age. */
export interface CachedResponse {
  json: string;
  etag: string;
  maxAgeSeconds: number;
}

interface Entry extends CachedResponse {
  expires: number;
}

/** Bounds: what a scan of random query strings can make the process hold. */
const MAX_ENTRIES = 2000;
const MAX_BYTES = 32 * 1024 * 1024;

/**
 * The answers of public read routes marked `@HttpCache(…, { keepMs })`, by URL, answered from a
 * Fastify hook before Nest's part of the request: no guard, pipe, interceptor or handler runs for
 * a hit (on a catalog page that pipeline cost more than the data it returned). Only 200 answers of
 * GETs whose body is the same for every caller are kept; what varies per caller (private or
 * public caching, the 304) is decided per request, as the interceptor does. Each API replica
 * has its own; the owner of the data clears it when the data changes (CourseCatalogService).
 */
@Injectable()
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /**
   * How many times the cache was cleared: an answer made from data read before a clear (a read
   * racing a publication) is not kept after it.
   */
  private clears = 0;

  get generation(): number {
    return this.clears;
  }

  get(url: string, now = Date.now()): CachedResponse | undefined {
    const hit = this.entries.get(url);
    if (!hit) return undefined;
    if (hit.expires > now) return hit;
    this.remove(url, hit);
    return undefined;
  }

  /** Keeps an answer made since `generation` (see `generation`); a later clear makes it stale. */
  set(url: string, response: CachedResponse, keepMs: number, generation: number, now = Date.now()): void {
    if (generation !== this.clears) return;
    const old = this.entries.get(url);
    if (old) this.remove(url, old);
    this.entries.set(url, { ...response, expires: now + keepMs });
    this.bytes += response.json.length;
    // Oldest first (a Map iterates in insertion order).
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.bytes <= MAX_BYTES) break;
      this.remove(key, entry);
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
    this.clears++;
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(url: string, entry: Entry): void {
    this.entries.delete(url);
    this.bytes -= entry.json.length;
  }
}

/** For the modules whose routes use `@HttpCache(…, { keepMs })` (one instance per application). */
@Module({ providers: [ResponseCache], exports: [ResponseCache] })
export class ResponseCacheModule {}

/** Caching headers for a cacheable answer; a signed-in caller's copy is private. */
export function setCachingHeaders(req: FastifyRequest, reply: FastifyReply, response: CachedResponse): void {
  const personal = !!req.headers.authorization || !!req.cookies?.bs_session;
  const seconds = response.maxAgeSeconds;
  void reply
    .header('etag', response.etag)
    .header(
      'cache-control',
      `${personal ? 'private' : 'public'}, max-age=${seconds}, stale-while-revalidate=${seconds * 10}`,
    )
    .header('vary', 'Authorization, Cookie, Accept-Encoding');
}

/** True when the request's If-None-Match names this ETag (or `*`). */
export function matchesEtag(req: FastifyRequest, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return String(header)
    .split(',')
    .some((t) => {
      const tag = t.trim();
      return tag === etag || tag === '*';
    });
}

/**
 * Answers a hit before Nest runs: called last by the request pipeline's preValidation hook
 * (request-pipeline.ts), so the security headers, CORS, request logging, body intake and the input
 * hygiene have run; the answer still passes the onSend hooks (compression) and the onResponse hook
 * (logs, metrics). True when it answered.
 */
export function answerFromCache(cache: ResponseCache, req: FastifyRequest, reply: FastifyReply): boolean {
  if (req.method !== 'GET') return false;
  const hit = cache.get(req.url);
  if (!hit) return false;
  setCachingHeaders(req, reply, hit);
  // As caching proxies say it: the answer was kept, not made for this request.
  void reply.header('x-cache', 'hit');
  if (matchesEtag(req, hit.etag)) void reply.status(304).send();
  else void reply.type('application/json; charset=utf-8').send(hit.json);
  return true;
}

import {
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  UseInterceptors,
  applyDecorators,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { map, type Observable } from 'rxjs';
import { matchesEtag, ResponseCache, setCachingHeaders } from './response-cache.js';

const CACHE_OPTIONS = Symbol('HTTP_CACHE_OPTIONS');

/**
 * The body is serialised once, here, and sent as that string (Fastify would serialise it again);
 * bodies served from a cache are the same objects, so each is serialised and hashed only once.
 */
const serialised = new WeakMap<object, { json: string; etag: string }>();
function serialise(body: object): { json: string; etag: string } {
  let entry = serialised.get(body);
  if (!entry) {
    const json = JSON.stringify(body);
    entry = { json, etag: `W/"${createHash('sha1').update(json).digest('base64url')}"` };
    serialised.set(body, entry);
  }
  return entry;
}

/**
 * ETag + Cache-Control for read routes: an unchanged response revalidates with a 304 and no body,
 * which is what weak 3G needs. Responses to signed-in callers are `private`. With `keepMs` the
 * answer is also kept in the ResponseCache, which answers the same URL before Nest runs.
 */
@Injectable()
export class HttpCacheInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ResponseCache) private readonly responses: ResponseCache,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<HttpCacheOptions>(CACHE_OPTIONS, context.getHandler());
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const generation = this.responses.generation;
    return next.handle().pipe(
      map((body) => {
        if (typeof body !== 'object' || body === null) return body;
        const response = { ...serialise(body), maxAgeSeconds: options.maxAgeSeconds };
        if (options.keepMs && request.method === 'GET' && reply.statusCode === 200)
          this.responses.set(request.url, response, options.keepMs, generation);
        setCachingHeaders(request, reply, response);
        if (matchesEtag(request, response.etag)) {
          void reply.status(304);
          return undefined;
        }
        void reply.type('application/json; charset=utf-8');
        return response.json;
      }),
    );
  }
}

interface HttpCacheOptions {
  maxAgeSeconds: number;
  keepMs?: number;
}

/**
 * Marks a GET route as cacheable for `maxAgeSeconds` with ETag revalidation. `keepMs`: keep the
 * answer in this replica's ResponseCache that long — only for public routes whose answer depends
 * on the URL alone (never on the caller), and whose owner clears the cache when the data changes.
 */
export const HttpCache = (maxAgeSeconds: number, { keepMs }: { keepMs?: number } = {}) =>
  applyDecorators(
    SetMetadata(CACHE_OPTIONS, { maxAgeSeconds, keepMs } satisfies HttpCacheOptions),
    UseInterceptors(HttpCacheInterceptor),
  );

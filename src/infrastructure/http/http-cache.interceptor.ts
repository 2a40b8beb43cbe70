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

const CACHE_SECONDS = Symbol('CACHE_SECONDS');

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
 * which is what weak 3G needs. Responses to signed-in callers are `private`.
 */
@Injectable()
export class HttpCacheInterceptor implements NestInterceptor {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const seconds = this.reflector.get<number>(CACHE_SECONDS, context.getHandler()) ?? 0;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body) => {
        if (typeof body !== 'object' || body === null) return body;
        const { json, etag } = serialise(body);
        const personal = !!request.headers.authorization || !!request.cookies?.bs_session;
        void reply
          .header('etag', etag)
          .header(
            'cache-control',
            `${personal ? 'private' : 'public'}, max-age=${seconds}, stale-while-revalidate=${seconds * 10}`,
          )
          .header('vary', 'Authorization, Cookie, Accept-Encoding');
        const match = String(request.headers['if-none-match'] ?? '')
          .split(',')
          .map((t) => t.trim());
        if (match.includes(etag) || match.includes('*')) {
          void reply.status(304);
          return undefined;
        }
        void reply.type('application/json; charset=utf-8');
        return json;
      }),
    );
  }
}

/** Marks a GET route as cacheable for `maxAgeSeconds` with ETag revalidation. */
export const HttpCache = (maxAgeSeconds: number) =>
  applyDecorators(SetMetadata(CACHE_SECONDS, maxAgeSeconds), UseInterceptors(HttpCacheInterceptor));

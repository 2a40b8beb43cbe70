import { RouteConfig } from '@nestjs/platform-fastify';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants.js';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { parse as parseQueryString } from 'fast-querystring';
import { CommonErrorCode, DomainError } from '../errors/domain-error.js';
import { toErrorBody } from './error-body.js';

/**
 * Request bodies cost bounded CPU before any code of ours sees them: a byte limit per route
 * (checked by Fastify from Content-Length, and while streaming), then a linear scan that
 * refuses deep nesting and huge element counts before `JSON.parse` or class-transformer run
 * (a 10,000-deep array used to overflow class-transformer's stack; a 390,000-element array cost
 * half a second).
 */
export const BODY_LIMITS = {
  /** Most writes: a few short texts. */
  default: 32 * 1024,
  /** Credentials and tokens only. */
  auth: 4 * 1024,
  /** Course and lesson content in several languages, quizzes, trainer forms. */
  content: 512 * 1024,
  /** An offline sync batch: 500 heartbeats weigh about 95 KB, quiz attempts more. */
  sync: 512 * 1024,
} as const;

/** Deeper than any shape the API accepts (lesson content is about 6 levels). */
export const MAX_JSON_DEPTH = 32;
/** Values in one body (an offline batch of 500 events carries about 6,000). */
export const MAX_JSON_VALUES = 20_000;
/** Fields in one form post (a quiz editor with 50 questions sends about 1,500). */
export const MAX_FORM_FIELDS = 5_000;

/** Raises a route's body limit above the default (method or whole controller). */
export function BodyLimit(bytes: number): ClassDecorator & MethodDecorator {
  return ((target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) return RouteConfig({ bodyLimit: bytes })(target, key!, descriptor);
    // A controller: every handler that did not set its own (method decorators run first).
    const proto = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const method = Object.getOwnPropertyDescriptor(proto, name);
      if (name === 'constructor' || typeof method?.value !== 'function') continue;
      if (routeBodyLimit(method.value) === undefined) RouteConfig({ bodyLimit: bytes })(proto, name, method);
    }
  }) as ClassDecorator & MethodDecorator;
}

const routeBodyLimit = (handler: unknown): number | undefined =>
  (
    Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler as object) as
      { bodyLimit?: number } | undefined
  )?.bodyLimit;

export class BodyTooLargeError extends DomainError {
  constructor(limit: number, unit: 'bytes' | 'values' | 'fields') {
    super(CommonErrorCode.PayloadTooLarge, `The request body is too large (at most ${limit} ${unit}).`, {
      limit,
      unit,
    });
  }
}

export class BodyTooDeepError extends DomainError {
  constructor(limit: number) {
    super(CommonErrorCode.BodyTooDeep, `The request body is nested too deeply (at most ${limit} levels).`, {
      limit,
    });
  }
}

/**
 * One pass over the JSON bytes, outside strings: counts nesting and values. Linear, no
 * allocation, and before the bytes are even decoded (the structural characters are ASCII, and no
 * byte of a multi-byte UTF-8 sequence is below 0x80). Malformed JSON is left for the parser.
 */
export function checkJsonShape(
  bytes: Uint8Array,
  maxDepth = MAX_JSON_DEPTH,
  maxValues = MAX_JSON_VALUES,
): void {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      // { [
      if (++depth > maxDepth) throw new BodyTooDeepError(maxDepth);
      if (++values > maxValues) throw new BodyTooLargeError(maxValues, 'values');
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x2c && ++values > maxValues) throw new BodyTooLargeError(maxValues, 'values'); // ,
  }
}

type Done = (err: Error | null, body?: unknown) => void;

/**
 * A body declared at more than twice the route's limit is refused before anything else runs
 * (the request logger and Nest: this logs the refusal itself), and its connection closed unread.
 * Bodies a little over the limit are refused by Fastify's parser and drained, so a clumsy client
 * reads its 413 (see AllExceptionsFilter). Called first by the request pipeline's onRequest hook
 * (request-pipeline.ts); true when it answered.
 */
export function refuseOversizedBody(
  req: FastifyRequest,
  reply: FastifyReply,
  logRefusal: (entry: Record<string, unknown>) => void,
): boolean {
  const declared = Number(req.headers['content-length']);
  const limit = req.routeOptions?.bodyLimit ?? BODY_LIMITS.default;
  if (!(declared > 2 * limit)) return false;
  logRefusal({ msg: 'Body refused', requestId: req.id, url: req.url, declared, limit });
  void reply
    .code(413)
    .header('connection', 'close')
    .send(toErrorBody(new BodyTooLargeError(limit, 'bytes'), String(req.id)));
  return true;
}

/**
 * Installs the body parsers (JSON and forms) and per-route byte limits. Call before Nest
 * registers its routes (the limits are applied as each route is added) and its middleware.
 */
export function installBodyIntake(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const limit = (route.config as { bodyLimit?: number } | undefined)?.bodyLimit;
    if (limit) route.bodyLimit = limit;
  });

  // Fastify's own JSON parser (prototype-poisoning checks included), after the shape check.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (req: FastifyRequest, body: string | Buffer, done: Done) => {
      try {
        checkJsonShape(body as Buffer);
      } catch (e) {
        return done(e as Error);
      }
      parseJson(req, (body as Buffer).toString('utf8'), done);
    },
  );

  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req: FastifyRequest, body: string | Buffer, done: Done) => {
      const text = body as string;
      let fields = 1;
      for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
        if (++fields > MAX_FORM_FIELDS) return done(new BodyTooLargeError(MAX_FORM_FIELDS, 'fields'));
      }
      // fast-querystring makes objects without a prototype: "__proto__" is only a key there,
      // but copied onto a normal object it would replace the prototype. Refuse it, like JSON.
      const parsed = parseQueryString(text) as Record<string, unknown>;
      if (Object.hasOwn(parsed, '__proto__') || Object.hasOwn(parsed, 'constructor')) {
        return done(
          new DomainError(CommonErrorCode.MalformedBody, 'The form contains a forbidden field name.'),
        );
      }
      done(null, parsed);
    },
  );
}

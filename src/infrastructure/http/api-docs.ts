import type { INestApplication } from '@nestjs/common';
import {
  ApiExtension,
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type OperationObject,
  type ResponseObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { CommonErrorCode } from '../errors/domain-error.js';
import { documentLiveness } from '../health/liveness.js';

/** Route-specific error codes by status, read (and removed) when the document is built. */
const ERROR_CODES = 'x-error-codes';
const ERROR_BODY = 'ErrorBody';
export const ERROR_BODY_REF = `#/components/schemas/${ERROR_BODY}`;

/** The one error format (see `toErrorBody`), documented once and referenced by every error response. */
const ERROR_BODY_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'Every error answer of the API.',
  properties: {
    statusCode: { type: 'integer', example: 404, description: 'The HTTP status again' },
    code: {
      type: 'string',
      example: 'CERT_CERTIFICATE_NOT_FOUND',
      description: 'Stable machine-readable reason; each response lists the codes it can carry',
    },
    message: { type: 'string', description: 'For developers, in English' },
    requestId: {
      type: 'string',
      description: 'Also in the x-request-id header: quote it when reporting a problem',
    },
    details: {
      type: 'object',
      additionalProperties: true,
      description:
        'Facts particular to the code, e.g. `fields` (VALIDATION_FAILED: each field with its problems), `limit` (BODY_TOO_DEEP, PAYLOAD_TOO_LARGE), `retryAfterSeconds` (RATE_LIMITED, SERVICE_UNAVAILABLE), `missing` (CERT_NOT_ELIGIBLE)',
    },
  },
  required: ['statusCode', 'code', 'message', 'requestId'],
  additionalProperties: false,
};

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } },
};

/**
 * Documents the errors particular to a route (the ones its services throw), by status, with their
 * codes: `@ApiErrors({ 404: [CertificationErrorCode.ProgrammeNotFound], 409: [...] })`. Errors every
 * route of a kind can answer (validation, sign-in, CSRF, overload) are added by `documentErrors`;
 * one `@ApiErrors` per route.
 */
export const ApiErrors = (errors: Record<number, readonly string[]>) => ApiExtension(ERROR_CODES, errors);

interface Reason {
  code?: string;
  why: string;
}

type Operation = OperationObject & { [ERROR_CODES]?: Record<string, string[]> };

const WRITES = new Set(['post', 'put', 'patch', 'delete']);

/**
 * The errors an operation can answer because of what it is, whatever its service does: the auth
 * guard, the CSRF hook, the body parser and validation pipe, and a stalled backing service.
 */
function genericErrors(method: string, path: string, op: Operation): Map<number, Reason[]> {
  const params = (op.parameters ?? []) as { in?: string }[];
  const hasBody = !!op.requestBody;
  const pathParams = params.some((p) => p.in === 'path');
  const signedIn = (op.security ?? []).length > 0;
  const errors = new Map<number, Reason[]>();
  const add = (status: number, ...reasons: Reason[]) =>
    errors.set(status, [...(errors.get(status) ?? []), ...reasons]);

  if (hasBody || params.length > 0) {
    add(400, {
      code: CommonErrorCode.ValidationFailed,
      why: 'a value is not valid (`details.fields` names each field and its problems)',
    });
  }
  if (hasBody) {
    add(
      400,
      { code: CommonErrorCode.MalformedBody, why: 'the body cannot be parsed' },
      { code: CommonErrorCode.BodyTooDeep, why: 'the JSON body nests too deeply' },
    );
    add(413, { code: CommonErrorCode.PayloadTooLarge, why: 'the body is larger than the route accepts' });
    add(415, { code: CommonErrorCode.UnsupportedMediaType, why: 'the body is not of a documented type' });
  }
  // Public routes take a stale or invalid bearer token as anonymous: only signed-in routes answer 401.
  if (signedIn) {
    add(401, {
      code: CommonErrorCode.Unauthenticated,
      why: 'not signed in, or the access token is invalid or expired',
    });
  }
  if (WRITES.has(method) && path.startsWith('/api/')) {
    add(403, {
      code: CommonErrorCode.CsrfInvalid,
      why: 'authenticated by the portal cookie without a valid x-csrf-token header',
    });
  }
  if (pathParams) {
    add(404, { why: 'nothing at this address, or it is not yours to see' });
    add(400, { code: CommonErrorCode.MalformedUrl, why: 'a path segment is not a valid URL component' });
    add(414, { code: CommonErrorCode.MalformedUrl, why: 'a path segment is longer than 100 characters' });
  }
  if (!(method === 'get' && path === '/health/live')) {
    add(503, {
      code: CommonErrorCode.ServiceUnavailable,
      why: 'a backing service (database, queue, storage) is not answering; try again after Retry-After',
    });
  }
  return errors;
}

/** One line per reason: the code and why, as a Markdown list. */
const describe = (earlier: string | undefined, reasons: Reason[]) =>
  [earlier, ...reasons.map((r) => (r.code ? `\`${r.code}\`${r.why ? `: ${r.why}` : ''}` : r.why))]
    .filter(Boolean)
    .map((line) => `- ${line}`)
    .join('\n');

/**
 * Adds to every operation the error responses it can produce, each referencing the one
 * `ErrorBody` schema, plus a `default` for anything else (500 INTERNAL_ERROR). Responses a route
 * declares itself (e.g. the role it needs) keep their description; codes from `@ApiErrors` are
 * listed under their status. 429 and 503 document Retry-After.
 */
export function documentErrors(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, [ERROR_BODY]: ERROR_BODY_SCHEMA },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item) as [string, Operation][]) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      const errors = genericErrors(method, path, op);
      for (const [status, codes] of Object.entries(op[ERROR_CODES] ?? {})) {
        const generic = errors.get(Number(status)) ?? [];
        // A route's own codes replace the generic "nothing at this address" of its status.
        errors.set(Number(status), [
          ...codes.map((code) => ({ code, why: '' })),
          ...generic.filter((r) => r.code),
        ]);
      }
      delete op[ERROR_CODES];
      // Error responses declared by decorators (@Roles: 403) get the schema and keep their text.
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400 && !errors.has(Number(status)) && !(response as ResponseObject).content) {
          errors.set(Number(status), []);
        }
      }
      for (const [status, reasons] of [...errors.entries()].sort(([a], [b]) => a - b)) {
        const existing = op.responses[status] as ResponseObject | undefined;
        if (existing?.content && !JSON.stringify(existing.content).includes(ERROR_BODY_REF)) continue;
        op.responses[status] = {
          description: describe(existing?.description, reasons),
          ...((status === 429 || status === 503) && { headers: RETRY_AFTER }),
          content: { 'application/json': { schema: { $ref: ERROR_BODY_REF } } },
        };
      }
      op.responses.default = {
        description: 'Anything else, e.g. 500 `INTERNAL_ERROR` (logged with the request id)',
        content: { 'application/json': { schema: { $ref: ERROR_BODY_REF } } },
      };
    }
  }
  return document;
}

/** Builds the OpenAPI document and serves it at /api/docs (UI) and /api/docs-json. */
export function setupApiDocs(app: INestApplication, cookieName: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Bản Số API')
      .setDescription(
        'Bilingual micro-learning and Người bản số certification. Every error answers with the `ErrorBody` schema: `{ statusCode, code, message, requestId, details? }`; each response lists its codes.',
      )
      .setVersion('1')
      .addBearerAuth()
      .addCookieAuth(cookieName)
      .build(),
  );
  documentLiveness(document);
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item) as Operation[]) {
      // @Authenticated() on a controller and @Roles() on its method both name the schemes.
      if (op?.security) op.security = [...new Map(op.security.map((s) => [JSON.stringify(s), s])).values()];
    }
  }
  SwaggerModule.setup('api/docs', app, documentErrors(document), { jsonDocumentUrl: 'api/docs-json' });
}

import Ajv from 'ajv';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Every response the e2e tests receive from a documented path is checked against the OpenAPI
 * document the API serves: the operation (method + path template) must exist, the status must be
 * documented for it (`default` does not count), and a JSON body must validate against the
 * documented schema. Objects are closed: a field the document does not name is a mismatch.
 */

/** Paths the document covers (the UI and the document itself aside). */
const DOCUMENTED = /^\/(api\/(?!docs)|health\/|\.well-known\/)/;
const DOCUMENT_ID = 'openapi.json';

export class ApiContractError extends Error {
  override name = 'ApiContractError';
}

export interface ObservedResponse {
  method: string;
  /** As requested; the query string is ignored. */
  path: string;
  status: number;
  contentType: string | null;
  text: string;
}

type Schema = Record<string, any>;
type Operation = { responses: Record<string, { content?: Record<string, { schema?: Schema }> }> };

export interface Contract {
  document: {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Schema> };
  };
  problems(observed: ObservedResponse): string[];
}

const SCHEMA_MAPS = ['properties'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];

/**
 * OpenAPI 3.0 schema → JSON Schema (draft-07) for ajv: `nullable` becomes "or null", `$ref`s
 * point into the document, and objects that list their properties allow no others.
 */
export function toJsonSchema(schema: Schema): Schema {
  if (!schema || typeof schema !== 'object') return schema;
  const { nullable, ...out } = schema;
  if (typeof out.$ref === 'string') out.$ref = out.$ref.replace(/^#/, `${DOCUMENT_ID}#`);
  for (const key of SCHEMA_MAPS) {
    if (out[key]) {
      out[key] = Object.fromEntries(Object.entries<Schema>(out[key]).map(([k, v]) => [k, toJsonSchema(v)]));
    }
  }
  for (const key of SCHEMA_LISTS) if (out[key]) out[key] = out[key].map(toJsonSchema);
  if (out.items) out.items = toJsonSchema(out.items);
  if (out.not) out.not = toJsonSchema(out.not);
  if (out.additionalProperties && typeof out.additionalProperties === 'object') {
    out.additionalProperties = toJsonSchema(out.additionalProperties);
  }
  if (out.properties && out.additionalProperties === undefined && !SCHEMA_LISTS.some((k) => out[k])) {
    out.additionalProperties = false;
  }
  return nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

const templateRegex = (template: string) =>
  new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`);

/** Builds the checker for one document. */
export function createContract(document: Contract['document']): Contract {
  const ajv = new Ajv({
    allErrors: true,
    format: 'full',
    extendRefs: true,
    // OpenAPI's numeric and binary formats say nothing a JSON type does not.
    unknownFormats: ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password'],
  });
  ajv.addSchema(
    {
      components: {
        schemas: Object.fromEntries(
          Object.entries(document.components?.schemas ?? {}).map(([name, s]) => [name, toJsonSchema(s)]),
        ),
      },
    },
    DOCUMENT_ID,
  );
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    regex: templateRegex(template),
  }));
  const validators = new Map<string, Ajv.ValidateFunction>();

  const find = (method: string, path: string) =>
    templates
      .filter(({ template, regex }) => regex.test(path) && document.paths[template][method])
      // A literal segment wins over a parameter: /certificates/mine before /certificates/{id}.
      .sort((a, b) => a.template.split('{').length - b.template.split('{').length)[0]?.template;

  function problems({
    method: rawMethod,
    path: rawPath,
    status,
    contentType,
    text,
  }: ObservedResponse): string[] {
    const path = rawPath.split('?')[0];
    if (!DOCUMENTED.test(path)) return [];
    const head = rawMethod.toUpperCase() === 'HEAD';
    const method = head ? 'get' : rawMethod.toLowerCase();
    const template = find(method, path);
    if (!template) {
      // An unknown route: only the one error format's 404 is right.
      if (status !== 404) return [`no documented operation, yet the answer was ${status}`];
      return validate('unknown route', { $ref: '#/components/schemas/ErrorBody' }, contentType, text);
    }
    const responses = document.paths[template][method].responses;
    const documented = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
    if (!documented) {
      const listed = Object.keys(responses).filter((s) => s !== 'default');
      return [`${template}: status ${status} is not documented (documented: ${listed.join(', ')})`];
    }
    if (head) return [];
    if (!documented.content) {
      return text === ''
        ? []
        : [`${template} ${status}: documented without a body, got ${text.slice(0, 200)}`];
    }
    const essence = (contentType ?? '').split(';')[0].trim().toLowerCase();
    const media = documented.content[essence];
    if (!media) {
      return [
        `${template} ${status}: content type "${essence}" is not documented (${Object.keys(documented.content).join(', ')})`,
      ];
    }
    if (!media.schema || !/[/+]json$/.test(essence)) return [];
    return validate(`${method} ${template} ${status} ${essence}`, media.schema, contentType, text).map(
      (p) => `${template} ${status}: ${p}`,
    );
  }

  function validate(key: string, schema: Schema, contentType: string | null, text: string): string[] {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`the body is not JSON (${contentType}): ${text.slice(0, 200)}`];
    }
    let validator = validators.get(key);
    if (!validator) validators.set(key, (validator = ajv.compile(toJsonSchema(schema))));
    if (validator(body)) return [];
    return (validator.errors ?? []).slice(0, 12).map((e) => {
      const params = e.params as Record<string, unknown>;
      const extra =
        params.additionalProperty ?? params.allowedValues ?? params.missingProperty ?? params.format ?? '';
      return `body${e.dataPath} ${e.message}${extra ? ` (${JSON.stringify(extra)})` : ''}`;
    });
  }

  return { document, problems };
}

let loading: Promise<Contract> | undefined;

/**
 * The document, fetched once per test run: the first test file to need it stores it next to the
 * run's data (the run's own temporary folder), the others read it from there.
 */
export function loadContract(apiUrl: string, dataDir: string | undefined): Promise<Contract> {
  loading ??= (async () => {
    const cached = dataDir ? join(dirname(dataDir), 'openapi.json') : undefined;
    const stored = cached ? await readFile(cached, 'utf8').catch(() => undefined) : undefined;
    if (stored) return createContract(JSON.parse(stored));
    const res = await fetch(`${apiUrl}/api/docs-json`);
    if (!res.ok) throw new Error(`GET /api/docs-json answered ${res.status}`);
    const text = await res.text();
    if (cached) {
      await writeFile(`${cached}.${process.pid}`, text);
      await rename(`${cached}.${process.pid}`, cached);
    }
    return createContract(JSON.parse(text));
  })();
  return loading;
}

/** Fails the calling test when a response does not match the document. */
export async function assertDocumented(
  observed: ObservedResponse,
  where: { apiUrl: string; dataDir?: string },
): Promise<void> {
  if (!DOCUMENTED.test(observed.path.split('?')[0])) return;
  const found = (await loadContract(where.apiUrl, where.dataDir)).problems(observed);
  if (found.length > 0) {
    throw new ApiContractError(
      `${observed.method.toUpperCase()} ${observed.path} → ${observed.status} does not match the OpenAPI document:\n  ${found.join('\n  ')}`,
    );
  }
}

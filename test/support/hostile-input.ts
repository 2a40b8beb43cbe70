/**
 * Hostile input for every operation of an OpenAPI document: the cases the fuzz test
 * (test/fuzz.e2e-spec.ts) sends. Pure: no I/O, the same document and inputs give the same cases in
 * the same order. JSON bodies are built as text, so the cases can hold what `JSON.stringify` cannot
 * say (9007199254740993, 1e309, 10,000 levels of nesting) and bytes that are not UTF-8 at all.
 */

export interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  /** `POST /api/v1/auth/login` */
  key: string;
  method: string;
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  body?: { contentType: string; schema?: Schema };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as
        | {
            parameters?: Parameter[];
            requestBody?: { content?: Record<string, { schema?: Schema }> };
          }
        | undefined;
      if (!op) continue;
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const contentType = Object.keys(content)[0];
      ops.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        body: contentType ? { contentType, schema: content[contentType].schema } : undefined,
      });
    }
  }
  return ops;
}

/** Follows `$ref`s and merges `allOf`, so callers see one plain schema. */
export function resolveSchema(doc: OpenApiDocument, schema: Schema | undefined, depth = 0): Schema {
  if (!schema || depth > 20) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const { $ref: _ref, ...rest } = schema;
    return { ...resolveSchema(doc, doc.components?.schemas?.[name], depth + 1), ...rest };
  }
  if (schema.allOf) {
    const { allOf, ...rest } = schema;
    const merged = allOf.reduce<Schema>((acc, s) => {
      const r = resolveSchema(doc, s, depth + 1);
      return { ...acc, ...r, properties: { ...acc.properties, ...r.properties } };
    }, {});
    return { ...merged, ...rest, properties: { ...merged.properties, ...rest.properties } };
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------
// Values. A JSON value is its text (or, for bytes that are not UTF-8, a Buffer of the raw bytes).

export type JsonText = string | Buffer;
interface Hostile {
  label: string;
  json: JsonText;
}

const KB = 1024;
const repeat = (s: string, n: number) => s.repeat(n);
const jsonString = (s: string) => JSON.stringify(s);
const text = (label: string, json: JsonText): Hostile => ({ label, json });

const DEEP_ARRAY = repeat('[', 10_000) + repeat(']', 10_000);
const DEEP_OBJECT = repeat('{"a":', 1000) + '1' + repeat('}', 1000);
/** A string whose UTF-8 bytes are not UTF-8: a CESU-encoded lone surrogate and a 0xFF byte. */
const INVALID_UTF8 = Buffer.concat([
  Buffer.from('"a'),
  Buffer.from([0xed, 0xa0, 0x80, 0xff]),
  Buffer.from('b"'),
]);

const SHAPES: Hostile[] = [
  text('null', 'null'),
  text('true', 'true'),
  text('[]', '[]'),
  text('{}', '{}'),
  text('[{}]', '[{}]'),
  text('{"a":1}', '{"a":1}'),
  text('array nested 10,000 deep', DEEP_ARRAY),
  text('object nested 1,000 deep', DEEP_OBJECT),
];

const STRINGS: Hostile[] = [
  text('number 12345', '12345'),
  text('empty string', '""'),
  text('string with NUL', jsonString('a\u0000b')),
  text('C0 controls', jsonString('a\u0001\u0007\b\u000b\u001b\u001fb')),
  text('lone surrogate \\ud800', '"a\\ud800b"'),
  text('bytes that are not UTF-8', INVALID_UTF8),
  text('10 KB string', jsonString(repeat('a', 10 * KB))),
  text('100 KB string', jsonString(repeat('ả', 50 * KB))), // 2 bytes each in UTF-8
];

const IDS: Hostile[] = [
  text('UUID with a G', '"00000000-0000-0000-0000-00000000000G"'),
  text('nil UUID', '"00000000-0000-0000-0000-000000000000"'),
];

const NUMBERS: Hostile[] = [
  text('string "abc"', '"abc"'),
  text('numeric string "12"', '"12"'),
  text('2147483648', '2147483648'),
  text('-2147483649', '-2147483649'),
  text('1e308', '1e308'),
  text('1e309 (Infinity)', '1e309'),
  text('9007199254740993', '9007199254740993'),
  text('-1', '-1'),
  text('1.5', '1.5'),
];

const BOOLEANS: Hostile[] = [text('string "true"', '"true"'), text('number 1', '1')];

const DATES: Hostile[] = [
  text('date 2026-02-30', '"2026-02-30"'),
  text('date in year 0', '"0000-01-01T00:00:00Z"'),
  text('date in year +275760', '"+275760-09-13T00:00:00.000Z"'),
  text('date with offset +99:00', '"2026-11-29T08:15:00+99:00"'),
];

type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'unknown';

function kindOf(schema: Schema, base: unknown): Kind {
  const t = schema.type;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'array' || t === 'object') return t;
  if (t === 'integer') return 'number';
  if (schema.properties) return 'object';
  if (typeof base === 'string' || typeof base === 'number' || typeof base === 'boolean') {
    return typeof base as Kind;
  }
  if (Array.isArray(base)) return 'array';
  if (base && typeof base === 'object') return 'object';
  return 'unknown';
}

const looksLikeDate = (name: string, schema: Schema, base: unknown) =>
  schema.format === 'date' ||
  schema.format === 'date-time' ||
  /^(at|.*On|.*At)$/.test(name) ||
  (typeof (schema.example ?? base) === 'string' && /^\d{4}-\d{2}-\d{2}/.test(String(schema.example ?? base)));

const looksLikeId = (name: string, schema: Schema, base: unknown) =>
  schema.format === 'uuid' ||
  /(^id|Id|Ids)$/.test(name) ||
  (typeof base === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(base));

/** The hostile values for one JSON field, by what the field expects. */
function valuesFor(name: string, schema: Schema, base: unknown): Hostile[] {
  const kind = kindOf(schema, base);
  const out = [...SHAPES];
  if (kind !== 'string') out.push(text('string "fuzz"', '"fuzz"'));
  if (kind === 'string' || kind === 'unknown') out.push(...STRINGS);
  if (kind === 'string' && looksLikeId(name, schema, base)) out.push(...IDS);
  if (kind === 'string' && schema.enum) out.push(text('value outside the enum', '"not-in-the-enum"'));
  if (kind === 'string' && looksLikeDate(name, schema, base)) out.push(...DATES);
  if (kind === 'number' || kind === 'unknown') out.push(...NUMBERS);
  if (kind === 'boolean') out.push(...BOOLEANS);
  if (kind === 'array') {
    out.push(text('array-like object', '{"0":"a","length":1}'));
    out.push(text('10,000 zeros', `[${Array(10_000).fill('0').join(',')}]`));
    const item = JSON.stringify(Array.isArray(base) && base.length > 0 ? base[0] : 'a');
    const copies = Math.max(2, Math.min(1000, Math.floor((256 * KB) / (item.length + 1))));
    out.push(text(`${copies} copies of an item`, `[${Array(copies).fill(item).join(',')}]`));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fields: every property the schema names or the base value holds, depth first; arrays by their
// first item (the items are alike).

type FieldPath = (string | number)[];
interface Field {
  path: FieldPath;
  schema: Schema;
  base: unknown;
}

function fieldsOf(doc: OpenApiDocument, schemaIn: Schema | undefined, base: unknown, path: FieldPath = []) {
  const out: Field[] = [];
  const schema = resolveSchema(doc, schemaIn);
  const kind = kindOf(schema, base);
  if (kind === 'object') {
    const obj =
      base && typeof base === 'object' && !Array.isArray(base) ? (base as Record<string, unknown>) : {};
    const names = [...new Set([...Object.keys(schema.properties ?? {}), ...Object.keys(obj)])];
    for (const name of names) {
      const child = resolveSchema(doc, schema.properties?.[name]);
      out.push({ path: [...path, name], schema: child, base: obj[name] });
      out.push(...fieldsOf(doc, child, obj[name], [...path, name]));
    }
  } else if (kind === 'array') {
    const items = resolveSchema(doc, schema.items);
    const first = Array.isArray(base) ? base[0] : undefined;
    if (first !== undefined || Object.keys(items).length > 0) {
      out.push({ path: [...path, 0], schema: items, base: first });
      out.push(...fieldsOf(doc, items, first, [...path, 0]));
    }
  }
  return out;
}

const SLOT = '\u2063fuzz-slot\u2063';
const ABSENT = Symbol('absent');

/** The base body with one field replaced by `json` (or removed): the text, or bytes if needed. */
function withField(base: unknown, path: FieldPath, json: JsonText | typeof ABSENT): JsonText {
  const copy = structuredClone(base ?? {});
  let parent: any = copy;
  path.slice(0, -1).forEach((key, i) => {
    if (parent[key] === null || typeof parent[key] !== 'object') {
      parent[key] = typeof path[i + 1] === 'number' ? [] : {};
    }
    parent = parent[key];
  });
  const last = path[path.length - 1];
  if (json === ABSENT) {
    if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else delete parent[last];
    return JSON.stringify(copy);
  }
  parent[last] = SLOT;
  const [before, after] = JSON.stringify(copy).split(JSON.stringify(SLOT));
  return typeof json === 'string'
    ? before + json + after
    : Buffer.concat([Buffer.from(before), json, Buffer.from(after)]);
}

/** The base body's text with an extra member appended to the top-level object. */
function withMember(base: unknown, member: string): string {
  const json = JSON.stringify(base ?? {});
  if (!json.startsWith('{')) return json;
  return json === '{}' ? `{${member}}` : `${json.slice(0, -1)},${member}}`;
}

const fieldLabel = (path: FieldPath) =>
  path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('') || '(body)';

// ---------------------------------------------------------------------------------------------
// URL values, already percent-encoded.

interface UrlValue {
  label: string;
  raw: string;
}
const url = (label: string, raw: string): UrlValue => ({ label, raw });

/** Values for a path segment or a query value. */
const URL_VALUES: UrlValue[] = [
  url('NUL a%00b', 'a%00b'),
  url('C0 controls', 'a%01%07%1B%1F%7Fb'),
  url('overlong NUL %C0%80', '%C0%80'),
  url('lone surrogate %ED%A0%80', '%ED%A0%80'),
  url('bad escape %', '%'),
  url('100 KB string', repeat('a', 100 * KB)),
  url('empty', ''),
  url('encoded slash', 'a%2Fb'),
  url('UUID with a G', '00000000-0000-0000-0000-00000000000G'),
  url('nil UUID', '00000000-0000-0000-0000-000000000000'),
  url('2147483648', '2147483648'),
  url('-2147483649', '-2147483649'),
  url('1e308', '1e308'),
  url('9007199254740993', '9007199254740993'),
  url('-1', '-1'),
  url('1.5', '1.5'),
  url('NaN', 'NaN'),
  url('true', 'true'),
  url('[]', '%5B%5D'),
  url('{}', '%7B%7D'),
  url('[{}]', '%5B%7B%7D%5D'),
  url('{"a":1}', '%7B%22a%22%3A1%7D'),
  url('10 KB string', repeat('a', 10 * KB)),
];

// ---------------------------------------------------------------------------------------------
// Cases.

export interface RequestSpec {
  method: string;
  /** Path and query, percent-encoded. */
  url: string;
  /** The same, with long values shortened, for people. */
  display: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface FuzzCase {
  op: Operation;
  /** What is wrong with this request, e.g. `body .names.vi = string with NUL`. */
  mutation: string;
  /** The request with every input as valid as the inputs allow (shows that real ids reach deep). */
  baseline: boolean;
  /**
   * Valid JSON with one unknown property: answered 400 by validation if the caller got past the
   * guards, 401/403 if not.
   */
  probe: boolean;
  /** Brings its own credentials (headers): sent once, without the caller's. */
  ownCredentials: boolean;
  /** Built when sent: some bodies are a megabyte. */
  build(seq: number): RequestSpec;
}

/** Real values for an operation's inputs, from the running platform. */
export interface Inputs {
  /** A real value for a path parameter (unencoded). */
  pathValue(op: Operation, name: string): string;
  /** A real value for a query parameter; required ones are always sent. */
  queryValue(op: Operation, name: string): string | undefined;
  /** A valid body (JSON value, or the text of a text body); `seq` makes unique values unique. */
  body(op: Operation, seq: number): unknown;
}

const shorten = (s: string) => (s.length > 60 ? `${s.slice(0, 24)}…[${s.length} chars]` : s);

const JSON_TYPE = 'application/json';

/** Every case for one operation, in a fixed order. */
export function casesFor(doc: OpenApiDocument, op: Operation, inputs: Inputs): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const add = (
    mutation: string,
    build: (seq: number) => RequestSpec,
    flags: { baseline?: boolean; probe?: boolean; ownCredentials?: boolean } = {},
  ) =>
    cases.push({
      op,
      mutation,
      build,
      baseline: !!flags.baseline,
      probe: !!flags.probe,
      ownCredentials: !!flags.ownCredentials,
    });
  const isJson = !!op.body && op.body.contentType.startsWith(JSON_TYPE);
  const isText = !!op.body && !isJson;

  const baseQuery = (except?: string): [string, string][] =>
    op.queryParams
      .filter((q) => q.required && q.name !== except)
      .map((q) => {
        const value = inputs.queryValue(op, q.name);
        if (value === undefined) throw new Error(`${op.key}: no value for the required query ${q.name}`);
        return [q.name, encodeURIComponent(value)];
      });

  /** The request with valid inputs, then `over` changed. */
  const request = (
    seq: number,
    over: {
      path?: Record<string, string>;
      query?: [string, string | null][];
      body?: string | Buffer | null;
      contentType?: string;
      headers?: Record<string, string>;
    } = {},
  ): RequestSpec => {
    let url = op.path;
    let display = op.path;
    for (const p of op.pathParams) {
      const raw = over.path?.[p.name] ?? encodeURIComponent(inputs.pathValue(op, p.name));
      url = url.replace(`{${p.name}}`, raw);
      display = display.replace(`{${p.name}}`, shorten(raw));
    }
    const query = over.query ?? baseQuery();
    if (query.length > 0) {
      url += '?' + query.map(([k, v]) => (v === null ? k : `${k}=${v}`)).join('&');
      display += '?' + shorten(query.map(([k, v]) => (v === null ? k : `${k}=${shorten(v)}`)).join('&'));
    }
    let body: string | Buffer | undefined;
    if (over.body !== undefined) body = over.body ?? undefined;
    else if (isJson) body = JSON.stringify(inputs.body(op, seq));
    else if (isText) body = String(inputs.body(op, seq));
    const headers: Record<string, string> = { ...over.headers };
    if (body !== undefined) headers['content-type'] = over.contentType ?? op.body?.contentType ?? JSON_TYPE;
    return { method: op.method, url, display, headers, body };
  };

  add('(valid inputs)', (seq) => request(seq), { baseline: true });

  for (const p of op.pathParams) {
    for (const v of URL_VALUES) {
      add(`path ${p.name} = ${v.label}`, (seq) => request(seq, { path: { [p.name]: v.raw } }));
    }
  }

  for (const q of op.queryParams) {
    const real = encodeURIComponent(inputs.queryValue(op, q.name) ?? 'a');
    const withQuery = (pairs: [string, string | null][]) => (seq: number) =>
      request(seq, { query: [...baseQuery(q.name), ...pairs] });
    for (const v of URL_VALUES) add(`query ${q.name} = ${v.label}`, withQuery([[q.name, v.raw]]));
    add(
      `query ${q.name} twice`,
      withQuery([
        [q.name, real],
        [q.name, real],
      ]),
    );
    add(`query ${q.name} 100 times`, withQuery(Array.from({ length: 100 }, () => [q.name, real])));
    add(`query ${q.name}[]`, withQuery([[`${q.name}%5B%5D`, real]]));
    add(`query ${q.name}[a]`, withQuery([[`${q.name}%5Ba%5D`, real]]));
    add(`query ${q.name} without a value`, withQuery([[q.name, null]]));
  }

  // Query parameters no operation takes, on every operation.
  const unknownQuery: [string, [string, string | null][]][] = [
    ['unknown query parameter', [['fuzzUnknown', '1']]],
    ['unknown query parameter with NUL', [['fuzzUnknown', 'a%00b']]],
    ['query __proto__', [['__proto__', 'x']]],
    ['query constructor[prototype]', [['constructor%5Bprototype%5D', 'x']]],
    ['query of 100 KB', [['fuzzUnknown', repeat('a', 100 * KB)]]],
    ['query with a bad escape', [['fuzzUnknown', '%']]],
    ['1,000 query parameters', Array.from({ length: 1000 }, (_, i) => [`p${i}`, '1'] as [string, string])],
  ];
  for (const [label, pairs] of unknownQuery) {
    add(label, (seq) => request(seq, { query: [...baseQuery(), ...pairs] }));
  }

  // Headers every operation reads: the credentials (before any guard) and the reader's languages.
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: '00000000-0000-4000-8000-000000000000', roles: [{ role: 'admin' }] })}.`;
  const credentials: [string, Record<string, string>][] = [
    ['authorization that is not a token', { authorization: 'Bearer not-a-token' }],
    ['authorization of 10 KB', { authorization: `Bearer ${repeat('a', 10 * KB)}` }],
    ['unsigned token (alg none) claiming admin', { authorization: `Bearer ${unsigned}` }],
    ['authorization Basic', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
    ['session cookie that is not one', { cookie: 'bs_session=not-a-session; bs_session=%00' }],
    ['session cookie of 10 KB', { cookie: `bs_session=s%3A${repeat('a', 10 * KB)}` }],
  ];
  for (const [label, headers] of credentials) {
    add(label, (seq) => request(seq, { headers }), { ownCredentials: true });
  }
  add('accept-language that is not one', (seq) =>
    request(seq, { headers: { 'accept-language': `*;q=abc, xx-YYYY-ZZZZ;q=2, ${repeat('hmn,', 500)}` } }),
  );
  add('accept: text/html', (seq) => request(seq, { headers: { accept: 'text/html' } }));

  if (isJson) {
    const json = (seq: number) => JSON.stringify(inputs.body(op, seq));
    const member = (m: string) => (seq: number) =>
      request(seq, { body: withMember(inputs.body(op, seq), m) });
    const raw = (body: string | Buffer | null, contentType?: string) => (seq: number) =>
      request(seq, { body, contentType });
    add('body with an unknown property', member('"fuzzUnknown":1'), { probe: true });
    add('no body', raw(null));
    add('empty body', raw(''));
    for (const s of SHAPES) add(`body = ${s.label}`, raw(s.json));
    add('body = "a string"', raw('"a string"'));
    add('body = 12345', raw('12345'));
    add('body with __proto__', member('"__proto__":{"isAdmin":true,"roles":["admin"]}'));
    add('body with constructor.prototype', member('"constructor":{"prototype":{"isAdmin":true}}'));
    add('body of 1 MB', member(`"fuzzPadding":"${repeat('a', 1024 * KB)}"`));
    add('non-JSON body (truncated)', raw('{"a":'));
    add('non-JSON body (words)', raw('not json at all'));
    add('non-JSON body (single quotes)', raw("{'a':1}"));
    add('JSON with a raw NUL byte', raw('{"a":"x\u0000y"}'));
    add('JSON body as text/plain', (seq) => request(seq, { body: json(seq), contentType: 'text/plain' }));
    add('form-urlencoded body', raw('a=1&b=%00', 'application/x-www-form-urlencoded'));
    add(
      'multipart body',
      raw(
        '--fuzz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--fuzz--\r\n',
        'multipart/form-data; boundary=fuzz',
      ),
    );
    add('JSON in UTF-16', (seq) =>
      request(seq, {
        body: Buffer.from(json(seq), 'utf16le'),
        contentType: 'application/json; charset=utf-16le',
      }),
    );
    add('content-type application/xml', raw('<a>1</a>', 'application/xml'));

    for (const field of fieldsOf(doc, op.body!.schema, inputs.body(op, 0))) {
      const name = String(field.path.filter((p) => typeof p === 'string').pop() ?? '');
      const where = `body ${fieldLabel(field.path)}`;
      const set = (value: JsonText | typeof ABSENT) => (seq: number) =>
        request(seq, { body: withField(inputs.body(op, seq), field.path, value) });
      add(`${where} absent`, set(ABSENT));
      for (const v of valuesFor(name, field.schema, field.base)) add(`${where} = ${v.label}`, set(v.json));
      if (kindOf(field.schema, field.base) === 'object') {
        add(
          `${where} with an unknown property`,
          set(JSON.stringify({ ...(field.base ?? {}), fuzzUnknown: 1 })),
        );
      }
    }
  } else if (isText) {
    const valid = String(inputs.body(op, 0));
    const texts: [string, string | Buffer | null, string?][] = [
      ['no body', null],
      ['empty body', ''],
      ['not WebVTT', 'not a subtitle file'],
      ['NUL in a cue', `${valid}a\u0000b\n`],
      ['C0 controls in a cue', `${valid}a\u0001\u001b\u001fb\n`],
      [
        'bytes that are not UTF-8',
        Buffer.concat([Buffer.from(valid), Buffer.from([0xed, 0xa0, 0x80, 0xff, 0x0a])]),
      ],
      ['timestamps past int32', 'WEBVTT\n\n9999999999:00:00.000 --> 9999999999:00:01.000\na\n'],
      ['timestamps in the wrong order', 'WEBVTT\n\n00:00:09.000 --> 00:00:01.000\na\n'],
      [
        '20,000 cues',
        'WEBVTT\n\n' +
          Array.from(
            { length: 20_000 },
            (_, i) => `00:00:${String(i % 60).padStart(2, '0')}.000 --> 00:00:59.000\nx`,
          ).join('\n\n'),
      ],
      ['one 100 KB cue', `WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n${repeat('a', 100 * KB)}\n`],
      ['body of 1 MB', `WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n${repeat('a', 1024 * KB)}\n`],
      ['array nested 10,000 deep as application/json', DEEP_ARRAY, JSON_TYPE],
      ['JSON body', '{"a":1}', JSON_TYPE],
      ['non-JSON body as application/json', 'not json', JSON_TYPE],
      ['content-type text/plain', valid, 'text/plain'],
    ];
    for (const [label, body, contentType] of texts) add(label, (seq) => request(seq, { body, contentType }));
  } else if (op.method !== 'GET') {
    // No body in the document: a client may still send one.
    const extra: [string, string, string][] = [
      ['body {"a":1}', '{"a":1}', JSON_TYPE],
      ['empty body', '', JSON_TYPE],
      ['non-JSON body', 'not json', JSON_TYPE],
      ['body = array nested 10,000 deep', DEEP_ARRAY, JSON_TYPE],
      ['body = object nested 1,000 deep', DEEP_OBJECT, JSON_TYPE],
      ['body of 1 MB', `{"a":"${repeat('a', 1024 * KB)}"}`, JSON_TYPE],
      ['text/plain body', 'a', 'text/plain'],
    ];
    for (const [label, body, contentType] of extra) {
      add(label, (seq) => request(seq, { body, contentType }));
    }
  }
  return cases;
}

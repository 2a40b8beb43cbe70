import { api, apiUrl, testEnv } from './support/api.js';
import {
  ApiContractError,
  assertDocumented,
  loadContract,
  type Contract,
} from './support/openapi-contract.js';
import { registerLearner } from './factories/user.factory.js';

const ERROR_BODY = '#/components/schemas/ErrorBody';

/** Every operation of the document, with its method and path. */
function operations(doc: Contract['document']) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries<any>(item).map(([method, op]) => ({ method, path, op })),
  );
}

/** Follows `$ref`s into the components. */
function resolve(doc: Contract['document'], schema: any): any {
  return schema?.$ref ? resolve(doc, doc.components.schemas[schema.$ref.split('/').pop()]) : schema;
}

describe('OpenAPI: the API matches its documentation', () => {
  let contract: Contract;
  let doc: Contract['document'];

  beforeAll(async () => {
    contract = await loadContract(apiUrl(), testEnv().DATA_DIR);
    doc = contract.document;
  });

  it('documents a schema for every JSON success, arrays as arrays', () => {
    const problems: string[] = [];
    for (const { method, path, op } of operations(doc)) {
      for (const [status, response] of Object.entries<any>(op.responses)) {
        if (!status.startsWith('2') || status === '204') continue;
        const media = response.content?.['application/json'];
        if (!media && response.content) continue; // text/vtt subtitles
        const schema = resolve(doc, media?.schema);
        if (!schema) problems.push(`${method} ${path} ${status}: no schema`);
        else if (schema.type === 'object' && !schema.properties && !schema.additionalProperties)
          problems.push(`${method} ${path} ${status}: an object of unknown shape`);
        else if (schema.type === 'array' && !resolve(doc, schema.items)?.properties)
          problems.push(`${method} ${path} ${status}: an array of unknown items`);
      }
    }
    expect(problems).toEqual([]);
    // The lists named in the issue are arrays, not `{ type: object }`.
    for (const path of [
      '/api/v1/certificates/mine',
      '/api/v1/certification/mentoring-records',
      '/api/v1/certification/programmes',
    ]) {
      expect(doc.paths[path].get.responses['200'].content!['application/json'].schema).toMatchObject({
        type: 'array',
      });
    }
  });

  it('documents the success statuses the routes answer with', () => {
    const statuses = (path: string, method = 'post') =>
      Object.keys(doc.paths[path][method].responses).filter((s) => s.startsWith('2'));
    expect(statuses('/api/v1/authoring/courses')).toEqual(['201']);
    expect(statuses('/api/v1/authoring/courses/{courseId}/draft/lessons')).toEqual(['201']);
    expect(statuses('/api/v1/media/{id}/confirm')).toEqual(['202']);
    expect(statuses('/api/v1/progress/enrolments').sort()).toEqual(['200', '201']);
  });

  it('answers every error with the one ErrorBody schema, listing 503 with Retry-After everywhere but liveness', () => {
    expect(doc.components.schemas.ErrorBody).toMatchObject({
      required: ['statusCode', 'code', 'message', 'requestId'],
      properties: { details: { type: 'object' } },
    });
    const problems: string[] = [];
    for (const { method, path, op } of operations(doc)) {
      for (const [status, response] of Object.entries<any>(op.responses)) {
        if (!(status === 'default' || Number(status) >= 400)) continue;
        if (path === '/health/ready' && status === '503') continue; // the readiness report itself
        if (response.content?.['application/json']?.schema?.$ref !== ERROR_BODY)
          problems.push(`${method} ${path} ${status}: not ErrorBody`);
      }
      const unavailable = op.responses['503'];
      const live = method === 'get' && path === '/health/live';
      const report = method === 'get' && path === '/health/ready'; // answers its report, not an error
      if (live === !!unavailable) problems.push(`${method} ${path}: 503 ${live ? 'listed' : 'missing'}`);
      if (unavailable && !report && !unavailable.headers?.['Retry-After'])
        problems.push(`${method} ${path}: no Retry-After`);
      // 401 where a signed-in user is needed; public routes take a stale token as anonymous.
      const signedIn = (op.security ?? []).length > 0;
      if (signedIn && !op.responses['401']) problems.push(`${method} ${path}: no 401`);
    }
    expect(problems).toEqual([]);
    // Structural errors follow from the operation; a route's own errors list their codes.
    const apply = doc.paths['/api/v1/certification/applications'].post.responses;
    expect(Object.keys(apply)).toEqual(
      expect.arrayContaining(['400', '401', '403', '404', '409', '413', '415', '503', 'default']),
    );
    expect(apply['409'].content).toBeDefined();
    expect((apply['409'] as any).description).toContain('CERT_NOT_ELIGIBLE');
    expect(Object.keys(doc.paths['/api/v1/auth/login'].post.responses)).toContain('429');
    expect(doc.paths['/api/v1/courses'].get.responses['401']).toBeUndefined();
    expect(
      (doc.paths['/api/v1/verify/{code}'].get.responses['429'] as any).headers['Retry-After'],
    ).toBeDefined();
  });

  it('fails a response whose status is not documented for its operation', async () => {
    const teapot = {
      method: 'GET',
      path: '/api/v1/certificates/mine',
      status: 418,
      contentType: 'application/json',
      text: '{}',
    };
    expect(contract.problems(teapot)).toEqual([
      expect.stringMatching(/\/api\/v1\/certificates\/mine: status 418 is not documented/),
    ]);
    await expect(assertDocumented(teapot, { apiUrl: apiUrl() })).rejects.toThrow(
      /GET \/api\/v1\/certificates\/mine → 418 does not match the OpenAPI document/,
    );
    await expect(assertDocumented(teapot, { apiUrl: apiUrl() })).rejects.toBeInstanceOf(ApiContractError);
    // A `default` response does not document a status; neither does an unknown route's 200.
    expect(contract.problems({ ...teapot, status: 500, text: '{}' })).toHaveLength(1);
    expect(contract.problems({ ...teapot, path: '/api/v1/nowhere', status: 200 })).toHaveLength(1);
  });

  it('fails a body of the wrong shape: array, missing field, bad enum, unexpected null, unknown field', async () => {
    const learner = await registerLearner({ languages: ['hmn', 'vi'] });
    const me = await api('/api/v1/me', { token: learner.accessToken });
    const ok = { method: 'GET', path: '/api/v1/me', status: 200, contentType: 'application/json' };
    expect(contract.problems({ ...ok, text: me.text })).toEqual([]);

    const wrong = (body: unknown) => contract.problems({ ...ok, text: JSON.stringify(body) }).join('\n');
    expect(wrong([me.body])).toMatch(/body should be object/);
    const { displayName: _, ...nameless } = me.body;
    expect(wrong(nameless)).toMatch(/should have required property 'displayName'/);
    expect(wrong({ ...me.body, roles: [{ role: 'wizard', localityId: null }] })).toMatch(
      /body\.roles\[0\]\.role should be equal to one of the allowed values/,
    );
    expect(wrong({ ...me.body, displayName: null })).toMatch(/body\.displayName should be string/);
    expect(wrong({ ...me.body, createdAt: 'yesterday' })).toMatch(
      /body\.createdAt should match format "date-time"/,
    );
    expect(wrong({ ...me.body, passwordHash: 'x' })).toMatch(
      /should NOT have additional properties \("passwordHash"\)/,
    );
    // Nullable fields take null, and an error answer must be the ErrorBody.
    expect(wrong({ ...me.body, villageId: null, email: null })).toBe('');
    const error = { ...ok, status: 401, text: JSON.stringify({ statusCode: 401, code: 'X', message: 'm' }) };
    expect(contract.problems(error).join('\n')).toMatch(/should have required property 'requestId'/);
  });

  it('checks the answers of certification and verification routes the suite receives', async () => {
    const learner = await registerLearner();
    // Each call goes through api(), which throws on a mismatch; these bodies are arrays.
    for (const path of [
      '/api/v1/certificates/mine',
      '/api/v1/certification/mentoring-records',
      '/api/v1/certification/programmes',
      '/api/v1/certification/applications/mine',
    ]) {
      const res = await api(path, { token: learner.accessToken });
      expect([res.status, Array.isArray(res.body)]).toEqual([200, true]);
    }
    const did = await api('/.well-known/did.json');
    expect(did.body.verificationMethod.length).toBeGreaterThan(0);
    expect((await api('/.well-known/issuer.json')).body).toMatchObject({
      id: did.body.id,
      type: ['Profile'],
    });
  });
});

import { api, expectError } from './support/api.js';

describe('health, errors and HTTP hygiene', () => {
  it('answers /health/live and /health/ready with every backing service up', async () => {
    expect((await api('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await api('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      database: { status: 'up' },
      queue: { status: 'up' },
      storage: { status: 'up' },
    });
  });

  it('carries a request id: echoes a well-formed incoming one, makes one otherwise', async () => {
    const given = await api('/health/live', { headers: { 'x-request-id': 'lb-req-12345678' } });
    expect(given.headers.get('x-request-id')).toBe('lb-req-12345678');
    const made = await api('/health/live', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes, malformed JSON and oversized bodies in the one error format', async () => {
    const notFound = await api('/api/v1/nothing-here');
    expectError(notFound, 404, 'NOT_FOUND');
    expect(notFound.body.requestId).toBe(notFound.headers.get('x-request-id'));

    expectError(await api('/api/v1/auth/login', { body: '{"identifier":' }), 400, 'MALFORMED_BODY');
    const huge = JSON.stringify({ identifier: 'x', password: 'y'.repeat(2 * 1024 * 1024) });
    expectError(await api('/api/v1/auth/login', { body: huge }), 413, 'PAYLOAD_TOO_LARGE');
    expectError(
      await api('/api/v1/auth/login', { body: 'identifier=x', headers: { 'content-type': 'text/csv' } }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('reports validation problems as 400 VALIDATION_FAILED naming the fields', async () => {
    const res = await api('/api/v1/auth/register', { body: { displayName: '', password: 5, extra: true } });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.message).toMatch(/extra should not exist/);
    expect(res.body.message).toMatch(/displayName/);
    expect(res.body.details.problems.length).toBeGreaterThan(1);
  });

  it('sends security headers with a CSP that allows only our own scripts', async () => {
    const res = await api('/');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses cross-origin browser requests unless CORS_ORIGINS allows them', async () => {
    const res = await api('/api/v1/learner-groups', { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('compresses responses for weak networks', async () => {
    const res = await fetch(`${process.env.BANSO_TEST_API_URL}/api/v1/localities?pageSize=100`, {
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(['br', 'gzip']).toContain(res.headers.get('content-encoding'));
  });
});

describe('OpenAPI', () => {
  it('serves the UI at /api/docs and the document at /api/docs-json', async () => {
    const ui = await api('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toContain('text/html');
    const doc = await api('/api/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
  });

  it('documents every API route with a summary, its request DTO and its response', async () => {
    const doc = (await api('/api/docs-json')).body;
    const paths = Object.keys(doc.paths);
    for (const expected of [
      '/api/v1/auth/register',
      '/api/v1/auth/login',
      '/api/v1/auth/refresh',
      '/api/v1/auth/logout',
      '/api/v1/me',
      '/api/v1/admin/users/{id}/roles',
      '/api/v1/localities',
      '/api/v1/localities/{id}',
      '/api/v1/learner-groups',
      '/health/ready',
    ]) {
      expect(paths).toContain(expected);
    }
    const problems: string[] = [];
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        if (!op.summary) problems.push(`${method} ${path}: no summary`);
        if (!op.responses || Object.keys(op.responses).length === 0)
          problems.push(`${method} ${path}: no responses`);
        const ok = Object.entries<any>(op.responses ?? {}).find(([code]) => code.startsWith('2'));
        if (ok && ok[0] !== '204' && !ok[1].content) problems.push(`${method} ${path}: no response schema`);
        // Actions that take no input (submit, publish, archive, …) are POSTs without a body.
        const action =
          /\/(logout|submit|drafts|withdraw|publish|archive|unarchive|confirm|reprocess|rotate)$/.test(path);
        if (['post', 'put', 'patch'].includes(method) && !action && !op.requestBody) {
          problems.push(`${method} ${path}: no request body DTO`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(JSON.stringify(doc.components.schemas)).not.toMatch(/passwordHash/);
  });
});

import { assertDocumented } from './openapi-contract.js';

/**
 * A small HTTP client for the e2e tests: real requests to the running API process. Every answer
 * from a documented path is checked against the OpenAPI document (see openapi-contract.ts).
 */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export function apiUrl(): string {
  const url = process.env.BANSO_TEST_API_URL;
  if (!url) throw new Error('BANSO_TEST_API_URL is not set: run the e2e tests through jest (global setup)');
  return url;
}

export function testEnv(): Record<string, string> {
  return JSON.parse(process.env.BANSO_TEST_ENV ?? '{}');
}

export async function api<T = any>(
  path: string,
  options: {
    method?: string;
    body?: unknown;
    token?: string;
    headers?: Record<string, string>;
    base?: string;
  } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const res = await fetch(`${options.base ?? apiUrl()}${path}`, {
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
    redirect: 'manual',
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  await assertDocumented(
    { method, path, status: res.status, contentType: res.headers.get('content-type'), text },
    { apiUrl: apiUrl(), dataDir: testEnv().DATA_DIR },
  );
  return { status: res.status, body, text, headers: res.headers };
}

/** Asserts the platform's error format. */
export function expectError(res: ApiResponse, status: number, code?: string): void {
  if (res.status !== status || (code && res.body?.code !== code)) {
    throw new Error(
      `Expected ${status}${code ? ` ${code}` : ''}, got ${res.status}: ${res.text.slice(0, 500)}`,
    );
  }
  expect(res.body).toEqual(
    expect.objectContaining({
      statusCode: status,
      code: expect.any(String),
      message: expect.any(String),
      requestId: expect.any(String),
    }),
  );
  expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/); // never a stack trace
}

import type { IncomingMessage } from 'node:http';
import { generateRequestId, nextRequestId } from './request-id.js';

const request = (headers: Record<string, string> = {}) => ({ headers }) as unknown as IncomingMessage;

describe('request ids', () => {
  it('are distinct, well-formed and share the process prefix', () => {
    const ids = Array.from({ length: 10_000 }, nextRequestId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^[A-Za-z0-9_-]{12}-[0-9a-z]+$/);
    expect(new Set(ids.map((id) => id.split('-').slice(0, -1).join('-'))).size).toBe(1);
  });

  it('keep a well-formed incoming id and replace a malformed one', () => {
    expect(generateRequestId(request({ 'x-request-id': 'lb-req-12345678' }))).toBe('lb-req-12345678');
    const made = generateRequestId(request({ 'x-request-id': 'bad id with spaces' }));
    expect(made).not.toBe('bad id with spaces');
    expect(made).toMatch(/^[A-Za-z0-9._:-]{8,64}$/);
  });
});

import { dataAnswerHeaders, securityHeaders } from './security-headers.js';

describe('securityHeaders', () => {
  it("computes helmet's headers once, CSP included", () => {
    const headers = securityHeaders({
      hsts: false,
      contentSecurityPolicy: {
        directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], objectSrc: ["'none'"] },
      },
    });
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("object-src 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['strict-transport-security']).toBeUndefined();
  });
});

describe('securityHeaders over https', () => {
  it('adds HSTS when the public address is https', () => {
    const headers = securityHeaders({ hsts: { maxAge: 31_536_000, includeSubDomains: true } });
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('dataAnswerHeaders', () => {
  it('keeps HSTS and nosniff, and allows nothing to load', () => {
    const document = securityHeaders({ hsts: { maxAge: 31_536_000 } });
    const data = dataAnswerHeaders(document);
    expect(data['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(data['strict-transport-security']).toBe(document['strict-transport-security']);
    expect(data['x-content-type-options']).toBe('nosniff');
    expect(dataAnswerHeaders(securityHeaders({ hsts: false }))['strict-transport-security']).toBeUndefined();
  });
});

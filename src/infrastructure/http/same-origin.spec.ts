import { isSameOriginRequest } from './same-origin.js';

describe('isSameOriginRequest', () => {
  const allowed = ['https://banso.laocai.gov.vn'];

  it('accepts our public origin, the request host, and same-origin fetches without Origin', () => {
    expect(isSameOriginRequest({ origin: 'https://banso.laocai.gov.vn' }, allowed, 'https')).toBe(true);
    expect(
      isSameOriginRequest({ origin: 'http://10.0.0.5:3000', host: '10.0.0.5:3000' }, allowed, 'http'),
    ).toBe(true);
    expect(isSameOriginRequest({ 'sec-fetch-site': 'same-origin' }, allowed, 'https')).toBe(true);
  });

  it('accepts bearer-authenticated clients, which browsers cannot forge', () => {
    expect(isSameOriginRequest({ authorization: 'Bearer x' }, allowed, 'https')).toBe(true);
  });

  it('refuses other origins, opaque origins and requests that say nothing', () => {
    expect(
      isSameOriginRequest({ origin: 'https://evil.example', host: 'banso.laocai.gov.vn' }, allowed, 'https'),
    ).toBe(false);
    expect(isSameOriginRequest({ origin: 'null' }, allowed, 'https')).toBe(false);
    expect(isSameOriginRequest({ 'sec-fetch-site': 'cross-site' }, allowed, 'https')).toBe(false);
    expect(isSameOriginRequest({}, allowed, 'https')).toBe(false);
  });
});

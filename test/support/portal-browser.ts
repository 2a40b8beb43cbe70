import { apiUrl, testEnv } from './api.js';
import { assertDocumented } from './openapi-contract.js';

/**
 * A tiny cookie jar for portal pages over plain HTTP (forms, redirects, CSRF). Real-browser tests
 * (JavaScript, service worker, accessibility) live in test/browser/.
 */
export class Browser {
  cookies = new Map<string, string>();
  async request(
    path: string,
    init: {
      method?: string;
      form?: Record<string, string>;
      json?: unknown;
      headers?: Record<string, string>;
    } = {},
  ) {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const method = init.method ?? (body ? 'POST' : 'GET');
    const res = await fetch(`${apiUrl()}${path}`, {
      method,
      headers,
      body,
      redirect: 'manual',
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const [name, ...rest] = pair.split('=');
      const value = rest.join('=');
      if (attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value === '')
        this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    const text = await res.text();
    // API calls made with the portal's cookie are held to the API's document too.
    await assertDocumented(
      { method, path, status: res.status, contentType: res.headers.get('content-type'), text },
      { apiUrl: apiUrl(), dataDir: testEnv().DATA_DIR },
    );
    return { status: res.status, text, headers: res.headers, setCookies: res.headers.getSetCookie() };
  }
  static csrfFrom(html: string): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error('no CSRF token in the page');
    return m[1];
  }

  /** Signs in through the portal's own form, as a person at a phone or an office desk would. */
  static async signedIn(user: { phone: string; password: string }): Promise<Browser> {
    const browser = new Browser();
    const token = Browser.csrfFrom((await browser.request('/login')).text);
    const res = await browser.request('/login', {
      form: { identifier: user.phone, password: user.password, _csrf: token },
    });
    if (res.status !== 303) throw new Error(`portal sign-in failed: ${res.status}`);
    return browser;
  }
}

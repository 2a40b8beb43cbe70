import { registerLearner } from './factories/user.factory.js';
import { api, expectError } from './support/api.js';
import { Browser } from './support/portal-browser.js';

describe('portal cookie session with CSRF protection', () => {
  it('signs in by form: refuses a missing CSRF token, then sets an httpOnly session cookie', async () => {
    const user = await registerLearner({ displayName: 'Vàng Thị Sua' });
    const browser = new Browser();
    const page = await browser.request('/login');
    expect(page.status).toBe(200);
    const token = Browser.csrfFrom(page.text);

    const noToken = await browser.request('/login', {
      form: { identifier: user.phone, password: user.password },
    });
    expect(noToken.status).toBe(403);
    expect(JSON.parse(noToken.text).code).toBe('CSRF_INVALID');

    const wrong = await browser.request('/login', {
      form: { identifier: user.phone, password: 'not-the-password', _csrf: token },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('mật khẩu chưa đúng');

    const ok = await browser.request('/login', {
      form: { identifier: user.phone, password: user.password, _csrf: token },
    });
    expect(ok.status).toBe(303);
    const sessionCookie = ok.setCookies.find((c) => c.startsWith('bs_session='))!;
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);

    const home = await browser.request('/');
    expect(home.text).toContain('Xin chào, Vàng Thị Sua!');
    const hmong = await browser.request('/?lang=hmn');
    expect(hmong.text).toContain('Nyob zoo, Vàng Thị Sua!');
  });

  it('lets the cookie call the API, but state changes need the CSRF header', async () => {
    const user = await registerLearner();
    const browser = new Browser();
    const token = Browser.csrfFrom((await browser.request('/login')).text);
    await browser.request('/login', {
      form: { identifier: user.phone, password: user.password, _csrf: token },
    });

    expect((await browser.request('/api/v1/me')).status).toBe(200);
    const noCsrf = await browser.request('/api/v1/me', { method: 'PATCH', json: { displayName: 'Đổi tên' } });
    expect(noCsrf.status).toBe(403);
    const csrf = JSON.parse((await browser.request('/api/v1/auth/csrf')).text).csrfToken;
    const withCsrf = await browser.request('/api/v1/me', {
      method: 'PATCH',
      json: { displayName: 'Đổi tên' },
      headers: { 'x-csrf-token': csrf },
    });
    expect(withCsrf.status).toBe(200);
    expect(JSON.parse(withCsrf.text).displayName).toBe('Đổi tên');
  });

  it('signs out: the cookie is cleared and the session no longer works', async () => {
    const user = await registerLearner();
    const browser = new Browser();
    const token = Browser.csrfFrom((await browser.request('/login')).text);
    await browser.request('/login', {
      form: { identifier: user.phone, password: user.password, _csrf: token },
    });
    const session = browser.cookies.get('bs_session')!;
    const home = await browser.request('/');
    const out = await browser.request('/logout', { form: { _csrf: Browser.csrfFrom(home.text) } });
    expect(out.status).toBe(303);
    expect(browser.cookies.has('bs_session')).toBe(false);
    const replay = await api('/api/v1/me', { headers: { cookie: `bs_session=${session}` } });
    expectError(replay, 401, 'UNAUTHENTICATED');
  });

  it('ignores a forged session cookie', async () => {
    const res = await api('/api/v1/me', {
      headers: {
        cookie: 'bs_session=00000000-0000-4000-8000-000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      },
    });
    expectError(res, 401, 'UNAUTHENTICATED');
  });
});

import { SignJWT } from 'jose';
import {
  adminAccessToken,
  GOOD_PASSWORD,
  registerLearner,
  uniquePhone,
  userWithRoles,
} from './factories/user.factory.js';
import { api, expectError, testEnv } from './support/api.js';

const HASH_LEAK = /passwordHash|password_hash|\$argon2/;

describe('registration and phone numbers', () => {
  it('treats 0912…, +84912… and 84912… as the same person', async () => {
    const digits = uniquePhone().slice(1); // 9xxxxxxxx
    const first = await api('/api/v1/auth/register', {
      body: {
        phone: `0${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`,
        displayName: 'Sùng A Páo',
        password: GOOD_PASSWORD,
      },
    });
    expect(first.status).toBe(201);
    expect(first.body.user.phone).toBe(`+84${digits}`);
    for (const spelling of [`+84${digits}`, `84${digits}`]) {
      expectError(
        await api('/api/v1/auth/register', {
          body: { phone: spelling, displayName: 'Someone else', password: GOOD_PASSWORD },
        }),
        409,
        'IDENTITY_ACCOUNT_EXISTS',
      );
      const login = await api('/api/v1/auth/login', {
        body: { identifier: spelling, password: GOOD_PASSWORD },
      });
      expect(login.status).toBe(200);
      expect(login.body.user.id).toBe(first.body.user.id);
    }
  });

  it('accepts an email instead of a phone, case-insensitively', async () => {
    const email = `Giang.Vien.${Date.now()}@LaoCai.Example.vn`;
    const res = await api('/api/v1/auth/register', {
      body: { email, displayName: 'Lò Văn Minh', password: GOOD_PASSWORD },
    });
    expect(res.status).toBe(201);
    expect(res.body.user.email).toBe(email.toLowerCase());
    expect(
      (
        await api('/api/v1/auth/login', {
          body: { identifier: email.toUpperCase(), password: GOOD_PASSWORD },
        })
      ).status,
    ).toBe(200);
  });

  it('refuses a missing identifier, a non-Vietnamese number and common passwords with clear codes', async () => {
    expectError(
      await api('/api/v1/auth/register', { body: { displayName: 'A', password: GOOD_PASSWORD } }),
      400,
      'IDENTITY_IDENTIFIER_REQUIRED',
    );
    expectError(
      await api('/api/v1/auth/register', {
        body: { phone: '+1 202 555 0100', displayName: 'A', password: GOOD_PASSWORD },
      }),
      400,
      'IDENTITY_INVALID_PHONE',
    );
    for (const password of ['123456789', 'matkhau123', 'password1']) {
      const res = await api('/api/v1/auth/register', {
        body: { phone: uniquePhone(), displayName: 'A', password },
      });
      expectError(res, 400, 'IDENTITY_WEAK_PASSWORD');
      expect(res.body.details.reason).toBe('too_common');
    }
  });

  it('accepts long passphrases in Vietnamese, however the keyboard composed them', async () => {
    const passphrase = 'Mỗi tối thứ bảy cả bản học cách trả tiền điện qua điện thoại cùng Người bản số';
    const user = await registerLearner({ password: passphrase.normalize('NFC') });
    const login = await api('/api/v1/auth/login', {
      body: { identifier: user.phone, password: passphrase.normalize('NFD') },
    });
    expect(login.status).toBe(200);
  });

  it('stores the learner profile: group, fallback chain ending in vi, village', async () => {
    const groups = (await api('/api/v1/learner-groups')).body;
    const village = (await api('/api/v1/localities?q=sai duan&level=village')).body.items[0];
    const user = await registerLearner({
      learnerGroupId: groups[0].id,
      languages: ['hmn'],
      villageId: village.id,
    });
    const me = await api('/api/v1/me', { token: user.accessToken });
    expect(me.body).toMatchObject({
      learnerGroupId: groups[0].id,
      languages: ['hmn', 'vi'],
      villageId: village.id,
    });
    expectError(
      await api('/api/v1/me', {
        method: 'PATCH',
        token: user.accessToken,
        body: { villageId: village.parentId },
      }),
      400,
      'IDENTITY_INVALID_VILLAGE',
    );
    expectError(
      await api('/api/v1/me', {
        method: 'PATCH',
        token: user.accessToken,
        body: { learnerGroupId: '00000000-0000-4000-8000-000000000000' },
      }),
      400,
      'IDENTITY_UNKNOWN_LEARNER_GROUP',
    );
    expectError(
      await api('/api/v1/me', { method: 'PATCH', token: user.accessToken, body: { languages: ['fr'] } }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('roles cannot be self-granted', () => {
  it('refuses roles in the registration body and leaves no admin behind', async () => {
    const phone = uniquePhone();
    for (const extra of [
      { roles: ['admin'] },
      { roles: [{ role: 'admin' }] },
      { role: 'admin' },
      { isAdmin: true },
    ]) {
      expectError(
        await api('/api/v1/auth/register', {
          body: { phone, displayName: 'Kẻ mạo danh', password: GOOD_PASSWORD, ...extra },
        }),
        400,
        'VALIDATION_FAILED',
      );
    }
    const user = await registerLearner({ phone });
    const me = await api('/api/v1/me', { token: user.accessToken });
    expect(me.body.roles).toEqual([expect.objectContaining({ role: 'learner', localityId: null })]);
  });

  it('refuses roles in a profile update', async () => {
    const user = await registerLearner();
    expectError(
      await api('/api/v1/me', {
        method: 'PATCH',
        token: user.accessToken,
        body: { roles: [{ role: 'admin' }] },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect((await api('/api/v1/me', { token: user.accessToken })).body.roles).toEqual([
      expect.objectContaining({ role: 'learner', localityId: null }),
    ]);
  });

  it('lets only an admin grant roles; coordinators are scoped to a province or commune', async () => {
    const learner = await registerLearner();
    const target = await registerLearner();
    expectError(
      await api(`/api/v1/admin/users/${target.id}/roles`, {
        method: 'PUT',
        token: learner.accessToken,
        body: { roles: [{ role: 'admin' }] },
      }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api(`/api/v1/admin/users/${learner.id}/roles`, {
        method: 'PUT',
        token: learner.accessToken,
        body: { roles: [{ role: 'admin' }] },
      }),
      403,
      'FORBIDDEN',
    );
    const admin = await adminAccessToken();
    const commune = (await api('/api/v1/localities?q=bat xat&level=commune')).body.items[0];
    const village = (await api(`/api/v1/localities?parentId=${commune.id}`)).body.items[0];
    expectError(
      await api(`/api/v1/admin/users/${target.id}/roles`, {
        method: 'PUT',
        token: admin,
        body: { roles: [{ role: 'coordinator' }] },
      }),
      400,
      'IDENTITY_INVALID_ROLE_GRANT',
    );
    expectError(
      await api(`/api/v1/admin/users/${target.id}/roles`, {
        method: 'PUT',
        token: admin,
        body: { roles: [{ role: 'coordinator', localityId: village.id }] },
      }),
      400,
      'IDENTITY_INVALID_ROLE_GRANT',
    );
    expectError(
      await api(`/api/v1/admin/users/${target.id}/roles`, {
        method: 'PUT',
        token: admin,
        body: { roles: [{ role: 'trainer', localityId: commune.id }] },
      }),
      400,
      'IDENTITY_INVALID_ROLE_GRANT',
    );
    const granted = await api(`/api/v1/admin/users/${target.id}/roles`, {
      method: 'PUT',
      token: admin,
      body: {
        roles: [{ role: 'learner' }, { role: 'trainer' }, { role: 'coordinator', localityId: commune.id }],
      },
    });
    expect(granted.status).toBe(200);
    expect(granted.body.roles).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'learner', localityId: null }),
        expect.objectContaining({ role: 'trainer', localityId: null }),
        expect.objectContaining({ role: 'coordinator', localityId: commune.id }),
      ]),
    );
    // A grant applies to tokens already issued: roles are read per request, not from the token.
    expect((await api('/api/v1/me', { token: target.accessToken })).body.roles).toHaveLength(3);
  });

  it('grants and removes one role at a time, keeping the others, even when two changes meet', async () => {
    const admin = await adminAccessToken();
    const target = await registerLearner();
    const communes = (await api('/api/v1/localities?level=commune&pageSize=2')).body.items;
    const roles = (path: string, method: string, body?: unknown) =>
      api(`/api/v1/admin/users/${target.id}/roles${path}`, { method, token: admin, body });
    const grant = await roles('', 'POST', { role: 'trainer' });
    expect(grant.status).toBe(200);
    expect(grant.body.roles).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'learner', localityId: null }),
        expect.objectContaining({ role: 'trainer', localityId: null }),
      ]),
    );
    // Granting one already held changes nothing.
    expect((await roles('', 'POST', { role: 'trainer' })).body.roles).toHaveLength(2);
    // Two coordinator grants at once: both land (each reads the roles under the same lock).
    const both = await Promise.all(
      communes.map((c: { id: string }) => roles('', 'POST', { role: 'coordinator', localityId: c.id })),
    );
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const me = await api(`/api/v1/admin/users/${target.id}`, { token: admin });
    expect(me.body.roles).toHaveLength(4);

    const removed = await roles(`/coordinator?localityId=${communes[0].id}`, 'DELETE');
    expect(removed.status).toBe(200);
    expect(removed.body.roles).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'learner', localityId: null }),
        expect.objectContaining({ role: 'trainer', localityId: null }),
        expect.objectContaining({ role: 'coordinator', localityId: communes[1].id }),
      ]),
    );
    expect(removed.body.roles).toHaveLength(3);
    expectError(
      await roles(`/coordinator?localityId=${communes[0].id}`, 'DELETE'),
      404,
      'IDENTITY_ROLE_NOT_HELD',
    );
    expectError(await roles('/admin', 'DELETE'), 404, 'IDENTITY_ROLE_NOT_HELD');
    expectError(await roles('/overlord', 'DELETE'), 400, 'VALIDATION_FAILED');
    expectError(await roles('', 'POST', { role: 'coordinator' }), 400, 'IDENTITY_INVALID_ROLE_GRANT');
    expectError(
      await roles('', 'POST', { role: 'trainer', localityId: communes[0].id }),
      400,
      'IDENTITY_INVALID_ROLE_GRANT',
    );
    // Only admins; and an admin cannot drop their own admin role this way either.
    expectError(
      await api(`/api/v1/admin/users/${target.id}/roles`, {
        method: 'POST',
        token: target.accessToken,
        body: { role: 'admin' },
      }),
      403,
      'FORBIDDEN',
    );
    const self = (await api('/api/v1/me', { token: admin })).body;
    expectError(
      await api(`/api/v1/admin/users/${self.id}/roles/admin`, { method: 'DELETE', token: admin }),
      409,
      'IDENTITY_LAST_ADMIN',
    );
  });

  it('does not let an admin remove their own admin role (so at least one admin always remains)', async () => {
    const admin = await adminAccessToken();
    const me = (await api('/api/v1/me', { token: admin })).body;
    expectError(
      await api(`/api/v1/admin/users/${me.id}/roles`, {
        method: 'PUT',
        token: admin,
        body: { roles: [{ role: 'learner' }] },
      }),
      409,
      'IDENTITY_LAST_ADMIN',
    );
    expect((await api('/api/v1/me', { token: admin })).body.roles).toEqual(
      expect.arrayContaining([expect.objectContaining({ role: 'admin', localityId: null })]),
    );
  });
});

describe('admin routes', () => {
  it('answers 401 without a token and 403 to non-admins on every admin route', async () => {
    const trainer = await userWithRoles([{ role: 'trainer' }]);
    const someone = await registerLearner();
    const groupId = (await api('/api/v1/learner-groups')).body[0].id;
    const localityId = (await api('/api/v1/localities?level=village')).body.items[0].id;
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/admin/users'],
      ['GET', `/api/v1/admin/users/${someone.id}`],
      ['PUT', `/api/v1/admin/users/${someone.id}/roles`, { roles: [] }],
      ['POST', `/api/v1/admin/users/${someone.id}/roles`, { role: 'trainer' }],
      ['DELETE', `/api/v1/admin/users/${someone.id}/roles/learner`],
      [
        'POST',
        '/api/v1/localities',
        { code: '02683-999', level: 'village', kind: 'thôn', name: 'X', parentId: localityId },
      ],
      ['PATCH', `/api/v1/localities/${localityId}`, { name: 'Đổi tên' }],
      ['DELETE', `/api/v1/localities/${localityId}`],
      ['POST', '/api/v1/learner-groups', { code: 'nope', names: { vi: 'Không' } }],
      ['PATCH', `/api/v1/learner-groups/${groupId}`, { archived: true }],
    ];
    for (const [method, path, body] of routes) {
      expectError(await api(path, { method, body }), 401, 'UNAUTHENTICATED');
      for (const token of [trainer.accessToken, someone.accessToken]) {
        expectError(await api(path, { method, body, token }), 403, 'FORBIDDEN');
      }
    }
  });

  it('lists and finds users for admins without ever exposing a password hash', async () => {
    const admin = await adminAccessToken();
    const user = await registerLearner({ displayName: 'Thào Thị Dua' });
    const list = await api('/api/v1/admin/users?q=thao thi', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.items.map((u: { id: string }) => u.id)).toContain(user.id);
    for (const q of ['Thào Thị', user.phone, user.phone.slice(0, 7)]) {
      const found = await api(`/api/v1/admin/users?q=${encodeURIComponent(q)}`, { token: admin });
      expect(found.body.items.map((u: { id: string }) => u.id)).toContain(user.id);
    }
    expect((await api('/api/v1/admin/users?q=%25', { token: admin })).body.items).toEqual([]);
    const one = await api(`/api/v1/admin/users/${user.id}`, { token: admin });
    expect(one.body.displayName).toBe('Thào Thị Dua');
    expect(list.text).not.toMatch(HASH_LEAK);
    expect(one.text).not.toMatch(HASH_LEAK);
    expectError(
      await api('/api/v1/admin/users/00000000-0000-4000-8000-000000000000', { token: admin }),
      404,
      'IDENTITY_USER_NOT_FOUND',
    );
    expectError(await api('/api/v1/admin/users/not-a-uuid', { token: admin }), 400);
  });

  it('never returns a password hash from any identity endpoint', async () => {
    const phone = uniquePhone();
    const bodies = [
      (await api('/api/v1/auth/register', { body: { phone, displayName: 'A Sử', password: GOOD_PASSWORD } }))
        .text,
    ];
    const login = await api('/api/v1/auth/login', { body: { identifier: phone, password: GOOD_PASSWORD } });
    bodies.push(login.text);
    bodies.push(
      (await api('/api/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } })).text,
    );
    bodies.push((await api('/api/v1/me', { token: login.body.accessToken })).text);
    bodies.push(
      (
        await api('/api/v1/me', {
          method: 'PATCH',
          token: login.body.accessToken,
          body: { displayName: 'A Sử 2' },
        })
      ).text,
    );
    for (const b of bodies) expect(b).not.toMatch(HASH_LEAK);
  });
});

describe('tokens', () => {
  const secret = () => new TextEncoder().encode(testEnv().JWT_ACCESS_SECRET);

  it('answers 401 to missing, malformed, tampered, foreign, algorithm-none and expired tokens', async () => {
    const user = await registerLearner();
    const [h, p, s] = user.accessToken.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url')}.${s}`;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    const foreign = await new SignJWT({ sid: payload.sid })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(payload.sub)
      .setIssuer(payload.iss)
      .setAudience(payload.aud)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(64)));
    const expired = await new SignJWT({ sid: payload.sid })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(payload.sub)
      .setIssuer(payload.iss)
      .setAudience(payload.aud)
      .setIssuedAt(1_700_000_000)
      .setExpirationTime(1_700_000_900)
      .sign(secret());
    expect((await api('/api/v1/me', { token: user.accessToken })).status).toBe(200);
    expectError(await api('/api/v1/me'), 401, 'UNAUTHENTICATED');
    for (const token of ['garbage', tampered, none, foreign, expired, `${user.accessToken}x`]) {
      expectError(await api('/api/v1/me', { token }), 401, 'UNAUTHENTICATED');
    }
    expectError(
      await api('/api/v1/me', { headers: { authorization: 'Basic Zm9vOmJhcg==' } }),
      401,
      'UNAUTHENTICATED',
    );
    // On public routes a stale or bad token is anonymous: an app holding an old token can still
    // browse the catalog, verify a certificate, read the issuer keys and the health check.
    for (const path of [
      '/api/v1/learner-groups',
      '/api/v1/courses',
      '/.well-known/did.json',
      '/health/ready',
    ]) {
      for (const token of [expired, 'garbage', tampered]) {
        const res = await api(path, { token });
        expect([path, res.status]).toEqual([path, 200]);
      }
    }
    expect((await api(`/api/v1/verify/${'0'.repeat(26)}`, { token: expired })).status).toBe(404);
  });

  it('rotates refresh tokens, tolerates one retry of a lost response, and revokes on reuse', async () => {
    const user = await registerLearner();
    const first = await api('/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    // The response was lost on 3G: the client retries with the old token within the grace period.
    const retry = await api('/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(retry.status).toBe(200);
    // A forged secret for the same session means the token leaked: the session ends.
    const [sessionId] = retry.body.refreshToken.split('.');
    expectError(
      await api('/api/v1/auth/refresh', { body: { refreshToken: `${sessionId}.${'A'.repeat(43)}` } }),
      401,
      'IDENTITY_INVALID_REFRESH_TOKEN',
    );
    expectError(
      await api('/api/v1/auth/refresh', { body: { refreshToken: retry.body.refreshToken } }),
      401,
      'IDENTITY_INVALID_REFRESH_TOKEN',
    );
    expectError(await api('/api/v1/me', { token: retry.body.accessToken }), 401, 'UNAUTHENTICATED');
    expectError(
      await api('/api/v1/auth/refresh', { body: { refreshToken: 'nonsense' } }),
      401,
      'IDENTITY_INVALID_REFRESH_TOKEN',
    );
  });

  it('logout ends the session for both the access and the refresh token', async () => {
    const user = await registerLearner();
    expect((await api('/api/v1/auth/logout', { token: user.accessToken, body: {} })).status).toBe(204);
    expectError(await api('/api/v1/me', { token: user.accessToken }), 401, 'UNAUTHENTICATED');
    expectError(
      await api('/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } }),
      401,
      'IDENTITY_INVALID_REFRESH_TOKEN',
    );
  });

  it('changing the password signs out the other devices', async () => {
    const user = await registerLearner();
    const other = await api('/api/v1/auth/login', {
      body: { identifier: user.phone, password: user.password },
    });
    expectError(
      await api('/api/v1/me/password', {
        token: user.accessToken,
        body: { currentPassword: 'wrong-password-here', newPassword: 'x' },
      }),
      401,
      'IDENTITY_INVALID_CREDENTIALS',
    );
    const changed = await api('/api/v1/me/password', {
      token: user.accessToken,
      body: { currentPassword: user.password, newPassword: 'Bản Phiệt có sóng 4G từ năm nay' },
    });
    expect(changed.status).toBe(204);
    expect((await api('/api/v1/me', { token: user.accessToken })).status).toBe(200);
    expectError(await api('/api/v1/me', { token: other.body.accessToken }), 401, 'UNAUTHENTICATED');
    expect(
      (
        await api('/api/v1/auth/login', {
          body: { identifier: user.phone, password: 'Bản Phiệt có sóng 4G từ năm nay' },
        })
      ).status,
    ).toBe(200);
  });
});

describe('login rate limit per account', () => {
  it('refuses further attempts after too many failures, even with the right password, and says when to retry', async () => {
    const user = await registerLearner();
    const unknownPhone = uniquePhone();
    for (let i = 0; i < 10; i++) {
      expectError(
        await api('/api/v1/auth/login', {
          body: { identifier: user.phone, password: `wrong-${i}-password` },
        }),
        401,
        'IDENTITY_INVALID_CREDENTIALS',
      );
    }
    const limited = await api('/api/v1/auth/login', {
      body: { identifier: user.phone, password: user.password },
    });
    expectError(limited, 429, 'IDENTITY_LOGIN_RATE_LIMITED');
    expect(Number(limited.body.details.retryAfterSeconds)).toBeGreaterThan(0);
    // The same account under another spelling of its number is the same account.
    expectError(
      await api('/api/v1/auth/login', {
        body: { identifier: user.phone.replace(/^0/, '+84'), password: user.password },
      }),
      429,
      'IDENTITY_LOGIN_RATE_LIMITED',
    );
    // Other accounts are unaffected; unknown accounts answer like wrong passwords.
    expect((await registerLearner()).accessToken).toBeTruthy();
    expectError(
      await api('/api/v1/auth/login', { body: { identifier: unknownPhone, password: 'whatever-it-is' } }),
      401,
      'IDENTITY_INVALID_CREDENTIALS',
    );
  });
});

import pg from 'pg';
import { coordinatorOf, testArea, type TestArea } from './factories/certification.factory.js';
import { adminAccessToken, registerLearner, uniquePhone, type TestUser } from './factories/user.factory.js';
import { api, expectError, testEnv } from './support/api.js';
import { Browser } from './support/portal-browser.js';

const PASSWORD = 'Mật khẩu của cô giáo ở bản Tả Van';

/**
 * Accounts staff make for people who do not sign themselves up: an admin makes any account, a
 * coordinator learner accounts of a village in their area; the owner sets a password with a
 * one-time invitation code. User management answers name the places of each role and the village.
 */
describe('staff-made accounts and invitations', () => {
  let db: pg.Client;
  let admin: string;
  let area: TestArea;
  let elsewhere: TestArea;
  let coordinator: TestUser;
  let otherCoordinator: TestUser;
  const village = () => area.communes[0].villageIds[0];
  const accept = (identifier: string, code: string, password = PASSWORD) =>
    api('/api/v1/auth/invitation', { body: { identifier, code, password } });

  beforeAll(async () => {
    db = new pg.Client({ connectionString: testEnv().DATABASE_URL });
    await db.connect();
    admin = await adminAccessToken();
    [area, elsewhere] = await Promise.all([testArea(1, 2), testArea(1, 1)]);
    coordinator = await coordinatorOf(area.communes[0].id);
    otherCoordinator = await coordinatorOf(elsewhere.communes[0].id);
  });
  afterAll(() => db.end());

  it('lets an admin make a trainer account that its owner opens once with the code', async () => {
    const phone = uniquePhone();
    const made = await api('/api/v1/admin/users', {
      token: admin,
      body: {
        phone,
        displayName: 'Lò Thị Hương',
        roles: [{ role: 'trainer' }, { role: 'coordinator', localityId: area.communes[0].id }],
        villageId: village(),
        languages: ['tyz', 'vi'],
      },
    });
    expect(made.status).toBe(201);
    expect(made.body.user).toMatchObject({
      displayName: 'Lò Thị Hương',
      activated: false,
      villageName: expect.stringContaining(', '),
      languages: ['tyz', 'vi'],
    });
    expect(made.body.user.roles).toEqual(
      expect.arrayContaining([
        { role: 'trainer', localityId: null, localityName: null },
        { role: 'coordinator', localityId: area.communes[0].id, localityName: expect.any(String) },
      ]),
    );
    const { code, expiresAt, acceptUrl } = made.body.invitation;
    expect(code).toMatch(/^[ACDEFHJKMNPRTUVWXY34679]{4}-[ACDEFHJKMNPRTUVWXY34679]{4}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect(acceptUrl).toMatch(/\/invitation$/);
    // The table keeps a hash, never the code; and who issued it.
    const { rows } = await db.query(`SELECT code_hash, issued_by FROM account_codes WHERE user_id = $1`, [
      made.body.user.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].code_hash).not.toContain(code);

    // Not usable before it is accepted.
    expectError(
      await api('/api/v1/auth/login', { body: { identifier: phone, password: PASSWORD } }),
      401,
      'IDENTITY_INVALID_CREDENTIALS',
    );
    expectError(await accept(phone, 'AAAA-AAAA'), 401, 'IDENTITY_INVITATION_INVALID');
    expectError(await accept(phone, 'not a code'), 401, 'IDENTITY_INVITATION_INVALID');
    // A weak password is refused without using the code.
    expectError(await accept(phone, code, '12345678'), 400, 'IDENTITY_WEAK_PASSWORD');
    // Any case, without the dash.
    const opened = await accept(phone, code.replace('-', '').toLowerCase());
    expect(opened.status).toBe(200);
    expect(opened.body.user).toMatchObject({ id: made.body.user.id, activated: true });
    expectError(await accept(phone, code), 401, 'IDENTITY_INVITATION_INVALID');
    expect(
      (await api('/api/v1/auth/login', { body: { identifier: phone, password: PASSWORD } })).status,
    ).toBe(200);
    // A new code for an account already opened: no.
    expectError(
      await api(`/api/v1/admin/users/${made.body.user.id}/invitation`, { method: 'POST', token: admin }),
      409,
      'IDENTITY_ALREADY_ACTIVATED',
    );
    // The admin's view names the places.
    const seen = await api(`/api/v1/admin/users/${made.body.user.id}`, { token: admin });
    expect(seen.body.villageName).toBe(made.body.user.villageName);
    expect(seen.body.activated).toBe(true);
  });

  it('lets a coordinator make learner accounts for villages of their area only', async () => {
    const phone = uniquePhone();
    const made = await api('/api/v1/admin/users', {
      token: coordinator.accessToken,
      body: { phone, displayName: 'Sùng A Páo', villageId: village(), languages: ['hmn', 'vi'] },
    });
    expect(made.status).toBe(201);
    expect(made.body.user.roles).toEqual([{ role: 'learner', localityId: null, localityName: null }]);

    expectError(
      await api('/api/v1/admin/users', {
        token: otherCoordinator.accessToken,
        body: { phone: uniquePhone(), displayName: 'Giàng A Lử', villageId: village() },
      }),
      403,
      'OUTSIDE_YOUR_AREA',
    );
    expectError(
      await api('/api/v1/admin/users', {
        token: coordinator.accessToken,
        body: {
          phone: uniquePhone(),
          displayName: 'Giàng A Lử',
          villageId: village(),
          roles: [{ role: 'trainer' }],
        },
      }),
      403,
      'FORBIDDEN',
    );
    const noVillage = await api('/api/v1/admin/users', {
      token: coordinator.accessToken,
      body: { phone: uniquePhone(), displayName: 'Giàng A Lử' },
    });
    expectError(noVillage, 400, 'IDENTITY_INVALID_VILLAGE');
    expect(noVillage.body.details.fields[0].field).toBe('villageId');
    const learner = await registerLearner();
    expectError(
      await api('/api/v1/admin/users', {
        token: learner.accessToken,
        body: { phone: uniquePhone(), displayName: 'Giàng A Lử', villageId: village() },
      }),
      403,
    );
    expectError(await api('/api/v1/admin/users', { body: { phone: uniquePhone(), displayName: 'X' } }), 401);
    expectError(
      await api('/api/v1/admin/users', {
        token: coordinator.accessToken,
        body: { phone, displayName: 'Again', villageId: village() },
      }),
      409,
      'IDENTITY_ACCOUNT_EXISTS',
    );
    // Coordinators make accounts; they do not browse everyone's.
    expectError(await api('/api/v1/admin/users', { token: coordinator.accessToken }), 403);

    // A lost code: the area's coordinator issues a new one, the old one stops working.
    const again = await api(`/api/v1/admin/users/${made.body.user.id}/invitation`, {
      method: 'POST',
      token: coordinator.accessToken,
    });
    expect(again.status).toBe(200);
    expect(again.body.invitation.code).not.toBe(made.body.invitation.code);
    expectError(
      await api(`/api/v1/admin/users/${made.body.user.id}/invitation`, {
        method: 'POST',
        token: otherCoordinator.accessToken,
      }),
      404,
      'IDENTITY_USER_NOT_FOUND',
    );
    expectError(await accept(phone, made.body.invitation.code), 401, 'IDENTITY_INVITATION_INVALID');
    expect((await accept(phone, again.body.invitation.code)).status).toBe(200);
  });

  it('refuses an expired code, and limits guessing per account', async () => {
    const phone = uniquePhone();
    const made = await api('/api/v1/admin/users', {
      token: admin,
      body: { phone, displayName: 'Hoàng Văn Tú' },
    });
    await db.query(`UPDATE account_codes SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
      made.body.user.id,
    ]);
    expectError(await accept(phone, made.body.invitation.code), 401, 'IDENTITY_INVITATION_INVALID');

    const guessed = uniquePhone();
    const target = await api('/api/v1/admin/users', {
      token: admin,
      body: { phone: guessed, displayName: 'Vừ A Dế' },
    });
    const answers: number[] = [];
    for (let i = 0; i < 12; i++) answers.push((await accept(guessed, 'CCCC-CCCC')).status);
    expect(answers.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(answers.at(-1)).toBe(429);
    // Even the right code waits out the window now.
    expect((await accept(guessed, target.body.invitation.code)).status).toBe(429);
  });

  it('opens the account from the portal page', async () => {
    const phone = uniquePhone();
    const made = await api('/api/v1/admin/users', {
      token: coordinator.accessToken,
      body: { phone, displayName: 'Thào Thị Dình', villageId: village() },
    });
    const browser = new Browser();
    const page = await browser.request('/invitation');
    expect(page.status).toBe(200);
    const csrf = Browser.csrfFrom(page.text);
    const wrong = await browser.request('/invitation', {
      form: { _csrf: csrf, identifier: phone, code: 'AAAA-AAAA', password: PASSWORD },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Mã mời không đúng');
    const opened = await browser.request('/invitation', {
      form: { _csrf: csrf, identifier: phone, code: made.body.invitation.code, password: PASSWORD },
    });
    expect(opened.status).toBe(303);
    expect((await browser.request('/notifications')).status).toBe(200);
    expect((await new Browser().request('/login')).text).toContain('href="/invitation"');
  });
});

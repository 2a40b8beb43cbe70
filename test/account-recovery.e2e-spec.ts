import pg from 'pg';
import {
  coordinatorOf,
  eligibleCandidate,
  quizCourse,
  testArea,
  testProgramme,
  certify,
  type TestArea,
} from './factories/certification.factory.js';
import {
  adminAccessToken,
  registerLearner,
  uniquePhone,
  userWithRoles,
  type TestUser,
} from './factories/user.factory.js';
import { api, expectError, testEnv } from './support/api.js';
import { Browser } from './support/portal-browser.js';

const NEW_PASSWORD = 'Bà Mỷ đặt mật khẩu mới ở Sải Duần';

/**
 * Account recovery (issue 17, item 4): a certified ambassador of the learner's village, a
 * coordinator of the area or an admin issues a one-time code; the learner sets a new password with
 * it and every other session ends. Codes are six digits, single use, 30 minutes, five tries,
 * rate-limited and audited; staff accounts recover only through an admin. By SMS where a gateway
 * is configured (the test platform has the fake one).
 */
describe('account recovery', () => {
  let db: pg.Client;
  let admin: string;
  let area: TestArea;
  let elsewhere: TestArea;
  let ambassador: TestUser;
  let communeCoordinator: TestUser;
  let otherCoordinator: TestUser;
  const village = () => area.communes[0].villageIds[0];
  const neighbourVillage = () => area.communes[0].villageIds[1];
  const issue = (token: string, identifier: string) =>
    api('/api/v1/account-recovery/codes', { token, body: { identifier } });
  const recover = (identifier: string, code: string, password = NEW_PASSWORD) =>
    api('/api/v1/auth/recovery', { body: { identifier, code, password } });
  const login = (identifier: string, password: string) =>
    api('/api/v1/auth/login', { body: { identifier, password } });
  const villager = (villageId = village()) =>
    registerLearner({ villageId, displayName: 'Sùng Thị Mỷ', languages: ['hmn', 'vi'] });
  const codesOf = async (userId: string) =>
    (
      await db.query(
        `SELECT purpose, channel, issued_by AS "issuedBy", used_at AS "usedAt", attempts, code_hash AS "codeHash",
                round(extract(epoch FROM expires_at - created_at) / 60) AS minutes
           FROM account_codes WHERE user_id = $1 AND purpose = 'recovery' ORDER BY created_at`,
        [userId],
      )
    ).rows;
  const texts = async (phone: string) =>
    (await (
      await fetch(`${testEnv().SMS_GATEWAY_URL}?to=${encodeURIComponent(`+84${phone.slice(1)}`)}`)
    ).json()) as { text: string; encoding: string }[];

  beforeAll(async () => {
    db = new pg.Client({ connectionString: testEnv().DATABASE_URL });
    await db.connect();
    admin = await adminAccessToken();
    [area, elsewhere] = await Promise.all([testArea(1, 2), testArea(1, 1)]);
    const course = await quizCourse(
      await userWithRoles([{ role: 'trainer' }]),
      await userWithRoles([{ role: 'trainer' }]),
    );
    const programmeId = await testProgramme(area, [course.courseId], 1);
    communeCoordinator = await coordinatorOf(area.communes[0].id);
    otherCoordinator = await coordinatorOf(elsewhere.communes[0].id);
    ambassador = await eligibleCandidate(village(), course, 1, { displayName: 'Giàng A Sử' });
    await certify(ambassador, programmeId, communeCoordinator);
  });
  afterAll(() => db.end());

  it("lets the village's ambassador issue a code that sets a new password once and ends every other session", async () => {
    const learner = await villager();
    const otherDevice = await login(learner.phone, learner.password);
    expect(otherDevice.status).toBe(200);

    const issued = await issue(ambassador.accessToken, learner.phone);
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      code: expect.stringMatching(/^\d{3} \d{3}$/),
      userId: learner.id,
      displayName: 'Sùng Thị Mỷ',
      villageName: expect.stringContaining(', '),
      recoverUrl: 'http://banso.test/recover',
    });
    expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeGreaterThan(29 * 60_000);
    // The audit: who issued a code for whom, by which channel, for how long; the code itself is not kept.
    const [row] = await codesOf(learner.id);
    expect(row).toMatchObject({
      channel: 'staff',
      issuedBy: ambassador.id,
      usedAt: null,
      attempts: 0,
      minutes: '30',
    });
    expect(row.codeHash).not.toContain(issued.body.code.replace(' ', ''));

    // A weak password is refused without spending the code.
    expectError(await recover(learner.phone, issued.body.code, '12345678'), 400, 'IDENTITY_WEAK_PASSWORD');
    // Typed without the space, in another spelling of the number.
    const recovered = await recover(`+84 ${learner.phone.slice(1)}`, issued.body.code.replace(' ', ''));
    expect(recovered.status).toBe(200);
    expect(recovered.body.user.id).toBe(learner.id);

    // Every earlier session is over: the first device's tokens and refresh token no longer work.
    expectError(await api('/api/v1/me', { token: learner.accessToken }), 401);
    expectError(await api('/api/v1/me', { token: otherDevice.body.accessToken }), 401);
    expectError(
      await api('/api/v1/auth/refresh', { body: { refreshToken: otherDevice.body.refreshToken } }),
      401,
      'IDENTITY_INVALID_REFRESH_TOKEN',
    );
    expect((await api('/api/v1/me', { token: recovered.body.accessToken })).status).toBe(200);
    expectError(await login(learner.phone, learner.password), 401, 'IDENTITY_INVALID_CREDENTIALS');
    expect((await login(learner.phone, NEW_PASSWORD)).status).toBe(200);

    // Single use.
    expectError(
      await recover(learner.phone, issued.body.code, `${NEW_PASSWORD} lần hai`),
      401,
      'IDENTITY_RECOVERY_INVALID',
    );
    expect((await codesOf(learner.id))[0].usedAt).toBeInstanceOf(Date);
    const sessions = await db.query(
      `SELECT revoked_reason FROM auth_sessions WHERE user_id = $1 AND revoked_at IS NOT NULL`,
      [learner.id],
    );
    expect(sessions.rows.map((r) => r.revoked_reason)).toEqual(['password_recovered', 'password_recovered']);
  });

  it("is issued only inside the issuer's reach: the ambassador's village, the coordinator's area, anywhere for an admin", async () => {
    const neighbour = await villager(neighbourVillage());
    const far = await villager(elsewhere.communes[0].villageIds[0]);
    const homeless = await registerLearner();
    // Outside the reach, an account is "not found", like a number nobody has.
    expectError(await issue(ambassador.accessToken, neighbour.phone), 404, 'IDENTITY_USER_NOT_FOUND');
    expectError(await issue(ambassador.accessToken, far.phone), 404, 'IDENTITY_USER_NOT_FOUND');
    expectError(await issue(ambassador.accessToken, homeless.phone), 404, 'IDENTITY_USER_NOT_FOUND');
    expectError(await issue(ambassador.accessToken, uniquePhone()), 404, 'IDENTITY_USER_NOT_FOUND');
    expectError(await issue(otherCoordinator.accessToken, neighbour.phone), 404, 'IDENTITY_USER_NOT_FOUND');
    expectError(await issue(communeCoordinator.accessToken, far.phone), 404, 'IDENTITY_USER_NOT_FOUND');
    expect((await issue(communeCoordinator.accessToken, neighbour.phone)).status).toBe(201);
    expect((await issue(otherCoordinator.accessToken, far.phone)).status).toBe(201);
    expect((await issue(admin, homeless.phone)).status).toBe(201);

    // People who vouch for nobody: a learner without a certificate, a trainer.
    const plainLearner = await villager();
    const trainer = await userWithRoles([{ role: 'trainer' }]);
    for (const who of [plainLearner, trainer])
      expectError(await issue(who.accessToken, neighbour.phone), 403, 'FORBIDDEN');
    // Not signed in at all.
    expectError(await api('/api/v1/account-recovery/codes', { body: { identifier: neighbour.phone } }), 401);
  });

  it('is never for an account with more rights than the issuer, nor for their own; staff recover through an admin', async () => {
    const staffInVillage = await userWithRoles([{ role: 'trainer' }]);
    await api('/api/v1/me', {
      method: 'PATCH',
      token: staffInVillage.accessToken,
      body: { villageId: village() },
    });
    const colleague = await coordinatorOf(area.communes[0].id);
    await api('/api/v1/me', {
      method: 'PATCH',
      token: colleague.accessToken,
      body: { villageId: village() },
    });
    expectError(
      await issue(ambassador.accessToken, staffInVillage.phone),
      403,
      'IDENTITY_RECOVERY_NOT_ALLOWED',
    );
    expectError(
      await issue(communeCoordinator.accessToken, staffInVillage.phone),
      403,
      'IDENTITY_RECOVERY_NOT_ALLOWED',
    );
    expectError(
      await issue(communeCoordinator.accessToken, colleague.phone),
      403,
      'IDENTITY_RECOVERY_NOT_ALLOWED',
    );
    expectError(await issue(ambassador.accessToken, ambassador.phone), 403, 'IDENTITY_RECOVERY_NOT_ALLOWED');
    const adminSelf = await api('/api/v1/me', { token: admin });
    expectError(await issue(admin, adminSelf.body.phone), 403, 'IDENTITY_RECOVERY_NOT_ALLOWED');
    // An admin helps staff back in.
    const forStaff = await issue(admin, staffInVillage.phone);
    expect(forStaff.status).toBe(201);
    expect((await recover(staffInVillage.phone, forStaff.body.code)).status).toBe(200);

    // Disabled accounts, and accounts waiting for their invitation, are not recovered.
    const disabled = await villager();
    await db.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [disabled.id]);
    expectError(await issue(ambassador.accessToken, disabled.phone), 403, 'IDENTITY_ACCOUNT_DISABLED');
    const invitedPhone = uniquePhone();
    const invited = await api('/api/v1/admin/users', {
      token: communeCoordinator.accessToken,
      body: { phone: invitedPhone, displayName: 'Thào Thị Dua', villageId: village() },
    });
    expect(invited.status).toBe(201);
    expectError(await issue(ambassador.accessToken, invitedPhone), 409, 'IDENTITY_NOT_ACTIVATED');
  });

  it('expires after 30 minutes, survives five wrong tries, and gives way to a newer code', async () => {
    const learner = await villager();
    const first = await issue(ambassador.accessToken, learner.phone);
    const second = await issue(ambassador.accessToken, learner.phone);
    // Only the newest code works.
    expectError(await recover(learner.phone, first.body.code), 401, 'IDENTITY_RECOVERY_INVALID');
    const rows = await codesOf(learner.id);
    expect(rows).toHaveLength(2);
    expect(rows[0].attempts).toBe(0);
    expect(rows[1].attempts).toBe(1);

    // Wrong tries (not the code) spend it after five, even when the right one comes next.
    const wrong = second.body.code === '000 000' ? '000 001' : '000 000';
    for (let i = 0; i < 4; i++)
      expectError(await recover(learner.phone, wrong), 401, 'IDENTITY_RECOVERY_INVALID');
    expect((await codesOf(learner.id))[1].attempts).toBe(5);
    expectError(await recover(learner.phone, second.body.code), 401, 'IDENTITY_RECOVERY_INVALID');

    // An expired code does nothing.
    const third = await issue(communeCoordinator.accessToken, learner.phone);
    expect(third.status).toBe(201);
    await db.query(
      `UPDATE account_codes SET expires_at = now() - interval '1 second'
        WHERE user_id = $1 AND used_at IS NULL AND expires_at > now()`,
      [learner.id],
    );
    expectError(await recover(learner.phone, third.body.code), 401, 'IDENTITY_RECOVERY_INVALID');
    // The learner's password is unchanged through all of this.
    expect((await login(learner.phone, learner.password)).status).toBe(200);
  });

  it('limits codes per account and per issuer, with Retry-After', async () => {
    const learner = await villager();
    for (let i = 0; i < 3; i++) expect((await issue(admin, learner.phone)).status).toBe(201);
    const limited = await issue(admin, learner.phone);
    expectError(limited, 429, 'IDENTITY_RECOVERY_RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    // 20 codes an hour for one issuer, whoever they are for.
    const helper = await coordinatorOf(area.communes[0].id);
    const learners = await Promise.all(Array.from({ length: 21 }, () => villager(neighbourVillage())));
    const answers = [];
    for (const l of learners) answers.push((await issue(helper.accessToken, l.phone)).status);
    expect(answers.slice(0, 20)).toEqual(Array(20).fill(201));
    expect(answers[20]).toBe(429);
  });

  it('lets someone locked out by failed sign-ins still recover', async () => {
    const learner = await villager();
    let status = 0;
    for (let i = 0; i < 30 && status !== 429; i++)
      status = (await login(learner.phone, 'sai mật khẩu rồi bà ơi')).status;
    expect(status).toBe(429);
    const issued = await issue(ambassador.accessToken, learner.phone);
    const recovered = await recover(learner.phone, issued.body.code);
    expect(recovered.status).toBe(200);
    // And the sign-in lock is lifted with it.
    expect((await login(learner.phone, NEW_PASSWORD)).status).toBe(200);
  });

  it('texts a learner a code, and answers alike for numbers without a learner account', async () => {
    const learner = await villager();
    const asked = await api('/api/v1/auth/recovery/sms', { body: { phone: learner.phone } });
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ expiresInMinutes: 30 });
    let sent: { text: string; encoding: string }[] = [];
    for (let i = 0; i < 50 && sent.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      sent = await texts(learner.phone);
    }
    expect(sent).toHaveLength(1);
    // In the learner's first language (H'Mông), GSM-7, one segment.
    expect(sent[0].encoding).toBe('gsm7');
    expect(sent[0].text).toMatch(/^Ban So: koj tus code rov qab yog \d{3} \d{3}, siv tau hauv 30 feeb\./);
    expect(sent[0].text.length).toBeLessThanOrEqual(160);
    const [row] = await codesOf(learner.id);
    expect(row).toMatchObject({ channel: 'sms', issuedBy: null });
    const code = /(\d{3} \d{3})/.exec(sent[0].text)![1];
    expect((await recover(learner.phone, code)).status).toBe(200);

    // No account, or a staff account: the same answer, and no text.
    const nobody = uniquePhone();
    const trainer = await userWithRoles([{ role: 'trainer' }]);
    for (const phone of [nobody, trainer.phone]) {
      const answer = await api('/api/v1/auth/recovery/sms', { body: { phone } });
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual(asked.body);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await texts(nobody)).toEqual([]);
    expect(await texts(trainer.phone)).toEqual([]);
    expect(await codesOf(trainer.id)).toEqual([]);

    // Three texts an hour per number; a malformed number is a 400.
    for (let i = 0; i < 2; i++)
      expect((await api('/api/v1/auth/recovery/sms', { body: { phone: nobody } })).status).toBe(202);
    expectError(
      await api('/api/v1/auth/recovery/sms', { body: { phone: nobody } }),
      429,
      'IDENTITY_RECOVERY_RATE_LIMITED',
    );
    expectError(
      await api('/api/v1/auth/recovery/sms', { body: { phone: '12345' } }),
      400,
      'IDENTITY_INVALID_PHONE',
    );
  });

  it('works in the portal: the ambassador issues a code on their page, the learner sets a password with it', async () => {
    const learner = await villager();
    const helper = await Browser.signedIn(ambassador);
    expect((await helper.request('/my/ambassador')).text).toContain('href="/recovery-codes"');
    const form = await helper.request('/recovery-codes');
    expect(form.status).toBe(200);
    const issued = await helper.request('/recovery-codes', {
      form: { identifier: learner.phone, _csrf: Browser.csrfFrom(form.text) },
    });
    expect(issued.status).toBe(200);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    const code = /class="code-display"[^>]*>(\d{3} \d{3})</.exec(issued.text)![1];
    expect(issued.text).toContain('Sùng Thị Mỷ');
    expect((await codesOf(learner.id))[0].issuedBy).toBe(ambassador.id);

    // A learner who vouches for nobody cannot open the helper's page.
    const plain = await Browser.signedIn(await villager());
    expect((await plain.request('/recovery-codes')).status).toBe(403);

    const visitor = new Browser();
    expect((await visitor.request('/login')).text).toContain('href="/recover"');
    const page = await visitor.request('/recover');
    expect(page.text).toContain('action="/recover/sms"');
    const csrf = Browser.csrfFrom(page.text);
    const wrong = await visitor.request('/recover', {
      form: { identifier: learner.phone, code: '12', password: NEW_PASSWORD, _csrf: csrf },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('role="alert"');
    const done = await visitor.request('/recover', {
      form: { identifier: learner.phone, code, password: NEW_PASSWORD, _csrf: csrf },
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/?notice=recovered');
    expect((await login(learner.phone, NEW_PASSWORD)).status).toBe(200);
  });
});

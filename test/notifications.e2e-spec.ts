import { createECDH, randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  coordinatorOf,
  eligibleCandidate,
  quizCourse,
  testArea,
  testProgramme,
  type QuizCourse,
  type TestArea,
} from './factories/certification.factory.js';
import { registerLearner, userWithRoles, type TestUser } from './factories/user.factory.js';
import { api, expectError, testEnv } from './support/api.js';
import { Browser } from './support/portal-browser.js';

/**
 * The inbox and reminder channels over HTTP: every user reads and manages only their own, a
 * decision reaches the candidate's inbox through the worker, and the portal's page does the same
 * for people without the API. (Triggers, quiet hours, push and SMS: test/services/notifications.)
 */
describe('notifications', () => {
  let db: pg.Client;
  let area: TestArea;
  let course: QuizCourse;
  let programmeId: string;
  let coordinator: TestUser;
  let candidate: TestUser;
  let bystander: TestUser;
  let applicationId: string;
  const REASON = 'Chưa đủ 5 hộ được xác minh ở bản Sả Séng.';

  const subscription = (endpoint = `http://127.0.0.1:9/push/${randomBytes(6).toString('hex')}`) => {
    const keys = createECDH('prime256v1');
    keys.generateKeys();
    return {
      endpoint,
      expirationTime: null,
      keys: {
        p256dh: keys.getPublicKey().toString('base64url'),
        auth: randomBytes(16).toString('base64url'),
      },
    };
  };

  /** The worker's dispatch job (every 10 s) turns the decision into a notification. */
  const decisionArrives = async (token: string) => {
    for (const until = Date.now() + 40_000; Date.now() < until;) {
      const res = await api('/api/v1/me/notifications?pageSize=100', { token });
      const found = res.body.items.find((n: { kind: string }) => n.kind === 'application.rejected');
      if (found) return { inbox: res.body, notification: found };
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error('the decision did not reach the inbox');
  };

  beforeAll(async () => {
    db = new pg.Client({ connectionString: testEnv().DATABASE_URL });
    await db.connect();
    area = await testArea(1, 1);
    const [author, reviewer] = await Promise.all([
      userWithRoles([{ role: 'trainer' }]),
      userWithRoles([{ role: 'trainer' }]),
    ]);
    course = await quizCourse(author, reviewer);
    programmeId = await testProgramme(area, [course.courseId], 1);
    coordinator = await coordinatorOf(area.communes[0].id);
    candidate = await eligibleCandidate(area.communes[0].villageIds[0], course, 1, { languages: ['vi'] });
    bystander = await registerLearner();
    applicationId = (
      await api('/api/v1/certification/applications', { token: candidate.accessToken, body: { programmeId } })
    ).body.id;
    expect(
      (
        await api(`/api/v1/certification/applications/${applicationId}/reject`, {
          token: coordinator.accessToken,
          body: { reason: REASON },
        })
      ).status,
    ).toBe(200);
  });

  afterAll(() => db.end());

  it('puts a decision in the candidate’s inbox with its reason, once, in their language', async () => {
    const { inbox, notification } = await decisionArrives(candidate.accessToken);
    expect(notification).toMatchObject({
      kind: 'application.rejected',
      title: 'Hồ sơ Người bản số chưa được duyệt',
      body: `Hồ sơ của bạn chưa được duyệt. Lý do: ${REASON}`,
      locale: 'vi',
      link: '/my/ambassador',
      readAt: null,
    });
    expect(inbox.unread).toBeGreaterThanOrEqual(1);
    expect(inbox.items.filter((n: { kind: string }) => n.kind === 'application.rejected')).toHaveLength(1);
    // Another language on request.
    const hmn = await api('/api/v1/me/notifications?lang=hmn', { token: candidate.accessToken });
    expect(hmn.body.items.find((n: { id: string }) => n.id === notification.id)).toMatchObject({
      locale: 'hmn',
      title: 'Koj daim ntawv thov tsis tau pom zoo',
    });
    // The coordinator who decided hears nothing of it.
    const theirs = await api('/api/v1/me/notifications', { token: coordinator.accessToken });
    expect(theirs.body.items.some((n: { kind: string }) => n.kind.startsWith('application.'))).toBe(false);
  });

  it('marks read only the reader’s own notifications', async () => {
    const { notification } = await decisionArrives(candidate.accessToken);
    const path = `/api/v1/me/notifications/${notification.id}/read`;
    expectError(
      await api(path, { method: 'POST', token: bystander.accessToken }),
      404,
      'NOTIFICATION_NOT_FOUND',
    );
    expectError(await api(path, { method: 'POST' }), 401);
    expectError(
      await api('/api/v1/me/notifications/not-a-uuid/read', { method: 'POST', token: bystander.accessToken }),
      400,
    );
    const read = await api(path, { method: 'POST', token: candidate.accessToken });
    expect(read.status).toBe(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    // Reading again keeps the first time.
    expect((await api(path, { method: 'POST', token: candidate.accessToken })).body.readAt).toBe(
      read.body.readAt,
    );
    const unread = await api('/api/v1/me/notifications?unread=true', { token: candidate.accessToken });
    expect(unread.body.items.some((n: { id: string }) => n.id === notification.id)).toBe(false);
    expect(unread.body.total).toBe(unread.body.unread);
    const all = await api('/api/v1/me/notifications/read-all', {
      method: 'POST',
      token: candidate.accessToken,
    });
    expect(all.status).toBe(200);
    expect((await api('/api/v1/me/notifications', { token: candidate.accessToken })).body.unread).toBe(0);
    expectError(await api('/api/v1/me/notifications?unread=maybe', { token: candidate.accessToken }), 400);
    expectError(await api('/api/v1/me/notifications?lang=fr', { token: candidate.accessToken }), 400);
  });

  it('turns channels on and off per user', async () => {
    const learner = await registerLearner();
    const start = await api('/api/v1/me/notification-settings', { token: learner.accessToken });
    expect(start.body).toMatchObject({
      quietHours: { from: '21:00', until: '07:00', timeZone: 'Asia/Ho_Chi_Minh' },
      push: {
        enabled: true,
        available: true,
        subscriptions: 0,
        publicKey: expect.stringMatching(/^[\w-]{87}$/),
      },
      sms: { enabled: true, available: true, phone: `+84${learner.phone.slice(1)}` },
    });
    const off = await api('/api/v1/me/notification-settings/sms', {
      method: 'PUT',
      token: learner.accessToken,
      body: { enabled: false },
    });
    expect(off.body.sms.enabled).toBe(false);
    expect(off.body.push.enabled).toBe(true);
    // Someone else's choice is theirs.
    expect(
      (await api('/api/v1/me/notification-settings', { token: bystander.accessToken })).body.sms.enabled,
    ).toBe(true);
    expectError(
      await api('/api/v1/me/notification-settings/email', {
        method: 'PUT',
        token: learner.accessToken,
        body: { enabled: false },
      }),
      400,
    );
    expectError(
      await api('/api/v1/me/notification-settings/sms', {
        method: 'PUT',
        token: learner.accessToken,
        body: { enabled: 'no' },
      }),
      400,
    );
  });

  it('keeps push subscriptions only for browser push services, each removable by its owner only', async () => {
    const mine = subscription();
    const saved = await api('/api/v1/me/push-subscriptions', { token: candidate.accessToken, body: mine });
    expect(saved.status).toBe(200);
    // The same browser again: the same subscription.
    expect(
      (await api('/api/v1/me/push-subscriptions', { token: candidate.accessToken, body: mine })).body.id,
    ).toBe(saved.body.id);
    expect(
      (await api('/api/v1/me/notification-settings', { token: candidate.accessToken })).body.push
        .subscriptions,
    ).toBe(1);

    for (const endpoint of [
      'https://evil.example/collect',
      'http://10.0.0.1/push',
      'file:///etc/passwd',
      'http://user:pw@127.0.0.1/push',
      'not a url',
    ]) {
      const res = await api('/api/v1/me/push-subscriptions', {
        token: candidate.accessToken,
        body: subscription(endpoint),
      });
      expectError(res, 400, 'NOTIFICATION_SUBSCRIPTION_INVALID');
      expect(res.body.details.fields[0].field).toBe('endpoint');
    }
    const badKey = await api('/api/v1/me/push-subscriptions', {
      token: candidate.accessToken,
      body: { ...subscription(), keys: { p256dh: 'AAAA', auth: randomBytes(16).toString('base64url') } },
    });
    expectError(badKey, 400, 'NOTIFICATION_SUBSCRIPTION_INVALID');
    expect(badKey.body.details.fields[0].field).toBe('keys.p256dh');
    expectError(
      await api('/api/v1/me/push-subscriptions', {
        token: candidate.accessToken,
        body: { endpoint: mine.endpoint },
      }),
      400,
    );

    const path = `/api/v1/me/push-subscriptions/${saved.body.id}`;
    expectError(
      await api(path, { method: 'DELETE', token: bystander.accessToken }),
      404,
      'NOTIFICATION_SUBSCRIPTION_NOT_FOUND',
    );
    expect((await api(path, { method: 'DELETE', token: candidate.accessToken })).status).toBe(204);
    expectError(await api(path, { method: 'DELETE', token: candidate.accessToken }), 404);
  });

  it('gives every signed-in user the inbox page: open marks read and goes to the page it is about', async () => {
    const anonymous = new Browser();
    const refused = await anonymous.request('/notifications');
    expect([302, 303, 401]).toContain(refused.status);

    await db.query(`UPDATE notifications SET read_at = NULL WHERE user_id = $1`, [candidate.id]);
    const browser = await Browser.signedIn(candidate);
    const page = await browser.request('/notifications');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Hồ sơ Người bản số chưa được duyệt');
    expect(page.text).toContain(REASON);
    expect(page.text).toContain('<a href="/notifications">');
    expect(page.text).toContain('data-push');
    const csrf = Browser.csrfFrom(page.text);
    const id = /action="\/notifications\/([0-9a-f-]{36})\/open"/.exec(page.text)![1];
    const opened = await browser.request(`/notifications/${id}/open`, { form: { _csrf: csrf } });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/my/ambassador');
    const { rows } = await db.query(`SELECT read_at FROM notifications WHERE id = $1`, [id]);
    expect(rows[0].read_at).not.toBeNull();

    // Someone else's notification: not found, and nothing is marked.
    const other = await Browser.signedIn(bystander);
    const otherCsrf = Browser.csrfFrom((await other.request('/notifications')).text);
    await db.query(`UPDATE notifications SET read_at = NULL WHERE id = $1`, [id]);
    expect((await other.request(`/notifications/${id}/open`, { form: { _csrf: otherCsrf } })).status).toBe(
      404,
    );
    expect(
      (await db.query(`SELECT read_at FROM notifications WHERE id = $1`, [id])).rows[0].read_at,
    ).toBeNull();

    // Texts off from the page.
    const saved = await browser.request('/notifications/channels/sms', {
      form: { _csrf: csrf, enabled: 'false' },
    });
    expect(saved.status).toBe(303);
    expect(
      (await api('/api/v1/me/notification-settings', { token: candidate.accessToken })).body.sms.enabled,
    ).toBe(false);
    expect(
      (await browser.request('/notifications/channels/fax', { form: { _csrf: csrf, enabled: 'false' } }))
        .status,
    ).toBe(400);
    const hmn = await browser.request('/notifications?lang=hmn');
    expect(hmn.text).toContain('Xov xwm');
  });
});

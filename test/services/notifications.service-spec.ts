import { createECDH, randomBytes, randomUUID, type ECDH } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ece from 'http_ece';
import pg from 'pg';
import type { Principal } from '../../src/infrastructure/auth/roles.js';
import { OutboxReader } from '../../src/infrastructure/outbox/outbox.js';
import { ApplicationsService } from '../../src/modules/certification/applications.service.js';
import { ApplyDto } from '../../src/modules/certification/dto/certification.dto.js';
import { EnrolmentService } from '../../src/modules/learning/enrolment.service.js';
import { DeliveryService } from '../../src/modules/notifications/delivery.service.js';
import { NotificationsService } from '../../src/modules/notifications/notifications.service.js';
import { RemindersService } from '../../src/modules/notifications/reminders.service.js';
import { waitForCertificate, type QuizCourse, type TestArea } from '../factories/certification.factory.js';
import type { TestUser } from '../factories/driver.js';
import { factoriesVia } from '../factories/index.js';
import { serviceDriver } from '../factories/service-driver.js';
import { uniquePhoneEndingIn } from '../factories/user.factory.js';
import { testEnv } from '../support/api.js';
import { input, serviceContext, type ServiceContext } from '../support/service-context.js';

const DAY_MS = 86_400_000;
/** Monday 4 March 2030, 10:00 in Vietnam: a clock of the tests' own, ahead of the worker's. */
const MONDAY_10H = new Date('2030-03-04T03:00:00Z');
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

interface Sms {
  to: string;
  text: string;
  encoding: string;
}

/**
 * Reminders, each exactly once, against the real database, the fake SMS gateway `npm test` runs
 * and a Web Push endpoint served here. The scans and deliveries run on a clock of the tests' own
 * (2030), so the worker process (on the real clock) never sends what these tests wait for.
 */
describe('reminders', () => {
  let ctx: ServiceContext;
  let db: pg.Client;
  let reminders: RemindersService;
  let delivery: DeliveryService;
  let notifications: NotificationsService;
  let f: ReturnType<typeof factoriesVia>;
  let area: TestArea;
  let course: QuizCourse;
  let programmeId: string;

  const sent = async (phone: string): Promise<Sms[]> => {
    const e164 = `+84${phone.slice(1)}`;
    return (await fetch(`${testEnv().SMS_GATEWAY_URL}?to=${encodeURIComponent(e164)}`)).json() as Promise<
      Sms[]
    >;
  };
  const inbox = async (userId: string, kind?: string) =>
    (
      await db.query(
        `SELECT id, kind, params, link FROM notifications WHERE user_id = $1 AND ($2::text IS NULL OR kind = $2)
          ORDER BY created_at`,
        [userId, kind ?? null],
      )
    ).rows;
  const deliveries = async (userId: string) =>
    (
      await db.query(
        `SELECT d.channel, d.status, d.detail, d.due_at AS "dueAt", d.attempts FROM notification_deliveries d
           JOIN notifications n ON n.id = d.notification_id WHERE n.user_id = $1 ORDER BY d.channel`,
        [userId],
      )
    ).rows;

  /** A learner (phone `phone`) enrolled in the course and last active at `lastActive`. */
  const idleLearner = async (lastActive: Date, overrides: Record<string, unknown> = {}) => {
    const learner = await f.registerLearner({ languages: ['hmn', 'vi'], ...overrides });
    await ctx.get(EnrolmentService).enrolSelf(learner.id, course.courseId);
    await db.query(`UPDATE enrolments SET last_activity_at = $3 WHERE learner_id = $1 AND course_id = $2`, [
      learner.id,
      course.courseId,
      lastActive,
    ]);
    return learner;
  };

  beforeAll(async () => {
    ctx = await serviceContext();
    db = new pg.Client({ connectionString: testEnv().DATABASE_URL });
    await db.connect();
    reminders = ctx.get(RemindersService);
    delivery = ctx.get(DeliveryService);
    notifications = ctx.get(NotificationsService);
    f = factoriesVia(serviceDriver(ctx));
    const [author, reviewer] = await Promise.all([
      f.userWithRoles([{ role: 'trainer' }]),
      f.userWithRoles([{ role: 'trainer' }]),
    ]);
    [course, area] = await Promise.all([f.quizCourse(author, reviewer), f.testArea(1, 2)]);
    programmeId = await f.testProgramme(area, [course.courseId], 1);
  });

  afterAll(async () => {
    await db.end();
    await ctx.close();
  });

  // Each test's clock starts its own history: the idle-learner scan reads only what crossed since
  // its mark, and the tests' clocks do not run in one direction. A mark long ago: a platform that
  // has been scanning for a while (the first scan ever is tested on its own).
  beforeEach(async () => {
    await db.query(`DELETE FROM notification_scan_marks`);
    await db.query(
      `INSERT INTO notification_scan_marks (scan, scanned_until) VALUES ('learner.inactive', '2029-01-01')`,
    );
  });

  it('reminds an idle learner once per pause, in their language, and texts them once', async () => {
    const learner = await idleLearner(plus(MONDAY_10H, -8 * DAY_MS));
    expect(await reminders.scan(MONDAY_10H)).toBeGreaterThanOrEqual(1);
    await reminders.scan(MONDAY_10H);
    const [reminder, ...more] = await inbox(learner.id, 'learner.inactive');
    expect(more).toEqual([]);
    expect(reminder.params.days).toBe(8);
    expect(reminder.link).toBe(`/courses/${course.courseId}`);
    // The inbox reads it in H'Mông, the learner's first language.
    const { items } = await notifications.inbox(learner.id, { page: 1, pageSize: 10 }, ['hmn', 'vi']);
    expect(items[0]).toMatchObject({ kind: 'learner.inactive', locale: 'hmn', readAt: null });
    expect(items[0].body).toContain('8 hnub');

    await delivery.deliverDue(MONDAY_10H);
    await delivery.deliverDue(MONDAY_10H);
    const texts = await sent(learner.phone);
    expect(texts).toHaveLength(1);
    expect(texts[0].encoding).toBe('gsm7');
    expect(texts[0].text).toMatch(/^Ban So: koj tsis tau kawm "/);
    expect(texts[0].text.length).toBeLessThanOrEqual(160);
    expect(texts[0].text).toMatch(/^[\x20-\x7e]*$/);
    // No subscription: the push delivery is settled as skipped, not left queued.
    expect(await deliveries(learner.id)).toMatchObject([
      { channel: 'push', status: 'skipped', detail: 'no subscription' },
      { channel: 'sms', status: 'sent', attempts: 1 },
    ]);

    // The scan remembers how far it looked: the same clock again reads nothing.
    expect((await db.query(`SELECT scanned_until FROM notification_scan_marks`)).rows).toEqual([
      { scanned_until: plus(MONDAY_10H, -7 * DAY_MS) },
    ]);
    // Back to learning, then idle again: a new pause, a new reminder.
    await db.query(`UPDATE enrolments SET last_activity_at = $2 WHERE learner_id = $1`, [
      learner.id,
      plus(MONDAY_10H, DAY_MS),
    ]);
    await reminders.scan(plus(MONDAY_10H, 9 * DAY_MS));
    await reminders.scan(plus(MONDAY_10H, 9 * DAY_MS));
    expect(await inbox(learner.id, 'learner.inactive')).toHaveLength(2);
  });

  it('looks back one day only on its first scan ever, not at every pause the platform has seen', async () => {
    await db.query(`DELETE FROM notification_scan_marks`);
    const yesterday = await idleLearner(plus(MONDAY_10H, -7.5 * DAY_MS));
    const older = await idleLearner(plus(MONDAY_10H, -9 * DAY_MS));
    await reminders.scan(MONDAY_10H);
    expect(await inbox(yesterday.id, 'learner.inactive')).toHaveLength(1);
    expect(await inbox(older.id, 'learner.inactive')).toEqual([]);
  });

  it('does not remind learners idle for less than a week, or for more than a month', async () => {
    const recent = await idleLearner(plus(MONDAY_10H, -6 * DAY_MS));
    const long = await idleLearner(plus(MONDAY_10H, -31 * DAY_MS));
    await reminders.scan(MONDAY_10H);
    expect(await inbox(recent.id)).toEqual([]);
    expect(await inbox(long.id)).toEqual([]);
  });

  it('holds push and SMS during quiet hours (21:00–07:00) and sends them at 07:00', async () => {
    const evening = new Date('2030-03-05T15:30:00Z'); // 22:30 in Vietnam
    const learner = await idleLearner(plus(evening, -8 * DAY_MS));
    await reminders.scan(evening);
    // The inbox has it at once.
    expect(await inbox(learner.id, 'learner.inactive')).toHaveLength(1);
    const sevenAm = new Date('2030-03-06T00:00:00Z');
    expect((await deliveries(learner.id)).map((d) => d.dueAt)).toEqual([sevenAm, sevenAm]);
    await delivery.deliverDue(new Date('2030-03-05T16:00:00Z')); // 23:00
    await delivery.deliverDue(new Date('2030-03-05T23:59:00Z')); // 06:59
    expect(await sent(learner.phone)).toEqual([]);
    await delivery.deliverDue(sevenAm);
    expect(await sent(learner.phone)).toHaveLength(1);
  });

  it('sends nothing by a channel the user turned off; the inbox still has it', async () => {
    const learner = await idleLearner(plus(MONDAY_10H, -10 * DAY_MS), { languages: ['vi'] });
    const settings = await notifications.setChannel(learner.id, 'sms', false);
    expect(settings.sms).toMatchObject({ enabled: false, available: true });
    await reminders.scan(MONDAY_10H);
    await delivery.deliverDue(MONDAY_10H);
    expect(await sent(learner.phone)).toEqual([]);
    expect(await inbox(learner.id, 'learner.inactive')).toHaveLength(1);
    expect((await deliveries(learner.id)).find((d) => d.channel === 'sms')).toMatchObject({
      status: 'skipped',
      detail: 'opted out',
    });
    // Turned on again, the next reminder is texted (Vietnamese, without diacritics).
    // (Back the next day, then idle again: a week and a day later the scan finds the new pause.)
    await notifications.setChannel(learner.id, 'sms', true);
    await db.query(`UPDATE enrolments SET last_activity_at = $2 WHERE learner_id = $1`, [
      learner.id,
      plus(MONDAY_10H, DAY_MS),
    ]);
    await reminders.scan(plus(MONDAY_10H, 10 * DAY_MS));
    await delivery.deliverDue(plus(MONDAY_10H, 10 * DAY_MS));
    const texts = await sent(learner.phone);
    expect(texts).toHaveLength(1);
    expect(texts[0].text).toMatch(/^Ban So: da 9 ngay ban chua hoc tiep khoa "/);
  });

  it('retries an SMS the gateway could not take now, and gives up on one it refuses', async () => {
    const busy = await idleLearner(plus(MONDAY_10H, -8 * DAY_MS), { phone: uniquePhoneEndingIn('99') });
    const refused = await idleLearner(plus(MONDAY_10H, -8 * DAY_MS), {
      phone: uniquePhoneEndingIn('98'),
    });
    await reminders.scan(MONDAY_10H);
    await delivery.deliverDue(MONDAY_10H);
    const [busySms] = (await deliveries(busy.id)).filter((d) => d.channel === 'sms');
    expect(busySms).toMatchObject({ status: 'queued', attempts: 1, detail: 'SMS gateway answered 503' });
    expect(busySms.dueAt.getTime()).toBe(MONDAY_10H.getTime() + 60_000);
    const [refusedSms] = (await deliveries(refused.id)).filter((d) => d.channel === 'sms');
    expect(refusedSms).toMatchObject({ status: 'failed', attempts: 1, detail: 'SMS gateway answered 400' });
  });

  it('starts a new consumer at the present: facts committed before are not replayed', async () => {
    const outbox = ctx.get(OutboxReader);
    const consumer = `test-${randomUUID()}`;
    const fact = (n: number) =>
      db.query(`INSERT INTO domain_events (type, subject_id, payload) VALUES ('test.fact', $1, $2)`, [
        randomUUID(),
        { n },
      ]);
    await fact(1);
    await outbox.startAtPresent(consumer);
    await fact(2);
    // A second start keeps the position.
    await outbox.startAtPresent(consumer);
    const seen: number[] = [];
    for (let i = 0; i < 50 && seen.length === 0; i++) {
      await outbox.consumeBatch(consumer, ['test.fact'], async (events) => {
        seen.push(...events.map((e) => (e.payload as { n: number }).n));
      });
      if (seen.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toEqual([2]);
  });

  describe('Web Push', () => {
    let server: Server;
    let endpoint: string;
    const received: { headers: Record<string, unknown>; body: Buffer }[] = [];
    let answer = 201;
    let keys: ECDH;
    const auth = randomBytes(16).toString('base64url');

    beforeAll(async () => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({ headers: req.headers, body: Buffer.concat(chunks) });
          res.writeHead(answer).end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/push/${randomBytes(8).toString('hex')}`;
      keys = createECDH('prime256v1');
      keys.generateKeys();
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('sends an encrypted, VAPID-signed message the subscribed browser can read', async () => {
      const learner = await idleLearner(plus(MONDAY_10H, -8 * DAY_MS), { languages: ['vi'] });
      const { id } = await notifications.subscribe(learner.id, {
        endpoint,
        keys: { p256dh: keys.getPublicKey().toString('base64url'), auth },
      });
      expect((await notifications.settings(learner.id)).push).toMatchObject({
        enabled: true,
        subscriptions: 1,
      });
      await reminders.scan(MONDAY_10H);
      await delivery.deliverDue(MONDAY_10H);
      await delivery.deliverDue(MONDAY_10H);
      expect(received).toHaveLength(1);
      const [push] = received;
      expect(push.headers['content-encoding']).toBe('aes128gcm');
      expect(String(push.headers.authorization)).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
      expect(push.headers.ttl).toBe('86400');
      const message = JSON.parse(
        ece.decrypt(push.body, { version: 'aes128gcm', privateKey: keys, authSecret: auth }).toString('utf8'),
      );
      const [reminder] = await inbox(learner.id, 'learner.inactive');
      expect(message).toMatchObject({
        id: reminder.id,
        title: 'Học tiếp nhé!',
        url: `/courses/${course.courseId}`,
      });
      expect(message.body).toContain('Đã 8 ngày bạn chưa học tiếp khoá');
      expect((await deliveries(learner.id)).find((d) => d.channel === 'push')).toMatchObject({
        status: 'sent',
      });

      // The browser's subscription expired (410): forgotten, nothing left to send to.
      answer = 410;
      await db.query(`UPDATE enrolments SET last_activity_at = $2 WHERE learner_id = $1`, [
        learner.id,
        plus(MONDAY_10H, DAY_MS),
      ]);
      await reminders.scan(plus(MONDAY_10H, 9 * DAY_MS));
      await delivery.deliverDue(plus(MONDAY_10H, 9 * DAY_MS));
      expect(received).toHaveLength(2);
      expect((await notifications.settings(learner.id)).push.subscriptions).toBe(0);
      await expect(notifications.unsubscribe(learner.id, id)).rejects.toMatchObject({
        code: 'NOTIFICATION_SUBSCRIPTION_NOT_FOUND',
      });
    });
  });

  describe('certification', () => {
    let coordinator: Principal;
    let coordinatorUser: TestUser;
    const apply = async (candidate: TestUser) =>
      ctx
        .get(ApplicationsService)
        .apply(await ctx.principal(candidate), await input(ApplyDto, { programmeId }));

    beforeAll(async () => {
      coordinatorUser = await f.coordinatorOf(area.communes[0].id);
      coordinator = await ctx.principal(coordinatorUser);
    });

    it('tells the candidate the decision with its reason, and that the certificate is ready, once each', async () => {
      // A fact about an account that does not exist comes first: it is passed over, not a wall.
      await db.query(
        `INSERT INTO domain_events (type, subject_id, payload) VALUES ('certification.application_decided', $1, $2)`,
        [
          randomUUID(),
          {
            applicationId: randomUUID(),
            candidateId: randomUUID(),
            nominatedBy: null,
            decision: 'rejected',
            reason: '—',
          },
        ],
      );
      const candidate = await f.eligibleCandidate(area.communes[0].villageIds[0], course, 1);
      const rejected = await apply(candidate);
      await ctx
        .get(ApplicationsService)
        .decide(coordinator, rejected.id, 'rejected', 'Chưa xác minh được hộ dân.');
      await reminders.catchUp();
      await reminders.catchUp();
      const [decision, ...more] = await inbox(candidate.id, 'application.rejected');
      expect(more).toEqual([]);
      expect(decision.params).toEqual({ reason: 'Chưa xác minh được hộ dân.' });
      const { items } = await notifications.inbox(candidate.id, { page: 1, pageSize: 10 }, ['vi']);
      expect(items.find((n) => n.kind === 'application.rejected')?.body).toBe(
        'Hồ sơ của bạn chưa được duyệt. Lý do: Chưa xác minh được hộ dân.',
      );

      const approved = await apply(candidate);
      const decided = await ctx
        .get(ApplicationsService)
        .decide(coordinator, approved.id, 'approved', 'Đã xác minh tại thôn.');
      await waitForCertificate(candidate.accessToken, decided.certificate!.id);
      for (let i = 0; i < 50 && (await inbox(candidate.id, 'certificate.issued')).length === 0; i++) {
        await reminders.catchUp();
        await new Promise((r) => setTimeout(r, 100));
      }
      await reminders.catchUp();
      expect(await inbox(candidate.id, 'application.approved')).toHaveLength(1);
      const [issued, ...again] = await inbox(candidate.id, 'certificate.issued');
      expect(again).toEqual([]);
      expect(issued.params.expiresOn).toMatch(/^\d\d\/\d\d\/\d{4}$/);
      expect(issued.link).toBe('/my/certificates');

      // Its renewal window (the programme's 90 days before expiry) opens: one reminder.
      await db.query(`UPDATE certificates SET expires_at = $2 WHERE id = $1`, [
        decided.certificate!.id,
        plus(MONDAY_10H, 30 * DAY_MS),
      ]);
      await reminders.scan(plus(MONDAY_10H, -61 * DAY_MS));
      expect(await inbox(candidate.id, 'certificate.renewal')).toEqual([]);
      await reminders.scan(MONDAY_10H);
      await reminders.scan(MONDAY_10H);
      const [renewal, ...twice] = await inbox(candidate.id, 'certificate.renewal');
      expect(twice).toEqual([]);
      expect(renewal.params).toEqual({ expiresOn: '03/04/2030' });
    });

    it("urges the area's coordinators about applications waiting over 10 days, each application once", async () => {
      const [a, b] = await Promise.all(
        [0, 1].map((v) => f.eligibleCandidate(area.communes[0].villageIds[v], course, 1)),
      );
      const made = [await apply(a), await apply(b)];
      const provinceCoordinator = await f.coordinatorOf(area.provinceId);
      const waiting = async (userId: string) =>
        (await inbox(userId, 'applications.waiting')).map((n) => n.params.count);
      const madeAt = (at: Date) =>
        db.query(`UPDATE certification_applications SET created_at = $2 WHERE id = ANY ($1::uuid[])`, [
          made.map((m) => m.id),
          at,
        ]);

      await madeAt(plus(MONDAY_10H, -9 * DAY_MS));
      await reminders.scan(MONDAY_10H);
      expect(await waiting(coordinatorUser.id)).toEqual([]);
      await madeAt(plus(MONDAY_10H, -11 * DAY_MS));
      await reminders.scan(MONDAY_10H);
      await reminders.scan(MONDAY_10H);
      const before = await waiting(coordinatorUser.id);
      // Both in one reminder, to each coordinator covering them.
      expect(before).toEqual([2]);
      expect(await waiting(provinceCoordinator.id)).toEqual(before);

      const c = await f.eligibleCandidate(area.communes[0].villageIds[1], course, 1);
      await apply(c);
      await reminders.scan(MONDAY_10H);
      expect(await waiting(coordinatorUser.id)).toEqual([...before, 1]);
      // A coordinator of another commune hears nothing of these.
      const other = await f.testArea(1, 1);
      const outsider = await f.coordinatorOf(other.communes[0].id);
      await reminders.scan(MONDAY_10H);
      expect(await waiting(outsider.id)).toEqual([]);
    });

    it('sends each coordinator one weekly digest, from Monday 07:00', async () => {
      const digests = async () => inbox(coordinatorUser.id, 'digest.weekly');
      const earlier = (await digests()).length;
      // Monday 18 March 2030 at 06:59 in Vietnam: not yet.
      await reminders.scan(new Date('2030-03-17T23:59:00Z'));
      expect(await digests()).toHaveLength(earlier);
      // 07:00, and again on Wednesday: one digest for the week.
      await reminders.scan(new Date('2030-03-18T00:00:00Z'));
      await reminders.scan(new Date('2030-03-20T03:00:00Z'));
      const all = await digests();
      expect(all).toHaveLength(earlier + 1);
      const digest = all.at(-1)!;
      expect(digest.link).toBe(`/coordinate/dashboard?localityId=${area.communes[0].id}`);
      expect(digest.params).toMatchObject({
        enrolments: expect.any(Number),
        completions: expect.any(Number),
        certificates: expect.any(Number),
        waiting: expect.any(Number),
        // The commune's two villages: one has the ambassador certified above.
        uncovered: 1,
      });
      expect(typeof digest.params.place).toBe('string');
      const [{ n }] = (
        await db.query(
          `SELECT count(*)::int AS n FROM notification_triggers
            WHERE trigger_key = $1`,
          [`digest.weekly:${coordinatorUser.id}:${area.communes[0].id}:2030-03-18`],
        )
      ).rows;
      expect(n).toBe(1);
    });
  });
});

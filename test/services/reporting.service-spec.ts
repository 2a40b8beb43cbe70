import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Principal } from '../../src/infrastructure/auth/roles.js';
import { appendEvent, OutboxReader } from '../../src/infrastructure/outbox/outbox.js';
import { ApplicationsService } from '../../src/modules/certification/applications.service.js';
import { CertificateIssuanceService } from '../../src/modules/certification/certificate-issuance.service.js';
import { CertificatesService } from '../../src/modules/certification/certificates.service.js';
import { CERTIFICATE_ISSUED } from '../../src/modules/certification/certification.types.js';
import { ApplyDto } from '../../src/modules/certification/dto/certification.dto.js';
import { vietnamDay } from '../../src/infrastructure/i18n/vietnam-time.js';
import { ActivityService } from '../../src/modules/reporting/activity.service.js';
import { AmbassadorRegistryService } from '../../src/modules/reporting/ambassador-registry.service.js';
import type { QuizCourse, TestArea } from '../factories/certification.factory.js';
import { factoriesVia } from '../factories/index.js';
import { serviceDriver } from '../factories/service-driver.js';
import { input, serviceContext, type ServiceContext } from '../support/service-context.js';

/**
 * The reporting module's outbox consumer on the real database: every fact counted once, in commit
 * order, whoever runs it and however often; and the facts come from the real flows (a course
 * completed, a certificate issued and revoked).
 */
describe('ActivityService (outbox → daily activity)', () => {
  let ctx: ServiceContext;
  let activity: ActivityService;
  let dataSource: DataSource;
  let f: ReturnType<typeof factoriesVia>;
  let area: TestArea;
  let course: QuizCourse;
  let admin: Principal;
  let provinceCoordinator: Principal;
  let outsider: Principal;

  const village = (c: number, v: number) => area.communes[c].villageIds[v];
  const pathOf = async (villageId: string) =>
    (await dataSource.query(`SELECT path FROM localities WHERE id = $1`, [villageId]))[0].path as string;
  /** Totals of the last 30 days for a locality, as the API answers them. */
  const totals = async (localityId: string, who = admin) =>
    (await activity.activity(who, { localityId })).totals;
  /** A certificate_issued fact for a village, as certification writes it, in `sql`'s transaction. */
  const issuedFact = async (sql: { query(q: string, p?: unknown[]): Promise<unknown> }, villageId: string) =>
    appendEvent(sql, CERTIFICATE_ISSUED, randomUUID(), {
      certificateId: randomUUID(),
      holderId: randomUUID(),
      programmeId: randomUUID(),
      villageId,
      localityPath: await pathOf(villageId),
      at: new Date().toISOString(),
    });

  /**
   * Catches up until `check` holds: a transaction elsewhere in the cluster that is still open (a
   * test running beside this one) rightly holds the horizon back for a moment.
   */
  const counted = async (check: () => Promise<void>) => {
    for (const until = Date.now() + 20_000; ;) {
      await activity.catchUp();
      try {
        return await check();
      } catch (error) {
        if (Date.now() > until) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  beforeAll(async () => {
    ctx = await serviceContext();
    activity = ctx.get(ActivityService);
    dataSource = ctx.get(DataSource);
    f = factoriesVia(serviceDriver(ctx));
    const [author, reviewer] = await Promise.all([
      f.userWithRoles([{ role: 'trainer' }]),
      f.userWithRoles([{ role: 'trainer' }]),
    ]);
    [course, area] = await Promise.all([f.quizCourse(author, reviewer), f.testArea(2, 2)]);
    const elsewhere = await f.testArea(1, 1);
    admin = await ctx.principal(await f.userWithRoles([{ role: 'admin' }]));
    provinceCoordinator = await ctx.principal(await f.coordinatorOf(area.provinceId));
    outsider = await ctx.principal(await f.coordinatorOf(elsewhere.provinceId));
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('applies facts in their order, across batches and a power of ten, each once', async () => {
    // The facts' numbers gain a digit half-way: text order would put 1000 before 999.
    const [{ last }] = await dataSource.query(`SELECT last_value::text AS last FROM domain_events_seq_seq`);
    const below = 10 ** String(last).length - 5;
    if (below > Number(last)) await dataSource.query(`SELECT setval('domain_events_seq_seq', $1)`, [below]);
    const type = `test.fact-${randomUUID()}`;
    // One transaction, as when one sync batch completes several courses: the order is the numbers'.
    await dataSource.transaction(async (m) => {
      for (let i = 0; i < 12; i++) await appendEvent(m, type, randomUUID(), { i });
    });
    const consumer = `test-${randomUUID()}`;
    const applied: number[] = [];
    const read = () =>
      ctx
        .get(OutboxReader)
        .consumeBatch(
          consumer,
          [type],
          async (events) => void applied.push(...events.map((e) => (e.payload as { i: number }).i)),
          4,
        );
    for (const until = Date.now() + 20_000; applied.length < 12 && Date.now() < until;) {
      if ((await read()) === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(await read()).toBe(0);
    expect(applied).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('does not pass a fact whose transaction is still open, and counts it once it commits', async () => {
    const early = village(0, 0);
    const late = village(0, 1);
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // The open transaction writes first (smaller seq and xid); another commits after it.
      await issuedFact(runner, early);
      await issuedFact(dataSource, late);
      await activity.catchUp();
      // Counting the later fact now would move the position past the open one for good.
      expect(await totals(late)).toMatchObject({ certificatesIssued: 0 });
      expect(await totals(early)).toMatchObject({ certificatesIssued: 0 });
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    await counted(async () => {
      expect(await totals(early)).toMatchObject({ certificatesIssued: 1 });
      expect(await totals(late)).toMatchObject({ certificatesIssued: 1 });
    });
    // Running again (or replaying after a crash before the commit) adds nothing.
    await activity.catchUp();
    await activity.catchUp();
    expect(await totals(area.communes[0].id)).toMatchObject({ certificatesIssued: 2 });
  });

  it('never counts a fact whose transaction rolled back', async () => {
    const where = village(1, 1);
    await dataSource
      .transaction(async (m) => {
        await issuedFact(m, where);
        throw new Error('changed my mind');
      })
      .catch(() => undefined);
    // A fact committed after it: once that one is counted, the rolled-back one had its chance.
    await issuedFact(dataSource, where);
    await counted(async () => expect(await totals(where)).toMatchObject({ certificatesIssued: 1 }));
  });

  it('counts each fact once when several workers catch up at the same time', async () => {
    const where = village(1, 0);
    for (let i = 0; i < 60; i++) await issuedFact(dataSource, where);
    await counted(async () => {
      await Promise.all([activity.catchUp(), activity.catchUp(), activity.catchUp(), activity.catchUp()]);
      expect(await totals(where)).toMatchObject({ certificatesIssued: 60 });
    });
  });

  it('counts a completed course in the learner’s village and a certificate issued then revoked in the village it serves', async () => {
    const where = village(0, 0);
    const before = await totals(where);
    const programmeId = await f.testProgramme(area, [course.courseId], 2);
    const candidate = await f.eligibleCandidate(where, course);
    await counted(async () =>
      expect(await totals(where)).toMatchObject({ courseCompletions: before.courseCompletions + 1 }),
    );

    const who = await ctx.principal(candidate);
    const applications = ctx.get(ApplicationsService);
    const application = await applications.apply(who, await input(ApplyDto, { programmeId }));
    await applications.decide(provinceCoordinator, application.id, 'approved', 'Đã xác minh 2 hộ.');
    const certificateId = (await applications.detail(provinceCoordinator, application.id, ['vi']))
      .certificate!.id;
    // The worker may have issued it already; issuing is idempotent and writes the fact once.
    await ctx.get(CertificateIssuanceService).issue(certificateId);
    await ctx.get(CertificateIssuanceService).issue(certificateId);
    await ctx.get(CertificatesService).revoke(provinceCoordinator, certificateId, 'Cấp nhầm người.');
    await expect(
      ctx.get(CertificatesService).revoke(provinceCoordinator, certificateId, 'Thu hồi lần hai.'),
    ).rejects.toMatchObject({ code: 'CERT_ALREADY_REVOKED' });
    await counted(async () =>
      expect(await totals(where)).toMatchObject({ certificatesRevoked: before.certificatesRevoked + 1 }),
    );

    const after = await activity.activity(provinceCoordinator, { localityId: area.provinceId });
    const today = after.days.find((d) => d.day === vietnamDay(new Date()))!;
    expect(today).toMatchObject({ certificatesRevoked: 1 });
    expect(await totals(where)).toMatchObject({
      courseCompletions: before.courseCompletions + 1,
      certificatesIssued: before.certificatesIssued + 1,
      certificatesRevoked: before.certificatesRevoked + 1,
    });
    expect(after.updatedAt).not.toBeNull();
    // A revoked certificate leaves the registry.
    const registry = await ctx.get(AmbassadorRegistryService).ambassadors(admin, where, 1, 50);
    expect(registry.items.map((a) => a.certificateId)).not.toContain(certificateId);
  });

  it('answers a range of days inside the reader’s area only, and refuses a backwards or too long range', async () => {
    const report = await activity.activity(provinceCoordinator, {
      localityId: area.communes[1].id,
      from: '2026-01-01',
      to: '2026-01-31',
    });
    expect(report.days).toHaveLength(31);
    expect(report.days[0]).toEqual({
      day: '2026-01-01',
      courseCompletions: 0,
      certificatesIssued: 0,
      certificatesRevoked: 0,
    });
    expect((await activity.activity(admin, { localityId: area.provinceId })).days).toHaveLength(30);
    await expect(activity.activity(outsider, { localityId: area.provinceId })).rejects.toMatchObject({
      code: 'OUTSIDE_YOUR_AREA',
    });
    await expect(
      activity.activity(admin, { localityId: area.provinceId, from: '2026-02-01', to: '2026-01-31' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'from' }] } });
    await expect(
      activity.activity(admin, { localityId: area.provinceId, from: '2024-01-01', to: '2026-01-31' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(activity.activity(admin, { localityId: randomUUID() })).rejects.toMatchObject({
      code: 'GEOGRAPHY_LOCALITY_NOT_FOUND',
    });
  });
});

import { randomUUID } from 'node:crypto';
import { ApplicationsService } from '../../src/modules/certification/applications.service.js';
import { CertificatesService } from '../../src/modules/certification/certificates.service.js';
import {
  ApplicationQueueQueryDto,
  ApplyDto,
  UpdateProgrammeDto,
} from '../../src/modules/certification/dto/certification.dto.js';
import { ProgrammesService } from '../../src/modules/certification/programmes.service.js';
import type { Principal } from '../../src/infrastructure/auth/roles.js';
import type { QuizCourse, TestArea } from '../factories/certification.factory.js';
import type { PlatformDriver, TestUser } from '../factories/driver.js';
import { factoriesVia } from '../factories/index.js';
import { serviceDriver } from '../factories/service-driver.js';
import { input, serviceContext, type ServiceContext } from '../support/service-context.js';

/**
 * Applications for the "Người bản số" certificate and their review (maker–checker), on
 * ApplicationsService with the real database; certificates are issued by the real worker.
 */
describe('ApplicationsService', () => {
  let ctx: ServiceContext;
  let applications: ApplicationsService;
  let driver: PlatformDriver;
  let f: ReturnType<typeof factoriesVia>;
  let area: TestArea;
  let elsewhere: TestArea;
  let course: QuizCourse;
  let programmeId: string;
  let trainer: TestUser;
  /** Coordinators of the province, of each of its two communes, and of another province. */
  const coordinator = {} as Record<'province' | 'commune1' | 'commune2' | 'elsewhere', Principal>;
  let trainerPrincipal: Principal;
  let bystander: Principal;

  /** Village `v` (0 or 1) of commune `c` (0 or 1) of the test province. */
  const village = (c: number, v: number) => area.communes[c].villageIds[v];
  const apply = async (who: Principal, body: Record<string, unknown>) =>
    applications.apply(who, await input(ApplyDto, body));
  const queueOf = async (who: Principal, query: Record<string, unknown> = {}) =>
    (
      await applications.queue(who, await input(ApplicationQueueQueryDto, { pageSize: 100, ...query }))
    ).items.map((a) => a.id);
  const candidateIn = async (villageId: string) => {
    const user = await f.eligibleCandidate(villageId, course);
    return { user, who: await ctx.principal(user) };
  };

  beforeAll(async () => {
    ctx = await serviceContext();
    applications = ctx.get(ApplicationsService);
    driver = serviceDriver(ctx);
    f = factoriesVia(driver);
    const [author, reviewer] = await Promise.all([
      f.userWithRoles([{ role: 'trainer' }]),
      f.userWithRoles([{ role: 'trainer' }]),
    ]);
    trainer = reviewer;
    [course, area, elsewhere] = await Promise.all([
      f.quizCourse(author, reviewer),
      f.testArea(2, 2),
      f.testArea(1, 1),
    ]);
    programmeId = await f.testProgramme(area, [course.courseId], 2);
    const [province, commune1, commune2, other, learner] = await Promise.all([
      f.coordinatorOf(area.provinceId),
      f.coordinatorOf(area.communes[0].id),
      f.coordinatorOf(area.communes[1].id),
      f.coordinatorOf(elsewhere.provinceId),
      f.registerLearner({ villageId: area.communes[0].villageIds[0] }),
    ]);
    coordinator.province = await ctx.principal(province);
    coordinator.commune1 = await ctx.principal(commune1);
    coordinator.commune2 = await ctx.principal(commune2);
    coordinator.elsewhere = await ctx.principal(other);
    trainerPrincipal = await ctx.principal(trainer);
    bystander = await ctx.principal(learner);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('refuses an application that does not meet the programme, saying what is missing, and records nothing', async () => {
    const newcomer = await f.registerLearner({ villageId: village(0, 0) });
    const who = await ctx.principal(newcomer);
    const refusal = apply(who, { programmeId });
    await expect(refusal).rejects.toMatchObject({ code: 'CERT_NOT_ELIGIBLE' });
    const missing = ((await refusal.catch((e) => e)).details.missing as { kind: string }[]).map(
      (i) => i.kind,
    );
    expect(missing).toEqual(expect.arrayContaining(['course', 'quizAverage', 'households']));
    expect(missing).not.toContain('village');
    expect(await applications.mine(who)).toEqual([]);

    await expect(apply(who, { programmeId: randomUUID() })).rejects.toMatchObject({
      code: 'CERT_PROGRAMME_NOT_FOUND',
    });
    // The village served must be a village of the programme's province.
    for (const villageId of [elsewhere.communes[0].villageIds[0], area.communes[0].id]) {
      await expect(apply(who, { programmeId, villageId })).rejects.toMatchObject({
        code: 'CERT_INVALID_VILLAGE',
      });
    }
    const homeless = await ctx.principal(await f.registerLearner());
    await expect(apply(homeless, { programmeId })).rejects.toMatchObject({ code: 'CERT_INVALID_VILLAGE' });

    const closed = await f.testProgramme(area, [course.courseId], 2);
    await ctx.get(ProgrammesService).update(closed, await input(UpdateProgrammeDto, { active: false }));
    const eligible = await candidateIn(village(0, 0));
    await expect(apply(eligible.who, { programmeId: closed })).rejects.toMatchObject({
      code: 'CERT_PROGRAMME_INACTIVE',
    });
    expect(await applications.mine(eligible.who)).toEqual([]);
  });

  it('takes an eligible application once, judged on a snapshot, and shows it to coordinators of its village only', async () => {
    const candidate = await candidateIn(village(0, 0));
    const statement = 'Tôi đã giúp bà con trong bản cài VNeID.';
    const application = await apply(candidate.who, { programmeId, statement });
    expect(application).toMatchObject({
      candidateId: candidate.user.id,
      villageId: village(0, 0),
      kind: 'initial',
      status: 'submitted',
      nominatedBy: null,
      statement,
      decidedBy: null,
      eligibility: { eligible: true, households: { actual: 2, met: true }, quizAverage: { actual: 100 } },
    });
    await expect(apply(candidate.who, { programmeId })).rejects.toMatchObject({
      code: 'CERT_ALREADY_APPLIED',
    });
    expect((await applications.mine(candidate.who)).map((a) => a.id)).toEqual([application.id]);

    expect(await queueOf(coordinator.commune1)).toContain(application.id);
    expect(await queueOf(coordinator.province)).toContain(application.id);
    expect(await queueOf(coordinator.commune2)).not.toContain(application.id);
    expect(await queueOf(coordinator.elsewhere)).not.toContain(application.id);
    await expect(queueOf(coordinator.commune2, { localityId: area.communes[0].id })).rejects.toMatchObject({
      code: 'OUTSIDE_YOUR_AREA',
    });
    await expect(queueOf(bystander)).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const seen = await applications.detail(coordinator.commune1, application.id, ['vi']);
    expect(seen.checklist).toMatchObject({ eligible: true });
    expect(seen.audit.map((e) => [e.action, e.actorId, e.toStatus])).toEqual([
      ['application.submitted', candidate.user.id, 'submitted'],
    ]);
    await expect(applications.detail(coordinator.commune2, application.id, ['vi'])).rejects.toMatchObject({
      code: 'OUTSIDE_YOUR_AREA',
    });
    await expect(applications.detail(bystander, application.id, ['vi'])).rejects.toMatchObject({
      code: 'CERT_APPLICATION_NOT_FOUND',
    });
  });

  it('takes nominations from trainers only; the candidate or the nominator withdraws, and a withdrawn application is closed', async () => {
    const candidate = await candidateIn(village(0, 1));
    await expect(apply(bystander, { programmeId, candidateId: candidate.user.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(apply(trainerPrincipal, { programmeId, candidateId: randomUUID() })).rejects.toMatchObject({
      code: 'CERT_CANDIDATE_NOT_FOUND',
    });
    const nominated = await apply(trainerPrincipal, { programmeId, candidateId: candidate.user.id });
    expect(nominated).toMatchObject({
      candidateId: candidate.user.id,
      nominatedBy: trainer.id,
      status: 'submitted',
    });

    await expect(applications.withdraw(coordinator.commune1, nominated.id, ['vi'])).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(applications.withdraw(bystander, nominated.id, ['vi'])).rejects.toMatchObject({
      code: 'CERT_APPLICATION_NOT_FOUND',
    });
    const withdrawn = await applications.withdraw(trainerPrincipal, nominated.id, ['vi']);
    expect(withdrawn.status).toBe('withdrawn');
    expect(withdrawn.audit.map((e) => [e.action, e.actorId])).toEqual([
      ['application.nominated', trainer.id],
      ['application.withdrawn', trainer.id],
    ]);
    await expect(applications.withdraw(candidate.who, nominated.id, ['vi'])).rejects.toMatchObject({
      code: 'CERT_APPLICATION_ALREADY_DECIDED',
    });
    await expect(
      applications.decide(coordinator.commune1, nominated.id, 'approved', 'Đã xác minh.'),
    ).rejects.toMatchObject({ code: 'CERT_APPLICATION_ALREADY_DECIDED' });

    // Withdrawn, it no longer blocks a new application; the candidate withdraws that one.
    const own = await apply(candidate.who, { programmeId });
    expect((await applications.withdraw(candidate.who, own.id, ['vi'])).status).toBe('withdrawn');
    expect(await queueOf(coordinator.commune1, { status: 'withdrawn' })).toEqual(
      expect.arrayContaining([nominated.id, own.id]),
    );
  });

  it('lets only a coordinator covering the village decide, and never on an application they made or nominated', async () => {
    const candidate = await candidateIn(village(1, 0));
    const application = await apply(candidate.who, { programmeId });
    const decide = (who: Principal) =>
      applications.decide(who, application.id, 'approved', 'Đã xác minh 2 hộ.');
    await expect(decide(coordinator.commune1)).rejects.toMatchObject({ code: 'OUTSIDE_YOUR_AREA' });
    await expect(decide(coordinator.elsewhere)).rejects.toMatchObject({ code: 'OUTSIDE_YOUR_AREA' });
    await expect(decide(trainerPrincipal)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(decide(candidate.who)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      applications.decide(coordinator.commune2, randomUUID(), 'rejected', 'Không có hồ sơ.'),
    ).rejects.toMatchObject({ code: 'CERT_APPLICATION_NOT_FOUND' });

    // A candidate who coordinates their own commune does not decide on their own application…
    const ambassador = await candidateIn(village(1, 1));
    const admin = await driver.adminAccessToken();
    await driver.setRoles(admin, ambassador.user.id, [
      { role: 'learner' },
      { role: 'coordinator', localityId: area.communes[1].id },
    ]);
    const own = await apply(ambassador.who, { programmeId });
    await expect(
      applications.decide(await ctx.principal(ambassador.user), own.id, 'approved', 'Tự duyệt.'),
    ).rejects.toMatchObject({ code: 'CERT_OWN_APPLICATION' });

    // …and a trainer who coordinates the province does not decide on one they nominated.
    const mentor = await f.userWithRoles([
      { role: 'trainer' },
      { role: 'coordinator', localityId: area.provinceId },
    ]);
    const mentorWho = await ctx.principal(mentor);
    const protege = await candidateIn(village(1, 0));
    const nominated = await apply(mentorWho, { programmeId, candidateId: protege.user.id });
    await expect(applications.decide(mentorWho, nominated.id, 'rejected', 'Tự quyết.')).rejects.toMatchObject(
      {
        code: 'CERT_OWN_APPLICATION',
      },
    );

    for (const id of [application.id, own.id, nominated.id]) {
      const { status, decidedBy } = await applications.detail(coordinator.province, id, ['vi']);
      expect({ status, decidedBy }).toEqual({ status: 'submitted', decidedBy: null });
    }
    // Another coordinator of the area may.
    expect((await applications.decide(coordinator.province, own.id, 'approved', 'Đã xác minh.')).status).toBe(
      'approved',
    );
  });

  it('records a rejection with its reason and who decided, and reserves no certificate', async () => {
    const candidate = await candidateIn(village(1, 0));
    const application = await apply(candidate.who, { programmeId });
    const reason = 'Chưa xác minh được hộ thứ hai ở thôn Pạc Tà.';
    const decided = await applications.decide(coordinator.commune2, application.id, 'rejected', reason);
    expect(decided).toMatchObject({
      status: 'rejected',
      decidedBy: coordinator.commune2.userId,
      decisionReason: reason,
      certificate: null,
    });
    expect(decided.decidedAt).toEqual(expect.any(String));

    const seen = await applications.detail(candidate.who, application.id, ['vi']);
    expect(seen).toMatchObject({ status: 'rejected', decisionReason: reason, certificate: null });
    expect(seen.audit.map((e) => [e.action, e.actorId, e.reason])).toEqual([
      ['application.submitted', candidate.user.id, null],
      ['application.rejected', coordinator.commune2.userId, reason],
    ]);
    await expect(
      applications.decide(coordinator.province, application.id, 'approved', 'Duyệt lại.'),
    ).rejects.toMatchObject({ code: 'CERT_APPLICATION_ALREADY_DECIDED' });
    expect(await ctx.get(CertificatesService).mine(candidate.who)).toEqual([]);
  });

  it('approves once: two coordinators approving at the same moment reserve exactly one certificate, which the worker issues', async () => {
    const candidate = await candidateIn(village(0, 1));
    const application = await apply(candidate.who, { programmeId });
    const deciders = [coordinator.commune1, coordinator.province];
    const results = await Promise.allSettled(
      deciders.map((who) => applications.decide(who, application.id, 'approved', 'Đã xác minh 2 hộ.')),
    );
    const approved = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(approved).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { code: 'CERT_APPLICATION_ALREADY_DECIDED' },
    });
    const { certificate } = approved[0];
    expect(certificate).toMatchObject({ status: 'pending', holderId: candidate.user.id, programmeId });

    const certificates = ctx.get(CertificatesService);
    expect((await certificates.mine(candidate.who)).map((c) => c.id)).toEqual([certificate!.id]);
    const seen = await applications.detail(coordinator.commune1, application.id, ['vi']);
    expect(seen.status).toBe('approved');
    // The worker may already have issued it (certificate.issued): that race is the worker's to win.
    expect(
      seen.audit
        .map((e) => e.action)
        .filter((action) => action !== 'certificate.issued')
        .sort(),
    ).toEqual(['application.approved', 'application.submitted', 'certificate.reserved'].sort());

    // Issued in the background by the worker process, through the real queue.
    const deadline = Date.now() + 30_000;
    let issued = await certificates.detail(candidate.who, certificate!.id);
    while (issued.status === 'pending' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      issued = await certificates.detail(candidate.who, certificate!.id);
    }
    expect(issued).toMatchObject({ status: 'valid', serial: certificate!.serial });
    expect(issued.pdfSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await certificates.mine(candidate.who)).length).toBe(1);

    await expect(apply(candidate.who, { programmeId })).rejects.toMatchObject({
      code: 'CERT_ALREADY_CERTIFIED',
      details: { certificateId: certificate!.id },
    });
  });

  it('checks eligibility again when approving: under rules raised since, the application is not approved', async () => {
    const strict = await f.testProgramme(area, [course.courseId], 2);
    const candidate = await candidateIn(village(0, 0));
    const application = await apply(candidate.who, { programmeId: strict });
    await ctx.get(ProgrammesService).update(strict, await input(UpdateProgrammeDto, { minHouseholds: 5 }));

    await expect(
      applications.decide(coordinator.commune1, application.id, 'approved', 'Đã xác minh.'),
    ).rejects.toMatchObject({ code: 'CERT_NOT_ELIGIBLE' });
    expect((await applications.detail(candidate.who, application.id, ['vi'])).status).toBe('submitted');
    expect(await ctx.get(CertificatesService).mine(candidate.who)).toEqual([]);

    // Three more households later, it is.
    await f.logHouseholds(candidate.user, 3, 'Hộ bà Lò Thị');
    const approved = await applications.decide(coordinator.commune1, application.id, 'approved', 'Đủ 5 hộ.');
    expect(approved).toMatchObject({
      status: 'approved',
      eligibility: { households: { actual: 5, met: true } },
    });
  });
});

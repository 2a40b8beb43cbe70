import { DataSource } from 'typeorm';
import { ApplicationsService } from '../../src/modules/certification/applications.service.js';
import { CertificateIssuanceService } from '../../src/modules/certification/certificate-issuance.service.js';
import { CertificatesService } from '../../src/modules/certification/certificates.service.js';
import { CredentialIssuerService } from '../../src/modules/certification/credential-issuer.service.js';
import { ApplyDto } from '../../src/modules/certification/dto/certification.dto.js';
import { StorageService } from '../../src/infrastructure/storage/storage.service.js';
import { Buckets } from '../../src/infrastructure/storage/storage-keys.js';
import type { Principal } from '../../src/infrastructure/auth/roles.js';
import { factoriesVia } from '../factories/index.js';
import { serviceDriver } from '../factories/service-driver.js';
import { input, serviceContext, type ServiceContext } from '../support/service-context.js';

/**
 * Certificates from before the Data Integrity credentials (a VC-JWT, no status entry) are
 * re-signed by the worker's sweep, and one reserved before the lists gets its entry when issued:
 * nothing already issued is left unverifiable, and a revocation made meanwhile is in the list.
 */
describe('credentials of certificates issued before the status lists', () => {
  let ctx: ServiceContext;
  let db: DataSource;
  let issuance: CertificateIssuanceService;
  let coordinator: Principal;
  let certify: () => Promise<{ id: string; holder: Principal }>;

  const row = async (id: string) =>
    (
      await db.query(
        `SELECT c.status_list_id AS "listId", c.status_list_index AS index, c.credential_key AS key,
                c.verification_code AS code, c.ready_at AS "readyAt",
                get_bit(l.bits, (c.status_list_index / 8) * 8 + 7 - c.status_list_index % 8) AS bit
           FROM certificates c LEFT JOIN credential_status_lists l ON l.id = c.status_list_id
          WHERE c.id = $1`,
        [id],
      )
    )[0];
  /** The worker issues it in the background; tests change it only once that is done. */
  const issuedByWorker = async (id: string) => {
    for (let until = Date.now() + 30_000; !(await row(id)).readyAt;) {
      if (Date.now() > until) throw new Error(`certificate ${id} not issued`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const storedCredential = async (key: string) =>
    JSON.parse((await ctx.get(StorageService).getBuffer(Buckets.certificates, key)).toString('utf8'));

  beforeAll(async () => {
    ctx = await serviceContext();
    db = ctx.get(DataSource);
    issuance = ctx.get(CertificateIssuanceService);
    const f = factoriesVia(serviceDriver(ctx));
    const [author, reviewer, area] = await Promise.all([
      f.userWithRoles([{ role: 'trainer' }]),
      f.userWithRoles([{ role: 'trainer' }]),
      f.testArea(1, 1),
    ]);
    const course = await f.quizCourse(author, reviewer);
    const programmeId = await f.testProgramme(area, [course.courseId], 1);
    coordinator = await ctx.principal(await f.coordinatorOf(area.provinceId));
    const applications = ctx.get(ApplicationsService);
    certify = async () => {
      const holder = await ctx.principal(
        await f.eligibleCandidate(area.communes[0].villageIds[0], course, 1),
      );
      const application = await applications.apply(holder, await input(ApplyDto, { programmeId }));
      const decided = await applications.decide(coordinator, application.id, 'approved', 'Đã xác minh.');
      return { id: decided.certificate!.id, holder };
    };
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('re-signs a VC-JWT-era certificate with a status entry, its bit set if it was revoked since', async () => {
    const { id } = await certify();
    await issuedByWorker(id);
    // As the previous release left it: a JWT, no entry; then revoked before the sweep came.
    await db.query(
      `UPDATE certificates SET status_list_id = NULL, status_list_index = NULL,
              credential_key = replace(credential_key, 'credential.json', 'credential.jwt')
        WHERE id = $1`,
      [id],
    );
    await ctx.get(CertificatesService).revoke(coordinator, id, 'Chuyển đi nơi khác.');
    expect(await row(id)).toMatchObject({ listId: null, key: expect.stringMatching(/\.jwt$/) });

    await issuance.resignUnlisted(); // the worker's sweep may have run first: the outcome is the same
    const after = await row(id);
    expect(after).toMatchObject({
      listId: expect.any(Number),
      bit: 1,
      key: expect.stringMatching(/\.json$/),
    });
    const credential = await storedCredential(after.key);
    expect(credential.credentialStatus.statusListIndex).toBe(String(after.index));
    const report = await ctx.get(CredentialIssuerService).check(credential);
    expect(report.checks.map((c) => [c.name, c.outcome])).toEqual([
      ['format', 'passed'],
      ['issuerKey', 'passed'],
      ['signature', 'passed'],
      ['status', 'failed'],
      ['validity', 'passed'],
      ['pdf', 'not-checked'],
    ]);
    expect(report.revoked).toBe(true);
    // A second sweep finds nothing left of it.
    await issuance.resignUnlisted();
    expect((await row(id)).index).toBe(after.index);
  });

  it('gives a certificate reserved before the lists its entry when it is issued', async () => {
    const { id } = await certify();
    await issuedByWorker(id);
    // As if reserved by the previous release: no entry, not issued yet.
    await db.query(
      `UPDATE certificates SET status_list_id = NULL, status_list_index = NULL, ready_at = NULL,
              pdf_key = NULL, pdf_sha256 = NULL, pdf_bytes = NULL, credential_key = NULL, credential_key_id = NULL
        WHERE id = $1`,
      [id],
    );
    expect(await issuance.issue(id)).toBe('issued');
    const issued = await row(id);
    expect(issued).toMatchObject({ listId: expect.any(Number), bit: 0, readyAt: expect.any(Date) });
    const report = await ctx.get(CredentialIssuerService).check(await storedCredential(issued.key));
    expect([report.valid, report.revoked]).toEqual([true, false]);
  });
});

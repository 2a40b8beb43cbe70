import { createHash } from 'node:crypto';
import pg from 'pg';
import {
  coordinatorOf,
  eligibleCandidate,
  quizCourse,
  testArea,
  testProgramme,
} from './factories/certification.factory.js';
import { userWithRoles } from './factories/user.factory.js';
import { api, testEnv } from './support/api.js';
import { checkIssued, downloadedCredential } from './support/credentials.js';
import { startPlatform, type PlatformProcess } from './support/platform-process.js';

/**
 * A worker killed with SIGKILL in the middle of issuing certificates loses none and duplicates
 * none: after a new worker starts, every approval has exactly one certificate, serials run
 * without gaps, and every stored PDF matches its recorded hash.
 */
describe('certificate issuance durability', () => {
  let db: pg.Client;
  const processes: PlatformProcess[] = [];

  beforeAll(async () => {
    db = new pg.Client({ connectionString: testEnv().DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await db.end();
  });

  it('issues each approved certificate exactly once across a killed worker', async () => {
    const area = await testArea(1, 1);
    const village = area.communes[0].villageIds[0];
    const course = await quizCourse(
      await userWithRoles([{ role: 'trainer' }]),
      await userWithRoles([{ role: 'trainer' }]),
    );
    const programmeId = await testProgramme(area, [course.courseId], 1);
    const coordinator = await coordinatorOf(area.provinceId);
    const N = 24;
    const candidates = await Promise.all(
      Array.from({ length: N }, () => eligibleCandidate(village, course, 1)),
    );
    const applications: string[] = [];
    for (const c of candidates) {
      const res = await api('/api/v1/certification/applications', {
        token: c.accessToken,
        body: { programmeId },
      });
      applications.push(res.body.id);
    }

    // Own queues, so only the worker this test controls issues these certificates.
    const env = { ...testEnv(), QUEUE_PREFIX: `kill${Date.now() % 100000}` };
    const apiProcess = await startPlatform('api', env);
    processes.push(apiProcess);
    const approvals = await Promise.all(
      applications.map((id) =>
        api(`/api/v1/certification/applications/${id}/approve`, {
          base: apiProcess.url,
          token: coordinator.accessToken,
          body: { reason: 'Đủ điều kiện.' },
        }),
      ),
    );
    expect(approvals.map((r) => `${r.status} ${r.status === 200 ? '' : r.text}`)).toEqual(
      approvals.map(() => '200 '),
    );
    const count = async (where: string) =>
      (
        await db.query(`SELECT count(*)::int AS n FROM certificates WHERE programme_id = $1 AND ${where}`, [
          programmeId,
        ])
      ).rows[0].n as number;
    expect(await count('true')).toBe(N);

    const worker = await startPlatform('worker', env);
    processes.push(worker);
    while ((await count('ready_at IS NOT NULL')) < 3) await new Promise((r) => setTimeout(r, 5));
    worker.child.kill('SIGKILL');
    await worker.exited;
    const readyAtKill = await count('ready_at IS NOT NULL');
    expect(readyAtKill).toBeLessThan(N); // killed mid-run

    processes.push(await startPlatform('worker', env));
    const deadline = Date.now() + 90_000;
    while ((await count('ready_at IS NOT NULL')) < N && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }

    const { rows } = await db.query(
      `SELECT id, application_id, serial, pdf_sha256, ready_at FROM certificates WHERE programme_id = $1 ORDER BY serial`,
      [programmeId],
    );
    expect(rows.filter((r) => r.ready_at)).toHaveLength(N); // nothing lost
    expect(new Set(rows.map((r) => r.application_id)).size).toBe(N); // one per approval
    expect(rows.map((r) => Number(r.serial.slice(-6)))).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    const audits = await db.query(
      `SELECT certificate_id, count(*)::int AS n FROM certification_audit
        WHERE action = 'certificate.issued' AND certificate_id = ANY($1) GROUP BY certificate_id`,
      [rows.map((r) => r.id)],
    );
    expect(audits.rows.every((a) => a.n === 1)).toBe(true);
    expect(audits.rows).toHaveLength(N);

    // Each has its own revocation entry, taken in the reserving transaction.
    const entries = await db.query(
      `SELECT count(DISTINCT (status_list_id, status_list_index))::int AS n FROM certificates
        WHERE id = ANY($1) AND status_list_id IS NOT NULL`,
      [rows.map((r) => r.id)],
    );
    expect(entries.rows[0].n).toBe(N);

    // Every stored PDF is the one whose hash was recorded, and every credential verifies.
    for (const [i, c] of candidates.entries()) {
      const [mine] = (await api('/api/v1/certificates/mine', { token: c.accessToken })).body;
      const pdf = Buffer.from(await (await fetch(mine.downloads.pdf)).arrayBuffer());
      expect(createHash('sha256').update(pdf).digest('hex')).toBe(mine.pdfSha256);
      if (i < 5) {
        const report = await checkIssued(await downloadedCredential(mine), { pdfSha256: mine.pdfSha256 });
        expect(report.checks.filter((x) => x.outcome !== 'passed')).toEqual([]);
      }
    }
  });
});

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import {
  coordinatorOf,
  eligibleCandidate,
  logHouseholds,
  quizCourse,
  completeCourse,
  testArea,
  testProgramme,
  waitForCertificate,
  type QuizCourse,
  type TestArea,
} from './factories/certification.factory.js';
import { adminAccessToken, registerLearner, userWithRoles, type TestUser } from './factories/user.factory.js';
import { api, expectError, testEnv } from './support/api.js';
import { checkIssued, downloadedCredential, TEST_PUBLIC_BASE } from './support/credentials.js';
import { ROOT, runScript, startPlatform } from './support/platform-process.js';

const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** The packages a compiled file loads, following its relative imports (node: built-ins left out). */
function bareImportsOf(file: string): string[] {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const text = readFileSync(path, 'utf8');
    for (const m of text.matchAll(/\bfrom\s+'([^']+)'|\bimport\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.')) visit(resolve(dirname(path), spec));
      else if (!spec.startsWith('node:'))
        packages.add(
          spec
            .split('/')
            .slice(0, spec.startsWith('@') ? 2 : 1)
            .join('/'),
        );
    }
  };
  visit(join(ROOT, file));
  return [...packages];
}

const approve = (token: string, id: string, reason = 'Đã xác minh các hộ tại thôn.') =>
  api(`/api/v1/certification/applications/${id}/approve`, { token, body: { reason } });
const apply = (user: TestUser, programmeId: string, extra: Record<string, unknown> = {}) =>
  api('/api/v1/certification/applications', { token: user.accessToken, body: { programmeId, ...extra } });

describe('certification: Người bản số', () => {
  let db: pg.Client;
  let area: TestArea;
  let course: QuizCourse;
  let programmeId: string;
  let communeCoordinator: TestUser;
  let otherCommuneCoordinator: TestUser;
  let provinceCoordinator: TestUser;
  let village: string;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: testEnv().DATABASE_URL });
    await db.connect();
    area = await testArea(2, 2);
    village = area.communes[0].villageIds[0];
    const author = await userWithRoles([{ role: 'trainer' }]);
    const reviewer = await userWithRoles([{ role: 'trainer' }]);
    course = await quizCourse(author, reviewer);
    programmeId = await testProgramme(area, [course.courseId], 2);
    communeCoordinator = await coordinatorOf(area.communes[0].id);
    otherCommuneCoordinator = await coordinatorOf(area.communes[1].id);
    provinceCoordinator = await coordinatorOf(area.provinceId);
  });

  afterAll(async () => {
    await db.end();
  });

  it('explains eligibility item by item in the candidate’s language, then takes the application', async () => {
    const candidate = await registerLearner({
      villageId: village,
      languages: ['hmn', 'vi'],
      displayName: 'Sùng Thị Mỷ',
    });
    const before = await api(`/api/v1/certification/programmes/${programmeId}/eligibility`, {
      token: candidate.accessToken,
    });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ eligible: false, locale: 'hmn' });
    expect(before.body.items.map((i: any) => [i.kind, i.met])).toEqual([
      ['course', false],
      ['quizAverage', false],
      ['households', false],
      ['village', true],
    ]);
    expect(before.body.items[2].label).toMatch(/tsev neeg/); // H'Mông
    const vi = await api(`/api/v1/certification/programmes/${programmeId}/eligibility?lang=vi`, {
      token: candidate.accessToken,
    });
    expect(vi.body.items[2].detail).toBe('Đã ghi nhận 0/2 hộ');

    // Not eligible yet: 409 naming what is missing; nothing stored.
    const early = await apply(candidate, programmeId);
    expectError(early, 409, 'CERT_NOT_ELIGIBLE');
    expect(early.body.details.missing.map((i: any) => i.kind)).toEqual([
      'course',
      'quizAverage',
      'households',
    ]);

    await completeCourse(candidate, course);
    // The same household written two ways counts once.
    await logHouseholds(candidate, 1, 'Hộ ông Sùng A');
    await api('/api/v1/certification/mentoring-records', {
      token: candidate.accessToken,
      body: { helpedOn: '2026-11-02', household: 'ho ong sung a 1', task: 'online-bill-payment' },
    });
    let check = await api(`/api/v1/certification/programmes/${programmeId}/eligibility`, {
      token: candidate.accessToken,
    });
    expect(check.body.items.find((i: any) => i.kind === 'households')).toMatchObject({
      met: false,
      actual: 1,
    });
    await logHouseholds(candidate, 1, 'Hộ bà Giàng Thị');
    check = await api(`/api/v1/certification/programmes/${programmeId}/eligibility`, {
      token: candidate.accessToken,
    });
    expect(check.body).toMatchObject({ eligible: true });

    // Bad input: clear 4xx.
    expectError(
      await api('/api/v1/certification/mentoring-records', {
        token: candidate.accessToken,
        body: { helpedOn: '2099-01-01', household: 'Hộ A', task: 'vneid-level-2' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api('/api/v1/certification/mentoring-records', {
        token: candidate.accessToken,
        body: { helpedOn: '2026-11-01', household: 'Hộ A', task: 'dance' },
      }),
      400,
    );
    expectError(
      await apply(candidate, programmeId, { villageId: area.provinceId }),
      400,
      'CERT_INVALID_VILLAGE',
    );

    const submitted = await apply(candidate, programmeId, { statement: 'Tôi giúp bà con cài VNeID.' });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ status: 'submitted', kind: 'initial', villageId: village });
    expectError(await apply(candidate, programmeId), 409, 'CERT_ALREADY_APPLIED');

    // The commune's queue has it; the other commune's does not, and cannot open or decide it.
    const queue = await api(`/api/v1/certification/applications?programmeId=${programmeId}`, {
      token: communeCoordinator.accessToken,
    });
    expect(queue.body.items.map((a: any) => a.id)).toContain(submitted.body.id);
    const otherQueue = await api(`/api/v1/certification/applications?programmeId=${programmeId}`, {
      token: otherCommuneCoordinator.accessToken,
    });
    expect(otherQueue.body.items.map((a: any) => a.id)).not.toContain(submitted.body.id);
    expectError(
      await api(`/api/v1/certification/applications/${submitted.body.id}`, {
        token: otherCommuneCoordinator.accessToken,
      }),
      403,
      'OUTSIDE_YOUR_AREA',
    );
    expectError(
      await approve(otherCommuneCoordinator.accessToken, submitted.body.id),
      403,
      'OUTSIDE_YOUR_AREA',
    );
    expectError(
      await api(`/api/v1/certification/applications?localityId=${area.communes[0].id}`, {
        token: otherCommuneCoordinator.accessToken,
      }),
      403,
      'OUTSIDE_YOUR_AREA',
    );
    // Another learner neither sees it nor decides it.
    const stranger = await registerLearner();
    expectError(
      await api(`/api/v1/certification/applications/${submitted.body.id}`, { token: stranger.accessToken }),
      404,
    );
    expectError(await approve(stranger.accessToken, submitted.body.id), 403);
    expectError(
      await api(`/api/v1/certification/applications/${submitted.body.id}/reject`, {
        token: communeCoordinator.accessToken,
        body: { reason: '' },
      }),
      400,
      'VALIDATION_FAILED',
    );

    // The reviewer sees the checklist, the evidence and the audit trail — in the reader's
    // language (the coordinator's profile says Vietnamese; the candidate reads H'Mông).
    const detail = await api(`/api/v1/certification/applications/${submitted.body.id}`, {
      token: communeCoordinator.accessToken,
    });
    expect(detail.status).toBe(200);
    expect(detail.body.checklist).toMatchObject({ eligible: true, locale: 'vi' });
    expect(detail.body.checklist.items[2].detail).toBe('Đã ghi nhận 2/2 hộ');
    const asked = `/api/v1/certification/applications/${submitted.body.id}?lang=en`;
    expect((await api(asked, { token: communeCoordinator.accessToken })).body.checklist.locale).toBe('en');
    const own = `/api/v1/certification/applications/${submitted.body.id}`;
    expect((await api(own, { token: candidate.accessToken })).body.checklist.locale).toBe('hmn');
    expect(detail.body.mentoringRecords).toHaveLength(3);
    expect(detail.body.audit.map((e: any) => e.action)).toEqual(['application.submitted']);
  });

  it('lets admins define and change a programme, with clear errors', async () => {
    const admin = await adminAccessToken();
    const body = {
      code: `nbs-admin-${Date.now() % 1_000_000}`,
      provinceId: area.provinceId,
      serialPrefix: `A${Date.now() % 10_000_000}`,
      names: { vi: 'Chương trình sửa thử' },
      requiredCourseIds: [course.courseId],
      minAverageQuizScore: 80,
      minHouseholds: 5,
      validityMonths: 12,
    };
    const learner = await registerLearner({ villageId: village });
    expectError(await api('/api/v1/certification/programmes', { token: learner.accessToken, body }), 403);
    const unknownCourse = await api('/api/v1/certification/programmes', {
      token: admin,
      body: { ...body, requiredCourseIds: ['00000000-0000-4000-8000-000000000000'] },
    });
    expectError(unknownCourse, 400, 'CERT_PROGRAMME_INVALID');
    expect(unknownCourse.body.details.unknown).toEqual(['00000000-0000-4000-8000-000000000000']);
    expectError(
      await api('/api/v1/certification/programmes', { token: admin, body: { ...body, provinceId: village } }),
      400,
      'CERT_PROGRAMME_INVALID',
    );
    expectError(
      await api('/api/v1/certification/programmes', {
        token: admin,
        body: { ...body, serialPrefix: 'nbs lci' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    const created = await api('/api/v1/certification/programmes', { token: admin, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      minAverageQuizScore: 80,
      minHouseholds: 5,
      validityMonths: 12,
      active: true,
    });
    expectError(
      await api('/api/v1/certification/programmes', { token: admin, body }),
      409,
      'CERT_PROGRAMME_CODE_TAKEN',
    );

    // The rules are data: lowering the households changes the checklist at once.
    const id = created.body.id;
    await completeCourse(learner, course);
    await logHouseholds(learner, 2);
    const check = () =>
      api(`/api/v1/certification/programmes/${id}/eligibility?lang=vi`, { token: learner.accessToken });
    expect((await check()).body.items.find((i: any) => i.kind === 'households')).toMatchObject({
      met: false,
      required: 5,
    });
    const patched = await api(`/api/v1/certification/programmes/${id}`, {
      method: 'PATCH',
      token: admin,
      body: { minHouseholds: 2 },
    });
    expect(patched.body.minHouseholds).toBe(2);
    expect((await check()).body.eligible).toBe(true);
    expectError(
      await api(`/api/v1/certification/programmes/${id}`, {
        method: 'PATCH',
        token: learner.accessToken,
        body: { active: false },
      }),
      403,
    );
    await api(`/api/v1/certification/programmes/${id}`, {
      method: 'PATCH',
      token: admin,
      body: { active: false },
    });
    expectError(await apply(learner, id), 409, 'CERT_PROGRAMME_INACTIVE');
    expect(
      (await api('/api/v1/certification/programmes', { token: learner.accessToken })).body.map(
        (p: any) => p.id,
      ),
    ).not.toContain(id);
    expectError(
      await api('/api/v1/certification/programmes/00000000-0000-4000-8000-000000000000', { token: admin }),
      404,
      'CERT_PROGRAMME_NOT_FOUND',
    );
  });

  it('keeps mentoring photos private: signed upload, checked on confirm, shown to reviewers by short links', async () => {
    const candidate = await registerLearner({ villageId: village });
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
    const record = (body: Record<string, unknown>) =>
      api('/api/v1/certification/mentoring-records', {
        token: candidate.accessToken,
        body: {
          helpedOn: '2026-11-10',
          household: 'Hộ bà Thào Thị Dung',
          task: 'online-bill-payment',
          ...body,
        },
      });
    expectError(await record({ photo: { contentType: 'image/gif', size: 10 } }), 400, 'VALIDATION_FAILED');
    expectError(
      await record({ photo: { contentType: 'image/jpeg', size: 6 * 1024 * 1024 } }),
      413,
      'STORAGE_UPLOAD_TOO_LARGE',
    );
    const withPhoto = await record({ photo: { contentType: 'image/jpeg', size: jpeg.length } });
    expect(withPhoto.status).toBe(201);
    expect(withPhoto.body.record.photo).toEqual({ status: 'awaiting_upload' });
    const id = withPhoto.body.record.id;
    const confirm = (token = candidate.accessToken, recordId = id) =>
      api(`/api/v1/certification/mentoring-records/${recordId}/photo/confirm`, { method: 'POST', token });
    expectError(await confirm(), 409, 'STORAGE_UPLOAD_MISSING');
    const upload = withPhoto.body.photoUpload;
    expect((await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: jpeg })).status).toBe(
      200,
    );
    expectError(await confirm((await registerLearner()).accessToken), 404, 'CERT_MENTORING_RECORD_NOT_FOUND');
    const confirmed = await confirm();
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.photo.status).toBe('ready');
    const [listed] = (await api('/api/v1/certification/mentoring-records', { token: candidate.accessToken }))
      .body;
    expect(listed.photo.url).toMatch(/X-Amz-Expires=300/);
    expect(Buffer.from(await (await fetch(listed.photo.url)).arrayBuffer()).equals(jpeg)).toBe(true);

    // A file that is not what it claims is removed and refused.
    const fake = await record({
      household: 'Hộ ông Lý A Chứ',
      photo: { contentType: 'image/jpeg', size: 12 },
    });
    await fetch(fake.body.photoUpload.url, {
      method: 'PUT',
      headers: fake.body.photoUpload.headers,
      body: Buffer.from('not a photo!'),
    });
    expectError(
      await confirm(candidate.accessToken, fake.body.record.id),
      415,
      'STORAGE_UPLOAD_TYPE_MISMATCH',
    );
    const again = (await api('/api/v1/certification/mentoring-records', { token: candidate.accessToken }))
      .body;
    expect(again.find((r: any) => r.id === fake.body.record.id).photo.status).toBe('awaiting_upload');
    // A fresh link for the same record; another type is refused.
    const relink = await api(`/api/v1/certification/mentoring-records/${id}/photo`, {
      token: candidate.accessToken,
      body: { contentType: 'image/png', size: 100 },
    });
    expectError(relink, 409, 'CERT_NO_PHOTO_EXPECTED');
  });

  it('takes nominations from trainers, withdrawals, and rejections with a reason', async () => {
    const trainer = await userWithRoles([{ role: 'trainer' }]);
    const candidate = await eligibleCandidate(village, course, 2);
    const learner = await registerLearner();
    expectError(await apply(learner, programmeId, { candidateId: candidate.id }), 403);
    expectError(
      await apply(trainer, programmeId, { candidateId: '00000000-0000-4000-8000-000000000000' }),
      404,
      'CERT_CANDIDATE_NOT_FOUND',
    );
    const nominated = await apply(trainer, programmeId, { candidateId: candidate.id });
    expect(nominated.status).toBe(201);
    expect(nominated.body).toMatchObject({
      candidateId: candidate.id,
      nominatedBy: trainer.id,
      status: 'submitted',
    });
    const mine = await api('/api/v1/certification/applications/mine', { token: candidate.accessToken });
    expect(mine.body.map((a: any) => a.id)).toContain(nominated.body.id);

    const withdraw = (token: string, id: string) =>
      api(`/api/v1/certification/applications/${id}/withdraw`, { method: 'POST', token });
    expectError(await withdraw(learner.accessToken, nominated.body.id), 404);
    const withdrawn = await withdraw(candidate.accessToken, nominated.body.id);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn' });
    expect(withdrawn.body.audit.map((e: any) => e.action)).toEqual([
      'application.nominated',
      'application.withdrawn',
    ]);
    expectError(
      await withdraw(candidate.accessToken, nominated.body.id),
      409,
      'CERT_APPLICATION_ALREADY_DECIDED',
    );
    expectError(
      await approve(communeCoordinator.accessToken, nominated.body.id),
      409,
      'CERT_APPLICATION_ALREADY_DECIDED',
    );

    const again = (await apply(candidate, programmeId)).body;
    const rejected = await api(`/api/v1/certification/applications/${again.id}/reject`, {
      token: communeCoordinator.accessToken,
      body: { reason: 'Chưa xác minh được các hộ đã hướng dẫn.' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      decidedBy: communeCoordinator.id,
      decisionReason: 'Chưa xác minh được các hộ đã hướng dẫn.',
      certificate: null,
    });
    const { rows } = await db.query('SELECT 1 FROM certificates WHERE application_id = $1', [again.id]);
    expect(rows).toHaveLength(0);
    const seen = await api(`/api/v1/certification/applications/${again.id}`, {
      token: candidate.accessToken,
    });
    expect(seen.body.audit.map((e: any) => [e.action, e.reason])).toEqual([
      ['application.submitted', null],
      ['application.rejected', 'Chưa xác minh được các hộ đã hướng dẫn.'],
    ]);
    expectError(
      await approve(provinceCoordinator.accessToken, again.id),
      409,
      'CERT_APPLICATION_ALREADY_DECIDED',
    );
  });

  it('rate-limits public verification per address, with Retry-After', async () => {
    const limited = await startPlatform('api', {
      ...testEnv(),
      TRUST_PROXY: 'true',
      VERIFY_MAX_PER_MINUTE: '3',
    });
    try {
      // Counters are per minute: start well inside one.
      const left = 60 - ((Date.now() / 1000) % 60);
      if (left < 5) await new Promise((r) => setTimeout(r, left * 1000 + 100));
      const from = (ip: string) => ({ base: limited.url, headers: { 'x-forwarded-for': ip } });
      const ip = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await api(`/api/v1/verify/${'0'.repeat(26)}`, from(ip))).status);
      expect(statuses).toEqual([404, 404, 404]);
      const over = await api(`/api/v1/verify/${'0'.repeat(26)}`, from(ip));
      expectError(over, 429, 'RATE_LIMITED');
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      const page = await api('/verify/anything', from(ip));
      expect(page.status).toBe(429);
      expect(page.headers.get('retry-after')).toBeTruthy();
      expect(page.text).toContain('Bạn đã kiểm tra quá nhiều lần');
      // Another address is not affected.
      expect((await api(`/api/v1/verify/${'0'.repeat(26)}`, from('198.51.100.7'))).status).toBe(404);
    } finally {
      await limited.stop();
    }
  });

  it('issues exactly one certificate: PDF in storage, hash, signed credential, public verification', async () => {
    const phone = `+8498${String(Date.now()).slice(-7)}`;
    const candidate = await eligibleCandidate(village, course, 2, { phone });
    const application = (await apply(candidate, programmeId)).body;

    // Two coordinators covering the village decide at the same moment: exactly one wins.
    const [a, b] = await Promise.all([
      approve(communeCoordinator.accessToken, application.id),
      approve(provinceCoordinator.accessToken, application.id),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expectError(
      [a, b].find((r) => r.status === 409)!,
      409,
      'CERT_APPLICATION_ALREADY_DECIDED',
    );
    const { rows } = await db.query('SELECT id, serial FROM certificates WHERE application_id = $1', [
      application.id,
    ]);
    expect(rows).toHaveLength(1);
    // A late retry is refused too.
    expectError(
      await approve(communeCoordinator.accessToken, application.id),
      409,
      'CERT_APPLICATION_ALREADY_DECIDED',
    );

    const cert = await waitForCertificate(candidate.accessToken, rows[0].id);
    expect(cert).toMatchObject({ status: 'valid', serial: rows[0].serial, holderName: 'Sùng Thị Mỷ' });
    expect(cert.serial).toMatch(/^T[0-9]+-[0-9]{7}-2026-000001$/);
    expect(cert.assessment.courses[0]).toMatchObject({ courseId: course.courseId, version: 1 });
    expect(new Date(cert.expiresAt).getUTCFullYear() - new Date(cert.issuedAt).getUTCFullYear()).toBe(2);

    // The holder downloads both files through short-lived links.
    const pdf = Buffer.from(await (await fetch(cert.downloads.pdf)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(100 * 1024);
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(cert.pdfSha256);
    const credential = await downloadedCredential(cert);
    const online = await checkIssued(credential, { pdfSha256: cert.pdfSha256 });
    expect(online.checks.filter((c) => c.outcome !== 'passed')).toEqual([]);
    expect(credential).toMatchObject({
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      evidence: expect.arrayContaining([expect.objectContaining({ id: `urn:sha256:${cert.pdfSha256}` })]),
    });
    expect(JSON.stringify(credential)).not.toContain(phone.slice(3));
    expect(JSON.stringify(credential)).not.toContain('Sùng Thị Mỷ');

    // The offline verifier with saved copies (no network): the credential and PDF pass; a
    // tampered PDF or credential fails.
    const dir = mkdtempSync(join(tmpdir(), 'banso-cert-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify(credential));
    writeFileSync(join(dir, 'c.pdf'), pdf);
    writeFileSync(join(dir, 'did.json'), JSON.stringify((await api('/.well-known/did.json')).body));
    const statusPath = credential.credentialStatus.statusListCredential.slice(TEST_PUBLIC_BASE.length);
    writeFileSync(join(dir, 'status.json'), JSON.stringify((await api(statusPath)).body));
    const tamperedPdf = Buffer.from(pdf);
    tamperedPdf[tamperedPdf.length - 20] ^= 1;
    writeFileSync(join(dir, 'tampered.pdf'), tamperedPdf);
    writeFileSync(
      join(dir, 'tampered.json'),
      JSON.stringify({ ...credential, validUntil: credential.validUntil.replace('2028-', '2038-') }),
    );
    const cli = 'dist/src/modules/certification/cli/verify-credential.js';
    const saved = ['--did', join(dir, 'did.json'), '--status', join(dir, 'status.json')];
    const ok = await runScript(cli, {}, [join(dir, 'c.json'), ...saved, '--pdf', join(dir, 'c.pdf')]);
    expect(ok.output).toMatch(/^VALID/m);
    expect(ok.output).toMatch(/PASS signature/);
    expect(ok.output).toMatch(/PASS status: not revoked/);
    expect(ok.output).toMatch(/PASS pdf: SHA-256/);
    expect(ok.code).toBe(0);
    const badPdf = await runScript(cli, {}, [
      join(dir, 'c.json'),
      ...saved,
      '--pdf',
      join(dir, 'tampered.pdf'),
    ]);
    expect([badPdf.code, badPdf.output]).toEqual([1, expect.stringMatching(/FAIL pdf: the PDF's SHA-256/)]);
    const badCredential = await runScript(cli, {}, [join(dir, 'tampered.json'), ...saved]);
    expect([badCredential.code, badCredential.output]).toEqual([1, expect.stringMatching(/FAIL signature/)]);
    // Offline without the status list: nothing failed, but revocation is unknown (exit 3).
    const noStatus = await runScript(cli, {}, [
      join(dir, 'c.json'),
      '--did',
      join(dir, 'did.json'),
      '--offline',
    ]);
    expect([noStatus.code, noStatus.output]).toEqual([3, expect.stringMatching(/SKIP status/)]);
    const help = await runScript(cli, {}, ['--help']);
    expect([help.code, help.output]).toEqual([0, expect.stringMatching(/Exit code: 0 valid; 1 invalid/)]);
    expect((await runScript(cli, {}, [])).code).toBe(2);
    expect((await runScript(cli, {}, ['--unknown'])).code).toBe(2);
    expect((await runScript(cli, {}, [join(dir, 'missing.json'), ...saved])).code).toBe(2);
    // A saved copy that cannot be read is an I/O error, not a failed or skipped check.
    const noDid = await runScript(cli, {}, [join(dir, 'c.json'), '--did', join(dir, 'missing-did.json')]);
    expect(noDid.code).toBe(2);
    const noStatusFile = ['--did', join(dir, 'did.json'), '--status', join(dir, 'missing-status.json')];
    expect((await runScript(cli, {}, [join(dir, 'c.json'), ...noStatusFile])).code).toBe(2);
    const urlOffline = ['--did', 'https://banso.test/.well-known/did.json', '--offline'];
    expect((await runScript(cli, {}, [join(dir, 'c.json'), ...urlOffline])).code).toBe(2);
    // Third parties run it from the built files with production dependencies only.
    expect(bareImportsOf(cli).filter((m) => !(m in PACKAGE.dependencies))).toEqual([]);

    // Public verification: API and page, masked name, never the phone.
    const v = await api(`/api/v1/verify/${cert.verificationCode}?lang=hmn`);
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({
      status: 'valid',
      holder: 'S. T. Mỷ',
      serial: cert.serial,
      pdfSha256: cert.pdfSha256,
      programme: { vi: 'Người bản số thử nghiệm', text: 'Neeg txawj digital sim', locale: 'hmn' },
      coursesAssessed: [expect.objectContaining({ version: 1 })],
    });
    expect(v.body.village).toMatch(/^Thôn Pạc Tà 1\.1, xã Bản Phiệt 1, tỉnh Thử nghiệm \d\d$/);
    expect(v.text).not.toContain('Sùng Thị Mỷ');
    expect(v.text).not.toContain(phone.slice(3));
    expect(cert.verificationCode).toMatch(/^[0-9a-z]{26}$/);
    const html = await api(`/verify/${cert.verificationCode.toUpperCase()}?lang=hmn`);
    expect(html.status).toBe(200);
    expect(html.text).toContain(cert.serial);
    expect(html.text).toContain('Còn hiệu lực');
    expect(html.text).toContain('Tseem siv tau');
    expect(html.text).not.toContain('Sùng Thị Mỷ');
    const unknown = await api(`/api/v1/verify/${'0'.repeat(26)}`);
    expectError(unknown, 404, 'CERT_CERTIFICATE_NOT_FOUND');
    // Anyone may ask: the answer says nothing about whose it would be.
    expect(unknown.body.message).toBe('No certificate has this verification code.');
    expectError(await api('/api/v1/verify/not-a-code'), 404, 'CERT_CERTIFICATE_NOT_FOUND');
    expect((await api('/verify/not-a-code')).status).toBe(404);

    // The audit trail: who, when, why.
    const detail = await api(`/api/v1/certification/applications/${application.id}`, {
      token: candidate.accessToken,
    });
    expect(detail.body.audit.map((e: any) => e.action)).toEqual([
      'application.submitted',
      'application.approved',
      'certificate.reserved',
      'certificate.issued',
    ]);
    expect(detail.body.audit[1]).toMatchObject({
      reason: 'Đã xác minh các hộ tại thôn.',
      toStatus: 'approved',
    });
    await expect(
      db.query('DELETE FROM certification_audit WHERE application_id = $1', [application.id]),
    ).rejects.toThrow(/append-only/);

    // Nobody else reaches the certificate: another learner 404, a coordinator elsewhere 403.
    const other = await registerLearner();
    expectError(
      await api(`/api/v1/certificates/${cert.id}`, { token: other.accessToken }),
      404,
      'CERT_CERTIFICATE_NOT_FOUND',
    );
    expect((await api('/api/v1/certificates/mine', { token: other.accessToken })).body).toEqual([]);
    expectError(
      await api(`/api/v1/certificates/${cert.id}`, { token: otherCommuneCoordinator.accessToken }),
      403,
      'OUTSIDE_YOUR_AREA',
    );
    expectError(
      await api(`/api/v1/certificates/${cert.id}/revoke`, {
        token: otherCommuneCoordinator.accessToken,
        body: { reason: 'Sai' },
      }),
      403,
      'OUTSIDE_YOUR_AREA',
    );
    expectError(
      await api(`/api/v1/certificates/${cert.id}/revoke`, {
        token: candidate.accessToken,
        body: { reason: 'Sai' },
      }),
      403,
    );
    const mine = await api('/api/v1/certificates/mine', { token: candidate.accessToken });
    expect(mine.body.map((c: any) => c.id)).toEqual([cert.id]);
    expect(mine.body[0].downloads.pdf).toMatch(/X-Amz-Expires=300/);
  });

  it('nobody decides on their own application', async () => {
    const coordinatorCandidate = await eligibleCandidate(village, course, 2);
    await api(`/api/v1/admin/users/${coordinatorCandidate.id}/roles`, {
      method: 'PUT',
      token: await adminAccessToken(),
      body: { roles: [{ role: 'coordinator', localityId: area.communes[0].id }] },
    });
    const login = await api('/api/v1/auth/login', {
      body: { identifier: coordinatorCandidate.phone, password: coordinatorCandidate.password },
    });
    const application = (await apply(coordinatorCandidate, programmeId)).body;
    expectError(await approve(login.body.accessToken, application.id), 403, 'CERT_OWN_APPLICATION');
  });

  it('revokes, reissues after a correction, renews and expires — never deleting', async () => {
    const issue = async (name: string) => {
      const candidate = await eligibleCandidate(area.communes[1].villageIds[0], course, 2, {
        displayName: name,
      });
      const application = (await apply(candidate, programmeId)).body;
      expect((await approve(otherCommuneCoordinator.accessToken, application.id)).status).toBe(200);
      const { rows } = await db.query('SELECT id FROM certificates WHERE application_id = $1', [
        application.id,
      ]);
      return { candidate, cert: await waitForCertificate(candidate.accessToken, rows[0].id) };
    };
    const coordinator = otherCommuneCoordinator.accessToken;

    // Revocation: kept, verifies as revoked with the date.
    const revoked = await issue('Giàng A Sử');
    const r = await api(`/api/v1/certificates/${revoked.cert.id}/revoke`, {
      token: coordinator,
      body: { reason: 'Chuyển đi nơi khác, không còn hỗ trợ thôn.' },
    });
    expect(r.body).toMatchObject({
      status: 'revoked',
      revocationReason: 'Chuyển đi nơi khác, không còn hỗ trợ thôn.',
    });
    expectError(
      await api(`/api/v1/certificates/${revoked.cert.id}/revoke`, {
        token: coordinator,
        body: { reason: 'Lần hai' },
      }),
      409,
      'CERT_ALREADY_REVOKED',
    );
    const rv = await api(`/api/v1/verify/${revoked.cert.verificationCode}`);
    expect(rv.body).toMatchObject({ status: 'revoked', statusDate: expect.any(String) });
    expect(rv.text).not.toContain('Chuyển đi');

    // Reissue after a misspelled name: new certificate, old one superseded and linked.
    const misspelt = await issue('Lù Văn Pao');
    // Two coordinators correcting at once: one new certificate, the other told it exists.
    const reissue = () =>
      api(`/api/v1/certificates/${misspelt.cert.id}/reissue`, {
        token: coordinator,
        body: { reason: 'Sửa tên: Páo, không phải Pao.', holderName: 'Lù Văn Páo' },
      });
    const both = await Promise.all([reissue(), reissue()]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expectError(
      both.find((r) => r.status === 409)!,
      409,
      'CERT_ALREADY_REISSUED',
    );
    const re = both.find((r) => r.status === 200)!;
    const corrections = await db.query('SELECT serial FROM certificates WHERE replaces_id = $1', [
      misspelt.cert.id,
    ]);
    expect(corrections.rows).toHaveLength(1);
    const corrected = await waitForCertificate(misspelt.candidate.accessToken, re.body.id);
    expect(corrected).toMatchObject({
      holderName: 'Lù Văn Páo',
      replacesId: misspelt.cert.id,
      replacementReason: 'correction',
      expiresAt: misspelt.cert.expiresAt,
      status: 'valid',
    });
    expect(corrected.serial).not.toBe(misspelt.cert.serial);
    const old = await api(`/api/v1/verify/${misspelt.cert.verificationCode}`);
    expect(old.body).toMatchObject({ status: 'superseded', replacedBy: { serial: corrected.serial } });
    expectError(
      await api(`/api/v1/certificates/${misspelt.cert.id}/reissue`, {
        token: coordinator,
        body: { reason: 'Lại' },
      }),
      409,
      'CERT_CERTIFICATE_NOT_ACTIVE',
    );

    // Renewal: refused while far from expiry; inside the window it links the new certificate to the old.
    const holder = await issue('Vàng Thị Dua');
    expectError(await apply(holder.candidate, programmeId), 409, 'CERT_ALREADY_CERTIFIED');
    await db.query(
      `UPDATE certificates SET issued_at = now() - interval '23 months', expires_at = now() + interval '30 days' WHERE id = $1`,
      [holder.cert.id],
    );
    // Renewal needs fresh evidence: households helped since the last certificate.
    await db.query(`UPDATE mentoring_records SET helped_on = '2024-01-01' WHERE candidate_id = $1`, [
      holder.candidate.id,
    ]);
    expectError(await apply(holder.candidate, programmeId), 409, 'CERT_NOT_ELIGIBLE');
    await logHouseholds(holder.candidate, 2, 'Hộ mới');
    const renewal = await apply(holder.candidate, programmeId);
    expect(renewal.body).toMatchObject({ kind: 'renewal', renewsCertificateId: holder.cert.id });
    await approve(coordinator, renewal.body.id);
    const { rows } = await db.query('SELECT id FROM certificates WHERE application_id = $1', [
      renewal.body.id,
    ]);
    const renewed = await waitForCertificate(holder.candidate.accessToken, rows[0].id);
    expect(renewed).toMatchObject({
      replacesId: holder.cert.id,
      replacementReason: 'renewal',
      status: 'valid',
    });
    // Renewing early loses nothing: 24 months from the old expiry.
    const oldExpiry = (await db.query('SELECT expires_at FROM certificates WHERE id = $1', [holder.cert.id]))
      .rows[0].expires_at as Date;
    expect(new Date(renewed.expiresAt).getTime() - oldExpiry.getTime()).toBeGreaterThan(700 * 86_400_000);
    // Each has its own revocation entry; the renewed one's bit stays clear (it simply expires).
    const [oldCredential, newCredential] = [
      await downloadedCredential(
        (await api(`/api/v1/certificates/${holder.cert.id}`, { token: coordinator })).body,
      ),
      await downloadedCredential(renewed),
    ];
    expect(oldCredential.credentialStatus.id).not.toBe(newCredential.credentialStatus.id);
    expect((await checkIssued(oldCredential)).revoked).toBe(false);
    expect((await checkIssued(newCredential)).revoked).toBe(false);

    // Expiry: the old certificate verifies as expired once its date passes.
    await db.query(
      `UPDATE certificates SET issued_at = now() - interval '25 months', expires_at = now() - interval '1 day' WHERE id = $1`,
      [holder.cert.id],
    );
    expect((await api(`/api/v1/verify/${holder.cert.verificationCode}`)).body).toMatchObject({
      status: 'expired',
    });
    const all = await db.query('SELECT count(*)::int AS n FROM certificates WHERE holder_id = ANY($1)', [
      [revoked.candidate.id, misspelt.candidate.id, holder.candidate.id],
    ]);
    expect(all.rows[0].n).toBe(5); // nothing deleted
  });

  it('keeps a registry of active ambassadors and the coverage of villages', async () => {
    const admin = await adminAccessToken();
    const coverage = await api(`/api/v1/certification/coverage?localityId=${area.provinceId}`, {
      token: admin,
    });
    expect(coverage.status).toBe(200);
    // Commune 1, village 1 has ambassadors; commune 2, village 1 has the corrected and renewed holders.
    expect(coverage.body).toMatchObject({ villages: 4, covered: 2, coverage: 0.5 });
    expect(coverage.body.parts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: area.communes[0].id, villages: 2, covered: 1, coverage: 0.5 }),
      ]),
    );
    expect(coverage.body.uncovered.map((v: any) => v.id).sort()).toEqual(
      [area.communes[0].villageIds[1], area.communes[1].villageIds[1]].sort(),
    );
    // The area's villages are kept between reports while the locality tree is unchanged: a village
    // added or renamed shows at once.
    const communeCode = (await db.query(`SELECT code FROM localities WHERE id = $1`, [area.communes[0].id]))
      .rows[0].code;
    const added = await api('/api/v1/localities', {
      token: admin,
      body: {
        code: `${communeCode}-009`,
        level: 'village',
        kind: 'bản',
        name: 'Sín Chải',
        parentId: area.communes[0].id,
      },
    });
    expect(added.status).toBe(201);
    const renamed = await api(`/api/v1/localities/${area.communes[0].villageIds[1]}`, {
      method: 'PATCH',
      token: admin,
      body: { name: 'Pạc Tà Trên' },
    });
    expect(renamed.status).toBe(200);
    const grown = await api(`/api/v1/certification/coverage?localityId=${area.provinceId}`, { token: admin });
    expect(grown.body).toMatchObject({ villages: 5, covered: 2, coverage: 0.4 });
    expect(grown.body.uncoveredPage).toEqual({ page: 1, pageSize: 20, total: 3 });
    // A province has thousands of uncovered villages: the API pages them, by name.
    const byName = [...grown.body.uncovered];
    const second = await api(
      `/api/v1/certification/coverage?localityId=${area.provinceId}&page=2&pageSize=2`,
      { token: admin },
    );
    expect(second.body).toMatchObject({
      villages: 5,
      covered: 2,
      uncoveredPage: { page: 2, pageSize: 2, total: 3 },
    });
    expect(second.body.uncovered).toEqual(byName.slice(2));
    const beyond = await api(`/api/v1/certification/coverage?localityId=${area.provinceId}&page=9`, {
      token: admin,
    });
    expect(beyond.body.uncovered).toEqual([]);
    expect(grown.body.uncovered.map((v: any) => [v.id, v.name]).sort()).toEqual(
      [
        [added.body.id, 'Sín Chải'],
        [area.communes[0].villageIds[1], 'Pạc Tà Trên'],
        [area.communes[1].villageIds[1], 'Pạc Tà 2.2'],
      ].sort(),
    );
    expect(
      (await api(`/api/v1/localities/${added.body.id}`, { method: 'DELETE', token: admin })).status,
    ).toBe(204);
    expect(
      (await api(`/api/v1/certification/coverage?localityId=${area.provinceId}`, { token: admin })).body,
    ).toMatchObject({ villages: 4, covered: 2 });

    const commune = await api(`/api/v1/certification/coverage?localityId=${area.communes[1].id}`, {
      token: otherCommuneCoordinator.accessToken,
    });
    expect(commune.body).toMatchObject({ villages: 2, covered: 1 });
    expectError(
      await api(`/api/v1/certification/coverage?localityId=${area.communes[0].id}`, {
        token: otherCommuneCoordinator.accessToken,
      }),
      403,
      'OUTSIDE_YOUR_AREA',
    );
    const registry = await api(`/api/v1/certification/ambassadors?localityId=${area.communes[1].id}`, {
      token: otherCommuneCoordinator.accessToken,
    });
    // Revoked, superseded and expired certificates are not active; the corrected and the renewed one are.
    expect(registry.body.items.map((a: any) => a.holderName).sort()).toEqual(['Lù Văn Páo', 'Vàng Thị Dua']);
    expectError(
      await api(`/api/v1/certification/ambassadors?localityId=${area.provinceId}`, {
        token: (await registerLearner()).accessToken,
      }),
      403,
    );
  });

  it('counts certificates issued and revoked per day from the outbox, for staff of the area', async () => {
    const admin = await adminAccessToken();
    const activity = (localityId: string, token: string, range = '') =>
      api(`/api/v1/reporting/activity?localityId=${localityId}${range}`, { token });
    // The worker counts new facts every 15 s.
    let totals: any;
    for (const until = Date.now() + 40_000; Date.now() < until;) {
      const res = await activity(area.provinceId, admin);
      expect(res.status).toBe(200);
      totals = res.body.totals;
      if (totals.certificatesIssued >= 4 && totals.certificatesRevoked >= 1) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(totals.certificatesIssued).toBeGreaterThanOrEqual(4);
    expect(totals.certificatesRevoked).toBeGreaterThanOrEqual(1);
    const commune = await activity(area.communes[1].id, otherCommuneCoordinator.accessToken);
    expect(commune.status).toBe(200);
    expect(commune.body.days).toHaveLength(30);
    expectError(
      await activity(area.communes[0].id, otherCommuneCoordinator.accessToken),
      403,
      'OUTSIDE_YOUR_AREA',
    );
    expectError(await activity(area.provinceId, (await registerLearner()).accessToken), 403);
    expectError(await api(`/api/v1/reporting/activity?localityId=${area.provinceId}`), 401);
    expectError(await activity(area.provinceId, admin, '&from=2026-13-01'), 400, 'VALIDATION_FAILED');
    expectError(
      await activity(area.provinceId, admin, '&from=2026-03-01&to=2026-02-01'),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('publishes every signing key and keeps old credentials verifiable after a rotation', async () => {
    const methods = async () =>
      (await api('/.well-known/did.json')).body.verificationMethod.map((m: any) => m.id) as string[];
    const before = await methods();
    const { rows: signed } = await db.query(
      `SELECT id, holder_id FROM certificates WHERE ready_at IS NOT NULL AND credential_key LIKE '%.json'
        ORDER BY created_at LIMIT 1`,
    );
    const rotated = await api('/api/v1/certification/issuer-keys/rotate', {
      method: 'POST',
      token: await adminAccessToken(),
    });
    expect(rotated.status).toBe(200);
    const doc = (await api('/.well-known/did.json')).body;
    const after = await methods();
    expect(after).toEqual([...before, expect.stringMatching(new RegExp(`#${rotated.body.kid}$`))]);
    expect(doc.assertionMethod).toEqual(after);
    expect(JSON.stringify(doc)).not.toMatch(/secretKey|"d":/); // no private key material
    const used = await db.query(
      'SELECT DISTINCT credential_key_id AS kid FROM certificates WHERE ready_at IS NOT NULL',
    );
    expect(used.rows.length).toBeGreaterThan(0);
    for (const { kid } of used.rows) expect(after).toContain(`${doc.id}#${kid}`);
    // A credential signed before the rotation still passes every check.
    const { rows: keys } = await db.query('SELECT credential_key FROM certificates WHERE id = $1', [
      signed[0].id,
    ]);
    expect(keys[0].credential_key).toMatch(/\.json$/);
    const byCode = await db.query('SELECT verification_code FROM certificates WHERE id = $1', [signed[0].id]);
    const old = await api(`/credentials/${byCode.rows[0].verification_code}`);
    expect((await checkIssued(old.body)).valid).toBe(true);
    const issuer = (await api('/.well-known/issuer.json')).body;
    expect(issuer).toMatchObject({ type: ['Profile'] });
    expectError(
      await api('/api/v1/certification/issuer-keys/rotate', {
        method: 'POST',
        token: (await registerLearner()).accessToken,
      }),
      403,
    );
  });
});

import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CHECK_NAMES } from '../src/modules/certification/open-badges/credential-checks.js';
import { permutedIndex } from '../src/modules/certification/open-badges/status-list.js';
import {
  certify,
  coordinatorOf,
  eligibleCandidate,
  quizCourse,
  testArea,
  testProgramme,
  waitForCertificate,
  type QuizCourse,
  type TestArea,
} from './factories/certification.factory.js';
import { registerLearner, userWithRoles, type TestUser } from './factories/user.factory.js';
import { api, apiUrl, expectError, testEnv } from './support/api.js';
import { Browser } from './support/portal-browser.js';
import { checkIssued, downloadedCredential, TEST_PUBLIC_BASE } from './support/credentials.js';
import {
  conformanceDocumentLoader,
  ob3SchemaErrors,
  safeModeProblems,
  verifyEddsaRdfc2022Independently,
} from './support/open-badges-conformance.js';
import { runScript } from './support/platform-process.js';

/**
 * Every issued credential as third-party tools see it: 1EdTech's AchievementCredential JSON
 * Schema, JSON-LD safe-mode expansion with pinned contexts, and the Data Integrity proof checked
 * by libraries the issuer does not use for that step (jsonld-streaming-parser, rdfjs-c14n,
 * @noble/ed25519); revocation as an offline verifier sees it, through the published status list.
 */
describe('Open Badges 3.0 credentials, as wallets and verifiers see them', () => {
  let db: pg.Client;
  let area: TestArea;
  let course: QuizCourse;
  let programmeId: string;
  let coordinator: TestUser;
  /** Each issued certificate's detail (as its holder sees it) and its holder. */
  const issued: { holder: TestUser; cert: any }[] = [];

  const statusListPath = (credential: any) =>
    credential.credentialStatus.statusListCredential.slice(TEST_PUBLIC_BASE.length);
  /** The bit an offline verifier reads, decoded by the W3C library (not our code). */
  const bitSeen = async (credential: any) => {
    const list = (await api(statusListPath(credential))).body;
    const bits = await decodeList({ encodedList: list.credentialSubject.encodedList });
    expect(bits.length).toBeGreaterThanOrEqual(131_072);
    return bits.getStatus(Number(credential.credentialStatus.statusListIndex));
  };

  async function issue(displayName: string) {
    const holder = await eligibleCandidate(area.communes[0].villageIds[0], course, 1, { displayName });
    issued.push({ holder, cert: await certify(holder, programmeId, coordinator) });
  }

  beforeAll(async () => {
    db = new pg.Client({ connectionString: testEnv().DATABASE_URL });
    await db.connect();
    area = await testArea(1, 1);
    course = await quizCourse(
      await userWithRoles([{ role: 'trainer' }]),
      await userWithRoles([{ role: 'trainer' }]),
    );
    programmeId = await testProgramme(area, [course.courseId], 1);
    coordinator = await coordinatorOf(area.provinceId);
    await issue('Sùng Thị Mỷ');
    await issue('Giàng A Páo');
    await issue('Lò Thị Dung');
  });

  afterAll(async () => {
    await db.end();
  });

  it('passes the 1EdTech schema, safe-mode expansion and an independent proof check, every one', async () => {
    const did = (await api('/.well-known/did.json')).body;
    const loader = conformanceDocumentLoader();
    for (const { cert } of issued) {
      const credential = await downloadedCredential(cert);
      expect(ob3SchemaErrors(credential)).toEqual([]);
      expect(await safeModeProblems(credential, loader)).toEqual([]);
      const method = did.verificationMethod.find((m: any) => m.id === credential.proof[0].verificationMethod);
      expect(did.assertionMethod).toContain(method.id);
      expect(await verifyEddsaRdfc2022Independently(credential, method.publicKeyMultibase, loader)).toEqual({
        verified: true,
      });
      // One changed character and the independent check fails too.
      const changed = structuredClone(credential);
      changed.credentialSubject.result[0].value += '.';
      expect(
        (await verifyEddsaRdfc2022Independently(changed, method.publicKeyMultibase, loader)).verified,
      ).toBe(false);

      // Exact times, and the holder only as a salted hash.
      expect(credential.validFrom).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(new Date(credential.validFrom).getTime()).toBe(new Date(cert.issuedAt).getTime());
      expect(new Date(credential.validUntil).getTime()).toBe(new Date(cert.expiresAt).getTime());
      expect(credential.credentialSubject.identifier).toEqual([
        {
          type: 'IdentityObject',
          identityType: 'name',
          hashed: true,
          identityHash: expect.stringMatching(/^sha256\$[0-9a-f]{64}$/),
          salt: expect.stringMatching(/^[0-9a-f]{32}$/),
        },
      ]);
      expect(JSON.stringify(credential)).not.toContain(cert.holderName);
      expect(credential.issuer.id).toBe('did:web:banso.test');
      expect(credential.credentialStatus).toMatchObject({
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: expect.stringMatching(/^\d+$/),
      });
    }
    // Indexes are distinct and do not follow issue order.
    const indexes = await Promise.all(
      issued.map(async ({ cert }) =>
        Number((await downloadedCredential(cert)).credentialStatus.statusListIndex),
      ),
    );
    expect(new Set(indexes).size).toBe(indexes.length);
    // Each is the list's keyed permutation of an allocation number, not the number itself: read in
    // one statement, so the counter and the certificates are of the same moment.
    const listId = Number(
      (await downloadedCredential(issued[0].cert)).credentialStatus.statusListCredential.split('/').pop(),
    );
    const { rows } = await db.query(
      `SELECT l.allocated, l.permutation_key AS key, array_agg(c.status_list_index) AS indexes
         FROM credential_status_lists l JOIN certificates c ON c.status_list_id = l.id
        WHERE l.id = $1 GROUP BY l.id`,
      [listId],
    );
    const {
      allocated,
      key,
      indexes: listed,
    } = rows[0] as { allocated: number; key: Buffer; indexes: number[] };
    const image = new Set(Array.from({ length: allocated }, (_, n) => permutedIndex(n, key)));
    expect(listed.length).toBeLessThanOrEqual(allocated);
    expect(listed.filter((i) => !image.has(i))).toEqual([]);
    expect(indexes.every((i) => image.has(i))).toBe(true);
    // Issue order would have used 0, 1, 2…: the permutation spreads them over the whole list.
    expect(listed.filter((i) => i >= allocated).length).toBeGreaterThan(0);
  });

  it('publishes the issuer, its keys, the achievement and the credential at the URLs they name', async () => {
    const { cert } = issued[0];
    const credential = await downloadedCredential(cert);

    const did = await api('/.well-known/did.json');
    expect(did.headers.get('access-control-allow-origin')).toBe('*');
    expect(did.body).toMatchObject({ id: 'did:web:banso.test', '@context': expect.any(Array) });
    const profile = (await api('/.well-known/issuer.json')).body;
    expect(profile).toMatchObject({ id: credential.issuer.id, type: ['Profile'], url: TEST_PUBLIC_BASE });
    expect(JSON.stringify(profile)).not.toMatch(/jwks/);

    // The achievement's id answers without login.
    const achievementPath = credential.credentialSubject.achievement.id.slice(TEST_PUBLIC_BASE.length);
    const achievement = await api(achievementPath);
    expect(achievement.status).toBe(200);
    expect(achievement.body).toMatchObject({
      '@context': credential['@context'],
      ...credential.credentialSubject.achievement,
    });
    expectError(await api('/credentials/achievements/7d1c4a64-0000-4000-8000-000000000000'), 404);

    // The credential's id answers JSON-LD readers with the credential, browsers with the page.
    const idPath = credential.id.slice(TEST_PUBLIC_BASE.length);
    for (const accept of ['application/ld+json', 'application/vc+ld+json']) {
      const res = await fetch(`${apiUrl()}${idPath}`, { headers: { accept } });
      expect([res.status, res.headers.get('content-type')]).toEqual([200, `${accept}; charset=utf-8`]);
      expect(await res.json()).toEqual(credential);
    }
    const page = await fetch(`${apiUrl()}${idPath}`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain(cert.serial);

    // The wallet's ways in: a plain URL for the QR code, the LCW deep link posting to the same URL.
    expect(cert.wallet).toEqual({
      credentialUrl: `${TEST_PUBLIC_BASE}/credentials/${credential.id.split('/').pop()}`,
      deepLink: expect.stringMatching(
        /^dccrequest:\/\/request\?issuer=banso\.test&auth_type=bearer&challenge=/,
      ),
    });
    const walletPath = cert.wallet.credentialUrl.slice(TEST_PUBLIC_BASE.length);
    const link = new URL(cert.wallet.deepLink.replace('dccrequest://', 'https://'));
    expect(link.searchParams.get('vc_request_url')).toBe(`${TEST_PUBLIC_BASE}/api/v1${walletPath}`);
    const scanned = await fetch(`${apiUrl()}${walletPath}`);
    expect([scanned.status, await scanned.json()]).toEqual([200, credential]);
    const posted = await fetch(`${apiUrl()}/api/v1${walletPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: 'VerifiablePresentation',
      }),
    });
    expect([posted.status, await posted.json()]).toEqual([200, credential]);
    expectError(await api('/credentials/NOTACODE'), 404, 'CERT_CERTIFICATE_NOT_FOUND');

    // The status list: signed, cacheable, revalidated by ETag; unknown lists are 404.
    const list = await api(statusListPath(credential));
    expect(list.headers.get('cache-control')).toBe('public, max-age=300');
    expect(list.body).toMatchObject({
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: { id: 'did:web:banso.test' },
      credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'revocation' },
      proof: [expect.objectContaining({ cryptosuite: 'eddsa-rdfc-2022' })],
    });
    const loader = conformanceDocumentLoader();
    const method = (await api('/.well-known/did.json')).body.verificationMethod.find(
      (m: any) => m.id === list.body.proof[0].verificationMethod,
    );
    expect(
      (await verifyEddsaRdfc2022Independently(list.body, method.publicKeyMultibase, loader)).verified,
    ).toBe(true);
    const again = await fetch(`${apiUrl()}${statusListPath(credential)}`, {
      headers: { 'if-none-match': list.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    for (const bad of ['0', '999999', '99999999999', 'x'])
      expect((await api(`/credentials/status/${bad}`)).status).toBe(404);
  });

  it('flips the bit an offline verifier reads when a certificate is revoked or corrected', async () => {
    const [{ cert: revokedCert }, { cert: correctedCert }, { cert: untouched }] = issued;
    const revokedCredential = await downloadedCredential(revokedCert);
    const correctedCredential = await downloadedCredential(correctedCert);
    expect(await bitSeen(revokedCredential)).toBe(false);

    // Offline, with a saved DID document and status list: valid before.
    const dir = mkdtempSync(join(tmpdir(), 'banso-ob3-'));
    const save = async (name: string, body: unknown) => {
      writeFileSync(join(dir, name), JSON.stringify(body));
      return join(dir, name);
    };
    const cli = 'dist/src/modules/certification/cli/verify-credential.js';
    const credentialFile = await save('c.json', revokedCredential);
    const didFile = await save('did.json', (await api('/.well-known/did.json')).body);
    const before = await save('status-before.json', (await api(statusListPath(revokedCredential))).body);
    const ok = await runScript(cli, {}, [credentialFile, '--did', didFile, '--status', before, '--offline']);
    expect([ok.code, ok.output]).toEqual([0, expect.stringMatching(/PASS status: not revoked/)]);

    const revoked = await api(`/api/v1/certificates/${revokedCert.id}/revoke`, {
      token: coordinator.accessToken,
      body: { reason: 'Không còn sinh sống tại thôn.' },
    });
    expect(revoked.status).toBe(200);
    // In the database, in the same transaction as the revocation.
    const { rows } = await db.query(
      `SELECT c.revoked_at IS NOT NULL AS revoked,
              get_bit(l.bits, (c.status_list_index / 8) * 8 + 7 - c.status_list_index % 8) AS bit
         FROM certificates c JOIN credential_status_lists l ON l.id = c.status_list_id WHERE c.id = $1`,
      [revokedCert.id],
    );
    expect(rows[0]).toEqual({ revoked: true, bit: 1 });
    // The published list, read by the W3C library, and the offline verifier with the new copy.
    expect(await bitSeen(revokedCredential)).toBe(true);
    const after = await save('status-after.json', (await api(statusListPath(revokedCredential))).body);
    const refused = await runScript(cli, {}, [
      credentialFile,
      '--did',
      didFile,
      '--status',
      after,
      '--offline',
    ]);
    expect([refused.code, refused.output]).toEqual([1, expect.stringMatching(/FAIL status: revoked/)]);
    expect(refused.output).toMatch(/PASS signature/);
    expect((await checkIssued(revokedCredential)).revoked).toBe(true);

    // A correction: the new credential has its own bit; the corrected one's is set once it is replaced.
    const reissued = await api(`/api/v1/certificates/${correctedCert.id}/reissue`, {
      token: coordinator.accessToken,
      body: { reason: 'Sửa tên viết sai', holderName: 'Giàng A Pháo' },
    });
    expect(reissued.status).toBe(200);
    const fresh = await waitForCertificate(issued[1].holder.accessToken, reissued.body.id);
    const freshCredential = await downloadedCredential(fresh);
    expect(freshCredential.credentialStatus.statusListIndex).not.toBe(
      correctedCredential.credentialStatus.statusListIndex,
    );
    expect(await bitSeen(correctedCredential)).toBe(true);
    expect(await bitSeen(freshCredential)).toBe(false);
    expect(ob3SchemaErrors(freshCredential)).toEqual([]);
    // Nothing else moved.
    expect(await bitSeen(await downloadedCredential(untouched))).toBe(false);
  });

  it('checks a credential anyone pastes: which checks passed, and clear errors for bad input', async () => {
    const { cert } = issued[2];
    const credential = await downloadedCredential(cert);
    const check = (body: unknown) => api('/api/v1/verify/credential', { body });
    const good = await check({ credential, pdfSha256: cert.pdfSha256.toUpperCase() });
    expect(good.status).toBe(200);
    expect(good.body.valid).toBe(true);
    expect(good.body.checks.map((c: any) => [c.name, c.outcome])).toEqual(
      CHECK_NAMES.map((name) => [name, 'passed']),
    );
    const forged = await check({ credential: { ...credential, validUntil: '2099-01-01T00:00:00Z' } });
    expect(forged.body.checks.find((c: any) => c.name === 'signature').outcome).toBe('failed');
    const otherPdf = await check({ credential, pdfSha256: 'f'.repeat(64) });
    expect([otherPdf.body.valid, otherPdf.body.checks.at(-1).outcome]).toEqual([false, 'failed']);
    // Someone else's issuer: nothing is fetched, the key is not found.
    const foreign = await check({
      credential: { ...credential, issuer: { ...credential.issuer, id: 'did:web:example.org' } },
    });
    expect(foreign.body.checks.find((c: any) => c.name === 'issuerKey').outcome).toBe('failed');
    const notOne = await check({ credential: { hello: 'world' } });
    expect([notOne.status, notOne.body.valid, notOne.body.checks[0].outcome]).toEqual([200, false, 'failed']);
    expectError(await check({ credential: 'eyJhbGciOiJFZERTQSJ9.e30.x' }), 400, 'VALIDATION_FAILED');
    expectError(await check({ credential, pdfSha256: 'abc' }), 400, 'VALIDATION_FAILED');
    expectError(await check({}), 400, 'VALIDATION_FAILED');
    expectError(await check({ credential: { padding: 'x'.repeat(40_000) } }), 413);
  });

  it('offers the credential to wallets on My certificates, and checks a pasted one on the verify page', async () => {
    const { holder, cert } = issued[2];
    const credential = await downloadedCredential(cert);
    const browser = await Browser.signedIn(holder);
    const page = await browser.request('/my/certificates');
    expect(page.status).toBe(200);
    const html = page.text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    expect(html).toContain(`href="${cert.wallet.deepLink}"`);
    expect(page.text).toMatch(new RegExp(`data-wallet-url="${cert.wallet.credentialUrl}"><svg`));
    // Another learner's page offers nothing of it.
    const stranger = await Browser.signedIn(await registerLearner());
    expect((await stranger.request('/my/certificates')).text).not.toContain(cert.wallet.credentialUrl);

    // The public page, without login: paste the file, see each check.
    const visitor = new Browser();
    const form = await visitor.request('/verify');
    expect(form.status).toBe(200);
    const checked = await visitor.request('/verify', {
      form: {
        _csrf: Browser.csrfFrom(form.text),
        credential: JSON.stringify(credential),
        pdfSha256: cert.pdfSha256,
      },
    });
    expect(checked.status).toBe(200);
    for (const name of CHECK_NAMES) {
      expect(checked.text).toContain(`data-check="${name}" data-outcome="passed"`);
    }
    const garbled = await visitor.request('/verify', {
      form: { _csrf: Browser.csrfFrom(form.text), credential: '{"not json' },
    });
    expect([garbled.status, garbled.text]).toEqual([
      400,
      expect.stringContaining('không phải tệp chứng nhận số'),
    ]);
    const badHash = await visitor.request('/verify', {
      form: { _csrf: Browser.csrfFrom(form.text), credential: JSON.stringify(credential), pdfSha256: 'abc' },
    });
    expect(badHash.status).toBe(400);
  });
});

/// <reference lib="dom" />
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { CHECK_NAMES } from '../../src/modules/certification/open-badges/credential-checks.js';
import {
  certify,
  coordinatorOf,
  eligibleCandidate,
  quizCourse,
  testArea,
  testProgramme,
} from '../factories/certification.factory.js';
import { userWithRoles, type TestUser } from '../factories/user.factory.js';
import { downloadedCredential } from '../support/credentials.js';
import {
  launchChromium,
  phoneContext,
  portalMessages,
  screenshot,
  seriousViolations,
  signIn,
  visible,
} from '../support/chromium.js';

const vi = portalMessages('vi');
const hmn = portalMessages('hmn');

describe('certificates into wallets and verifiers, in a real browser', () => {
  let browser: Browser;
  let holder: TestUser;
  let cert: any;
  const dir = mkdtempSync(join(tmpdir(), 'banso-credential-'));

  beforeAll(async () => {
    browser = await launchChromium();
    const area = await testArea(1, 1);
    const course = await quizCourse(
      await userWithRoles([{ role: 'trainer' }]),
      await userWithRoles([{ role: 'trainer' }]),
    );
    const programmeId = await testProgramme(area, [course.courseId], 1);
    holder = await eligibleCandidate(area.communes[0].villageIds[0], course, 1, { languages: ['hmn', 'vi'] });
    cert = await certify(holder, programmeId, await coordinatorOf(area.provinceId));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('the holder finds the wallet QR and link; a verifier loads the file and the PDF into the verify page', async () => {
    // The holder, on a phone: the wallet section opens under the certificate, in the page's language.
    const phone = await phoneContext(browser);
    const mine = await phone.newPage();
    await signIn(mine, holder);
    await mine.goto('/my/certificates');
    const t = (await mine.locator('html').getAttribute('lang')) === 'hmn' ? hmn : vi;
    await mine.getByText(t['certificate.wallet.title']).click();
    const open = mine.getByRole('link', { name: t['certificate.wallet.open'] });
    await visible(open);
    expect(await open.getAttribute('href')).toBe(cert.wallet.deepLink);
    await visible(mine.locator('.wallet-qr svg'));
    expect(await seriousViolations(mine)).toEqual([]);
    await screenshot(mine, 'my-certificates-wallet');
    await phone.close();

    // Someone the holder gave the files to: the credential (.json) and the PDF, no account.
    writeFileSync(join(dir, `${cert.serial}.json`), JSON.stringify(await downloadedCredential(cert)));
    writeFileSync(
      join(dir, `${cert.serial}.pdf`),
      Buffer.from(await (await fetch(cert.downloads.pdf)).arrayBuffer()),
    );
    const verifier = await phoneContext(browser);
    const page = await verifier.newPage();
    await page.goto('/verify');
    await page.getByLabel(vi['verify.check.file']).setInputFiles(join(dir, `${cert.serial}.json`));
    const text = page.getByLabel(vi['verify.check.credential']);
    await page.waitForFunction(
      () => (document.querySelector('#credential') as HTMLTextAreaElement).value.length > 0,
    );
    expect(JSON.parse(await text.inputValue()).id).toBe(cert.verifyUrl);
    await page.getByLabel(vi['verify.check.pdf']).setInputFiles(join(dir, `${cert.serial}.pdf`));
    // The PDF is hashed in the page; only its SHA-256 is sent.
    await page.waitForFunction(
      (expected) => (document.querySelector('input[name=pdfSha256]') as HTMLInputElement).value === expected,
      cert.pdfSha256,
    );
    await page.getByRole('button', { name: vi['verify.check.submit'] }).click();
    await visible(page.getByText(vi['verify.check.valid']));
    const outcomes = await page
      .locator('[data-check]')
      .evaluateAll((items) =>
        items.map((li) => [li.getAttribute('data-check'), li.getAttribute('data-outcome')]),
      );
    expect(outcomes).toEqual(CHECK_NAMES.map((name) => [name, 'passed']));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'verify-credential-valid');

    // One word changed in the pasted text: the signature no longer holds, and the page says so.
    const pasted = JSON.parse(await text.inputValue());
    pasted.credentialSubject.result[0].value = 'Thôn khác';
    await text.fill(JSON.stringify(pasted));
    await page.getByRole('button', { name: vi['verify.check.submit'] }).click();
    await visible(page.getByText(vi['verify.check.invalid']));
    expect(await page.locator('[data-check="signature"]').getAttribute('data-outcome')).toBe('failed');
    await verifier.close();

    // A commune hall's laptop serves plain http on the LAN, where browsers give no Web Crypto:
    // the page hashes the PDF with its own SHA-256, to the same value.
    const insecure = await phoneContext(browser);
    await insecure.addInitScript(() =>
      Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined, configurable: true }),
    );
    const hall = await insecure.newPage();
    await hall.goto('/verify');
    expect(await hall.evaluate(() => globalThis.crypto.subtle)).toBeUndefined();
    await hall.getByLabel(vi['verify.check.pdf']).setInputFiles(join(dir, `${cert.serial}.pdf`));
    await hall.waitForFunction(
      (expected) => (document.querySelector('input[name=pdfSha256]') as HTMLInputElement).value === expected,
      cert.pdfSha256,
    );
    await insecure.close();
  });
});

/// <reference lib="dom" />
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { apiUrl } from './api.js';
import { ROOT } from './platform-process.js';

/** Debian's Chromium (installed by .ci/run); CHROMIUM_PATH points elsewhere if needed. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The launch flags the issue asks for: no sandbox (root in CI), no GPU, no background traffic. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/** A microphone that plays a beep, allowed without asking: for recording in the trainer's editor. */
export const FAKE_MICROPHONE = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

export function launchChromium(extraFlags: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (Debian), or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: [...FLAGS, ...extraFlags], headless: true });
}

/** A cheap Android phone: small screen, touch, Vietnamese first. */
export function phoneContext(browser: Browser, options: { locale?: string } = {}): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: apiUrl(),
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: options.locale ?? 'vi-VN',
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core in the page (injected over the DevTools protocol, so the page's CSP stays strict). */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } }).axe
      .run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      })
      .then((r) => r.violations),
  )) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${page.url()} ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

/**
 * Screenshots for docs/screenshots/, only when SCREENSHOTS=1 (see README): a normal test run
 * leaves the working tree alone.
 */
export async function screenshot(page: Page, name: string) {
  if (process.env.SCREENSHOTS !== '1') return;
  const dir = join(ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** Waits for something to be shown (a page reload, a script's receipt); on failure, says what the page showed. */
export async function visible(locator: Locator, timeout = 15_000) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch (e) {
    const page = locator.page();
    const shown = await page
      .locator('main')
      .innerText()
      .catch(() => '(no page)');
    throw new Error(`${(e as Error).message}\n${page.url()} showed:\n${shown.slice(0, 1500)}`, { cause: e });
  }
}

/** The portal's texts in one language (with the quiz kind's), so tests read pages as their users do. */
export function portalMessages(locale: string): Record<string, string> {
  const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
  return Object.assign(
    {},
    ...['core', 'portal', 'learner', 'trainer', 'coordinator'].map((area) =>
      read(`src/infrastructure/i18n/messages/${locale}/${area}.json`),
    ),
    read('src/modules/lesson-kinds/quiz/messages.json')[locale],
  );
}

/** Signs in through the portal's form (Vietnamese), as a person at a phone or a desk would. */
export async function signIn(page: Page, user: { phone: string; password: string }) {
  const vi = portalMessages('vi');
  await page.goto('/login');
  await page.getByLabel(vi['login.identifier']).fill(user.phone);
  await page.getByLabel(vi['login.password']).fill(user.password);
  await page.getByRole('button', { name: vi['login.submit'] }).click();
  await page.waitForURL((u) => u.pathname === '/');
}

// Portal page weight and speed on a weak 3G link, measured in Debian's Chromium (playwright-core).
// The link is emulated over the DevTools protocol: 400 kbps down and up, 400 ms round trip.
// For each page: bytes of HTML + CSS + JS as transferred (compressed, headers included; video,
// playlists and images excluded) on a first visit with an empty cache and on a repeat visit, and
// first contentful paint. The service worker is blocked here so the figures are the network's,
// not the offline cache's (it only ever makes repeat visits cheaper).
// Goals: lesson page ≤ 50 KB first load and ≤ 10 KB repeat; home page FCP ≤ 3 s.
//
//   npm run build && node bench/page-weight.mjs
import { chromium } from 'playwright-core';
import pg from 'pg';
import { startEmbeddedPlatform, waitForSeedVideos } from './support/embedded-platform.mjs';

const KBPS = 400;
const RTT_MS = 400;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const COUNTED = new Set(['Document', 'Stylesheet', 'Script']);

const platform = await startEmbeddedPlatform();
const { base } = platform;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

/** A signed-in portal session and the first-visit answers, as cookies (no page loads before measuring). */
async function learnerCookies() {
  const phone = `091${String(Date.now()).slice(-7)}`;
  const password = 'một con ngựa đau cả tàu bỏ cỏ';
  const reg = await fetch(`${base}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password, displayName: 'Thào Thị Mai', languages: ['hmn', 'vi'] }),
  });
  if (reg.status !== 201) throw new Error(`register: ${reg.status}`);
  const form = await fetch(`${base}/login`);
  const jar = form.headers.getSetCookie().map((c) => c.split(';')[0]);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())[1];
  const login = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.join('; ') },
    body: new URLSearchParams({ identifier: phone, password, _csrf: csrf }),
  });
  if (login.status !== 303) throw new Error(`login: ${login.status}`);
  const session = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('bs_session='));
  const url = new URL(base);
  return [session, 'bs_group=elderly', 'bs_lang=vi'].map((pair) => {
    const [name, ...value] = pair.split('=');
    return { name, value: value.join('='), domain: url.hostname, path: '/' };
  });
}

/** Loads a page on the emulated link; returns counted bytes, all bytes and first contentful paint. */
async function load(page, cdp, path) {
  const types = new Map();
  let counted = 0;
  let all = 0;
  const onResponse = (e) => types.set(e.requestId, e.type);
  const onFinished = (e) => {
    all += e.encodedDataLength;
    if (COUNTED.has(types.get(e.requestId))) counted += e.encodedDataLength;
  };
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  const started = Date.now();
  await page.goto(`${base}${path}`, { waitUntil: 'load' });
  await page.waitForTimeout(300);
  const fcp = await page.evaluate(
    () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
  );
  cdp.off('Network.responseReceived', onResponse);
  cdp.off('Network.loadingFinished', onFinished);
  return { counted, all, fcp, loadMs: Date.now() - started };
}

async function measure(path, cookies) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    isMobile: true,
    locale: 'vi-VN',
    serviceWorkers: 'block',
  });
  await context.addCookies(cookies);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: RTT_MS,
    downloadThroughput: (KBPS * 1000) / 8,
    uploadThroughput: (KBPS * 1000) / 8,
  });
  const first = await load(page, cdp, path);
  // A repeat visit: a new navigation to the same page (not a reload, which revalidates everything).
  await page.goto('about:blank');
  const repeat = await load(page, cdp, path);
  await context.close();
  return { first, repeat };
}

const kb = (b) => (b / 1024).toFixed(1);
try {
  const db = new pg.Client({ connectionString: platform.databaseUrl });
  db.on('error', () => undefined);
  await db.connect();
  await waitForSeedVideos(db);
  // The programme's first course in the seeds: a video, guides and a quiz.
  const courses = await (await fetch(`${base}/api/v1/courses?pageSize=50`)).json();
  const withVideo = [];
  for (const c of courses.items) {
    const detail = await (await fetch(`${base}/api/v1/courses/${c.id}`)).json();
    if (detail.lessons.some((l) => l.kind === 'video') && detail.lessons.some((l) => l.kind === 'quiz')) {
      withVideo.push(detail);
      break;
    }
  }
  const course = withVideo[0];
  const lesson = (kind) => course.lessons.find((l) => l.kind === kind).id;
  const cookies = await learnerCookies();
  const anonymous = cookies.filter((c) => c.name !== 'bs_session');
  const pages = [
    ['home (anonymous)', '/', anonymous],
    ['home (signed in)', '/', cookies],
    ['course page', `/courses/${course.slug}`, cookies],
    ['video lesson', `/lessons/${lesson('video')}`, cookies],
    ['guide lesson', `/lessons/${lesson('guide')}`, cookies],
    ['quiz lesson', `/lessons/${lesson('quiz')}`, cookies],
    // The public page a QR code opens (same layout; an unknown code, so no certificate is needed).
    ['verify (no such code)', `/verify/${'0'.repeat(26)}`, []],
  ];
  console.log(
    `Chromium ${browser.version()}, ${KBPS} kbps, ${RTT_MS} ms RTT; HTML + CSS + JS as transferred`,
  );
  console.log('page                    first KB  repeat KB  (all first KB)  FCP first ms  FCP repeat ms');
  const results = {};
  for (const [name, path, jar] of pages) {
    const { first, repeat } = await measure(path, jar);
    results[name] = { first, repeat };
    console.log(
      `${name.padEnd(23)} ${kb(first.counted).padStart(8)}  ${kb(repeat.counted).padStart(9)}  ${kb(first.all).padStart(14)}  ${String(Math.round(first.fcp)).padStart(12)}  ${String(Math.round(repeat.fcp)).padStart(13)}`,
    );
  }
  const lessons = ['video lesson', 'guide lesson', 'quiz lesson'].map((n) => results[n]);
  const worstFirst = Math.max(...lessons.map((r) => r.first.counted));
  const worstRepeat = Math.max(...lessons.map((r) => r.repeat.counted));
  const homeFcp = Math.max(results['home (anonymous)'].first.fcp, results['home (signed in)'].first.fcp);
  console.log(`\nlesson pages, first load: ${kb(worstFirst)} KB at most (goal ≤ 50 KB)`);
  console.log(`lesson pages, repeat visit: ${kb(worstRepeat)} KB at most (goal ≤ 10 KB)`);
  console.log(`home page first contentful paint: ${(homeFcp / 1000).toFixed(2)} s (goal ≤ 3 s)`);
  await db.end();
} finally {
  await browser.close();
  await platform.stop();
}

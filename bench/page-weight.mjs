/* global window, document -- page.evaluate and addInitScript callbacks run in the page */
// Portal page weight and speed on weak links, measured in Debian's Chromium (playwright-core).
// Links are emulated over the DevTools protocol:
//   3G    400 kbps down and up, 400 ms round trip (the programme's usual village link);
//   EDGE  240 kbps, 840 ms round trip (2G, where 3G does not reach).
// For each page: bytes of HTML + CSS + JS as transferred (compressed, headers included), all bytes
// (pictures too; video, playlists and recordings are fetched only on a tap), on a first visit with
// an empty cache and on a repeat visit; first contentful paint; and how many speaker buttons the
// first HTML holds (they are server-rendered, so they paint with the text). On the lessons whose
// texts speak, a tap on the first speaker button: the recording's bytes and the time to sound.
// The service worker is blocked so the figures are the network's, not the offline cache's.
// Then total blocking time (long tasks after first paint, as Lighthouse counts it) of each lesson
// kind with Lighthouse's mobile settings: 4× CPU slowdown, 1.6 Mbps, 150 ms round trip.
// Goals: lesson page ≤ 50 KB first load (HTML + CSS + JS) and ≤ 10 KB repeat; home page FCP ≤ 3 s
// on 3G; on EDGE every lesson kind paints its text and speaker buttons within 5 s; the video
// lesson's total blocking time under 200 ms.
//
//   npm run build && node bench/page-weight.mjs [--blocking-only]
//   (apt-get install espeak-ng for spoken recordings; a tone of the same length otherwise)
import { chromium } from 'playwright-core';
import pg from 'pg';
import { startEmbeddedPlatform, waitForSeedVideos } from './support/embedded-platform.mjs';
import { spokenCourseMaker } from './support/spoken-course.mjs';

const PROFILES = {
  '3G': { kbps: 400, rttMs: 400 },
  EDGE: { kbps: 240, rttMs: 840 },
};
const LIGHTHOUSE_MOBILE = { kbps: 1600, rttMs: 150, cpuSlowdown: 4 };
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const COUNTED = new Set(['Document', 'Stylesheet', 'Script']);

process.env.ADMIN_PHONE = '0912000001';
process.env.ADMIN_PASSWORD = 'bench admin: một con ngựa đau cả tàu bỏ cỏ';
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
    '--autoplay-policy=no-user-gesture-required',
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

/** What every measured page records from its first moment: long tasks, and when sound starts. */
function instrument() {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  window.__playing = [];
  const NativeAudio = window.Audio;
  window.Audio = function (src) {
    const audio = new NativeAudio(src);
    audio.addEventListener('playing', () => window.__playing.push(performance.now()));
    return audio;
  };
}

/** Counts transferred bytes by resource type while `action` runs. */
async function counting(cdp, action) {
  const types = new Map();
  const bytes = { counted: 0, all: 0, media: 0 };
  const onResponse = (e) => types.set(e.requestId, { type: e.type, url: e.response.url });
  const onFinished = (e) => {
    const { type, url } = types.get(e.requestId) ?? {};
    bytes.all += e.encodedDataLength;
    if (COUNTED.has(type)) bytes.counted += e.encodedDataLength;
    if (url && /\/media\/.*\.m4a$/.test(url)) bytes.media += e.encodedDataLength;
  };
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  try {
    await action();
  } finally {
    cdp.off('Network.responseReceived', onResponse);
    cdp.off('Network.loadingFinished', onFinished);
  }
  return bytes;
}

async function load(page, cdp, path) {
  let facts;
  const bytes = await counting(cdp, async () => {
    await page.goto(`${base}${path}`, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    facts = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      speakers: document.querySelectorAll('button.speak').length,
    }));
    // Lazy pictures near the screen load after the load event: all bytes count them too.
    await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => {});
  });
  return { ...bytes, ...facts };
}

async function phone(link, cookies) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    locale: 'vi-VN',
    serviceWorkers: 'block',
  });
  await context.addCookies(cookies);
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: link.rttMs,
    downloadThroughput: (link.kbps * 1000) / 8,
    uploadThroughput: (link.kbps * 1000) / 8,
  });
  if (link.cpuSlowdown) await cdp.send('Emulation.setCPUThrottlingRate', { rate: link.cpuSlowdown });
  return { context, page, cdp };
}

async function measure(link, path, cookies, { tap = false } = {}) {
  const { context, page, cdp } = await phone(link, cookies);
  const first = await load(page, cdp, path);
  let played = null;
  if (tap && first.speakers > 0) {
    const tapped = performance.now();
    const bytes = await counting(cdp, async () => {
      await page.locator('button.speak').first().click();
      await page
        .waitForFunction(() => window.__playing.length > 0, null, { timeout: 60_000 })
        .catch(() => {});
      await page.waitForTimeout(300);
    });
    const sounded = await page.evaluate(() => window.__playing.length > 0);
    played = { bytes: bytes.media, toSoundMs: sounded ? performance.now() - tapped - 300 : null };
  }
  // A repeat visit: a new navigation to the same page (not a reload, which revalidates everything).
  await page.goto('about:blank');
  const repeat = await load(page, cdp, path);
  await context.close();
  return { first, repeat, played };
}

/** Lighthouse's total blocking time: the part over 50 ms of each long task after first paint. */
async function blockingTime(path, cookies) {
  const { context, page } = await phone(LIGHTHOUSE_MOBILE, cookies);
  await page.goto(`${base}${path}`, { waitUntil: 'load' });
  await page.waitForTimeout(3000);
  const { tbt, longest } = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
    // Lighthouse's clipping: a task that started before first paint counts from first paint on.
    const clipped = window.__long.map(([start, duration]) => start + duration - Math.max(start, fcp));
    return {
      tbt: clipped.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
      longest: Math.max(0, ...clipped),
    };
  });
  await context.close();
  return { tbt, longest };
}

const kb = (b) => (b / 1024).toFixed(1);
const ms = (v) => (v === null || v === undefined ? 'n/a' : String(Math.round(v)));
try {
  const db = new pg.Client({ connectionString: platform.databaseUrl });
  db.on('error', () => undefined);
  await db.connect();
  await waitForSeedVideos(db);
  // The programme's first course in the seeds with a video and a quiz (guides, practice too).
  const courses = await (await fetch(`${base}/api/v1/courses?pageSize=50`)).json();
  let course;
  const kinds = {};
  for (const c of courses.items) {
    const detail = await (await fetch(`${base}/api/v1/courses/${c.id}`)).json();
    for (const l of detail.lessons) kinds[l.kind] ??= l.id;
    if (
      !course &&
      detail.lessons.some((l) => l.kind === 'video') &&
      detail.lessons.some((l) => l.kind === 'quiz')
    )
      course = detail;
  }
  const lesson = (kind) => course.lessons.find((l) => l.kind === kind)?.id ?? kinds[kind];
  const admin = await (
    await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: process.env.ADMIN_PHONE, password: process.env.ADMIN_PASSWORD }),
    })
  ).json();
  const spoken = await spokenCourseMaker(base, admin.accessToken)();
  const cookies = await learnerCookies();
  const anonymous = cookies.filter((c) => c.name !== 'bs_session');
  const pages = [
    ['home (anonymous)', '/', anonymous],
    ['home (signed in)', '/', cookies],
    ['course page', `/courses/${course.slug}`, cookies],
    ['video lesson', `/lessons/${lesson('video')}`, cookies],
    ['guide lesson', `/lessons/${lesson('guide')}`, cookies],
    ['quiz lesson', `/lessons/${lesson('quiz')}`, cookies],
    ...(lesson('practice') ? [['practice lesson', `/lessons/${lesson('practice')}`, cookies]] : []),
    ['spoken course page', `/courses/${spoken.slug}`, cookies],
    ['spoken guide', `/lessons/${spoken.lessons.guide}`, cookies],
    ['spoken quiz', `/lessons/${spoken.lessons.quiz}`, cookies],
    ['spoken practice', `/lessons/${spoken.lessons.practice}`, cookies],
    // The public page a QR code opens (same layout; an unknown code, so no certificate is needed).
    ['verify (no such code)', `/verify/${'0'.repeat(26)}`, []],
  ];
  const lessonPages = pages
    .map(([name]) => name)
    .filter((n) => /lesson|spoken (guide|quiz|practice)/.test(n));
  console.log(`Chromium ${browser.version()}; recordings: ${spoken.espeak ? 'espeak-ng speech' : 'tones'}`);
  const results = {};
  // `--blocking-only`: the total blocking time table alone (the link profiles take ten minutes).
  const profiles = process.argv.includes('--blocking-only') ? {} : PROFILES;
  for (const [profile, link] of Object.entries(profiles)) {
    console.log(
      `\n${profile}: ${link.kbps} kbps, ${link.rttMs} ms RTT. HTML + CSS + JS as transferred; all = with pictures`,
    );
    console.log(
      'page                     first KB  all KB  repeat KB  FCP ms  repeat FCP ms  speakers  tap: audio KB  to sound ms',
    );
    for (const [name, path, jar] of pages) {
      const r = await measure(link, path, jar, { tap: name.startsWith('spoken') });
      results[`${profile} ${name}`] = r;
      console.log(
        `${name.padEnd(24)} ${kb(r.first.counted).padStart(8)}  ${kb(r.first.all).padStart(6)}  ${kb(r.repeat.counted).padStart(9)}  ${ms(r.first.fcp).padStart(6)}  ${ms(r.repeat.fcp).padStart(13)}  ${String(r.first.speakers).padStart(8)}  ${(r.played ? kb(r.played.bytes) : '').padStart(13)}  ${(r.played ? ms(r.played.toSoundMs) : '').padStart(11)}`,
      );
    }
  }
  console.log(
    `\nLighthouse mobile settings (${LIGHTHOUSE_MOBILE.cpuSlowdown}× CPU, ${LIGHTHOUSE_MOBILE.kbps} kbps, ${LIGHTHOUSE_MOBILE.rttMs} ms RTT):`,
  );
  console.log('page                     total blocking ms  longest task ms');
  const tbt = {};
  for (const [name, path, jar] of pages.filter(([n]) => lessonPages.includes(n))) {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await blockingTime(path, jar));
    runs.sort((a, b) => a.tbt - b.tbt);
    tbt[name] = runs[1];
    console.log(
      `${name.padEnd(24)} ${ms(runs[1].tbt).padStart(17)}  ${ms(runs[1].longest).padStart(15)}   (median of 3)`,
    );
  }

  if (Object.keys(profiles).length === 0) {
    console.log(`\nvideo lesson total blocking time: ${ms(tbt['video lesson'].tbt)} ms (goal < 200 ms)`);
  } else {
    const worst = (profile, field) =>
      Math.max(...lessonPages.map((n) => results[`${profile} ${n}`].first[field] ?? Infinity));
    const worstRepeat = Math.max(...lessonPages.map((n) => results[`3G ${n}`].repeat.counted));
    const homeFcp = Math.max(
      results['3G home (anonymous)'].first.fcp,
      results['3G home (signed in)'].first.fcp,
    );
    console.log(`\nlesson pages, first load (3G): ${kb(worst('3G', 'counted'))} KB at most (goal ≤ 50 KB)`);
    console.log(`lesson pages, repeat visit (3G): ${kb(worstRepeat)} KB at most (goal ≤ 10 KB)`);
    console.log(`home page first contentful paint (3G): ${(homeFcp / 1000).toFixed(2)} s (goal ≤ 3 s)`);
    console.log(
      `lesson pages on EDGE: text and speaker buttons painted within ${(worst('EDGE', 'fcp') / 1000).toFixed(2)} s at most (goal ≤ 5 s)`,
    );
    console.log(`video lesson total blocking time: ${ms(tbt['video lesson'].tbt)} ms (goal < 200 ms)`);
  }
  await db.end();
} finally {
  await browser.close();
  await platform.stop();
}

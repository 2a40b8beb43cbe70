import { apiUrl } from './support/api.js';
import { Browser } from './support/portal-browser.js';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect([...bytes.slice(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * An installable portal (issue 17, item 5): a web app manifest in the reader's language with icons
 * a phone can use, a start URL the service worker keeps (or answers with its offline page), and a
 * first-visit hint on every page. The browser journey (installability as Chromium judges it,
 * offline start) is in test/browser/learner.browser-spec.ts.
 */
describe('the installable portal', () => {
  it('links a manifest in the chosen language from every page', async () => {
    const visitor = new Browser();
    await visitor.request('/welcome');
    for (const lang of ['vi', 'hmn', 'en']) {
      const page = await visitor.request(`/login?lang=${lang}`);
      const href = /<link rel="manifest" href="([^"]+)">/.exec(page.text)?.[1].replace(/&amp;/g, '&');
      expect(href).toMatch(new RegExp(`^/manifest\\.webmanifest\\?lang=${lang}&v=`));
      // And the first-visit hint, with its words in that language.
      expect(page.text).toContain('class="notice install-hint" hidden');
    }
  });

  it.each([
    ['vi', 'Học kỹ năng số qua điện thoại'],
    ['hmn', 'Kawm txuj ci digital ntawm xov tooj'],
    ['en', 'Learn digital skills on your phone'],
  ])(
    'describes the app in %s, opening at "/" standalone, with PNG and maskable icons',
    async (lang, words) => {
      const res = await fetch(`${apiUrl()}/manifest.webmanifest?lang=${lang}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
      const manifest = await res.json();
      expect(manifest).toMatchObject({
        id: '/',
        name: 'Bản Số',
        short_name: 'Bản Số',
        lang,
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#0b5394',
      });
      expect(manifest.description).toContain(words);
      // What Chromium asks of an installable app: a 192 px and a 512 px PNG, one maskable.
      for (const icon of manifest.icons.filter((i: { type: string }) => i.type === 'image/png')) {
        const file = await fetch(`${apiUrl()}${icon.src}`);
        expect(file.status).toBe(200);
        expect(file.headers.get('content-type')).toBe('image/png');
        const { width, height } = pngSize(new Uint8Array(await file.arrayBuffer()));
        expect(`${width}x${height}`).toBe(icon.sizes);
      }
      expect(
        manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`),
      ).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
    },
  );

  it('falls back to Vietnamese for a language it has no words in', async () => {
    for (const lang of ['fr', '', 'hmn,vi', 'vi&lang=hmn']) {
      const res = await fetch(`${apiUrl()}/manifest.webmanifest?lang=${lang}`);
      expect(res.status).toBe(200);
      expect((await res.json()).lang).toBe('vi');
    }
    // A control character is refused like anywhere else, not served.
    expect((await fetch(`${apiUrl()}/manifest.webmanifest?lang=%00`)).status).toBe(400);
  });

  it('serves the offline page the service worker keeps for pages it has not', async () => {
    const page = await fetch(`${apiUrl()}/offline`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('class="saved-pages"');
    const worker = await fetch(`${apiUrl()}/sw.js`);
    expect(await worker.text()).toContain("const OFFLINE_FALLBACK = '/offline'");
  });
});

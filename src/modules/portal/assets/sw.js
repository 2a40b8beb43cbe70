// Bản Số service worker: visited lesson pages and saved videos stay available offline.
// Pages: network first (fresh progress), the cached copy when offline. Versioned assets: cache
// first (their URL changes with their content). Saved videos: from the cache, with Range support.
'use strict';
const PAGES = 'banso-pages-v1';
const ASSETS = 'banso-assets-v1';
const MEDIA = 'banso-media-v1';
/** The offline fallback page: kept apart from PAGES, which signing out clears. */
const SHELL = 'banso-shell-v1';
const KEEP = [PAGES, ASSETS, MEDIA, SHELL];
const OFFLINE_PAGES = /^\/(lessons|courses)(\/|$)|^\/$|^\/my\/learning$/;

/** Shown for a page that is neither online nor kept: lists the lessons that are (the start URL "/" opens it too). */
const OFFLINE_FALLBACK = '/offline';

self.addEventListener('install', (event) =>
  event.waitUntil(
    caches
      .open(SHELL)
      .then((c) => c.add(OFFLINE_FALLBACK))
      .catch(() => {})
      .then(() => self.skipWaiting()),
  ),
);
self.addEventListener('activate', (event) =>
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => !KEEP.includes(k)).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  ),
);

/** A page's cache key: its path and query, without one-off notices and language switches. */
function pageKey(url) {
  const key = new URL(url.pathname + url.search, location.origin);
  key.searchParams.delete('notice');
  key.searchParams.delete('lang');
  return key.pathname + key.search;
}

async function fromNetworkThenCache(request) {
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    if (response.ok && OFFLINE_PAGES.test(url.pathname)) {
      const copy = response.clone();
      caches.open(PAGES).then((c) => c.put(pageKey(url), copy));
    }
    return response;
  } catch (e) {
    const cached =
      (await caches.match(pageKey(url), { cacheName: PAGES })) ||
      (await caches.match(OFFLINE_FALLBACK, { cacheName: SHELL }));
    if (cached) return cached;
    throw e;
  }
}

async function asset(request) {
  const cached = await caches.match(request, { cacheName: ASSETS });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    caches.open(ASSETS).then((c) => c.put(request, copy));
  }
  return response;
}

async function media(request) {
  const url = new URL(request.url);
  const cached = await caches.match(url.pathname, { cacheName: MEDIA });
  if (!cached) return fetch(request);
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get('range') || '');
  if (!range || (!range[1] && !range[2])) return cached;
  // Slices of the stored file: no copy of the whole video in memory on a cheap phone.
  const body = await cached.blob();
  const size = body.size;
  const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
  const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
  if (start >= size || start > end) {
    return new Response(null, { status: 416, headers: { 'content-range': `bytes */${size}` } });
  }
  return new Response(body.slice(start, end + 1), {
    status: 206,
    headers: {
      'content-type': cached.headers.get('content-type') || 'video/mp4',
      'content-range': `bytes ${start}-${end}/${size}`,
      'content-length': String(end - start + 1),
      'accept-ranges': 'bytes',
    },
  });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin) return;
  if (url.pathname.startsWith('/assets/')) return event.respondWith(asset(request));
  if (url.pathname.startsWith('/media/')) return event.respondWith(media(request));
  if (request.mode === 'navigate') return event.respondWith(fromNetworkThenCache(request));
});

// "Save for offline" from a lesson page: the page and its lowest-rung MP4.
self.addEventListener('message', (event) => {
  if (!event.data || event.data.type !== 'save') return;
  const port = event.ports[0];
  const save = async (address) => {
    const url = new URL(address, location.origin);
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`${url.pathname}: ${response.status}`);
    const media = url.pathname.startsWith('/media/');
    await (await caches.open(media ? MEDIA : PAGES)).put(media ? url.pathname : pageKey(url), response);
  };
  event.waitUntil(
    Promise.all(event.data.urls.map(save)).then(
      () => port.postMessage({ ok: true }),
      () => port.postMessage({ ok: false }),
    ),
  );
});

// Reminders by Web Push (the notifications page subscribes): shown even when no page is open.
self.addEventListener('push', (event) => {
  let data;
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || 'Bản Số', {
      body: data.body || '',
      tag: data.id,
      data: { url: data.url || '/notifications' },
    }),
  );
});

// Tapping a reminder opens what it is about (a page of this site only), or focuses it if open.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(
    (event.notification.data && event.notification.data.url) || '/notifications',
    location.origin,
  );
  if (url.origin !== location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => w.url === url.href && 'focus' in w);
      return open ? open.focus() : self.clients.openWindow(url.href);
    }),
  );
});

// Bản Số offline support, on every page (small on purpose): registers the service worker, keeps
// learning events in a queue that survives reloads and lost connections, sends them through
// /api/v1/sync when the connection returns, and offers "save for offline" on lesson pages.
(() => {
  'use strict';
  // One queue per learner on this device (a shared family phone): events only leave with their owner.
  const learner = document.body.dataset.learner;
  const KEY = `banso.progressQueue.${learner || 'nobody'}`;
  const receipt = document.querySelector('.sync-receipt');
  let token = (document.querySelector('input[name=_csrf]') || {}).value || '';
  // A page kept offline may carry a token from an earlier browser session: ask for a fresh one.
  const freshToken = async () => {
    const res = await fetch('/api/v1/auth/csrf', { credentials: 'same-origin' });
    if (res.ok) token = (await res.json()).csrfToken;
    return res.ok;
  };
  const read = () => {
    try {
      return JSON.parse(localStorage.getItem(KEY)) || [];
    } catch {
      return [];
    }
  };
  const write = (q) => localStorage.setItem(KEY, JSON.stringify(q));
  const show = (text) => {
    if (!receipt || !text) return;
    receipt.textContent = text;
    receipt.hidden = false;
  };
  const uuid = () =>
    crypto.randomUUID
      ? crypto.randomUUID()
      : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
          (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16),
        );

  let sending = false;
  let batchSize = 200;
  // A busy or briefly unavailable server (503, 429, 5xx) or a dropped request: nothing was
  // acknowledged, so the batch stays queued and goes again after Retry-After, backing off.
  let retryDelay = 0;
  let retryTimer;
  const retryLater = (seconds) => {
    clearTimeout(retryTimer);
    retryDelay = Math.min(300, Math.max(seconds || 0, retryDelay ? retryDelay * 2 : 5));
    retryTimer = setTimeout(flush, retryDelay * (800 + Math.random() * 400));
  };
  const send = (batch) =>
    fetch('/api/v1/sync', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': token },
      body: JSON.stringify({ events: batch.map((e) => e.event) }),
    });
  async function flush() {
    const queue = read();
    if (sending || !queue.length || !navigator.onLine || !learner) return;
    sending = true;
    const batch = queue.slice(0, batchSize);
    let delivered = false;
    try {
      let res = await send(batch);
      if (res.status === 403 && (await freshToken())) res = await send(batch);
      // The server takes fewer events per request than we sent: halve and go on.
      if (res.status === 413) batchSize = Math.max(1, Math.floor(batch.length / 2));
      // 401/403: signed out, or still refused; the events wait for the next signed-in page.
      if (res.status === 429 || res.status >= 500) retryLater(Number(res.headers.get('retry-after')));
      if (res.ok) {
        await res.json();
        delivered = true;
        retryDelay = 0;
        const sent = new Set(batch.map((e) => e.event.id));
        write(read().filter((e) => !sent.has(e.event.id)));
        const lessons = new Set(batch.filter((e) => e.offline).map((e) => e.event.lessonId)).size;
        if (lessons && receipt) {
          show(
            lessons === 1 ? receipt.dataset.syncedOne : receipt.dataset.syncedMany.replace('{n}', lessons),
          );
        }
      }
    } catch {
      // Still offline, or the connection dropped mid-request: the events stay queued (and go when
      // the browser says it is online again, or after a pause if it believes it already is).
      if (navigator.onLine) retryLater();
    } finally {
      sending = false;
    }
    // What is left (the rest of a long queue, events recorded meanwhile) goes next.
    if ((delivered || batchSize < batch.length) && read().length) flush();
  }

  /** For the player and the guide: record an event now, or later if the connection is gone. */
  window.bansoRecord = (event) => {
    const queue = read();
    queue.push({ event: { id: uuid(), at: new Date().toISOString(), ...event }, offline: !navigator.onLine });
    write(queue.slice(-2000));
    flush();
  };
  addEventListener('online', flush);
  addEventListener('offline', () => receipt && show(receipt.dataset.offline));
  if (!navigator.onLine) show(receipt && receipt.dataset.offline);

  // The rest is not needed for the page to be read: each part runs in a task of its own once the
  // browser is idle, so none blocks a cheap phone's main thread for long (a single task of all of
  // it took 250 ms at a quarter of a laptop's speed).
  const later = (task) =>
    window.requestIdleCallback ? requestIdleCallback(task, { timeout: 3000 }) : setTimeout(task, 50);
  [flush, forgetOtherLearnersPages, installHint, listSavedPages, registerWorker, offerOfflineSave].forEach(
    later,
  );

  // Pages kept for offline show one learner's progress: signing out forgets them, and so does
  // another learner signing in on the same phone.
  function forgetOtherLearnersPages() {
    if (!window.caches) return;
    const signOut = document.querySelector('form[action="/logout"]');
    if (signOut) signOut.addEventListener('submit', () => caches.delete('banso-pages-v1'));
    const owner = localStorage.getItem('banso.pagesOwner');
    if (learner && owner !== learner) {
      caches.delete('banso-pages-v1');
      localStorage.setItem('banso.pagesOwner', learner);
    }
  }

  function registerWorker() {
    if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {});
  }

  // "Save for offline": the size first, then the page, its lowest-rung video, its recordings and
  // its pictures into the cache.
  function offerOfflineSave() {
    const box = document.querySelector('.offline-save');
    if (!box || !('serviceWorker' in navigator)) return;
    const button = box.querySelector('button');
    const bytes =
      Number(box.dataset.pageBytes || 0) +
      Number(box.dataset.videoBytes || 0) +
      Number(box.dataset.filesBytes || 0);
    // MB with one decimal, written by hand: toLocaleString's first call loads the number formats,
    // 150–200 ms of a cheap phone's main thread.
    const tenths = Math.max(1, Math.round(bytes / 1e5));
    const comma = document.documentElement.lang === 'en' ? '.' : ',';
    const mb = `${Math.floor(tenths / 10)}${comma}${tenths % 10}`;
    button.textContent = box.dataset.label.replace(/\{\{size\}\}|\{size\}/, mb);
    box.hidden = false;
    button.addEventListener('click', async () => {
      button.disabled = true;
      const files = (box.dataset.files || '').split(' ');
      const urls = [location.pathname + location.search, box.dataset.video, ...files].filter(Boolean);
      const done = await navigator.serviceWorker.ready.then(
        (reg) =>
          new Promise((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = (m) => resolve(m.data && m.data.ok);
            reg.active.postMessage({ type: 'save', urls }, [channel.port2]);
          }),
      );
      show(done ? box.dataset.saved : box.dataset.failed);
      button.disabled = false;
    });
  }

  // A first-visit hint to add the portal to the home screen: the browser's own prompt where it
  // offers one (Android Chrome), else where to find it in the menu. Shown on the first page this
  // phone opens, then never again (the browser's own prompt may still offer it later).
  function installHint() {
    const hint = document.querySelector('.install-hint');
    const DONE = 'banso.installHint';
    const standalone = matchMedia('(display-mode: standalone)').matches || navigator.standalone;
    if (!hint || standalone || localStorage.getItem(DONE)) return;
    const text = hint.querySelector('p');
    const yes = hint.querySelector('.install-yes');
    const done = () => {
      localStorage.setItem(DONE, '1');
      hint.hidden = true;
    };
    hint.querySelector('.install-no').addEventListener('click', done);
    addEventListener('appinstalled', done);
    const ios = /iPhone|iPad|iPod/.test(navigator.userAgent);
    text.textContent = ios ? hint.dataset.ios : hint.dataset.manual;
    hint.hidden = false;
    localStorage.setItem(DONE, 'shown');
    addEventListener('beforeinstallprompt', (event) => {
      event.preventDefault();
      yes.hidden = false;
      yes.onclick = async () => {
        event.prompt();
        if ((await event.userChoice).outcome === 'accepted') done();
      };
    });
  }

  // The offline page: the lessons and courses this phone keeps, by their titles.
  async function listSavedPages() {
    const list = document.querySelector('.saved-pages');
    if (!list || !window.caches) return;
    const cache = await caches.open('banso-pages-v1');
    for (const request of await cache.keys()) {
      const path = new URL(request.url).pathname;
      if (!/^\/(lessons|courses)\//.test(path)) continue;
      const html = await (await cache.match(request)).text();
      const title = (/<title>([^<]*)<\/title>/.exec(html) || [])[1] || path;
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = path;
      // The title as the page wrote it (HTML-escaped), read back as text.
      link.textContent = new DOMParser().parseFromString(title, 'text/html').body.textContent;
      item.append(link);
      list.append(item);
    }
    list.hidden = list.children.length === 0;
    document.querySelector('.saved-none').hidden = list.children.length > 0;
  }
})();

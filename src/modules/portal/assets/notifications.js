// Web Push on this phone, loaded only on the notifications page and only when the server has
// VAPID keys. Without JavaScript or push support the page still lists and manages everything else.
(() => {
  'use strict';
  const box = document.querySelector('[data-push]');
  if (!box) return;
  const out = box.querySelector('output');
  const on = box.querySelector('[data-subscribe]');
  const off = box.querySelector('[data-unsubscribe]');
  box.hidden = false;
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    on.hidden = true;
    out.textContent = box.dataset.unsupported;
    return;
  }
  const token = document.querySelector('input[name=_csrf]').value;
  const ID = 'banso-push-subscription';
  const api = async (method, url, body) => {
    const res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': token },
      body: body && JSON.stringify(body),
    });
    if (res.status === 204) return null;
    const json = await res.json();
    if (!res.ok) throw new Error(json.message || res.status);
    return json;
  };
  const key = (b64) => {
    const s = atob(b64.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (b64.length % 4)) % 4));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  };
  const current = async () => (await navigator.serviceWorker.ready).pushManager.getSubscription();
  async function show() {
    const sub = await current();
    on.hidden = !!sub;
    off.hidden = !sub;
  }
  on.addEventListener('click', async () => {
    out.textContent = '';
    try {
      if ((await Notification.requestPermission()) !== 'granted') {
        out.textContent = box.dataset.denied;
        return;
      }
      await navigator.serviceWorker.register('/sw.js');
      const registration = await navigator.serviceWorker.ready;
      // A subscription made with an older server key cannot be reused.
      const old = await registration.pushManager.getSubscription();
      if (old) await old.unsubscribe();
      const sub = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: key(box.dataset.key),
      });
      localStorage.setItem(ID, (await api('POST', '/api/v1/me/push-subscriptions', sub.toJSON())).id);
      location.reload();
    } catch (e) {
      out.textContent = e.message;
    }
  });
  off.addEventListener('click', async () => {
    out.textContent = '';
    const id = localStorage.getItem(ID);
    if (id) await api('DELETE', `/api/v1/me/push-subscriptions/${id}`).catch(() => {});
    const sub = await current();
    if (sub) await sub.unsubscribe();
    localStorage.removeItem(ID);
    location.reload();
  });
  show().catch(() => {});
})();

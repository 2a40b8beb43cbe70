// "1 kèm 5" evidence photo, loaded only on the ambassador page. Without it the form logs the
// household without a photo. With it: the photo is shrunk on the phone (a weak 3G link sends
// 200 KB, not a 4 MB camera file), sent straight to storage, and confirmed.
(() => {
  'use strict';
  const form = document.querySelector('form[data-evidence]');
  const box = form && form.querySelector('[data-photo]');
  if (!box || !window.fetch) return;
  box.hidden = false;
  const input = box.querySelector('input[type=file]');
  const out = box.querySelector('output');
  const token = form.querySelector('input[name=_csrf]').value;
  const api = async (url, body) => {
    const res = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': token },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(json.message || res.status);
    return json;
  };
  async function shrink(file) {
    if (file.size <= 400000 && file.type === 'image/jpeg') return file;
    const image = await createImageBitmap(file);
    const scale = Math.min(1, 1280 / Math.max(image.width, image.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(image.width * scale);
    canvas.height = Math.round(image.height * scale);
    canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
    return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
  }
  // After a failed photo upload the record already exists: a second try sends only the photo.
  let record = null;
  form.addEventListener('submit', async (event) => {
    const file = input.files[0];
    if (!file) return; // the plain form logs it without a photo
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    out.textContent = box.dataset.sending;
    try {
      const photo = await shrink(file);
      const value = (name) => (form.elements[name].value || '').trim();
      const declared = { contentType: photo.type, size: photo.size };
      let photoUpload;
      if (record && record.photo && photo.type === record.photoType) {
        photoUpload = await api(`/api/v1/certification/mentoring-records/${record.id}/photo`, declared);
      } else {
        const created = await api('/api/v1/certification/mentoring-records', {
          helpedOn: value('helpedOn'),
          household: value('household'),
          task: value('task'),
          ...(value('note') && { note: value('note') }),
          photo: declared,
        });
        record = { ...created.record, photoType: photo.type };
        photoUpload = created.photoUpload;
      }
      const put = await fetch(photoUpload.url, { method: 'PUT', headers: photoUpload.headers, body: photo });
      if (!put.ok) throw new Error(`HTTP ${put.status}`);
      await api(`/api/v1/certification/mentoring-records/${record.id}/photo/confirm`, {});
      location.assign(box.dataset.done);
    } catch (e) {
      out.textContent = `${box.dataset.failed} ${e.message}`;
      button.disabled = false;
    }
  });
})();

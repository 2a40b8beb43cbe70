// Trainer video upload: presigned PUT straight to storage, confirm, attach to the lesson at once
// (leaving the page while the video is processed loses nothing), then follow the processing.
(() => {
  'use strict';
  const csrf = (box) => box.dataset.csrf || (document.querySelector('input[name=_csrf]') || {}).value || '';
  const call = async (box, method, url, body) => {
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      'x-csrf-token': csrf(box),
    };
    const res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: body && JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(json.message || res.status);
    return json;
  };
  const put = (upload, file, bar) =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('PUT', upload.url);
      for (const [name, value] of Object.entries(upload.headers || {})) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (e) =>
        e.lengthComputable && (bar.value = Math.round((e.loaded / e.total) * 100));
      xhr.onload = () => (xhr.status < 300 ? resolve() : reject(new Error(`HTTP ${xhr.status}`)));
      xhr.onerror = () => reject(new Error('network'));
      xhr.send(file);
    });
  for (const note of document.querySelectorAll('[data-nojs]')) note.hidden = true;
  for (const box of document.querySelectorAll('[data-upload]')) {
    const [input, button, bar, out] = ['input', 'button', 'progress', 'output'].map((s) =>
      box.querySelector(s),
    );
    const d = box.dataset;
    const say = (key, extra = '') => (out.textContent = `${d[key]} ${extra}`);
    box.hidden = false;
    button.addEventListener('click', async () => {
      const file = input.files[0];
      if (!file) return input.focus();
      button.disabled = true;
      bar.hidden = false;
      say('uploading', file.name);
      try {
        const intent = await call(box, 'POST', '/api/v1/media/uploads', {
          fileName: file.name,
          contentType: file.type || 'video/mp4',
          bytes: file.size,
        });
        const id = intent.media.mediaId;
        await put(intent.upload, file, bar);
        await call(box, 'POST', `/api/v1/media/${id}/confirm`, {});
        const lesson = `/api/v1/authoring/courses/${d.course}/draft/lessons/${d.lesson}`;
        await call(box, 'PUT', `${lesson}/media/${d.locale}`, { mediaId: id });
        say('processing');
        for (;;) {
          const media = await call(box, 'GET', `/api/v1/media/${id}`);
          if (media.status === 'failed') throw new Error(media.failure ? media.failure.message : '');
          if (media.status === 'ready') break;
          await new Promise((r) => setTimeout(r, 2000));
        }
        say('ready');
      } catch (e) {
        say('failed', e.message);
      }
      button.disabled = false;
    });
  }
})();

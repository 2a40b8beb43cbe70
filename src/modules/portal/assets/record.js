// Trainer recordings and pictures in the lesson editor: record with the microphone (MediaRecorder)
// or choose a file, upload it straight to storage (presigned PUT), confirm it, and put its id in
// the form; saving the lesson keeps it. Processing (loudness, AAC; picture sizes) runs meanwhile.
(() => {
  'use strict';
  const form = document.querySelector('form[data-texts]');
  if (!form) return;
  const d = form.dataset;
  const csrf = () => (form.querySelector('input[name=_csrf]') || {}).value || '';
  const call = async (url, body) => {
    const res = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf() },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(json.message || res.status);
    return json;
  };
  /** Uploads a recording or picture; its id once storage has it and the upload is confirmed. */
  const upload = async (blob, fileName, contentType) => {
    const intent = await call('/api/v1/media/uploads', { fileName, contentType, bytes: blob.size });
    const put = await fetch(intent.upload.url, { method: 'PUT', headers: intent.upload.headers, body: blob });
    if (!put.ok) throw new Error(`HTTP ${put.status}`);
    await call(`/api/v1/media/${intent.media.mediaId}/confirm`, {});
    return intent.media.mediaId;
  };

  for (const slot of form.querySelectorAll('[data-recorder], [data-picture]')) {
    const id = slot.querySelector('input[type=hidden]');
    const out = slot.querySelector('output');
    const file = slot.querySelector('input[type=file]');
    const say = (text) => (out.textContent = text);
    const keep = async (blob, fileName, contentType) => {
      say(d.uploading);
      try {
        id.value = await upload(blob, fileName, contentType);
        say(d.uploaded);
        if (slot.dataset.recorder !== undefined) {
          const player = document.createElement('audio');
          player.controls = true;
          player.src = URL.createObjectURL(blob);
          out.append(' ', player);
        }
      } catch (e) {
        say(`${d.uploadFailed} ${e.message}`);
      }
    };
    out.addEventListener('click', (event) => {
      if (!event.target.matches('[data-clear]')) return;
      id.value = '';
      say(d.removed);
    });
    file.addEventListener(
      'change',
      () => file.files[0] && keep(file.files[0], file.files[0].name, file.files[0].type),
    );

    const record = slot.querySelector('[data-record]');
    if (!record || !navigator.mediaDevices || !window.MediaRecorder) continue;
    record.hidden = false;
    const label = record.textContent;
    let recorder = null;
    record.addEventListener('click', async () => {
      if (recorder) return recorder.stop();
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        const chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.ondataavailable = (e) => e.data.size && chunks.push(e.data);
        recorder.onstop = () => {
          for (const track of stream.getTracks()) track.stop();
          // The type without its codecs: the upload's type must be one the server names exactly.
          const type = (recorder.mimeType || 'audio/webm').split(';')[0];
          recorder = null;
          record.textContent = label;
          keep(new Blob(chunks, { type }), `ghi-am.${type === 'audio/mp4' ? 'm4a' : 'webm'}`, type);
        };
        recorder.start();
        record.textContent = `■ ${d.stop}`;
        say(d.recording);
      } catch (e) {
        recorder = null;
        say(`${d.noMicrophone} ${e.message}`);
      }
    });
  }
})();

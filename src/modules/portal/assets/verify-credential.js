// The credential check form: a chosen credential file fills the text box; a chosen PDF is hashed
// here (SHA-256, Web Crypto) and only its hash is sent. Without JavaScript the text box still works.
(() => {
  'use strict';
  const form = document.querySelector('form[data-check-credential]');
  if (!form) return;
  for (const el of form.querySelectorAll('[data-js]')) el.hidden = false;
  const text = form.querySelector('#credential');
  const hash = form.querySelector('input[name=pdfSha256]');
  form.querySelector('#credential-file').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    if (file) text.value = await file.text();
  });
  form.querySelector('#pdf-file').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    if (!file || !crypto.subtle) return void (hash.value = '');
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    hash.value = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  });
})();

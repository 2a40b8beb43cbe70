// Bản Số speaker buttons: a text's recording is fetched and played only when its button is
// tapped (pages stay light on 2G); tapping again stops it, another button takes over.
(() => {
  'use strict';
  let audio = null;
  let playing = null;
  const stop = () => {
    if (audio) audio.pause();
    if (playing) playing.classList.remove('playing');
    playing = null;
  };
  document.addEventListener('click', (event) => {
    const button = event.target.closest && event.target.closest('button.speak');
    if (!button) return;
    const again = playing === button;
    stop();
    if (again) return;
    audio = new Audio(button.dataset.src);
    playing = button;
    button.classList.add('playing');
    audio.onended = audio.onerror = () => playing === button && stop();
    audio.play().catch(() => playing === button && stop());
  });
})();

// Bản Số video player, loaded only on video lessons. Without it the page plays the lowest-rung MP4.
// With it: HLS at the chosen rendition (sizes shown in MB), the lowest rung by default on Save-Data
// or a slow connection, resume where the learner stopped, and heartbeats of what was really played.
(() => {
  'use strict';
  const figure = document.querySelector('.player');
  const video = figure && figure.querySelector('video');
  const choices = document.querySelector('.renditions');
  if (!video) return;
  // The browser's controls, built on the first tap (or the first play): not on the page's load.
  const play = figure.querySelector('.play-video');
  const withControls = () => {
    video.controls = true;
    if (play) play.remove();
  };
  if (play) {
    play.hidden = false;
    play.addEventListener('click', () => {
      withControls();
      video.play().catch(() => {});
    });
  }
  video.addEventListener('play', withControls, { once: true });
  const lessonId = figure.dataset.lesson;
  const signedIn = figure.dataset.signedIn === '1';
  const hls = video.canPlayType('application/vnd.apple.mpegurl') !== '';
  const link = navigator.connection || {};
  const slow = link.saveData || /2g|^3g$/.test(link.effectiveType || '');
  const radios = choices ? [...choices.querySelectorAll('input[name=rendition]')] : [];
  if (slow && radios.length) (radios.find((r) => r.dataset.kind === 'video') || radios[0]).checked = true;

  // Offline the cached MP4 plays; online, HLS where the browser plays it natively.
  function load(url, resumeAt) {
    if (!hls || !navigator.onLine || !url) return;
    const playing = !video.paused;
    video.src = url;
    video.addEventListener(
      'loadedmetadata',
      () => {
        if (resumeAt) video.currentTime = resumeAt;
        if (playing) video.play();
      },
      { once: true },
    );
  }
  const chosen = () => (radios.find((r) => r.checked) || {}).value;
  if (hls && radios.length) {
    choices.hidden = false;
    load(chosen(), Number(figure.dataset.position) || 0);
    radios.forEach((r) => r.addEventListener('change', () => load(chosen(), video.currentTime)));
  } else if (figure.dataset.position) {
    video.addEventListener('loadedmetadata', () => (video.currentTime = Number(figure.dataset.position)), {
      once: true,
    });
  }

  // Heartbeats: the stretches actually played since the last one, and the position for resuming.
  if (!signedIn) return;
  let played = [];
  let from = null;
  let last = 0;
  video.addEventListener('timeupdate', () => {
    const t = video.currentTime;
    if (video.paused || video.seeking) return;
    if (from === null || t < last || t - last > 2) {
      if (from !== null && last > from) played.push([from, last]);
      from = t;
    }
    last = t;
    // Every 15 s of playing in all (the server takes at most 120 s and 20 stretches per heartbeat).
    const claimed = played.reduce((sum, [a, b]) => sum + b - a, last - from);
    if (played.length + 1 >= 20 || claimed >= 15) beat();
  });
  function beat() {
    if (from !== null && last > from) played.push([from, last]);
    from = video.paused ? null : last;
    if (!played.length) return;
    const intervals = played.map(([a, b]) => [Math.round(a * 100) / 100, Math.round(b * 100) / 100]);
    played = [];
    if (window.bansoRecord)
      window.bansoRecord({
        type: 'video.heartbeat',
        lessonId,
        locale: figure.dataset.locale,
        intervals,
        position: Math.round(video.currentTime * 100) / 100,
      });
  }
  video.addEventListener('pause', beat);
  video.addEventListener('ended', beat);
  video.addEventListener('seeking', () => {
    if (from !== null && last > from) played.push([from, last]);
    from = null;
  });
  addEventListener('pagehide', beat);
})();

// Voice formats for recorded texts: the same speech (espeak-ng's Northern Vietnamese reading a
// guide step, when installed; else a tone) normalised as the worker does, then encoded as the
// worker's AAC-LC 32 kbps M4A and as Opus at 16, 24 and 32 kbps (WebM). Prints bytes per minute,
// encode time and the loudness reached; asserts nothing. The choice is in docs/decisions.md.
// Usage: npm run build && node bench/voice.mjs   (apt-get install espeak-ng for real speech)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveMediaTool } from '../dist/src/modules/media/ffmpeg.js';
import { makeVoiceFile } from '../dist/src/modules/media/voice-recording.js';

const ffmpeg = resolveMediaTool('ffmpeg');
const ffprobe = resolveMediaTool('ffprobe');
const dir = mkdtempSync(join(tmpdir(), 'banso-voice-'));
const TEXT =
  'Bước một: mở ứng dụng EVN trên điện thoại. Bước hai: chọn thanh toán tiền điện, nhập mã khách hàng ' +
  'in trên hoá đơn. Bước ba: kiểm tra số tiền rồi bấm xác nhận. Nếu chưa rõ, hãy hỏi người bản số của thôn.';
const source = join(dir, 'speech.wav');
let what;
try {
  execFileSync('espeak-ng', ['-v', 'vi', '-s', '140', '-w', source, TEXT]);
  what = 'espeak-ng Vietnamese speech';
} catch {
  execFileSync(ffmpeg, [
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=220:duration=20',
    '-af',
    'volume=-20dB',
    source,
  ]);
  what = 'a 220 Hz tone (espeak-ng not installed)';
}
const timed = (f) => {
  const t = process.hrtime.bigint();
  const r = f();
  return [r, Number(process.hrtime.bigint() - t) / 1e6];
};
/** Integrated loudness (LUFS), measured the EBU R128 way. */
const lufs = (file) => {
  const { stderr } = spawnSync(
    ffmpeg,
    ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128', '-f', 'null', '-'],
    {
      encoding: 'utf8',
    },
  );
  return Number(/I:\s+(-?[\d.]+) LUFS/.exec(stderr.slice(stderr.lastIndexOf('Summary')))[1]);
};

const [worker, workerMs] = await (async () => {
  const t = process.hrtime.bigint();
  const made = await makeVoiceFile({ ffmpeg, ffprobe }, source, dir);
  return [made, Number(process.hrtime.bigint() - t) / 1e6];
})();
const seconds = worker.durationSeconds;
console.log(`Source: ${what}, ${seconds} s, ${worker.sourceLoudness} LUFS as recorded\n`);
console.log('format                         bytes   KB per minute   encode ms   loudness (LUFS)');
const row = (name, file, ms) =>
  console.log(
    `${name.padEnd(28)} ${String(statSync(file).size).padStart(7)}   ${((statSync(file).size / 1024 / seconds) * 60).toFixed(0).padStart(13)}   ${ms.toFixed(0).padStart(9)}   ${lufs(file).toFixed(1).padStart(15)}`,
  );
row('AAC-LC 32 kbps M4A (worker)', join(dir, worker.file), workerMs);
const normalised = join(dir, 'normalised.wav');
execFileSync(ffmpeg, ['-loglevel', 'error', '-i', join(dir, worker.file), normalised]);
for (const kbps of [16, 24, 32]) {
  const out = join(dir, `opus-${kbps}.webm`);
  const [, ms] = timed(() =>
    execFileSync(ffmpeg, [
      '-loglevel',
      'error',
      '-y',
      '-i',
      normalised,
      '-ac',
      '1',
      '-c:a',
      'libopus',
      '-b:a',
      `${kbps}k`,
      out,
    ]),
  );
  row(`Opus ${kbps} kbps WebM`, out, ms);
}
rmSync(dir, { recursive: true, force: true });

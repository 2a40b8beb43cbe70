// Media pipeline speed: a 60 s 720p source through the full ladder (probe, 234p/360p/480p and
// audio-only HLS, the download MP4, the poster), as the worker runs it. Prints processing time ÷
// video duration (goal ≤ 0.5 on 2 cores) and what each rendition weighs. Asserts nothing.
// Usage: npm run build && node bench/transcode.mjs [runs=3]
// BENCH_FFMPEG=bundled uses the npm-bundled ffmpeg/ffprobe (the fallback on machines without one).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSampleVideo } from '../dist/seeds/sample-video.js';
import { VideoTranscoder } from '../dist/src/modules/media/video-transcoder.js';

const runs = Number(process.argv[2] ?? 3);
const require = createRequire(import.meta.url);
const bundled = process.env.BENCH_FFMPEG === 'bundled';
const media = {
  maxDurationSeconds: 900,
  ffmpegPath: bundled ? require('@ffmpeg-installer/ffmpeg').path : undefined,
  ffprobePath: bundled ? require('@ffprobe-installer/ffprobe').path : undefined,
};
const dir = mkdtempSync(join(tmpdir(), 'banso-transcode-'));
try {
  const source = join(dir, 'source-720p.mp4');
  // A moving test pattern with a voice-like sound track (a trainer's narration, not a near-silent
  // tone the audio encoders get for free), 1280×720 at 30 fps, at a camera-like bitrate.
  await makeSampleVideo(source, {
    audio: 'speech',
    seconds: 60,
    width: 1280,
    height: 720,
    fps: 30,
    ffmpegPath: media.ffmpegPath,
  });
  console.log(
    `source: 60 s 1280x720 30 fps with speech-like audio, ${(statSync(source).size / 1e6).toFixed(1)} MB; ` +
      `${availableParallelism()} cores; ffmpeg: ${bundled ? 'bundled npm binary' : (media.ffmpegPath ?? 'on PATH')}`,
  );
  const transcoder = new VideoTranscoder({ media });
  const ratios = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const out = join(dir, `out-${i}`);
    const started = performance.now();
    const probed = await transcoder.probe(source);
    last = await transcoder.transcode(source, out, probed);
    const seconds = (performance.now() - started) / 1000;
    ratios.push(seconds / probed.durationSeconds);
    console.log(
      `run ${i + 1}: ${seconds.toFixed(1)} s for ${probed.durationSeconds} s of video → ratio ${(seconds / probed.durationSeconds).toFixed(3)}`,
    );
    rmSync(out, { recursive: true, force: true });
  }
  ratios.sort((a, b) => a - b);
  console.log(
    `\nprocessing time ÷ duration: median ${ratios[Math.floor(ratios.length / 2)].toFixed(3)} (goal ≤ 0.5)`,
  );
  console.log('\nrendition      size      avg kbps  segments');
  for (const r of last.renditions) {
    console.log(
      `${r.name.padEnd(10)} ${(r.bytes / 1e6).toFixed(2).padStart(7)} MB ${String(r.averageKbps).padStart(9)} ${String(r.segments).padStart(9)}`,
    );
  }
  console.log(
    `download   ${(last.download.bytes / 1e6).toFixed(2).padStart(7)} MB  (${last.download.rendition} MP4, offline)`,
  );
  console.log(
    `poster     ${(last.poster.bytes / 1e3).toFixed(1).padStart(7)} KB  (${last.poster.width}x${last.poster.height})`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveMediaTool, runMediaTool } from '../src/modules/media/ffmpeg.js';

/** Be Vietnam Pro (OFL), shipped in npm as TTF: every Vietnamese and H'Mông RPA letter. */
export const SEED_FONT = join(
  dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/be-vietnam-pro/package.json')),
  '600SemiBold',
  'BeVietnamPro_600SemiBold.ttf',
);

export interface SampleVideoOptions {
  seconds: number;
  width: number;
  height: number;
  fps?: number;
  /**
   * The sound track: a soft tone (default), `speech` (a voice-like signal: a gliding pitch with its
   * harmonics, syllables about four times a second, pauses, and breath noise — what encoders see
   * in a trainer's narration), or false for no audio stream at all.
   */
  audio?: boolean | 'speech';
  /** Lines drawn centred on a plain background (a title card); without them, a test pattern. */
  lines?: string[];
  /** Burned-in captions: each cue's lines (e.g. Vietnamese, then H'Mông) between its times. */
  captions?: { start: number; end: number; lines: string[] }[];
  background?: string;
  ffmpegPath?: string;
}

/** A lavfi audio source: the seed's soft tone, or a voice-like signal for benchmarks. */
function audioSource(speech: boolean, seconds: number): string {
  if (!speech) return `sine=frequency=220:sample_rate=44100:d=${seconds}`;
  // Pitch gliding 110–170 Hz; harmonics falling off like a voice; syllables at ~4 Hz; a pause
  // now and then (when the slow sine is low); pink breath noise under it.
  const pitch = '(140+30*sin(2*PI*0.7*t))';
  const voice = [1, 0.5, 0.35, 0.2, 0.12].map((a, i) => `${a}*sin(2*PI*${i + 1}*${pitch}*t)`).join('+');
  const syllables = '(0.55+0.45*sin(2*PI*4.1*t))*gt(sin(2*PI*0.23*t)+0.7,0)';
  return `aevalsrc='0.4*(${voice})*${syllables}+0.03*(random(0)-0.5)':s=44100:d=${seconds}`;
}

/** Splits a caption line at spaces so it fits the picture. */
function wrap(line: string, maxChars: number): string[] {
  const out: string[] = [];
  for (const word of line.split(' ')) {
    const last = out.at(-1);
    if (last !== undefined && (last + ' ' + word).length <= maxChars) out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
  }
  return out;
}

/**
 * Makes a short H.264/AAC MP4 with ffmpeg: a title card for seed lessons, or a moving test
 * pattern for tests. Text is passed through files, never through the filter string.
 */
export async function makeSampleVideo(path: string, options: SampleVideoOptions): Promise<void> {
  const ffmpeg = resolveMediaTool('ffmpeg', options.ffmpegPath);
  const fps = options.fps ?? 15;
  const size = `${options.width}x${options.height}`;
  const work = await mkdtemp(join(tmpdir(), 'banso-sample-'));
  try {
    const filters: string[] = [];
    if (options.lines?.length) {
      const fontSize = Math.round(options.height / 16);
      for (const [i, line] of options.lines.entries()) {
        const file = join(work, `line-${i}.txt`);
        await writeFile(file, line.normalize('NFC'));
        const y = `h/3-${options.lines.length * fontSize * 0.8}+${i * fontSize * 1.6}`;
        filters.push(
          `drawtext=fontfile=${SEED_FONT}:textfile=${file}:fontsize=${i === 0 ? fontSize : Math.round(fontSize * 0.8)}:fontcolor=white:x=(w-text_w)/2:y=${y}`,
        );
      }
    }
    // Burned-in bilingual captions at the bottom, one cue at a time.
    const captionSize = Math.round(options.height / 22);
    const maxChars = Math.floor(options.width / (captionSize * 0.55));
    for (const [c, cue] of (options.captions ?? []).entries()) {
      const lines = cue.lines.flatMap((l) => wrap(l, maxChars));
      for (const [i, line] of lines.entries()) {
        const file = join(work, `cue-${c}-${i}.txt`);
        await writeFile(file, line.normalize('NFC'));
        const y = `h-${(lines.length - i) * captionSize * 1.7 + captionSize}`;
        filters.push(
          `drawtext=fontfile=${SEED_FONT}:textfile=${file}:fontsize=${captionSize}:fontcolor=${i < lines.length / 2 ? 'white' : 'yellow'}:box=1:boxcolor=black@0.55:boxborderw=6:x=(w-text_w)/2:y=${y}:enable='between(t,${cue.start},${cue.end})'`,
        );
      }
    }
    const video = options.lines?.length
      ? `color=c=${options.background ?? '0x1b5e20'}:s=${size}:r=${fps}:d=${options.seconds}`
      : `testsrc2=s=${size}:r=${fps}:d=${options.seconds}`;
    await runMediaTool(
      ffmpeg,
      [
        '-hide_banner',
        '-nostdin',
        '-y',
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        video,
        ...(options.audio === false
          ? []
          : ['-f', 'lavfi', '-i', audioSource(options.audio === 'speech', options.seconds)]),
        ...(filters.length ? ['-vf', filters.join(',')] : []),
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        ...(options.audio === false
          ? []
          : ['-af', options.audio === 'speech' ? 'volume=0.8' : 'volume=0.05', '-c:a', 'aac', '-b:a', '64k']),
        '-t',
        String(options.seconds),
        path,
      ],
      { timeoutMs: 120_000 },
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { VoiceFile } from './entities/media-asset.entity.js';
import { runMediaTool } from './ffmpeg.js';
import { MediaFailureCode, MediaRejection } from './media.errors.js';

/**
 * Loudness every recording is brought to: -16 LUFS integrated, true peak at most -1.5 dBTP, the
 * level recommended for speech on phones (AES TD1004; EBU R128's -23 is for broadcast, too quiet
 * for a cheap phone's speaker in a noisy room), measured the EBU R128 way by ffmpeg's loudnorm.
 */
export const VOICE_LOUDNESS = { integrated: -16, truePeak: -1.5, range: 11 } as const;
/** Mono AAC-LC at 32 kbps in M4A: plays on every target phone (docs/decisions.md, "Voice"). */
export const VOICE_BITRATE_KBPS = 32;
/** A text read aloud: a guide step or a question is well under a minute. */
export const MAX_VOICE_SECONDS = 180;
const VOICE_FILE = 'voice.m4a';

interface Tools {
  ffmpeg: string;
  ffprobe: string;
}

/** What loudnorm's first pass measured (its JSON report). */
interface Measured {
  input_i: string;
  input_tp: string;
  input_lra: string;
  input_thresh: string;
  target_offset: string;
}

/**
 * Makes a voice recording's one file in `outDir`: checked (an audio stream, at most
 * MAX_VOICE_SECONDS), measured, then normalised in a second, linear pass (the recording keeps its
 * dynamics; only its level moves) and encoded as mono AAC-LC in M4A, ready to play from its
 * first bytes (`faststart`). Refuses what is not audio, silence, and recordings too long.
 */
export async function makeVoiceFile(tools: Tools, source: string, outDir: string): Promise<VoiceFile> {
  const declared = await declaredDuration(tools, source);
  if (declared !== null) refuseTooLong(declared);
  const { integrated, truePeak, range } = VOICE_LOUDNESS;
  const target = `I=${integrated}:TP=${truePeak}:LRA=${range}`;
  // The first pass reads at most a second past the limit: a browser's WebM recording declares no
  // length, so this pass is also what measures it.
  const report = await runMediaTool(
    tools.ffmpeg,
    [
      '-hide_banner',
      '-i',
      source,
      '-vn',
      '-t',
      String(MAX_VOICE_SECONDS + 1),
      '-af',
      `loudnorm=${target}:print_format=json`,
      '-f',
      'null',
      '-',
    ],
    { timeoutMs: 120_000, output: 'stderr' },
  );
  const durationSeconds = declared ?? decodedSeconds(report);
  refuseTooLong(durationSeconds);
  const measured = JSON.parse(report.slice(report.lastIndexOf('{'), report.lastIndexOf('}') + 1)) as Measured;
  if (!Number.isFinite(Number(measured.input_i))) {
    throw new MediaRejection(MediaFailureCode.Silent, 'This recording is silent: nothing was heard in it.');
  }
  const out = join(outDir, VOICE_FILE);
  await runMediaTool(
    tools.ffmpeg,
    [
      '-hide_banner',
      '-nostats',
      '-y',
      '-i',
      source,
      '-vn',
      '-map_metadata',
      '-1',
      '-af',
      `loudnorm=${target}:measured_I=${measured.input_i}:measured_TP=${measured.input_tp}` +
        `:measured_LRA=${measured.input_lra}:measured_thresh=${measured.input_thresh}` +
        `:offset=${measured.target_offset}:linear=true,aresample=44100`,
      '-ac',
      '1',
      '-c:a',
      'aac',
      '-b:a',
      `${VOICE_BITRATE_KBPS}k`,
      '-movflags',
      '+faststart',
      out,
    ],
    { timeoutMs: 120_000 },
  );
  const bytes = (await stat(out)).size;
  return {
    file: VOICE_FILE,
    bytes,
    durationSeconds: Math.round(durationSeconds * 10) / 10,
    bitrateKbps: Math.round((bytes * 8) / durationSeconds / 1000),
    sourceLoudness: Math.round(Number(measured.input_i) * 10) / 10,
  };
}

function refuseTooLong(durationSeconds: number): void {
  if (durationSeconds <= MAX_VOICE_SECONDS) return;
  throw new MediaRejection(
    MediaFailureCode.TooLong,
    `This recording is ${Math.round(durationSeconds)} s long; the limit is ${MAX_VOICE_SECONDS} s.`,
    { durationSeconds, maxDurationSeconds: MAX_VOICE_SECONDS },
  );
}

/** ffmpeg's last progress line says how much it decoded (`time=00:00:05.02`). */
function decodedSeconds(report: string): number {
  const times = [...report.matchAll(/time=(\d+):(\d+):(\d+(?:\.\d+)?)/g)];
  const last = times.at(-1);
  if (!last)
    throw new MediaRejection(MediaFailureCode.Unreadable, 'The length of the recording could not be read.');
  return Number(last[1]) * 3600 + Number(last[2]) * 60 + Number(last[3]);
}

/**
 * The length the file declares (null when it declares none, as browsers' WebM recordings);
 * refuses a file without audio.
 */
async function declaredDuration(tools: Tools, source: string): Promise<number | null> {
  let probed: { streams?: { codec_type?: string }[]; format?: { duration?: string } };
  try {
    probed = JSON.parse(
      await runMediaTool(
        tools.ffprobe,
        ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', source],
        { timeoutMs: 60_000 },
      ),
    );
  } catch {
    throw new MediaRejection(MediaFailureCode.NotAudio, 'This file is not a sound recording.');
  }
  if (!probed.streams?.some((s) => s.codec_type === 'audio')) {
    throw new MediaRejection(MediaFailureCode.NotAudio, 'This file is not a sound recording.');
  }
  const seconds = Number(probed.format?.duration ?? NaN);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

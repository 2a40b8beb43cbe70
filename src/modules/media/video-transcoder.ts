import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { resolveMediaTool, runMediaTool } from './ffmpeg.js';
import { MediaFailureCode, MediaRejection } from './media.errors.js';
import {
  AUDIO_RUNG,
  masterPlaylist,
  parseMediaPlaylist,
  planLadder,
  SEGMENT_SECONDS,
  type MasterVariant,
  type PlannedRendition,
} from './video-ladder.js';

export interface ProbedVideo {
  durationSeconds: number;
  width: number;
  height: number;
  fps: number;
  hasAudio: boolean;
  videoCodec: string;
}

/** One rendition as recorded on the asset: sizes and durations measured from the files. */
export interface RenditionRecord {
  name: string;
  kind: 'video' | 'audio';
  width: number | null;
  height: number | null;
  fps: number | null;
  /** Target total bitrate (video + audio). */
  targetKbps: number;
  /** Measured: every segment plus the playlist. */
  bytes: number;
  durationSeconds: number;
  averageKbps: number;
  playlist: string;
  segments: number;
}

export interface TranscodeResult {
  renditions: RenditionRecord[];
  master: string;
  download: { file: string; bytes: number; rendition: string };
  poster: { file: string; bytes: number; width: number; height: number };
  /** Every file written, relative to the output directory. */
  files: string[];
}

interface ProbeJson {
  format?: { duration?: string };
  streams?: {
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    avg_frame_rate?: string;
    r_frame_rate?: string;
    duration?: string;
    disposition?: { attached_pic?: number };
    tags?: { rotate?: string };
    side_data_list?: { rotation?: number }[];
  }[];
}

const rate = (r?: string) => {
  const [n, d] = (r ?? '0/0').split('/').map(Number);
  return d ? n / d : n || 0;
};
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Runs tasks with at most `limit` at once. */
async function inParallel(limit: number, tasks: (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) await tasks[next++]();
    }),
  );
}

/**
 * ffprobe and ffmpeg over local files: no database, no storage. Deterministic for the same input,
 * binary and ladder, so a retried job writes the same files under the same names.
 */
@Injectable()
export class VideoTranscoder {
  private readonly logger = new Logger(VideoTranscoder.name);
  private tools?: { ffmpeg: string; ffprobe: string };
  /** ffmpeg runs at once within one job; each uses the remaining cores. */
  private readonly parallel = Math.max(1, Math.min(2, availableParallelism()));
  private readonly threads = Math.max(1, Math.floor(availableParallelism() / this.parallel));

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  /** The ffmpeg and ffprobe this worker uses (voice recordings use them too). */
  binaries() {
    if (!this.tools) {
      this.tools = {
        ffmpeg: resolveMediaTool('ffmpeg', this.config.media.ffmpegPath),
        ffprobe: resolveMediaTool('ffprobe', this.config.media.ffprobePath),
      };
      this.logger.log(`Using ${this.tools.ffmpeg} and ${this.tools.ffprobe}`);
    }
    return this.tools;
  }

  /** Reads the file's streams; rejects what is not a playable video or is too long. */
  async probe(file: string): Promise<ProbedVideo> {
    let json: ProbeJson;
    try {
      const out = await runMediaTool(
        this.binaries().ffprobe,
        ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
        { timeoutMs: 60_000 },
      );
      json = JSON.parse(out) as ProbeJson;
    } catch (e) {
      throw new MediaRejection(MediaFailureCode.Unreadable, 'The file could not be read as a video.', {
        detail: (e as Error).message.slice(0, 300),
      });
    }
    const streams = json.streams ?? [];
    const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
    if (!video || !video.width || !video.height) {
      throw new MediaRejection(MediaFailureCode.NoVideoStream, 'The file has no video picture in it.');
    }
    const durationSeconds = Number(json.format?.duration ?? video.duration ?? NaN);
    if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) {
      throw new MediaRejection(MediaFailureCode.Unreadable, 'The length of the video could not be read.');
    }
    const max = this.config.media.maxDurationSeconds;
    if (durationSeconds > max) {
      const minutes = (s: number) => `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
      throw new MediaRejection(
        MediaFailureCode.TooLong,
        `The video is ${minutes(durationSeconds)} long; the limit is ${minutes(max)}. Split it into shorter lessons.`,
        { durationSeconds: round(durationSeconds, 2), maxDurationSeconds: max },
      );
    }
    const rotation = Number(
      video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? video.tags?.rotate ?? 0,
    );
    const sideways = Math.abs(rotation) % 180 === 90;
    return {
      durationSeconds: round(durationSeconds),
      width: sideways ? video.height : video.width,
      height: sideways ? video.width : video.height,
      fps: round(rate(video.avg_frame_rate) || rate(video.r_frame_rate)),
      hasAudio: streams.some((s) => s.codec_type === 'audio'),
      videoCodec: video.codec_name ?? 'unknown',
    };
  }

  /** The whole ladder as HLS, the download MP4 of the lowest rung and a poster, into `outDir`. */
  async transcode(source: string, outDir: string, probed: ProbedVideo): Promise<TranscodeResult> {
    const plan = planLadder(probed);
    const timeoutMs = Math.max(120_000, probed.durationSeconds * 4000);
    const ffmpeg = (args: string[]) =>
      runMediaTool(this.binaries().ffmpeg, ['-hide_banner', '-nostdin', '-y', '-v', 'error', ...args], {
        timeoutMs,
        cwd: outDir,
      });
    const hls = (dir: string) => [
      '-f',
      'hls',
      '-hls_time',
      String(SEGMENT_SECONDS),
      '-hls_playlist_type',
      'vod',
      // fMP4 segments: MPEG-TS costs ~30 % extra at 145 kbps, fMP4 a few percent.
      '-hls_segment_type',
      'fmp4',
      '-hls_fmp4_init_filename',
      'init.mp4',
      '-hls_segment_filename',
      `${dir}/seg-%03d.m4s`,
      `${dir}/index.m3u8`,
    ];
    const audio = (kbps: number) =>
      probed.hasAudio
        ? ['-c:a', 'aac', '-b:a', `${kbps}k`, '-ac', '1', '-ar', kbps <= 32 ? '22050' : '44100']
        : [];
    const video = (r: PlannedRendition) => {
      const gop = String(Math.max(1, Math.round(r.fps * SEGMENT_SECONDS)));
      return [
        '-i',
        source,
        '-map',
        '0:v:0',
        '-map',
        '0:a:0?',
        '-vf',
        `fps=${r.fps},scale=${r.width}:${r.height}:flags=bicubic,setsar=1`,
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-profile:v',
        'main',
        '-level:v',
        '3.0',
        '-pix_fmt',
        'yuv420p',
        '-b:v',
        `${r.videoKbps}k`,
        '-maxrate',
        `${Math.round(r.videoKbps * 1.25)}k`,
        '-bufsize',
        `${r.videoKbps * 2}k`,
        '-g',
        gop,
        '-keyint_min',
        gop,
        '-sc_threshold',
        '0',
        '-force_key_frames',
        `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
        '-threads',
        String(this.threads),
        ...audio(r.audioKbps),
      ];
    };

    const [lowest, ...higher] = plan;
    const dirs = [...plan.map((r) => r.name), ...(probed.hasAudio ? [AUDIO_RUNG.name] : [])];
    for (const dir of dirs) await mkdir(join(outDir, dir), { recursive: true });
    const poster = plan.filter((r) => r.shortSide <= 360).at(-1)!;

    await inParallel(this.parallel, [
      // The lowest rung is encoded once, as the offline-download MP4, then cut into HLS segments.
      async () => {
        await ffmpeg([...video(lowest), '-movflags', '+faststart', 'download.mp4']);
        await ffmpeg(['-i', 'download.mp4', '-map', '0', '-c', 'copy', ...hls(lowest.name)]);
      },
      ...higher.map((r) => async () => void (await ffmpeg([...video(r), ...hls(r.name)]))),
      ...(probed.hasAudio
        ? [
            async () =>
              void (await ffmpeg([
                '-i',
                source,
                '-map',
                '0:a:0',
                '-vn',
                ...audio(AUDIO_RUNG.audioKbps),
                ...hls(AUDIO_RUNG.name),
              ])),
          ]
        : []),
      async () =>
        void (await ffmpeg([
          '-ss',
          String(round(Math.min(1, probed.durationSeconds / 2), 2)),
          '-i',
          source,
          '-frames:v',
          '1',
          '-vf',
          `scale=${poster.width}:${poster.height}`,
          '-q:v',
          '5',
          'poster.jpg',
        ])),
    ]);

    const files: string[] = ['download.mp4', 'poster.jpg', 'master.m3u8'];
    const variants: MasterVariant[] = [];
    const renditions: RenditionRecord[] = [];
    for (const dir of dirs) {
      const playlistFile = `${dir}/index.m3u8`;
      const playlistText = await readFile(join(outDir, playlistFile), 'utf8');
      const { init, segments } = parseMediaPlaylist(playlistText);
      let bytes = Buffer.byteLength(playlistText);
      if (init) {
        bytes += (await stat(join(outDir, dir, init))).size;
        files.push(`${dir}/${init}`);
      }
      let peakBps = 0;
      for (const s of segments) {
        const size = (await stat(join(outDir, dir, s.uri))).size;
        bytes += size;
        if (s.seconds > 0.5) peakBps = Math.max(peakBps, (size * 8) / s.seconds);
        files.push(`${dir}/${s.uri}`);
      }
      files.push(playlistFile);
      const durationSeconds = round(segments.reduce((sum, s) => sum + s.seconds, 0));
      const averageBps = durationSeconds > 0 ? (bytes * 8) / durationSeconds : 0;
      const rung = plan.find((r) => r.name === dir);
      variants.push({
        playlist: playlistFile,
        peakBps: Math.max(peakBps, averageBps),
        averageBps,
        width: rung?.width,
        height: rung?.height,
        fps: rung?.fps,
        hasVideo: !!rung,
        hasAudio: probed.hasAudio,
      });
      renditions.push({
        name: dir,
        kind: rung ? 'video' : 'audio',
        width: rung?.width ?? null,
        height: rung?.height ?? null,
        fps: rung?.fps ?? null,
        targetKbps: rung ? rung.videoKbps + (probed.hasAudio ? rung.audioKbps : 0) : AUDIO_RUNG.audioKbps,
        bytes,
        durationSeconds,
        averageKbps: Math.round(averageBps / 1000),
        playlist: playlistFile,
        segments: segments.length,
      });
    }
    const master = masterPlaylist(variants);
    await writeFile(join(outDir, 'master.m3u8'), master);
    return {
      renditions,
      master: 'master.m3u8',
      download: {
        file: 'download.mp4',
        bytes: (await stat(join(outDir, 'download.mp4'))).size,
        rendition: lowest.name,
      },
      poster: {
        file: 'poster.jpg',
        bytes: (await stat(join(outDir, 'poster.jpg'))).size,
        width: poster.width,
        height: poster.height,
      },
      files,
    };
  }
}

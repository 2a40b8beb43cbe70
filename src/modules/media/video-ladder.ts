/**
 * The rendition ladder for weak 3G and cheap phones, and the HLS master playlist we write
 * ourselves (one rendition per ffmpeg run: the bundled ffmpeg crashes on multi-variant HLS).
 */

export interface VideoRung {
  name: string;
  /** The short side of the picture: 234 means 416×234 for 16:9, 234×416 for a portrait phone video. */
  shortSide: number;
  videoKbps: number;
  audioKbps: number;
  maxFps: number;
}

/** ~145, ~365 and ~730 kbps in total (video + audio). */
export const VIDEO_LADDER: readonly VideoRung[] = [
  { name: '234p', shortSide: 234, videoKbps: 113, audioKbps: 32, maxFps: 15 },
  { name: '360p', shortSide: 360, videoKbps: 317, audioKbps: 48, maxFps: 25 },
  { name: '480p', shortSide: 480, videoKbps: 666, audioKbps: 64, maxFps: 30 },
];

/** Audio only, for the weakest connections (≤ 64 kbps). */
export const AUDIO_RUNG = { name: 'audio', audioKbps: 48 } as const;

/** Seconds per HLS segment: short, so playback starts soon on a slow link. */
export const SEGMENT_SECONDS = 4;

export interface SourceVideo {
  /** Display size, after rotation. */
  width: number;
  height: number;
  fps: number;
  hasAudio: boolean;
}

export interface PlannedRendition extends VideoRung {
  width: number;
  height: number;
  fps: number;
}

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/**
 * The rungs to encode: never upscaled. A source smaller than the lowest rung gets one rendition
 * at its own size.
 */
export function planLadder(source: SourceVideo): PlannedRendition[] {
  const short = Math.min(source.width, source.height);
  const portrait = source.height > source.width;
  const rungs = VIDEO_LADDER.filter((r, i) => i === 0 || r.shortSide <= short);
  return rungs.map((rung) => {
    const target = Math.min(rung.shortSide, short);
    const long = even((target * Math.max(source.width, source.height)) / short);
    const side = even(target);
    return {
      ...rung,
      name: target === rung.shortSide ? rung.name : `${side}p`,
      width: portrait ? side : long,
      height: portrait ? long : side,
      fps: Math.min(rung.maxFps, source.fps > 0 ? source.fps : rung.maxFps),
    };
  });
}

export interface PlaylistSegment {
  uri: string;
  seconds: number;
}

/** The init section and segments of a media playlist (as ffmpeg writes them). */
export function parseMediaPlaylist(text: string): { init: string | null; segments: PlaylistSegment[] } {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const segments: PlaylistSegment[] = [];
  const init = lines.map((l) => /^#EXT-X-MAP:URI="([^"]+)"/.exec(l)?.[1]).find(Boolean) ?? null;
  for (let i = 0; i < lines.length; i++) {
    const m = /^#EXTINF:([\d.]+)/.exec(lines[i]);
    if (!m) continue;
    const uri = lines.slice(i + 1).find((l) => l && !l.startsWith('#'));
    if (uri) segments.push({ uri, seconds: Number(m[1]) });
  }
  return { init, segments };
}

export interface MasterVariant {
  playlist: string;
  /** Peak and average bits per second, measured from the segments. */
  peakBps: number;
  averageBps: number;
  width?: number;
  height?: number;
  fps?: number;
  hasVideo: boolean;
  hasAudio: boolean;
}

/** H.264 Main profile level 3.0 (what we encode) and AAC-LC. */
const VIDEO_CODEC = 'avc1.4d401e';
const AUDIO_CODEC = 'mp4a.40.2';

/**
 * The master playlist: video variants lowest bandwidth first, so players start small; the
 * audio-only variant last (players start with the first, and a first picture matters).
 */
export function masterPlaylist(variants: MasterVariant[]): string {
  // Version 7: fMP4 segments.
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const v of [...variants].sort(
    (a, b) => Number(b.hasVideo) - Number(a.hasVideo) || a.averageBps - b.averageBps,
  )) {
    const codecs = [v.hasVideo && VIDEO_CODEC, v.hasAudio && AUDIO_CODEC].filter(Boolean).join(',');
    const attributes = [
      `BANDWIDTH=${Math.ceil(v.peakBps)}`,
      `AVERAGE-BANDWIDTH=${Math.ceil(v.averageBps)}`,
      v.width && v.height ? `RESOLUTION=${v.width}x${v.height}` : null,
      v.fps ? `FRAME-RATE=${v.fps.toFixed(3)}` : null,
      `CODECS="${codecs}"`,
    ].filter(Boolean);
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, v.playlist);
  }
  return lines.join('\n') + '\n';
}

import type { MediaAssetEntity } from './entities/media-asset.entity.js';

/** Where a processed file is served (see MediaFilesController): `/media/<id>/<file>`. */
export const mediaFileUrl = (mediaId: string, file: string) => `/media/${mediaId}/${file}`;

/** Sizes are shown to learners in MB before they play or download anything. */
export const megabytes = (bytes: number) => Math.round((bytes / 1_000_000) * 100) / 100;

export interface RenditionView {
  name: string;
  kind: 'video' | 'audio';
  width: number | null;
  height: number | null;
  bitrateKbps: number;
  bytes: number;
  megabytes: number;
  durationSeconds: number;
  playlistUrl: string;
}

/** What a player needs: the master playlist, each rendition's size, the download and the poster. */
export interface PlayableVideo {
  mediaId: string;
  status: MediaAssetEntity['status'];
  durationSeconds: number | null;
  hlsUrl: string | null;
  posterUrl: string | null;
  download: { url: string; rendition: string; bytes: number; megabytes: number } | null;
  renditions: RenditionView[];
}

export function playableVideo(asset: MediaAssetEntity): PlayableVideo {
  // A picture has no playlist, poster or download.
  const ready = asset.status === 'ready' && asset.kind === 'video';
  return {
    mediaId: asset.id,
    status: asset.status,
    durationSeconds: asset.durationSeconds === null ? null : Number(asset.durationSeconds),
    hlsUrl: ready ? mediaFileUrl(asset.id, 'master.m3u8') : null,
    posterUrl: ready && asset.poster ? mediaFileUrl(asset.id, asset.poster.file) : null,
    download:
      ready && asset.download
        ? {
            url: mediaFileUrl(asset.id, asset.download.file),
            rendition: asset.download.rendition,
            bytes: asset.download.bytes,
            megabytes: megabytes(asset.download.bytes),
          }
        : null,
    renditions: ready
      ? asset.renditions.map((r) => ({
          name: r.name,
          kind: r.kind,
          width: r.width,
          height: r.height,
          bitrateKbps: r.averageKbps,
          bytes: r.bytes,
          megabytes: megabytes(r.bytes),
          durationSeconds: r.durationSeconds,
          playlistUrl: mediaFileUrl(asset.id, r.playlist),
        }))
      : [],
  };
}

/** A ready picture's files with their addresses, smallest first (none until it is ready). */
export interface PictureView {
  format: 'webp' | 'jpeg';
  width: number;
  height: number;
  bytes: number;
  url: string;
}

export function pictureVariants(asset: MediaAssetEntity): PictureView[] {
  if (asset.status !== 'ready' || !asset.pictures) return [];
  return asset.pictures.map(({ format, width, height, bytes, file }) => ({
    format,
    width,
    height,
    bytes,
    url: mediaFileUrl(asset.id, file),
  }));
}

/** A ready voice recording's file with its address. */
export function voiceFile(asset: MediaAssetEntity) {
  if (asset.status !== 'ready' || !asset.voice) return null;
  const { file, ...facts } = asset.voice;
  return { url: mediaFileUrl(asset.id, file), ...facts };
}

/** A file a learner may keep for offline use: a recording or a picture of a lesson. */
export interface OfflineFile {
  url: string;
  bytes: number;
  kind: 'audio' | 'picture';
}

/** A recording as learners get it: loaded on tap, so its size and length are told first. */
export interface LearnerVoiceView {
  url: string;
  bytes: number;
  durationSeconds: number;
  locale: string;
  /** Not in the learner's first language. */
  fallback: boolean;
}

/** A picture as learners get it: WebP with a JPEG fallback, each at up to two widths. */
export interface LearnerPictureView {
  alt: { text: string; locale: string; fallback: boolean };
  width: number;
  height: number;
  /** `url 320w, url 640w` */
  webp: string;
  jpeg: string;
  /** The smallest JPEG, for browsers without `srcset`. */
  src: string;
}

/** Where learner views hold references: `voice`, `picture`, and any `…Voice` (`summaryVoice`, `taskVoice`…). */
const isRefKey = (key: string) => key === 'voice' || key === 'picture' || key.endsWith('Voice');
type Ref = { mediaId: string } & Record<string, unknown>;
const isRef = (v: unknown): v is Ref =>
  typeof v === 'object' && v !== null && typeof (v as Ref).mediaId === 'string';

/** The ids of the recordings and pictures a learner view refers to (`{ voice: { mediaId } }`…). */
export function mediaIdsIn(tree: unknown, ids: string[] = []): string[] {
  if (Array.isArray(tree)) for (const v of tree) mediaIdsIn(v, ids);
  else if (typeof tree === 'object' && tree !== null)
    for (const [key, v] of Object.entries(tree)) {
      if (isRefKey(key) && isRef(v)) ids.push(v.mediaId);
      else mediaIdsIn(v, ids);
    }
  return ids;
}

/**
 * The learner view with each recording and picture reference replaced by its files (null while
 * it is not ready: the text stays without a speaker button or picture). The files are added to
 * `offline`, once each, for "save for offline" and its size.
 */
export function withMediaFiles<T>(tree: T, assets: Map<string, MediaAssetEntity>, offline: OfflineFile[]): T {
  const keep = (file: OfflineFile) => {
    if (!offline.some((f) => f.url === file.url)) offline.push(file);
  };
  const resolve = (ref: Ref): LearnerVoiceView | LearnerPictureView | null => {
    const asset = assets.get(ref.mediaId);
    if (asset?.kind === 'audio') {
      const file = voiceFile(asset);
      if (!file) return null;
      keep({ url: file.url, bytes: file.bytes, kind: 'audio' });
      return {
        url: file.url,
        bytes: file.bytes,
        durationSeconds: file.durationSeconds,
        locale: String(ref.locale),
        fallback: !!ref.fallback,
      };
    }
    const variants = asset?.kind === 'picture' ? pictureVariants(asset) : [];
    if (variants.length === 0) return null;
    const of = (format: string) => variants.filter((v) => v.format === format);
    const srcset = (format: string) =>
      of(format)
        .map((v) => `${v.url} ${v.width}w`)
        .join(', ');
    // Phones that keep pages offline read WebP: those files are kept.
    for (const v of of('webp')) keep({ url: v.url, bytes: v.bytes, kind: 'picture' });
    const largest = variants.at(-1)!;
    return {
      alt: ref.alt as LearnerPictureView['alt'],
      width: largest.width,
      height: largest.height,
      webp: srcset('webp'),
      jpeg: srcset('jpeg'),
      src: of('jpeg')[0]?.url ?? variants[0].url,
    };
  };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    return Object.fromEntries(
      Object.entries(v).map(([key, x]) => [key, isRefKey(key) && isRef(x) ? resolve(x) : walk(x)]),
    );
  };
  return walk(tree) as T;
}

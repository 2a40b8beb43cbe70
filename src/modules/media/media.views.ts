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

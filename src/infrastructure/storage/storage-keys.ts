import { randomUUID } from 'node:crypto';

/**
 * Every object key is made here, by the server. Clients never choose a key: they get a
 * presigned URL for a key we generated.
 */
export const Buckets = {
  media: 'media',
  certificates: 'certificates',
  /** Months of the progress event log moved out of the database (npm run events:archive). */
  archive: 'archive',
} as const;
export type BucketName = (typeof Buckets)[keyof typeof Buckets];

/** The real bucket name behind a logical one (`media` → `banso-media`). */
export const bucketNameOf = (prefix: string, bucket: BucketName) => `${prefix}-${bucket}`;

const SAFE_SEGMENT = /^[a-z0-9][a-z0-9._-]{0,127}$/;

function segment(value: string): string {
  if (!SAFE_SEGMENT.test(value)) throw new Error(`Unsafe storage key segment: "${value}"`);
  return value;
}

function monthPath(now: Date): string {
  return `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

export const StorageKeys = {
  /** An upload a user is about to send by presigned PUT: `uploads/<kind>/<yyyy>/<mm>/<uuid>.<ext>`. */
  upload(kind: 'video' | 'image' | 'audio' | 'subtitle', extension: string, now = new Date()): string {
    return `uploads/${segment(kind)}/${monthPath(now)}/${randomUUID()}.${segment(extension.toLowerCase())}`;
  },
  /** A processed media file: `media/<mediaId>/<file>` (renditions, posters, playlists). */
  mediaFile(mediaId: string, file: string): string {
    return `media/${segment(mediaId)}/${file.split('/').map(segment).join('/')}`;
  },
  /** A subtitle file, addressed by its content: `subtitles/<lessonKey>/<locale>-<sha256>.vtt`. */
  subtitle(lessonKey: string, locale: string, sha256: string): string {
    return `subtitles/${segment(lessonKey)}/${segment(locale)}-${segment(sha256.slice(0, 32))}.vtt`;
  },
  /** A certificate artefact: `certificates/<serial>/<file>`. */
  certificateFile(serial: string, file: string): string {
    return `certificates/${segment(serial.toLowerCase())}/${segment(file)}`;
  },
  /** An archived month of the event log: `progress-events/<yyyy>-<mm>.copy.gz`. */
  eventArchive(month: string): string {
    return `progress-events/${segment(month)}.copy.gz`;
  },
};

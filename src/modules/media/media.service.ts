import { stat } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { QueueService } from '../../infrastructure/queue/queue.service.js';
import { JOB_QUEUE, JobName } from '../../infrastructure/queue/queue.constants.js';
import { Buckets, StorageKeys } from '../../infrastructure/storage/storage-keys.js';
import { StorageService, type PresignedUpload } from '../../infrastructure/storage/storage.service.js';
import { hasRole, type Principal } from '../../infrastructure/auth/roles.js';
import type { MediaAssetEntity, MediaKind } from './entities/media-asset.entity.js';
import { MediaAssetRepository } from './media-asset.repository.js';
import { MediaError, MediaErrorCode } from './media.errors.js';

/** Upload types we take, with the extension of the stored source. */
export const VIDEO_UPLOAD_TYPES: Record<string, string> = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'video/x-matroska': 'mkv',
  'video/3gpp': '3gp',
  'video/x-msvideo': 'avi',
  'video/mpeg': 'mpg',
};

/** Pictures we take (checked again from the file itself: picture-variants.ts). */
export const PICTURE_UPLOAD_TYPES: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};
/** A phone's photo is 2–6 MB; a trainer's screenshot far less. */
export const MAX_PICTURE_UPLOAD_BYTES = 15 * 1024 * 1024;
/** Voice recordings: a browser's MediaRecorder (WebM or Ogg Opus, MP4 AAC) or a file. */
export const AUDIO_UPLOAD_TYPES: Record<string, string> = {
  'audio/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
};
/** Three minutes of uncompressed WAV is 17 MB; a recording from the browser far less. */
export const MAX_AUDIO_UPLOAD_BYTES = 20 * 1024 * 1024;

/** Each kind's upload types, largest upload and storage folder. */
const UPLOADS: Record<
  MediaKind,
  { types: Record<string, string>; maxBytes?: number; folder: 'video' | 'image' | 'audio' }
> = {
  video: { types: VIDEO_UPLOAD_TYPES, folder: 'video' },
  picture: { types: PICTURE_UPLOAD_TYPES, maxBytes: MAX_PICTURE_UPLOAD_BYTES, folder: 'image' },
  audio: { types: AUDIO_UPLOAD_TYPES, maxBytes: MAX_AUDIO_UPLOAD_BYTES, folder: 'audio' },
};
const ALL_UPLOAD_TYPES = Object.values(UPLOADS).flatMap((u) => Object.keys(u.types));
// Own keys only: a content type of "constructor" or "toString" names no kind and no extension.
const kindOfUpload = (contentType: string): MediaKind =>
  (Object.keys(UPLOADS) as MediaKind[]).find((k) => Object.hasOwn(UPLOADS[k].types, contentType)) ?? 'video';

export interface UploadRequest {
  fileName: string;
  contentType: string;
  bytes: number;
}

/** Bulk imports (seeds) wait behind trainers' uploads, which carry no priority. */
const BULK_PRIORITY = 100;

/** The job of a processing run: one per run, so a duplicate confirm adds nothing. */
export const transcodeJobId = (mediaId: string, run: number) => `media-transcode-${mediaId}-${run}`;

/**
 * Trainers' videos: presigned upload straight to storage, confirmation, processing by the worker
 * (see MediaProcessingService), and lookups for the catalog and authoring.
 */
@Injectable()
export class MediaService {
  constructor(
    @Inject(MediaAssetRepository) private readonly assets: MediaAssetRepository,
    @Inject(StorageService) private readonly storage: StorageService,
    @Inject(QueueService) private readonly queues: QueueService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  get maxUploadBytes(): number {
    return this.config.media.maxUploadBytes;
  }

  /**
   * Step 1: a new asset and a presigned PUT for exactly this file (type and size signed). Its
   * type says whether it is a video, a picture or a voice recording.
   */
  async requestUpload(
    request: UploadRequest,
    ownerId: string,
  ): Promise<{ asset: MediaAssetEntity; upload: PresignedUpload }> {
    const kind = kindOfUpload(request.contentType);
    const { types, maxBytes, folder } = UPLOADS[kind];
    const key = StorageKeys.upload(
      folder,
      Object.hasOwn(types, request.contentType) ? types[request.contentType] : 'bin',
    );
    // Refuses a wrong type or size before anything is stored.
    const upload = this.storage.presignedPut(Buckets.media, key, {
      contentType: request.contentType,
      size: request.bytes,
      maxBytes: Math.min(maxBytes ?? Infinity, this.maxUploadBytes),
      allowedTypes: ALL_UPLOAD_TYPES,
    });
    const asset = await this.assets.create({
      ownerId,
      kind,
      fileName: request.fileName.normalize('NFC'),
      contentType: request.contentType,
      declaredBytes: String(request.bytes),
      sourceKey: key,
    });
    return { asset, upload };
  }

  /**
   * Step 2, after the PUT: checks the object in storage and queues processing. Confirming again
   * returns the asset as it is.
   */
  async confirmUpload(id: string, who: Principal, requestId?: string): Promise<MediaAssetEntity> {
    const asset = await this.ownAsset(id, who);
    // Confirmed before, but the queue may have been unreachable then (the client got a 503 and
    // retries): queue the run's job again; the job id makes a duplicate add a no-op.
    if (asset.status === 'uploaded') return this.queueRun(asset, asset.processingRuns, requestId);
    if (asset.status !== 'awaiting_upload') return asset;
    const stored = await this.storage.verifyUpload(Buckets.media, asset.sourceKey!, {
      maxBytes: Math.min(this.maxUploadBytes, Number(asset.declaredBytes)),
      contentType: asset.contentType,
    });
    return this.queueFirstRun(asset, stored.size, requestId);
  }

  /**
   * For seeds and tools, step 1: a video the platform makes itself. The asset exists (and can be
   * attached to a lesson) before its file does; `completeImport` supplies the file later.
   */
  reserveImport(ownerId: string, fileName: string, contentType: string): Promise<MediaAssetEntity> {
    return this.assets.create({
      ownerId,
      fileName,
      contentType,
      // The most the file may weigh, as an upload declares its size.
      declaredBytes: String(this.maxUploadBytes),
      sourceKey: StorageKeys.upload('video', VIDEO_UPLOAD_TYPES[contentType] ?? 'bin'),
    });
  }

  /** Step 2: stores the local file as the source and queues it behind trainers' own uploads. */
  async completeImport(asset: MediaAssetEntity, path: string): Promise<MediaAssetEntity> {
    if (asset.status !== 'awaiting_upload') return asset;
    await this.storage.putFile(Buckets.media, asset.sourceKey!, path, asset.contentType);
    return this.queueFirstRun(asset, (await stat(path)).size, undefined, BULK_PRIORITY);
  }

  /** Imports reserved for an owner whose file has not been supplied yet. */
  awaitingImports(ownerId: string): Promise<MediaAssetEntity[]> {
    return this.assets.awaitingUpload(ownerId);
  }

  private async queueFirstRun(asset: MediaAssetEntity, size: number, requestId?: string, priority?: number) {
    const run = await this.assets.startRun(asset.id, ['awaiting_upload'], size);
    return run === null
      ? (await this.assets.find(asset.id))!
      : this.queueRun(asset, run, requestId, priority);
  }

  private async queueRun(asset: MediaAssetEntity, run: number, requestId?: string, priority?: number) {
    await this.queues.enqueue(
      JobName.transcodeMedia,
      { mediaId: asset.id },
      { jobId: transcodeJobId(asset.id, run), requestId, priority },
    );
    return (await this.assets.find(asset.id))!;
  }

  /**
   * Videos waiting for processing whose job is gone (the queue was unreachable when they were
   * confirmed, or the job failed for good): queued again. Runs every minute in the worker.
   */
  async resumeWaiting(olderThanSeconds = 60): Promise<number> {
    const waiting = await this.assets.waitingSince(olderThanSeconds, 500);
    for (const asset of waiting) {
      const job = await this.queues
        .queue(JOB_QUEUE[JobName.transcodeMedia])
        .getJob(transcodeJobId(asset.id, asset.processingRuns));
      if (job && (await job.isFailed())) await job.retry();
      else if (!job) await this.queueRun(asset, asset.processingRuns, undefined, BULK_PRIORITY);
    }
    return waiting.length;
  }

  /** Processes the kept source again (after a failure, or a new ladder). Owner or admin. */
  async reprocess(id: string, who: Principal, requestId?: string): Promise<MediaAssetEntity> {
    const asset = await this.ownAsset(id, who);
    const run = await this.assets.startRun(id, ['ready', 'failed']);
    if (run === null) {
      throw new MediaError(
        MediaErrorCode.CannotReprocess,
        asset.sourceKey
          ? `The video is ${asset.status.replace('_', ' ')}; only a ready or failed video can be processed again.`
          : 'The original file was refused and removed: upload it again.',
      );
    }
    await this.queues.enqueue(
      JobName.transcodeMedia,
      { mediaId: id },
      { jobId: transcodeJobId(id, run), requestId },
    );
    return (await this.assets.find(id))!;
  }

  /** The asset if the caller uploaded it or is an admin; anyone else is told it does not exist. */
  async ownAsset(id: string, who: Principal): Promise<MediaAssetEntity> {
    const asset = await this.assets.find(id);
    if (!asset || (asset.ownerId !== who.userId && !hasRole(who, 'admin'))) throw MediaError.notFound();
    return asset;
  }

  async listMine(who: Principal, page: number, pageSize: number) {
    return this.assets.listOwnedBy(hasRole(who, 'admin') ? null : who.userId, page, pageSize);
  }

  /**
   * A video (or picture, or recording) a course editor may attach to a lesson: uploaded by the
   * caller or by the course's owner (admins: any), of that kind, and uploaded (processing may
   * still be under way).
   */
  async attachable(
    id: string,
    who: Principal,
    courseOwnerId: string,
    kind: MediaKind = 'video',
  ): Promise<MediaAssetEntity> {
    return this.checkAttachable(id, await this.assets.find(id), who, courseOwnerId, kind);
  }

  /** `attachable` for every asset a lesson's content refers to, in one query. */
  async assertAttachable(
    refs: readonly { mediaId: string; kind: MediaKind }[],
    who: Principal,
    courseOwnerId: string,
  ): Promise<void> {
    const assets = await this.byIds(refs.map((r) => r.mediaId));
    for (const ref of refs)
      this.checkAttachable(ref.mediaId, assets.get(ref.mediaId), who, courseOwnerId, ref.kind);
  }

  private checkAttachable(
    id: string,
    asset: MediaAssetEntity | null | undefined,
    who: Principal,
    courseOwnerId: string,
    kind: MediaKind,
  ): MediaAssetEntity {
    const mayUse = asset && (hasRole(who, 'admin') || [who.userId, courseOwnerId].includes(asset.ownerId));
    if (!asset || !mayUse) throw MediaError.notFound(id);
    if (asset.kind !== kind) {
      throw new MediaError(MediaErrorCode.WrongKind, `This is a ${asset.kind}, not a ${kind}.`, {
        mediaId: asset.id,
        kind: asset.kind,
        expected: kind,
      });
    }
    if (asset.status === 'awaiting_upload' || asset.status === 'failed') {
      throw new MediaError(
        MediaErrorCode.NotUploadedYet,
        asset.status === 'failed'
          ? `This ${kind} failed processing: ${asset.failure?.message ?? ''}`.trim()
          : 'Finish the upload and confirm it first.',
        { mediaId: asset.id, status: asset.status },
      );
    }
    return asset;
  }

  /** Assets by id, for the catalog and authoring (no access check: callers decide). */
  async byIds(ids: string[]): Promise<Map<string, MediaAssetEntity>> {
    const unique = [...new Set(ids)];
    return new Map((await this.assets.findMany(unique)).map((a) => [a.id, a]));
  }
}

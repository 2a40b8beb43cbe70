import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Buckets, StorageKeys } from '../../infrastructure/storage/storage-keys.js';
import { StorageError } from '../../infrastructure/storage/storage.errors.js';
import { StorageService } from '../../infrastructure/storage/storage.service.js';
import type { JobContext } from '../../infrastructure/queue/job-handler.js';
import { sniffVideoContainer } from './container-sniffer.js';
import { MediaAssetRepository } from './media-asset.repository.js';
import { MediaFailureCode, MediaRejection } from './media.errors.js';
import { makePictureVariants } from './picture-variants.js';
import { makeVoiceFile } from './voice-recording.js';
import { VideoTranscoder } from './video-transcoder.js';

const CONTENT_TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  m4a: 'audio/mp4',
};
export const contentTypeOf = (file: string) =>
  CONTENT_TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream';

export type ProcessingOutcome = 'ready' | 'rejected' | 'skipped';

/** The storage prefix of everything made from one asset. */
const outputPrefix = (mediaId: string) => StorageKeys.mediaFile(mediaId, 'x').slice(0, -1);

/**
 * The worker side of the media pipeline. A run: download the source, check its first bytes,
 * probe, transcode (a picture: make its variants; a recording: normalise it), upload under
 * `media/<id>/`, remove anything there that this run did not write (left by a crashed attempt or
 * an older ladder), then mark the asset ready. Every step is safe to repeat, so at-least-once
 * delivery yields one result.
 */
@Injectable()
export class MediaProcessingService {
  private readonly logger = new Logger(MediaProcessingService.name);

  constructor(
    @Inject(MediaAssetRepository) private readonly assets: MediaAssetRepository,
    @Inject(StorageService) private readonly storage: StorageService,
    @Inject(VideoTranscoder) private readonly transcoder: VideoTranscoder,
  ) {}

  async process(
    mediaId: string,
    context: Pick<JobContext, 'isLastAttempt' | 'log'>,
  ): Promise<ProcessingOutcome> {
    const asset = await this.assets.beginAttempt(mediaId);
    if (!asset) return 'skipped'; // already ready or failed: a duplicate delivery
    const work = await mkdtemp(join(tmpdir(), 'banso-media-'));
    try {
      const source = join(work, 'source');
      await this.download(asset.sourceKey!, source);
      if (asset.kind !== 'video') {
        const outDir = join(work, 'out');
        await mkdir(outDir);
        const made =
          asset.kind === 'picture'
            ? await this.makePicture(source, outDir, context)
            : await this.makeVoice(source, outDir, context);
        await this.publish(mediaId, outDir, made.files);
        await this.assets.markReady(mediaId, made.fields);
        return 'ready';
      }
      await this.checkMagicBytes(source);
      const probed = await this.transcoder.probe(source);
      context.log(`Probed ${probed.width}x${probed.height} ${probed.durationSeconds}s ${probed.videoCodec}`);
      const outDir = join(work, 'out');
      const result = await this.transcoder.transcode(source, outDir, probed);

      await this.publish(mediaId, outDir, result.files);
      await this.assets.markReady(mediaId, {
        renditions: result.renditions,
        download: result.download,
        poster: result.poster,
        durationSeconds: String(probed.durationSeconds),
        width: probed.width,
        height: probed.height,
      });
      return 'ready';
    } catch (e) {
      if (e instanceof MediaRejection) {
        // Never accepted: nothing of it is kept.
        await this.removeOutputs(mediaId);
        await this.storage.remove(Buckets.media, asset.sourceKey!);
        await this.assets.markFailed(
          mediaId,
          { code: e.code, message: e.message, details: e.details },
          { sourceKey: null },
        );
        context.log(`Rejected: ${e.code}`);
        return 'rejected';
      }
      if (context.isLastAttempt) {
        await this.removeOutputs(mediaId);
        await this.assets.markFailed(mediaId, {
          code: MediaFailureCode.ProcessingFailed,
          message: `The ${asset.kind} could not be processed. Try again later or upload another file.`,
          details: { detail: (e as Error).message.slice(0, 300) },
        });
      }
      throw e;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** A picture's variants (picture-variants.ts). */
  private async makePicture(source: string, outDir: string, context: Pick<JobContext, 'log'>) {
    const { width, height, variants } = await makePictureVariants(source, outDir);
    context.log(`Made ${variants.length} variants of a ${width}x${height} picture`);
    return { files: variants.map((v) => v.file), fields: { pictures: variants, width, height } };
  }

  /** A voice recording's one file (voice-recording.ts), with the worker's ffmpeg. */
  private async makeVoice(source: string, outDir: string, context: Pick<JobContext, 'log'>) {
    const voice = await makeVoiceFile(this.transcoder.binaries(), source, outDir);
    context.log(`Normalised ${voice.durationSeconds} s of voice from ${voice.sourceLoudness} LUFS`);
    return { files: [voice.file], fields: { voice, durationSeconds: String(voice.durationSeconds) } };
  }

  /** Uploads a run's files (four at a time), then removes whatever else is under the asset. */
  private async publish(mediaId: string, outDir: string, made: readonly string[]): Promise<void> {
    const keys = new Set<string>();
    const files = [...made];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let file = files.shift(); file; file = files.shift()) {
          const key = StorageKeys.mediaFile(mediaId, file);
          keys.add(key);
          await this.storage.putFile(Buckets.media, key, join(outDir, file), contentTypeOf(file));
        }
      }),
    );
    await this.removeOutputs(mediaId, keys);
  }

  private async download(key: string, path: string): Promise<void> {
    try {
      await this.storage.downloadToFile(Buckets.media, key, path);
    } catch (e) {
      if (!(e instanceof StorageError)) throw e;
      throw new MediaRejection(MediaFailureCode.SourceMissing, 'The uploaded file is no longer in storage.');
    }
  }

  private async checkMagicBytes(path: string): Promise<void> {
    const file = await open(path, 'r');
    try {
      const head = Buffer.alloc(192);
      const { bytesRead } = await file.read(head, 0, head.length, 0);
      if (!sniffVideoContainer(head.subarray(0, bytesRead))) {
        throw new MediaRejection(
          MediaFailureCode.NotAVideo,
          'This file is not a video (MP4, MOV, WebM, MKV, 3GP or AVI).',
        );
      }
    } finally {
      await file.close();
    }
  }

  /** Removes every output object of the asset except `keep`. */
  private async removeOutputs(mediaId: string, keep: Set<string> = new Set()): Promise<void> {
    const stale = (await this.storage.list(Buckets.media, outputPrefix(mediaId)))
      .map((o) => o.key)
      .filter((k) => !keep.has(k));
    if (stale.length > 0) {
      await this.storage.removeMany(Buckets.media, stale);
      this.logger.log(`Removed ${stale.length} stale file(s) of media ${mediaId}`);
    }
  }
}

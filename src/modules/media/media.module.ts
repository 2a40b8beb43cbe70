import { Module } from '@nestjs/common';
import { TranscodeMediaJob } from './jobs/transcode-media.job.js';
import { MediaAssetRepository } from './media-asset.repository.js';
import { MediaFilesController } from './media-files.controller.js';
import { MediaProcessingService } from './media-processing.service.js';
import { MediaController } from './media.controller.js';
import { MediaService } from './media.service.js';
import { VideoTranscoder } from './video-transcoder.js';

/** Media assets as services (for the catalog, authoring, seeds). */
@Module({ providers: [MediaAssetRepository, MediaService], exports: [MediaService] })
export class MediaCoreModule {}

/** The HTTP role: upload and status routes, and the processed files. */
@Module({ imports: [MediaCoreModule], controllers: [MediaController, MediaFilesController] })
export class MediaModule {}

/** The worker role: the transcoding job. */
@Module({
  providers: [MediaAssetRepository, VideoTranscoder, MediaProcessingService, TranscodeMediaJob],
})
export class MediaJobsModule {}

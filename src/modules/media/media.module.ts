import { Module } from '@nestjs/common';
import { ResumeMediaProcessingJob, TranscodeMediaJob } from './jobs/transcode-media.job.js';
import { MediaAssetRepository } from './media-asset.repository.js';
import { MediaFilesController } from './media-files.controller.js';
import { MediaProcessingService } from './media-processing.service.js';
import { MediaController } from './media.controller.js';
import { MediaService } from './media.service.js';
import { VideoTranscoder } from './video-transcoder.js';

import { MediaToolsCheck } from './media-tools.check.js';
/** Media assets as services (for the catalog, authoring, seeds). */
@Module({ providers: [MediaAssetRepository, MediaService, MediaToolsCheck], exports: [MediaService] })
export class MediaCoreModule {}

/** The HTTP role: upload and status routes, and the processed files. */
@Module({ imports: [MediaCoreModule], controllers: [MediaController, MediaFilesController] })
export class MediaModule {}

/** The worker role: the transcoding job, and the sweep that re-queues lost ones. */
@Module({
  imports: [MediaCoreModule],
  providers: [
    MediaAssetRepository,
    VideoTranscoder,
    MediaProcessingService,
    TranscodeMediaJob,
    ResumeMediaProcessingJob,
  ],
})
export class MediaJobsModule {}

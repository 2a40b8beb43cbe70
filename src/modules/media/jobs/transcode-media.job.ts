import { Inject, Injectable } from '@nestjs/common';
import { HandlesJob, type JobContext, type JobHandler } from '../../../infrastructure/queue/job-handler.js';
import { JobName, type JobPayloads } from '../../../infrastructure/queue/queue.constants.js';
import { MediaProcessingService, type ProcessingOutcome } from '../media-processing.service.js';
import { MediaService } from '../media.service.js';

@Injectable()
@HandlesJob(JobName.transcodeMedia)
export class TranscodeMediaJob implements JobHandler<
  JobPayloads[typeof JobName.transcodeMedia],
  ProcessingOutcome
> {
  constructor(@Inject(MediaProcessingService) private readonly processing: MediaProcessingService) {}

  handle(payload: JobPayloads[typeof JobName.transcodeMedia], context: JobContext) {
    return this.processing.process(payload.mediaId, context);
  }
}

@Injectable()
@HandlesJob(JobName.resumeMediaProcessing)
export class ResumeMediaProcessingJob implements JobHandler<Record<string, never>, number> {
  constructor(@Inject(MediaService) private readonly media: MediaService) {}

  handle() {
    return this.media.resumeWaiting();
  }
}

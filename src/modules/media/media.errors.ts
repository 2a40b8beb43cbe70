import { DomainError } from '../../infrastructure/http/domain-error.js';

export enum MediaErrorCode {
  NotFound = 'MEDIA_NOT_FOUND',
  NotUploadedYet = 'MEDIA_NOT_UPLOADED_YET',
  CannotReprocess = 'MEDIA_CANNOT_REPROCESS',
}

/** Why the pipeline refused or gave up on a video; stored on the asset and shown to its trainer. */
export enum MediaFailureCode {
  NotAVideo = 'MEDIA_NOT_A_VIDEO',
  NoVideoStream = 'MEDIA_NO_VIDEO_STREAM',
  Unreadable = 'MEDIA_UNREADABLE',
  TooLong = 'MEDIA_TOO_LONG',
  SourceMissing = 'MEDIA_SOURCE_MISSING',
  ProcessingFailed = 'MEDIA_PROCESSING_FAILED',
}

export class MediaError extends DomainError {
  static notFound() {
    return new MediaError(MediaErrorCode.NotFound, 'This video does not exist or is not yours.', 404);
  }
}

/** A file the pipeline will never accept: the job stops without retrying. */
export class MediaRejection extends Error {
  constructor(
    readonly code: MediaFailureCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'MediaRejection';
  }
}

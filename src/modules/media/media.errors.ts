import { DomainError, errorStatuses } from '../../infrastructure/errors/domain-error.js';

export enum MediaErrorCode {
  NotFound = 'MEDIA_NOT_FOUND',
  NotUploadedYet = 'MEDIA_NOT_UPLOADED_YET',
  CannotReprocess = 'MEDIA_CANNOT_REPROCESS',
  WrongKind = 'MEDIA_WRONG_KIND',
}

/** The HTTP status of each code (read by the JSON filter and the portal's pages). */
export const MEDIA_ERROR_STATUS = errorStatuses({
  [MediaErrorCode.CannotReprocess]: 409,
  [MediaErrorCode.NotFound]: 404,
  [MediaErrorCode.NotUploadedYet]: 409,
  [MediaErrorCode.WrongKind]: 400,
} satisfies Record<MediaErrorCode, number>);

/** Why the pipeline refused or gave up on a video, picture or recording; stored on the asset and shown to its trainer. */
export enum MediaFailureCode {
  NotAVideo = 'MEDIA_NOT_A_VIDEO',
  NotAPicture = 'MEDIA_NOT_A_PICTURE',
  PictureTooLarge = 'MEDIA_PICTURE_TOO_LARGE',
  PictureTooSmall = 'MEDIA_PICTURE_TOO_SMALL',
  NotAudio = 'MEDIA_NOT_AUDIO',
  Silent = 'MEDIA_SILENT',
  NoVideoStream = 'MEDIA_NO_VIDEO_STREAM',
  Unreadable = 'MEDIA_UNREADABLE',
  TooLong = 'MEDIA_TOO_LONG',
  SourceMissing = 'MEDIA_SOURCE_MISSING',
  ProcessingFailed = 'MEDIA_PROCESSING_FAILED',
}

export class MediaError extends DomainError {
  static notFound(mediaId?: string) {
    return new MediaError(
      MediaErrorCode.NotFound,
      'This media file does not exist or is not yours.',
      mediaId ? { mediaId } : undefined,
    );
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

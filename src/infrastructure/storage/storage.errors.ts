import { DomainError, errorStatuses } from '../errors/domain-error.js';

export enum StorageErrorCode {
  ObjectNotFound = 'STORAGE_OBJECT_NOT_FOUND',
  UploadTooLarge = 'STORAGE_UPLOAD_TOO_LARGE',
  UploadTypeMismatch = 'STORAGE_UPLOAD_TYPE_MISMATCH',
  UploadMissing = 'STORAGE_UPLOAD_MISSING',
  LinkMalformed = 'STORAGE_LINK_MALFORMED',
  LinkInvalid = 'STORAGE_LINK_INVALID',
  LinkExpired = 'STORAGE_LINK_EXPIRED',
  LengthRequired = 'STORAGE_LENGTH_REQUIRED',
}

/** The HTTP status of each code (read by the JSON filter and the portal's pages). */
export const STORAGE_ERROR_STATUS = errorStatuses({
  [StorageErrorCode.ObjectNotFound]: 404,
  [StorageErrorCode.UploadMissing]: 409,
  [StorageErrorCode.UploadTooLarge]: 413,
  [StorageErrorCode.UploadTypeMismatch]: 415,
  [StorageErrorCode.LinkMalformed]: 400,
  [StorageErrorCode.LinkInvalid]: 403,
  [StorageErrorCode.LinkExpired]: 403,
  [StorageErrorCode.LengthRequired]: 411,
} satisfies Record<StorageErrorCode, number>);

export class StorageError extends DomainError {
  static objectNotFound(bucket: string, key: string) {
    return new StorageError(StorageErrorCode.ObjectNotFound, `The file "${key}" does not exist.`, {
      bucket,
    });
  }
}

import { DomainError } from '../http/domain-error.js';

export enum StorageErrorCode {
  ObjectNotFound = 'STORAGE_OBJECT_NOT_FOUND',
  UploadTooLarge = 'STORAGE_UPLOAD_TOO_LARGE',
  UploadTypeMismatch = 'STORAGE_UPLOAD_TYPE_MISMATCH',
  UploadMissing = 'STORAGE_UPLOAD_MISSING',
}

export class StorageError extends DomainError {
  static objectNotFound(bucket: string, key: string) {
    return new StorageError(StorageErrorCode.ObjectNotFound, `The file "${key}" does not exist.`, 404, {
      bucket,
    });
  }
}

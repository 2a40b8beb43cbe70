import { DomainError } from '../../infrastructure/http/domain-error.js';

export enum GeographyErrorCode {
  NotFound = 'GEOGRAPHY_LOCALITY_NOT_FOUND',
  CodeTaken = 'GEOGRAPHY_CODE_TAKEN',
  InvalidParent = 'GEOGRAPHY_INVALID_PARENT',
  InvalidCode = 'GEOGRAPHY_INVALID_CODE',
  InvalidKind = 'GEOGRAPHY_INVALID_KIND',
  InUse = 'GEOGRAPHY_LOCALITY_IN_USE',
}

export class GeographyError extends DomainError {
  static notFound() {
    return new GeographyError(GeographyErrorCode.NotFound, 'The locality was not found.', 404);
  }
}

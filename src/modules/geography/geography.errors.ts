import { DomainError, errorStatuses } from '../../infrastructure/errors/domain-error.js';

export enum GeographyErrorCode {
  NotFound = 'GEOGRAPHY_LOCALITY_NOT_FOUND',
  CodeTaken = 'GEOGRAPHY_CODE_TAKEN',
  InvalidParent = 'GEOGRAPHY_INVALID_PARENT',
  InvalidCode = 'GEOGRAPHY_INVALID_CODE',
  /** A commune's code cannot change while villages' codes start with it. */
  CodeLocked = 'GEOGRAPHY_CODE_LOCKED',
  InvalidKind = 'GEOGRAPHY_INVALID_KIND',
  InUse = 'GEOGRAPHY_LOCALITY_IN_USE',
  /** A coordinator acting on a place outside the localities they were granted. */
  OutsideArea = 'OUTSIDE_YOUR_AREA',
}

/** The HTTP status of each code (read by the JSON filter and the portal's pages). */
export const GEOGRAPHY_ERROR_STATUS = errorStatuses({
  [GeographyErrorCode.CodeTaken]: 409,
  [GeographyErrorCode.InUse]: 409,
  [GeographyErrorCode.InvalidCode]: 400,
  [GeographyErrorCode.CodeLocked]: 409,
  [GeographyErrorCode.InvalidKind]: 400,
  [GeographyErrorCode.InvalidParent]: 400,
  [GeographyErrorCode.NotFound]: 404,
  [GeographyErrorCode.OutsideArea]: 403,
} satisfies Record<GeographyErrorCode, number>);

export class GeographyError extends DomainError {
  static outsideArea() {
    return new GeographyError(GeographyErrorCode.OutsideArea, 'This is outside the area you coordinate.');
  }
  static notFound() {
    return new GeographyError(GeographyErrorCode.NotFound, 'The locality was not found.');
  }
}

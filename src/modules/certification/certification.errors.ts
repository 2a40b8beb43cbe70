import { DomainError } from '../../infrastructure/http/domain-error.js';

export enum CertificationErrorCode {
  ProgrammeNotFound = 'CERT_PROGRAMME_NOT_FOUND',
  ProgrammeCodeTaken = 'CERT_PROGRAMME_CODE_TAKEN',
  ProgrammeInvalid = 'CERT_PROGRAMME_INVALID',
  ProgrammeInactive = 'CERT_PROGRAMME_INACTIVE',
  RecordNotFound = 'CERT_MENTORING_RECORD_NOT_FOUND',
  NoPhotoExpected = 'CERT_NO_PHOTO_EXPECTED',
  ApplicationNotFound = 'CERT_APPLICATION_NOT_FOUND',
  AlreadyApplied = 'CERT_ALREADY_APPLIED',
  AlreadyCertified = 'CERT_ALREADY_CERTIFIED',
  NotEligible = 'CERT_NOT_ELIGIBLE',
  InvalidVillage = 'CERT_INVALID_VILLAGE',
  CandidateNotFound = 'CERT_CANDIDATE_NOT_FOUND',
  AlreadyDecided = 'CERT_APPLICATION_ALREADY_DECIDED',
  OwnApplication = 'CERT_OWN_APPLICATION',
  OutsideLocality = 'CERT_OUTSIDE_YOUR_LOCALITY',
  CertificateNotFound = 'CERT_CERTIFICATE_NOT_FOUND',
  CertificateNotReady = 'CERT_CERTIFICATE_NOT_READY',
  CertificateNotActive = 'CERT_CERTIFICATE_NOT_ACTIVE',
  AlreadyRevoked = 'CERT_ALREADY_REVOKED',
  AlreadyReissued = 'CERT_ALREADY_REISSUED',
}

export class CertificationError extends DomainError {
  static programmeNotFound() {
    return new CertificationError(
      CertificationErrorCode.ProgrammeNotFound,
      'This programme does not exist.',
      404,
    );
  }
  static applicationNotFound() {
    return new CertificationError(
      CertificationErrorCode.ApplicationNotFound,
      'This application does not exist or is not yours to see.',
      404,
    );
  }
  static certificateNotFound() {
    return new CertificationError(
      CertificationErrorCode.CertificateNotFound,
      'This certificate does not exist or is not yours to see.',
      404,
    );
  }
  static recordNotFound() {
    return new CertificationError(
      CertificationErrorCode.RecordNotFound,
      'This mentoring record does not exist or is not yours.',
      404,
    );
  }
  static outsideLocality() {
    return new CertificationError(
      CertificationErrorCode.OutsideLocality,
      'This village is outside the area you coordinate.',
      403,
    );
  }
}

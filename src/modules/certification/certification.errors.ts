import { DomainError, errorStatuses } from '../../infrastructure/errors/domain-error.js';

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
  CertificateNotFound = 'CERT_CERTIFICATE_NOT_FOUND',
  CertificateNotReady = 'CERT_CERTIFICATE_NOT_READY',
  CertificateNotActive = 'CERT_CERTIFICATE_NOT_ACTIVE',
  AlreadyRevoked = 'CERT_ALREADY_REVOKED',
  AlreadyReissued = 'CERT_ALREADY_REISSUED',
  /** A learner confirming their own practice task. */
  PracticeSelf = 'CERT_PRACTICE_SELF_CONFIRMATION',
  /** A practice task of a learner outside the confirmer's village or area. */
  PracticeNotYourVillage = 'CERT_PRACTICE_NOT_YOUR_VILLAGE',
  /** Not a published practice lesson of a course the learner is taking. */
  PracticeLessonNotFound = 'CERT_PRACTICE_LESSON_NOT_FOUND',
  /** No such status list, or no such achievement (programme) in the public documents. */
  CredentialDocumentNotFound = 'CERT_CREDENTIAL_DOCUMENT_NOT_FOUND',
}

/** The HTTP status of each code (read by the JSON filter and the portal's pages). */
export const CERTIFICATION_ERROR_STATUS = errorStatuses({
  [CertificationErrorCode.AlreadyApplied]: 409,
  [CertificationErrorCode.AlreadyCertified]: 409,
  [CertificationErrorCode.AlreadyDecided]: 409,
  [CertificationErrorCode.AlreadyReissued]: 409,
  [CertificationErrorCode.AlreadyRevoked]: 409,
  [CertificationErrorCode.ApplicationNotFound]: 404,
  [CertificationErrorCode.CandidateNotFound]: 404,
  [CertificationErrorCode.CertificateNotActive]: 409,
  [CertificationErrorCode.CertificateNotFound]: 404,
  [CertificationErrorCode.CertificateNotReady]: 409,
  [CertificationErrorCode.InvalidVillage]: 400,
  [CertificationErrorCode.NoPhotoExpected]: 409,
  [CertificationErrorCode.NotEligible]: 409,
  [CertificationErrorCode.OwnApplication]: 403,
  [CertificationErrorCode.ProgrammeCodeTaken]: 409,
  [CertificationErrorCode.ProgrammeInactive]: 409,
  [CertificationErrorCode.ProgrammeInvalid]: 400,
  [CertificationErrorCode.ProgrammeNotFound]: 404,
  [CertificationErrorCode.RecordNotFound]: 404,
  [CertificationErrorCode.PracticeSelf]: 403,
  [CertificationErrorCode.PracticeNotYourVillage]: 403,
  [CertificationErrorCode.PracticeLessonNotFound]: 404,
  [CertificationErrorCode.CredentialDocumentNotFound]: 404,
} satisfies Record<CertificationErrorCode, number>);

export class CertificationError extends DomainError {
  static programmeNotFound() {
    return new CertificationError(CertificationErrorCode.ProgrammeNotFound, 'This programme does not exist.');
  }
  static applicationNotFound() {
    return new CertificationError(
      CertificationErrorCode.ApplicationNotFound,
      'This application does not exist or is not yours to see.',
    );
  }
  static certificateNotFound() {
    return new CertificationError(
      CertificationErrorCode.CertificateNotFound,
      'This certificate does not exist or is not yours to see.',
    );
  }
  /** Public lookups: anyone may ask, so the answer says nothing about whose it would be. */
  static unknownVerificationCode() {
    return new CertificationError(
      CertificationErrorCode.CertificateNotFound,
      'No certificate has this verification code.',
    );
  }
  static recordNotFound() {
    return new CertificationError(
      CertificationErrorCode.RecordNotFound,
      'This mentoring record does not exist or is not yours.',
    );
  }
}

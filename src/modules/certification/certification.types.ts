/** The certification vocabulary other modules (the portal's forms and filters) use. */
export { APPLICATION_STATUSES, type ApplicationStatus } from './entities/application.entity.js';
export { MENTORING_TASKS, type MentoringTask } from './entities/mentoring-record.entity.js';

/** Facts certification appends to the outbox, with their payloads. */
export const CERTIFICATE_ISSUED = 'certification.certificate_issued';
export const CERTIFICATE_REVOKED = 'certification.certificate_revoked';
/** A coordinator approved or rejected an application (once per application). */
export const APPLICATION_DECIDED = 'certification.application_decided';

export interface ApplicationDecidedEvent {
  applicationId: string;
  programmeId: string;
  candidateId: string;
  /** The trainer who nominated the candidate, if any. */
  nominatedBy: string | null;
  decision: 'approved' | 'rejected';
  reason: string;
  at: string;
}

/** Somebody logged a household they helped (a candidate or an ambassador). */
export const MENTORING_RECORDED = 'certification.mentoring_recorded';

export interface MentoringRecordedEvent {
  recordId: string;
  mentorId: string;
  /** The day the household was helped (YYYY-MM-DD). */
  helpedOn: string;
}

/** A certificate became downloadable (issued, renewed or corrected), or was revoked. */
export interface CertificateEvent {
  certificateId: string;
  holderId: string;
  programmeId: string;
  villageId: string;
  localityPath: string;
  /** When it was issued, or revoked. */
  at: string;
  /** When it expires (facts written before December 2026 lack it). */
  expiresAt?: string;
}

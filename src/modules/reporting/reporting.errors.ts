import { DomainError, errorStatuses } from '../../infrastructure/errors/domain-error.js';

export enum ReportingErrorCode {
  /** Targets are set for the programme's province or one of its communes. */
  TargetLocalityInvalid = 'REPORTING_TARGET_LOCALITY_INVALID',
  TargetInvalid = 'REPORTING_TARGET_INVALID',
  TargetNotFound = 'REPORTING_TARGET_NOT_FOUND',
  /** Someone else changed the target since the version the change was based on. */
  TargetChanged = 'REPORTING_TARGET_CHANGED',
  /** The public ranking of a programme that admins have not published (or not yet). */
  RankingNotPublished = 'REPORTING_RANKING_NOT_PUBLISHED',
}

/** The HTTP status of each code (read by the JSON filter and the portal's pages). */
export const REPORTING_ERROR_STATUS = errorStatuses({
  [ReportingErrorCode.TargetLocalityInvalid]: 400,
  [ReportingErrorCode.TargetInvalid]: 400,
  [ReportingErrorCode.TargetNotFound]: 404,
  [ReportingErrorCode.TargetChanged]: 409,
  [ReportingErrorCode.RankingNotPublished]: 404,
} satisfies Record<ReportingErrorCode, number>);

export class ReportingError extends DomainError {}

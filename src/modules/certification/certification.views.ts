import type { Texts } from '../catalog/learnable-content.service.js';
import { maskName } from './certificate-identifiers.js';
import type { CertificationAuditEntity } from './entities/certification-audit.entity.js';
import type { CertificateEntity } from './entities/certificate.entity.js';
import type { ProgrammeEntity } from './entities/programme.entity.js';

export type CertificateStatus = 'pending' | 'valid' | 'revoked' | 'superseded' | 'expired';

/** Revoked wins over everything; a replaced (corrected) certificate is superseded; then expiry. */
export function certificateStatus(c: CertificateEntity, now = new Date()): CertificateStatus {
  if (c.revokedAt) return 'revoked';
  if (!c.readyAt) return 'pending';
  if (c.supersededAt) return 'superseded';
  if (c.expiresAt <= now) return 'expired';
  return 'valid';
}

/** The date the status took effect, where it has one. */
export function statusDate(c: CertificateEntity, status: CertificateStatus): string | null {
  const at = {
    revoked: c.revokedAt,
    superseded: c.supersededAt,
    expired: c.expiresAt,
    valid: null,
    pending: null,
  }[status];
  return at ? at.toISOString() : null;
}

export const programmeView = (p: ProgrammeEntity) => ({
  id: p.id,
  code: p.code,
  provinceId: p.provinceId,
  serialPrefix: p.serialPrefix,
  names: p.names as Texts,
  descriptions: p.descriptions,
  requiredCourseIds: p.requiredCourseIds,
  minAverageQuizScore: Number(p.minAverageQuizScore),
  minHouseholds: p.minHouseholds,
  validityMonths: p.validityMonths,
  renewalWindowDays: p.renewalWindowDays,
  activeWithinDays: p.activeWithinDays,
  active: p.active,
});

export const auditView = (e: CertificationAuditEntity) => ({
  action: e.action,
  actorId: e.actorId,
  fromStatus: e.fromStatus,
  toStatus: e.toStatus,
  reason: e.reason,
  at: e.at.toISOString(),
  ...(e.certificateId && { certificateId: e.certificateId }),
});

/** For the holder and staff. Public pages use the verification view instead. */
export const certificateSummary = (c: CertificateEntity) => {
  const status = certificateStatus(c);
  return {
    id: c.id,
    serial: c.serial,
    status,
    statusDate: statusDate(c, status),
    programmeId: c.programmeId,
    holderId: c.holderId,
    holderName: c.holderName,
    maskedName: maskName(c.holderName),
    villageId: c.villageId,
    issuedAt: c.issuedAt.toISOString(),
    expiresAt: c.expiresAt.toISOString(),
    verificationCode: c.verificationCode,
    replacesId: c.replacesId,
    replacementReason: c.replacementReason,
    revocationReason: c.revocationReason,
    pdfSha256: c.pdfSha256,
    pdfBytes: c.pdfBytes,
    assessment: c.assessment,
  };
};

import { createHash, randomBytes } from 'node:crypto';
import type { ProgrammeEntity } from './entities/programme.entity.js';
import { OB3_CONTEXT } from './open-badges/document-loader.js';
import type { DataIntegrityProofValue } from './open-badges/data-integrity.js';
import { statusListEntry, type StatusEntry } from './open-badges/status-list.js';
import { vcDateTime } from './open-badges/vc-time.js';

/** The credential file's media type (VC Data Model 2.0, JSON-LD with an embedded proof). */
export const CREDENTIAL_MEDIA_TYPE = 'application/vc+ld+json';

export interface CredentialFacts {
  serial: string;
  holderName: string;
  programme: { id: string; name: string; description: string; criteria: string };
  issuedAt: Date;
  expiresAt: Date;
  pdfSha256: string;
  courses: { version: number; locale: string; title: string }[];
  village: string;
  status: StatusEntry;
}

export interface IssuerFacts {
  baseUrl: string;
  did: string;
  name: string;
}

/** Public, no login: what the achievement is, for anyone reading a credential. */
export const achievementUrl = (baseUrl: string, programmeId: string) =>
  `${baseUrl}/credentials/achievements/${programmeId}`;

/** The one result a certificate states: the village its ambassador serves. */
const villageResult = (achievementId: string) => `${achievementId}#village`;

/** The Achievement (Open Badges 3.0), as embedded in credentials and served at its id. */
export function achievement(baseUrl: string, p: CredentialFacts['programme']) {
  const id = achievementUrl(baseUrl, p.id);
  return {
    id,
    type: ['Achievement'],
    achievementType: 'Certificate',
    name: p.name,
    description: p.description,
    criteria: { narrative: p.criteria },
    inLanguage: 'vi',
    resultDescription: [
      {
        id: villageResult(id),
        type: ['ResultDescription'],
        name: 'Thôn, xã nơi Người bản số phục vụ',
        resultType: 'ext:ServedVillage',
      },
    ],
  };
}

/**
 * The holder as Open Badges 3.0 recommends: a salted SHA-256 of the name as printed, never the
 * name itself (it stays on the PDF, and masked on the verify page). Whoever knows the name and
 * reads the salt can check it; nobody can read the name from the credential.
 */
export function hashedName(name: string, salt = randomBytes(16).toString('hex')) {
  return {
    type: 'IdentityObject',
    identityType: 'name',
    hashed: true,
    identityHash: `sha256$${createHash('sha256')
      .update(`${name.normalize('NFC')}${salt}`, 'utf8')
      .digest('hex')}`,
    salt,
  };
}

/**
 * The OpenBadgeCredential, unsigned. Every term is Open Badges 3.0 or VC 2.0 vocabulary, so
 * safe-mode JSON-LD expansion raises nothing: the village is a `result` the achievement
 * describes, the courses assessed are `evidence` with a narrative, the PDF is `evidence` whose id
 * is its SHA-256.
 */
export function openBadgeCredential(f: CredentialFacts, issuer: IssuerFacts, verifyUrl: string) {
  const achieved = achievement(issuer.baseUrl, f.programme);
  return {
    '@context': OB3_CONTEXT,
    id: verifyUrl,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `${f.programme.name} — ${f.serial}`,
    issuer: { id: issuer.did, type: ['Profile'], name: issuer.name, url: issuer.baseUrl },
    validFrom: vcDateTime(f.issuedAt),
    validUntil: vcDateTime(f.expiresAt),
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [hashedName(f.holderName)],
      achievement: achieved,
      result: [{ type: ['Result'], resultDescription: villageResult(achieved.id), value: f.village }],
    },
    evidence: [
      {
        id: `urn:sha256:${f.pdfSha256}`,
        type: ['Evidence'],
        name: `Giấy chứng nhận ${f.serial} (PDF)`,
        genre: 'application/pdf',
        narrative: `SHA-256 của tệp PDF giấy chứng nhận: ${f.pdfSha256}`,
      },
      ...f.courses.map((c) => ({
        type: ['Evidence'],
        name: c.title,
        genre: 'Khoá học',
        narrative: `Đã hoàn thành khoá học "${c.title}", phiên bản ${c.version}, ngôn ngữ ${c.locale}.`,
      })),
    ],
    credentialStatus: statusListEntry(issuer.baseUrl, f.status),
  };
}

export type UnsignedOpenBadgeCredential = ReturnType<typeof openBadgeCredential>;
export type OpenBadgeCredential = UnsignedOpenBadgeCredential & { proof: DataIntegrityProofValue[] };

/** The rules as one sentence, for the credential's achievement criteria. */
export function criteriaNarrative(
  p: Pick<ProgrammeEntity, 'requiredCourseIds' | 'minAverageQuizScore' | 'minHouseholds'>,
): string {
  return (
    `Hoàn thành ${p.requiredCourseIds.length} khoá học bắt buộc, điểm trung bình bài kiểm tra từ ` +
    `${Number(p.minAverageQuizScore)} trở lên, hướng dẫn ít nhất ${p.minHouseholds} hộ gia đình ` +
    `theo mô hình "1 kèm 5", được tổ điều phối xét duyệt.`
  );
}

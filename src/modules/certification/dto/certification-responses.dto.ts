import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UI_LOCALES } from '../../../infrastructure/i18n/locales.js';
import {
  LocalizedLongTextDto,
  LocalizedShortTextDto,
} from '../../../infrastructure/i18n/localized-text.dto.js';
import { PresignedUploadResponse } from '../../media/dto/media.dto.js';
import { APPLICATION_STATUSES } from '../entities/application.entity.js';
import { MENTORING_TASKS } from '../entities/mentoring-record.entity.js';
import { CHECK_NAMES } from '../open-badges/credential-checks.js';

/*
 * What the certification routes answer. These classes only document the view functions'
 * output (certification.views.ts, the services' `view`/`present` methods); nothing builds them.
 */

const CERTIFICATE_STATUSES = ['pending', 'valid', 'revoked', 'superseded', 'expired'];
const uuid = { type: String, format: 'uuid' } as const;
const dateTime = { type: String, format: 'date-time' } as const;

export class ProgrammeResponse {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ example: 'nguoi-ban-so-lao-cai' }) code!: string;
  @ApiProperty(uuid) provinceId!: string;
  @ApiProperty({ example: 'NBS-LCI' }) serialPrefix!: string;
  @ApiProperty({ type: LocalizedShortTextDto }) names!: Record<string, string>;
  @ApiProperty({ type: LocalizedLongTextDto }) descriptions!: Record<string, string>;
  @ApiProperty({ type: [String], format: 'uuid' }) requiredCourseIds!: string[];
  @ApiProperty({ example: 70 }) minAverageQuizScore!: number;
  @ApiProperty({ type: 'integer', description: 'Households helped under "1 kèm 5"' }) minHouseholds!: number;
  @ApiProperty({ type: 'integer' }) validityMonths!: number;
  @ApiProperty({ type: 'integer' }) renewalWindowDays!: number;
  @ApiProperty({
    type: 'integer',
    description:
      'An ambassador is active while they helped a household, or were certified, within this many days',
  })
  activeWithinDays!: number;
  @ApiProperty() active!: boolean;
}

export class EligibilityItemResponse {
  @ApiProperty({ enum: ['course', 'quizAverage', 'households', 'village'] }) kind!: string;
  @ApiProperty() met!: boolean;
  @ApiProperty({ description: "What is required, in the reader's language" }) label!: string;
  @ApiProperty({ description: 'Where the candidate stands' }) detail!: string;
  @ApiPropertyOptional({ ...uuid, description: 'Course items' }) courseId?: string;
  @ApiPropertyOptional({ description: 'quizAverage (percent) and households items' }) required?: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'null: no quiz taken yet' })
  actual?: number | null;
}

export class EligibilityChecklistResponse {
  @ApiProperty(uuid) programmeId!: string;
  @ApiProperty() eligible!: boolean;
  @ApiProperty(dateTime) checkedAt!: string;
  @ApiProperty({ enum: UI_LOCALES, description: 'The language of the labels' }) locale!: string;
  @ApiProperty({ type: [EligibilityItemResponse] }) items!: EligibilityItemResponse[];
}

class CourseCompletionFact {
  @ApiProperty(uuid) courseVersionId!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ example: 'hmn' }) locale!: string;
  @ApiProperty({ type: Number, nullable: true }) averageQuizScore!: number | null;
  @ApiProperty(dateTime) completedAt!: string;
}

class CourseEligibilityFact {
  @ApiProperty(uuid) courseId!: string;
  @ApiProperty() met!: boolean;
  @ApiProperty({ type: CourseCompletionFact, nullable: true }) completion!: CourseCompletionFact | null;
}

class QuizAverageFact {
  @ApiProperty() met!: boolean;
  @ApiProperty() required!: number;
  @ApiProperty({ type: Number, nullable: true }) actual!: number | null;
}

class HouseholdsFact {
  @ApiProperty() met!: boolean;
  @ApiProperty({ type: 'integer' }) required!: number;
  @ApiProperty({ type: 'integer' }) actual!: number;
}

class VillageFact {
  @ApiProperty() met!: boolean;
  @ApiProperty({ ...uuid, nullable: true }) villageId!: string | null;
}

/** The facts checked when an application was submitted (and again when decided). */
export class EligibilitySnapshotResponse {
  @ApiProperty() eligible!: boolean;
  @ApiProperty(dateTime) checkedAt!: string;
  @ApiProperty({ type: [CourseEligibilityFact] }) courses!: CourseEligibilityFact[];
  @ApiProperty({ type: QuizAverageFact }) quizAverage!: QuizAverageFact;
  @ApiProperty({ type: HouseholdsFact }) households!: HouseholdsFact;
  @ApiProperty({ type: VillageFact }) village!: VillageFact;
}

export class MentoringPhotoResponse {
  @ApiProperty({ enum: ['awaiting_upload', 'ready'] }) status!: string;
  @ApiPropertyOptional({
    type: String,
    format: 'uri',
    description: 'Short-lived link, in lists once the photo is ready',
  })
  url?: string;
}

export class MentoringRecordResponse {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ type: String, format: 'date', example: '2026-11-20' }) helpedOn!: string;
  @ApiProperty({ example: 'Hộ ông Sùng A Páo' }) household!: string;
  @ApiProperty({ ...uuid, nullable: true }) villageId!: string | null;
  @ApiProperty({ enum: MENTORING_TASKS }) task!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: MentoringPhotoResponse, nullable: true }) photo!: MentoringPhotoResponse | null;
  @ApiProperty(dateTime) createdAt!: string;
}

export class CreatedMentoringRecordResponse {
  @ApiProperty({ type: MentoringRecordResponse }) record!: MentoringRecordResponse;
  @ApiProperty({
    type: PresignedUploadResponse,
    nullable: true,
    description: 'PUT the photo here when one was declared',
  })
  photoUpload!: PresignedUploadResponse | null;
}

export class ApplicationResponse {
  @ApiProperty(uuid) id!: string;
  @ApiProperty(uuid) programmeId!: string;
  @ApiProperty(uuid) candidateId!: string;
  @ApiProperty(uuid) villageId!: string;
  @ApiProperty({ enum: ['initial', 'renewal'] }) kind!: string;
  @ApiProperty({ ...uuid, nullable: true }) renewsCertificateId!: string | null;
  @ApiProperty({ ...uuid, nullable: true, description: 'The trainer who nominated the candidate' })
  nominatedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) statement!: string | null;
  @ApiProperty({ enum: APPLICATION_STATUSES }) status!: string;
  @ApiProperty({ type: EligibilitySnapshotResponse }) eligibility!: EligibilitySnapshotResponse;
  @ApiProperty({ ...uuid, nullable: true }) decidedBy!: string | null;
  @ApiProperty({ ...dateTime, nullable: true }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) decisionReason!: string | null;
  @ApiProperty(dateTime) createdAt!: string;
}

export class ApplicationQueueItemResponse extends ApplicationResponse {
  @ApiProperty({ type: String, nullable: true }) candidateName!: string | null;
}

export class ApplicationPageResponse {
  @ApiProperty({ type: [ApplicationQueueItemResponse] }) items!: ApplicationQueueItemResponse[];
  @ApiProperty({ type: 'integer' }) page!: number;
  @ApiProperty({ type: 'integer' }) pageSize!: number;
  @ApiProperty({ type: 'integer' }) total!: number;
}

export class AuditEntryResponse {
  @ApiProperty({ example: 'application.approved' }) action!: string;
  @ApiProperty({ ...uuid, nullable: true, description: 'null when the system acted' }) actorId!:
    string | null;
  @ApiProperty({ type: String, nullable: true }) fromStatus!: string | null;
  @ApiProperty({ type: String, nullable: true }) toStatus!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty(dateTime) at!: string;
  @ApiPropertyOptional(uuid) certificateId?: string;
}

class AssessedCourse {
  @ApiProperty(uuid) courseId!: string;
  @ApiProperty(uuid) courseVersionId!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty() locale!: string;
  @ApiProperty() title!: string;
}

class CertificateAssessmentResponse {
  @ApiProperty({ type: [AssessedCourse] }) courses!: AssessedCourse[];
  @ApiProperty({ type: Number, nullable: true }) averageQuizScore!: number | null;
  @ApiProperty({ type: 'integer' }) households!: number;
}

/** A certificate for its holder and staff (the public see `PublicVerificationResponse`). */
export class CertificateSummaryResponse {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ example: 'NBS-LCI-2026-000123' }) serial!: string;
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) status!: string;
  @ApiProperty({
    ...dateTime,
    nullable: true,
    description: 'When a revoked, superseded or expired status began',
  })
  statusDate!: string | null;
  @ApiProperty(uuid) programmeId!: string;
  @ApiProperty(uuid) holderId!: string;
  @ApiProperty() holderName!: string;
  @ApiProperty({ example: 'S. T. Mỷ' }) maskedName!: string;
  @ApiProperty(uuid) villageId!: string;
  @ApiProperty(dateTime) issuedAt!: string;
  @ApiProperty(dateTime) expiresAt!: string;
  @ApiProperty() verificationCode!: string;
  @ApiProperty({ ...uuid, nullable: true }) replacesId!: string | null;
  @ApiProperty({ enum: ['renewal', 'correction'], nullable: true }) replacementReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) revocationReason!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'null until issued' }) pdfSha256!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) pdfBytes!: number | null;
  @ApiProperty({ type: CertificateAssessmentResponse }) assessment!: CertificateAssessmentResponse;
}

class CandidateResponse {
  @ApiProperty(uuid) id!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: [String], example: ['hmn', 'vi'] }) languages!: string[];
}

export class ApplicationDetailResponse extends ApplicationResponse {
  @ApiProperty({ type: CandidateResponse }) candidate!: CandidateResponse;
  @ApiProperty({
    type: EligibilityChecklistResponse,
    description: "Now (while open) or as decided, in the reader's language",
  })
  checklist!: EligibilityChecklistResponse;
  @ApiProperty({ type: [MentoringRecordResponse] }) mentoringRecords!: MentoringRecordResponse[];
  @ApiProperty({ type: CertificateSummaryResponse, nullable: true })
  certificate!: CertificateSummaryResponse | null;
  @ApiProperty({ type: [AuditEntryResponse] }) audit!: AuditEntryResponse[];
}

export class ApplicationDecisionResponse extends ApplicationResponse {
  @ApiProperty({
    type: CertificateSummaryResponse,
    nullable: true,
    description: 'Approved: the certificate reserved, issued in the background',
  })
  certificate!: CertificateSummaryResponse | null;
}

class CertificateDownloadsResponse {
  @ApiProperty({ ...dateTime, description: 'When these links stop working' }) expiresAt!: string;
  @ApiProperty({ type: String, format: 'uri' }) pdf!: string;
  @ApiProperty({
    type: String,
    format: 'uri',
    description: 'The signed Open Badges 3.0 credential (JSON-LD, embedded Data Integrity proof)',
  })
  credential!: string;
}

class WalletOfferResponse {
  @ApiProperty({ type: String, format: 'uri', description: 'GET answers the credential (for a QR code)' })
  credentialUrl!: string;
  @ApiProperty({ description: "The Learner Credential Wallet's deep link (dccrequest://request?…)" })
  deepLink!: string;
}

export class CertificateResponse extends CertificateSummaryResponse {
  @ApiProperty({ type: String, format: 'uri' }) verifyUrl!: string;
  @ApiProperty({ type: CertificateDownloadsResponse, nullable: true, description: 'null until issued' })
  downloads!: CertificateDownloadsResponse | null;
  @ApiProperty({
    type: WalletOfferResponse,
    nullable: true,
    description: 'null until its credential is signed',
  })
  wallet!: WalletOfferResponse | null;
}

class ReplacementResponse {
  @ApiProperty(uuid) id!: string;
  @ApiProperty() serial!: string;
  @ApiProperty({ enum: ['renewal', 'correction'], nullable: true }) reason!: string | null;
}

export class CertificateDetailResponse extends CertificateResponse {
  @ApiProperty({ type: ReplacementResponse, nullable: true }) replacedBy!: ReplacementResponse | null;
  @ApiProperty({ type: [AuditEntryResponse] }) audit!: AuditEntryResponse[];
}

export class IssuerKeyRotationResponse {
  @ApiProperty({ description: 'RFC 7638 thumbprint of the new key' }) kid!: string;
}

class VerifiedProgramme {
  @ApiProperty() vi!: string;
  @ApiProperty({ description: "The name in the reader's language" }) text!: string;
  @ApiProperty() locale!: string;
}

class VerifiedCourse {
  @ApiProperty() title!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty() locale!: string;
}

class VerifiedReplacement {
  @ApiProperty() serial!: string;
  @ApiProperty({ type: String, format: 'uri' }) verifyUrl!: string;
}

class VerifiedIssuer {
  @ApiProperty({ example: 'did:web:banso.laocai.gov.vn' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, format: 'uri', description: "The issuer's DID document (its keys)" })
  didDocument!: string;
}

/** What anyone holding the QR code may learn: no phone, email, id number or full name. */
export class PublicVerificationResponse {
  @ApiProperty({ enum: CERTIFICATE_STATUSES.filter((s) => s !== 'pending') }) status!: string;
  @ApiProperty({ ...dateTime, nullable: true }) statusDate!: string | null;
  @ApiProperty({ example: 'S. T. Mỷ', description: 'Masked: initials and the given name' }) holder!: string;
  @ApiProperty({ type: VerifiedProgramme }) programme!: VerifiedProgramme;
  @ApiProperty({ description: 'Village, commune, province' }) village!: string;
  @ApiProperty() serial!: string;
  @ApiProperty(dateTime) issuedAt!: string;
  @ApiProperty(dateTime) expiresAt!: string;
  @ApiProperty({ type: [VerifiedCourse] }) coursesAssessed!: VerifiedCourse[];
  @ApiProperty({ type: VerifiedReplacement, nullable: true }) replacedBy!: VerifiedReplacement | null;
  @ApiProperty({ description: 'SHA-256 of the PDF, hex' }) pdfSha256!: string;
  @ApiProperty({ description: 'The verification method that signed the credential' })
  verificationMethod!: string;
  @ApiProperty({ type: VerifiedIssuer }) issuer!: VerifiedIssuer;
}

class VerificationMethodResponse {
  @ApiProperty({ example: 'did:web:banso.laocai.gov.vn#Fz3…' }) id!: string;
  @ApiProperty({ enum: ['Multikey'] }) type!: string;
  @ApiProperty() controller!: string;
  @ApiProperty({ description: "Ed25519 public key: 'z' + base58btc(0xed01 ‖ key)" })
  publicKeyMultibase!: string;
}

/** The issuer's did:web DID document: every key it ever signed with. */
export class DidDocumentResponse {
  @ApiProperty({ type: [String] }) '@context'!: string[];
  @ApiProperty() id!: string;
  @ApiProperty({ type: [VerificationMethodResponse], description: 'Retired keys included' })
  verificationMethod!: VerificationMethodResponse[];
  @ApiProperty({ type: [String] }) assertionMethod!: string[];
}

/** An Open Badges 3.0 Profile. */
export class IssuerProfileResponse {
  @ApiProperty({ type: [String] }) '@context'!: string[];
  @ApiProperty({ description: "The issuer's did:web" }) id!: string;
  @ApiProperty({ type: [String], example: ['Profile'] }) type!: string[];
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, format: 'uri' }) url!: string;
}

class CredentialCheckResponse {
  @ApiProperty({ enum: CHECK_NAMES }) name!: string;
  @ApiProperty({ enum: ['passed', 'failed', 'not-checked'] }) outcome!: string;
  @ApiProperty({ description: 'What was found, in English' }) detail!: string;
}

class CredentialSummaryIssuer {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
}

class CredentialSummaryResponse {
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) achievement!: string | null;
  @ApiProperty({ type: CredentialSummaryIssuer }) issuer!: CredentialSummaryIssuer;
  @ApiProperty({ type: String, nullable: true }) validFrom!: string | null;
  @ApiProperty({ type: String, nullable: true }) validUntil!: string | null;
  @ApiProperty({ type: [String], description: 'Results it states (the village served)' }) results!: string[];
}

/** Which checks a pasted credential passed. */
export class CredentialReportResponse {
  @ApiProperty({ description: 'No check failed; the proof, its key and the dates passed' }) valid!: boolean;
  @ApiProperty({ type: Boolean, nullable: true, description: 'null: the status was not checked' })
  revoked!: boolean | null;
  @ApiProperty({ type: [CredentialCheckResponse] }) checks!: CredentialCheckResponse[];
  @ApiProperty({ type: CredentialSummaryResponse, nullable: true })
  summary!: CredentialSummaryResponse | null;
}

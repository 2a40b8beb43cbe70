import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** The courses and evidence a certificate was granted on (as of the decision). */
export interface CertificateAssessment {
  courses: { courseId: string; courseVersionId: string; version: number; locale: string; title: string }[];
  averageQuizScore: number | null;
  households: number;
}

/**
 * A "Người bản số" certificate. Never deleted: revoked, superseded and expired ones still verify,
 * showing that status. The row is reserved (serial, code) in the decision's transaction; the
 * issuance job adds the PDF and the signed credential and sets `readyAt`.
 */
@Entity('certificates')
@Unique('certificates_issue_key_key', ['issueKey'])
@Unique('certificates_serial_key', ['serial'])
@Unique('certificates_verification_code_key', ['verificationCode'])
@Index('certificates_holder_idx', ['holderId', 'issuedAt'])
@Index('certificates_path_idx', { synchronize: false })
@Index('certificates_pending_idx', { synchronize: false })
@Index('certificates_status_entry_key', { synchronize: false })
@Index('certificates_unlisted_idx', { synchronize: false })
export class CertificateEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** What caused it, once: `application:<id>` or `correction:<certificate id>`. */
  @Column({ name: 'issue_key', type: 'varchar', length: 80 }) issueKey!: string;
  @Column({ type: 'varchar', length: 40 }) serial!: string;
  @Column({ name: 'verification_code', type: 'varchar', length: 40 }) verificationCode!: string;
  @Column({ name: 'programme_id', type: 'uuid' }) programmeId!: string;
  @Column({ name: 'application_id', type: 'uuid', nullable: true }) applicationId!: string | null;
  @Column({ name: 'holder_id', type: 'uuid' }) holderId!: string;
  /** As printed (NFC). */
  @Column({ name: 'holder_name', type: 'varchar', length: 120 }) holderName!: string;
  /** The language printed beside Vietnamese. */
  @Column({ name: 'holder_locale', type: 'varchar', length: 8 }) holderLocale!: string;
  @Column({ name: 'village_id', type: 'uuid' }) villageId!: string;
  @Column({ name: 'locality_path', type: 'text' }) localityPath!: string;
  @Column({ type: 'jsonb' }) assessment!: CertificateAssessment;
  @Column({ name: 'replaces_id', type: 'uuid', nullable: true }) replacesId!: string | null;
  @Column({ name: 'replacement_reason', type: 'varchar', length: 16, nullable: true })
  replacementReason!: 'renewal' | 'correction' | null;
  @Column({ name: 'issued_at', type: 'timestamptz' }) issuedAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'pdf_key', type: 'varchar', length: 300, nullable: true }) pdfKey!: string | null;
  @Column({ name: 'pdf_sha256', type: 'char', length: 64, nullable: true }) pdfSha256!: string | null;
  @Column({ name: 'pdf_bytes', type: 'int', nullable: true }) pdfBytes!: number | null;
  @Column({ name: 'credential_key', type: 'varchar', length: 300, nullable: true }) credentialKey!:
    string | null;
  @Column({ name: 'credential_key_id', type: 'varchar', length: 64, nullable: true })
  credentialKeyId!: string | null;
  /** Its entry in a revocation status list (null only for certificates signed before the lists). */
  @Column({ name: 'status_list_id', type: 'int', nullable: true }) statusListId!: number | null;
  @Column({ name: 'status_list_index', type: 'int', nullable: true }) statusListIndex!: number | null;
  @Column({ name: 'ready_at', type: 'timestamptz', nullable: true }) readyAt!: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @Column({ name: 'revoked_by', type: 'uuid', nullable: true }) revokedBy!: string | null;
  @Column({ name: 'revocation_reason', type: 'varchar', length: 1000, nullable: true })
  revocationReason!: string | null;
  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true }) supersededAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

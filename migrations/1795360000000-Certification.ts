import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Người bản số" certification: the programme, candidates' mentoring records, applications and
 * their audit trail, certificates (never deleted) with their serial counters, and the issuer's
 * signing keys.
 */
export class Certification1795360000000 implements MigrationInterface {
  name = 'Certification1795360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE certification_programmes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(40) NOT NULL CONSTRAINT certification_programmes_code_key UNIQUE,
        province_id uuid NOT NULL REFERENCES localities (id) ON DELETE RESTRICT,
        serial_prefix varchar(16) NOT NULL CONSTRAINT certification_programmes_serial_prefix_key UNIQUE
          CHECK (serial_prefix ~ '^[A-Z][A-Z0-9]{1,7}(-[A-Z0-9]{1,7})?$'),
        names jsonb NOT NULL,
        descriptions jsonb NOT NULL DEFAULT '{}',
        required_course_ids uuid[] NOT NULL DEFAULT '{}',
        min_average_quiz_score numeric(5, 2) NOT NULL CHECK (min_average_quiz_score BETWEEN 0 AND 100),
        min_households int NOT NULL CHECK (min_households BETWEEN 0 AND 1000),
        validity_months int NOT NULL CHECK (validity_months BETWEEN 1 AND 120),
        renewal_window_days int NOT NULL DEFAULT 90 CHECK (renewal_window_days BETWEEN 0 AND 365),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE mentoring_records (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        candidate_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        helped_on date NOT NULL,
        household varchar(120) NOT NULL,
        household_key varchar(120) NOT NULL,
        village_id uuid REFERENCES localities (id) ON DELETE RESTRICT,
        task varchar(40) NOT NULL,
        note varchar(500),
        photo_key varchar(300),
        photo_status varchar(16) CHECK (photo_status IN ('awaiting_upload', 'ready')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT mentoring_records_photo_pair CHECK ((photo_key IS NULL) = (photo_status IS NULL))
      )`);
    await q.query(
      `CREATE INDEX mentoring_records_candidate_idx ON mentoring_records (candidate_id, helped_on)`,
    );

    await q.query(`
      CREATE TABLE certification_applications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        programme_id uuid NOT NULL REFERENCES certification_programmes (id) ON DELETE RESTRICT,
        candidate_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        village_id uuid NOT NULL REFERENCES localities (id) ON DELETE RESTRICT,
        locality_path text NOT NULL,
        kind varchar(16) NOT NULL CHECK (kind IN ('initial', 'renewal')),
        renews_certificate_id uuid,
        nominated_by uuid REFERENCES users (id) ON DELETE RESTRICT,
        statement varchar(1000),
        status varchar(16) NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected', 'withdrawn')),
        eligibility jsonb NOT NULL,
        decided_by uuid REFERENCES users (id) ON DELETE RESTRICT,
        decided_at timestamptz,
        decision_reason varchar(1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT certification_applications_decided
          CHECK ((status IN ('approved', 'rejected')) = (decided_by IS NOT NULL AND decided_at IS NOT NULL)),
        CONSTRAINT certification_applications_maker_checker
          CHECK (decided_by IS NULL OR (decided_by <> candidate_id AND decided_by IS DISTINCT FROM nominated_by))
      )`);
    // One open application per candidate and programme.
    await q.query(`
      CREATE UNIQUE INDEX certification_applications_open_key ON certification_applications (candidate_id, programme_id)
        WHERE status = 'submitted'`);
    await q.query(
      `CREATE INDEX certification_applications_queue_idx ON certification_applications (status, created_at)`,
    );
    await q.query(
      `CREATE INDEX certification_applications_path_idx ON certification_applications (locality_path text_pattern_ops)`,
    );

    // Serial numbers without gaps or repeats: one counter row per prefix and year, taken under its row lock.
    await q.query(`
      CREATE TABLE certificate_serials (
        prefix varchar(16) NOT NULL,
        year int NOT NULL,
        last_number int NOT NULL,
        PRIMARY KEY (prefix, year)
      )`);

    await q.query(`
      CREATE TABLE certificates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        issue_key varchar(80) NOT NULL CONSTRAINT certificates_issue_key_key UNIQUE,
        serial varchar(40) NOT NULL CONSTRAINT certificates_serial_key UNIQUE,
        verification_code varchar(40) NOT NULL CONSTRAINT certificates_verification_code_key UNIQUE,
        programme_id uuid NOT NULL REFERENCES certification_programmes (id) ON DELETE RESTRICT,
        application_id uuid REFERENCES certification_applications (id) ON DELETE RESTRICT,
        holder_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        holder_name varchar(120) NOT NULL,
        holder_locale varchar(8) NOT NULL,
        village_id uuid NOT NULL REFERENCES localities (id) ON DELETE RESTRICT,
        locality_path text NOT NULL,
        assessment jsonb NOT NULL,
        replaces_id uuid REFERENCES certificates (id) ON DELETE RESTRICT,
        replacement_reason varchar(16) CHECK (replacement_reason IN ('renewal', 'correction')),
        issued_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        pdf_key varchar(300),
        pdf_sha256 char(64),
        pdf_bytes int,
        credential_key varchar(300),
        credential_key_id varchar(64),
        ready_at timestamptz,
        revoked_at timestamptz,
        revoked_by uuid REFERENCES users (id) ON DELETE RESTRICT,
        revocation_reason varchar(1000),
        superseded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT certificates_replacement_pair CHECK ((replaces_id IS NULL) = (replacement_reason IS NULL)),
        CONSTRAINT certificates_ready_has_files CHECK (
          ready_at IS NULL OR (pdf_key IS NOT NULL AND pdf_sha256 IS NOT NULL AND credential_key IS NOT NULL)),
        CONSTRAINT certificates_revoked_has_reason CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL)),
        CONSTRAINT certificates_expires_after_issue CHECK (expires_at > issued_at)
      )`);
    await q.query(`CREATE INDEX certificates_holder_idx ON certificates (holder_id, issued_at)`);
    await q.query(`CREATE INDEX certificates_path_idx ON certificates (locality_path text_pattern_ops)`);
    await q.query(
      `CREATE INDEX certificates_pending_idx ON certificates (created_at) WHERE ready_at IS NULL`,
    );
    await q.query(`
      ALTER TABLE certification_applications ADD CONSTRAINT certification_applications_renews_fk
        FOREIGN KEY (renews_certificate_id) REFERENCES certificates (id) ON DELETE RESTRICT`);

    // Who did what, when and why, to an application or a certificate. Append-only.
    await q.query(`
      CREATE TABLE certification_audit (
        id bigserial PRIMARY KEY,
        application_id uuid REFERENCES certification_applications (id) ON DELETE RESTRICT,
        certificate_id uuid REFERENCES certificates (id) ON DELETE RESTRICT,
        actor_id uuid REFERENCES users (id) ON DELETE RESTRICT,
        action varchar(24) NOT NULL,
        from_status varchar(16),
        to_status varchar(16),
        reason varchar(1000),
        at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT certification_audit_subject CHECK (application_id IS NOT NULL OR certificate_id IS NOT NULL)
      )`);
    await q.query(
      `CREATE INDEX certification_audit_application_idx ON certification_audit (application_id, id)`,
    );
    await q.query(
      `CREATE INDEX certification_audit_certificate_idx ON certification_audit (certificate_id, id)`,
    );
    await q.query(`
      CREATE FUNCTION certification_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'the certification audit trail is append-only' USING ERRCODE = 'BS001';
        END $$`);
    await q.query(`
      CREATE TRIGGER certification_audit_append_only BEFORE UPDATE OR DELETE ON certification_audit
        FOR EACH ROW EXECUTE FUNCTION certification_audit_append_only()`);

    // Ed25519 signing keys. The private key is sealed with a key derived from the platform secret.
    await q.query(`
      CREATE TABLE issuer_keys (
        kid varchar(64) PRIMARY KEY,
        public_jwk jsonb NOT NULL,
        sealed_private_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX issuer_keys_one_active_key ON issuer_keys ((true)) WHERE retired_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE issuer_keys`);
    await q.query(`DROP TABLE certification_audit`);
    await q.query(`DROP FUNCTION certification_audit_append_only`);
    await q.query(
      `ALTER TABLE certification_applications DROP CONSTRAINT certification_applications_renews_fk`,
    );
    await q.query(`DROP TABLE certificates`);
    await q.query(`DROP TABLE certificate_serials`);
    await q.query(`DROP TABLE certification_applications`);
    await q.query(`DROP TABLE mentoring_records`);
    await q.query(`DROP TABLE certification_programmes`);
  }
}

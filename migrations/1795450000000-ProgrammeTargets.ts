import type { MigrationInterface, QueryRunner } from 'typeorm';

const CERTIFICATE_COLUMNS = `c.id AS certificate_id, c.serial, c.holder_id, c.holder_name, c.village_id, c.locality_path,
               c.issued_at, c.expires_at`;
const VALID = `c.ready_at IS NOT NULL AND c.revoked_at IS NULL AND c.superseded_at IS NULL AND c.expires_at > now()`;

/**
 * The cockpit's foundations.
 *
 * - **Active ambassador**, one definition on the programme: a valid certificate whose holder
 *   helped a household ("1 kèm 5", the mentoring rollup) or was certified within the programme's
 *   `active_within_days` (90 by default), counted in Vietnam's calendar. `reporting_ambassadors`
 *   lists every valid certificate with its last help and whether it is active;
 *   `reporting_active_ambassadors` (coverage, the registry) keeps the active ones.
 * - **Targets** per programme, locality (the province or a commune) and deadline, append-only:
 *   each change is a new version with who made it; the highest version is the current one, and a
 *   `removed` version lets a commune inherit its share of the province's target again.
 */
export class ProgrammeTargets1795450000000 implements MigrationInterface {
  name = 'ProgrammeTargets1795450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE certification_programmes
         ADD COLUMN active_within_days int NOT NULL DEFAULT 90 CHECK (active_within_days BETWEEN 1 AND 730)`,
    );
    // What coverage reads, from the index alone (ActiveCertificatesByPlace), now with what "active" needs.
    await q.query(`DROP INDEX certificates_active_place_idx`);
    await q.query(
      `CREATE INDEX certificates_active_place_idx ON certificates (locality_path text_pattern_ops)
         INCLUDE (village_id, holder_id, expires_at, programme_id, issued_at)
         WHERE ready_at IS NOT NULL AND revoked_at IS NULL AND superseded_at IS NULL`,
    );
    await q.query(`DROP VIEW reporting_active_ambassadors`);
    await q.query(`
      CREATE VIEW reporting_ambassadors AS
        SELECT ${CERTIFICATE_COLUMNS}, m.last_helped_on,
               greatest((c.issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, m.last_helped_on)
                 >= (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - p.active_within_days AS active
          FROM certificates c
          JOIN certification_programmes p ON p.id = c.programme_id
          LEFT JOIN LATERAL (SELECT max(d.day) AS last_helped_on FROM reporting_mentor_days d
                              WHERE d.mentor_id = c.holder_id) m ON true
         WHERE ${VALID}`);
    await q.query(
      `CREATE VIEW reporting_active_ambassadors AS SELECT * FROM reporting_ambassadors WHERE active`,
    );

    await q.query(`
      CREATE TABLE reporting_targets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        programme_id uuid NOT NULL REFERENCES certification_programmes (id) ON DELETE CASCADE,
        locality_id uuid NOT NULL REFERENCES localities (id) ON DELETE CASCADE,
        version int NOT NULL CHECK (version >= 1),
        removed boolean NOT NULL DEFAULT false,
        deadline date,
        certified_ambassadors int CHECK (certified_ambassadors BETWEEN 0 AND 10000000),
        active_village_percent numeric(5, 2) CHECK (active_village_percent BETWEEN 0 AND 100),
        households_helped int CHECK (households_helped BETWEEN 0 AND 100000000),
        note varchar(300),
        changed_by uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        changed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reporting_targets_version_key UNIQUE (programme_id, locality_id, version),
        CONSTRAINT reporting_targets_set CHECK (removed OR deadline IS NOT NULL)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reporting_targets`);
    await q.query(`DROP VIEW reporting_active_ambassadors`);
    await q.query(`DROP VIEW reporting_ambassadors`);
    await q.query(`
      CREATE VIEW reporting_active_ambassadors AS
        SELECT ${CERTIFICATE_COLUMNS}
          FROM certificates c
         WHERE ${VALID}`);
    await q.query(`DROP INDEX certificates_active_place_idx`);
    await q.query(
      `CREATE INDEX certificates_active_place_idx ON certificates (locality_path text_pattern_ops)
         INCLUDE (village_id, holder_id, expires_at)
         WHERE ready_at IS NOT NULL AND revoked_at IS NULL AND superseded_at IS NULL`,
    );
    await q.query(`ALTER TABLE certification_programmes DROP COLUMN active_within_days`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

const CERTIFICATE_COLUMNS = `c.id AS certificate_id, c.serial, c.holder_id, c.holder_name, c.village_id, c.locality_path,
               c.issued_at, c.expires_at`;
const VALID = `c.ready_at IS NOT NULL AND c.revoked_at IS NULL AND c.superseded_at IS NULL AND c.expires_at > now()`;
const ACTIVE = `greatest((c.issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, m.last_helped_on)
                 >= (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - p.active_within_days AS active`;

/**
 * Each mentor's last day of help, kept by the rollups: "is this ambassador active" (coverage, the
 * registry, the dashboard) read it with one probe of `reporting_mentor_days` per certificate, 2,949
 * probes for the province (40 of the registry's 64 ms); a join to this table takes about one.
 * Mentoring rollups only ever grow, so the last day only moves forward.
 */
export class MentorLastHelp1795530000000 implements MigrationInterface {
  name = 'MentorLastHelp1795530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reporting_mentor_last (
        mentor_id uuid PRIMARY KEY,
        last_helped_on date NOT NULL
      )`);
    await q.query(`
      INSERT INTO reporting_mentor_last (mentor_id, last_helped_on)
      SELECT mentor_id, max(day) FROM reporting_mentor_days GROUP BY 1`);
    await q.query(`
      CREATE OR REPLACE VIEW reporting_ambassadors AS
        SELECT ${CERTIFICATE_COLUMNS}, m.last_helped_on, ${ACTIVE}
          FROM certificates c
          JOIN certification_programmes p ON p.id = c.programme_id
          LEFT JOIN reporting_mentor_last m ON m.mentor_id = c.holder_id
         WHERE ${VALID}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE VIEW reporting_ambassadors AS
        SELECT ${CERTIFICATE_COLUMNS}, m.last_helped_on, ${ACTIVE}
          FROM certificates c
          JOIN certification_programmes p ON p.id = c.programme_id
          LEFT JOIN LATERAL (SELECT max(d.day) AS last_helped_on FROM reporting_mentor_days d
                              WHERE d.mentor_id = c.holder_id) m ON true
         WHERE ${VALID}`);
    await q.query(`DROP TABLE reporting_mentor_last`);
  }
}

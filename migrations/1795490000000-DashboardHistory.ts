import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the dashboard's history needs: every certificate with its dates and its programme's
 * activity window (how many ambassadors were active at the end of each past week is computed from
 * these and the mentoring rollup, no snapshot needed), and an index for progress by course within
 * one place.
 */
export class DashboardHistory1795490000000 implements MigrationInterface {
  name = 'DashboardHistory1795490000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE VIEW reporting_ambassador_history AS
        SELECT c.id AS certificate_id, c.holder_id, c.locality_path, c.issued_at, c.expires_at, c.ready_at,
               c.revoked_at, p.active_within_days
          FROM certificates c JOIN certification_programmes p ON p.id = c.programme_id`);
    await q.query(
      `CREATE INDEX reporting_progress_totals_course_place_idx ON reporting_progress_totals (locality_path)
        WHERE course_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reporting_progress_totals_course_place_idx`);
    await q.query(`DROP VIEW reporting_ambassador_history`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How far each reminder scan has looked (e.g. learners who crossed 7 idle days up to this moment),
 * so a scan reads only what crossed since the last one instead of every idle enrolment again.
 */
export class ReminderScanMarks1795500000000 implements MigrationInterface {
  name = 'ReminderScanMarks1795500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_scan_marks (
        scan varchar(40) PRIMARY KEY,
        scanned_until timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_scan_marks`);
  }
}

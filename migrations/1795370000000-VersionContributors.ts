import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Four eyes needs everyone who had a hand in a version, not only who created and submitted it:
 * `contributors` lists every user who created, edited or submitted it. Open versions start with
 * their creator and submitter (published ones are immutable and need no reviewer any more).
 */
export class VersionContributors1795370000000 implements MigrationInterface {
  name = 'VersionContributors1795370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE course_versions ADD COLUMN contributors uuid[] NOT NULL DEFAULT '{}'`);
    await q.query(`
      UPDATE course_versions
         SET contributors = ARRAY(SELECT DISTINCT u FROM unnest(ARRAY[created_by, submitted_by]) AS u
                                   WHERE u IS NOT NULL)
       WHERE status IN ('draft', 'in_review')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE course_versions DROP COLUMN contributors`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Enrolments, starts and completions per locality (every level: province, commune, village, and
 * '' for everyone) and week (Monday, Vietnam's calendar): the dashboard's weekly trend reads a
 * dozen rows of one place instead of summing `reporting_course_days` under it (11 M rows on the
 * province data set; 2.8 s for the province's twelve weeks). Kept by the rollups like the others
 * (incremental with each batch of facts, and in a rebuild); filled here from the day rollup.
 */
export class AreaWeeks1795520000000 implements MigrationInterface {
  name = 'AreaWeeks1795520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reporting_area_weeks (
        locality_path text NOT NULL,
        week date NOT NULL,
        enrolled int NOT NULL DEFAULT 0,
        started int NOT NULL DEFAULT 0,
        completed int NOT NULL DEFAULT 0,
        PRIMARY KEY (locality_path, week)
      )`);
    await q.query(`
      INSERT INTO reporting_area_weeks (locality_path, week, enrolled, started, completed)
      SELECT a.path, date_trunc('week', d.day)::date, sum(d.enrolled), sum(d.started), sum(d.completed)
        FROM reporting_course_days d CROSS JOIN LATERAL reporting_ancestor_paths(d.locality_path) a
       WHERE d.enrolled + d.started + d.completed > 0
       GROUP BY 1, 2`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reporting_area_weeks`);
  }
}

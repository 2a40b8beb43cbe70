import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether, and from when, a programme's ranking between communes is public (counts only). Admins
 * decide; no row, or no date, means not published.
 */
export class RankingPublication1795460000000 implements MigrationInterface {
  name = 'RankingPublication1795460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reporting_ranking_publications (
        programme_id uuid PRIMARY KEY REFERENCES certification_programmes (id) ON DELETE CASCADE,
        published_from timestamptz,
        changed_by uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reporting_ranking_publications`);
  }
}

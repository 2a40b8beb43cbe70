import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Course and lesson summaries read aloud: a recording per language (media asset ids of kind
 * `audio`) beside each summary. Texts inside a lesson keep theirs in the lesson's content.
 */
export class SummaryVoice1795560000000 implements MigrationInterface {
  name = 'SummaryVoice1795560000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE course_versions ADD COLUMN summary_voice jsonb NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE lessons ADD COLUMN summary_voice jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lessons DROP COLUMN summary_voice`);
    await q.query(`ALTER TABLE course_versions DROP COLUMN summary_voice`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The active certificates of an area, from the index alone: coverage and the registry read every
 * active certificate under a place (`reporting_active_ambassadors`), and a certificate row is wide
 * (about 1.5 KB: names, keys, hashes), so a province's 3,000 were 550 pages of heap; this partial
 * index carries what those reports read (an index-only scan, a tenth of the pages).
 */
export class ActiveCertificatesByPlace1795440000000 implements MigrationInterface {
  name = 'ActiveCertificatesByPlace1795440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX certificates_active_place_idx ON certificates (locality_path text_pattern_ops)
         INCLUDE (village_id, holder_id, expires_at)
         WHERE ready_at IS NOT NULL AND revoked_at IS NULL AND superseded_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX certificates_active_place_idx`);
  }
}

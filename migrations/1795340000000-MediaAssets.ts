import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Trainers' videos and what the media pipeline made of them (see MediaAssetEntity). */
export class MediaAssets1795340000000 implements MigrationInterface {
  name = 'MediaAssets1795340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE media_assets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        status varchar(16) NOT NULL
          CHECK (status IN ('awaiting_upload', 'uploaded', 'processing', 'ready', 'failed')),
        file_name varchar(200) NOT NULL,
        content_type varchar(100) NOT NULL,
        declared_bytes bigint NOT NULL CHECK (declared_bytes > 0),
        source_key varchar(300) CONSTRAINT media_assets_source_key_key UNIQUE,
        source_bytes bigint,
        duration_seconds numeric(9, 3),
        width int,
        height int,
        renditions jsonb NOT NULL DEFAULT '[]',
        download jsonb,
        poster jsonb,
        failure jsonb,
        processing_runs int NOT NULL DEFAULT 0,
        attempts int NOT NULL DEFAULT 0,
        ready_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT media_assets_ready_has_files
          CHECK (status <> 'ready' OR (download IS NOT NULL AND poster IS NOT NULL AND ready_at IS NOT NULL)),
        CONSTRAINT media_assets_failed_has_reason CHECK ((status = 'failed') = (failure IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX media_assets_owner_idx ON media_assets (owner_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE media_assets`);
  }
}

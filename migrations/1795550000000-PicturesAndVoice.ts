import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pictures and voice recordings beside videos in `media_assets`: the same upload, confirmation,
 * processing run and failure states, with `kind` saying which pipeline makes the files,
 * `pictures` listing a picture's variants (WebP and JPEG at up to two widths) and `voice` the one
 * file a recording becomes (AAC in M4A, loudness-normalised).
 */
export class PicturesAndVoice1795550000000 implements MigrationInterface {
  name = 'PicturesAndVoice1795550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE media_assets
        ADD COLUMN kind varchar(8) NOT NULL DEFAULT 'video' CHECK (kind IN ('video', 'picture', 'audio')),
        ADD COLUMN pictures jsonb,
        ADD COLUMN voice jsonb`);
    // A ready asset has the files of its kind.
    await q.query(`ALTER TABLE media_assets DROP CONSTRAINT media_assets_ready_has_files`);
    await q.query(`
      ALTER TABLE media_assets ADD CONSTRAINT media_assets_ready_has_files CHECK (
        status <> 'ready' OR (ready_at IS NOT NULL AND CASE kind
          WHEN 'video' THEN download IS NOT NULL AND poster IS NOT NULL
          WHEN 'picture' THEN jsonb_array_length(pictures) > 0
          ELSE voice IS NOT NULL END))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM media_assets WHERE kind <> 'video'`);
    await q.query(`ALTER TABLE media_assets DROP CONSTRAINT media_assets_ready_has_files`);
    await q.query(`
      ALTER TABLE media_assets ADD CONSTRAINT media_assets_ready_has_files
        CHECK (status <> 'ready' OR (download IS NOT NULL AND poster IS NOT NULL AND ready_at IS NOT NULL))`);
    await q.query(`ALTER TABLE media_assets DROP COLUMN voice, DROP COLUMN pictures, DROP COLUMN kind`);
  }
}

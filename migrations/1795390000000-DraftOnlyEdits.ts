import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Only a draft changes. The authoring service checks that a version is a draft before it edits,
 * but an edit could pass that check just before a submission committed and land in the version
 * under review, unseen by its reviewer. The database now refuses it (SQLSTATE BS002): a version in
 * review keeps its texts and settings (only its contributors may still grow), and its lessons do
 * not change. A lesson write reads its version's status under a share lock, so it waits for a
 * submission in flight and sees its outcome.
 */
export class DraftOnlyEdits1795390000000 implements MigrationInterface {
  name = 'DraftOnlyEdits1795390000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION course_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.status IN ('published', 'superseded') THEN
            RAISE EXCEPTION 'published course versions cannot be deleted' USING ERRCODE = 'BS001';
          END IF;
          RETURN OLD;
        END IF;
        IF OLD.status IN ('published', 'superseded') AND NOT (
             OLD.status = 'published' AND NEW.status = 'superseded'
             AND (to_jsonb(NEW) - 'status' - 'updated_at') = (to_jsonb(OLD) - 'status' - 'updated_at')) THEN
          RAISE EXCEPTION 'published course versions are immutable' USING ERRCODE = 'BS001';
        END IF;
        IF OLD.status = 'in_review' AND NEW.status = 'in_review'
           AND (to_jsonb(NEW) - 'contributors' - 'updated_at')
               IS DISTINCT FROM (to_jsonb(OLD) - 'contributors' - 'updated_at') THEN
          RAISE EXCEPTION 'a course version in review cannot change' USING ERRCODE = 'BS002';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION lessons_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE v_status text;
      BEGIN
        SELECT status INTO v_status FROM course_versions
          WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.course_version_id ELSE OLD.course_version_id END
          FOR SHARE;
        IF v_status IN ('published', 'superseded') THEN
          RAISE EXCEPTION 'lessons of a published course version are immutable' USING ERRCODE = 'BS001';
        END IF;
        IF v_status = 'in_review' THEN
          RAISE EXCEPTION 'lessons of a course version in review cannot change' USING ERRCODE = 'BS002';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION course_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.status IN ('published', 'superseded') THEN
            RAISE EXCEPTION 'published course versions cannot be deleted' USING ERRCODE = 'BS001';
          END IF;
          RETURN OLD;
        END IF;
        IF OLD.status IN ('published', 'superseded') AND NOT (
             OLD.status = 'published' AND NEW.status = 'superseded'
             AND (to_jsonb(NEW) - 'status' - 'updated_at') = (to_jsonb(OLD) - 'status' - 'updated_at')) THEN
          RAISE EXCEPTION 'published course versions are immutable' USING ERRCODE = 'BS001';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION lessons_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE v_status text;
      BEGIN
        SELECT status INTO v_status FROM course_versions
          WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.course_version_id ELSE OLD.course_version_id END;
        IF v_status IN ('published', 'superseded') THEN
          RAISE EXCEPTION 'lessons of a published course version are immutable' USING ERRCODE = 'BS001';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Courses, their versions and lessons. A published version is immutable (enforced here by
 * triggers, not only by the service); editing makes a new draft version. `lesson_key` names the
 * same lesson across versions so progress and certificates can follow it.
 */
export class CourseCatalog1795330000000 implements MigrationInterface {
  name = 'CourseCatalog1795330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE courses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug varchar(80) NOT NULL CONSTRAINT courses_slug_key UNIQUE
          CONSTRAINT courses_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        owner_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        published_version_id uuid,
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX courses_owner_idx ON courses (owner_id)`);

    await q.query(`
      CREATE TABLE course_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
        version int NOT NULL CHECK (version >= 1),
        status varchar(16) NOT NULL CHECK (status IN ('draft', 'in_review', 'published', 'superseded')),
        topic varchar(40) NOT NULL,
        learner_group_ids uuid[] NOT NULL DEFAULT '{}',
        title jsonb NOT NULL CHECK (title ? 'vi'),
        summary jsonb NOT NULL DEFAULT '{}',
        languages text[] NOT NULL DEFAULT '{}',
        search_text text NOT NULL DEFAULT '',
        search_key text NOT NULL DEFAULT '',
        created_by uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        submitted_by uuid REFERENCES users (id) ON DELETE RESTRICT,
        submitted_at timestamptz,
        published_by uuid REFERENCES users (id) ON DELETE RESTRICT,
        published_at timestamptz,
        review_note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT course_versions_number_key UNIQUE (course_id, version),
        CONSTRAINT course_versions_four_eyes CHECK (published_by IS NULL OR (published_by <> created_by AND published_by <> submitted_by))
      )`);
    // One open (draft or in review) version per course at a time.
    await q.query(
      `CREATE UNIQUE INDEX course_versions_one_open ON course_versions (course_id) WHERE status IN ('draft', 'in_review')`,
    );
    await q.query(`CREATE INDEX course_versions_groups_idx ON course_versions USING gin (learner_group_ids)`);
    await q.query(`CREATE INDEX course_versions_languages_idx ON course_versions USING gin (languages)`);
    await q.query(`CREATE INDEX course_versions_topic_idx ON course_versions (topic)`);
    // search_key = f_search_key(search_text), stored at publication: the trigram index and its
    // recheck then read a plain column instead of running unaccent per row.
    await q.query(
      `CREATE INDEX course_versions_search_idx ON course_versions USING gin (search_key gin_trgm_ops)`,
    );
    await q.query(
      `CREATE INDEX course_versions_published_idx ON course_versions (published_at DESC, id) WHERE status = 'published'`,
    );
    await q.query(`
      ALTER TABLE courses ADD CONSTRAINT courses_published_version_fkey
        FOREIGN KEY (published_version_id) REFERENCES course_versions (id) ON DELETE RESTRICT`);

    await q.query(`
      CREATE TABLE lessons (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_version_id uuid NOT NULL REFERENCES course_versions (id) ON DELETE CASCADE,
        lesson_key uuid NOT NULL,
        position int NOT NULL CHECK (position >= 1),
        kind varchar(8) NOT NULL CHECK (kind IN ('video', 'quiz', 'guide')),
        required boolean NOT NULL DEFAULT true,
        title jsonb NOT NULL CHECK (title ? 'vi'),
        summary jsonb NOT NULL DEFAULT '{}',
        content jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT lessons_key_per_version UNIQUE (course_version_id, lesson_key),
        CONSTRAINT lessons_position_per_version UNIQUE (course_version_id, position) DEFERRABLE INITIALLY DEFERRED
      )`);
    await q.query(`CREATE INDEX lessons_key_idx ON lessons (lesson_key)`);

    // Published content is immutable: only the published → superseded status change is allowed,
    // and lessons of a published or superseded version cannot change or disappear.
    await q.query(`
      CREATE FUNCTION course_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
      CREATE TRIGGER course_versions_immutable BEFORE UPDATE OR DELETE ON course_versions
        FOR EACH ROW EXECUTE FUNCTION course_versions_guard()`);
    await q.query(`
      CREATE FUNCTION lessons_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE v_status text;
      BEGIN
        SELECT status INTO v_status FROM course_versions
          WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.course_version_id ELSE OLD.course_version_id END;
        IF v_status IN ('published', 'superseded') THEN
          RAISE EXCEPTION 'lessons of a published course version are immutable' USING ERRCODE = 'BS001';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await q.query(`
      CREATE TRIGGER lessons_immutable BEFORE INSERT OR UPDATE OR DELETE ON lessons
        FOR EACH ROW EXECUTE FUNCTION lessons_guard()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE lessons`);
    await q.query(`DROP FUNCTION lessons_guard()`);
    await q.query(`ALTER TABLE courses DROP CONSTRAINT courses_published_version_fkey`);
    await q.query(`DROP TABLE course_versions`);
    await q.query(`DROP FUNCTION course_versions_guard()`);
    await q.query(`DROP TABLE courses`);
  }
}

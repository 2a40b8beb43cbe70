import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Localities, learner groups, users, roles, sessions, login counters; search helpers. */
export class Foundation1795320000000 implements MigrationInterface {
  name = 'Foundation1795320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // unaccent() is only STABLE; an index needs an IMMUTABLE wrapper with the dictionary pinned.
    await q.query(`
      CREATE OR REPLACE FUNCTION f_search_key(text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, normalize($1, NFC))) $$`);

    await q.query(`
      CREATE TABLE localities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(16) NOT NULL,
        level varchar(16) NOT NULL CHECK (level IN ('province', 'commune', 'village')),
        kind varchar(24) NOT NULL,
        name varchar(120) NOT NULL,
        parent_id uuid REFERENCES localities (id) ON DELETE RESTRICT,
        path text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT localities_code_key UNIQUE (code),
        CONSTRAINT localities_parent_level CHECK ((level = 'province') = (parent_id IS NULL))
      )`);
    await q.query(`CREATE INDEX localities_parent_idx ON localities (parent_id)`);
    await q.query(`CREATE INDEX localities_path_idx ON localities (path text_pattern_ops)`);
    await q.query(
      `CREATE INDEX localities_name_search_idx ON localities USING gin (f_search_key(name) gin_trgm_ops)`,
    );

    await q.query(`
      CREATE TABLE learner_groups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(40) NOT NULL CONSTRAINT learner_groups_code_key UNIQUE,
        names jsonb NOT NULL CHECK (names ? 'vi'),
        descriptions jsonb NOT NULL DEFAULT '{}',
        sort_order int NOT NULL DEFAULT 100,
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        phone varchar(16) CONSTRAINT users_phone_key UNIQUE,
        email varchar(254) CONSTRAINT users_email_key UNIQUE,
        display_name varchar(120) NOT NULL,
        password_hash text NOT NULL,
        learner_group_id uuid REFERENCES learner_groups (id) ON DELETE RESTRICT,
        languages text[] NOT NULL DEFAULT '{vi}',
        village_id uuid REFERENCES localities (id) ON DELETE RESTRICT,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_identifier CHECK (phone IS NOT NULL OR email IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX users_village_idx ON users (village_id)`);
    await q.query(
      `CREATE INDEX users_name_search_idx ON users USING gin (f_search_key(display_name) gin_trgm_ops)`,
    );

    await q.query(`
      CREATE TABLE user_roles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role varchar(16) NOT NULL CHECK (role IN ('learner', 'trainer', 'coordinator', 'admin')),
        locality_id uuid REFERENCES localities (id) ON DELETE RESTRICT,
        granted_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT user_roles_unique UNIQUE NULLS NOT DISTINCT (user_id, role, locality_id),
        CONSTRAINT user_roles_scope CHECK ((role = 'coordinator') = (locality_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX user_roles_user_idx ON user_roles (user_id)`);

    await q.query(`
      CREATE TABLE auth_sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind varchar(8) NOT NULL CHECK (kind IN ('api', 'portal')),
        token_hash char(64) NOT NULL,
        previous_token_hash char(64),
        rotated_at timestamptz,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason varchar(40),
        user_agent varchar(300),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id)`);

    // Counters only: losing them in a crash merely resets limits, so skip the WAL.
    await q.query(`
      CREATE UNLOGGED TABLE rate_limit_counters (
        key text NOT NULL,
        window_start timestamptz NOT NULL,
        hits int NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (key, window_start)
      )`);
    await q.query(`CREATE INDEX rate_limit_counters_expiry_idx ON rate_limit_counters (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_counters`);
    await q.query(`DROP TABLE auth_sessions`);
    await q.query(`DROP TABLE user_roles`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE learner_groups`);
    await q.query(`DROP TABLE localities`);
    await q.query(`DROP FUNCTION f_search_key(text)`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff-made accounts: an account an admin (or a coordinator, for their area) creates waits for its
 * owner to set a password with a one-time invitation code. `users.activated_at` is null until then
 * (every existing account is active since it was made); `account_codes` keeps each code's hash,
 * who issued it, until when, and when it was used — also the audit of who invited whom.
 */
export class AccountInvitations1795480000000 implements MigrationInterface {
  name = 'AccountInvitations1795480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN activated_at timestamptz DEFAULT now()`);
    await q.query(`UPDATE users SET activated_at = created_at`);
    await q.query(`
      CREATE TABLE account_codes (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose varchar(16) NOT NULL CHECK (purpose IN ('invitation')),
        code_hash varchar(64) NOT NULL,
        issued_by uuid REFERENCES users (id) ON DELETE SET NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX account_codes_open_idx ON account_codes (user_id, purpose) WHERE used_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE account_codes`);
    await q.query(`ALTER TABLE users DROP COLUMN activated_at`);
  }
}

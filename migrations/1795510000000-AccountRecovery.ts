import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account recovery: one-time codes of purpose `recovery` in `account_codes`, issued by staff or an
 * ambassador (`issued_by`, channel `staff`) or texted to the learner (channel `sms`, no issuer).
 * `attempts` counts wrong tries against a code still open (RECOVERY_MAX_TRIES spends it). The rows
 * are the audit: who issued a code for whom, when, and when it was used.
 */
export class AccountRecovery1795510000000 implements MigrationInterface {
  name = 'AccountRecovery1795510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE account_codes DROP CONSTRAINT account_codes_purpose_check`);
    await q.query(
      `ALTER TABLE account_codes ADD CONSTRAINT account_codes_purpose_check CHECK (purpose IN ('invitation', 'recovery'))`,
    );
    await q.query(
      `ALTER TABLE account_codes
         ADD COLUMN channel varchar(8) NOT NULL DEFAULT 'staff' CHECK (channel IN ('staff', 'sms')),
         ADD COLUMN attempts smallint NOT NULL DEFAULT 0`,
    );
    await q.query(`CREATE INDEX account_codes_issued_by_idx ON account_codes (issued_by, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM account_codes WHERE purpose = 'recovery'`);
    await q.query(`DROP INDEX account_codes_issued_by_idx`);
    await q.query(`ALTER TABLE account_codes DROP COLUMN channel, DROP COLUMN attempts`);
    await q.query(`ALTER TABLE account_codes DROP CONSTRAINT account_codes_purpose_check`);
    await q.query(
      `ALTER TABLE account_codes ADD CONSTRAINT account_codes_purpose_check CHECK (purpose IN ('invitation'))`,
    );
  }
}

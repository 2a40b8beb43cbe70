import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open Badges 3.0 credentials with a Data Integrity proof and a W3C Bitstring Status List.
 * A list holds 131,072 entries (16 KB of bits); `allocated` counts the entries handed out, and a
 * keyed permutation of that count gives each credential its index, so indexes never collide and
 * do not reveal issue order. `version` grows with every flipped bit: the signed list is cached per
 * version. Certificates issued before keep their VC-JWT until the worker re-signs them (their
 * status entry is null until then).
 */
export class CredentialStatusLists1795570000000 implements MigrationInterface {
  name = 'CredentialStatusLists1795570000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE credential_status_lists (
        id serial PRIMARY KEY,
        status_purpose varchar(16) NOT NULL DEFAULT 'revocation' CHECK (status_purpose = 'revocation'),
        length int NOT NULL CHECK (length > 0 AND length % 8 = 0),
        allocated int NOT NULL DEFAULT 0,
        permutation_key bytea NOT NULL,
        bits bytea NOT NULL,
        version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (allocated <= length),
        CHECK (octet_length(bits) * 8 = length)
      )`);
    await q.query(`
      ALTER TABLE certificates
        ADD COLUMN status_list_id int REFERENCES credential_status_lists (id),
        ADD COLUMN status_list_index int,
        ADD CONSTRAINT certificates_status_entry_complete
          CHECK ((status_list_id IS NULL) = (status_list_index IS NULL))`);
    await q.query(`
      CREATE UNIQUE INDEX certificates_status_entry_key ON certificates (status_list_id, status_list_index)
        WHERE status_list_id IS NOT NULL`);
    // Ready certificates without a status entry: the worker's sweep re-signs them.
    await q.query(`
      CREATE INDEX certificates_unlisted_idx ON certificates (created_at)
        WHERE ready_at IS NOT NULL AND status_list_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX certificates_unlisted_idx`);
    await q.query(`DROP INDEX certificates_status_entry_key`);
    await q.query(`
      ALTER TABLE certificates DROP CONSTRAINT certificates_status_entry_complete,
        DROP COLUMN status_list_index, DROP COLUMN status_list_id`);
    await q.query(`DROP TABLE credential_status_lists`);
  }
}

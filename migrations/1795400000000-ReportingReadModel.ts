import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reporting module's read model. Staff reports used to join other modules' tables from inside
 * learning and certification; they now read these views (the only place where enrolments meet
 * users and localities, or certificates meet the registry's notion of "active") and one table the
 * reporting module owns and fills from the outbox.
 *
 * The outbox becomes readable exactly once, in order: each event records the id of the
 * transaction that wrote it (`tx`, xid8), and a consumer reads only events whose transaction is
 * older than every transaction still running (below its snapshot's xmin), so an event committed
 * late with a smaller `seq` can never be skipped. `outbox_checkpoints` holds each consumer's
 * position (tx, seq), advanced in the same transaction that applies the events.
 */
export class ReportingReadModel1795400000000 implements MigrationInterface {
  name = 'ReportingReadModel1795400000000';

  async up(q: QueryRunner): Promise<void> {
    // Learners with their group and where they live.
    await q.query(`
      CREATE VIEW reporting_learners AS
        SELECT u.id AS learner_id, u.learner_group_id, u.village_id, loc.path AS locality_path
          FROM users u LEFT JOIN localities loc ON loc.id = u.village_id`);
    await q.query(`
      CREATE VIEW reporting_enrolments AS
        SELECT e.learner_id, e.course_id, e.enrolled_at, e.started_at, e.completed_at,
               l.learner_group_id, l.locality_path
          FROM enrolments e JOIN reporting_learners l ON l.learner_id = e.learner_id`);
    // A certificate counts while it is issued, unrevoked, not replaced and unexpired.
    await q.query(`
      CREATE VIEW reporting_active_ambassadors AS
        SELECT c.id AS certificate_id, c.serial, c.holder_id, c.holder_name, c.village_id, c.locality_path,
               c.issued_at, c.expires_at
          FROM certificates c
         WHERE c.ready_at IS NOT NULL AND c.revoked_at IS NULL AND c.superseded_at IS NULL
           AND c.expires_at > now()`);
    await q.query(`
      CREATE VIEW reporting_villages AS
        SELECT id AS village_id, name, parent_id AS commune_id, path
          FROM localities WHERE level = 'village'`);

    // Daily counts per village, per metric, filled from the outbox (Vietnam's calendar day).
    await q.query(`
      CREATE TABLE reporting_daily_activity (
        day date NOT NULL,
        metric varchar(40) NOT NULL,
        locality_path text NOT NULL,
        count int NOT NULL CHECK (count >= 0),
        PRIMARY KEY (metric, locality_path, day)
      )`);
    await q.query(
      `CREATE INDEX reporting_daily_activity_place_idx ON reporting_daily_activity (locality_path text_pattern_ops, day)`,
    );

    await q.query(`ALTER TABLE domain_events ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id()`);
    await q.query(`CREATE INDEX domain_events_tx_idx ON domain_events (tx, seq)`);
    // Certificates issued and revoked before certification wrote these facts: appended once, in
    // the order they happened, so the first run of the activity consumer counts history too.
    for (const [type, at, where] of [
      ['certification.certificate_issued', 'issued_at', 'ready_at IS NOT NULL'],
      ['certification.certificate_revoked', 'revoked_at', 'revoked_at IS NOT NULL AND ready_at IS NOT NULL'],
    ]) {
      await q.query(`
        INSERT INTO domain_events (type, subject_id, payload, occurred_at)
        SELECT '${type}', id,
               jsonb_build_object('certificateId', id, 'holderId', holder_id, 'programmeId', programme_id,
                 'villageId', village_id, 'localityPath', locality_path,
                 'at', to_char(${at} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
               ${at}
          FROM certificates WHERE ${where} ORDER BY ${at}, id`);
    }
    await q.query(`
      CREATE TABLE outbox_checkpoints (
        consumer varchar(64) PRIMARY KEY,
        tx xid8 NOT NULL DEFAULT '0',
        seq bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox_checkpoints`);
    await q.query(`DELETE FROM domain_events WHERE type LIKE 'certification.%'`);
    await q.query(`DROP INDEX domain_events_tx_idx`);
    await q.query(`ALTER TABLE domain_events DROP COLUMN tx`);
    await q.query(`DROP TABLE reporting_daily_activity`);
    await q.query(`DROP VIEW reporting_villages`);
    await q.query(`DROP VIEW reporting_active_ambassadors`);
    await q.query(`DROP VIEW reporting_enrolments`);
    await q.query(`DROP VIEW reporting_learners`);
  }
}

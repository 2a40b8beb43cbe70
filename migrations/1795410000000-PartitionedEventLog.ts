import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log partitioned by the month it was received (UTC months of `received_at`).
 *
 * Why by receipt time: every insert lands in the current month's partition, whose indexes are small
 * and stay in memory however long the log grows; old months can be detached and archived whole;
 * vacuum works on one month at a time. (By learner hash, inserts would touch every partition's
 * index at random and nothing could ever be archived.)
 *
 * Idempotency no longer rests on a unique index: a partitioned table's unique keys must include
 * the partition key, and the same event replayed in a later month has a later `received_at`.
 * Events are written only under the learner's advisory lock (learning.repository.ts), which first
 * looks the learner's event ids up in every partition and in `progress_events_archived` — the ids
 * of months already archived — so a replay months later, across a partition boundary or after an
 * archive, is still a duplicate. The primary key (learner_id, id, received_at) serves those
 * lookups (a learner's events sit together in each partition's index).
 *
 * `progress_events_ensure_partitions(from, to)` creates the months that do not exist yet; this
 * migration, every API and worker at boot, and a daily worker job call it, so the current month and
 * the next two always exist. There is no default partition on purpose: rows in a default partition
 * would stop the month they belong to from ever being created.
 */
export class PartitionedEventLog1795410000000 implements MigrationInterface {
  name = 'PartitionedEventLog1795410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE progress_events RENAME TO progress_events_unpartitioned`);
    await q.query(
      `ALTER TABLE progress_events_unpartitioned RENAME CONSTRAINT progress_events_pkey TO progress_events_unpartitioned_pkey`,
    );
    await q.query(`
      CREATE TABLE progress_events (
        learner_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        id uuid NOT NULL,
        type varchar(24) NOT NULL,
        lesson_id uuid NOT NULL REFERENCES lessons (id) ON DELETE RESTRICT,
        lesson_key uuid NOT NULL,
        course_id uuid NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
        locale varchar(8) NOT NULL,
        client_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        payload jsonb NOT NULL,
        outcome jsonb,
        CONSTRAINT progress_events_pkey PRIMARY KEY (learner_id, id, received_at)
      ) PARTITION BY RANGE (received_at)`);
    await q.query(`
      CREATE TRIGGER progress_events_append_only BEFORE UPDATE OR DELETE ON progress_events
        FOR EACH ROW EXECUTE FUNCTION progress_events_append_only()`);
    await q.query(`
      CREATE FUNCTION progress_events_ensure_partitions(from_month date, to_month date) RETURNS integer
        LANGUAGE plpgsql AS $$
        DECLARE
          m date := date_trunc('month', from_month);
          made integer := 0;
          name text;
        BEGIN
          -- API and worker processes booting together: one creates, the others find it made.
          PERFORM pg_advisory_xact_lock(hashtext('progress_events_ensure_partitions'));
          WHILE m <= to_month LOOP
            name := format('progress_events_%s', to_char(m, 'YYYY_MM'));
            IF to_regclass(name) IS NULL
               AND NOT EXISTS (SELECT 1 FROM progress_event_archives a WHERE a.month = m) THEN
              EXECUTE format(
                'CREATE TABLE %I PARTITION OF progress_events FOR VALUES FROM (%L) TO (%L)',
                name, m::timestamp AT TIME ZONE 'UTC', (m + interval '1 month')::timestamp AT TIME ZONE 'UTC');
              made := made + 1;
            END IF;
            m := m + interval '1 month';
          END LOOP;
          RETURN made;
        END $$`);

    // What is left of archived months: their ids, for idempotency, and where the rows went.
    await q.query(`
      CREATE TABLE progress_events_archived (
        learner_id uuid NOT NULL,
        id uuid NOT NULL,
        CONSTRAINT progress_events_archived_pkey PRIMARY KEY (learner_id, id)
      )`);
    await q.query(`
      CREATE TABLE progress_event_archives (
        month date PRIMARY KEY CHECK (month = date_trunc('month', month)),
        object_key text NOT NULL,
        rows bigint NOT NULL,
        bytes bigint NOT NULL,
        sha256 char(64) NOT NULL,
        archived_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      SELECT progress_events_ensure_partitions(
        coalesce((SELECT min(received_at) FROM progress_events_unpartitioned) AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')::date,
        ((now() AT TIME ZONE 'UTC') + interval '2 months')::date)`);
    await q.query(`
      INSERT INTO progress_events
      SELECT learner_id, id, type, lesson_id, lesson_key, course_id, locale, client_at, received_at, payload, outcome
        FROM progress_events_unpartitioned`);
    await q.query(`DROP TABLE progress_events_unpartitioned`);
  }

  async down(q: QueryRunner): Promise<void> {
    const [{ archived }] = await q.query(`SELECT count(*)::int AS archived FROM progress_event_archives`);
    if (archived > 0) {
      throw new Error(
        `${archived} month(s) of progress events are archived in object storage; restore them ` +
          '(npm run events:archive -- restore MONTH) before reverting the partitioned event log.',
      );
    }
    await q.query(`
      CREATE TABLE progress_events_unpartitioned (
        learner_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        id uuid NOT NULL,
        type varchar(24) NOT NULL,
        lesson_id uuid NOT NULL REFERENCES lessons (id) ON DELETE RESTRICT,
        lesson_key uuid NOT NULL,
        course_id uuid NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
        locale varchar(8) NOT NULL,
        client_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        payload jsonb NOT NULL,
        outcome jsonb,
        CONSTRAINT progress_events_unpartitioned_pkey PRIMARY KEY (learner_id, id)
      )`);
    await q.query(`
      INSERT INTO progress_events_unpartitioned
      SELECT learner_id, id, type, lesson_id, lesson_key, course_id, locale, client_at, received_at, payload, outcome
        FROM progress_events`);
    await q.query(`DROP TABLE progress_events`);
    await q.query(`DROP FUNCTION progress_events_ensure_partitions(date, date)`);
    await q.query(`DROP TABLE progress_event_archives`);
    await q.query(`DROP TABLE progress_events_archived`);
    await q.query(`ALTER TABLE progress_events_unpartitioned RENAME TO progress_events`);
    await q.query(
      `ALTER TABLE progress_events RENAME CONSTRAINT progress_events_unpartitioned_pkey TO progress_events_pkey`,
    );
    await q.query(`
      CREATE TRIGGER progress_events_append_only BEFORE UPDATE OR DELETE ON progress_events
        FOR EACH ROW EXECUTE FUNCTION progress_events_append_only()`);
  }
}

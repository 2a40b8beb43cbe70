import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders: an inbox per user (`notifications`), the triggers each notification answers (each
 * trigger at most once, by its primary key), one delivery row per notification and channel (Web
 * Push, SMS) with the time it may go out (after quiet hours), channel opt-outs and the browsers a
 * user subscribed for Web Push. Also the index the inactive-learner reminder scans.
 */
export class Notifications1795470000000 implements MigrationInterface {
  name = 'Notifications1795470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind varchar(40) NOT NULL,
        params jsonb NOT NULL DEFAULT '{}',
        link varchar(300),
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX notifications_inbox_idx ON notifications (user_id, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL`);
    // Written before their notification in the same transaction (a trigger already taken means no
    // notification at all), hence the deferred foreign key.
    await q.query(`
      CREATE TABLE notification_triggers (
        trigger_key varchar(200) PRIMARY KEY,
        notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE
          DEFERRABLE INITIALLY DEFERRED,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX notification_triggers_notification_idx ON notification_triggers (notification_id)`,
    );
    await q.query(`
      CREATE TABLE notification_deliveries (
        notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
        channel varchar(8) NOT NULL CHECK (channel IN ('push', 'sms')),
        due_at timestamptz NOT NULL,
        status varchar(8) NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'sending', 'sent', 'skipped', 'failed')),
        attempts smallint NOT NULL DEFAULT 0,
        detail varchar(200),
        sent_at timestamptz,
        PRIMARY KEY (notification_id, channel)
      )`);
    await q.query(
      `CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (due_at) WHERE status = 'queued'`,
    );
    await q.query(`
      CREATE TABLE notification_opt_outs (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        channel varchar(8) NOT NULL CHECK (channel IN ('push', 'sms')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, channel)
      )`);
    await q.query(`
      CREATE TABLE push_subscriptions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        endpoint varchar(1000) NOT NULL UNIQUE,
        p256dh varchar(200) NOT NULL,
        auth varchar(100) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX push_subscriptions_user_idx ON push_subscriptions (user_id)`);
    await q.query(
      `CREATE INDEX enrolments_unfinished_activity_idx ON enrolments (last_activity_at) WHERE completed_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX enrolments_unfinished_activity_idx`);
    await q.query(
      `DROP TABLE push_subscriptions, notification_opt_outs, notification_deliveries, notification_triggers, notifications`,
    );
  }
}

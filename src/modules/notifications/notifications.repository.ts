import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { SqlRunner } from '../../infrastructure/outbox/outbox.js';
import type { Channel, NotificationKind, NotificationParams } from './notification-texts.js';

export interface NotificationRow {
  id: string;
  userId: string;
  kind: NotificationKind;
  params: NotificationParams;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  /** What it answers; a trigger already answered is never answered again. */
  triggers: string[];
  /** Its values, from the triggers not answered before (a reminder may group several). */
  params: (fresh: string[]) => NotificationParams;
  link: string | null;
  /** When push and SMS may go out (after quiet hours). */
  dueAt: Date;
}

/** A delivery claimed for sending, with what it carries. */
export interface ClaimedDelivery {
  notificationId: string;
  channel: Channel;
  attempts: number;
  userId: string;
  kind: NotificationKind;
  params: NotificationParams;
  link: string | null;
}

export interface PushSubscriptionRow {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

const NOTIFICATION_COLUMNS = `id, user_id AS "userId", kind, params, link, created_at AS "createdAt", read_at AS "readAt"`;

/** The inbox, its triggers and deliveries, channel opt-outs and Web Push subscriptions. */
@Injectable()
export class NotificationsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Stores a notification for the triggers not answered yet, with one queued delivery per channel,
   * in `sql`'s transaction or its own; null if every trigger was answered before, or the user is gone. Triggers are
   * taken first (their primary key decides between concurrent callers; the notification's
   * foreign key is checked at commit).
   */
  async create(n: NewNotification, sql?: SqlRunner): Promise<string | null> {
    if (!sql) return this.dataSource.transaction((m) => this.create(n, m));
    // A fact about an account that no longer exists (or never did) makes no notification: it must
    // not stop the facts after it. KEY SHARE holds the account until the notification commits.
    const [user] = (await sql.query(`SELECT 1 FROM users WHERE id = $1 FOR KEY SHARE`, [
      n.userId,
    ])) as unknown[];
    if (!user) return null;
    const id = randomUUID();
    const taken = (await sql.query(
      `INSERT INTO notification_triggers (trigger_key, notification_id)
       SELECT unnest($1::varchar[]), $2 ON CONFLICT DO NOTHING RETURNING trigger_key AS "key"`,
      [n.triggers, id],
    )) as { key: string }[];
    if (taken.length === 0) return null;
    await sql.query(
      `INSERT INTO notifications (id, user_id, kind, params, link) VALUES ($1, $2, $3, $4, $5)`,
      [id, n.userId, n.kind, JSON.stringify(n.params(taken.map((t) => t.key))), n.link],
    );
    await sql.query(
      `INSERT INTO notification_deliveries (notification_id, channel, due_at)
       VALUES ($1, 'push', $2), ($1, 'sms', $2)`,
      [id, n.dueAt],
    );
    return id;
  }

  /** How far a scan has looked, or null before its first run. */
  async scannedUntil(scan: string): Promise<Date | null> {
    const [row] = await this.dataSource.query<{ until: Date }[]>(
      `SELECT scanned_until AS until FROM notification_scan_marks WHERE scan = $1`,
      [scan],
    );
    return row?.until ?? null;
  }

  /** Records how far a scan looked; never moves back (a slower scan finishing late). */
  async markScanned(scan: string, until: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO notification_scan_marks AS m (scan, scanned_until) VALUES ($1, $2)
       ON CONFLICT (scan) DO UPDATE
         SET scanned_until = greatest(m.scanned_until, EXCLUDED.scanned_until), updated_at = now()`,
      [scan, until],
    );
  }

  /** Which of these triggers were answered already. */
  async answered(triggers: string[]): Promise<Set<string>> {
    const rows = await this.dataSource.query<{ key: string }[]>(
      `SELECT trigger_key AS "key" FROM notification_triggers WHERE trigger_key = ANY ($1::varchar[])`,
      [triggers],
    );
    return new Set(rows.map((r) => r.key));
  }

  async inbox(
    userId: string,
    page: { limit: number; offset: number; unreadOnly: boolean },
  ): Promise<{ items: NotificationRow[]; total: number; unread: number }> {
    const [items, [counts]] = await Promise.all([
      this.dataSource.query<NotificationRow[]>(
        `SELECT ${NOTIFICATION_COLUMNS} FROM notifications
          WHERE user_id = $1 AND ($4::boolean IS FALSE OR read_at IS NULL)
          ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
        [userId, page.limit, page.offset, page.unreadOnly],
      ),
      this.dataSource.query<{ total: number; unread: number }[]>(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread
           FROM notifications WHERE user_id = $1`,
        [userId],
      ),
    ]);
    return { items, total: page.unreadOnly ? counts.unread : counts.total, unread: counts.unread };
  }

  async unreadCount(userId: string): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL`,
      [userId],
    );
    return row.n;
  }

  /** Marks one of the user's notifications read (kept if already); null if it is not theirs. */
  async markRead(userId: string, id: string): Promise<NotificationRow | null> {
    const [rows] = (await this.dataSource.query(
      `UPDATE notifications SET read_at = coalesce(read_at, now())
        WHERE id = $1 AND user_id = $2 RETURNING ${NOTIFICATION_COLUMNS}`,
      [id, userId],
    )) as [NotificationRow[], number];
    return rows[0] ?? null;
  }

  async markAllRead(userId: string): Promise<number> {
    const [, count] = (await this.dataSource.query(
      `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`,
      [userId],
    )) as [unknown, number];
    return count;
  }

  async optOuts(userId: string): Promise<Set<Channel>> {
    const rows = await this.dataSource.query<{ channel: Channel }[]>(
      `SELECT channel FROM notification_opt_outs WHERE user_id = $1`,
      [userId],
    );
    return new Set(rows.map((r) => r.channel));
  }

  async setOptOut(userId: string, channel: Channel, optedOut: boolean): Promise<void> {
    await this.dataSource.query(
      optedOut
        ? `INSERT INTO notification_opt_outs (user_id, channel) VALUES ($1, $2) ON CONFLICT DO NOTHING`
        : `DELETE FROM notification_opt_outs WHERE user_id = $1 AND channel = $2`,
      [userId, channel],
    );
  }

  /**
   * Keeps a browser's subscription for the user. The endpoint is the browser's: subscribed again
   * (after a sign-in as someone else on a shared phone), it moves to the new user.
   */
  async saveSubscription(userId: string, s: Omit<PushSubscriptionRow, 'id'>): Promise<string> {
    const [row] = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (endpoint) DO UPDATE
         SET user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth
       RETURNING id`,
      [randomUUID(), userId, s.endpoint, s.p256dh, s.auth],
    );
    return row.id;
  }

  async deleteSubscription(userId: string, id: string): Promise<boolean> {
    const [, count] = (await this.dataSource.query(
      `DELETE FROM push_subscriptions WHERE id = $1 AND user_id = $2`,
      [id, userId],
    )) as [unknown, number];
    return count > 0;
  }

  async forgetSubscription(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM push_subscriptions WHERE id = $1`, [id]);
  }

  subscriptionsOf(userId: string): Promise<PushSubscriptionRow[]> {
    return this.dataSource.query(
      `SELECT id, endpoint, p256dh, auth FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at`,
      [userId],
    );
  }

  async subscriptionSent(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE push_subscriptions SET last_sent_at = now() WHERE id = $1`, [id]);
  }

  /**
   * Claims up to `limit` deliveries due at `now` (queued → sending). SKIP LOCKED: workers
   * claiming at once share the work, and each delivery is claimed once.
   */
  async claimDue(now: Date, limit: number): Promise<ClaimedDelivery[]> {
    const [rows] = (await this.dataSource.query(
      `WITH due AS (
         SELECT notification_id, channel FROM notification_deliveries
          WHERE status = 'queued' AND due_at <= $1
          ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE notification_deliveries d SET status = 'sending', attempts = d.attempts + 1
         FROM due, notifications n
        WHERE d.notification_id = due.notification_id AND d.channel = due.channel
          AND n.id = d.notification_id
       RETURNING d.notification_id AS "notificationId", d.channel, d.attempts, n.user_id AS "userId",
                 n.kind, n.params, n.link`,
      [now, limit],
    )) as [ClaimedDelivery[], number];
    return rows;
  }

  /** A claimed delivery's outcome: sent, skipped (opted out, nowhere to send) or failed for good. */
  async finish(
    d: Pick<ClaimedDelivery, 'notificationId' | 'channel'>,
    status: 'sent' | 'skipped' | 'failed',
    detail: string | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification_deliveries
          SET status = $3::varchar, detail = left($4, 200), sent_at = CASE WHEN $3::varchar = 'sent' THEN now() END
        WHERE notification_id = $1 AND channel = $2 AND status = 'sending'`,
      [d.notificationId, d.channel, status, detail],
    );
  }

  /** A claimed delivery that failed for now: queued again for `dueAt`. */
  async retryAt(d: Pick<ClaimedDelivery, 'notificationId' | 'channel'>, dueAt: Date, detail: string) {
    await this.dataSource.query(
      `UPDATE notification_deliveries SET status = 'queued', due_at = $3, detail = left($4, 200)
        WHERE notification_id = $1 AND channel = $2 AND status = 'sending'`,
      [d.notificationId, d.channel, dueAt, detail],
    );
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { UsersService } from '../identity/users.service.js';
import { SMS_GATEWAY, type SmsGateway } from '../../infrastructure/sms/sms-gateway.js';
import { WebPushChannel } from './channels.js';
import { QUIET_HOURS } from './delivery-rules.js';
import { renderNotification, type Channel } from './notification-texts.js';
import { NotificationsError, NotificationsErrorCode as Code } from './notifications.errors.js';
import { NotificationsRepository, type NotificationRow } from './notifications.repository.js';

/** A P-256 public key (65 bytes, uncompressed) and a 16-byte auth secret, base64url (RFC 8291). */
const isKey = (v: string, bytes: number) =>
  /^[A-Za-z0-9_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64url').length === bytes;

const hhmm = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** The inbox as its owner reads it, channel settings and Web Push subscriptions. */
@Injectable()
export class NotificationsService {
  constructor(
    @Inject(NotificationsRepository) private readonly repo: NotificationsRepository,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(WebPushChannel) private readonly push: WebPushChannel,
    @Inject(SMS_GATEWAY) private readonly sms: SmsGateway,
  ) {}

  /** The user's notifications, newest first, in the reader's languages. */
  async inbox(
    userId: string,
    q: { page: number; pageSize: number; unread?: boolean },
    chain: readonly string[],
  ) {
    const { items, total, unread } = await this.repo.inbox(userId, {
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
      unreadOnly: q.unread ?? false,
    });
    return {
      items: items.map((n) => this.view(n, chain)),
      page: q.page,
      pageSize: q.pageSize,
      total,
      unread,
    };
  }

  unreadCount(userId: string): Promise<number> {
    return this.repo.unreadCount(userId);
  }

  /** Another user's notification does not exist for the reader. */
  async markRead(userId: string, id: string, chain: readonly string[]) {
    const n = await this.repo.markRead(userId, id);
    if (!n) throw new NotificationsError(Code.NotificationNotFound, 'There is no such notification.');
    return this.view(n, chain);
  }

  async markAllRead(userId: string) {
    return { marked: await this.repo.markAllRead(userId) };
  }

  /** Per channel: on or off (the user's choice), and whether it can reach them at all. */
  async settings(userId: string) {
    const [optOuts, subscriptions, user] = await Promise.all([
      this.repo.optOuts(userId),
      this.repo.subscriptionsOf(userId),
      this.users.get(userId),
    ]);
    return {
      quietHours: {
        from: hhmm(QUIET_HOURS.from),
        until: hhmm(QUIET_HOURS.until),
        timeZone: 'Asia/Ho_Chi_Minh',
      },
      push: {
        enabled: !optOuts.has('push'),
        available: this.push.publicKey !== null,
        publicKey: this.push.publicKey,
        subscriptions: subscriptions.length,
      },
      sms: {
        enabled: !optOuts.has('sms'),
        available: this.sms.configured && !!user.phone,
        phone: user.phone,
      },
    };
  }

  async setChannel(userId: string, channel: Channel, enabled: boolean) {
    await this.repo.setOptOut(userId, channel, !enabled);
    return this.settings(userId);
  }

  /** Keeps a browser's Web Push subscription (the PushSubscription's JSON) for the user. */
  async subscribe(userId: string, s: { endpoint: string; keys: { p256dh: string; auth: string } }) {
    if (this.push.publicKey === null)
      throw new NotificationsError(Code.ChannelUnavailable, 'Web Push is not set up on this server.');
    if (!this.push.acceptsEndpoint(s.endpoint))
      throw new NotificationsError(
        Code.SubscriptionInvalid,
        'endpoint must be a browser push service address.',
        {
          fields: [{ field: 'endpoint', in: 'body', problems: ['NOT_A_PUSH_SERVICE'] }],
        },
      );
    for (const [field, bytes] of [
      ['p256dh', 65],
      ['auth', 16],
    ] as const) {
      if (!isKey(s.keys[field], bytes))
        throw new NotificationsError(
          Code.SubscriptionInvalid,
          `keys.${field} must be ${bytes} bytes in base64url.`,
          {
            fields: [{ field: `keys.${field}`, in: 'body', problems: ['MALFORMED_KEY'] }],
          },
        );
    }
    return { id: await this.repo.saveSubscription(userId, { endpoint: s.endpoint, ...s.keys }) };
  }

  async unsubscribe(userId: string, id: string): Promise<void> {
    if (!(await this.repo.deleteSubscription(userId, id)))
      throw new NotificationsError(Code.SubscriptionNotFound, 'There is no such subscription.');
  }

  private view(n: NotificationRow, chain: readonly string[]) {
    const { title, body, locale } = renderNotification(n.kind, n.params, chain);
    return {
      id: n.id,
      kind: n.kind,
      title,
      body,
      locale,
      link: n.link,
      createdAt: n.createdAt.toISOString(),
      readAt: n.readAt?.toISOString() ?? null,
    };
  }
}

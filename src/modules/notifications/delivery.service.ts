import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { UsersService } from '../identity/users.service.js';
import { DeliveryFailed, SMS_GATEWAY, type SmsGateway } from '../../infrastructure/sms/sms-gateway.js';
import { WebPushChannel } from './channels.js';
import { afterQuietHours } from './delivery-rules.js';
import { renderNotification, renderSms } from './notification-texts.js';
import { NotificationsRepository, type ClaimedDelivery } from './notifications.repository.js';

const BATCH = 100;
/** Deliveries one run settles at most (at ~50 ms a gateway call, about two minutes). */
const MAX_PER_RUN = 2_000;
/** A delivery that failed for now is tried again up to this many times in all. */
export const MAX_ATTEMPTS = 5;
/** Waits before the next attempt: 1, 5, 30 minutes, then 2 hours. */
const RETRY_MINUTES = [1, 5, 30, 120];

type Outcome = { status: 'sent' | 'skipped' | 'failed'; detail: string | null } | null;

/**
 * Sends what is due: each delivery is claimed once (queued → sending, SKIP LOCKED), then sent and
 * marked sent, skipped or failed, or queued again after a temporary failure (never into quiet
 * hours). A user's opt-out, phone and subscriptions are read at sending time, so an opt-out made
 * during the night stops a reminder queued in the evening. A worker that dies between the claim
 * and the gateway's answer leaves the delivery `sending`: it is not sent twice (at most once for
 * that crash; once in every other case).
 */
@Injectable()
export class DeliveryService {
  private readonly log = new Logger(DeliveryService.name);

  constructor(
    @Inject(NotificationsRepository) private readonly repo: NotificationsRepository,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(WebPushChannel) private readonly push: WebPushChannel,
    @Inject(SMS_GATEWAY) private readonly sms: SmsGateway,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Sends what is due at `now`, up to MAX_PER_RUN (a run stays short; the next one goes on);
   * returns how many deliveries were settled.
   */
  async deliverDue(now = new Date()): Promise<number> {
    let settled = 0;
    while (settled < MAX_PER_RUN) {
      const claimed = await this.repo.claimDue(now, BATCH);
      if (claimed.length === 0) return settled;
      const contacts = await this.users.contacts(claimed.map((d) => d.userId));
      const optOuts = new Map<string, Awaited<ReturnType<NotificationsRepository['optOuts']>>>();
      for (const d of claimed) {
        const contact = contacts.get(d.userId);
        if (!optOuts.has(d.userId)) optOuts.set(d.userId, await this.repo.optOuts(d.userId));
        let outcome: Outcome;
        try {
          outcome =
            !contact || contact.disabledAt
              ? { status: 'skipped', detail: 'account disabled' }
              : optOuts.get(d.userId)!.has(d.channel)
                ? { status: 'skipped', detail: 'opted out' }
                : d.channel === 'sms'
                  ? await this.sendSms(d, contact.phone, contact.languages)
                  : await this.sendPush(d, contact.languages);
        } catch (e) {
          outcome = await this.failed(d, e, now);
        }
        // Outside the try: a sent message whose bookkeeping failed must not be sent again.
        if (outcome) await this.repo.finish(d, outcome.status, outcome.detail);
        settled++;
      }
      if (claimed.length < BATCH) return settled;
    }
    return settled;
  }

  private async sendSms(
    d: ClaimedDelivery,
    phone: string | null,
    chain: string[],
  ): Promise<NonNullable<Outcome>> {
    if (!this.sms.configured) return { status: 'skipped', detail: 'no SMS gateway' };
    if (!phone) return { status: 'skipped', detail: 'no phone number' };
    const unicode = this.config.notifications.sms?.unicode ?? false;
    await this.sms.send(phone, renderSms(d.kind, d.params, chain, unicode), unicode ? 'ucs2' : 'gsm7');
    return { status: 'sent', detail: null };
  }

  /** To every browser the user subscribed; sent if at least one push service took it. */
  private async sendPush(d: ClaimedDelivery, chain: string[]): Promise<NonNullable<Outcome>> {
    if (!this.push.publicKey) return { status: 'skipped', detail: 'Web Push is off' };
    const subscriptions = await this.repo.subscriptionsOf(d.userId);
    if (subscriptions.length === 0) return { status: 'skipped', detail: 'no subscription' };
    const { title, body } = renderNotification(d.kind, d.params, chain);
    const payload = { id: d.notificationId, title, body, url: d.link ?? '/notifications' };
    let sent = 0;
    let failure: unknown;
    for (const s of subscriptions) {
      try {
        if ((await this.push.send(s, payload)) === 'gone') await this.repo.forgetSubscription(s.id);
        else {
          sent++;
          await this.repo.subscriptionSent(s.id);
        }
      } catch (e) {
        failure = e;
      }
    }
    if (sent > 0) return { status: 'sent', detail: null };
    if (failure) throw failure;
    return { status: 'skipped', detail: 'every subscription had expired' };
  }

  /** Failed for good (an Outcome), or queued again for later (null). */
  private async failed(d: ClaimedDelivery, e: unknown, now: Date): Promise<Outcome> {
    const detail = e instanceof Error ? e.message : String(e);
    const permanent = e instanceof DeliveryFailed && e.permanent;
    if (permanent || d.attempts >= MAX_ATTEMPTS) {
      this.log.warn(`${d.channel} delivery of ${d.notificationId} failed for good: ${detail}`);
      return { status: 'failed', detail };
    }
    const wait = RETRY_MINUTES[Math.min(d.attempts, RETRY_MINUTES.length) - 1] * 60_000;
    await this.repo.retryAt(d, afterQuietHours(new Date(now.getTime() + wait)), detail);
    return null;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';

/** A channel (SMS, Web Push) refused a message; `permanent`: trying again will not help. */
export class DeliveryFailed extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }

  /** A channel's HTTP answer other than 2xx: 4xx other than 408 and 429 is permanent. */
  static answered(channel: string, status: number): DeliveryFailed {
    return new DeliveryFailed(
      `${channel} answered ${status}`,
      status >= 400 && status < 500 && status !== 408 && status !== 429,
    );
  }
}

/** A channel's answer (SMS gateway, push service) may take this long. */
export const CHANNEL_TIMEOUT_MS = 10_000;

/**
 * The SMS provider interface: one text to one phone number (E.164). The platform ships one
 * adapter, HttpSmsGateway; a provider with another protocol gets its own class here. Used by
 * reminders (notifications) and by account recovery (identity).
 */
export interface SmsGateway {
  readonly configured: boolean;
  send(to: string, text: string, encoding: 'gsm7' | 'ucs2'): Promise<void>;
}

export const SMS_GATEWAY = Symbol('SmsGateway');

/**
 * An HTTP SMS gateway (SMS_GATEWAY_URL): `POST` a JSON `{ to, text, encoding }` with
 * `Authorization: Bearer SMS_GATEWAY_TOKEN`; any 2xx means accepted. 4xx other than 408 and 429
 * is permanent (a bad number); anything else is tried again later.
 */
@Injectable()
export class HttpSmsGateway implements SmsGateway {
  private readonly sms: AppConfig['notifications']['sms'];

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.sms = config.notifications.sms;
  }

  get configured() {
    return !!this.sms;
  }

  async send(to: string, text: string, encoding: 'gsm7' | 'ucs2'): Promise<void> {
    if (!this.sms) throw new DeliveryFailed('no SMS gateway is configured', true);
    let status: number;
    try {
      const res = await fetch(this.sms.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.sms.token && { authorization: `Bearer ${this.sms.token}` }),
        },
        body: JSON.stringify({ to, text, encoding }),
        signal: AbortSignal.timeout(CHANNEL_TIMEOUT_MS),
        redirect: 'error',
      });
      status = res.status;
      await res.body?.cancel();
    } catch (e) {
      throw new DeliveryFailed(`SMS gateway unreachable: ${(e as Error).message}`, false);
    }
    if (status >= 200 && status < 300) return;
    throw DeliveryFailed.answered('SMS gateway', status);
  }
}

/** The provider a module lists to inject SMS_GATEWAY (stateless; SMS_GATEWAY_URL unset: not `configured`). */
export const SMS_GATEWAY_PROVIDER = { provide: SMS_GATEWAY, useClass: HttpSmsGateway };

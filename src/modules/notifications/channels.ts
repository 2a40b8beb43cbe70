import { Inject, Injectable } from '@nestjs/common';
import webpush from 'web-push';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { CHANNEL_TIMEOUT_MS, DeliveryFailed } from '../../infrastructure/sms/sms-gateway.js';

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** Whether browsers may be asked to subscribe, and the key they subscribe with. */
@Injectable()
export class WebPushChannel {
  private readonly vapid: AppConfig['notifications']['vapid'];
  private readonly hosts: string[];

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.vapid = config.notifications.vapid;
    this.hosts = config.notifications.pushEndpointHosts;
  }

  /** The VAPID public key browsers subscribe with; null when Web Push is off. */
  get publicKey(): string | null {
    return this.vapid?.publicKey ?? null;
  }

  /**
   * Whether the platform may post to this endpoint: a browser vendor's push service (https, a
   * host of PUSH_ENDPOINT_HOSTS). Else a subscription would make the worker post to any address a
   * user chose. Plain http only to a loopback host named in the list (tests).
   */
  acceptsEndpoint(endpoint: string): boolean {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return false;
    }
    const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const listed = this.hosts.some((h) => (h.startsWith('.') ? host.endsWith(h) : host === h));
    if (!listed || url.username || url.password) return false;
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '::1'].includes(host);
  }

  /**
   * Sends one encrypted message (RFC 8291) with a VAPID signature (RFC 8292), kept by the push
   * service for a day if the phone is offline. 'gone': the subscription expired (404/410), forget it.
   * A 413 (payload too large) or other 4xx is permanent; 429, 5xx and timeouts are tried again.
   */
  async send(target: PushTarget, payload: object): Promise<'sent' | 'gone'> {
    if (!this.vapid) throw new DeliveryFailed('Web Push is off (no VAPID keys)', true);
    if (!this.acceptsEndpoint(target.endpoint)) return 'gone';
    // web-push encrypts and signs; the request itself goes by fetch (a timeout, no redirects).
    const request = webpush.generateRequestDetails(
      { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
      JSON.stringify(payload),
      { vapidDetails: this.vapid, TTL: 24 * 3600, urgency: 'normal' },
    );
    let status: number;
    try {
      const res = await fetch(request.endpoint, {
        method: request.method,
        // fetch sets Content-Length itself.
        headers: Object.fromEntries(
          Object.entries(request.headers)
            .filter(([k]) => k.toLowerCase() !== 'content-length')
            .map(([k, v]) => [k, String(v)]),
        ),
        body: request.body ? new Uint8Array(request.body) : undefined,
        signal: AbortSignal.timeout(CHANNEL_TIMEOUT_MS),
        redirect: 'error',
      });
      status = res.status;
      await res.body?.cancel();
    } catch (e) {
      throw new DeliveryFailed(`push service unreachable: ${(e as Error).message}`, false);
    }
    if (status >= 200 && status < 300) return 'sent';
    if (status === 404 || status === 410) return 'gone';
    throw DeliveryFailed.answered('push service', status);
  }
}

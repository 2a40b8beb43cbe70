/**
 * When a reminder may leave: quiet hours in Vietnam's time (pure, delivery-rules.spec.ts). The
 * shape of an SMS is infrastructure/sms/sms-text.ts.
 */

/** Asia/Ho_Chi_Minh: UTC+7 all year (no daylight saving). */
const VIETNAM_OFFSET_MS = 7 * 3600_000;

/** No push or SMS from 21:00 to 07:00, Vietnam's time; the inbox fills at any hour. */
export const QUIET_HOURS = { from: 21, until: 7 } as const;

/** `at` itself outside quiet hours, else the 07:00 (Vietnam) that ends them. */
export function afterQuietHours(at: Date): Date {
  const local = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  const hour = local.getUTCHours();
  if (hour >= QUIET_HOURS.until && hour < QUIET_HOURS.from) return at;
  const morning = new Date(local);
  morning.setUTCHours(QUIET_HOURS.until, 0, 0, 0);
  if (hour >= QUIET_HOURS.from) morning.setUTCDate(morning.getUTCDate() + 1);
  return new Date(morning.getTime() - VIETNAM_OFFSET_MS);
}

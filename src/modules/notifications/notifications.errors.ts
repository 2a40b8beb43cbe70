import { DomainError, errorStatuses } from '../../infrastructure/errors/domain-error.js';

export enum NotificationsErrorCode {
  NotificationNotFound = 'NOTIFICATION_NOT_FOUND',
  SubscriptionNotFound = 'NOTIFICATION_SUBSCRIPTION_NOT_FOUND',
  /** The push endpoint is not a known browser push service, or its keys are malformed. */
  SubscriptionInvalid = 'NOTIFICATION_SUBSCRIPTION_INVALID',
  /** Web Push is off (no VAPID keys), or no SMS gateway is configured. */
  ChannelUnavailable = 'NOTIFICATION_CHANNEL_UNAVAILABLE',
}

/** The HTTP status of each code (read by the JSON filter and the portal's pages). */
export const NOTIFICATIONS_ERROR_STATUS = errorStatuses({
  [NotificationsErrorCode.NotificationNotFound]: 404,
  [NotificationsErrorCode.SubscriptionNotFound]: 404,
  [NotificationsErrorCode.SubscriptionInvalid]: 400,
  [NotificationsErrorCode.ChannelUnavailable]: 409,
} satisfies Record<NotificationsErrorCode, number>);

export class NotificationsError extends DomainError {}

/**
 * A browser event saying the unread count may have changed: the live stream saw a change,
 * or the person marked something read. The bell refetches its count on it.
 */
export const NOTIFICATIONS_CHANGED = "greenlight:notifications-changed";

export function announceNotificationsChanged(): void {
  window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
}

import "server-only";
import { recordSecurityEvent } from "../audit/record";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";

// A person's inbox: the notifications written for them in the transactions of the changes
// (lib/notifications/notify.ts). Every read and write here is of the caller's own rows
// only (`recipientId: actor.id` in the query itself): someone else's notification is
// "not found", never read or changed.
//
// Marking read is personal state, not a change to a rollout: it is recorded in the
// security log (no rollout ledger event, so no rollout page is told to refresh).

export const INBOX_PAGE_SIZE = 25;

/** Only people read an inbox: a token acts through the API, which has none. */
function assertPerson(actor: Actor): void {
  if (actor.scopes) throw new AppError("FORBIDDEN", { key: "errors.api.scopeMissing", values: { scope: "session" } });
}

export async function countUnreadNotifications(actor: Actor): Promise<number> {
  assertPerson(actor);
  return getDb().notification.count({ where: { recipientId: actor.id, readAt: null } });
}

/**
 * One page of the inbox, newest first (`page` from 1), with the rollout's name, the
 * unread count, and whether an older page exists: two statements.
 */
export async function listNotifications(actor: Actor, { page }: { page: number }) {
  assertPerson(actor);
  const db = getDb();
  const [rows, unread] = await Promise.all([
    db.notification.findMany({
      where: { recipientId: actor.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * INBOX_PAGE_SIZE,
      take: INBOX_PAGE_SIZE + 1,
      select: { id: true, kind: true, link: true, createdAt: true, readAt: true, targetType: true, subject: true, rollout: { select: { name: true, slug: true } } },
    }),
    db.notification.count({ where: { recipientId: actor.id, readAt: null } }),
  ]);
  return { notifications: rows.slice(0, INBOX_PAGE_SIZE), hasOlder: rows.length > INBOX_PAGE_SIZE, unread, page };
}

/** Marks one of the caller's own notifications read; another person's is "not found" and stays as it was. */
export async function markNotificationRead(actor: Actor, notificationId: string, now = new Date()): Promise<{ changed: boolean }> {
  assertPerson(actor);
  return getDb().$transaction(async (tx) => {
    const own = await tx.notification.findFirst({ where: { id: notificationId, recipientId: actor.id }, select: { readAt: true } });
    if (!own) throw new AppError("NOT_FOUND", { key: "errors.notifications.notFound" });
    if (own.readAt) return { changed: false };
    await tx.notification.updateMany({ where: { id: notificationId, recipientId: actor.id, readAt: null }, data: { readAt: now } });
    await recordSecurityEvent(tx, { actorId: actor.id, action: "notification.read", targetType: "Notification", targetId: notificationId });
    return { changed: true };
  });
}

/** Marks every unread notification of the caller read, and no one else's. */
export async function markAllNotificationsRead(actor: Actor, now = new Date()): Promise<{ count: number }> {
  assertPerson(actor);
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.notification.updateMany({ where: { recipientId: actor.id, readAt: null }, data: { readAt: now } });
    if (count > 0) await recordSecurityEvent(tx, { actorId: actor.id, action: "notification.all-read", targetType: "User", targetId: actor.id, details: { count } });
    return { count };
  });
}

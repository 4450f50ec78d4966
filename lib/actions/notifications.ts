"use server";

import { revalidatePath } from "next/cache";
import { markAllNotificationsRead, markNotificationRead } from "../dal/notifications";
import { runAction, type ActionResult } from "../server/action";
import { markAllNotificationsReadSchema, markNotificationReadSchema } from "../validation/notifications";

// The inbox: mark one of my notifications read (a button, or opening it), or all of them.
// Only the caller's own rows: the data layer looks them up by recipient.

export async function markNotificationReadAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(markNotificationReadSchema, formData, async (actor, { notificationId }) => {
    const { changed } = await markNotificationRead(actor, notificationId);
    if (changed) revalidatePath("/notifications");
    return { ok: true };
  });
}

export async function markAllNotificationsReadAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(markAllNotificationsReadSchema, formData, async (actor) => {
    const { count } = await markAllNotificationsRead(actor);
    revalidatePath("/notifications");
    return { ok: true, message: { key: "messages.notifications.allRead", values: { count } } };
  });
}

"use server";

import { revalidatePath } from "next/cache";
import { markAllNotificationsRead, markNotificationRead } from "../dal/notifications";
import { runAction, type ActionResult } from "../server/action";
import { updateNotificationPreferences } from "../dal/notification-preferences";
import { markAllNotificationsReadSchema, markNotificationReadSchema, preferencesFromForm, updateNotificationPreferencesSchema } from "../validation/notifications";

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

/** My notification settings: a channel per kind and the daily digest (the account page). */
export async function updateNotificationPreferencesAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(updateNotificationPreferencesSchema, preferencesFromForm(formData), async (actor, input) => {
    const { changed } = await updateNotificationPreferences(actor, input);
    if (changed) revalidatePath("/account");
    return { ok: true, message: { key: changed ? "messages.notifications.preferencesSaved" : "messages.nothingChanged" } };
  });
}

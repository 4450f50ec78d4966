import { z } from "zod";
import { NotificationChannel, NotificationKind } from "../generated/prisma/enums";
import { invalid } from "../i18n/zod";
import { id as idSchema } from "./input";

export const markNotificationReadSchema = z.object({ notificationId: idSchema() });
export type MarkNotificationReadInput = z.infer<typeof markNotificationReadSchema>;

/** Marking all read takes nothing: it is always the caller's own inbox. */
export const markAllNotificationsReadSchema = z.object({});

/** The kinds a person sets a channel for (every kind there is). */
export const NOTIFICATION_KINDS = Object.values(NotificationKind);
export const NOTIFICATION_CHANNELS = Object.values(NotificationChannel);

const channel = z.enum(NotificationChannel, { error: invalid("validation.notificationChannel") });

/**
 * My notification settings: a channel per kind (`channel.<KIND>`; a kind left out keeps its
 * setting) and the daily digest ("on" / "true" from a checkbox, absent or "off" for no).
 */
export const updateNotificationPreferencesSchema = z.object({
  channels: z.strictObject(Object.fromEntries(Object.values(NotificationKind).map((kind) => [kind, channel.optional()])) as Record<NotificationKind, z.ZodOptional<typeof channel>>, {
    error: (issue) => (issue.code === "unrecognized_keys" ? invalid("validation.notificationKind")() : undefined),
  }),
  dailyDigest: z.boolean(),
});
export type UpdateNotificationPreferencesInput = z.infer<typeof updateNotificationPreferencesSchema>;

/** The form's fields (`channel.ITEM_ASSIGNED=EMAIL`, `dailyDigest=on`) as the schema's object. */
export function preferencesFromForm(input: unknown): unknown {
  if (!(input instanceof FormData)) return input;
  const channels: Record<string, unknown> = {};
  for (const [key, value] of input.entries()) if (key.startsWith("channel.")) channels[key.slice("channel.".length)] = value;
  const digest = input.get("dailyDigest");
  return { channels, dailyDigest: digest === "on" || digest === "true" };
}

import { z } from "zod";
import { id as idSchema } from "./input";

export const markNotificationReadSchema = z.object({ notificationId: idSchema() });
export type MarkNotificationReadInput = z.infer<typeof markNotificationReadSchema>;

/** Marking all read takes nothing: it is always the caller's own inbox. */
export const markAllNotificationsReadSchema = z.object({});

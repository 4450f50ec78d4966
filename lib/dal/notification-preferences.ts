import "server-only";
import { recordSecurityEvent } from "../audit/record";
import { getMemberships } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { emailEnabled } from "../email/config";
import { AppError } from "../errors";
import type { NotificationChannel, NotificationKind } from "../generated/prisma/enums";
import { DEFAULT_CHANNEL } from "../notifications/notify";
import { NOTIFICATION_KINDS, type UpdateNotificationPreferencesInput } from "../validation/notifications";

// A person's notification settings (issue 14): a channel per kind and the daily digest.
// Only their own: every query names `userId: actor.id`; there is no way to name anyone
// else. People only: an API token has no settings to change.

function assertPerson(actor: Actor): void {
  if (actor.scopes) throw new AppError("FORBIDDEN", { key: "errors.api.scopeMissing", values: { scope: "session" } });
}

export type NotificationPreferences = {
  channels: Record<NotificationKind, NotificationChannel>;
  /** The kinds that can reach me, in the order the settings list them. */
  kinds: NotificationKind[];
  dailyDigest: boolean;
  emailEnabled: boolean;
};

/**
 * Kinds only some people can ever receive: a disabled webhook is told to the admins of its
 * rollout (the admin role, or a custom role based on it), so only someone who is an admin
 * somewhere is offered a setting for it.
 */
const ADMINS_ONLY: readonly NotificationKind[] = ["WEBHOOK_DISABLED"];

/**
 * My settings, every kind filled in (no row: both): one statement (relations by joins),
 * beside the membership lookup the request shares.
 */
export async function getNotificationPreferences(actor: Actor): Promise<NotificationPreferences> {
  assertPerson(actor);
  const [mine, memberships] = await Promise.all([
    getDb().user.findUnique({
      where: { id: actor.id },
      select: { notificationPreferences: { select: { kind: true, channel: true } }, notificationSettings: { select: { dailyDigest: true } } },
    }),
    getMemberships(actor.id),
  ]);
  const admin = memberships.some((m) => m.roles.includes("ADMIN"));
  const kinds = NOTIFICATION_KINDS.filter((kind) => admin || !ADMINS_ONLY.includes(kind));
  const rows = mine?.notificationPreferences ?? [];
  const settings = mine?.notificationSettings;
  const channels = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, rows.find((r) => r.kind === kind)?.channel ?? DEFAULT_CHANNEL])) as Record<NotificationKind, NotificationChannel>;
  return { channels, kinds, dailyDigest: settings?.dailyDigest ?? false, emailEnabled: emailEnabled() };
}

/**
 * Saves my settings. Turning the digest off sends what it held now (HELD → PENDING); turning
 * it on holds only what comes next. Recorded in the security log when anything changed.
 */
export async function updateNotificationPreferences(actor: Actor, input: UpdateNotificationPreferencesInput): Promise<{ changed: boolean }> {
  assertPerson(actor);
  return getDb().$transaction(async (tx) => {
    const [rows, settings] = await Promise.all([
      tx.notificationPreference.findMany({ where: { userId: actor.id }, select: { kind: true, channel: true } }),
      tx.notificationSettings.findUnique({ where: { userId: actor.id }, select: { dailyDigest: true } }),
    ]);
    const changes = Object.entries(input.channels).filter(([kind, channel]) => (rows.find((r) => r.kind === kind)?.channel ?? DEFAULT_CHANNEL) !== channel) as [NotificationKind, NotificationChannel][];
    const digestBefore = settings?.dailyDigest ?? false;
    if (changes.length === 0 && digestBefore === input.dailyDigest) return { changed: false };
    for (const [kind, channel] of changes) {
      await tx.notificationPreference.upsert({ where: { userId_kind: { userId: actor.id, kind } }, create: { userId: actor.id, kind, channel }, update: { channel } });
    }
    if (digestBefore !== input.dailyDigest) {
      await tx.notificationSettings.upsert({ where: { userId: actor.id }, create: { userId: actor.id, dailyDigest: input.dailyDigest }, update: { dailyDigest: input.dailyDigest } });
      if (!input.dailyDigest) await tx.emailJob.updateMany({ where: { recipientId: actor.id, status: "HELD" }, data: { status: "PENDING", nextAttemptAt: new Date() } });
    }
    await recordSecurityEvent(tx, { actorId: actor.id, action: "notification.preferences", targetType: "User", targetId: actor.id, details: { channels: Object.fromEntries(changes), dailyDigest: input.dailyDigest } });
    return { changed: true };
  });
}

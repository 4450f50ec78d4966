import type { Prisma } from "../generated/prisma/client";
import type { NotificationChannel, NotificationKind } from "../generated/prisma/enums";
import { emailEnabled } from "../email/config";

type Tx = Prisma.TransactionClient;

export type NotifyInput = {
  rolloutId: string;
  kind: NotificationKind;
  /** Who acted: never told about their own change. */
  actorId: string | null;
  recipients: readonly (string | null | undefined)[];
  /** The ledger event that recorded the change (none for a reminder). */
  eventSeq: number | null;
  targetType: string;
  targetId: string;
  /** What it is about (the item's text, the sign-off's title, the phase's name); looked up when not given. */
  subject?: string | null;
  /** Where the notification leads, below the rollout (`/r/<slug>` + this). */
  path: string;
};

/** The channel a person chose for a kind; no choice is both. */
export const DEFAULT_CHANNEL: NotificationChannel = "BOTH";

export const inApp = (channel: NotificationChannel) => channel === "IN_APP" || channel === "BOTH";
export const byEmail = (channel: NotificationChannel) => channel === "EMAIL" || channel === "BOTH";

/** The item's text, the sign-off's title or the phase's name, as it reads now. */
async function subjectOf(tx: Tx, targetType: string, targetId: string): Promise<string | null> {
  if (targetType === "ChecklistItem") return (await tx.checklistItem.findUnique({ where: { id: targetId }, select: { text: true } }))?.text ?? null;
  if (targetType === "SignOff") return (await tx.signOff.findUnique({ where: { id: targetId }, select: { title: true } }))?.title ?? null;
  if (targetType === "Phase") return (await tx.phase.findUnique({ where: { id: targetId }, select: { name: true } }))?.name ?? null;
  return null;
}

/**
 * Tells each recipient (once, never the actor, only active members of the rollout) about a
 * change, inside the change's own transaction: the notification exists exactly when the
 * change and its ledger event do. Each person's preference for the kind decides how: in the
 * portal (a Notification row), by email (an EmailJob row, the email outbox; HELD for the
 * daily digest when they chose one), both, or not at all. Without SMTP settings no email
 * job is written. Any kind works: the email path reads only the kind's name.
 * Returns the people told (by either channel).
 */
export async function notify(tx: Tx, input: NotifyInput): Promise<string[]> {
  const wanted = [...new Set(input.recipients.filter((id): id is string => Boolean(id) && id !== input.actorId))];
  if (wanted.length === 0) return [];
  const email = emailEnabled();
  const [rollout, members, preferences, digests] = await Promise.all([
    tx.rollout.findUniqueOrThrow({ where: { id: input.rolloutId }, select: { slug: true } }),
    tx.rolloutMember.findMany({ where: { rolloutId: input.rolloutId, userId: { in: wanted }, user: { active: true } }, select: { userId: true }, distinct: ["userId"] }),
    tx.notificationPreference.findMany({ where: { userId: { in: wanted }, kind: input.kind }, select: { userId: true, channel: true } }),
    email ? tx.notificationSettings.findMany({ where: { userId: { in: wanted }, dailyDigest: true }, select: { userId: true } }) : Promise.resolve([]),
  ]);
  const channelOf = (id: string) => preferences.find((p) => p.userId === id)?.channel ?? DEFAULT_CHANNEL;
  const recipients = wanted.filter((id) => members.some((m) => m.userId === id) && channelOf(id) !== "NONE");
  if (recipients.length === 0) return [];
  const subject = input.subject !== undefined ? input.subject : await subjectOf(tx, input.targetType, input.targetId);
  const link = `/r/${rollout.slug}${input.path}`;
  const portal = recipients.filter((id) => inApp(channelOf(id)));
  if (portal.length > 0) {
    await tx.notification.createMany({
      data: portal.map((recipientId) => ({
        recipientId,
        rolloutId: input.rolloutId,
        kind: input.kind,
        eventSeq: input.eventSeq,
        targetType: input.targetType,
        targetId: input.targetId,
        subject,
        link,
      })),
    });
  }
  const mailed = email ? recipients.filter((id) => byEmail(channelOf(id))) : [];
  if (mailed.length > 0) {
    await tx.emailJob.createMany({
      data: mailed.map((recipientId) => ({
        recipientId,
        kind: input.kind,
        rolloutId: input.rolloutId,
        subject,
        link,
        status: digests.some((d) => d.userId === recipientId) ? ("HELD" as const) : ("PENDING" as const),
      })),
    });
  }
  return recipients;
}

/**
 * The people who work on a phase: holders of the roles that own its items (a custom role
 * by its id), and the people its items are assigned to. Also the phase's position, for links.
 */
export async function phaseWorkers(tx: Tx, phaseId: string): Promise<{ position: number; userIds: string[] }> {
  const phase = await tx.phase.findUniqueOrThrow({
    where: { id: phaseId },
    select: { position: true, rolloutId: true, items: { select: { ownerRole: true, ownerCustomRoleId: true, assigneeId: true } } },
  });
  const keys = [...new Set(phase.items.map((i) => i.ownerCustomRoleId ?? i.ownerRole).filter((k): k is string => Boolean(k)))];
  const holders = keys.length
    ? await tx.rolloutMember.findMany({ where: { rolloutId: phase.rolloutId, roleKey: { in: keys } }, select: { userId: true } })
    : [];
  const userIds = [...new Set([...holders.map((h) => h.userId), ...phase.items.map((i) => i.assigneeId).filter((id): id is string => Boolean(id))])];
  return { position: phase.position, userIds };
}

/**
 * The approvers of a phase's sign-offs (holders of a required role or custom role), per
 * sign-off; with `pendingOnly`, only sign-offs still awaiting a decision.
 */
export async function phaseApprovers(tx: Tx, phaseId: string, pendingOnly = false): Promise<{ signOffId: string; userIds: string[] }[]> {
  const signOffs = await tx.signOff.findMany({
    where: { phaseId, ...(pendingOnly ? { status: "PENDING" } : {}) },
    select: { id: true, rolloutId: true, requiredRoles: true, requiredCustomRoleIds: true },
    orderBy: { position: "asc" },
  });
  if (signOffs.length === 0) return [];
  const keys = [...new Set(signOffs.flatMap((s) => [...s.requiredRoles, ...s.requiredCustomRoleIds]))];
  const holders = await tx.rolloutMember.findMany({ where: { rolloutId: signOffs[0].rolloutId, roleKey: { in: keys } }, select: { userId: true, roleKey: true } });
  return signOffs.map((s) => {
    const wanted = new Set<string>([...s.requiredRoles, ...s.requiredCustomRoleIds]);
    return { signOffId: s.id, userIds: [...new Set(holders.filter((h) => wanted.has(h.roleKey)).map((h) => h.userId))] };
  });
}

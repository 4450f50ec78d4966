import type { Prisma } from "../generated/prisma/client";
import type { NotificationKind } from "../generated/prisma/enums";

type Tx = Prisma.TransactionClient;

export type NotifyInput = {
  rolloutId: string;
  kind: NotificationKind;
  /** Who acted: never told about their own change. */
  actorId: string | null;
  recipients: readonly (string | null | undefined)[];
  /** The ledger event that recorded the change. */
  eventSeq: number;
  targetType: string;
  targetId: string;
  /** Where the notification leads, below the rollout (`/r/<slug>` + this). */
  path: string;
};

/**
 * Tells each recipient (once, never the actor, only active members of the rollout) about a
 * change, inside the change's own transaction: the notification exists exactly when the
 * change and its ledger event do.
 */
export async function notify(tx: Tx, input: NotifyInput): Promise<string[]> {
  const wanted = [...new Set(input.recipients.filter((id): id is string => Boolean(id) && id !== input.actorId))];
  if (wanted.length === 0) return [];
  const [rollout, members] = await Promise.all([
    tx.rollout.findUniqueOrThrow({ where: { id: input.rolloutId }, select: { slug: true } }),
    tx.rolloutMember.findMany({ where: { rolloutId: input.rolloutId, userId: { in: wanted }, user: { active: true } }, select: { userId: true }, distinct: ["userId"] }),
  ]);
  const recipients = wanted.filter((id) => members.some((m) => m.userId === id));
  if (recipients.length === 0) return [];
  await tx.notification.createMany({
    data: recipients.map((recipientId) => ({
      recipientId,
      rolloutId: input.rolloutId,
      kind: input.kind,
      eventSeq: input.eventSeq,
      targetType: input.targetType,
      targetId: input.targetId,
      link: `/r/${rollout.slug}${input.path}`,
    })),
  });
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

import type { SignOffCardData } from "@/components/sign-offs/sign-off-card";
import { can } from "../auth/permissions";
import { isClosed } from "../domain/phase";
import { evaluateQuorum } from "../domain/sign-off";
import { isApprover, roleKeyOf, type RoleRef } from "../domain/roles";
import type { DecisionValue, PhaseStatus, Role, SignOffStatus } from "../generated/prisma/enums";
import { decidesAs, formatAmount } from "./dashboard";

// A sign-off as its card shows it, from any read that holds what the card needs (a rollout
// snapshot's sign-off, or a page's bounded read): the card's rules in one place. Pure.

/** What a card reads of a sign-off: the row, its phase's status and its decisions with their authors' names. */
export type CardSignOff = {
  id: string;
  title: string;
  status: SignOffStatus;
  reference: string | null;
  description: string | null;
  amountCents: bigint | null;
  currency: string | null;
  requiredRoles: Role[];
  requiredCustomRoleIds: string[];
  approvalsNeeded: number;
  everyRole: boolean;
  dueAt: Date | null;
  version: number;
  phase: { status: PhaseStatus } | null;
  decisions: readonly {
    id: string;
    userId: string;
    role: Role;
    customRoleId: string | null;
    value: DecisionValue;
    comment: string | null;
    decidedAt: Date;
    withdrawnAt: Date | null;
    user: { name: string };
  }[];
};

/** Who looks at the card, and the members it may name as awaited (at least those holding a role that decides it). */
export type CardViewer = {
  rollout: { archived: boolean };
  roles: readonly Role[];
  holdings: readonly RoleRef[];
  actorId: string;
  customRoles: readonly { id: string; name: string }[];
  members: readonly { role: Role; customRoleId: string | null; user: { id: string; name: string } }[];
};

/** Whether the card says whom it waits for: a pending sign-off whose phase is not closed. */
export function showsWaiting(signOff: Pick<CardSignOff, "status" | "phase">): boolean {
  return signOff.status === "PENDING" && !(signOff.phase && isClosed(signOff.phase.status));
}

export function signOffCard(signOff: CardSignOff, viewer: CardViewer, locale: string): SignOffCardData {
  const quorum = evaluateQuorum(signOff, signOff.decisions);
  const standing = signOff.decisions.filter((d) => d.withdrawnAt === null);
  const decided = new Set(standing.map((d) => d.userId));
  const mine = standing.find((d) => d.userId === viewer.actorId)?.value ?? null;
  const canDecide = !viewer.rollout.archived && viewer.holdings.some((h) => decidesAs(signOff, h));
  const waiting = new Map<string, { name: string; role: string }>();
  for (const member of viewer.members) {
    if (isApprover(signOff, member) && !decided.has(member.user.id) && !waiting.has(member.user.id)) {
      waiting.set(member.user.id, { name: member.user.name, role: roleKeyOf(member) });
    }
  }
  return {
    id: signOff.id,
    title: signOff.title,
    status: signOff.status,
    reference: signOff.reference,
    description: signOff.description,
    amount: formatAmount(signOff.amountCents, signOff.currency, locale),
    approvals: quorum.approvals,
    needed: quorum.needed,
    missingRoles: signOff.status === "PENDING" ? [...quorum.missingRoles, ...quorum.missingCustomRoleIds] : [],
    requiredRoles: [...signOff.requiredRoles, ...signOff.requiredCustomRoleIds],
    roleNames: Object.fromEntries(viewer.customRoles.map((c) => [c.id, c.name])),
    dueAt: signOff.dueAt,
    closed: signOff.phase ? isClosed(signOff.phase.status) : false,
    decisions: standing.map((d) => ({ id: d.id, userId: d.userId, userName: d.user.name, role: roleKeyOf(d), value: d.value, comment: d.comment, decidedAt: d.decidedAt })),
    waitingFor: [...waiting.values()],
    mine,
    canDecide,
    version: signOff.version,
    canRename: !viewer.rollout.archived && can(viewer.roles, "plan.edit"),
    canWithdrawOthers: !viewer.rollout.archived && can(viewer.roles, "signoff.withdraw.others"),
    actorId: viewer.actorId,
  };
}

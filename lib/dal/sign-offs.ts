import "server-only";
import { notify, phaseWorkers } from "../notifications/notify";
import { recordAudit } from "../audit/record";
import { actorCan, assertCan, assertNotArchived } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { isClosed } from "../domain/phase";
import { isApprover } from "../domain/roles";
import type { RoleRef } from "../domain/roles";
import { evaluateQuorum } from "../domain/sign-off";
import { getRoleHoldings } from "./roles";
import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { Role } from "../generated/prisma/enums";
import type { DecideSignOffInput, RenameSignOffInput, WithdrawDecisionInput, WithdrawOthersDecisionInput } from "../validation/workflows";

type Tx = Prisma.TransactionClient;

async function loadSignOff(actor: Actor, signOffId: string) {
  const signOff = await getDb().signOff.findUnique({
    where: { id: signOffId },
    include: { phase: { select: { status: true, name: true } } },
  });
  if (!signOff) throw new AppError("NOT_FOUND", { key: "errors.signOffs.noSuchSignOff" });
  await assertCan(actor, signOff.rolloutId, "rollout.view");
  return signOff;
}

/**
 * The role the actor decides as: one they hold that the sign-off names among its approvers
 * (a built-in role, or a custom role by id: a custom role's holder does not decide as its
 * base role) and whose rights include deciding. The kind never decides who approves.
 */
async function decidingRole(actor: Actor, signOff: { rolloutId: string; requiredRoles: Role[]; requiredCustomRoleIds: string[] }): Promise<RoleRef> {
  await assertNotArchived(actor, signOff.rolloutId);
  const holdings = await getRoleHoldings(actor.id, signOff.rolloutId);
  const role = holdings.find((h) => actorCan(actor, [h.role], "signoff.decide") && isApprover(signOff, h));
  if (!role) throw new AppError("FORBIDDEN", { key: "errors.signOffs.roleDoesNotDecide" });
  return role;
}

/**
 * Recomputes the sign-off's status from its standing decisions. The caller holds the
 * sign-off's row lock, so concurrent deciders see each other's decisions.
 */
async function refreshStatus(tx: Tx, signOffId: string) {
  const signOff = await tx.signOff.findUniqueOrThrow({ where: { id: signOffId }, include: { decisions: true } });
  const quorum = evaluateQuorum(signOff, signOff.decisions);
  if (quorum.status !== signOff.status) {
    await tx.signOff.update({ where: { id: signOffId }, data: { status: quorum.status, version: { increment: 1 } } });
  }
  return { before: signOff.status, ...quorum };
}

/**
 * Inside the writer's transaction: the phase must still be open. The shared row lock
 * waits for a concurrent "mark done" (which locks the phase for update) and then sees
 * its result, so no decision slips in after the gate closed. `what` names what the
 * refusal says can no longer change.
 */
export async function assertGateOpen(tx: Tx, phaseId: string | null, what: "checklist" | "signOffs" | "decisions") {
  if (!phaseId) return;
  const [phase] = await tx.$queryRaw<{ name: string; status: string }[]>`SELECT name, status::text AS status FROM "Phase" WHERE id = ${phaseId} FOR SHARE`;
  if (phase && isClosed(phase.status as Parameters<typeof isClosed>[0])) {
    throw new AppError("CONFLICT", { key: "errors.phases.closed", values: { phase: phase.name, what } });
  }
}

/**
 * The plan's items that this sign-off's approval completes ("Approve production
 * deployment" as an action): ticked in the decision's transaction, each with its own event.
 */
async function completeLinkedItems(tx: Tx, actor: Actor, signOff: { id: string; rolloutId: string; title: string }) {
  const items = await tx.checklistItem.findMany({ where: { signOffId: signOff.id, state: "OPEN" }, select: { id: true, state: true, version: true } });
  const now = new Date();
  for (const item of items) {
    await tx.checklistItem.update({
      where: { id: item.id },
      data: { state: "DONE", stateChangedById: actor.id, stateChangedAt: now, version: { increment: 1 } },
    });
    await recordAudit(tx, {
      rolloutId: signOff.rolloutId,
      actorId: actor.id,
      action: "item.state.changed",
      targetType: "ChecklistItem",
      targetId: item.id,
      before: { state: item.state, version: item.version },
      after: { state: "DONE", completedBy: signOff.title, completedBySignOffId: signOff.id },
    });
  }
}

/** Locks the sign-off's row for the rest of the transaction and returns its wording as it now stands. */
async function lockSignOff(tx: Tx, signOffId: string): Promise<string> {
  const [row] = await tx.$queryRaw<{ title: string }[]>`SELECT title FROM "SignOff" WHERE id = ${signOffId} FOR UPDATE`;
  return row!.title;
}

/** `recorded` is false for a repeat of the standing decision. */
export type DecideOutcome = { recorded: boolean; status: string };

/**
 * Records the actor's decision once. A repeat of the same decision (double-click, retry,
 * replay) records nothing and says so; a different decision must withdraw the first.
 */
export async function decideSignOff(actor: Actor, input: DecideSignOffInput, expectedVersion?: number): Promise<DecideOutcome> {
  const signOff = await loadSignOff(actor, input.signOffId);
  const role = await decidingRole(actor, signOff);
  return getDb().$transaction(async (tx) => {
    await assertGateOpen(tx, signOff.phaseId, "signOffs");
    // The wording read under the lock: a rename cannot slip in between reading and deciding.
    const title = await lockSignOff(tx, signOff.id);
    // A caller that names the version it saw (the API's If-Match) decides only on that one.
    if (expectedVersion !== undefined) {
      const fresh = await tx.signOff.findUniqueOrThrow({ where: { id: signOff.id } });
      if (fresh.version !== expectedVersion) throw new AppError("STALE", { key: "errors.signOffs.staleDecision", values: { version: fresh.version } }, { fresh });
    }
    const existing = await tx.signOffDecision.findUnique({ where: { signOffId_userId: { signOffId: signOff.id, userId: actor.id } } });
    if (existing && existing.withdrawnAt === null) {
      if (existing.value === input.value) {
        const { status } = await refreshStatus(tx, signOff.id);
        return { recorded: false, status };
      }
      throw new AppError("CONFLICT", { key: "errors.signOffs.alreadyDecided", values: { value: existing.value } });
    }
    const decidedAt = new Date();
    if (existing) {
      await tx.signOffDecision.update({
        where: { id: existing.id },
        data: { value: input.value, title, comment: input.comment ?? null, role: role.role, customRoleId: role.customRoleId, decidedAt, withdrawnAt: null, withdrawnById: null, version: { increment: 1 } },
      });
    } else {
      await tx.signOffDecision.create({
        data: { signOffId: signOff.id, userId: actor.id, role: role.role, customRoleId: role.customRoleId, value: input.value, title, comment: input.comment ?? null, decidedAt },
      });
    }
    const quorum = await refreshStatus(tx, signOff.id);
    const { seq } = await recordAudit(tx, {
      rolloutId: signOff.rolloutId,
      actorId: actor.id,
      action: input.value === "APPROVE" ? "signoff.approved" : "signoff.rejected",
      targetType: "SignOff",
      targetId: signOff.id,
      before: { status: quorum.before },
      after: { status: quorum.status, role: role.role, customRoleId: role.customRoleId, value: input.value, title, comment: input.comment ?? null, approvals: quorum.approvals, needed: quorum.needed },
    });
    if (quorum.status === "APPROVED" && quorum.before !== "APPROVED") await completeLinkedItems(tx, actor, signOff);
    // A rejection in a phase: everyone who works on the phase is told.
    if (input.value === "REJECT" && signOff.phaseId) {
      const workers = await phaseWorkers(tx, signOff.phaseId);
      await notify(tx, { rolloutId: signOff.rolloutId, kind: "SIGNOFF_REJECTED", actorId: actor.id, recipients: workers.userIds, eventSeq: seq, targetType: "SignOff", targetId: signOff.id, path: `/phases/${workers.position}` });
    }
    return { recorded: true, status: quorum.status };
  });
}

/** Takes back the actor's standing decision while the gate is still open. */
export async function withdrawDecision(actor: Actor, input: WithdrawDecisionInput) {
  const signOff = await loadSignOff(actor, input.signOffId);
  // Taking a decision back is itself a decision: only someone who may decide now may do it.
  await decidingRole(actor, signOff);
  return getDb().$transaction(async (tx) => {
    await assertGateOpen(tx, signOff.phaseId, "decisions");
    await lockSignOff(tx, signOff.id);
    const { count } = await tx.signOffDecision.updateMany({
      where: { signOffId: signOff.id, userId: actor.id, withdrawnAt: null },
      data: { withdrawnAt: new Date(), withdrawnById: actor.id, version: { increment: 1 } },
    });
    if (count === 0) throw new AppError("CONFLICT", { key: "errors.signOffs.noStandingDecision" });
    const quorum = await refreshStatus(tx, signOff.id);
    await recordAudit(tx, {
      rolloutId: signOff.rolloutId,
      actorId: actor.id,
      action: "signoff.decision.withdrawn",
      targetType: "SignOff",
      targetId: signOff.id,
      before: { status: quorum.before },
      after: { status: quorum.status },
    });
    return { status: quorum.status };
  });
}

/**
 * A rollout admin (`signoff.withdraw.others`) takes back someone else's standing decision,
 * with a reason, while the gate is still open. The ledger event names the author and the
 * reason; the author is told (DECISION_WITHDRAWN), in the same transaction.
 */
export async function withdrawOthersDecision(actor: Actor, input: WithdrawOthersDecisionInput) {
  const found = await getDb().signOffDecision.findUnique({ where: { id: input.decisionId }, select: { signOffId: true } });
  if (!found) throw new AppError("NOT_FOUND", { key: "errors.signOffs.noSuchDecision" });
  const signOff = await loadSignOff(actor, found.signOffId);
  // Also refuses an archived rollout.
  await assertCan(actor, signOff.rolloutId, "signoff.withdraw.others");
  return getDb().$transaction(async (tx) => {
    await assertGateOpen(tx, signOff.phaseId, "decisions");
    await lockSignOff(tx, signOff.id);
    const decision = await tx.signOffDecision.findUniqueOrThrow({ where: { id: input.decisionId }, include: { user: { select: { name: true } } } });
    if (decision.userId === actor.id) throw new AppError("CONFLICT", { key: "errors.signOffs.ownDecision" });
    if (decision.withdrawnAt !== null) throw new AppError("CONFLICT", { key: "errors.signOffs.decisionNotStanding" });
    await tx.signOffDecision.update({
      where: { id: decision.id },
      data: { withdrawnAt: new Date(), withdrawnById: actor.id, version: { increment: 1 } },
    });
    const quorum = await refreshStatus(tx, signOff.id);
    const { seq } = await recordAudit(tx, {
      rolloutId: signOff.rolloutId,
      actorId: actor.id,
      action: "signoff.decision.withdrawn",
      targetType: "SignOff",
      targetId: signOff.id,
      before: { status: quorum.before, value: decision.value },
      after: { status: quorum.status, withdrawnById: actor.id, authorId: decision.userId, authorName: decision.user.name, reason: input.reason },
    });
    const path = signOff.phaseId ? `/phases/${(await tx.phase.findUniqueOrThrow({ where: { id: signOff.phaseId }, select: { position: true } })).position}` : "/go-no-go";
    await notify(tx, { rolloutId: signOff.rolloutId, kind: "DECISION_WITHDRAWN", actorId: actor.id, recipients: [decision.userId], eventSeq: seq, targetType: "SignOff", targetId: signOff.id, path });
    return { status: quorum.status };
  });
}

/** Who decided, who is still missing, for one sign-off the actor can see. */
export async function getSignOffDetail(actor: Actor, signOffId: string) {
  const signOff = await loadSignOff(actor, signOffId);
  await assertCan(actor, signOff.rolloutId, "rollout.view");
  const db = getDb();
  const [decisions, eligible] = await Promise.all([
    db.signOffDecision.findMany({
      where: { signOffId },
      include: { user: { select: { id: true, name: true } } },
      orderBy: { decidedAt: "asc" },
    }),
    db.rolloutMember.findMany({
      where: {
        rolloutId: signOff.rolloutId,
        user: { active: true },
        OR: [{ role: { in: signOff.requiredRoles }, customRoleId: null }, { customRoleId: { in: signOff.requiredCustomRoleIds } }],
      },
      select: { role: true, customRoleId: true, user: { select: { id: true, name: true } } },
    }),
  ]);
  const quorum = evaluateQuorum(signOff, decisions);
  const decided = new Set(decisions.filter((d) => d.withdrawnAt === null).map((d) => d.userId));
  return {
    signOff,
    quorum,
    decisions,
    waitingFor: eligible.filter((m) => !decided.has(m.user.id)),
  };
}

/**
 * Renames a sign-off (the plan's 23 security policies start with placeholder names), but
 * only while nobody has decided on it and its phase is open: a decision — even one taken
 * back later — was given on a wording, and the certificate prints what was approved.
 */
export async function renameSignOff(actor: Actor, input: RenameSignOffInput) {
  const signOff = await loadSignOff(actor, input.signOffId);
  await assertCan(actor, signOff.rolloutId, "plan.edit");
  return getDb().$transaction(async (tx) => {
    // Deciders lock the row too, so no decision can be recorded between this check and the rename.
    await lockSignOff(tx, signOff.id);
    if (signOff.phaseId) {
      // FOR SHARE waits for a concurrent "mark done" (which locks the phase for update), as assertGateOpen does.
      const [phase] = await tx.$queryRaw<{ name: string; status: string }[]>`SELECT name, status::text AS status FROM "Phase" WHERE id = ${signOff.phaseId} FOR SHARE`;
      if (phase && isClosed(phase.status as Parameters<typeof isClosed>[0])) throw new AppError("CONFLICT", { key: "errors.signOffWording.phaseClosed", values: { title: signOff.title, phase: phase.name } });
    }
    if ((await tx.signOffDecision.count({ where: { signOffId: signOff.id } })) > 0) {
      throw new AppError("CONFLICT", { key: "errors.signOffWording.decided", values: { title: signOff.title } });
    }
    const { count } = await tx.signOff.updateMany({
      where: { id: signOff.id, version: input.version },
      data: { title: input.title, version: { increment: 1 } },
    });
    if (count === 0) {
      const fresh = await tx.signOff.findUnique({ where: { id: signOff.id }, select: { id: true, title: true, version: true } });
      throw new AppError("STALE", { key: "errors.signOffs.stale" }, { fresh });
    }
    await recordAudit(tx, {
      rolloutId: signOff.rolloutId,
      actorId: actor.id,
      action: "signoff.renamed",
      targetType: "SignOff",
      targetId: signOff.id,
      before: { title: signOff.title },
      after: { title: input.title },
    });
    return { title: input.title, version: input.version + 1 };
  });
}

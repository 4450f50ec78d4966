import "server-only";
import { notify } from "../notifications/notify";
import { recordAudit } from "../audit/record";
import { actorCan, assertCan, assertNotArchived, rolesIn } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { assertGateOpen } from "./sign-offs";
import { getRoleHoldings } from "./roles";
import { roleKeyOf } from "../domain/roles";
import type { Role } from "../generated/prisma/enums";
import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { UpdateItemDetailsInput, UpdateItemEvidenceInput, UpdateItemStateInput } from "../validation/workflows";

const ITEM_VIEW = {
  id: true,
  rolloutId: true,
  phaseId: true,
  text: true,
  ownerRole: true,
  ownerCustomRoleId: true,
  assigneeId: true,
  dueAt: true,
  optional: true,
  state: true,
  stateChangedById: true,
  stateChangedAt: true,
  evidence: true,
  notApplicableReason: true,
  version: true,
} as const;

/** The item as the caller may see it, or NOT_FOUND (also for items of other rollouts). */
async function loadItem(actor: Actor, itemId: string) {
  const item = await getDb().checklistItem.findUnique({
    where: { id: itemId },
    select: { ...ITEM_VIEW, phase: { select: { status: true, name: true } } },
  });
  if (!item) throw new AppError("NOT_FOUND", { key: "errors.items.noSuchItem" });
  await assertCan(actor, item.rolloutId, "rollout.view");
  return item;
}

/** Whether the actor holds the item's owner role as an identity (a custom role owns only its own items). */
async function holdsOwnerRole(actor: Actor, item: { rolloutId: string; ownerRole: Role | null; ownerCustomRoleId: string | null }) {
  if (item.ownerRole === null) return false;
  const owner = roleKeyOf({ role: item.ownerRole, customRoleId: item.ownerCustomRoleId });
  return (await getRoleHoldings(actor.id, item.rolloutId)).some((h) => roleKeyOf(h) === owner);
}

/** Ticking is for the item's owner role, its assignee, or whoever may tick any item. */
async function assertMayTick(actor: Actor, item: { rolloutId: string; ownerRole: Role | null; ownerCustomRoleId: string | null; assigneeId: string | null }) {
  await assertNotArchived(actor, item.rolloutId);
  const roles = await rolesIn(actor, item.rolloutId);
  if (actorCan(actor, roles, "item.tick.any")) return;
  const owns = await holdsOwnerRole(actor, item);
  if (actorCan(actor, roles, "item.tick.own") && (owns || item.assigneeId === actor.id)) return;
  throw new AppError("FORBIDDEN", { key: "errors.items.changeForbidden" });
}

export type ItemView = Awaited<ReturnType<typeof loadItem>>;

/**
 * After a conditional write: the item as it now is, or — when the write matched nothing
 * because someone changed the item first — a STALE refusal carrying its current state.
 */
async function freshOrStale(tx: Prisma.TransactionClient, itemId: string, count: number) {
  const current = await tx.checklistItem.findUniqueOrThrow({ where: { id: itemId }, select: ITEM_VIEW });
  if (count === 0) {
    throw new AppError("STALE", { key: "errors.items.stale" }, { fresh: current });
  }
  return current;
}

/**
 * Ticks, unticks or marks an item not applicable. The write is conditional on the
 * version the caller saw: if someone changed the item meanwhile, nothing is written and
 * the caller gets the fresh state to decide again.
 */
export async function updateItemState(actor: Actor, input: UpdateItemStateInput) {
  const item = await loadItem(actor, input.itemId);
  await assertMayTick(actor, item);
  const now = new Date();
  return getDb().$transaction(async (tx) => {
    await assertGateOpen(tx, item.phaseId, "checklist");
    const { count } = await tx.checklistItem.updateMany({
      where: { id: item.id, version: input.version },
      data: {
        state: input.state,
        stateChangedById: actor.id,
        stateChangedAt: now,
        // Absent leaves the evidence as it is; null (an empty field) clears it.
        evidence: input.evidence === undefined ? item.evidence : input.evidence,
        notApplicableReason: input.state === "NOT_APPLICABLE" ? input.reason : null,
        version: { increment: 1 },
      },
    });
    const after = await freshOrStale(tx, item.id, count);
    const { seq } = await recordAudit(tx, {
      rolloutId: item.rolloutId,
      actorId: actor.id,
      action: "item.state.changed",
      targetType: "ChecklistItem",
      targetId: item.id,
      before: { state: item.state, evidence: item.evidence, notApplicableReason: item.notApplicableReason, version: item.version },
      after: { state: after.state, evidence: after.evidence, notApplicableReason: after.notApplicableReason, version: after.version },
    });
    // A done item reopened by someone else: whoever completed it and its assignee are told.
    if (item.state === "DONE" && after.state === "OPEN") {
      await notify(tx, { rolloutId: item.rolloutId, kind: "ITEM_REOPENED", actorId: actor.id, recipients: [item.stateChangedById, item.assigneeId], eventSeq: seq, targetType: "ChecklistItem", targetId: item.id, path: "/checklist" });
    }
    return after;
  });
}

/**
 * Saves or clears an item's evidence note. Its own write: the state and who changed it
 * when stay as they were (saving a link is not ticking again), and the audit event says
 * only what the evidence was and became. Conditional on the version, like every edit.
 */
export async function updateItemEvidence(actor: Actor, input: UpdateItemEvidenceInput) {
  const item = await loadItem(actor, input.itemId);
  await assertMayTick(actor, item);
  return getDb().$transaction(async (tx) => {
    await assertGateOpen(tx, item.phaseId, "checklist");
    const { count } = await tx.checklistItem.updateMany({
      where: { id: item.id, version: input.version },
      data: { evidence: input.evidence, version: { increment: 1 } },
    });
    const after = await freshOrStale(tx, item.id, count);
    await recordAudit(tx, {
      rolloutId: item.rolloutId,
      actorId: actor.id,
      action: "item.evidence",
      targetType: "ChecklistItem",
      targetId: item.id,
      before: { evidence: item.evidence, version: item.version },
      after: { evidence: after.evidence, version: after.version },
    });
    return after;
  });
}

/** Assignee and due date: for whoever may edit the plan, or the item's owner role. */
export async function updateItemDetails(actor: Actor, input: UpdateItemDetailsInput) {
  const item = await loadItem(actor, input.itemId);
  const roles = await rolesIn(actor, item.rolloutId);
  const owns = (await holdsOwnerRole(actor, item)) && actorCan(actor, roles, "item.tick.own");
  if (!actorCan(actor, roles, "plan.edit") && !owns) throw new AppError("FORBIDDEN", { key: "errors.items.assignForbidden" });
  await assertNotArchived(actor, item.rolloutId);
  const db = getDb();
  if (input.assigneeId) {
    const member = await db.rolloutMember.findFirst({ where: { rolloutId: item.rolloutId, userId: input.assigneeId, user: { active: true } } });
    if (!member) throw new AppError("INVALID_INPUT", { key: "errors.items.assigneeNotMember" });
  }
  return db.$transaction(async (tx) => {
    const { count } = await tx.checklistItem.updateMany({
      where: { id: item.id, version: input.version },
      data: { assigneeId: input.assigneeId, dueAt: input.dueAt, version: { increment: 1 } },
    });
    const after = await freshOrStale(tx, item.id, count);
    const { seq } = await recordAudit(tx, {
      rolloutId: item.rolloutId,
      actorId: actor.id,
      action: "item.details.changed",
      targetType: "ChecklistItem",
      targetId: item.id,
      before: { assigneeId: item.assigneeId, dueAt: item.dueAt, version: item.version },
      after: { assigneeId: after.assigneeId, dueAt: after.dueAt, version: after.version },
    });
    if (after.assigneeId && after.assigneeId !== item.assigneeId) {
      await notify(tx, { rolloutId: item.rolloutId, kind: "ITEM_ASSIGNED", actorId: actor.id, recipients: [after.assigneeId], eventSeq: seq, targetType: "ChecklistItem", targetId: item.id, path: "/checklist" });
    }
    return after;
  });
}

"use server";

import { revalidatePath } from "next/cache";
import { verifyCriterion } from "../dal/criteria";
import { updateItemDetails, updateItemEvidence, updateItemState } from "../dal/items";
import { transitionPhase } from "../dal/phases";
import { markRead } from "../dal/reading";
import { decideSignOff, renameSignOff, withdrawDecision, withdrawOthersDecision } from "../dal/sign-offs";
import { runAction, type ActionResult } from "../server/action";
import {
  decideSignOffSchema,
  markReadSchema,
  renameSignOffSchema,
  transitionPhaseSchema,
  updateItemDetailsSchema,
  updateItemEvidenceSchema,
  updateItemStateSchema,
  verifyCriterionSchema,
  withdrawDecisionSchema,
  withdrawOthersDecisionSchema,
} from "../validation/workflows";

// Every page shows progress, so a change revalidates the portal's pages.
const refresh = () => revalidatePath("/r", "layout");

export async function updateItemStateAction(_prev: ActionResult<unknown> | undefined, formData: unknown): Promise<ActionResult<unknown>> {
  return runAction(updateItemStateSchema, formData, async (actor, input) => {
    const item = await updateItemState(actor, input);
    refresh();
    // Who changed it, so the row can say so at once (not only after a reload).
    return { ok: true, data: { ...item, changedByName: actor.name } };
  });
}

export async function updateItemEvidenceAction(_prev: ActionResult<unknown> | undefined, formData: unknown): Promise<ActionResult<unknown>> {
  return runAction(updateItemEvidenceSchema, formData, async (actor, input) => {
    const item = await updateItemEvidence(actor, input);
    refresh();
    return { ok: true, message: { key: item.evidence === null ? "messages.evidence.cleared" : "messages.evidence.saved" }, data: item };
  });
}

export async function updateItemDetailsAction(_prev: ActionResult<unknown> | undefined, formData: unknown): Promise<ActionResult<unknown>> {
  return runAction(updateItemDetailsSchema, formData, async (actor, input) => {
    const item = await updateItemDetails(actor, input);
    refresh();
    return { ok: true, message: { key: "messages.saved" }, data: item };
  });
}

export async function decideSignOffAction(_prev: ActionResult<unknown> | undefined, formData: unknown): Promise<ActionResult<unknown>> {
  return runAction(decideSignOffSchema, formData, async (actor, input) => {
    const outcome = await decideSignOff(actor, input);
    refresh();
    const notice = !outcome.recorded ? "messages.decisionAlreadyRecorded" : input.value === "APPROVE" ? "messages.approved" : "messages.rejected";
    return { ok: true, message: { key: notice }, data: outcome };
  });
}

export async function withdrawDecisionAction(_prev: ActionResult<unknown> | undefined, formData: unknown): Promise<ActionResult<unknown>> {
  return runAction(withdrawDecisionSchema, formData, async (actor, input) => {
    const outcome = await withdrawDecision(actor, input);
    refresh();
    return { ok: true, message: { key: "messages.decisionWithdrawn" }, data: outcome };
  });
}

/** A rollout admin withdraws someone else's decision, with a reason; its author is told. */
export async function withdrawOthersDecisionAction(_prev: ActionResult<unknown> | undefined, formData: unknown): Promise<ActionResult<unknown>> {
  return runAction(withdrawOthersDecisionSchema, formData, async (actor, input) => {
    const outcome = await withdrawOthersDecision(actor, input);
    refresh();
    return { ok: true, message: { key: "messages.othersDecisionWithdrawn" }, data: outcome };
  });
}

export async function transitionPhaseAction(_prev: ActionResult<unknown> | undefined, formData: unknown): Promise<ActionResult<unknown>> {
  return runAction(transitionPhaseSchema, formData, async (actor, input) => {
    const phase = await transitionPhase(actor, input);
    refresh();
    return { ok: true, message: { key: "messages.phaseUpdated" }, data: { status: phase.status, version: phase.version } };
  });
}

export async function markReadAction(_prev: ActionResult<unknown> | undefined, formData: unknown): Promise<ActionResult<unknown>> {
  return runAction(markReadSchema, formData, async (actor, input) => {
    await markRead(actor, input);
    refresh();
    return { ok: true, message: { key: input.read ? "messages.markedRead" : "messages.markedUnread" } };
  });
}

export async function verifyCriterionAction(_prev: ActionResult<unknown> | undefined, formData: unknown): Promise<ActionResult<unknown>> {
  return runAction(verifyCriterionSchema, formData, async (actor, input) => {
    const criterion = await verifyCriterion(actor, input);
    refresh();
    return { ok: true, message: { key: input.verified ? "messages.verified" : "messages.verificationRemoved" }, data: { version: criterion.version } };
  });
}

export async function renameSignOffAction(_prev: ActionResult<unknown> | undefined, formData: unknown): Promise<ActionResult<unknown>> {
  return runAction(renameSignOffSchema, formData, async (actor, input) => {
    const renamed = await renameSignOff(actor, input);
    refresh();
    return { ok: true, message: { key: "messages.renamed" }, data: renamed };
  });
}

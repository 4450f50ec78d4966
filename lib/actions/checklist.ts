"use server";

import { listAssignedPeople, listItemAssignees } from "../dal/checklist";
import { runAction, type ActionResult } from "../server/action";
import { assignedPeopleSchema, itemAssigneesSchema } from "../validation/workflows";

/**
 * The people an item may be assigned to, asked for by the assignee picker when it opens
 * (a page no longer carries the rollout's member list). A read: it changes nothing.
 */
export async function listItemAssigneesAction(input: unknown): Promise<ActionResult<{ id: string; name: string }[]>> {
  return runAction(itemAssigneesSchema, input, async (actor, { itemId }) => ({ ok: true, data: await listItemAssignees(actor, itemId) }));
}

/** The people the rollout's items are assigned to, asked for by the checklist's assignee filter when it opens. A read. */
export async function listAssignedPeopleAction(input: unknown): Promise<ActionResult<{ id: string; name: string }[]>> {
  return runAction(assignedPeopleSchema, input, async (actor, { slug }) => ({ ok: true, data: await listAssignedPeople(actor, slug) }));
}

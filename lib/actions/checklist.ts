"use server";

import { listItemAssignees } from "../dal/checklist";
import { runAction, type ActionResult } from "../server/action";
import { itemAssigneesSchema } from "../validation/workflows";

/**
 * The people an item may be assigned to, asked for by the assignee picker when it opens
 * (a page no longer carries the rollout's member list). A read: it changes nothing.
 */
export async function listItemAssigneesAction(input: unknown): Promise<ActionResult<{ id: string; name: string }[]>> {
  return runAction(itemAssigneesSchema, input, async (actor, { itemId }) => ({ ok: true, data: await listItemAssignees(actor, itemId) }));
}

"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import type { Actor } from "../auth/session";
import {
  createContact,
  createCriterion,
  createCriterionGroup,
  createMilestone,
  deleteContact,
  deleteCriterion,
  deleteCriterionGroup,
  deleteMilestone,
  moveContact,
  moveCriterion,
  moveCriterionGroup,
  renameCriterionGroup,
  updateContact,
  updateCriterion,
  updateMilestone,
  createDocument,
  createItem,
  createPhase,
  createReadingEntry,
  createSignOff,
  deleteDocument,
  deleteItem,
  deletePhase,
  deleteReadingEntry,
  deleteSignOff,
  moveItem,
  movePhase,
  moveReadingEntry,
  updateDocument,
  updateItem,
  updatePhase,
  updateReadingEntry,
  updateSignOff,
} from "../dal/plan-edit";
import { createCustomRole, deleteCustomRole, renameCustomRole } from "../dal/roles";
import type { NoticeKey } from "../i18n/format";
import { runAction, type ActionResult } from "../server/action";
import {
  createContactSchema,
  createCriterionGroupSchema,
  createCriterionSchema,
  createMilestoneSchema,
  renameCriterionGroupSchema,
  updateContactSchema,
  updateCriterionSchema,
  updateMilestoneSchema,
  createCustomRoleSchema,
  createDocumentSchema,
  createItemSchema,
  createPhaseSchema,
  createReadingEntrySchema,
  createSignOffSchema,
  deleteSchema,
  moveSchema,
  renameCustomRoleSchema,
  updateDocumentSchema,
  updateItemSchema,
  updatePhaseSchema,
  updateReadingEntrySchema,
  updateSignOffSchema,
} from "../validation/plan";

// The plan editor's actions: each parses its form with zod, then calls the data layer,
// which authorizes (`plan.edit`), refuses closed gates and stale versions, and writes with
// its audit event in one transaction.

type State = ActionResult<unknown> | undefined;

async function edit<S extends z.ZodType>(schema: S, formData: unknown, work: (actor: Actor, input: z.infer<S>) => Promise<unknown>, notice: NoticeKey): Promise<ActionResult<unknown>> {
  // runAction reads the form (or refuses anything that is not one, after the origin and session checks).
  return runAction(schema, formData, async (actor, input) => {
    const data = await work(actor, input);
    revalidatePath("/r", "layout");
    return { ok: true, message: { key: notice }, data: JSON.parse(JSON.stringify(data, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as unknown };
  });
}

export async function createCustomRoleAction(_prev: State, formData: unknown) {
  return edit(createCustomRoleSchema, formData, createCustomRole, "messages.plan.created");
}
export async function renameCustomRoleAction(_prev: State, formData: unknown) {
  return edit(renameCustomRoleSchema, formData, renameCustomRole, "messages.plan.saved");
}
export async function deleteCustomRoleAction(_prev: State, formData: unknown) {
  return edit(deleteSchema, formData, deleteCustomRole, "messages.plan.deleted");
}

export async function createPhaseAction(_prev: State, formData: unknown) {
  return edit(createPhaseSchema, formData, createPhase, "messages.plan.created");
}
export async function updatePhaseAction(_prev: State, formData: unknown) {
  return edit(updatePhaseSchema, formData, updatePhase, "messages.plan.saved");
}
export async function movePhaseAction(_prev: State, formData: unknown) {
  return edit(moveSchema, formData, movePhase, "messages.plan.moved");
}
export async function deletePhaseAction(_prev: State, formData: unknown) {
  return edit(deleteSchema, formData, deletePhase, "messages.plan.deleted");
}

export async function createItemAction(_prev: State, formData: unknown) {
  return edit(createItemSchema, formData, createItem, "messages.plan.created");
}
export async function updateItemAction(_prev: State, formData: unknown) {
  return edit(updateItemSchema, formData, updateItem, "messages.plan.saved");
}
export async function moveItemAction(_prev: State, formData: unknown) {
  return edit(moveSchema, formData, moveItem, "messages.plan.moved");
}
export async function deleteItemAction(_prev: State, formData: unknown) {
  return edit(deleteSchema, formData, deleteItem, "messages.plan.deleted");
}

export async function createSignOffAction(_prev: State, formData: unknown) {
  return edit(createSignOffSchema, formData, createSignOff, "messages.plan.created");
}
export async function updateSignOffAction(_prev: State, formData: unknown) {
  return edit(updateSignOffSchema, formData, updateSignOff, "messages.plan.saved");
}
export async function deleteSignOffAction(_prev: State, formData: unknown) {
  return edit(deleteSchema, formData, deleteSignOff, "messages.plan.deleted");
}

export async function createDocumentAction(_prev: State, formData: unknown) {
  return edit(createDocumentSchema, formData, createDocument, "messages.plan.created");
}
export async function updateDocumentAction(_prev: State, formData: unknown) {
  return edit(updateDocumentSchema, formData, updateDocument, "messages.plan.saved");
}
export async function deleteDocumentAction(_prev: State, formData: unknown) {
  return edit(deleteSchema, formData, deleteDocument, "messages.plan.deleted");
}

export async function createReadingEntryAction(_prev: State, formData: unknown) {
  return edit(createReadingEntrySchema, formData, createReadingEntry, "messages.plan.created");
}
export async function updateReadingEntryAction(_prev: State, formData: unknown) {
  return edit(updateReadingEntrySchema, formData, updateReadingEntry, "messages.plan.saved");
}
export async function moveReadingEntryAction(_prev: State, formData: unknown) {
  return edit(moveSchema, formData, moveReadingEntry, "messages.plan.moved");
}
export async function deleteReadingEntryAction(_prev: State, formData: unknown) {
  return edit(deleteSchema, formData, deleteReadingEntry, "messages.plan.deleted");
}

export async function createCriterionGroupAction(_prev: State, formData: unknown) {
  return edit(createCriterionGroupSchema, formData, createCriterionGroup, "messages.plan.created");
}
export async function renameCriterionGroupAction(_prev: State, formData: unknown) {
  return edit(renameCriterionGroupSchema, formData, renameCriterionGroup, "messages.plan.saved");
}
export async function moveCriterionGroupAction(_prev: State, formData: unknown) {
  return edit(moveSchema, formData, moveCriterionGroup, "messages.plan.moved");
}
export async function deleteCriterionGroupAction(_prev: State, formData: unknown) {
  return edit(deleteSchema, formData, deleteCriterionGroup, "messages.plan.deleted");
}

export async function createCriterionAction(_prev: State, formData: unknown) {
  return edit(createCriterionSchema, formData, createCriterion, "messages.plan.created");
}
export async function updateCriterionAction(_prev: State, formData: unknown) {
  return edit(updateCriterionSchema, formData, updateCriterion, "messages.plan.saved");
}
export async function moveCriterionAction(_prev: State, formData: unknown) {
  return edit(moveSchema, formData, moveCriterion, "messages.plan.moved");
}
export async function deleteCriterionAction(_prev: State, formData: unknown) {
  return edit(deleteSchema, formData, deleteCriterion, "messages.plan.deleted");
}

export async function createContactAction(_prev: State, formData: unknown) {
  return edit(createContactSchema, formData, createContact, "messages.plan.created");
}
export async function updateContactAction(_prev: State, formData: unknown) {
  return edit(updateContactSchema, formData, updateContact, "messages.plan.saved");
}
export async function moveContactAction(_prev: State, formData: unknown) {
  return edit(moveSchema, formData, moveContact, "messages.plan.moved");
}
export async function deleteContactAction(_prev: State, formData: unknown) {
  return edit(deleteSchema, formData, deleteContact, "messages.plan.deleted");
}

export async function createMilestoneAction(_prev: State, formData: unknown) {
  return edit(createMilestoneSchema, formData, createMilestone, "messages.plan.created");
}
export async function updateMilestoneAction(_prev: State, formData: unknown) {
  return edit(updateMilestoneSchema, formData, updateMilestone, "messages.plan.saved");
}
export async function deleteMilestoneAction(_prev: State, formData: unknown) {
  return edit(deleteSchema, formData, deleteMilestone, "messages.plan.deleted");
}

"use server";

import { revalidatePath } from "next/cache";
import { createRollout, saveAsTemplate, setArchived } from "../dal/rollouts";
import { runAction, type ActionResult } from "../server/action";
import { createRolloutSchema, saveAsTemplateSchema, setArchivedSchema } from "../validation/rollouts";

export async function createRolloutAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult<{ slug: string }>> {
  return runAction(createRolloutSchema, formData, async (actor, input) => {
    const rollout = await createRollout(actor, input);
    revalidatePath("/", "layout");
    return { ok: true, message: { key: "messages.rollouts.created", values: { name: rollout.name } }, data: { slug: rollout.slug } };
  });
}

export async function saveAsTemplateAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult<{ slug: string }>> {
  return runAction(saveAsTemplateSchema, formData, async (actor, input) => {
    const template = await saveAsTemplate(actor, input);
    revalidatePath("/new");
    return { ok: true, message: { key: "messages.rollouts.templateSaved", values: { name: template.name } }, data: { slug: template.slug } };
  });
}

export async function setArchivedAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(setArchivedSchema, formData, async (actor, input) => {
    const { changed } = await setArchived(actor, input);
    revalidatePath("/", "layout");
    return { ok: true, message: { key: !changed ? "messages.nothingChanged" : input.archived ? "messages.rollouts.archived" : "messages.rollouts.unarchived" } };
  });
}

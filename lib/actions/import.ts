"use server";

import { revalidatePath } from "next/cache";
import { importPlan, previewPlanImport, type ImportPreview } from "../dal/import";
import { runAction, type ActionResult } from "../server/action";
import { confirmImportSchema, previewImportSchema } from "../validation/import";

// Importing a plan from Markdown. Both steps take the same source (a file or pasted
// text) with the person's corrections and choices: the preview writes nothing, the
// import reads everything again and writes it in one transaction.

export async function previewImportAction(formData: FormData): Promise<ActionResult<ImportPreview>> {
  return runAction(previewImportSchema, formData, async (actor, input) => ({ ok: true, data: await previewPlanImport(actor, input) }));
}

export async function importPlanAction(formData: FormData): Promise<ActionResult<{ slug: string }>> {
  return runAction(confirmImportSchema, formData, async (actor, input) => {
    const result = await importPlan(actor, input);
    revalidatePath("/", "layout");
    return { ok: true, message: { key: "messages.import.imported", values: { items: result.counts.items ?? 0, phases: result.counts.phases ?? 0 } }, data: { slug: result.slug } };
  });
}

"use server";

import { revalidatePath } from "next/cache";
import { checkDigest } from "../audit/verify";
import { assertCan } from "../auth/access";
import { createCalendarToken, revokeCalendarTokens } from "../dal/calendar";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { formToObject, runAction, type ActionResult } from "../server/action";
import { checkDigestSchema, rolloutIdSchema } from "../validation/ledger";

export async function checkDigestAction(_prev: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  return runAction(checkDigestSchema, formToObject(formData), async (actor, { rolloutId, digest }) => {
    await assertCan(actor, rolloutId, "audit.read");
    if (digest.rolloutId !== rolloutId) throw new AppError("INVALID_INPUT", "This digest belongs to another rollout's ledger.");
    const result = await checkDigest(getDb(), digest);
    return result.ok
      ? { ok: true, message: `The ledger still holds, unchanged, the ${digest.count} events this digest saw (now ${result.report.count}).` }
      : { ok: false, code: "CONFLICT", message: `The ledger does not match this digest: ${result.reason}.` };
  });
}

export async function createCalendarTokenAction(_prev: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  return runAction(rolloutIdSchema, formToObject(formData), async (actor, { rolloutId }) => {
    const token = await createCalendarToken(actor, rolloutId);
    revalidatePath("/account");
    return { ok: true, message: "New calendar link created; the previous one no longer works.", data: { path: `/api/calendar/${token}.ics` } };
  });
}

export async function revokeCalendarTokenAction(_prev: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  return runAction(rolloutIdSchema, formToObject(formData), async (actor, { rolloutId }) => {
    const count = await revokeCalendarTokens(actor, rolloutId);
    revalidatePath("/account");
    return { ok: true, message: count ? "Calendar link revoked." : "There was no calendar link to revoke." };
  });
}

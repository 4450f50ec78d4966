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
    if (digest.rolloutId !== rolloutId) throw new AppError("INVALID_INPUT", { key: "errors.ledger.otherRollout" });
    const result = await checkDigest(getDb(), digest);
    if (!result.ok) throw new AppError("CONFLICT", { key: "errors.ledger.mismatch", values: { reason: result.why } });
    return { ok: true, message: { key: "messages.ledgerHolds", values: { count: digest.count, now: result.report.count } } };
  });
}

export async function createCalendarTokenAction(_prev: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  return runAction(rolloutIdSchema, formToObject(formData), async (actor, { rolloutId }) => {
    const token = await createCalendarToken(actor, rolloutId);
    revalidatePath("/account");
    return { ok: true, message: { key: "messages.calendarCreated" }, data: { path: `/api/calendar/${token}.ics` } };
  });
}

export async function revokeCalendarTokenAction(_prev: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  return runAction(rolloutIdSchema, formToObject(formData), async (actor, { rolloutId }) => {
    const count = await revokeCalendarTokens(actor, rolloutId);
    revalidatePath("/account");
    return { ok: true, message: { key: count ? "messages.calendarRevoked" : "messages.calendarNothingToRevoke" } };
  });
}

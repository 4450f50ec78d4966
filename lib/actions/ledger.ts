"use server";

import { revalidatePath } from "next/cache";
import { createCalendarToken, revokeCalendarTokens } from "../dal/calendar";
import { checkLedgerDigest } from "../dal/ledger";
import { runAction, type ActionResult } from "../server/action";
import { checkDigestSchema, rolloutIdSchema } from "../validation/ledger";

export async function checkDigestAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(checkDigestSchema, formData, async (actor, { rolloutId, digest }) => {
    const report = await checkLedgerDigest(actor, rolloutId, digest);
    return { ok: true, message: { key: "messages.ledgerHolds", values: { count: digest.count, now: report.count } } };
  });
}

export async function createCalendarTokenAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(rolloutIdSchema, formData, async (actor, { rolloutId }) => {
    const token = await createCalendarToken(actor, rolloutId);
    revalidatePath("/account");
    return { ok: true, message: { key: "messages.calendarCreated" }, data: { path: `/api/calendar/${token}.ics` } };
  });
}

export async function revokeCalendarTokenAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(rolloutIdSchema, formData, async (actor, { rolloutId }) => {
    const count = await revokeCalendarTokens(actor, rolloutId);
    revalidatePath("/account");
    return { ok: true, message: { key: count ? "messages.calendarRevoked" : "messages.calendarNothingToRevoke" } };
  });
}

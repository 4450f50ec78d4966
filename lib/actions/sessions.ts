"use server";

import { z } from "zod";
import { signOutEverywhere } from "../auth/session";
import { runAction, type ActionResult } from "../server/action";

const noInput = z.object({});

/** Ends every session of the signed-in person, on every device (this one included). */
export async function signOutEverywhereAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(noInput, formData, async (actor) => {
    await signOutEverywhere(actor);
    return { ok: true, message: { key: "messages.auth.signedOutEverywhere" } };
  });
}

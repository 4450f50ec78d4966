"use server";

import { revalidatePath } from "next/cache";
import { createPersonalToken, createServiceAccount, revokePersonalToken, revokeServiceToken } from "../dal/api-tokens";
import { runAction, type ActionResult } from "../server/action";
import { createPersonalTokenSchema, createServiceAccountSchema, revokePersonalTokenSchema, revokeServiceTokenSchema } from "../validation/api-tokens";

// API tokens from the pages: personal ones on the account page, service accounts on the
// rollout's settings page. The secret is in the answer once and never again.

export async function createPersonalTokenAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(createPersonalTokenSchema, formData, async (actor, input) => {
    const created = await createPersonalToken(actor, input);
    revalidatePath("/account");
    return { ok: true, message: { key: "messages.apiTokens.created" }, data: { token: created.token } };
  });
}

export async function revokePersonalTokenAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(revokePersonalTokenSchema, formData, async (actor, { tokenId }) => {
    await revokePersonalToken(actor, tokenId);
    revalidatePath("/account");
    return { ok: true, message: { key: "messages.apiTokens.revoked" } };
  });
}

export async function createServiceAccountAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(createServiceAccountSchema, formData, async (actor, input) => {
    const created = await createServiceAccount(actor, input);
    revalidatePath("/r/[slug]/settings", "page");
    return { ok: true, message: { key: "messages.apiTokens.serviceAccountCreated", values: { name: created.account.name } }, data: { token: created.token } };
  });
}

export async function revokeServiceTokenAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(revokeServiceTokenSchema, formData, async (actor, { rolloutId, tokenId }) => {
    await revokeServiceToken(actor, rolloutId, tokenId);
    revalidatePath("/r/[slug]/settings", "page");
    return { ok: true, message: { key: "messages.apiTokens.revoked" } };
  });
}

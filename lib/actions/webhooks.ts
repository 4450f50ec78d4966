"use server";

import { revalidatePath } from "next/cache";
import { createWebhook, deleteWebhook, disableWebhook, enableWebhook, resendDelivery } from "../dal/webhooks";
import { runAction, type ActionResult } from "../server/action";
import { createWebhookSchema, deliverySchema, webhookSchema } from "../validation/webhooks";

// A rollout's webhooks, from its settings page. The secret is in the answer once.

const SETTINGS = "/r/[slug]/settings";

export async function createWebhookAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(createWebhookSchema, formData, async (actor, input) => {
    const created = await createWebhook(actor, input);
    revalidatePath(SETTINGS, "page");
    return { ok: true, message: { key: "messages.webhooks.created" }, data: { secret: created.secret } };
  });
}

export async function deleteWebhookAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(webhookSchema, formData, async (actor, { rolloutId, webhookId }) => {
    await deleteWebhook(actor, rolloutId, webhookId);
    revalidatePath(SETTINGS, "page");
    return { ok: true, message: { key: "messages.webhooks.deleted" } };
  });
}

export async function disableWebhookAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(webhookSchema, formData, async (actor, { rolloutId, webhookId }) => {
    await disableWebhook(actor, rolloutId, webhookId);
    revalidatePath(SETTINGS, "page");
    return { ok: true, message: { key: "messages.webhooks.disabled" } };
  });
}

export async function enableWebhookAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(webhookSchema, formData, async (actor, { rolloutId, webhookId }) => {
    await enableWebhook(actor, rolloutId, webhookId);
    revalidatePath(SETTINGS, "page");
    return { ok: true, message: { key: "messages.webhooks.enabled" } };
  });
}

export async function resendDeliveryAction(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(deliverySchema, formData, async (actor, { rolloutId, deliveryId }) => {
    await resendDelivery(actor, rolloutId, deliveryId);
    revalidatePath(SETTINGS, "page");
    return { ok: true, message: { key: "messages.webhooks.resent" } };
  });
}

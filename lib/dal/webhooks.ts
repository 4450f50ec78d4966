import "server-only";
import { recordAudit } from "../audit/record";
import { assertCan } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import type { CreateWebhookInput } from "../validation/webhooks";
import { newWebhookSecret } from "../webhooks/sign";
import { refuseTarget } from "../webhooks/target";

// A rollout's webhook endpoints, managed by its admins ("users.manage", like its service
// accounts). The secret is returned once, at creation. The ledger records the URL's origin
// only: a chat tool's webhook URL is itself a secret.

const ENDPOINT = { id: true, url: true, events: true, slack: true, createdAt: true, disabledAt: true } as const;
const DELIVERY_LOG = 20;

const origin = (url: string) => new URL(url).origin;

/** The message for each reason a target is refused. */
const TARGET_REFUSALS = {
  scheme: "errors.webhooks.target.scheme",
  private: "errors.webhooks.target.private",
  unresolved: "errors.webhooks.target.unresolved",
} as const;

export async function createWebhook(actor: Actor, input: CreateWebhookInput) {
  await assertCan(actor, input.rolloutId, "users.manage");
  const refusal = await refuseTarget(input.url);
  if (refusal) throw new AppError("INVALID_INPUT", { key: TARGET_REFUSALS[refusal] });
  const secret = newWebhookSecret();
  return getDb().$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.create({
      data: { rolloutId: input.rolloutId, url: input.url, events: input.events, slack: input.slack, secret, createdById: actor.id },
      select: ENDPOINT,
    });
    await recordAudit(tx, { rolloutId: input.rolloutId, actorId: actor.id, action: "webhook.created", targetType: "WebhookEndpoint", targetId: row.id, after: { origin: origin(row.url), events: row.events, slack: row.slack } });
    return { ...row, secret };
  });
}

/**
 * The rollout's endpoints (never their secrets), each with its latest deliveries, newest
 * first (one statement). An archived rollout's admins still see them (to disable or delete).
 */
export async function listWebhooks(actor: Actor, rolloutId: string) {
  await assertCan(actor, rolloutId, "users.manage", { readOrRevoke: true });
  return getDb().webhookEndpoint.findMany({
    where: { rolloutId },
    select: {
      ...ENDPOINT,
      deliveries: {
        select: { id: true, action: true, eventSeq: true, status: true, attempts: true, lastStatusCode: true, lastError: true, lastAttemptAt: true, deliveredAt: true, nextAttemptAt: true, createdAt: true },
        orderBy: { createdAt: "desc" },
        take: DELIVERY_LOG,
      },
    },
    orderBy: { createdAt: "asc" },
  });
}

/** Deletes an endpoint and its delivery log; allowed on an archived rollout too (it only takes access away). */
export async function deleteWebhook(actor: Actor, rolloutId: string, webhookId: string) {
  await assertCan(actor, rolloutId, "users.manage", { readOrRevoke: true });
  return getDb().$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.findFirst({ where: { id: webhookId, rolloutId }, select: ENDPOINT });
    if (!row) throw new AppError("NOT_FOUND", { key: "errors.webhooks.notFound" });
    await tx.webhookEndpoint.delete({ where: { id: row.id } });
    await recordAudit(tx, { rolloutId, actorId: actor.id, action: "webhook.deleted", targetType: "WebhookEndpoint", targetId: row.id, before: { origin: origin(row.url), events: row.events, slack: row.slack } });
  });
}

/**
 * Turns an endpoint off by hand: no new deliveries are queued for it and those waiting are
 * not sent. Allowed on an archived rollout too (it only takes access away).
 */
export async function disableWebhook(actor: Actor, rolloutId: string, webhookId: string, now = new Date()) {
  await assertCan(actor, rolloutId, "users.manage", { readOrRevoke: true });
  return getDb().$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.findFirst({ where: { id: webhookId, rolloutId }, select: { id: true, url: true, disabledAt: true } });
    if (!row) throw new AppError("NOT_FOUND", { key: "errors.webhooks.notFound" });
    if (row.disabledAt) throw new AppError("CONFLICT", { key: "errors.webhooks.alreadyDisabled" });
    const { count } = await tx.webhookEndpoint.updateMany({ where: { id: row.id, disabledAt: null }, data: { disabledAt: now } });
    if (count === 0) throw new AppError("CONFLICT", { key: "errors.webhooks.alreadyDisabled" });
    await recordAudit(tx, { rolloutId, actorId: actor.id, action: "webhook.disabled", targetType: "WebhookEndpoint", targetId: row.id, after: { origin: origin(row.url) } });
  });
}

/** Turns a disabled endpoint back on (new events are queued for it again). Not on an archived rollout. */
export async function enableWebhook(actor: Actor, rolloutId: string, webhookId: string) {
  await assertCan(actor, rolloutId, "users.manage");
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.updateMany({ where: { id: webhookId, rolloutId, disabledAt: { not: null } }, data: { disabledAt: null } });
    if (count === 0) throw new AppError("NOT_FOUND", { key: "errors.webhooks.notFound" });
    await recordAudit(tx, { rolloutId, actorId: actor.id, action: "webhook.enabled", targetType: "WebhookEndpoint", targetId: webhookId });
  });
}

/** "Send again": the delivery is queued now, with a new retry window (same webhook-id). */
export async function resendDelivery(actor: Actor, rolloutId: string, deliveryId: string, now = new Date()) {
  await assertCan(actor, rolloutId, "users.manage");
  return getDb().$transaction(async (tx) => {
    const row = await tx.webhookDelivery.findFirst({ where: { id: deliveryId, rolloutId }, select: { id: true, endpoint: { select: { disabledAt: true } } } });
    if (!row) throw new AppError("NOT_FOUND", { key: "errors.webhooks.noSuchDelivery" });
    if (row.endpoint.disabledAt) throw new AppError("CONFLICT", { key: "errors.webhooks.disabled" });
    await tx.webhookDelivery.update({ where: { id: row.id }, data: { status: "PENDING", nextAttemptAt: now, windowStart: now, deliveredAt: null } });
    await recordAudit(tx, { rolloutId, actorId: actor.id, action: "webhook.delivery.resent", targetType: "WebhookDelivery", targetId: row.id });
  });
}

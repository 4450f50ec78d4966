import type { Db } from "../db/client";
import { recordAudit } from "../audit/record";
import { notify } from "../notifications/notify";
import { logger } from "../observe/log";
import { createPoller, existingSingleton, processSingleton } from "../server/poller";
import { postWebhook, TargetRefused } from "./send";
import { webhookHeaders } from "./sign";
import { refuseTarget } from "./target";

// The delivery worker: one per instance (started by instrumentation.ts, stopped by the
// graceful shutdown). Every poll it claims the due rows of the outbox in one statement
// (`FOR UPDATE SKIP LOCKED`, pushing their next attempt one lease ahead), so two instances
// never take the same row; it then sends each, signed, and records the outcome. A failure
// is tried again after an exponential backoff until the row's retry window (24 h) is over;
// then the row fails and its endpoint is disabled (a ledger event, and the settings page
// shows it).

export type WorkerSettings = {
  pollMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  windowMs: number;
  leaseMs: number;
  timeoutMs: number;
  batch: number;
};

function fromEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number (got ${JSON.stringify(raw)}).`);
  return value;
}

export function workerSettings(): WorkerSettings {
  return {
    pollMs: fromEnv("WEBHOOK_POLL_MS", 2000),
    backoffBaseMs: fromEnv("WEBHOOK_BACKOFF_BASE_MS", 30_000),
    backoffMaxMs: fromEnv("WEBHOOK_BACKOFF_MAX_MS", 3_600_000),
    windowMs: fromEnv("WEBHOOK_RETRY_WINDOW_MS", 86_400_000),
    leaseMs: fromEnv("WEBHOOK_LEASE_MS", 60_000),
    timeoutMs: fromEnv("WEBHOOK_TIMEOUT_MS", 10_000),
    batch: fromEnv("WEBHOOK_BATCH", 20),
  };
}

/** The wait before attempt n+1 after n failed attempts: base × 2^(n-1), at most the maximum. */
export function backoffMs(attempts: number, settings: Pick<WorkerSettings, "backoffBaseMs" | "backoffMaxMs">): number {
  return Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
}

type Claimed = { id: string; endpointId: string; rolloutId: string; eventSeq: number; payload: unknown; attempts: number; windowStart: Date };

/** A Slack-compatible message for an event (Slack's incoming webhooks read `text`). */
export function slackMessage(payload: unknown): { text: string } {
  const p = payload as { type?: string; timestamp?: string; data?: { rolloutId?: string; seq?: number; targetType?: string; targetId?: string | null } };
  const target = [p.data?.targetType, p.data?.targetId].filter(Boolean).join(" ");
  return { text: `Greenlight: ${p.type ?? "event"}${target ? ` (${target})` : ""}, rollout ${p.data?.rolloutId ?? "?"} #${p.data?.seq ?? "?"}, ${p.timestamp ?? ""}`.trim() };
}

export function createWebhookWorker(getDb: () => Db, overrides: Partial<WorkerSettings> = {}) {
  const settings = { ...workerSettings(), ...overrides };

  async function claim(db: Db): Promise<Claimed[]> {
    return db.$queryRaw<Claimed[]>`
      UPDATE "WebhookDelivery" d
      SET "nextAttemptAt" = (now() AT TIME ZONE 'UTC') + ${settings.leaseMs} * interval '1 millisecond',
          "attempts" = d."attempts" + 1,
          "lastAttemptAt" = (now() AT TIME ZONE 'UTC')
      WHERE d."id" IN (
        SELECT "id" FROM "WebhookDelivery"
        WHERE "status" = 'PENDING' AND "nextAttemptAt" <= (now() AT TIME ZONE 'UTC')
        ORDER BY "nextAttemptAt"
        LIMIT ${settings.batch}
        FOR UPDATE SKIP LOCKED)
      RETURNING d."id", d."endpointId", d."rolloutId", d."eventSeq", d."payload", d."attempts", d."windowStart"`;
  }

  async function send(db: Db, row: Claimed): Promise<void> {
    const endpoint = await db.webhookEndpoint.findUnique({ where: { id: row.endpointId }, select: { url: true, secret: true, slack: true, disabledAt: true } });
    if (!endpoint || endpoint.disabledAt) {
      await db.webhookDelivery.update({ where: { id: row.id }, data: { status: "FAILED", lastError: "endpoint disabled" } });
      return;
    }
    let status: number | null = null;
    let error: string | null = null;
    const refusal = await refuseTarget(endpoint.url);
    if (refusal) {
      error = `target refused (${refusal})`;
    } else {
      const body = JSON.stringify(endpoint.slack ? slackMessage(row.payload) : row.payload);
      try {
        const headers = { "content-type": "application/json", "user-agent": "Greenlight-Webhooks/1", ...webhookHeaders(endpoint.secret, row.id, body) };
        status = await postWebhook(endpoint.url, headers, body, settings.timeoutMs);
        if (status < 200 || status >= 300) error = `HTTP ${status}`;
      } catch (cause) {
        error = cause instanceof TargetRefused ? "target refused (private)" : cause instanceof Error ? cause.message.slice(0, 200) : "failed";
      }
    }
    const now = new Date();
    if (!error) {
      await db.webhookDelivery.update({ where: { id: row.id }, data: { status: "DELIVERED", deliveredAt: now, lastStatusCode: status, lastError: null } });
      return;
    }
    const next = new Date(now.getTime() + backoffMs(row.attempts, settings));
    if (next.getTime() - new Date(row.windowStart).getTime() <= settings.windowMs) {
      await db.webhookDelivery.update({ where: { id: row.id }, data: { nextAttemptAt: next, lastStatusCode: status, lastError: error } });
      return;
    }
    // The retry window is over: this delivery fails and its endpoint is disabled.
    await db.$transaction(async (tx) => {
      await tx.webhookDelivery.update({ where: { id: row.id }, data: { status: "FAILED", lastStatusCode: status, lastError: error } });
      const { count } = await tx.webhookEndpoint.updateMany({ where: { id: row.endpointId, disabledAt: null }, data: { disabledAt: now } });
      if (count > 0) {
        const { seq } = await recordAudit(tx, { rolloutId: row.rolloutId, actorId: null, action: "webhook.disabled", targetType: "WebhookEndpoint", targetId: row.endpointId, after: { reason: error, deliveryId: row.id } });
        // Its admins are told (the holders of the admin role, or of a custom role based on it), in the same transaction.
        const admins = await tx.rolloutMember.findMany({ where: { rolloutId: row.rolloutId, role: "ADMIN" }, select: { userId: true } });
        await notify(tx, {
          rolloutId: row.rolloutId,
          kind: "WEBHOOK_DISABLED",
          actorId: null,
          recipients: admins.map((a) => a.userId),
          eventSeq: seq,
          targetType: "WebhookEndpoint",
          targetId: row.endpointId,
          path: "/settings",
        });
      }
    });
    logger().warn({ endpointId: row.endpointId, deliveryId: row.id }, "webhooks: endpoint disabled after its retry window");
  }

  /** Claims and sends what is due now; resolves with the number of rows attempted. */
  async function runOnce(): Promise<number> {
    const db = getDb();
    const rows = await claim(db);
    await Promise.all(rows.map((row) => send(db, row).catch((error: unknown) => logger().error({ err: error, deliveryId: row.id }, "webhooks: recording a delivery failed"))));
    return rows.length;
  }

  const poller = createPoller(runOnce, settings.pollMs, "webhooks: claiming deliveries failed");

  return {
    settings,
    runOnce,
    start: poller.start,
    /** Stops polling and waits for the sends in progress (bounded by the send timeout). */
    async stop() {
      await poller.stop();
    },
  };
}

export type WebhookWorker = ReturnType<typeof createWebhookWorker>;

/** The process's worker on the process's database (started once). */
export function startWebhookWorker(getDb: () => Db): WebhookWorker {
  const worker = processSingleton("greenlight.webhook-worker", () => createWebhookWorker(getDb));
  worker.start();
  return worker;
}

export async function stopWebhookWorker(): Promise<void> {
  await existingSingleton<WebhookWorker>("greenlight.webhook-worker")?.stop();
}

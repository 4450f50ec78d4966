import type { Prisma } from "../generated/prisma/client";

// The outbox's writer, called by `recordAudit` in the transaction of every ledger event:
// one delivery row per enabled endpoint of the rollout that takes this event's type ("*",
// the action itself, or its family: "item.*") (one
// statement, whether or not there is any). Committed with the event, or rolled back with it.

export type OutboxEvent = {
  rolloutId: string;
  seq: number;
  at: Date;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
};

/** The message body every endpoint receives (Standard Webhooks' type / timestamp / data). */
export function webhookPayload(event: OutboxEvent) {
  return {
    type: event.action,
    timestamp: event.at.toISOString(),
    data: {
      rolloutId: event.rolloutId,
      seq: event.seq,
      actorId: event.actorId,
      targetType: event.targetType,
      targetId: event.targetId,
      before: event.before ?? null,
      after: event.after ?? null,
    },
  };
}

export async function enqueueWebhooks(tx: Prisma.TransactionClient, event: OutboxEvent): Promise<void> {
  const payload = JSON.stringify(webhookPayload(event));
  await tx.$executeRaw`
    INSERT INTO "WebhookDelivery" ("id", "endpointId", "rolloutId", "eventSeq", "action", "payload")
    SELECT 'wd' || replace(gen_random_uuid()::text, '-', ''), e."id", e."rolloutId", ${event.seq}, ${event.action}, ${payload}::jsonb
    FROM "WebhookEndpoint" e
    WHERE e."rolloutId" = ${event.rolloutId} AND e."disabledAt" IS NULL 
      AND EXISTS (SELECT 1 FROM unnest(e."events") AS p(t)
                  WHERE p.t = '*' OR p.t = ${event.action} OR (right(p.t, 2) = '.*' AND starts_with(${event.action}, left(p.t, -1))))`;
}

import type { Prisma } from "../generated/prisma/client";

// The burn-down's daily projection (`BurnDownDay`): per rollout and UTC day, the net change
// in the number of open phase items that day's `item.state.changed` events made (reopened
// minus closed). The open count at the end of a past day is today's count minus the changes
// of the days after it, so the chart reads one row per day, never the events.

type Tx = Pick<Prisma.TransactionClient, "$executeRaw">;

const ITEM_STATES = ["OPEN", "DONE", "NOT_APPLICABLE"];

function stateIn(value: unknown): string | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const state = (value as Record<string, unknown>).state;
  return typeof state === "string" ? state : null;
}

/**
 * Moves the day's count by +1 (reopened), -1 (closed) or 0 for one item state change: in the
 * transaction that records the change, one statement. Items outside the phases do not count,
 * nor does an event without a valid state after it (as the reconstruction from events did).
 */
export async function projectBurnDown(tx: Tx, change: { rolloutId: string; itemId: string; at: Date; before: unknown; after: unknown }): Promise<void> {
  const before = stateIn(change.before);
  const after = stateIn(change.after);
  if (after === null || !ITEM_STATES.includes(after)) return;
  const delta = (after === "OPEN" ? 1 : 0) - (before === "OPEN" ? 1 : 0);
  if (delta === 0) return;
  const day = change.at.toISOString().slice(0, 10);
  await tx.$executeRaw`
    INSERT INTO "BurnDownDay" ("rolloutId", "day", "delta")
    SELECT ${change.rolloutId}, ${day}::date, ${delta}::int FROM "ChecklistItem"
    WHERE "id" = ${change.itemId} AND "rolloutId" = ${change.rolloutId} AND "list" = 'PHASE'
    ON CONFLICT ("rolloutId", "day") DO UPDATE SET "delta" = "BurnDownDay"."delta" + EXCLUDED."delta"`;
}

/**
 * Rebuilds a rollout's projection from its recorded events (what the migration that
 * created the table did for every rollout): for events written without `recordAudit`,
 * such as a generated history.
 */
export async function rebuildBurnDown(tx: Tx, rolloutId: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM "BurnDownDay" WHERE "rolloutId" = ${rolloutId}`;
  await tx.$executeRaw`
    INSERT INTO "BurnDownDay" ("rolloutId", "day", "delta")
    SELECT e."rolloutId", e."at"::date,
           SUM((CASE WHEN e."after"->>'state' = 'OPEN' THEN 1 ELSE 0 END) - (CASE WHEN e."before"->>'state' = 'OPEN' THEN 1 ELSE 0 END))::int
    FROM "AuditEvent" e
    JOIN "ChecklistItem" i ON i."id" = e."targetId" AND i."rolloutId" = e."rolloutId" AND i."list" = 'PHASE'
    WHERE e."rolloutId" = ${rolloutId} AND e."action" = 'item.state.changed' AND e."targetType" = 'ChecklistItem'
      AND e."after"->>'state' IN ('OPEN', 'DONE', 'NOT_APPLICABLE')
    GROUP BY 1, 2`;
}

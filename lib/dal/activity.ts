import "server-only";
import { assertCan, getMemberships } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";

export const ACTIVITY_PAGE_SIZE = 50;

type JsonObject = Record<string, unknown>;

export type ActivityEvent = {
  seq: number;
  at: Date;
  action: string;
  /** Null for events no person caused (the seed). */
  actor: { id: string; name: string } | null;
  targetType: string;
  targetId: string | null;
  /** The target's display name now (title, text, name), else what the event recorded, else null. */
  target: string | null;
  before: JsonObject | null;
  after: JsonObject | null;
};

export type ActivityPage = {
  rollout: { id: string; slug: string; name: string };
  events: ActivityEvent[];
  /** The cursor of the next (older) page, or null on the last page. */
  nextBefore: number | null;
};

const asObject = (value: unknown): JsonObject | null =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : null;

/**
 * One display-name lookup per target type present on the page, each limited to this
 * rollout's rows where the table belongs to a rollout. Unknown types get no lookup.
 */
async function targetNames(rolloutId: string, idsByType: Map<string, string[]>): Promise<Map<string, string>> {
  const db = getDb();
  const lookups: Promise<{ type: string; rows: { id: string; name: string }[] }>[] = [];
  const add = (type: string, query: (ids: string[]) => Promise<{ id: string; name: string }[]>) => {
    const ids = idsByType.get(type);
    if (ids?.length) lookups.push(query(ids).then((rows) => ({ type, rows })));
  };
  add("ChecklistItem", async (ids) =>
    (await db.checklistItem.findMany({ where: { id: { in: ids }, rolloutId }, select: { id: true, text: true } })).map((r) => ({ id: r.id, name: r.text })),
  );
  add("SignOff", async (ids) =>
    (await db.signOff.findMany({ where: { id: { in: ids }, rolloutId }, select: { id: true, title: true } })).map((r) => ({ id: r.id, name: r.title })),
  );
  add("Phase", async (ids) => db.phase.findMany({ where: { id: { in: ids }, rolloutId }, select: { id: true, name: true } }));
  add("SuccessCriterion", async (ids) =>
    (await db.successCriterion.findMany({ where: { id: { in: ids }, rolloutId }, select: { id: true, text: true } })).map((r) => ({ id: r.id, name: r.text })),
  );
  add("ReadingListEntry", async (ids) =>
    (
      await db.readingListEntry.findMany({ where: { id: { in: ids }, rolloutId }, select: { id: true, document: { select: { title: true } } } })
    ).map((r) => ({ id: r.id, name: r.document.title })),
  );
  add("Document", async (ids) =>
    (await db.document.findMany({ where: { id: { in: ids }, rolloutId }, select: { id: true, title: true } })).map((r) => ({ id: r.id, name: r.title })),
  );
  add("Rollout", async (ids) => db.rollout.findMany({ where: { id: { in: ids.filter((id) => id === rolloutId) } }, select: { id: true, name: true } }));
  // People named by this rollout's events (added, given roles), whether or not still members.
  add("User", async (ids) => db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }));

  const names = new Map<string, string>();
  for (const { type, rows } of await Promise.all(lookups)) {
    for (const row of rows) names.set(`${type}:${row.id}`, row.name);
  }
  return names;
}

/** What the event itself recorded about its target, for targets since deleted or of unknown types. */
function recordedName(after: JsonObject | null, before: JsonObject | null): string | null {
  for (const source of [after, before]) {
    for (const key of ["title", "name", "document", "text", "topic", "label"]) {
      const value = source?.[key];
      if (typeof value === "string" && value) return value;
    }
  }
  return null;
}

/**
 * The rollout's audit events, newest first, 50 a page; `before` is the `seq` cursor of
 * the page to show (events older than it). Bounded: one query for the events (with
 * their actors' names) and one display-name lookup per target type on the page.
 */
export async function listActivity(actor: Actor, slug: string, options: { before?: number | null } = {}): Promise<ActivityPage> {
  const before = options.before ?? null;
  if (before !== null && (!Number.isSafeInteger(before) || before < 1)) {
    throw new AppError("INVALID_INPUT", { key: "errors.activity.badCursor" });
  }
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  await assertCan(actor, membership.rolloutId, "rollout.view");
  const rolloutId = membership.rolloutId;

  const rows = await getDb().auditEvent.findMany({
    where: { rolloutId, ...(before !== null ? { seq: { lt: before } } : {}) },
    select: {
      seq: true,
      at: true,
      action: true,
      targetType: true,
      targetId: true,
      before: true,
      after: true,
      actor: { select: { id: true, name: true } },
    },
    orderBy: { seq: "desc" },
    take: ACTIVITY_PAGE_SIZE + 1,
  });
  const page = rows.slice(0, ACTIVITY_PAGE_SIZE);

  const idsByType = new Map<string, string[]>();
  for (const row of page) {
    if (!row.targetId) continue;
    const ids = idsByType.get(row.targetType) ?? [];
    if (!ids.includes(row.targetId)) ids.push(row.targetId);
    idsByType.set(row.targetType, ids);
  }
  const names = await targetNames(rolloutId, idsByType);

  return {
    rollout: { id: rolloutId, slug: membership.slug, name: membership.name },
    nextBefore: rows.length > ACTIVITY_PAGE_SIZE ? page[page.length - 1].seq : null,
    events: page.map((row) => {
      const beforeJson = asObject(row.before);
      const afterJson = asObject(row.after);
      return {
        seq: row.seq,
        at: row.at,
        action: row.action,
        actor: row.actor,
        targetType: row.targetType,
        targetId: row.targetId,
        target: (row.targetId ? names.get(`${row.targetType}:${row.targetId}`) : undefined) ?? recordedName(afterJson, beforeJson),
        before: beforeJson,
        after: afterJson,
      };
    }),
  };
}

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
 * The display names of the page's targets in at most two statements: the rollout's own
 * rows (items, sign-offs, phases, criteria, reading-list entries, documents, the rollout
 * itself) in one read with its relations joined, each limited to the ids on the page; and
 * the people named. Unknown types get no lookup.
 */
async function targetNames(rolloutId: string, idsByType: Map<string, string[]>): Promise<Map<string, string>> {
  const db = getDb();
  const ids = (type: string) => idsByType.get(type) ?? [];
  const scoped = ["ChecklistItem", "SignOff", "Phase", "SuccessCriterion", "ReadingListEntry", "Document", "Rollout"].some((type) => ids(type).length > 0);
  const people = ids("User");
  const [rollout, users] = await Promise.all([
    scoped
      ? db.rollout.findUnique({
          where: { id: rolloutId },
          select: {
            id: true,
            name: true,
            items: { where: { id: { in: ids("ChecklistItem") } }, select: { id: true, text: true } },
            signOffs: { where: { id: { in: ids("SignOff") } }, select: { id: true, title: true } },
            phases: { where: { id: { in: ids("Phase") } }, select: { id: true, name: true } },
            criteria: { where: { id: { in: ids("SuccessCriterion") } }, select: { id: true, text: true } },
            readingList: { where: { id: { in: ids("ReadingListEntry") } }, select: { id: true, document: { select: { title: true } } } },
            documents: { where: { id: { in: ids("Document") } }, select: { id: true, title: true } },
          },
        })
      : null,
    // People named by this rollout's events (added, given roles), whether or not still members.
    people.length ? db.user.findMany({ where: { id: { in: people } }, select: { id: true, name: true } }) : [],
  ]);

  const names = new Map<string, string>();
  if (rollout) {
    if (ids("Rollout").includes(rollout.id)) names.set(`Rollout:${rollout.id}`, rollout.name);
    for (const r of rollout.items) names.set(`ChecklistItem:${r.id}`, r.text);
    for (const r of rollout.signOffs) names.set(`SignOff:${r.id}`, r.title);
    for (const r of rollout.phases) names.set(`Phase:${r.id}`, r.name);
    for (const r of rollout.criteria) names.set(`SuccessCriterion:${r.id}`, r.text);
    for (const r of rollout.readingList) names.set(`ReadingListEntry:${r.id}`, r.document.title);
    for (const r of rollout.documents) names.set(`Document:${r.id}`, r.title);
  }
  for (const user of users) names.set(`User:${user.id}`, user.name);
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
 * their actors' names), then at most two for the names of their targets.
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

import "server-only";
import { assertCan, getMemberships } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { filterItems, filterSignOffs, type ItemFilters, type SignOffFilters } from "../validation/filters";
import { itemsCsv, signOffsCsv } from "../export/csv";
import { planToMarkdown, readRolloutAsPlan } from "../export/markdown";
import { listActivity } from "./activity";
import { calendarForMember } from "./calendar";
import { listCriteria } from "./criteria-list";
import { loadRolloutSnapshot, type RolloutSnapshot } from "./snapshot";

// The reads behind /api/v1, shaped for JSON. They reuse the pages' data functions (the
// snapshot, the checklist filters), so membership, permissions and token scopes are
// checked exactly as for a page.

type SnapshotItem = RolloutSnapshot["items"][number];

export function itemJson(item: SnapshotItem) {
  return {
    id: item.id,
    phaseId: item.phaseId,
    phase: item.phase?.position ?? null,
    text: item.text,
    ownerRole: item.ownerRole,
    ownerCustomRoleId: item.ownerCustomRoleId,
    assignee: item.assignee,
    dueAt: item.dueAt?.toISOString() ?? null,
    optional: item.optional,
    state: item.state,
    evidence: item.evidence,
    notApplicableReason: item.notApplicableReason,
    stateChangedBy: item.stateChangedBy,
    stateChangedAt: item.stateChangedAt?.toISOString() ?? null,
    version: item.version,
  };
}

/** The rollouts the caller may see (not templates, not archived). */
export async function listApiRollouts(actor: Actor) {
  const memberships = (await getMemberships(actor.id)).filter((m) => !m.isTemplate && !m.archived);
  const visible = [];
  for (const m of memberships) {
    try {
      await assertCan(actor, m.rolloutId, "rollout.view");
      visible.push(m);
    } catch {
      // Neither the roles nor the token reach it: not listed.
    }
  }
  if (visible.length === 0) return [];
  const rows = await getDb().rollout.findMany({ where: { id: { in: visible.map((m) => m.rolloutId) } }, select: { id: true, description: true } });
  const description = new Map(rows.map((r) => [r.id, r.description]));
  return visible.map((m) => ({ id: m.rolloutId, slug: m.slug, name: m.name, description: description.get(m.rolloutId) ?? null, roles: m.roles }));
}

export async function getApiRollout(actor: Actor, slug: string) {
  const snapshot = await loadRolloutSnapshot(actor, slug);
  return {
    ...snapshot.rollout,
    roles: snapshot.roles,
    phases: snapshot.phases.map((p) => ({ id: p.id, position: p.position, name: p.name, status: p.status, optional: p.optional, version: p.version })),
  };
}

function cursorOf(itemId: string): string {
  return Buffer.from(JSON.stringify({ after: itemId })).toString("base64url");
}

function afterOf(cursor: string): string {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { after?: unknown };
    if (typeof value.after === "string") return value.after;
  } catch {
    // falls through to the refusal
  }
  throw new AppError("INVALID_INPUT", { key: "errors.api.badCursor" });
}

/** A page of the rollout's checklist, filtered as the checklist page filters, in its order. */
export async function listApiItems(actor: Actor, slug: string, query: ItemFilters & { cursor?: string; limit: number }, now = new Date()) {
  const snapshot = await loadRolloutSnapshot(actor, slug);
  const items = filterItems(snapshot.items, query, actor.id, now);
  let start = 0;
  if (query.cursor) {
    const after = afterOf(query.cursor);
    const index = items.findIndex((i) => i.id === after);
    if (index < 0) throw new AppError("INVALID_INPUT", { key: "errors.api.badCursor" });
    start = index + 1;
  }
  const page = items.slice(start, start + query.limit);
  const more = start + query.limit < items.length;
  return { items: page.map(itemJson), nextCursor: more && page.length > 0 ? cursorOf(page[page.length - 1]!.id) : null };
}

export async function getApiItem(actor: Actor, slug: string, itemId: string) {
  const snapshot = await loadRolloutSnapshot(actor, slug);
  const item = snapshot.items.find((i) => i.id === itemId);
  if (!item) throw new AppError("NOT_FOUND", { key: "errors.items.noSuchItem" });
  return itemJson(item);
}

/** The rollout a slug names, as the caller may see it, or NOT_FOUND. */
async function rolloutIdOf(actor: Actor, slug: string): Promise<string> {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  await assertCan(actor, membership.rolloutId, "rollout.view");
  return membership.rolloutId;
}

/** Refuses (NOT_FOUND) an item or sign-off id that is not in the rollout the path names. */
export async function assertInRollout(actor: Actor, slug: string, target: { itemId?: string; signOffId?: string; phaseId?: string; criterionId?: string; entryId?: string }) {
  const rolloutId = await rolloutIdOf(actor, slug);
  const db = getDb();
  if (target.phaseId !== undefined && (await db.phase.count({ where: { id: target.phaseId, rolloutId } })) === 0) {
    throw new AppError("NOT_FOUND", { key: "errors.phases.noSuchPhase" });
  }
  if (target.criterionId !== undefined && (await db.successCriterion.count({ where: { id: target.criterionId, rolloutId } })) === 0) {
    throw new AppError("NOT_FOUND", { key: "errors.criteria.noSuchCriterion" });
  }
  if (target.entryId !== undefined && (await db.readingListEntry.count({ where: { id: target.entryId, rolloutId } })) === 0) {
    throw new AppError("NOT_FOUND", { key: "errors.reading.noSuchEntry" });
  }
  if (target.itemId !== undefined && (await db.checklistItem.count({ where: { id: target.itemId, rolloutId } })) === 0) {
    throw new AppError("NOT_FOUND", { key: "errors.items.noSuchItem" });
  }
  if (target.signOffId !== undefined && (await db.signOff.count({ where: { id: target.signOffId, rolloutId } })) === 0) {
    throw new AppError("NOT_FOUND", { key: "errors.signOffs.noSuchSignOff" });
  }
  return rolloutId;
}


type SnapshotSignOff = RolloutSnapshot["signOffs"][number];

export function signOffJson(signOff: SnapshotSignOff) {
  return {
    id: signOff.id,
    phaseId: signOff.phaseId,
    phase: signOff.phase?.position ?? null,
    kind: signOff.kind,
    title: signOff.title,
    status: signOff.status,
    requiredRoles: signOff.requiredRoles,
    requiredCustomRoleIds: signOff.requiredCustomRoleIds,
    approvalsNeeded: signOff.approvalsNeeded,
    everyRole: signOff.everyRole,
    requiredForGate: signOff.requiredForGate,
    dueAt: signOff.dueAt?.toISOString() ?? null,
    version: signOff.version,
    decisions: signOff.decisions
      .filter((d) => d.withdrawnAt === null)
      .map((d) => ({ by: d.user, role: d.role, customRoleId: d.customRoleId, value: d.value, comment: d.comment, decidedAt: d.decidedAt.toISOString() })),
  };
}

/** The rollout's sign-offs with their standing decisions, in the plan's order. */
export async function listApiSignOffs(actor: Actor, slug: string) {
  const snapshot = await loadRolloutSnapshot(actor, slug);
  return snapshot.signOffs.map(signOffJson);
}

export async function getApiSignOff(actor: Actor, slug: string, signOffId: string) {
  const snapshot = await loadRolloutSnapshot(actor, slug);
  const signOff = snapshot.signOffs.find((s) => s.id === signOffId);
  if (!signOff) throw new AppError("NOT_FOUND", { key: "errors.signOffs.noSuchSignOff" });
  return signOffJson(signOff);
}

function phaseJson(phase: RolloutSnapshot["phases"][number]) {
  return { id: phase.id, position: phase.position, name: phase.name, status: phase.status, optional: phase.optional, version: phase.version };
}

export async function listApiPhases(actor: Actor, slug: string) {
  return (await loadRolloutSnapshot(actor, slug)).phases.map(phaseJson);
}

export async function getApiPhase(actor: Actor, slug: string, phaseId: string) {
  const phase = (await loadRolloutSnapshot(actor, slug)).phases.find((p) => p.id === phaseId);
  if (!phase) throw new AppError("NOT_FOUND", { key: "errors.phases.noSuchPhase" });
  return phaseJson(phase);
}

/** The rollout's success criteria in the plan's order, each with its group's name. */
export async function listApiCriteria(actor: Actor, slug: string) {
  const list = await listCriteria(actor, slug, "all");
  return list.groups.flatMap(({ group, criteria }) => criteria.map((c) => criterionJson(c, group.name)));
}

export function criterionJson(
  c: { id: string; groupId: string; position: number; text: string; version: number; verifiedAt: Date | null; verifiedBy: { id: string; name: string } | null; note: string | null },
  group: string,
) {
  return {
    id: c.id,
    groupId: c.groupId,
    group,
    position: c.position,
    text: c.text,
    verified: c.verifiedAt !== null,
    verifiedAt: c.verifiedAt?.toISOString() ?? null,
    verifiedBy: c.verifiedBy,
    note: c.note,
    version: c.version,
  };
}

export async function getApiCriterion(actor: Actor, slug: string, criterionId: string) {
  const found = (await listApiCriteria(actor, slug)).find((c) => c.id === criterionId);
  if (!found) throw new AppError("NOT_FOUND", { key: "errors.criteria.noSuchCriterion" });
  return found;
}

/** The caller's own reading lists in this rollout (the entries of the roles they hold), with what they have read. */
export async function listApiReading(actor: Actor, slug: string) {
  const snapshot = await loadRolloutSnapshot(actor, slug);
  const roles = new Set<string>(snapshot.roles);
  return snapshot.reading
    .filter((entry) => roles.has(entry.role))
    .map((entry) => {
      const mine = entry.readStates.find((r) => r.userId === actor.id);
      return {
        id: entry.id,
        role: entry.role,
        position: entry.position,
        document: entry.document,
        read: mine !== undefined,
        readAt: mine?.readAt.toISOString() ?? null,
      };
    });
}

/** A page of the rollout's events, newest first; `before` is the previous page's `nextBefore`. */
export async function listApiActivity(actor: Actor, slug: string, before: number | null) {
  const page = await listActivity(actor, slug, { before });
  return {
    events: page.events.map((e) => ({ ...e, at: e.at.toISOString() })),
    nextBefore: page.nextBefore,
  };
}

/** The rollout's exports, as the portal's export links give them; `plan.export` is checked (the `read` scope reaches it). */
async function exportable(actor: Actor, slug: string) {
  const snapshot = await loadRolloutSnapshot(actor, slug);
  await assertCan(actor, snapshot.rollout.id, "plan.export");
  return snapshot;
}

export async function exportApiPlan(actor: Actor, slug: string) {
  const snapshot = await exportable(actor, slug);
  return { slug: snapshot.rollout.slug, body: planToMarkdown(await readRolloutAsPlan(getDb(), snapshot.rollout.id)) };
}

export async function exportApiItems(actor: Actor, slug: string, filters: ItemFilters, now = new Date()) {
  const snapshot = await exportable(actor, slug);
  return { slug: snapshot.rollout.slug, body: itemsCsv(filterItems(snapshot.items, filters, actor.id, now)) };
}

export async function exportApiSignOffs(actor: Actor, slug: string, filters: SignOffFilters) {
  const snapshot = await exportable(actor, slug);
  return { slug: snapshot.rollout.slug, body: signOffsCsv(filterSignOffs(snapshot.signOffs, filters)) };
}

export async function exportApiCalendar(actor: Actor, slug: string) {
  return calendarForMember(actor, slug);
}

import "server-only";
import { actorCan, assertCan, getMemberships } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { roleKeyOf } from "../domain/roles";
import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { ItemFilters } from "../validation/filters";

/** Items per checklist page: a long plan is read a page at a time. */
const person = { select: { id: true, name: true } } as const;

/** What a checklist row shows of an item (`toChecklistRow`, `canTick`, `mayAssign`, `tickLock`): the checklist and the phase page read it. */
export const CHECKLIST_ROW_SELECT = {
  id: true,
  text: true,
  state: true,
  version: true,
  optional: true,
  evidence: true,
  notApplicableReason: true,
  dueAt: true,
  ownerRole: true,
  ownerCustomRoleId: true,
  assigneeId: true,
  stateChangedAt: true,
  assignee: person,
  stateChangedBy: person,
} as const;

export const CHECKLIST_PAGE_SIZE = 50;

/** The filters as a query: the same rules as `filterItems`, run by the database. */
function itemFilterWhere(rolloutId: string, filters: ItemFilters, actorId: string, now: Date): Prisma.ChecklistItemWhereInput {
  return {
    rolloutId,
    ...(filters.role ? { ownerRole: filters.role } : {}),
    ...(filters.phase === undefined ? {} : filters.phase === 0 ? { phaseId: null } : { phase: { position: filters.phase } }),
    ...(filters.state === "OVERDUE" ? { state: "OPEN", dueAt: { lt: now } } : filters.state ? { state: filters.state } : {}),
    ...(filters.assignee ? { assigneeId: filters.assignee === "me" ? actorId : filters.assignee } : {}),
  };
}

/**
 * One page of the checklist, filtered: the page's items only (in the plan's order), how
 * many match, the phases (headings and the phase filter), the people items are assigned
 * to (the assignee filter) and, with `members`, the rollout's active members (the assignee
 * picker of a row opened on the server; otherwise none are read). Three statements in
 * parallel after the membership lookup (the count, the rollout's phases, the assignees),
 * then the page's ids, then the page's rows by id, whatever the plan's size; a page past
 * the last is the last.
 */
export async function getChecklistPage(actor: Actor, slug: string, filters: ItemFilters, page: number, now: Date = new Date(), options: { members?: boolean } = {}) {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  const roles = await assertCan(actor, membership.rolloutId, "rollout.view");
  const rolloutId = membership.rolloutId;
  const db = getDb();
  const where = itemFilterWhere(rolloutId, filters, actor.id, now);
  const select = { ...CHECKLIST_ROW_SELECT, list: true, phaseId: true, phase: { select: { position: true, status: true } } } as const;
  const orderBy: Prisma.ChecklistItemOrderByWithRelationInput[] = [{ list: "asc" }, { phase: { position: "asc" } }, { position: "asc" }];
  const requested = Math.max(1, Math.floor(page));
  // The count first, so a page past the last (a stale link) reads the last page instead.
  const [count, plan, assigned] = await Promise.all([
    db.checklistItem.count({ where }),
    db.rollout.findUniqueOrThrow({
      where: { id: rolloutId },
      select: {
        phases: { orderBy: { position: "asc" }, select: { id: true, position: true, name: true } },
        // Only for a row opened on the server (no JavaScript): pickers opened in the browser ask for them.
        members: { where: { user: { active: true } }, select: { user: person }, ...(options.members ? {} : { take: 0 }) },
        customRoles: { orderBy: { position: "asc" }, select: { id: true, name: true } },
      },
    }),
    // The people items are assigned to: each person once, looked up from the people's side.
    db.user.findMany({ where: { assignedItems: { some: { rolloutId } } }, select: { id: true, name: true }, orderBy: [{ name: "asc" }, { id: "asc" }] }),
  ]);
  const pages = Math.max(1, Math.ceil(count / CHECKLIST_PAGE_SIZE));
  const current = Math.min(requested, pages);
  // The page's ids first (the filter, the order and the page: a sort of narrow rows), then
  // only those rows with their people and phase. One read joining every matching row to its
  // people before sorting built 5,000 JSON objects on the large plan to keep 50.
  const ids = (await db.checklistItem.findMany({ where, orderBy, select: { id: true }, skip: (current - 1) * CHECKLIST_PAGE_SIZE, take: CHECKLIST_PAGE_SIZE })).map((row) => row.id);
  const rows = ids.length ? await db.checklistItem.findMany({ where: { id: { in: ids } }, select }) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const items = ids.flatMap((id) => byId.get(id) ?? []);
  return {
    // An archived rollout is read-only: the page offers no write control on it.
    rollout: { id: rolloutId, slug: membership.slug, name: membership.name, archived: membership.archived },
    roles,
    holdings: membership.holdings,
    phases: plan.phases,
    members: plan.members,
    customRoles: plan.customRoles,
    assignees: assigned,
    items,
    count,
    page: current,
    pages,
    pageSize: CHECKLIST_PAGE_SIZE,
  };
}

export type ChecklistPage = Awaited<ReturnType<typeof getChecklistPage>>;

/** A person an item may be assigned to. */
export type AssigneeChoice = { id: string; name: string };

/**
 * The people the actor may assign an item to (the rollout's active members, by name), for
 * the assignee picker, which asks for them when it opens instead of every page carrying the
 * list. The same rule as saving an assignee (`updateItemDetails`): whoever may edit the
 * plan, or holds the item's owner role with the right to tick their own items; not in an
 * archived rollout. An item of a rollout the actor does not belong to is NOT_FOUND. Two
 * statements: the item, then the members (the membership lookup is memoized per request).
 */
export async function listItemAssignees(actor: Actor, itemId: string): Promise<AssigneeChoice[]> {
  const db = getDb();
  const item = await db.checklistItem.findUnique({ where: { id: itemId }, select: { rolloutId: true, ownerRole: true, ownerCustomRoleId: true } });
  if (!item) throw new AppError("NOT_FOUND", { key: "errors.items.noSuchItem" });
  const roles = await assertCan(actor, item.rolloutId, "rollout.view");
  const membership = (await getMemberships(actor.id)).find((m) => m.rolloutId === item.rolloutId);
  const owner = item.ownerRole === null ? null : roleKeyOf({ role: item.ownerRole, customRoleId: item.ownerCustomRoleId });
  const owns = owner !== null && (membership?.holdings ?? []).some((h) => roleKeyOf(h) === owner) && actorCan(actor, roles, "item.tick.own");
  if (!actorCan(actor, roles, "plan.edit") && !owns) throw new AppError("FORBIDDEN", { key: "errors.items.assignForbidden" });
  if (membership?.archived) throw new AppError("CONFLICT", { key: "errors.rollouts.archived", values: { rollout: membership.name } });
  const members = await db.rolloutMember.findMany({
    where: { rolloutId: item.rolloutId, user: { active: true } },
    distinct: ["userId"],
    select: { user: { select: { id: true, name: true } } },
  });
  return members.map((m) => m.user).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The people items of the rollout are assigned to, each once, by name: the checklist's
 * assignee filter asks for them when it is opened (a page does not carry them). Whoever may
 * see the rollout may list them; a rollout the actor does not belong to is NOT_FOUND.
 */
export async function listAssignedPeople(actor: Actor, slug: string): Promise<AssigneeChoice[]> {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  await assertCan(actor, membership.rolloutId, "rollout.view");
  const people = await getDb().user.findMany({ where: { assignedItems: { some: { rolloutId: membership.rolloutId } } }, select: { id: true, name: true } });
  return people.sort((a, b) => a.name.localeCompare(b.name));
}

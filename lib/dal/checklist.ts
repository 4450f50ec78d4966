import "server-only";
import { assertCan, getMemberships } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { ItemFilters } from "../validation/filters";

/** Items per checklist page: a long plan is read a page at a time. */
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
 * to (the assignee filter) and the rollout's active members (the assignee picker, once per
 * page). Three statements in parallel after the membership lookup, then the page's items,
 * whatever the plan's size; a page past the last is the last.
 */
export async function getChecklistPage(actor: Actor, slug: string, filters: ItemFilters, page: number, now: Date = new Date()) {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  const roles = await assertCan(actor, membership.rolloutId, "rollout.view");
  const rolloutId = membership.rolloutId;
  const db = getDb();
  const where = itemFilterWhere(rolloutId, filters, actor.id, now);
  const person = { select: { id: true, name: true } } as const;
  const select = {
    id: true,
    list: true,
    phaseId: true,
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
    phase: { select: { position: true, status: true } },
  } as const;
  const orderBy: Prisma.ChecklistItemOrderByWithRelationInput[] = [{ list: "asc" }, { phase: { position: "asc" } }, { position: "asc" }];
  const requested = Math.max(1, Math.floor(page));
  // The count first, so a page past the last (a stale link) reads the last page instead.
  const [count, plan, assigned] = await Promise.all([
    db.checklistItem.count({ where }),
    db.rollout.findUniqueOrThrow({
      where: { id: rolloutId },
      select: {
        phases: { orderBy: { position: "asc" }, select: { id: true, position: true, name: true } },
        members: { where: { user: { active: true } }, select: { user: person } },
        customRoles: { orderBy: { position: "asc" }, select: { id: true, name: true } },
      },
    }),
    db.checklistItem.findMany({ where: { rolloutId, assigneeId: { not: null } }, distinct: ["assigneeId"], select: { assignee: person } }),
  ]);
  const pages = Math.max(1, Math.ceil(count / CHECKLIST_PAGE_SIZE));
  const current = Math.min(requested, pages);
  const items = await db.checklistItem.findMany({ where, orderBy, select, skip: (current - 1) * CHECKLIST_PAGE_SIZE, take: CHECKLIST_PAGE_SIZE });
  return {
    // An archived rollout is read-only: the page offers no write control on it.
    rollout: { id: rolloutId, slug: membership.slug, name: membership.name, archived: membership.archived },
    roles,
    holdings: membership.holdings,
    phases: plan.phases,
    members: plan.members,
    customRoles: plan.customRoles,
    assignees: assigned.flatMap((row) => (row.assignee ? [row.assignee] : [])),
    items,
    count,
    page: current,
    pages,
    pageSize: CHECKLIST_PAGE_SIZE,
  };
}

export type ChecklistPage = Awaited<ReturnType<typeof getChecklistPage>>;

import "server-only";
import { assertCan, getMemberships } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";

/**
 * Everything a dashboard shows of one rollout, in four statements run in parallel after
 * the (per-request, shared) membership lookup, which also names the rollout and the
 * caller's role identities — whatever the plan's size. Relations are loaded by joins
 * (Prisma's `relationJoins`), so each read is one statement however many relations it
 * selects. Dashboards shape it in code rather than issuing a query per widget.
 */
export async function loadRolloutSnapshot(actor: Actor, slug: string) {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  const roles = await assertCan(actor, membership.rolloutId, "rollout.view");
  const rolloutId = membership.rolloutId;
  const db = getDb();
  const person = { select: { id: true, name: true } } as const;
  // An archived rollout is read-only: pages offer no write control on it (the server refuses them anyway).
  const rollout = { id: rolloutId, slug: membership.slug, name: membership.name, archived: membership.archived };
  const [items, signOffs, plan, reading] = await Promise.all([
    db.checklistItem.findMany({
      where: { rolloutId },
      orderBy: [{ list: "asc" }, { phase: { position: "asc" } }, { position: "asc" }],
      include: { assignee: person, stateChangedBy: person, phase: { select: { position: true, name: true, status: true } } },
    }),
    db.signOff.findMany({
      where: { rolloutId },
      orderBy: { position: "asc" },
      include: { decisions: { include: { user: person }, orderBy: { decidedAt: "asc" } }, phase: { select: { position: true, name: true, status: true } } },
    }),
    // The phases, the members, the rollout's own roles and its success criteria in one read.
    db.rollout.findUniqueOrThrow({
      where: { id: rolloutId },
      select: {
        phases: { orderBy: { position: "asc" }, include: { overriddenBy: person } },
        members: { where: { user: { active: true } }, select: { role: true, customRoleId: true, user: { select: { id: true, name: true, email: true } } } },
        customRoles: { orderBy: { position: "asc" }, select: { id: true, slug: true, name: true, baseRole: true } },
        criteria: {
          orderBy: [{ group: { position: "asc" } }, { position: "asc" }],
          include: { verifiedBy: person, group: { select: { id: true, name: true, position: true } } },
        },
      },
    }),
    db.readingListEntry.findMany({
      where: { rolloutId },
      orderBy: [{ role: "asc" }, { position: "asc" }],
      include: { document: { select: { id: true, title: true, path: true } }, readStates: { select: { userId: true, readAt: true } } },
    }),
  ]);
  const { phases, members, customRoles, criteria } = plan;
  // `roles` are the caller's rights; `holdings` the role identities they hold (a custom role is its own identity).
  const holdings = membership.holdings;
  return { rollout, roles, holdings, phases, items, signOffs, members, reading, criteria, customRoles, actorId: actor.id };
}

export type RolloutSnapshot = Awaited<ReturnType<typeof loadRolloutSnapshot>>;

import "server-only";
import { getMemberships } from "../auth/access";
import { can, decideAction } from "../auth/permissions";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import type { Role } from "../generated/prisma/enums";

const DAY = 86_400_000;

/**
 * One role's dashboard for a person who holds that role in the rollout: their next 24
 * hours (open items of the role due by then, and the role's "next 24 hours" actions),
 * the role's checklist, reading list with the person's read state, and the sign-offs
 * the role decides. Four queries in parallel after the membership lookup.
 */
export async function getRoleDashboard(actor: Actor, slug: string, role: Role, now = new Date()) {
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", "No such rollout.");
  if (!membership.roles.includes(role) || !can([role], "rollout.view")) {
    throw new AppError("FORBIDDEN", "You do not hold this role in this rollout.");
  }
  const rolloutId = membership.rolloutId;
  const db = getDb();
  const soon = new Date(now.getTime() + DAY);
  const decidable = (["PHASE_GATE", "PRODUCTION_DEPLOYMENT", "DEPLOYMENT_DATE", "BUDGET", "SECURITY_POLICY", "ACCESS_CONTROL", "COMPLIANCE", "GO_NO_GO"] as const).filter(
    (kind) => can([role], decideAction(kind)),
  );

  const [rollout, items, reading, signOffs] = await Promise.all([
    db.rollout.findUniqueOrThrow({ where: { id: rolloutId }, select: { id: true, slug: true, name: true } }),
    db.checklistItem.findMany({
      where: { rolloutId, ownerRole: role },
      select: {
        id: true,
        text: true,
        list: true,
        state: true,
        dueAt: true,
        optional: true,
        phase: { select: { position: true, name: true } },
      },
      orderBy: [{ list: "asc" }, { phase: { position: "asc" } }, { position: "asc" }],
    }),
    db.readingListEntry.findMany({
      where: { rolloutId, role },
      select: {
        id: true,
        position: true,
        minutes: true,
        sectionHint: true,
        document: { select: { id: true, title: true, path: true } },
        readStates: { where: { userId: actor.id }, select: { readAt: true } },
      },
      orderBy: { position: "asc" },
    }),
    db.signOff.findMany({
      where: { rolloutId, kind: { in: decidable }, requiredRoles: { has: role } },
      select: {
        id: true,
        kind: true,
        title: true,
        status: true,
        dueAt: true,
        approvalsNeeded: true,
        decisions: { where: { userId: actor.id, withdrawnAt: null }, select: { value: true, decidedAt: true } },
      },
      orderBy: { position: "asc" },
    }),
  ]);

  const decisionsOwed = signOffs.filter((s) => s.status === "PENDING" && s.decisions.length === 0 && s.dueAt !== null && s.dueAt <= soon);
  // The plan lists some decisions as actions too ("Approve production deployment"):
  // show them once, as the decision.
  const owedTitles = new Set(decisionsOwed.map((s) => s.title.toLowerCase()));
  const nextDay = items.filter(
    (item) =>
      item.state === "OPEN" &&
      (item.list === "NEXT_24H" || (item.dueAt !== null && item.dueAt <= soon)) &&
      !owedTitles.has(item.text.toLowerCase()),
  );
  return {
    rollout,
    role,
    nextDay,
    decisionsOwed,
    checklist: items,
    reading: reading.map((entry) => ({ ...entry, readAt: entry.readStates[0]?.readAt ?? null })),
    signOffs,
  };
}

export type RoleDashboard = Awaited<ReturnType<typeof getRoleDashboard>>;

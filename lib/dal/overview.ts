import "server-only";
import { assertCan, getMemberships } from "../auth/access";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { computeProgress, evaluateGate, gateState, type Gate, type GateState, type Progress } from "../domain/gate";
import type { ItemState, PhaseStatus } from "../generated/prisma/enums";

export type PhaseOverview = {
  id: string;
  position: number;
  name: string;
  goal: string | null;
  window: string | null;
  status: PhaseStatus;
  optional: boolean;
  blockedReason: string | null;
  plannedStart: Date | null;
  plannedEnd: Date | null;
  progress: Progress;
  gate: Gate;
  /** The gate as every page shows it (lib/domain/gate.ts `gateState`). */
  gateState: GateState;
};

type PhaseRow = {
  id: string;
  position: number;
  name: string;
  goal: string | null;
  window: string | null;
  plannedStart: Date | null;
  plannedEnd: Date | null;
  status: PhaseStatus;
  optional: boolean;
  blockedReason: string | null;
  overrideReason: string | null;
  overriddenAt: Date | null;
  overriddenByName: string | null;
};

export type RolloutOverview = {
  rollout: { id: string; slug: string; name: string; description: string | null };
  phases: PhaseOverview[];
  overall: Progress;
  others: { slug: string; name: string }[];
};

/**
 * The overview of one rollout the actor belongs to. After the membership lookup (one
 * query, shared with the layout), five queries run in parallel, whatever the plan's size.
 */
export async function getRolloutOverview(actor: Actor, slug: string): Promise<RolloutOverview> {
  const db = getDb();
  const memberships = await getMemberships(actor.id);
  const membership = memberships.find((m) => m.slug === slug);
  if (!membership) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
  await assertCan(actor, membership.rolloutId, "rollout.view");

  const [rollout, phases, counts, openRequired, signOffs] = await Promise.all([
    db.rollout.findUniqueOrThrow({
      where: { id: membership.rolloutId },
      select: { id: true, slug: true, name: true, description: true },
    }),
    // The phases with the name of whoever overrode a gate, in one statement (a relation
    // `include` would be a statement of its own).
    db.$queryRaw<PhaseRow[]>`
      SELECT p.id, p.position, p.name, p.goal, p."window", p."plannedStart", p."plannedEnd", p.status::text AS status,
             p.optional, p."blockedReason", p."overrideReason", p."overriddenAt", u.name AS "overriddenByName"
      FROM "Phase" p LEFT JOIN "User" u ON u.id = p."overriddenById"
      WHERE p."rolloutId" = ${membership.rolloutId}
      ORDER BY p.position ASC`,
    db.checklistItem.groupBy({
      by: ["phaseId", "state"],
      where: { rolloutId: membership.rolloutId, list: "PHASE" },
      _count: { _all: true },
    }),
    db.checklistItem.findMany({
      where: { rolloutId: membership.rolloutId, list: "PHASE", state: "OPEN", optional: false },
      select: { id: true, phaseId: true, text: true, state: true, optional: true },
      orderBy: { position: "asc" },
    }),
    db.signOff.findMany({
      // Approved ones too: a gate is shown as "x of y approved".
      where: { rolloutId: membership.rolloutId, phaseId: { not: null }, requiredForGate: true },
      select: { id: true, phaseId: true, title: true, status: true, requiredForGate: true, kind: true },
      orderBy: { position: "asc" },
    }),
  ]);

  const countsByPhase = new Map<string, Partial<Record<ItemState, number>>>();
  const overallCounts: Partial<Record<ItemState, number>> = {};
  for (const row of counts) {
    if (!row.phaseId) continue;
    const phaseCounts = countsByPhase.get(row.phaseId) ?? {};
    phaseCounts[row.state] = row._count._all;
    countsByPhase.set(row.phaseId, phaseCounts);
    overallCounts[row.state] = (overallCounts[row.state] ?? 0) + row._count._all;
  }

  return {
    rollout,
    others: memberships.filter((m) => m.rolloutId !== rollout.id).map(({ slug, name }) => ({ slug, name })),
    overall: computeProgress(overallCounts),
    phases: phases.map((phase) => {
      const phaseItems = openRequired.filter((item) => item.phaseId === phase.id);
      const phaseSignOffs = signOffs.filter((signOff) => signOff.phaseId === phase.id);
      return {
      id: phase.id,
      position: phase.position,
      name: phase.name,
      goal: phase.goal,
      window: phase.window,
      status: phase.status,
      optional: phase.optional,
      blockedReason: phase.blockedReason,
      plannedStart: phase.plannedStart,
      plannedEnd: phase.plannedEnd,
      progress: computeProgress(countsByPhase.get(phase.id) ?? {}),
      gate: evaluateGate(phaseItems, phaseSignOffs),
      gateState: gateState(phase, phaseItems, phaseSignOffs),
      };
    }),
  };
}

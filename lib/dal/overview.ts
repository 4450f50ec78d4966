import "server-only";
import { getDb } from "../db/client";
import { computeProgress, evaluateGate, type Gate, type Progress } from "../domain/gate";
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
};

export type RolloutOverview = {
  rollout: { id: string; slug: string; name: string; description: string | null };
  phases: PhaseOverview[];
  overall: Progress;
  others: { slug: string; name: string }[];
};

/**
 * The overview of one rollout (the newest when no slug is given). Four queries after
 * the rollout lookup, run in parallel, whatever the plan's size.
 */
export async function getRolloutOverview(slug?: string): Promise<RolloutOverview | null> {
  const db = getDb();
  const rollouts = await db.rollout.findMany({
    select: { id: true, slug: true, name: true, description: true },
    orderBy: { createdAt: "desc" },
  });
  const rollout = slug ? rollouts.find((r) => r.slug === slug) : rollouts[0];
  if (!rollout) return null;

  const [phases, counts, openRequired, signOffs] = await Promise.all([
    db.phase.findMany({ where: { rolloutId: rollout.id }, orderBy: { position: "asc" } }),
    db.checklistItem.groupBy({
      by: ["phaseId", "state"],
      where: { rolloutId: rollout.id, list: "PHASE" },
      _count: { _all: true },
    }),
    db.checklistItem.findMany({
      where: { rolloutId: rollout.id, list: "PHASE", state: "OPEN", optional: false },
      select: { id: true, phaseId: true, text: true, state: true, optional: true },
      orderBy: { position: "asc" },
    }),
    db.signOff.findMany({
      where: { rolloutId: rollout.id, phaseId: { not: null }, requiredForGate: true, status: { not: "APPROVED" } },
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
    others: rollouts.filter((r) => r.id !== rollout.id).map(({ slug, name }) => ({ slug, name })),
    overall: computeProgress(overallCounts),
    phases: phases.map((phase) => ({
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
      gate: evaluateGate(
        openRequired.filter((item) => item.phaseId === phase.id),
        signOffs.filter((signOff) => signOff.phaseId === phase.id),
      ),
    })),
  };
}

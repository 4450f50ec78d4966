import "server-only";
import { getDb } from "../db/client";
import { computeProgress, gateStateFromFirstItems, type GateState, type Progress } from "../domain/gate";
import type { ItemState, PhaseStatus } from "../generated/prisma/enums";

/** A phase as the overview, the dashboards and the gate pages show it: its row, progress and gate. */
export type PhaseGate = {
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
  overrideReason: string | null;
  overriddenAt: Date | null;
  overriddenByName: string | null;
  /** Items done out of those that apply, over every item of the phase. */
  progress: Progress;
  /** The gate as every page shows it; `blockers` names the first `firstItems` open required items. */
  gateState: GateState;
};

/**
 * Every phase of a rollout with its progress and gate, in two statements run in parallel
 * whatever the plan's size: the phases joined with their overrider's name, their gate
 * sign-offs, their first open required items and how many there are; and the items
 * counted by phase and state. No item is read beyond the first `firstItems` per phase.
 *
 * A building block, not an entry point: it checks nothing, so it is called only after the
 * caller's membership and `rollout.view` were checked for this rollout (the data functions
 * that call it do).
 */
export async function readPhaseGates(
  rolloutId: string,
  { firstItems = 3, position }: { firstItems?: number; /** Only the phase at this position (a phase's page); `overall` is then that phase's. */ position?: number } = {},
): Promise<{ phases: PhaseGate[]; overall: Progress }> {
  const db = getDb();
  const [phases, counts] = await Promise.all([
    db.phase.findMany({
      where: { rolloutId, ...(position === undefined ? {} : { position }) },
      orderBy: { position: "asc" },
      select: {
        id: true,
        position: true,
        name: true,
        goal: true,
        window: true,
        status: true,
        optional: true,
        blockedReason: true,
        plannedStart: true,
        plannedEnd: true,
        overrideReason: true,
        overriddenAt: true,
        overriddenBy: { select: { name: true } },
        // The gate's items are the phase's items (as the server enforces it: lib/dal/phases.ts).
        items: { where: { state: "OPEN", optional: false }, orderBy: { position: "asc" }, take: firstItems, select: { id: true, text: true, state: true, optional: true } },
        // Approved ones too: a gate is shown as "x of y approved".
        signOffs: { where: { requiredForGate: true }, orderBy: { position: "asc" }, select: { id: true, title: true, status: true, requiredForGate: true, kind: true } },
        _count: { select: { items: { where: { state: "OPEN", optional: false } } } },
      },
    }),
    db.checklistItem.groupBy({ by: ["phaseId", "state"], where: { rolloutId, phaseId: { not: null }, ...(position === undefined ? {} : { phase: { position } }) }, _count: { _all: true } }),
  ]);

  const byPhase = new Map<string, Partial<Record<ItemState, number>>>();
  const overall: Partial<Record<ItemState, number>> = {};
  for (const row of counts) {
    if (!row.phaseId) continue;
    const phaseCounts = byPhase.get(row.phaseId) ?? {};
    phaseCounts[row.state] = row._count._all;
    byPhase.set(row.phaseId, phaseCounts);
    overall[row.state] = (overall[row.state] ?? 0) + row._count._all;
  }
  return {
    overall: computeProgress(overall),
    phases: phases.map(({ overriddenBy, items, signOffs, _count, ...phase }) => {
      const row = { ...phase, overriddenByName: overriddenBy?.name ?? null };
      return {
        ...row,
        progress: computeProgress(byPhase.get(phase.id) ?? {}),
        gateState: gateStateFromFirstItems(row, { items, openRequired: _count.items }, signOffs),
      };
    }),
  };
}

import type { ItemState, PhaseStatus, SignOffKind, SignOffStatus } from "../generated/prisma/enums";

// A phase's gate: the sign-offs and checklist items that must be complete before the
// phase may be marked done. Pure, so the overview, the dashboards and the server-side
// enforcement all compute it the same way.

export type GateItem = { id: string; text: string; state: ItemState; optional: boolean };
export type GateSignOff = { id: string; title: string; status: SignOffStatus; requiredForGate: boolean; kind?: SignOffKind };

export type GateBlocker =
  | { kind: "item"; id: string; text: string }
  | { kind: "signOff"; id: string; title: string; status: "PENDING" | "REJECTED"; signOffKind?: SignOffKind };

export type Gate = {
  open: boolean;
  blockers: GateBlocker[];
  openItems: number;
  pendingSignOffs: number;
  rejectedSignOffs: number;
};

export function evaluateGate(items: readonly GateItem[], signOffs: readonly GateSignOff[]): Gate {
  const itemBlockers: GateBlocker[] = items
    .filter((item) => !item.optional && item.state === "OPEN")
    .map((item) => ({ kind: "item", id: item.id, text: item.text }));
  const rejected: GateBlocker[] = [];
  const pending: GateBlocker[] = [];
  for (const signOff of signOffs) {
    if (!signOff.requiredForGate || signOff.status === "APPROVED") continue;
    const blocker = { kind: "signOff" as const, id: signOff.id, title: signOff.title, status: signOff.status, signOffKind: signOff.kind };
    (signOff.status === "REJECTED" ? rejected : pending).push(blocker);
  }
  // Rejections first (someone must act), then open items (work to do), then decisions still awaited.
  const blockers = [...rejected, ...itemBlockers, ...pending];
  return {
    open: blockers.length === 0,
    blockers,
    openItems: itemBlockers.length,
    pendingSignOffs: pending.length,
    rejectedSignOffs: rejected.length,
  };
}

export type Progress = { done: number; total: number; notApplicable: number; percent: number };

/** Items done out of the items that apply (not-applicable ones leave the total). */
export function computeProgress(counts: Partial<Record<ItemState, number>>): Progress {
  const done = counts.DONE ?? 0;
  const notApplicable = counts.NOT_APPLICABLE ?? 0;
  const total = done + (counts.OPEN ?? 0);
  return { done, total, notApplicable, percent: total === 0 ? 0 : Math.round((done / total) * 100) };
}

export type BlockerLine = { key: string; label: string; count: number };

/**
 * The blockers as lines to show: pending security policies (the plan has 23) become one
 * line with a count, everything else stays one line each, in the gate's order.
 */
export function summarizeBlockers(blockers: readonly GateBlocker[], policiesLabel: string): BlockerLine[] {
  const lines: BlockerLine[] = [];
  let policies: BlockerLine | undefined;
  for (const blocker of blockers) {
    if (blocker.kind === "signOff" && blocker.signOffKind === "SECURITY_POLICY" && blocker.status === "PENDING") {
      if (!policies) lines.push((policies = { key: "security-policies", label: policiesLabel, count: 0 }));
      policies.count++;
      continue;
    }
    lines.push({ key: blocker.id, label: blocker.kind === "item" ? blocker.text : blocker.title, count: 1 });
  }
  return lines;
}

/** How a phase closed, as the phase row records it. */
export type GatePhase = {
  status: PhaseStatus;
  overrideReason: string | null;
  overriddenAt: Date | null;
  /** The name of whoever overrode the gate, when known. */
  overriddenByName: string | null;
};

/**
 * A gate's state, the one definition every page shows: open (nothing missing), blocked
 * (what is missing, counted by kind), or closed (the phase is done or skipped; how it closed,
 * and the sign-offs it closed without a decision, which no longer block anyone).
 */
export type GateState = {
  state: "open" | "blocked" | "closed";
  /** For a closed gate: completed with everything approved, overridden (on record), or skipped. */
  closedBy: "complete" | "override" | "skip" | null;
  override: { by: string | null; at: Date | null; reason: string } | null;
  /** The gate's sign-offs (those required for it): approved of all of them, and the rest by outcome. */
  signOffs: { approved: number; total: number; missing: number; rejected: number; closedUndecided: number };
  /** Required items still open (none for a closed gate). */
  openItems: number;
  /**
   * What still blocks the gate, in the gate's order (empty unless blocked). Built from a
   * read of the first open required items only (`gateStateFromFirstItems`), it lists those
   * first items and every blocking sign-off; `hiddenItems` counts the open required items
   * left out.
   */
  blockers: GateBlocker[];
  /** Open required items that block the gate but are not in `blockers` (0 when all are listed). */
  hiddenItems: number;
};

export function gateState(phase: GatePhase, items: readonly GateItem[], signOffs: readonly GateSignOff[]): GateState {
  const gateSignOffs = signOffs.filter((s) => s.requiredForGate);
  const approved = gateSignOffs.filter((s) => s.status === "APPROVED").length;
  const gate = evaluateGate(items, gateSignOffs);
  const closed = phase.status === "DONE" || phase.status === "SKIPPED";
  const counts = { approved, total: gateSignOffs.length, missing: gate.pendingSignOffs, rejected: gate.rejectedSignOffs, closedUndecided: 0 };
  if (closed) {
    const overridden = phase.status === "DONE" && phase.overrideReason !== null;
    return {
      state: "closed",
      closedBy: phase.status === "SKIPPED" ? "skip" : overridden ? "override" : "complete",
      override: overridden ? { by: phase.overriddenByName, at: phase.overriddenAt, reason: phase.overrideReason ?? "" } : null,
      signOffs: { ...counts, missing: 0, closedUndecided: gate.pendingSignOffs },
      openItems: 0,
      blockers: [],
      hiddenItems: 0,
    };
  }
  return {
    state: gate.open ? "open" : "blocked",
    closedBy: null,
    override: null,
    signOffs: counts,
    openItems: gate.openItems,
    blockers: gate.blockers,
    hiddenItems: 0,
  };
}

/**
 * A gate's state from a bounded read: the phase's first open required items (in the plan's
 * order) and how many open required items it has in all, with its gate sign-offs. The same
 * state as `gateState` over every item, except that `blockers` names only the items read and
 * `hiddenItems` counts the rest; the counts are whole.
 */
export function gateStateFromFirstItems(
  phase: GatePhase,
  first: { items: readonly GateItem[]; openRequired: number },
  signOffs: readonly GateSignOff[],
): GateState {
  const listed = first.items.filter((item) => !item.optional && item.state === "OPEN");
  const state = gateState(phase, listed, signOffs);
  if (state.state === "closed") return state;
  const openItems = Math.max(first.openRequired, listed.length);
  const blocked = state.state === "blocked" || openItems > 0;
  return { ...state, state: blocked ? "blocked" : "open", openItems, hiddenItems: openItems - listed.length };
}

/** How many blockers a gate has in all: those it names and the open required items it leaves out. */
export function blockerCount(gate: Pick<GateState, "blockers" | "hiddenItems">): number {
  return gate.blockers.length + gate.hiddenItems;
}

/** Whether a sign-off still waits for a decision: pending, and its phase (if any) not closed. */
export function awaitsDecision(signOff: { status: SignOffStatus; phase: { status: PhaseStatus } | null }): boolean {
  return signOff.status === "PENDING" && !(signOff.phase && (signOff.phase.status === "DONE" || signOff.phase.status === "SKIPPED"));
}

import { describe, expect, it } from "vitest";
import { awaitsDecision, blockerCount, gateState, gateStateFromFirstItems, type GateItem, type GatePhase, type GateSignOff } from "@/lib/domain/gate";

// The one definition of a gate's state every page shows (issue: "one gate, three counts").
// Expected figures are counted by hand from the rows each test builds.

const item = (id: string, state: GateItem["state"], optional = false): GateItem => ({ id, text: `item ${id}`, state, optional });
const signOff = (id: string, status: GateSignOff["status"], requiredForGate = true): GateSignOff => ({ id, title: `sign-off ${id}`, status, requiredForGate });
const phase = (status: GatePhase["status"], override?: { reason: string; by: string; at: Date }): GatePhase => ({
  status,
  overrideReason: override?.reason ?? null,
  overriddenAt: override?.at ?? null,
  overriddenByName: override?.by ?? null,
});

// 29 gate sign-offs (1 approved, 26 pending, 2 rejected), one outside the gate, 5 open required items.
const items = [...["a", "b", "c", "d", "e"].map((id) => item(id, "OPEN")), item("f", "DONE"), item("g", "NOT_APPLICABLE"), item("h", "OPEN", true)];
const signOffs = [
  signOff("ok", "APPROVED"),
  ...Array.from({ length: 26 }, (_, i) => signOff(`p${i}`, "PENDING")),
  signOff("r1", "REJECTED"),
  signOff("r2", "REJECTED"),
  signOff("outside", "PENDING", false),
];

describe("gateState", () => {
  it("counts a blocked gate by kind: sign-offs approved of all, missing, rejected, and open required items", () => {
    const state = gateState(phase("IN_PROGRESS"), items, signOffs);
    expect(state.state).toBe("blocked");
    expect(state.signOffs).toEqual({ approved: 1, total: 29, missing: 26, rejected: 2, closedUndecided: 0 });
    expect(state.openItems).toBe(5);
    // 26 missing + 2 rejected + 5 items: every blocker named once.
    expect(state.blockers).toHaveLength(33);
    expect(state.closedBy).toBeNull();
    expect(state.override).toBeNull();
  });

  it("is open when every required item is done or not applicable and every gate sign-off approved", () => {
    const state = gateState(phase("AWAITING_SIGNOFF"), [item("a", "DONE"), item("b", "NOT_APPLICABLE"), item("c", "OPEN", true)], [signOff("s", "APPROVED"), signOff("x", "PENDING", false)]);
    expect(state).toMatchObject({ state: "open", openItems: 0, blockers: [], signOffs: { approved: 1, total: 1, missing: 0, rejected: 0, closedUndecided: 0 } });
  });

  it("says who overrode a closed gate, when and why, and turns its undecided sign-offs into 'closed without a decision'", () => {
    const at = new Date("2026-12-02T10:00:00Z");
    const state = gateState(phase("DONE", { reason: "Pilot starts Monday", by: "Carla", at }), items, signOffs);
    expect(state.state).toBe("closed");
    expect(state.closedBy).toBe("override");
    expect(state.override).toEqual({ by: "Carla", at, reason: "Pilot starts Monday" });
    // Nothing blocks a closed gate; the 26 pending ones closed undecided, the rejected stay rejected.
    expect(state.blockers).toEqual([]);
    expect(state.openItems).toBe(0);
    expect(state.signOffs).toEqual({ approved: 1, total: 29, missing: 0, rejected: 2, closedUndecided: 26 });
  });

  it("tells a completed gate from a skipped phase", () => {
    expect(gateState(phase("DONE"), [item("a", "DONE")], [signOff("s", "APPROVED")])).toMatchObject({ state: "closed", closedBy: "complete", override: null });
    expect(gateState(phase("SKIPPED"), [item("a", "OPEN")], [signOff("s", "PENDING")])).toMatchObject({
      state: "closed",
      closedBy: "skip",
      signOffs: { approved: 0, total: 1, missing: 0, rejected: 0, closedUndecided: 1 },
    });
  });

  it("does not count a blocked phase's gate as closed", () => {
    expect(gateState(phase("BLOCKED"), [item("a", "OPEN")], []).state).toBe("blocked");
    expect(gateState(phase("NOT_STARTED"), [], []).state).toBe("open");
  });
});

describe("gateStateFromFirstItems (a bounded read: the first open required items and their count)", () => {
  it("gives the whole gate's counts, names the items read, and counts the rest as hidden", () => {
    // 5 open required items in the phase (a–e); the read returned the first 2 of them.
    const state = gateStateFromFirstItems(phase("IN_PROGRESS"), { items: [item("a", "OPEN"), item("b", "OPEN")], openRequired: 5 }, signOffs);
    expect(state.state).toBe("blocked");
    expect(state.openItems).toBe(5);
    expect(state.hiddenItems).toBe(3);
    expect(state.signOffs).toEqual({ approved: 1, total: 29, missing: 26, rejected: 2, closedUndecided: 0 });
    // Rejections first, then the items read, then the 26 pending sign-offs; 3 items not named.
    expect(state.blockers.map((b) => b.id).slice(0, 4)).toEqual(["r1", "r2", "a", "b"]);
    expect(blockerCount(state)).toBe(2 + 5 + 26);
  });

  it("is blocked by open required items it did not read, and open when there are none", () => {
    const onlyHidden = gateStateFromFirstItems(phase("IN_PROGRESS"), { items: [], openRequired: 4 }, [signOff("ok", "APPROVED")]);
    expect(onlyHidden).toMatchObject({ state: "blocked", openItems: 4, hiddenItems: 4, blockers: [] });
    expect(gateStateFromFirstItems(phase("IN_PROGRESS"), { items: [], openRequired: 0 }, [signOff("ok", "APPROVED")])).toMatchObject({ state: "open", openItems: 0, hiddenItems: 0 });
  });

  it("shows a closed phase's gate as closed, whatever is still open", () => {
    expect(gateStateFromFirstItems(phase("SKIPPED"), { items: [item("a", "OPEN")], openRequired: 7 }, [signOff("s", "PENDING")])).toMatchObject({
      state: "closed",
      closedBy: "skip",
      openItems: 0,
      hiddenItems: 0,
      blockers: [],
    });
  });
});

describe("awaitsDecision", () => {
  it("is true only for a pending sign-off whose phase is still open (or that has no phase)", () => {
    expect(awaitsDecision({ status: "PENDING", phase: { status: "IN_PROGRESS" } })).toBe(true);
    expect(awaitsDecision({ status: "PENDING", phase: null })).toBe(true);
    expect(awaitsDecision({ status: "PENDING", phase: { status: "DONE" } })).toBe(false);
    expect(awaitsDecision({ status: "PENDING", phase: { status: "SKIPPED" } })).toBe(false);
    expect(awaitsDecision({ status: "APPROVED", phase: { status: "IN_PROGRESS" } })).toBe(false);
  });
});

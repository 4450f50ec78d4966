import { describe, expect, it } from "vitest";
import { computeProgress, evaluateGate, summarizeBlockers, type GateItem, type GateSignOff } from "@/lib/domain/gate";

const item = (id: string, state: GateItem["state"], optional = false): GateItem => ({ id, text: `item ${id}`, state, optional });
const signOff = (id: string, status: GateSignOff["status"], requiredForGate = true): GateSignOff => ({
  id,
  title: `sign-off ${id}`,
  status,
  requiredForGate,
});

describe("evaluateGate", () => {
  it("is open when every required item is done or not applicable and every required sign-off approved", () => {
    const gate = evaluateGate([item("a", "DONE"), item("b", "NOT_APPLICABLE"), item("c", "OPEN", true)], [signOff("s", "APPROVED")]);
    expect(gate).toMatchObject({ open: true, blockers: [], openItems: 0, pendingSignOffs: 0, rejectedSignOffs: 0 });
  });

  it("names every blocker: rejected sign-offs first, then open items, then missing sign-offs", () => {
    const gate = evaluateGate(
      [item("a", "OPEN"), item("b", "DONE")],
      [signOff("p", "PENDING"), signOff("r", "REJECTED"), signOff("x", "PENDING", false)],
    );
    expect(gate.open).toBe(false);
    expect(gate.blockers.map((b) => b.id)).toEqual(["r", "a", "p"]);
    expect(gate).toMatchObject({ openItems: 1, pendingSignOffs: 1, rejectedSignOffs: 1 });
  });

  it("ignores optional items and sign-offs that do not belong to the gate", () => {
    expect(evaluateGate([item("a", "OPEN", true)], [signOff("x", "REJECTED", false)]).open).toBe(true);
  });
});

describe("computeProgress", () => {
  it("counts done over the items that apply", () => {
    expect(computeProgress({ DONE: 1, OPEN: 3, NOT_APPLICABLE: 2 })).toEqual({ done: 1, total: 4, notApplicable: 2, percent: 25 });
  });

  it("is zero, not NaN, for a phase with no items", () => {
    expect(computeProgress({})).toEqual({ done: 0, total: 0, notApplicable: 0, percent: 0 });
  });
});

describe("summarizeBlockers", () => {
  it("folds pending security policies into one counted line and keeps the rest in order", () => {
    const policies = Array.from({ length: 23 }, (_, i) => ({ ...signOff(`p${i}`, "PENDING"), kind: "SECURITY_POLICY" as const }));
    const gate = evaluateGate([item("a", "OPEN")], [signOff("g", "PENDING"), ...policies, { ...signOff("r", "REJECTED"), kind: "SECURITY_POLICY" }]);
    expect(summarizeBlockers(gate.blockers, "Security policies")).toEqual([
      { key: "r", label: "sign-off r", count: 1 },
      { key: "a", label: "item a", count: 1 },
      { key: "g", label: "sign-off g", count: 1 },
      { key: "security-policies", label: "Security policies", count: 23 },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import type { RolloutSnapshot } from "@/lib/dal/snapshot";
import { nextDay } from "@/lib/view/dashboard";

const now = new Date("2027-01-10T12:00:00Z");
const soon = new Date("2027-01-11T00:00:00Z");

function snapshot(decided: boolean): RolloutSnapshot {
  const signOff = {
    id: "s1",
    kind: "PRODUCTION_DEPLOYMENT",
    title: "Approve production deployment",
    status: decided ? "APPROVED" : "PENDING",
    requiredRoles: ["EXECUTIVE"],
    dueAt: soon,
    decisions: decided ? [{ userId: "me", withdrawnAt: null }] : [],
  };
  const item = (id: string, text: string) => ({ id, text, ownerRole: "EXECUTIVE", state: "OPEN", list: "NEXT_24H", dueAt: soon });
  return {
    actorId: "me",
    signOffs: [signOff],
    items: [item("i1", "Approve production deployment"), item("i2", "Read `EXECUTIVE_SUMMARY.md`")],
  } as unknown as RolloutSnapshot;
}

describe("my next 24 hours", () => {
  it("lists a decision the role owes once, not again as the plan's matching action", () => {
    const { decisions, items } = nextDay(snapshot(false), "EXECUTIVE", now);
    expect(decisions.map((s) => s.id)).toEqual(["s1"]);
    expect(items.map((i) => i.id)).toEqual(["i2"]);
  });

  it("drops the decision once given, without bringing its action back as an open item", () => {
    const { decisions, items } = nextDay(snapshot(true), "EXECUTIVE", now);
    expect(decisions).toEqual([]);
    expect(items.map((i) => i.id)).toEqual(["i2"]);
  });

  it("shows nothing of another role's", () => {
    expect(nextDay(snapshot(false), "DBA", now)).toEqual({ decisions: [], items: [] });
  });
});

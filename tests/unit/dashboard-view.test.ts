import { describe, expect, it } from "vitest";
import type { RolloutSnapshot } from "@/lib/dal/snapshot";
import { nextDay } from "@/lib/view/dashboard";

const now = new Date("2027-01-10T12:00:00Z");
const soon = new Date("2027-01-11T00:00:00Z");
const EXECUTIVE = { role: "EXECUTIVE", customRoleId: null } as const;

function snapshot(decided: boolean): RolloutSnapshot {
  const signOff = {
    id: "s1",
    kind: "PRODUCTION_DEPLOYMENT",
    title: "Ship it",
    status: decided ? "APPROVED" : "PENDING",
    requiredRoles: ["EXECUTIVE"],
    requiredCustomRoleIds: [],
    dueAt: soon,
    decisions: decided ? [{ userId: "me", withdrawnAt: null }] : [],
  };
  const item = (id: string, text: string, signOffId: string | null) => ({
    id,
    text,
    ownerRole: "EXECUTIVE",
    ownerCustomRoleId: null,
    signOffId,
    state: "OPEN",
    list: "NEXT_24H",
    dueAt: soon,
  });
  return {
    actorId: "me",
    signOffs: [signOff],
    // i1 is the plan's action linked to the sign-off; i3 merely has the same words and no link.
    items: [item("i1", "Do the linked thing", "s1"), item("i2", "Read the summary", null), item("i3", "Ship it", null)],
  } as unknown as RolloutSnapshot;
}

describe("my next 24 hours", () => {
  it("lists a decision the role owes once, not again as the plan's action linked to it", () => {
    const { decisions, items } = nextDay(snapshot(false), EXECUTIVE, now);
    expect(decisions.map((s) => s.id)).toEqual(["s1"]);
    expect(items.map((i) => i.id)).toEqual(["i2", "i3"]);
  });

  it("drops the decision once given, without bringing its linked action back as an open item", () => {
    const { decisions, items } = nextDay(snapshot(true), EXECUTIVE, now);
    expect(decisions).toEqual([]);
    expect(items.map((i) => i.id)).toEqual(["i2", "i3"]);
  });

  it("shows nothing of another role's, nor of a custom role built on the same base role", () => {
    expect(nextDay(snapshot(false), { role: "DBA", customRoleId: null }, now)).toEqual({ decisions: [], items: [] });
    expect(nextDay(snapshot(false), { role: "EXECUTIVE", customRoleId: "qa" }, now)).toEqual({ decisions: [], items: [] });
  });
});

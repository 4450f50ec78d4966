import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/session";
import type { ItemState } from "@/lib/generated/prisma/enums";
import { isAppError, type ErrorCode } from "@/lib/errors";
import { dayIso, dayNumber } from "@/lib/view/timeline";
import { seedSampleRollout } from "@/prisma/seed";
import { createRollout, createUser } from "./helpers/factories";
import { countQueries } from "./helpers/count-queries";
import { createTestDb, type TestDb } from "./helpers/test-db";

// The data behind the timeline page and the executive charts: what getTimeline and
// getBurnDown return for the sample rollout, that the burn-down follows real item
// changes day by day, that both stay within a fixed number of queries, and that they
// are scoped to the caller's rollouts.

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const SLUG = "timeline-sample";
// The days the story below happens on (the clock is set to each in turn).
const D0 = new Date("2026-03-02T10:00:00Z");
const at = (days: number, time = "10:00:00") => new Date(`${new Date(D0.getTime() + days * 86_400_000).toISOString().slice(0, 10)}T${time}Z`);
const NOW = at(4, "12:00:00");

let t: TestDb;
let admin: Actor;
let executive: Actor;
let outsider: Actor;

const asActor = (user: { id: string; email: string; name: string }): Actor => ({ id: user.id, email: user.email, name: user.name, locale: null });

async function expectCode(promise: Promise<unknown>, code: ErrorCode) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAppError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
}


/** Sets an item's state through the real data layer, as `actor`, at the clock's current time. */
async function setState(actor: Actor, itemId: string, state: ItemState) {
  const { updateItemState } = await import("@/lib/dal/items");
  const { version } = await t.db.checklistItem.findUniqueOrThrow({ where: { id: itemId }, select: { version: true } });
  await updateItemState(actor, { itemId, version, state, reason: state === "NOT_APPLICABLE" ? "Not needed for this rollout" : undefined });
}

let phaseItems: { id: string; phaseId: string | null }[];
let immediateItem: string;

beforeAll(async () => {
  t = await createTestDb();
  // Only Date is faked: the database and its timers run as usual, but the audit events
  // are stamped with the days of the story.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(D0);
  const rollout = await seedSampleRollout(t.db, { passwordHash: "x", slug: SLUG, anchor: D0 });
  admin = asActor(await t.db.user.findUniqueOrThrow({ where: { email: "admin@greenlight.demo" } }));
  executive = asActor(await t.db.user.findUniqueOrThrow({ where: { email: "cto@greenlight.demo" } }));
  const other = await createRollout(t.db);
  outsider = asActor(await createUser(t.db, { rolloutId: other.id, roles: ["EXECUTIVE"] }));

  phaseItems = await t.db.checklistItem.findMany({
    where: { rolloutId: rollout.id, list: "PHASE" },
    orderBy: [{ phase: { position: "asc" } }, { position: "asc" }],
    select: { id: true, phaseId: true },
  });
  immediateItem = (await t.db.checklistItem.findFirstOrThrow({ where: { rolloutId: rollout.id, list: "IMMEDIATE" }, select: { id: true } })).id;

  // Day 1: two phase items done (and an item of another list, which the burn-down ignores).
  vi.setSystemTime(at(1));
  await setState(admin, phaseItems[0].id, "DONE");
  await setState(admin, phaseItems[1].id, "DONE");
  await setState(admin, immediateItem, "DONE");
  // Day 2: one more done, and the first one reopened.
  vi.setSystemTime(at(2));
  await setState(admin, phaseItems[2].id, "DONE");
  vi.setSystemTime(at(2, "16:30:00"));
  await setState(admin, phaseItems[0].id, "OPEN");
  // Day 3, late: an item of Phase 3 does not apply (it is not open any more).
  vi.setSystemTime(at(3, "23:59:00"));
  await setState(admin, phaseItems[10].id, "NOT_APPLICABLE");
  vi.setSystemTime(NOW);
});

afterAll(async () => {
  vi.useRealTimers();
  await t?.close();
});

describe("getTimeline", () => {
  it("returns the four phases in order with their windows, and the milestones by date", async () => {
    const { getTimeline } = await import("@/lib/dal/timeline");
    const timeline = await getTimeline(executive, SLUG);
    expect(timeline.rollout.slug).toBe(SLUG);
    expect(timeline.phases.map((p) => [p.position, p.name, p.optional])).toEqual([
      [1, "Production Deployment", false],
      [2, "Team Training & Operations", false],
      [3, "Replica & Optional Multi-cluster Phase", true],
      [4, "Monitoring", false],
    ]);
    // The seed starts Phase 1 on the anchor day and plans it for days 1–14.
    const first = timeline.phases[0];
    expect(first.status).toBe("IN_PROGRESS");
    expect(first.actualStart?.toISOString()).toBe(D0.toISOString());
    expect(dayIso(dayNumber(first.plannedEnd!))).toBe(dayIso(dayNumber(at(14))));
    expect(timeline.milestones.map((m) => m.label)).toEqual(["HOJE (7 de dezembro)", "WEEK 1 (8-14 dezembro)", "WEEK 2-3", "WEEK 4+", "Q1 2026", "Fevereiro+"]);
    const starts = timeline.milestones.map((m) => m.startsAt.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(timeline.milestones.at(-1)?.details).toContain("Prometheus + Grafana");
  });

  it("reads in three queries after the membership lookup", async () => {
    const { getTimeline } = await import("@/lib/dal/timeline");
    expect(await countQueries(t.db, () => getTimeline(executive, SLUG))).toBe(3);
  });
});

describe("getBurnDown", () => {
  it("counts open phase items per day from the seeding to today, following the real changes", async () => {
    const { getBurnDown } = await import("@/lib/dal/timeline");
    const data = await getBurnDown(executive, SLUG, NOW);
    const total = phaseItems.length;
    expect(total).toBe(22);
    expect(dayIso(data.burnDown.startDay)).toBe("2026-03-02");
    expect(data.burnDown.points.filter((p) => p.open !== null).map((p) => [dayIso(p.day), p.open])).toEqual([
      ["2026-03-02", total],
      ["2026-03-03", total - 2],
      ["2026-03-04", total - 2],
      ["2026-03-05", total - 3],
      ["2026-03-06", total - 3],
    ]);
    expect(data.burnDown.startCount).toBe(total);
    expect(data.burnDown.openNow).toBe(await t.db.checklistItem.count({ where: { list: "PHASE", state: "OPEN", rollout: { slug: SLUG } } }));
  });

  it("aims the ideal line at 0 on the last phase's planned end", async () => {
    const { getBurnDown } = await import("@/lib/dal/timeline");
    const { burnDown } = await getBurnDown(executive, SLUG, NOW);
    const lastEnd = await t.db.phase.findFirstOrThrow({ where: { rollout: { slug: SLUG } }, orderBy: { position: "desc" }, select: { plannedEnd: true } });
    expect(burnDown.idealEndDay).toBe(dayNumber(lastEnd.plannedEnd!));
    expect(burnDown.points[0].ideal).toBe(22);
    expect(burnDown.points.at(-1)).toMatchObject({ day: burnDown.idealEndDay, open: null, ideal: 0 });
  });

  it("counts items per phase as done, open and not applicable", async () => {
    const { getBurnDown } = await import("@/lib/dal/timeline");
    const { phases } = await getBurnDown(executive, SLUG, NOW);
    expect(phases.map((p) => [p.position, p.done, p.open, p.notApplicable, p.total])).toEqual([
      [1, 2, 3, 0, 5],
      [2, 0, 5, 0, 5],
      [3, 0, 4, 1, 5],
      [4, 0, 7, 0, 7],
    ]);
  });

  it("makes the executive dashboard's reads 5 queries plus the membership lookup, however many changes there were", async () => {
    const { getBurnDown } = await import("@/lib/dal/timeline");
    const before = await countQueries(t.db, () => getBurnDown(executive, SLUG, NOW));
    await setState(admin, phaseItems[3].id, "DONE");
    await setState(admin, phaseItems[3].id, "OPEN");
    await setState(admin, phaseItems[4].id, "DONE");
    // The dashboard's snapshot (4, relations joined) and the burn-down's one read of its
    // daily projection, which the writes keep: no read grows with the changes.
    expect(before).toBe(5);
    expect(await countQueries(t.db, () => getBurnDown(executive, SLUG, NOW))).toBe(5);
    expect((await getBurnDown(executive, SLUG, NOW)).burnDown.openNow).toBe(22 - 4);
  });
});

describe("scoping", () => {
  it("answers NOT_FOUND to a member of another rollout, and for an unknown rollout", async () => {
    const { getBurnDown, getTimeline } = await import("@/lib/dal/timeline");
    await expectCode(getTimeline(outsider, SLUG), "NOT_FOUND");
    await expectCode(getBurnDown(outsider, SLUG), "NOT_FOUND");
    await expectCode(getTimeline(executive, "no-such-rollout"), "NOT_FOUND");
    await expectCode(getBurnDown(executive, "no-such-rollout"), "NOT_FOUND");
  });
});

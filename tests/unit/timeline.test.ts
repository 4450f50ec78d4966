import { describe, expect, it } from "vitest";
import { layoutMarkers } from "@/components/charts/marker-layout";
import type { ItemState } from "@/lib/generated/prisma/enums";
import {
  computeSlippage,
  dayIso,
  dayNumber,
  phaseItemCounts,
  phaseRow,
  burnDownFromDays,
  reconstructBurnDown,
  shapeTimeline,
  type StateChangeEvent,
  type TimelinePhaseInput,
} from "@/lib/view/timeline";

// Days of December 2025 at noon UTC, so day arithmetic is easy to read.
const dec = (d: number, time = "12:00:00Z") => new Date(`2025-12-${String(d).padStart(2, "0")}T${time}`);
const NOW = dec(20);
const TODAY = dayNumber(NOW);

function phase(overrides: Partial<TimelinePhaseInput> = {}): TimelinePhaseInput {
  return {
    id: "p1",
    position: 1,
    name: "Production Deployment",
    optional: false,
    status: "NOT_STARTED",
    plannedStart: dec(8),
    plannedEnd: dec(14),
    actualStart: null,
    actualEnd: null,
    ...overrides,
  };
}

describe("computeSlippage", () => {
  it.each<[string, Partial<TimelinePhaseInput>, { days: number | null; late: boolean; ongoing: boolean }]>([
    ["finished after its planned end", { status: "DONE", actualStart: dec(8), actualEnd: dec(17) }, { days: 3, late: true, ongoing: false }],
    ["finished on its planned end", { status: "DONE", actualStart: dec(8), actualEnd: dec(14, "23:59:00Z") }, { days: 0, late: false, ongoing: false }],
    ["finished early", { status: "DONE", actualStart: dec(8), actualEnd: dec(12) }, { days: -2, late: false, ongoing: false }],
    ["in progress before its planned end", { status: "IN_PROGRESS", actualStart: dec(8), plannedEnd: dec(25) }, { days: 0, late: false, ongoing: false }],
    ["in progress past its planned end", { status: "IN_PROGRESS", actualStart: dec(8) }, { days: 6, late: true, ongoing: true }],
    ["blocked past its planned end", { status: "BLOCKED", actualStart: dec(8) }, { days: 6, late: true, ongoing: true }],
    ["awaiting sign-off past its planned end", { status: "AWAITING_SIGNOFF", actualStart: dec(8) }, { days: 6, late: true, ongoing: true }],
    ["not started, past its planned end", { status: "NOT_STARTED" }, { days: 6, late: true, ongoing: true }],
    ["not started, not yet due", { status: "NOT_STARTED", plannedStart: dec(22), plannedEnd: dec(30) }, { days: 0, late: false, ongoing: false }],
    ["skipped (after its planned end)", { status: "SKIPPED", actualEnd: dec(19) }, { days: null, late: false, ongoing: false }],
    ["without a planned end", { status: "IN_PROGRESS", actualStart: dec(8), plannedEnd: null }, { days: null, late: false, ongoing: false }],
    ["done without an actual end", { status: "DONE" }, { days: null, late: false, ongoing: false }],
  ])("a phase %s", (_name, overrides, expected) => {
    expect(computeSlippage(phase(overrides), NOW)).toEqual(expected);
  });

  it("counts whole UTC days, not 24-hour spans", () => {
    // 23:30 on the planned end day, then 00:30 the next day: one day late, not zero.
    expect(computeSlippage(phase({ status: "DONE", plannedEnd: dec(14, "23:30:00Z"), actualEnd: dec(15, "00:30:00Z") }), NOW).days).toBe(1);
  });
});

describe("phaseRow", () => {
  it("draws a running phase's actual bar up to today (inclusive)", () => {
    const row = phaseRow(phase({ status: "IN_PROGRESS", actualStart: dec(8) }), NOW);
    expect(row.running).toBe(true);
    expect(row.actual).toEqual([dayNumber(dec(8)), TODAY + 1]);
    expect(row.actualEnd).toBeNull();
    expect(row.planned).toEqual([dayNumber(dec(8)), dayNumber(dec(14)) + 1]);
  });

  it("draws no actual bar before the phase starts, and the finished window after it ends", () => {
    expect(phaseRow(phase(), NOW).actual).toBeNull();
    expect(phaseRow(phase({ status: "DONE", actualStart: dec(9), actualEnd: dec(9) }), NOW).actual).toEqual([dayNumber(dec(9)), dayNumber(dec(9)) + 1]);
  });

  it("draws no planned bar without both planned dates", () => {
    expect(phaseRow(phase({ plannedStart: null }), NOW).planned).toBeNull();
  });
});

describe("shapeTimeline", () => {
  const input = {
    phases: [
      phase({ id: "p2", position: 2, name: "Training", plannedStart: dec(15), plannedEnd: dec(28) }),
      phase({ id: "p1", status: "IN_PROGRESS", actualStart: dec(7) }),
    ],
    milestones: [
      { id: "m2", key: "later", label: "Fevereiro+", startsAt: new Date("2026-02-01T12:00:00Z"), endsAt: null, details: ["PHASE 4: Monitoring"] },
      { id: "m1", key: "hoje", label: "HOJE (7 de dezembro)", startsAt: dec(7), endsAt: null, details: [] },
    ],
  };

  it("orders phases by position and milestones by date", () => {
    const view = shapeTimeline(input, NOW);
    expect(view.phases.map((p) => p.id)).toEqual(["p1", "p2"]);
    expect(view.milestones.map((m) => m.key)).toEqual(["hoje", "later"]);
    expect(view.today).toBe(TODAY);
  });

  it("spans every bar, milestone and today, with weekly ticks from its start", () => {
    const view = shapeTimeline(input, NOW);
    expect(view.domain[0]).toBeLessThan(dayNumber(dec(7)));
    expect(view.domain[1]).toBeGreaterThan(dayNumber(new Date("2026-02-01T12:00:00Z")));
    expect(view.ticks[0]).toBe(view.domain[0]);
    expect(view.ticks.every((tick, i) => i === 0 || tick - view.ticks[i - 1] === 7)).toBe(true);
    expect(view.ticks.at(-1)).toBeLessThanOrEqual(view.domain[1]);
  });

  it("draws milestones on their first day: a long milestone does not stretch the axis", () => {
    const long = { id: "q1", key: "q1", label: "Q1 2026", startsAt: dec(30), endsAt: new Date("2026-03-31T12:00:00Z"), details: [] };
    const view = shapeTimeline({ phases: input.phases, milestones: [long] }, NOW);
    expect(view.domain[1]).toBe(dayNumber(dec(30)) + 2);
    expect(view.milestones[0]).toMatchObject({ start: dayNumber(dec(30)), end: dayNumber(new Date("2026-03-31T12:00:00Z")) });
  });

  it("copes with an empty plan", () => {
    const view = shapeTimeline({ phases: [], milestones: [] }, NOW);
    expect(view.phases).toEqual([]);
    expect(view.domain[0]).toBeLessThan(TODAY);
    expect(view.domain[1]).toBeGreaterThan(TODAY);
  });
});

describe("phaseItemCounts", () => {
  it("counts done, open and not-applicable items per phase, in phase order", () => {
    const phases = [
      { id: "b", position: 2, name: "B", optional: true },
      { id: "a", position: 1, name: "A", optional: false },
    ];
    const items: { phaseId: string | null; state: ItemState }[] = [
      { phaseId: "a", state: "DONE" },
      { phaseId: "a", state: "OPEN" },
      { phaseId: "a", state: "NOT_APPLICABLE" },
      { phaseId: "a", state: "OPEN" },
      { phaseId: null, state: "OPEN" },
      { phaseId: "elsewhere", state: "OPEN" },
    ];
    expect(phaseItemCounts(phases, items)).toEqual([
      { phaseId: "a", position: 1, name: "A", optional: false, done: 1, open: 2, notApplicable: 1, total: 4 },
      { phaseId: "b", position: 2, name: "B", optional: true, done: 0, open: 0, notApplicable: 0, total: 0 },
    ]);
  });
});

describe("reconstructBurnDown", () => {
  const items = (states: ItemState[]) => states.map((state, i) => ({ id: `i${i}`, state }));
  const change = (itemId: string, at: Date, before: ItemState, after: ItemState): StateChangeEvent => ({
    itemId,
    at,
    before: { state: before, version: 1 },
    after: { state: after, version: 2 },
  });
  const series = (b: ReturnType<typeof reconstructBurnDown>) => b.points.filter((p) => p.open !== null).map((p) => [dayIso(p.day), p.open]);

  it("with no events, stays at today's count from the start", () => {
    const b = reconstructBurnDown({ start: dec(17), now: NOW, idealEnd: null, items: items(["OPEN", "OPEN", "DONE"]), events: [] });
    expect(series(b)).toEqual([
      ["2025-12-17", 2],
      ["2025-12-18", 2],
      ["2025-12-19", 2],
      ["2025-12-20", 2],
    ]);
    expect(b.startCount).toBe(2);
    expect(b.openNow).toBe(2);
    expect(b.points.every((p) => p.ideal === null)).toBe(true);
  });

  it("starts on today when the rollout began today: one point", () => {
    const b = reconstructBurnDown({ start: dec(20, "08:00:00Z"), now: NOW, idealEnd: null, items: items(["OPEN"]), events: [] });
    expect(series(b)).toEqual([["2025-12-20", 1]]);
  });

  it("replays ticks day by day, counting the end of each day", () => {
    const b = reconstructBurnDown({
      start: dec(16),
      now: NOW,
      idealEnd: null,
      items: items(["DONE", "DONE", "OPEN"]),
      events: [change("i0", dec(17, "09:00:00Z"), "OPEN", "DONE"), change("i1", dec(19, "23:59:59.999Z"), "OPEN", "DONE")],
    });
    expect(series(b)).toEqual([
      ["2025-12-16", 3],
      ["2025-12-17", 2],
      ["2025-12-18", 2],
      ["2025-12-19", 1],
      ["2025-12-20", 1],
    ]);
    expect(b.startCount).toBe(3);
    expect(b.openNow).toBe(1);
  });

  it("counts a reopened item as open again, and a not-applicable one as not open", () => {
    const b = reconstructBurnDown({
      start: dec(16),
      now: NOW,
      idealEnd: null,
      items: items(["OPEN", "NOT_APPLICABLE"]),
      events: [
        change("i0", dec(17), "OPEN", "DONE"),
        change("i0", dec(18), "DONE", "OPEN"),
        change("i1", dec(19), "OPEN", "NOT_APPLICABLE"),
      ],
    });
    expect(series(b)).toEqual([
      ["2025-12-16", 2],
      ["2025-12-17", 1],
      ["2025-12-18", 2],
      ["2025-12-19", 1],
      ["2025-12-20", 1],
    ]);
  });

  it("applies several changes of one day in time order, whatever order they arrive in", () => {
    const b = reconstructBurnDown({
      start: dec(19),
      now: NOW,
      idealEnd: null,
      items: items(["OPEN"]),
      events: [change("i0", dec(19, "15:00:00Z"), "DONE", "OPEN"), change("i0", dec(19, "10:00:00Z"), "OPEN", "DONE")],
    });
    expect(series(b)).toEqual([
      ["2025-12-19", 1],
      ["2025-12-20", 1],
    ]);
    expect(b.startCount).toBe(1);
  });

  it("ignores events about other items and events without a readable state", () => {
    const b = reconstructBurnDown({
      start: dec(19),
      now: NOW,
      idealEnd: null,
      items: items(["OPEN"]),
      events: [
        change("someone-else", dec(19), "OPEN", "DONE"),
        { itemId: "i0", at: dec(19), before: null, after: { state: "MAYBE" } },
        { itemId: null, at: dec(19), before: null, after: { state: "DONE" } },
        { itemId: "i0", at: dec(19), before: "OPEN", after: ["DONE"] },
      ],
    });
    expect(series(b)).toEqual([
      ["2025-12-19", 1],
      ["2025-12-20", 1],
    ]);
  });

  it("counts events after now (clock skew) on today, and events before the start on the first day", () => {
    const b = reconstructBurnDown({
      start: dec(19),
      now: NOW,
      idealEnd: null,
      items: items(["DONE", "DONE"]),
      events: [change("i0", dec(18), "OPEN", "DONE"), change("i1", dec(21), "OPEN", "DONE")],
    });
    expect(series(b)).toEqual([
      ["2025-12-19", 1],
      ["2025-12-20", 0],
    ]);
    expect(b.startCount).toBe(2);
  });

  it("draws the ideal line from the starting count to 0 on the last planned end, then flat", () => {
    const b = reconstructBurnDown({ start: dec(10), now: NOW, idealEnd: dec(30), items: items(["OPEN", "OPEN", "OPEN", "OPEN"]), events: [] });
    expect(b.idealEndDay).toBe(dayNumber(dec(30)));
    expect(b.points[0]).toMatchObject({ day: dayNumber(dec(10)), ideal: 4 });
    expect(b.points.find((p) => p.day === dayNumber(dec(20)))?.ideal).toBe(2);
    expect(b.points.at(-1)).toEqual({ day: dayNumber(dec(30)), open: null, ideal: 0 });
    // Past today, there is no count yet.
    expect(b.points.filter((p) => p.day > TODAY).every((p) => p.open === null)).toBe(true);
    const later = reconstructBurnDown({ start: dec(10), now: new Date("2026-01-05T12:00:00Z"), idealEnd: dec(30), items: items(["OPEN"]), events: [] });
    expect(later.points.filter((p) => p.day >= dayNumber(dec(30))).every((p) => p.ideal === 0)).toBe(true);
    expect(later.points.at(-1)?.day).toBe(dayNumber(new Date("2026-01-05T12:00:00Z")));
  });

  it("is empty of items without failing", () => {
    const b = reconstructBurnDown({ start: dec(20), now: NOW, idealEnd: dec(22), items: [], events: [] });
    expect(b.startCount).toBe(0);
    expect(b.points.map((p) => p.ideal)).toEqual([0, 0, 0]);
  });
});

describe("layoutMarkers", () => {
  const opts = { left: 100, right: 600, rows: 3, fontSize: 10 };

  it("puts labels that would overlap on different rows", () => {
    const placed = layoutMarkers(
      [
        { key: "today", x: 200, text: "Today", short: "Today" },
        { key: "a", x: 202, text: "1. HOJE (7 de dezembro)", short: "1" },
        { key: "b", x: 400, text: "2. Fevereiro+", short: "2" },
      ],
      opts,
    );
    expect(placed.map((p) => p.row)).toEqual([0, 1, 0]);
    expect(placed.map((p) => p.text)).toEqual(["Today", "1. HOJE (7 de dezembro)", "2. Fevereiro+"]);
  });

  it("writes out what fits and keeps the numbers where lines crowd, drawing leftwards at the right edge", () => {
    const crowded = [0, 1, 2, 3].map((i) => ({ key: `m${i}`, x: 200 + i, text: `${i + 1}. A long milestone label`, short: String(i + 1) }));
    const placed = layoutMarkers(crowded, opts);
    expect(placed.map((p) => p.text)).toEqual(["1", "2. A long milestone label", "3. A long milestone label", "4"]);
    expect(new Set(placed.slice(1, 3).map((p) => p.row)).size).toBe(2);
    expect(layoutMarkers([{ key: "edge", x: 590, text: "Fevereiro+", short: "6" }], opts)[0].anchor).toBe("end");
  });

  it("with no room anywhere, puts the number on the row it overlaps least", () => {
    const placed = layoutMarkers(
      [
        { key: "a", x: 100, text: "1", short: "1" },
        { key: "b", x: 104, text: "2", short: "2" },
        { key: "c", x: 110, text: "3. A long label", short: "3" },
      ],
      { ...opts, rows: 2 },
    );
    expect(placed.map((p) => [p.row, p.text])).toEqual([
      [0, "1"],
      [1, "2"],
      [0, "3"],
    ]);
  });
});


describe("burnDownFromDays (the daily projection)", () => {
  const series = (b: ReturnType<typeof burnDownFromDays>) => b.points.filter((p) => p.open !== null).map((p) => [dayIso(p.day), p.open]);

  it("counts each past day's end as today's count minus the changes of the days after it", () => {
    // Two items closed on the 17th, one reopened on the 18th, one closed on the 19th; 1 open today.
    const b = burnDownFromDays({
      start: dec(16),
      now: NOW,
      idealEnd: null,
      openNow: 1,
      days: [
        { day: dec(17, "00:00:00Z"), delta: -2 },
        { day: dec(18, "00:00:00Z"), delta: 1 },
        { day: dec(19, "00:00:00Z"), delta: -1 },
      ],
    });
    expect(series(b)).toEqual([
      ["2025-12-16", 3],
      ["2025-12-17", 1],
      ["2025-12-18", 2],
      ["2025-12-19", 1],
      ["2025-12-20", 1],
    ]);
    expect(b.startCount).toBe(3);
    expect(b.openNow).toBe(1);
  });

  it("counts changes before the start on the first day, and changes after today on today", () => {
    const b = burnDownFromDays({
      start: dec(18),
      now: NOW,
      idealEnd: null,
      openNow: 4,
      days: [
        { day: dec(10, "00:00:00Z"), delta: -1 },
        { day: dec(22, "00:00:00Z"), delta: -2 },
      ],
    });
    // 7 open before any change; 6 after the early one (first day); 4 after the late one (today).
    expect(b.startCount).toBe(7);
    expect(series(b)).toEqual([
      ["2025-12-18", 6],
      ["2025-12-19", 6],
      ["2025-12-20", 4],
    ]);
  });

  it("draws the ideal line from the starting count to 0 on the planned end", () => {
    const b = burnDownFromDays({ start: dec(16), now: NOW, idealEnd: dec(24), openNow: 8, days: [] });
    expect(b.points.map((p) => [dayIso(p.day), p.open, p.ideal])).toEqual([
      ["2025-12-16", 8, 8],
      ["2025-12-17", 8, 7],
      ["2025-12-18", 8, 6],
      ["2025-12-19", 8, 5],
      ["2025-12-20", 8, 4],
      ["2025-12-21", null, 3],
      ["2025-12-22", null, 2],
      ["2025-12-23", null, 1],
      ["2025-12-24", null, 0],
    ]);
  });
});

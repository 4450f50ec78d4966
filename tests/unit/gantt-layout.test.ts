import { describe, expect, it } from "vitest";
import { GANTT_FRAMES, layoutGantt, thinTicks, wrapText, type GanttFrame } from "@/components/charts/gantt-layout";
import type { GanttRow } from "@/components/charts/types";

// The Gantt chart's layout at a fixed drawing width. Expected positions are worked out
// by hand from the rule: a day's x is linear in the axis's domain between the plot's
// left and right edges; a bar covers [first day, day after the last).

const FRAME: GanttFrame = { width: 500, fontSize: 10, labelsAbove: false, labelWidth: 96, rowHeight: 50, markerRows: 3, marginRight: 0 };
// With MARGIN_LEFT 4 and a 96 label column, the plot runs from x = 100 to x = 500: 400 units for 100 days, 4 per day.

function row(overrides: Partial<GanttRow> = {}): GanttRow {
  return { key: "p1", label: "Phase 1", optional: false, late: false, planned: [10, 20], actual: null, marker: null, ...overrides };
}

const base = { domain: [0, 100] as [number, number], ticks: [0, 7, 14], today: 50, milestones: [], tickText: (d: number) => `d${d}`, todayLabel: "Today" };

describe("layoutGantt", () => {
  it("places bars on the time axis: planned above, actual below", () => {
    const layout = layoutGantt({ ...base, rows: [row({ actual: [12, 25] })] }, FRAME);
    expect(layout.plot.left).toBe(100);
    expect(layout.plot.right).toBe(500);
    const [r] = layout.rows;
    expect(r.planned).toMatchObject({ x: 140, width: 40 });
    expect(r.actual).toMatchObject({ x: 148, width: 52 });
    expect(r.actual!.y).toBeGreaterThan(r.planned!.y + r.planned!.height);
  });

  it("draws no bar for an unknown window", () => {
    const [r] = layoutGantt({ ...base, rows: [row({ planned: null })] }, FRAME).rows;
    expect(r.planned).toBeNull();
    expect(r.actual).toBeNull();
  });

  it("writes the late marker right of the actual bar, or left of it when it would leave the drawing", () => {
    const inside = layoutGantt({ ...base, rows: [row({ actual: [10, 30], late: true, marker: "late +4 d" })] }, FRAME).rows[0];
    expect(inside.marker).toMatchObject({ x: 224, anchor: "start", text: "late +4 d" });
    const atEdge = layoutGantt({ ...base, rows: [row({ actual: [80, 99], late: true, marker: "late +4 d" })] }, FRAME).rows[0];
    expect(atEdge.marker).toMatchObject({ x: 416, anchor: "end" });
  });

  it("stacks rows downwards and grows a row whose label wraps", () => {
    const layout = layoutGantt({ ...base, rows: [row(), row({ key: "p2", label: "A rather long phase name that wraps over several lines" })] }, FRAME);
    expect(layout.rows[0].label.lines).toHaveLength(1);
    expect(layout.rows[1].label.lines.length).toBeGreaterThan(1);
    expect(layout.rows[1].planned!.y).toBeGreaterThan(layout.rows[0].planned!.y + 50 - 1);
    // Labels on the left end just before the plot.
    expect(layout.rows[0].label).toMatchObject({ anchor: "end", lines: [{ x: 92, text: "Phase 1" }] });
  });

  it("with labels above, gives the plot the whole width and writes each label over its bars", () => {
    const layout = layoutGantt({ ...base, rows: [row()] }, { ...FRAME, labelsAbove: true });
    expect(layout.plot.left).toBe(4);
    const [r] = layout.rows;
    expect(r.label.anchor).toBe("start");
    expect(r.label.lines[0].y).toBeLessThan(r.planned!.y);
  });

  it("marks today and numbers the milestones in their order", () => {
    const layout = layoutGantt(
      { ...base, rows: [row()], milestones: [{ key: "a", day: 20, label: "HOJE" }, { key: "b", day: 75, label: "Fevereiro+" }] },
      FRAME,
    );
    expect(layout.markers.map((m) => [m.key, m.kind, m.x, m.label.text])).toEqual([
      ["today", "today", 300, "Today"],
      ["a", "milestone", 180, "1"],
      ["b", "milestone", 400, "2"],
    ]);
    // Labels sit above the plot.
    expect(layout.markers.every((m) => m.label.y < layout.plot.top)).toBe(true);
  });

  it("draws every frame for the same data, each within its own width", () => {
    for (const frame of Object.values(GANTT_FRAMES)) {
      const layout = layoutGantt({ ...base, rows: [row({ actual: [5, 60], late: true, marker: "late +9 d" })] }, frame);
      expect(layout.width).toBe(frame.width);
      expect(layout.height).toBeGreaterThan(layout.plot.bottom);
      const r = layout.rows[0];
      for (const rect of [r.planned!, r.actual!]) {
        expect(rect.x).toBeGreaterThanOrEqual(layout.plot.left);
        expect(rect.x + rect.width).toBeLessThanOrEqual(layout.plot.right);
      }
    }
  });
});

describe("wrapText", () => {
  it("breaks between words at the estimated width (0.6 of the font size per character)", () => {
    // 10 px font: 6 units a character, 60 units hold 10 characters.
    expect(wrapText("Phase 3: Replica and more", 60, 10)).toEqual(["Phase 3:", "Replica", "and more"]);
    expect(wrapText("Monitoring", 30, 10)).toEqual(["Monitoring"]);
  });
});

describe("thinTicks", () => {
  it("keeps the first and last label and drops those that would crowd", () => {
    // Labels 24 units wide centred on ticks 20 apart, kept 8 apart.
    const labels = [0, 20, 40, 60, 80, 100].map((x) => ({ from: x - 12, to: x + 12 }));
    expect(thinTicks(labels, 8)).toEqual([0, 2, 5]);
    expect(thinTicks(labels.slice(0, 2), 8)).toEqual([0, 1]);
  });
});

describe("the axis's labels", () => {
  it("never overlap, also where an edge label is drawn inwards from its tick", () => {
    // A tick every 7 days over 70 days, long labels: the first one starts at the plot's left edge.
    const input = { ...base, domain: [0, 70] as [number, number], ticks: [0, 7, 14, 21, 28, 35, 42, 49, 56, 63, 70], tickText: (d: number) => `${d} de dezembro` };
    for (const frame of Object.values(GANTT_FRAMES)) {
      const { ticks, fontSize } = { ...layoutGantt({ ...input, rows: [row()] }, frame), fontSize: frame.fontSize };
      expect(ticks[0].text).toBe("0 de dezembro");
      expect(ticks.at(-1)!.text).toBe("70 de dezembro");
      const spans = ticks.map((t) => {
        const w = t.text.length * fontSize * 0.6;
        return t.anchor === "start" ? [t.x, t.x + w] : t.anchor === "end" ? [t.x - w, t.x] : [t.x - w / 2, t.x + w / 2];
      });
      for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThan(spans[i - 1][1]);
      expect(spans[0][0]).toBeGreaterThanOrEqual(0);
      expect(spans.at(-1)![1]).toBeLessThanOrEqual(frame.width);
    }
  });
});

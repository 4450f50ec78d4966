import { textWidth } from "./format";
import { layoutMarkers } from "./marker-layout";
import type { GanttChartProps } from "./types";

// Where everything of the Gantt chart goes, for one drawing width: pure arithmetic, no
// DOM. The server draws the chart at two fixed widths (`GANTT_FRAMES`) and the page
// shows the one that suits its container (CSS container queries), each scaled to the
// container's width through its viewBox — so the drawing's height is known before
// anything runs in the browser, and nothing shifts. Text widths are estimated
// (`textWidth`), never measured.

export type GanttFrame = {
  /** The drawing's width in user units (its viewBox width). */
  width: number;
  fontSize: number;
  /** Phase labels on a line above each row's bars (narrow drawings), or in a column on the left. */
  labelsAbove: boolean;
  /** The left column's width, with labels on the left. */
  labelWidth: number;
  /** A row's least height (labels on the left); a row grows when its label wraps to more lines. */
  rowHeight: number;
  /** Rows of marker labels (today, milestones) above the plot. */
  markerRows: number;
  marginRight: number;
};

/**
 * The drawings the server makes, chosen by the container's width: narrow (phones: the
 * labels above the bars, the plot across the whole width) and wide. Each is scaled to its
 * container, so text is drawn at 0.8–1.2 of its size on the usual screens. Two, not more:
 * the markup is sent twice (HTML and the React payload) for each.
 */
export const GANTT_FRAMES = {
  narrow: { width: 360, fontSize: 11, labelsAbove: true, labelWidth: 0, rowHeight: 0, markerRows: 4, marginRight: 8 },
  wide: { width: 900, fontSize: 12, labelsAbove: false, labelWidth: 200, rowHeight: 56, markerRows: 3, marginRight: 20 },
} as const satisfies Record<string, GanttFrame>;

export type GanttFrameName = keyof typeof GANTT_FRAMES;

const MARKER_ROW_HEIGHT = 14;
const MARKER_FONT_SIZE = 10;
const AXIS_HEIGHT = 30;
const BAR_GAP = 3;
const MARGIN_LEFT = 4;

export type TextLine = { x: number; y: number; text: string };
export type Rect = { x: number; y: number; width: number; height: number };

export type GanttLayoutRow = {
  key: string;
  optional: boolean;
  late: boolean;
  /** The phase's label, wrapped to its room; `anchor` says how each line is aligned at its x. */
  label: { lines: TextLine[]; anchor: "start" | "end" };
  planned: Rect | null;
  actual: Rect | null;
  /** "late +4 d" beside the actual bar. */
  marker: (TextLine & { anchor: "start" | "end" }) | null;
};

export type GanttLayout = {
  width: number;
  height: number;
  fontSize: number;
  plot: { left: number; right: number; top: number; bottom: number };
  /** The axis's labelled ticks (the weekly ticks that fit without crowding, first and last kept): the tick's x, and where its label is written. */
  ticks: (TextLine & { tick: number; anchor: "start" | "middle" | "end" })[];
  /** Grid lines: every weekly tick inside the plot, labelled or not. */
  grid: number[];
  rows: GanttLayoutRow[];
  /** Vertical lines (today, then the milestones) with their labels above the plot. */
  markers: { key: string; kind: "today" | "milestone"; x: number; label: TextLine & { anchor: "start" | "end" } }[];
};

/** Words of `text` on lines of at most `width` (estimated); a word longer than a line gets a line of its own. */
export function wrapText(text: string, width: number, fontSize: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, fontSize) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

/**
 * The ticks whose labels fit: the first and the last always, and in between each tick
 * whose label (`from`–`to`, as drawn) keeps `gap` clear of the previous one kept and of the last.
 */
export function thinTicks(labels: { from: number; to: number }[], gap = 8): number[] {
  if (labels.length <= 2) return labels.map((_, i) => i);
  const last = labels.length - 1;
  const kept = [0];
  for (let i = 1; i < last; i++) {
    const clearOfPrevious = labels[i].from >= labels[kept[kept.length - 1]].to + gap;
    const clearOfLast = labels[i].to + gap <= labels[last].from;
    if (clearOfPrevious && clearOfLast) kept.push(i);
  }
  kept.push(last);
  return kept;
}

type LayoutInput = Pick<GanttChartProps, "domain" | "ticks" | "today" | "rows" | "milestones"> & {
  /** The text of a tick (a short date in the page's language). */
  tickText: (day: number) => string;
  todayLabel: string;
};

export function layoutGantt(input: LayoutInput, frame: GanttFrame): GanttLayout {
  const { fontSize } = frame;
  const lineHeight = Math.round(fontSize * 1.25);
  const plotLeft = frame.labelsAbove ? MARGIN_LEFT : MARGIN_LEFT + frame.labelWidth;
  const plotRight = frame.width - frame.marginRight;
  const plotTop = frame.markerRows * MARKER_ROW_HEIGHT + 10;
  const [from, to] = input.domain;
  const xOf = (day: number) => plotLeft + ((day - from) / Math.max(1, to - from)) * (plotRight - plotLeft);
  const clampX = (x: number) => Math.min(Math.max(x, plotLeft), plotRight);
  const span = (range: [number, number] | null, y: number, height: number): Rect | null => {
    if (!range) return null;
    const x0 = clampX(xOf(range[0]));
    const x1 = clampX(xOf(range[1]));
    return x1 > x0 ? { x: x0, y, width: x1 - x0, height } : null;
  };

  const rows: GanttLayoutRow[] = [];
  let y = plotTop;
  for (const row of input.rows) {
    let top: number;
    let rowHeight: number;
    let barHeight: number;
    let label: GanttLayoutRow["label"];
    if (frame.labelsAbove) {
      const lines = wrapText(row.label, plotRight - plotLeft, fontSize);
      barHeight = 12;
      const labelTop = y + 6;
      label = { anchor: "start", lines: lines.map((text, i) => ({ x: plotLeft, y: labelTop + lineHeight * (i + 0.5), text })) };
      top = labelTop + lines.length * lineHeight + 4;
      rowHeight = top - y + 2 * barHeight + BAR_GAP + 8;
    } else {
      const lines = wrapText(row.label, frame.labelWidth - 8, fontSize);
      rowHeight = Math.max(frame.rowHeight, lines.length * lineHeight + 12);
      // As a bar chart lays out two bars in a band: 22 % of the row free above and below.
      barHeight = (rowHeight * 0.56 - BAR_GAP) / 2;
      top = y + rowHeight * 0.22;
      const middle = y + rowHeight / 2;
      label = {
        anchor: "end",
        lines: lines.map((text, i) => ({ x: plotLeft - 8, y: middle + (i - (lines.length - 1) / 2) * lineHeight, text })),
      };
    }
    const planned = span(row.planned, top, barHeight);
    const actual = span(row.actual, top + barHeight + BAR_GAP, barHeight);
    let marker: GanttLayoutRow["marker"] = null;
    if (row.marker && actual) {
      const end = actual.x + actual.width;
      const fitsRight = end + 4 + textWidth(row.marker, fontSize) <= frame.width;
      marker = { x: fitsRight ? end + 4 : actual.x - 4, y: actual.y + actual.height / 2, text: row.marker, anchor: fitsRight ? "start" : "end" };
    }
    rows.push({ key: row.key, optional: row.optional, late: row.late, label, planned, actual, marker });
    y += rowHeight;
  }
  const plotBottom = Math.max(y, plotTop + 1);

  const tickSpots = input.ticks
    .filter((d) => d >= from && d <= to)
    .map((d) => {
      const x = xOf(d);
      const text = input.tickText(d);
      const w = textWidth(text, fontSize);
      // Kept inside the drawing: a label that would cross its edge is drawn inwards from its tick.
      if (x - w / 2 < 0) return { x: Math.max(0, x - 2), tick: x, text, anchor: "start" as const, from: Math.max(0, x - 2), to: Math.max(0, x - 2) + w };
      if (x + w / 2 > frame.width) return { x: Math.min(frame.width, x + 2), tick: x, text, anchor: "end" as const, from: Math.min(frame.width, x + 2) - w, to: Math.min(frame.width, x + 2) };
      return { x, tick: x, text, anchor: "middle" as const, from: x - w / 2, to: x + w / 2 };
    });
  const ticks = thinTicks(tickSpots).map((i) => {
    const { x, tick, text, anchor } = tickSpots[i];
    return { x, tick, y: plotBottom + 8 + fontSize, text, anchor };
  });

  const markerInputs = [
    { key: "today", kind: "today" as const, day: input.today, text: input.todayLabel },
    // Numbers only: the plan's labels may carry dates of their own; the list below the chart gives each number its dates and the plan's words.
    ...input.milestones.map((m, i) => ({ key: m.key, kind: "milestone" as const, day: m.day, text: String(i + 1) })),
  ].filter((m) => m.day >= from && m.day <= to);
  const placed = layoutMarkers(
    markerInputs.map((m) => ({ key: m.key, x: xOf(m.day), text: m.text, short: m.text })),
    { left: plotLeft, right: frame.width, rows: frame.markerRows, fontSize: MARKER_FONT_SIZE },
  );
  const markers = placed.map((spot, i) => ({
    key: spot.key,
    kind: markerInputs[i].kind,
    x: spot.x,
    label: {
      x: spot.anchor === "start" ? spot.x + 3 : spot.x - 3,
      y: plotTop - 6 - (frame.markerRows - 1 - spot.row) * MARKER_ROW_HEIGHT,
      text: spot.text,
      anchor: spot.anchor,
    },
  }));

  return {
    width: frame.width,
    height: Math.ceil(plotBottom + AXIS_HEIGHT),
    fontSize,
    plot: { left: plotLeft, right: plotRight, top: plotTop, bottom: plotBottom },
    ticks,
    grid: tickSpots.map((t) => t.tick),
    rows,
    markers,
  };
}

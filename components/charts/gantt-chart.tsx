import type { ReactNode } from "react";
import { ChartLegend, type LegendEntry } from "./chart-legend";
import { dayFormatter } from "./format";
import { GANTT_FRAMES, layoutGantt, type GanttFrameName, type GanttLayout, type Rect } from "./gantt-layout";
import type { GanttChartProps } from "./types";

// Planned and actual window of each phase on a time axis, with the plan's milestones and
// today as vertical lines. A server component: plain SVG drawn from data the server has,
// with no charting library and no code in the browser. It is drawn at two widths
// (`GANTT_FRAMES`); CSS container queries show the one that suits the room it has, and
// its viewBox scales it to that room, so its height is set before anything runs and
// nothing shifts. Drawn for sighted readers only: the page's table carries the same facts
// for everyone else, so the figure around this chart hides it from assistive technology.
//
// The markup is kept small (it is sent twice: as HTML and in the page's React payload,
// for each drawing): whole-unit coordinates, lines of a kind in one path, bars of a
// kind in one group carrying their colours.

export const GANTT_COLORS = {
  planned: "#cbd5e1",
  plannedEdge: "#64748b",
  actual: "#0369a1",
  late: "#b91c1c",
  today: "#0f172a",
  milestone: "#6d28d9",
  grid: "#e2e8f0",
  axis: "#475569",
  text: "#0f172a",
} as const;

/** Which drawing shows at which container width (Tailwind container queries on the wrapper). */
const FRAME_CLASSES: Record<GanttFrameName, string> = {
  narrow: "block @min-[36rem]:hidden",
  wide: "hidden @min-[36rem]:block",
};

const r = Math.round;
/** Vertical lines at `xs` from `top` to `bottom`, as one path. */
const verticals = (xs: number[], top: number, bottom: number) => xs.map((x) => `M${r(x)} ${r(top)}V${r(bottom)}`).join("");
// Text drawn over the grid and marker lines keeps a white edge, so it stays legible.
const HALO = { stroke: "#ffffff", strokeWidth: 3, strokeLinejoin: "round" as const, paintOrder: "stroke" };

type BarKind = "planned" | "actual" | "late";
type Anchor = "start" | "middle" | "end";
const BAR_COLOURS: Record<BarKind, { fill: string; stroke: string }> = {
  planned: { fill: GANTT_COLORS.planned, stroke: GANTT_COLORS.plannedEdge },
  actual: { fill: GANTT_COLORS.actual, stroke: GANTT_COLORS.actual },
  late: { fill: GANTT_COLORS.late, stroke: GANTT_COLORS.late },
};

function Bars({ id, layout }: { id: string; layout: GanttLayout }) {
  const groups = new Map<string, { kind: BarKind; optional: boolean; rects: Rect[] }>();
  const add = (kind: BarKind, optional: boolean, rect: Rect | null) => {
    if (!rect) return;
    const key = `${kind}${optional ? "-optional" : ""}`;
    const group = groups.get(key) ?? { kind, optional, rects: [] };
    group.rects.push(rect);
    groups.set(key, group);
  };
  for (const row of layout.rows) {
    add("planned", row.optional, row.planned);
    add(row.late ? "late" : "actual", row.optional, row.actual);
  }
  return [...groups.entries()].map(([key, { kind, optional, rects }]) => (
    <g
      key={key}
      data-bar={kind === "planned" ? "planned" : "actual"}
      fill={optional ? `url(#${id}-${kind})` : BAR_COLOURS[kind].fill}
      stroke={BAR_COLOURS[kind].stroke}
      {...(optional ? { strokeDasharray: "4 2" } : {})}
    >
      {rects.map((b, i) => {
        const x = r(b.x);
        return <rect key={i} x={x} y={r(b.y)} width={Math.max(1, r(b.x + b.width) - x)} height={r(b.height)} />;
      })}
    </g>
  ));
}

function GanttDrawing({ id, name, layout }: { id: string; name: GanttFrameName; layout: GanttLayout }) {
  const { plot } = layout;
  // The hatch patterns the optional rows' bars use, and only those.
  const hatches = new Set<BarKind>();
  for (const row of layout.rows) {
    if (!row.optional) continue;
    if (row.planned) hatches.add("planned");
    if (row.actual) hatches.add(row.late ? "late" : "actual");
  }
  const today = layout.markers.find((m) => m.kind === "today");
  const milestones = layout.markers.filter((m) => m.kind === "milestone");
  const text = (key: number | string, x: number, y: number, anchor: Anchor, children: ReactNode, defaultAnchor: Anchor) => (
    <text key={key} x={r(x)} y={r(y)} {...(anchor === defaultAnchor ? {} : { textAnchor: anchor })}>
      {children}
    </text>
  );
  return (
    <svg data-layout={name} className={`gantt-chart h-auto w-full ${FRAME_CLASSES[name]}`} viewBox={`0 0 ${layout.width} ${layout.height}`} focusable="false" fontSize={layout.fontSize}>
      {hatches.size ? (
        <defs>
          {[...hatches].map((kind) => (
            <pattern key={kind} id={`${id}-${kind}`} patternUnits="userSpaceOnUse" width={6} height={6} patternTransform="rotate(45)">
              <rect width={6} height={6} fill={kind === "planned" ? "#f8fafc" : "#ffffff"} />
              <path d="M0 0V6" stroke={kind === "planned" ? GANTT_COLORS.plannedEdge : BAR_COLOURS[kind].fill} strokeWidth={kind === "planned" ? 2 : 3} />
            </pattern>
          ))}
        </defs>
      ) : null}
      <path d={verticals(layout.grid, plot.top, plot.bottom)} stroke={GANTT_COLORS.grid} />
      <path
        d={`M${r(plot.left)} ${r(plot.bottom)}H${r(plot.right)}${name === "narrow" ? "" : verticals([plot.left], plot.top, plot.bottom)}${verticals(
          layout.ticks.map((t) => t.tick),
          plot.bottom,
          plot.bottom + 6,
        )}`}
        stroke={GANTT_COLORS.axis}
      />
      <g fill={GANTT_COLORS.axis} textAnchor="middle">
        {layout.ticks.map((t, i) => text(i, t.x, t.y, t.anchor, t.text, "middle"))}
      </g>
      <Bars id={id} layout={layout} />
      {milestones.length ? <path d={verticals(milestones.map((m) => m.x), plot.top, plot.bottom)} stroke={GANTT_COLORS.milestone} strokeDasharray="2 3" /> : null}
      {today ? <path d={verticals([today.x], plot.top, plot.bottom)} stroke={GANTT_COLORS.today} strokeWidth={2} strokeDasharray="4 3" /> : null}
      <g fill={GANTT_COLORS.text} dominantBaseline="central" {...(name === "narrow" ? { fontWeight: 600, ...HALO } : { textAnchor: "end" })}>
        {layout.rows.flatMap((row, i) => row.label.lines.map((line, j) => text(`${i}.${j}`, line.x, line.y, row.label.anchor, line.text, name === "narrow" ? "start" : "end")))}
      </g>
      <g fill={GANTT_COLORS.late} fontWeight={700} dominantBaseline="central" {...HALO}>
        {layout.rows.map((row, i) => (row.marker ? text(i, row.marker.x, row.marker.y, row.marker.anchor, row.marker.text, "start") : null))}
      </g>
      <g fontSize={10} fill={GANTT_COLORS.milestone} fontWeight={500}>
        {today ? (
          <text x={r(today.label.x)} y={r(today.label.y)} {...(today.label.anchor === "end" ? { textAnchor: "end" } : {})} fill={GANTT_COLORS.today} fontWeight={700}>
            {today.label.text}
          </text>
        ) : null}
        {milestones.map((m, i) => text(i, m.label.x, m.label.y, m.label.anchor, m.label.text, "start"))}
      </g>
    </svg>
  );
}

export function GanttChart({ id, locale, domain, ticks, today, rows, milestones, labels }: GanttChartProps & { id: string }) {
  const input = { domain, ticks, today, rows, milestones, tickText: dayFormatter(locale), todayLabel: labels.today };
  const legend: LegendEntry[] = [
    { key: "planned", label: labels.planned, swatch: { fill: GANTT_COLORS.planned, border: GANTT_COLORS.plannedEdge } },
    { key: "actual", label: labels.actual, swatch: { fill: GANTT_COLORS.actual } },
    { key: "late", label: labels.late, swatch: { fill: GANTT_COLORS.late } },
    { key: "optional", label: labels.optional, swatch: { fill: GANTT_COLORS.planned, border: GANTT_COLORS.plannedEdge, hatched: true } },
    { key: "today", label: labels.today, swatch: { line: GANTT_COLORS.today, dash: "4 3" } },
    { key: "milestone", label: labels.milestone, swatch: { line: GANTT_COLORS.milestone, dash: "2 3" } },
  ];
  return (
    <div className="@container w-full">
      {(Object.keys(GANTT_FRAMES) as GanttFrameName[]).map((name) => (
        <GanttDrawing key={name} id={`${id}-${name[0]}`} name={name} layout={layoutGantt(input, GANTT_FRAMES[name])} />
      ))}
      <ChartLegend entries={legend} />
    </div>
  );
}

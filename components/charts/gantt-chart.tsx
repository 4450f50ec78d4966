import { ChartLegend, type LegendEntry } from "./chart-legend";
import { dayFormatter } from "./format";
import { GANTT_FRAMES, layoutGantt, type GanttFrameName, type GanttLayout, type GanttLayoutRow } from "./gantt-layout";
import type { GanttChartProps } from "./types";

// Planned and actual window of each phase on a time axis, with the plan's milestones and
// today as vertical lines. A server component: plain SVG drawn from data the server has,
// with no charting library and no code in the browser. It is drawn at three widths
// (`GANTT_FRAMES`); CSS container queries show the one that suits the room it has, and
// its viewBox scales it to that room, so its height is set before anything runs and
// nothing shifts. Drawn for sighted readers only: the page's table carries the same facts
// for everyone else, so the figure around this chart hides it from assistive technology.

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
  narrow: "block @min-[30rem]:hidden",
  medium: "hidden @min-[30rem]:block @min-[52rem]:hidden",
  wide: "hidden @min-[52rem]:block",
};

const round = (n: number) => Math.round(n * 10) / 10;

function Bar({ id, kind, row }: { id: string; kind: "planned" | "actual"; row: GanttLayoutRow }) {
  const rect = row[kind];
  if (!rect) return null;
  const colour = kind === "planned" ? GANTT_COLORS.planned : row.late ? GANTT_COLORS.late : GANTT_COLORS.actual;
  const hatch = kind === "planned" ? "planned" : row.late ? "late" : "actual";
  return (
    <rect
      data-bar={kind}
      x={round(rect.x)}
      y={round(rect.y)}
      width={round(rect.width)}
      height={round(rect.height)}
      rx={2}
      fill={row.optional ? `url(#${id}-hatch-${hatch})` : colour}
      stroke={kind === "planned" ? GANTT_COLORS.plannedEdge : colour}
      strokeWidth={1}
      strokeDasharray={row.optional ? "4 2" : undefined}
    />
  );
}

function GanttDrawing({ id, name, layout }: { id: string; name: GanttFrameName; layout: GanttLayout }) {
  const { plot, fontSize } = layout;
  // Text drawn over the grid and marker lines keeps a white edge, so it stays legible.
  const halo = { stroke: "#ffffff", strokeWidth: 3, strokeLinejoin: "round" as const, paintOrder: "stroke" };
  return (
    <svg
      data-layout={name}
      className={`gantt-chart h-auto w-full ${FRAME_CLASSES[name]}`}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      focusable="false"
      fontSize={fontSize}
    >
      <defs>
        {(["planned", "actual", "late"] as const).map((kind) => {
          const colour = kind === "planned" ? GANTT_COLORS.plannedEdge : kind === "late" ? GANTT_COLORS.late : GANTT_COLORS.actual;
          return (
            <pattern key={kind} id={`${id}-hatch-${kind}`} patternUnits="userSpaceOnUse" width={6} height={6} patternTransform="rotate(45)">
              <rect width={6} height={6} fill={kind === "planned" ? "#f8fafc" : "#ffffff"} />
              <line x1={0} y1={0} x2={0} y2={6} stroke={colour} strokeWidth={kind === "planned" ? 2 : 3} />
            </pattern>
          );
        })}
      </defs>
      <g stroke={GANTT_COLORS.grid}>
        {layout.grid.map((x) => (
          <line key={x} x1={round(x)} x2={round(x)} y1={plot.top} y2={round(plot.bottom)} />
        ))}
      </g>
      <g stroke={GANTT_COLORS.axis}>
        <line x1={plot.left} x2={plot.right} y1={round(plot.bottom)} y2={round(plot.bottom)} />
        {name === "narrow" ? null : <line x1={plot.left} x2={plot.left} y1={plot.top} y2={round(plot.bottom)} />}
        {layout.ticks.map((t) => (
          <line key={t.text + t.tick} x1={round(t.tick)} x2={round(t.tick)} y1={round(plot.bottom)} y2={round(plot.bottom) + 6} />
        ))}
      </g>
      <g fill={GANTT_COLORS.axis}>
        {layout.ticks.map((t) => (
          <text key={t.text + t.tick} x={round(t.x)} y={round(t.y)} textAnchor={t.anchor}>
            {t.text}
          </text>
        ))}
      </g>
      {layout.rows.map((row) => (
        <g key={row.key} data-row={row.key}>
          <Bar id={id} kind="planned" row={row} />
          <Bar id={id} kind="actual" row={row} />
        </g>
      ))}
      {layout.markers.map((m) =>
        m.kind === "today" ? null : (
          <line key={m.key} x1={round(m.x)} x2={round(m.x)} y1={plot.top} y2={round(plot.bottom)} stroke={GANTT_COLORS.milestone} strokeDasharray="2 3" />
        ),
      )}
      {layout.markers.map((m) =>
        m.kind === "today" ? (
          <line key={m.key} x1={round(m.x)} x2={round(m.x)} y1={plot.top} y2={round(plot.bottom)} stroke={GANTT_COLORS.today} strokeWidth={2} strokeDasharray="4 3" />
        ) : null,
      )}
      <g fill={GANTT_COLORS.text}>
        {layout.rows.map((row) =>
          row.label.lines.map((line, i) => (
            <text key={`${row.key}-${i}`} x={round(line.x)} y={round(line.y)} textAnchor={row.label.anchor} dominantBaseline="central" fontWeight={name === "narrow" ? 600 : undefined} {...(name === "narrow" ? halo : {})}>
              {line.text}
            </text>
          )),
        )}
      </g>
      <g fill={GANTT_COLORS.late} fontWeight={700}>
        {layout.rows.map((row) =>
          row.marker ? (
            <text key={row.key} x={round(row.marker.x)} y={round(row.marker.y)} textAnchor={row.marker.anchor} dominantBaseline="central" {...halo}>
              {row.marker.text}
            </text>
          ) : null,
        )}
      </g>
      <g fontSize={10}>
        {layout.markers.map((m) => (
          <text
            key={m.key}
            x={round(m.label.x)}
            y={round(m.label.y)}
            textAnchor={m.label.anchor}
            fontWeight={m.kind === "today" ? 700 : 500}
            fill={m.kind === "today" ? GANTT_COLORS.today : GANTT_COLORS.milestone}
          >
            {m.label.text}
          </text>
        ))}
      </g>
    </svg>
  );
}

export function GanttChart({ id, locale, domain, ticks, today, rows, milestones, labels }: GanttChartProps & { id: string }) {
  const formatDay = dayFormatter(locale);
  const input = { domain, ticks, today, rows, milestones, tickText: formatDay, todayLabel: labels.today };
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
        <GanttDrawing key={name} id={`${id}-${name}`} name={name} layout={layoutGantt(input, GANTT_FRAMES[name])} />
      ))}
      <ChartLegend entries={legend} />
    </div>
  );
}

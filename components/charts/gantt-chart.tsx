"use client";

import { useId, useMemo } from "react";
import { Bar, BarChart, CartesianGrid, LabelList, ReferenceLine, Text, XAxis, YAxis, type BarShapeProps, type LabelProps } from "recharts";
import { ChartLegend, type LegendEntry } from "./chart-legend";
import { dayFormatter, textWidth } from "./format";
import { layoutMarkers, type PlacedMarker } from "./marker-layout";
import type { GanttChartProps, GanttRow } from "./types";
import { useWidth } from "./use-width";

// Planned and actual window of each phase on a time axis, with the plan's milestones and
// today as vertical lines. Drawn for sighted readers only: the page's table carries the
// same facts for everyone else, so the figure around this chart hides it from assistive
// technology.

export const GANTT_COLORS = {
  planned: "#cbd5e1",
  plannedEdge: "#64748b",
  actual: "#0369a1",
  late: "#b91c1c",
  today: "#0f172a",
  milestone: "#6d28d9",
} as const;

const LABEL_ROW_HEIGHT = 14;

type Box = { x: number; y: number; width: number; height: number };
const boxOf = (viewBox: unknown): Box | null => {
  const box = viewBox as Partial<Box> | undefined;
  return box && typeof box.x === "number" && typeof box.y === "number" ? { x: box.x, y: box.y, width: box.width ?? 0, height: box.height ?? 0 } : null;
};

export default function GanttChart({ locale, domain, ticks, today, rows, milestones, labels }: GanttChartProps) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const ids = useId().replace(/[^a-zA-Z0-9_-]/g, "");
  const formatDay = useMemo(() => dayFormatter(locale), [locale]);
  const narrow = width > 0 && width < 560;
  // Room above the plot for the marker labels: more rows where the lines stand closer.
  const labelRows = narrow ? 4 : 3;
  const fontSize = narrow ? 10 : 12;
  const yWidth = narrow ? 92 : 180;
  const margin = { top: labelRows * LABEL_ROW_HEIGHT + 10, right: narrow ? 10 : 24, bottom: 4, left: 4 };
  const rowHeight = narrow ? 64 : 56;
  const height = margin.top + rows.length * rowHeight + 32;

  const plotLeft = margin.left + yWidth;
  const plotRight = width - margin.right;
  const xOf = (day: number) => plotLeft + ((day - domain[0]) / Math.max(1, domain[1] - domain[0])) * (plotRight - plotLeft);

  const markers = [
    { key: "today", x: xOf(today), text: labels.today, short: labels.today },
    // Numbers only: the plan's labels may carry dates of their own; the list below gives each number its dates and the plan's words.
    ...milestones.map((m, i) => ({ key: m.key, x: xOf(m.day), text: String(i + 1), short: String(i + 1) })),
  ];
  const placed = new Map(layoutMarkers(markers, { left: plotLeft, right: width, rows: labelRows, fontSize: 10 }).map((m) => [m.key, m]));

  const pattern = (kind: "planned" | "actual" | "late") => `${ids}-hatch-${kind}`;
  const shape = (kind: "planned" | "actual") =>
    function GanttBar(props: BarShapeProps) {
      const row = props.payload as GanttRow | undefined;
      const { x, y, width: w, height: h } = props;
      if (!row || !(w > 0) || !(h > 0)) return <g />;
      const colour = kind === "planned" ? GANTT_COLORS.planned : row.late ? GANTT_COLORS.late : GANTT_COLORS.actual;
      const fill = row.optional ? `url(#${pattern(kind === "planned" ? "planned" : row.late ? "late" : "actual")})` : colour;
      const stroke = kind === "planned" ? GANTT_COLORS.plannedEdge : colour;
      return <rect x={x} y={y} width={w} height={h} rx={2} fill={fill} stroke={stroke} strokeWidth={1} strokeDasharray={row.optional ? "4 2" : undefined} />;
    };

  const markerLabel = (key: string, colour: string, bold: boolean) =>
    function MarkerLabel(props: LabelProps) {
      const box = boxOf(props.viewBox);
      const spot: PlacedMarker | undefined = placed.get(key);
      if (!box || !spot) return <g />;
      const y = box.y - 6 - (labelRows - 1 - spot.row) * LABEL_ROW_HEIGHT;
      return (
        <text x={spot.anchor === "start" ? box.x + 3 : box.x - 3} y={y} textAnchor={spot.anchor} fontSize={10} fontWeight={bold ? 700 : 500} fill={colour}>
          {spot.text}
        </text>
      );
    };

  const lateMarker = (props: LabelProps) => {
    const box = boxOf(props.viewBox);
    const text = typeof props.value === "string" ? props.value : null;
    if (!box || !text) return <g />;
    const w = textWidth(text, fontSize);
    const end = box.x + box.width;
    const fitsRight = end + 4 + w <= width;
    return (
      <text x={fitsRight ? end + 4 : box.x - 4} y={box.y + box.height / 2} dominantBaseline="central" textAnchor={fitsRight ? "start" : "end"} fontSize={fontSize} fontWeight={700} fill={GANTT_COLORS.late}>
        {text}
      </text>
    );
  };

  const legend: LegendEntry[] = [
    { key: "planned", label: labels.planned, swatch: { fill: GANTT_COLORS.planned, border: GANTT_COLORS.plannedEdge } },
    { key: "actual", label: labels.actual, swatch: { fill: GANTT_COLORS.actual } },
    { key: "late", label: labels.late, swatch: { fill: GANTT_COLORS.late } },
    { key: "optional", label: labels.optional, swatch: { fill: GANTT_COLORS.planned, border: GANTT_COLORS.plannedEdge, hatched: true } },
    { key: "today", label: labels.today, swatch: { line: GANTT_COLORS.today, dash: "4 3" } },
    { key: "milestone", label: labels.milestone, swatch: { line: GANTT_COLORS.milestone, dash: "2 3" } },
  ];

  return (
    <div ref={ref} className="w-full">
      {width > 0 ? (
        <BarChart
          width={width}
          height={height}
          data={rows}
          layout="vertical"
          margin={margin}
          barGap={3}
          barCategoryGap="22%"
          accessibilityLayer={false}
        >
          <defs>
            {(["planned", "actual", "late"] as const).map((kind) => {
              const colour = kind === "planned" ? GANTT_COLORS.plannedEdge : kind === "late" ? GANTT_COLORS.late : GANTT_COLORS.actual;
              return (
                <pattern key={kind} id={pattern(kind)} patternUnits="userSpaceOnUse" width={6} height={6} patternTransform="rotate(45)">
                  <rect width={6} height={6} fill={kind === "planned" ? "#f8fafc" : "#ffffff"} />
                  <line x1={0} y1={0} x2={0} y2={6} stroke={colour} strokeWidth={kind === "planned" ? 2 : 3} />
                </pattern>
              );
            })}
          </defs>
          <CartesianGrid horizontal={false} stroke="#e2e8f0" />
          <XAxis
            type="number"
            domain={domain}
            ticks={ticks}
            allowDataOverflow
            tickFormatter={(d: number) => formatDay(d)}
            fontSize={fontSize}
            interval="preserveStartEnd"
            minTickGap={8}
            stroke="#475569"
          />
          <YAxis
            type="category"
            dataKey="label"
            width={yWidth}
            stroke="#475569"
            tickLine={false}
            tick={(tick: { x: number | string; y: number | string; payload: { value: unknown } }) => (
              <Text x={Number(tick.x)} y={Number(tick.y)} width={yWidth - 8} textAnchor="end" verticalAnchor="middle" fontSize={fontSize} fill="#0f172a">
                {String(tick.payload.value)}
              </Text>
            )}
          />
          <Bar dataKey="planned" name={labels.planned} shape={shape("planned")} isAnimationActive={false} />
          <Bar dataKey="actual" name={labels.actual} shape={shape("actual")} isAnimationActive={false}>
            <LabelList dataKey="marker" content={lateMarker} />
          </Bar>
          {milestones.map((m) => (
            <ReferenceLine key={m.key} x={m.day} stroke={GANTT_COLORS.milestone} strokeDasharray="2 3" ifOverflow="hidden" label={markerLabel(m.key, GANTT_COLORS.milestone, false)} />
          ))}
          <ReferenceLine x={today} stroke={GANTT_COLORS.today} strokeWidth={2} strokeDasharray="4 3" ifOverflow="hidden" label={markerLabel("today", GANTT_COLORS.today, true)} />
        </BarChart>
      ) : (
        <div style={{ height }} />
      )}
      <ChartLegend entries={legend} />
    </div>
  );
}

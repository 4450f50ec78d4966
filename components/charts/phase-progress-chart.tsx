"use client";

import { useId } from "react";
import { Bar, BarChart, CartesianGrid, LabelList, Text, XAxis, YAxis, type LabelProps } from "recharts";
import { ChartLegend } from "./chart-legend";
import type { PhaseProgressChartProps } from "./types";
import { useWidth } from "./use-width";

// Done / open / not-applicable items of each phase as one stacked bar per phase, with
// the counts written on the segments. Drawn for sighted readers; the table beside it is
// the accessible version.

export const PROGRESS_COLORS = { done: "#15803d", open: "#b45309", notApplicable: "#94a3b8" } as const;

type Box = { x: number; y: number; width: number; height: number };

function countLabel(dark: boolean) {
  return function CountLabel(props: LabelProps) {
    const box = props.viewBox as Partial<Box> | undefined;
    const value = Number(props.value);
    if (!box || typeof box.x !== "number" || typeof box.y !== "number" || !value || (box.width ?? 0) < 16) return <g />;
    return (
      <text x={box.x + (box.width ?? 0) / 2} y={box.y + (box.height ?? 0) / 2} textAnchor="middle" dominantBaseline="central" fontSize={11} fontWeight={700} fill={dark ? "#0f172a" : "#ffffff"}>
        {value}
      </text>
    );
  };
}

export default function PhaseProgressChart({ rows, labels }: PhaseProgressChartProps) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const hatch = `${useId().replace(/[^a-zA-Z0-9_-]/g, "")}-na`;
  const narrow = width > 0 && width < 520;
  const yWidth = narrow ? 96 : 160;
  const fontSize = narrow ? 10 : 12;
  const height = rows.length * (narrow ? 56 : 48) + 40;
  return (
    <div ref={ref} className="w-full">
      {width > 0 ? (
        <BarChart width={width} height={height} data={rows} layout="vertical" margin={{ top: 4, right: 12, bottom: 4, left: 4 }} barCategoryGap="25%" accessibilityLayer={false}>
          <defs>
            <pattern id={hatch} patternUnits="userSpaceOnUse" width={6} height={6} patternTransform="rotate(45)">
              <rect width={6} height={6} fill="#e2e8f0" />
              <line x1={0} y1={0} x2={0} y2={6} stroke={PROGRESS_COLORS.notApplicable} strokeWidth={3} />
            </pattern>
          </defs>
          <CartesianGrid horizontal={false} stroke="#e2e8f0" />
          <XAxis type="number" allowDecimals={false} fontSize={fontSize} stroke="#475569" />
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
          <Bar dataKey="done" name={labels.done} stackId="items" fill={PROGRESS_COLORS.done} isAnimationActive={false}>
            <LabelList dataKey="done" content={countLabel(false)} />
          </Bar>
          <Bar dataKey="open" name={labels.open} stackId="items" fill={PROGRESS_COLORS.open} isAnimationActive={false}>
            <LabelList dataKey="open" content={countLabel(false)} />
          </Bar>
          <Bar dataKey="notApplicable" name={labels.notApplicable} stackId="items" fill={`url(#${hatch})`} stroke={PROGRESS_COLORS.notApplicable} isAnimationActive={false}>
            <LabelList dataKey="notApplicable" content={countLabel(true)} />
          </Bar>
        </BarChart>
      ) : (
        <div style={{ height }} />
      )}
      <ChartLegend
        entries={[
          { key: "done", label: labels.done, swatch: { fill: PROGRESS_COLORS.done } },
          { key: "open", label: labels.open, swatch: { fill: PROGRESS_COLORS.open } },
          { key: "na", label: labels.notApplicable, swatch: { fill: "#e2e8f0", border: PROGRESS_COLORS.notApplicable, hatched: true } },
        ]}
      />
    </div>
  );
}

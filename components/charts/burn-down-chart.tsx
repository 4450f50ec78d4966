"use client";

import { useMemo } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, XAxis, YAxis } from "recharts";
import { ChartLegend } from "./chart-legend";
import { dayFormatter } from "./format";
import type { BurnDownChartProps } from "./types";
import { useWidth } from "./use-width";

// Open phase items at the end of each day (a solid step line, up to today) against the
// ideal line (dashed) that reaches 0 on the last planned end. Drawn for sighted readers;
// the table beside it is the accessible version.

export const BURN_DOWN_COLORS = { open: "#0369a1", ideal: "#64748b", today: "#0f172a" } as const;

export default function BurnDownChart({ locale, today, points, labels }: BurnDownChartProps) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const formatDay = useMemo(() => dayFormatter(locale), [locale]);
  const height = 260;
  const first = points[0]?.day ?? today;
  const last = points.at(-1)?.day ?? today;
  const ticks: number[] = [];
  for (let d = first; d <= last; d += 7) ticks.push(d);
  const actualDays = points.filter((p) => p.open !== null).length;
  return (
    <div ref={ref} className="w-full">
      {width > 0 ? (
        <LineChart width={width} height={height} data={points} margin={{ top: 18, right: 16, bottom: 4, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid stroke="#e2e8f0" />
          <XAxis
            type="number"
            dataKey="day"
            domain={[first, Math.max(last, first + 1)]}
            ticks={ticks}
            tickFormatter={(d: number) => formatDay(d)}
            interval="preserveStartEnd"
            minTickGap={8}
            fontSize={11}
            stroke="#475569"
          />
          <YAxis allowDecimals={false} width={36} fontSize={11} stroke="#475569" />
          <Line dataKey="ideal" name={labels.ideal} type="linear" stroke={BURN_DOWN_COLORS.ideal} strokeWidth={2} strokeDasharray="6 4" dot={false} isAnimationActive={false} />
          <Line
            dataKey="open"
            name={labels.open}
            type="stepAfter"
            stroke={BURN_DOWN_COLORS.open}
            strokeWidth={3}
            dot={actualDays <= 14 ? { r: 3, fill: BURN_DOWN_COLORS.open } : false}
            connectNulls={false}
            isAnimationActive={false}
          />
          <ReferenceLine
            x={today}
            stroke={BURN_DOWN_COLORS.today}
            strokeDasharray="4 3"
            label={{ value: labels.today, position: "top", fontSize: 10, fontWeight: 700, fill: BURN_DOWN_COLORS.today }}
          />
        </LineChart>
      ) : (
        <div style={{ height }} />
      )}
      <ChartLegend
        entries={[
          { key: "open", label: labels.open, swatch: { line: BURN_DOWN_COLORS.open } },
          { key: "ideal", label: labels.ideal, swatch: { line: BURN_DOWN_COLORS.ideal, dash: "6 4" } },
          { key: "today", label: labels.today, swatch: { line: BURN_DOWN_COLORS.today, dash: "4 3" } },
        ]}
      />
    </div>
  );
}

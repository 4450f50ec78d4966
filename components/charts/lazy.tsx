"use client";

import dynamic from "next/dynamic";
import type { BurnDownChartProps, GanttChartProps, PhaseProgressChartProps } from "./types";

// The charts, loaded in the browser only when a page shows one: the charting library
// stays out of the first load of every page, including these.

function Placeholder() {
  return <div className="h-full min-h-24 w-full animate-pulse rounded-md bg-slate-100" />;
}

export const LazyGanttChart = dynamic<GanttChartProps>(() => import("./gantt-chart"), { ssr: false, loading: Placeholder });
export const LazyPhaseProgressChart = dynamic<PhaseProgressChartProps>(() => import("./phase-progress-chart"), { ssr: false, loading: Placeholder });
export const LazyBurnDownChart = dynamic<BurnDownChartProps>(() => import("./burn-down-chart"), { ssr: false, loading: Placeholder });

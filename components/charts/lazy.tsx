"use client";

import dynamic from "next/dynamic";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { BurnDownChartProps, PhaseProgressChartProps } from "./types";

// The executive dashboard's charts (recharts), loaded and drawn in the browser only when
// they come near the viewport: neither the charting library's code nor its rendering
// (SVG text measured per tick and label) is on the page's start, and the charting library
// stays out of the first load of every page. Until then — and while the code loads — a
// placeholder holds the room the figure reserves (`ChartFigure`'s `minHeight`), so
// nothing shifts. The numbers are in the server-rendered table beside each chart
// whatever happens here. Not drawn "when the browser is idle" as well: a chart drawn
// right after the page settles is a long task in the page's start all the same.

/** How far outside the viewport a chart starts loading, so it is drawn by the time it scrolls in. */
const NEAR = "400px 0px";

function Placeholder() {
  return <div className="h-full min-h-24 w-full animate-pulse rounded-md bg-slate-100" />;
}

const PhaseProgressChart = dynamic<PhaseProgressChartProps>(() => import("./phase-progress-chart"), { ssr: false, loading: Placeholder });
const BurnDownChart = dynamic<BurnDownChartProps>(() => import("./burn-down-chart"), { ssr: false, loading: Placeholder });

/** Its children once the box has come within `NEAR` of the viewport. */
function WhenNear({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (near || !element) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          setNear(true);
        }
      },
      { rootMargin: NEAR },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [near]);
  return (
    <div ref={ref} className="w-full" data-chart-state={near ? "near" : "waiting"}>
      {near ? children : <Placeholder />}
    </div>
  );
}

export function LazyPhaseProgressChart(props: PhaseProgressChartProps) {
  return (
    <WhenNear>
      <PhaseProgressChart {...props} />
    </WhenNear>
  );
}

export function LazyBurnDownChart(props: BurnDownChartProps) {
  return (
    <WhenNear>
      <BurnDownChart {...props} />
    </WhenNear>
  );
}

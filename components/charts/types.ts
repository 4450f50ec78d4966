// The props of the chart components: plain numbers and strings only, so server pages can
// hand them across to the client as they are. Days are UTC day numbers (days since
// 1970-01-01); labels arrive translated.

export type DaySpan = [number, number];

export type GanttRow = {
  key: string;
  /** The category label, e.g. "Phase 3: Replica (optional)". */
  label: string;
  optional: boolean;
  late: boolean;
  /** [first day, day after the last]; null when unknown. */
  planned: DaySpan | null;
  actual: DaySpan | null;
  /** Text drawn beside the actual bar, e.g. "late +4 d"; null for none. */
  marker: string | null;
};

export type GanttMarker = { key: string; day: number; label: string };

export type GanttChartProps = {
  locale: string;
  domain: DaySpan;
  ticks: number[];
  today: number;
  rows: GanttRow[];
  milestones: GanttMarker[];
  labels: { planned: string; actual: string; late: string; optional: string; today: string; milestone: string };
};

export type PhaseProgressRow = { key: string; label: string; done: number; open: number; notApplicable: number };

export type PhaseProgressChartProps = {
  rows: PhaseProgressRow[];
  labels: { done: string; open: string; notApplicable: string };
};

export type BurnDownChartPoint = { day: number; open: number | null; ideal: number | null };

export type BurnDownChartProps = {
  locale: string;
  today: number;
  points: BurnDownChartPoint[];
  labels: { open: string; ideal: string; today: string };
};

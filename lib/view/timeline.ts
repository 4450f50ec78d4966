import type { ItemState, PhaseStatus } from "../generated/prisma/enums";

// Shapes phases, milestones, items and state-change events into what the timeline and
// the executive charts draw. Pure: no queries, no clock (callers pass `now`), and every
// output is plain numbers and strings, so it can cross into client components as is.
//
// Time is counted in whole UTC days ("day numbers": days since 1970-01-01 UTC), the same
// calendar the portal formats dates in.

export const DAY_MS = 86_400_000;

/** The UTC day a moment falls on. */
export function dayNumber(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

/** Midnight UTC of a day number, for formatting. */
export function dayToDate(day: number): Date {
  return new Date(day * DAY_MS);
}

/** "2025-12-07" for a day number. */
export function dayIso(day: number): string {
  return dayToDate(day).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------
// Phases: planned vs actual windows, and slippage

export type TimelinePhaseInput = {
  id: string;
  position: number;
  name: string;
  optional: boolean;
  status: PhaseStatus;
  plannedStart: Date | null;
  plannedEnd: Date | null;
  actualStart: Date | null;
  actualEnd: Date | null;
};

export type Slippage = {
  /**
   * Days between the planned end and the actual end — or today, while the phase is not
   * finished and already past its planned end. Negative when it finished early; 0 when
   * it is on time (or not yet due). Null when it cannot be said: no planned end, or the
   * phase was skipped.
   */
  days: number | null;
  /** The phase ended after its planned end, or is still open past it. */
  late: boolean;
  /** The lateness is still growing: the phase is not finished. */
  ongoing: boolean;
};

/** Whether a phase is late, and by how many days. */
export function computeSlippage(phase: Pick<TimelinePhaseInput, "status" | "plannedEnd" | "actualEnd">, now: Date): Slippage {
  if (!phase.plannedEnd || phase.status === "SKIPPED") return { days: null, late: false, ongoing: false };
  const plannedEnd = dayNumber(phase.plannedEnd);
  if (phase.actualEnd) {
    const days = dayNumber(phase.actualEnd) - plannedEnd;
    return { days, late: days > 0, ongoing: false };
  }
  if (phase.status === "DONE") return { days: null, late: false, ongoing: false };
  const days = Math.max(0, dayNumber(now) - plannedEnd);
  return { days, late: days > 0, ongoing: days > 0 };
}

/** A bar on the time axis: [first day, day after the last day], so a one-day window has a width. */
export type DayRange = [number, number];

export type TimelinePhaseRow = {
  id: string;
  position: number;
  name: string;
  optional: boolean;
  status: PhaseStatus;
  plannedStart: number | null;
  plannedEnd: number | null;
  actualStart: number | null;
  /** The actual end, or null while the phase runs (see `running`). */
  actualEnd: number | null;
  /** Started and not finished: its actual bar runs to today. */
  running: boolean;
  planned: DayRange | null;
  actual: DayRange | null;
  slippage: Slippage;
};

export type TimelineMilestoneInput = {
  id: string;
  key: string;
  label: string;
  startsAt: Date;
  endsAt: Date | null;
  details: string[];
};

export type TimelineMilestoneRow = { id: string; key: string; label: string; start: number; end: number | null; details: string[] };

export type TimelineView = {
  today: number;
  /** The time axis: a day before the earliest bar, milestone or today, to a day after the latest. */
  domain: DayRange;
  /** Axis ticks: every 7 days from the domain's start. */
  ticks: number[];
  phases: TimelinePhaseRow[];
  milestones: TimelineMilestoneRow[];
};

const day = (date: Date | null) => (date ? dayNumber(date) : null);
const RUNNING: readonly PhaseStatus[] = ["IN_PROGRESS", "AWAITING_SIGNOFF", "BLOCKED"];

export function phaseRow(phase: TimelinePhaseInput, now: Date): TimelinePhaseRow {
  const today = dayNumber(now);
  const plannedStart = day(phase.plannedStart);
  const plannedEnd = day(phase.plannedEnd);
  const actualStart = day(phase.actualStart);
  const actualEnd = day(phase.actualEnd);
  const running = actualStart !== null && actualEnd === null && RUNNING.includes(phase.status);
  const planned: DayRange | null =
    plannedStart !== null && plannedEnd !== null ? [Math.min(plannedStart, plannedEnd), Math.max(plannedStart, plannedEnd) + 1] : null;
  let actual: DayRange | null = null;
  if (actualStart !== null && (actualEnd !== null || running)) {
    const end = actualEnd ?? Math.max(today, actualStart);
    actual = [Math.min(actualStart, end), Math.max(actualStart, end) + 1];
  }
  return {
    id: phase.id,
    position: phase.position,
    name: phase.name,
    optional: phase.optional,
    status: phase.status,
    plannedStart,
    plannedEnd,
    actualStart,
    actualEnd,
    running,
    planned,
    actual,
    slippage: computeSlippage(phase, now),
  };
}

/** Rows for the Gantt chart and its table, with an axis wide enough for every bar, milestone and today. */
export function shapeTimeline(input: { phases: TimelinePhaseInput[]; milestones: TimelineMilestoneInput[] }, now: Date): TimelineView {
  const today = dayNumber(now);
  const phases = [...input.phases].sort((a, b) => a.position - b.position).map((p) => phaseRow(p, now));
  const milestones = [...input.milestones]
    .map((m) => ({ id: m.id, key: m.key, label: m.label, start: dayNumber(m.startsAt), end: m.endsAt ? dayNumber(m.endsAt) : null, details: [...m.details] }))
    .sort((a, b) => a.start - b.start);
  const days = [today, today + 1];
  for (const p of phases) {
    if (p.planned) days.push(...p.planned);
    if (p.actual) days.push(...p.actual);
  }
  // Milestones are drawn as lines on their first day; their ends widen nothing.
  for (const m of milestones) days.push(m.start, m.start + 1);
  const domain: DayRange = [Math.min(...days) - 1, Math.max(...days) + 1];
  const ticks: number[] = [];
  for (let d = domain[0]; d <= domain[1]; d += 7) ticks.push(d);
  return { today, domain, ticks, phases, milestones };
}

// ---------------------------------------------------------------------------------------
// Items per phase (the stacked bar)

export type PhaseItemCounts = {
  phaseId: string;
  position: number;
  name: string;
  optional: boolean;
  done: number;
  open: number;
  notApplicable: number;
  total: number;
};

export function phaseItemCounts(
  phases: { id: string; position: number; name: string; optional: boolean }[],
  items: { phaseId: string | null; state: ItemState }[],
): PhaseItemCounts[] {
  const rows = new Map<string, PhaseItemCounts>(
    [...phases]
      .sort((a, b) => a.position - b.position)
      .map((p) => [p.id, { phaseId: p.id, position: p.position, name: p.name, optional: p.optional, done: 0, open: 0, notApplicable: 0, total: 0 }]),
  );
  for (const item of items) {
    const row = item.phaseId ? rows.get(item.phaseId) : undefined;
    if (!row) continue;
    if (item.state === "DONE") row.done++;
    else if (item.state === "NOT_APPLICABLE") row.notApplicable++;
    else row.open++;
    row.total++;
  }
  return [...rows.values()];
}

// ---------------------------------------------------------------------------------------
// Burn-down of open phase items, reconstructed from "item.state.changed" audit events

export type StateChangeEvent = {
  /** The item the event is about (the audit event's targetId). */
  itemId: string | null;
  at: Date;
  /** The event's `before` and `after` JSON; only their `state` is read. */
  before: unknown;
  after: unknown;
};

export type BurnDownPoint = {
  day: number;
  /** Open items at the end of the day; null for days after today. */
  open: number | null;
  /** The ideal line; null when there is no planned end to aim at. */
  ideal: number | null;
};

export type BurnDown = {
  startDay: number;
  today: number;
  /** The day the ideal line reaches 0 (the last planned end), if any. */
  idealEndDay: number | null;
  /** Open items when counting starts, before any change. */
  startCount: number;
  /** Open items now. */
  openNow: number;
  /** One point per day, from the start to the later of today and the ideal end. */
  points: BurnDownPoint[];
};

const ITEM_STATES: readonly string[] = ["OPEN", "DONE", "NOT_APPLICABLE"] satisfies ItemState[];

function stateOf(json: unknown): ItemState | null {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return null;
  const state = (json as Record<string, unknown>).state;
  return typeof state === "string" && ITEM_STATES.includes(state) ? (state as ItemState) : null;
}

/** Longest series drawn (ten years of days): a guard against a wildly wrong clock, not a real limit. */
const MAX_DAYS = 3660;

/**
 * For each day from `start` to `now`, the number of OPEN items at the end of that day.
 *
 * Replays the events forward: an item starts in the state its first event says it was in
 * before (`before.state`), or — with no event — in its current state; each event then
 * puts it in `after.state`. Done and not-applicable items are not open; events about
 * items not listed are ignored. Events before the start count from the first day, events
 * after today (clock skew) on today. The ideal line falls straight from the starting
 * count to 0 on `idealEnd`, and stays at 0 after it.
 */
export function reconstructBurnDown(input: {
  start: Date;
  now: Date;
  idealEnd: Date | null;
  items: { id: string; state: ItemState }[];
  events: StateChangeEvent[];
}): BurnDown {
  const today = dayNumber(input.now);
  const startDay = Math.max(Math.min(dayNumber(input.start), today), today - MAX_DAYS);
  const idealEndDay = input.idealEnd ? dayNumber(input.idealEnd) : null;

  const current = new Map(input.items.map((i) => [i.id, i.state]));
  const events = input.events
    .filter((e) => e.itemId !== null && current.has(e.itemId) && stateOf(e.after) !== null)
    .map((e, index) => ({ itemId: e.itemId as string, day: dayNumber(e.at), time: e.at.getTime(), index, before: stateOf(e.before), after: stateOf(e.after) as ItemState }))
    .sort((a, b) => a.time - b.time || a.index - b.index);

  const state = new Map(current);
  for (const event of [...events].reverse()) {
    // Walking back from the newest, the earliest event's `before` is left standing.
    if (event.before) state.set(event.itemId, event.before);
  }
  const countOpen = () => {
    let open = 0;
    for (const s of state.values()) if (s === "OPEN") open++;
    return open;
  };
  const startCount = countOpen();

  const lastDay = Math.min(Math.max(today, idealEndDay ?? today), startDay + MAX_DAYS);
  const idealAt = (d: number): number | null => {
    if (idealEndDay === null) return null;
    if (idealEndDay <= startDay || d >= idealEndDay) return d >= idealEndDay ? 0 : startCount;
    return Math.round(startCount * (1 - (d - startDay) / (idealEndDay - startDay)) * 10) / 10;
  };

  const points: BurnDownPoint[] = [];
  let next = 0;
  for (let d = startDay; d <= lastDay; d++) {
    let open: number | null = null;
    if (d <= today) {
      while (next < events.length && (events[next].day <= d || d === today)) {
        state.set(events[next].itemId, events[next].after);
        next++;
      }
      open = countOpen();
    }
    points.push({ day: d, open, ideal: idealAt(d) });
  }
  return { startDay, today, idealEndDay, startCount, openNow: countOpen(), points };
}

/**
 * The same series as `reconstructBurnDown`, from the daily projection instead of the
 * events: `days` are the net changes of the open count per day (reopened minus closed).
 * The open count at the end of day d is today's count minus the changes after d; changes
 * before the start count on the first day, changes after today (clock skew) on today.
 */
export function burnDownFromDays(input: { start: Date; now: Date; idealEnd: Date | null; openNow: number; days: { day: Date; delta: number }[] }): BurnDown {
  const today = dayNumber(input.now);
  const startDay = Math.max(Math.min(dayNumber(input.start), today), today - MAX_DAYS);
  const idealEndDay = input.idealEnd ? dayNumber(input.idealEnd) : null;
  const deltas = new Map<number, number>();
  let total = 0;
  for (const { day, delta } of input.days) {
    const d = Math.min(Math.max(dayNumber(day), startDay), today);
    deltas.set(d, (deltas.get(d) ?? 0) + delta);
    total += delta;
  }
  const startCount = input.openNow - total;
  const lastDay = Math.min(Math.max(today, idealEndDay ?? today), startDay + MAX_DAYS);
  const idealAt = (d: number): number | null => {
    if (idealEndDay === null) return null;
    if (idealEndDay <= startDay || d >= idealEndDay) return d >= idealEndDay ? 0 : startCount;
    return Math.round(startCount * (1 - (d - startDay) / (idealEndDay - startDay)) * 10) / 10;
  };
  const points: BurnDownPoint[] = [];
  let open = startCount;
  for (let d = startDay; d <= lastDay; d++) {
    if (d <= today) open += deltas.get(d) ?? 0;
    points.push({ day: d, open: d <= today ? open : null, ideal: idealAt(d) });
  }
  return { startDay, today, idealEndDay, startCount, openNow: input.openNow, points };
}

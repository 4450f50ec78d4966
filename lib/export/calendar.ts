import { createEvents, type EventAttributes } from "ics";
import type { Milestone, Phase, SignOff } from "../generated/prisma/client";
import type { Message } from "../i18n/format";

// The rollout as a calendar: milestones, the phases' planned windows, and the sign-offs'
// deadlines. All-day events, with stable UIDs so a subscribed calendar updates in place.

const ymd = (d: Date): [number, number, number] => [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
const nextDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));

export function rolloutCalendar(input: {
  rollout: { id: string; name: string };
  phases: Pick<Phase, "id" | "position" | "name" | "plannedStart" | "plannedEnd" | "optional" | "status">[];
  milestones: Pick<Milestone, "id" | "label" | "startsAt" | "endsAt" | "details">[];
  signOffs: Pick<SignOff, "id" | "title" | "dueAt" | "status">[];
  url: string;
  /** Formats the calendar's own words in the subscriber's language. */
  say: (message: Message) => string;
}): string {
  const { say } = input;
  const events: EventAttributes[] = [];
  for (const m of input.milestones) {
    events.push({
      uid: `milestone-${m.id}@greenlight`,
      title: say({ key: "messages.calendar.milestone", values: { rollout: input.rollout.name, label: m.label } }),
      description: m.details.join("\n"),
      start: ymd(m.startsAt),
      end: ymd(nextDay(m.endsAt ?? m.startsAt)),
      url: input.url,
    });
  }
  for (const p of input.phases) {
    if (!p.plannedStart || !p.plannedEnd) continue;
    events.push({
      uid: `phase-${p.id}@greenlight`,
      title: say({ key: p.optional ? "messages.calendar.phaseOptional" : "messages.calendar.phase", values: { number: p.position, name: p.name } }),
      description: say({ key: "messages.calendar.phaseStatus", values: { status: p.status } }),
      start: ymd(p.plannedStart),
      end: ymd(nextDay(p.plannedEnd)),
      url: input.url,
    });
  }
  for (const s of input.signOffs) {
    if (!s.dueAt) continue;
    events.push({
      uid: `signoff-${s.id}@greenlight`,
      title: say({ key: "messages.calendar.signOffDue", values: { title: s.title } }),
      description: say({ key: "messages.calendar.signOffStatus", values: { status: s.status } }),
      start: ymd(s.dueAt),
      end: ymd(nextDay(s.dueAt)),
      url: input.url,
    });
  }
  const { error, value } = createEvents(events, { productId: "greenlight/rollout", calName: input.rollout.name, method: "PUBLISH" });
  if (error || !value) throw error ?? new Error("Could not build the calendar.");
  return value;
}

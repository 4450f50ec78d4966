import type { PhaseStatus } from "../generated/prisma/enums";

// Which phase transitions exist. The data layer adds what needs the database: the gate,
// the previous phase, permissions and versions.

export const TRANSITIONS = ["start", "submit", "complete", "block", "unblock", "skip", "reopen"] as const;
export type Transition = (typeof TRANSITIONS)[number];

const FROM: Record<Transition, readonly PhaseStatus[]> = {
  start: ["NOT_STARTED"],
  submit: ["IN_PROGRESS"],
  complete: ["IN_PROGRESS", "AWAITING_SIGNOFF"],
  block: ["NOT_STARTED", "IN_PROGRESS", "AWAITING_SIGNOFF"],
  unblock: ["BLOCKED"],
  skip: ["NOT_STARTED", "IN_PROGRESS", "BLOCKED"],
  // A closed gate opens again only on record (a reason), so its plan can be edited.
  reopen: ["DONE", "SKIPPED"],
};

export const TARGET: Record<Transition, PhaseStatus> = {
  start: "IN_PROGRESS",
  submit: "AWAITING_SIGNOFF",
  complete: "DONE",
  block: "BLOCKED",
  unblock: "IN_PROGRESS",
  skip: "SKIPPED",
  reopen: "IN_PROGRESS",
};

export function canTransition(from: PhaseStatus, transition: Transition): boolean {
  return FROM[transition].includes(from);
}

/** A phase whose gate is closed for good: its decisions and items are frozen. */
export function isClosed(status: PhaseStatus): boolean {
  return status === "DONE" || status === "SKIPPED";
}

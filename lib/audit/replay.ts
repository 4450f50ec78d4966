import type { Db } from "../db/client";

// Replays a rollout's events and compares the result with the state tables: the ledger
// says what each row must be now, so a row changed directly in the database (a sign-off
// set to APPROVED, an item set to DONE) no longer matches the last event about it.
//
// What each row must be:
//   ChecklistItem.state      ← `after.state` of its last event that has one
//   Phase.status             ← `after.status` of its last event that has one
//   SignOff.status           ← `after.status` of its last event that has one
//   SignOff's decisions      ← its `signoff.approved` / `signoff.rejected` events (by actor:
//                              value and role) minus `signoff.decision.withdrawn` (of its
//                              `after.authorId` when an admin withdrew it, else of its actor)
//   SuccessCriterion verified← `after.verified` of its last event that has one
// A row with no such event must still hold its initial value: the column's default, or
// what the event that created the rollout declared in `after.initialStates`
// ({ Phase: { <id>: { status } }, ChecklistItem: { <id>: { state } }, … }).

export type ReplayFinding = { table: string; id: string; label: string; field: string; expected: string; actual: string };

type EventLike = { actorId: string | null; action: string; targetType: string; targetId: string | null; after: unknown };

const DEFAULTS = { ChecklistItem: "OPEN", Phase: "NOT_STARTED", SignOff: "PENDING" } as const;

function objectOf(value: unknown): Record<string, unknown> | null {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** The ledger's view of one rollout: the last value of each field per target, and standing decisions per sign-off. */
export function foldEvents(events: readonly EventLike[]) {
  const last = new Map<string, unknown>(); // `${targetType}:${targetId}:${field}` → value
  const decisions = new Map<string, Map<string, { value: string; role: string }>>(); // signOffId → actorId → decision
  const remember = (type: string, id: string, field: string, value: unknown) => last.set(`${type}:${id}:${field}`, value);
  for (const event of events) {
    const after = objectOf(event.after);
    const initial = objectOf(after?.initialStates);
    if (initial) {
      for (const [type, rows] of Object.entries(initial)) {
        for (const [id, fields] of Object.entries(objectOf(rows) ?? {})) {
          for (const [field, value] of Object.entries(objectOf(fields) ?? {})) remember(type, id, field, value);
        }
      }
    }
    if (!event.targetId || !after) continue;
    const field = { ChecklistItem: "state", Phase: "status", SignOff: "status", SuccessCriterion: "verified" }[event.targetType];
    if (field && field in after) remember(event.targetType, event.targetId, field, after[field]);
    if (event.targetType === "SignOff" && event.actorId) {
      const standing = decisions.get(event.targetId) ?? new Map<string, { value: string; role: string }>();
      decisions.set(event.targetId, standing);
      if (event.action === "signoff.approved" || event.action === "signoff.rejected") {
        standing.set(event.actorId, { value: String(after.value ?? (event.action === "signoff.approved" ? "APPROVE" : "REJECT")), role: String(after.role ?? "") });
      } else if (event.action === "signoff.decision.withdrawn") {
        // A rollout admin may withdraw someone else's decision: the event names its author.
        standing.delete(typeof after.authorId === "string" ? after.authorId : event.actorId);
      }
    }
  }
  return {
    value: (type: string, id: string, field: string): unknown => last.get(`${type}:${id}:${field}`),
    decisions: (signOffId: string) => decisions.get(signOffId) ?? new Map<string, { value: string; role: string }>(),
  };
}

const short = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

/** Every row of the rollout whose state differs from what its events say. */
export async function replayRollout(db: Db, rolloutId: string, events: readonly EventLike[]): Promise<ReplayFinding[]> {
  const [items, phases, signOffs, criteria] = await Promise.all([
    db.checklistItem.findMany({ where: { rolloutId }, select: { id: true, text: true, state: true }, orderBy: { id: "asc" } }),
    db.phase.findMany({ where: { rolloutId }, select: { id: true, name: true, status: true }, orderBy: { position: "asc" } }),
    db.signOff.findMany({
      where: { rolloutId },
      select: { id: true, title: true, status: true, decisions: { where: { withdrawnAt: null }, select: { id: true, userId: true, value: true, role: true } } },
      orderBy: { id: "asc" },
    }),
    db.successCriterion.findMany({ where: { rolloutId }, select: { id: true, text: true, verifiedAt: true }, orderBy: { id: "asc" } }),
  ]);
  const ledger = foldEvents(events);
  const findings: ReplayFinding[] = [];
  const compare = (table: string, id: string, label: string, field: string, expected: unknown, actual: unknown) => {
    if (String(expected) !== String(actual)) findings.push({ table, id, label: short(label), field, expected: String(expected), actual: String(actual) });
  };
  for (const item of items) compare("ChecklistItem", item.id, item.text, "state", ledger.value("ChecklistItem", item.id, "state") ?? DEFAULTS.ChecklistItem, item.state);
  for (const phase of phases) compare("Phase", phase.id, phase.name, "status", ledger.value("Phase", phase.id, "status") ?? DEFAULTS.Phase, phase.status);
  for (const signOff of signOffs) {
    compare("SignOff", signOff.id, signOff.title, "status", ledger.value("SignOff", signOff.id, "status") ?? DEFAULTS.SignOff, signOff.status);
    const recorded = ledger.decisions(signOff.id);
    for (const decision of signOff.decisions) {
      const expected = recorded.get(decision.userId);
      compare("SignOffDecision", decision.id, `${signOff.title} (user ${decision.userId})`, "decision", expected ? `${expected.value} as ${expected.role}` : "none", `${decision.value} as ${decision.role}`);
    }
    for (const [userId, expected] of recorded) {
      if (!signOff.decisions.some((d) => d.userId === userId)) {
        compare("SignOffDecision", signOff.id, `${signOff.title} (user ${userId})`, "decision", `${expected.value} as ${expected.role}`, "none");
      }
    }
  }
  for (const criterion of criteria) {
    compare("SuccessCriterion", criterion.id, criterion.text, "verified", ledger.value("SuccessCriterion", criterion.id, "verified") ?? false, criterion.verifiedAt !== null);
  }
  return findings;
}

export function describeFinding(f: ReplayFinding): string {
  return `${f.table} ${f.id} ("${f.label}"): ${f.field} is ${f.actual}, the ledger says ${f.expected}`;
}

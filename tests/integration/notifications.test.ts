import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/generated/prisma/enums";
import { createRollout, createUser, unique } from "./helpers/factories";
import { ORIGIN, sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {}, refresh: () => {} }));

// In-app notifications (issue 14, part 2): each kind is created in the change's own
// transaction for exactly the people the product says it concerns, never the one who acted.
// Who that is, per kind (written from the issue, not from the code):
// - an item assigned to me → me (the new assignee);
// - my item reopened → whoever had completed it, and its assignee;
// - a rejection in a phase I work on → holders of the roles that own the phase's items, and
//   the people its items are assigned to;
// - a sign-off awaits my decision (its phase starts) → the holders of its approver roles, per
//   sign-off still pending;
// - a gate I am involved in passed, was overridden or reopened → who works on the phase and
//   who approves its sign-offs;
// - a decision I gave was withdrawn (by a rollout admin) → me, its author, only.

let t: TestDb;
let rollout: { id: string; slug: string };
let phaseId: string;
const people: Record<string, { id: string; sessionVersion: number }> = {};

beforeAll(async () => {
  t = await createTestDb();
  rollout = await createRollout(t.db);
  const other = await createRollout(t.db);
  const member = (roles: Role[]) => createUser(t.db, { rolloutId: rollout.id, roles });
  people.dba1 = await member(["DBA"]);
  people.dba2 = await member(["DBA"]);
  people.devops = await member(["DEVOPS"]);
  people.viewer = await member(["VIEWER"]);
  people.finance = await member(["FINANCE"]);
  people.executive = await member(["EXECUTIVE"]);
  people.admin = await member(["ADMIN"]);
  people.devLead = await member(["DEV_LEAD"]);
  people.outsider = await createUser(t.db, { rolloutId: other.id, roles: ["DBA", "DEVOPS", "EXECUTIVE"] });
  phaseId = (await t.db.phase.create({ data: { rolloutId: rollout.id, position: 1, name: "Cut-over", status: "IN_PROGRESS" } })).id;
});
afterAll(async () => t?.close());

const nameOf = (id: string) => Object.entries(people).find(([, p]) => p.id === id)?.[0] ?? id;

async function as(person: keyof typeof people) {
  setRequest({ cookie: await sessionCookie(people[person]), origin: ORIGIN });
}

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) data.set(k, v);
  return data;
}

async function item(ownerRole: Role, extra: { assigneeId?: string; phase?: boolean } = {}) {
  return t.db.checklistItem.create({
    data: { rolloutId: rollout.id, phaseId: extra.phase === false ? null : phaseId, list: "PHASE", position: Math.floor(Math.random() * 1e9), text: unique("item"), ownerRole, assigneeId: extra.assigneeId ?? null },
  });
}

/** A mark: the notifications that exist now. */
async function mark(): Promise<string[]> {
  return (await t.db.notification.findMany({ select: { id: true } })).map((n) => n.id);
}

/** The notifications created after the mark, as "recipient kind". */
async function told(since: string[]) {
  const rows = await t.db.notification.findMany({ where: { id: { notIn: since } } });
  return rows.map((n) => `${nameOf(n.recipientId)} ${n.kind}`).sort();
}

async function setState(itemId: string, state: "DONE" | "OPEN") {
  const { updateItemStateAction } = await import("@/lib/actions/workflows");
  const current = await t.db.checklistItem.findUniqueOrThrow({ where: { id: itemId } });
  const result = await updateItemStateAction(undefined, form({ itemId, version: String(current.version), state }));
  expect(result.ok, JSON.stringify(result)).toBe(true);
}

describe("notifications", () => {
  it("an item assigned to me: the new assignee is told, with a link and the event that recorded it", async () => {
    const target = await item("DBA");
    const since = await mark();
    await as("dba1");
    const { updateItemDetailsAction } = await import("@/lib/actions/workflows");
    expect((await updateItemDetailsAction(undefined, form({ itemId: target.id, version: String(target.version), assigneeId: people.dba2.id }))).ok).toBe(true);
    expect(await told(since)).toEqual(["dba2 ITEM_ASSIGNED"]);
    const [note] = await t.db.notification.findMany({ where: { id: { notIn: since } } });
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { rolloutId: rollout.id, action: "item.details.changed", targetId: target.id } });
    expect(note).toMatchObject({ rolloutId: rollout.id, targetType: "ChecklistItem", targetId: target.id, link: `/r/${rollout.slug}/checklist`, eventSeq: event.seq, readAt: null, subject: target.text });

    // Saving again with the same assignee, or assigning to oneself, tells nobody.
    const again = await mark();
    const fresh = await t.db.checklistItem.findUniqueOrThrow({ where: { id: target.id } });
    expect((await updateItemDetailsAction(undefined, form({ itemId: target.id, version: String(fresh.version), assigneeId: people.dba2.id, dueAt: "2027-03-01" }))).ok).toBe(true);
    const mine = await item("DBA");
    expect((await updateItemDetailsAction(undefined, form({ itemId: mine.id, version: String(mine.version), assigneeId: people.dba1.id }))).ok).toBe(true);
    expect(await told(again)).toEqual([]);
  });

  it("my item reopened: whoever completed it and its assignee are told, not the one who reopened it", async () => {
    const target = await item("DBA", { assigneeId: people.viewer.id });
    await as("dba1");
    await setState(target.id, "DONE");
    const since = await mark();
    await as("dba2");
    await setState(target.id, "OPEN");
    expect(await told(since)).toEqual(["dba1 ITEM_REOPENED", "viewer ITEM_REOPENED"]);

    // Ticking is not reopening; reopening one's own item tells only the assignee.
    const own = await mark();
    await as("dba1");
    await setState(target.id, "DONE");
    await setState(target.id, "OPEN");
    expect(await told(own)).toEqual(["viewer ITEM_REOPENED"]);
  });

  it("a rejection in a phase: the people who work on it are told — owners' role holders and assignees — and nobody else", async () => {
    await item("DBA");
    await item("DEVOPS", { assigneeId: people.viewer.id });
    // An item outside the phase does not make its owners workers of the phase.
    await item("FINANCE", { phase: false });
    const signOff = await t.db.signOff.create({ data: { rolloutId: rollout.id, phaseId, position: 1, title: "Cut-over approved", kind: "PHASE_GATE", requiredRoles: ["EXECUTIVE"] } });
    const since = await mark();
    await as("executive");
    const { decideSignOffAction } = await import("@/lib/actions/workflows");
    expect((await decideSignOffAction(undefined, form({ signOffId: signOff.id, value: "REJECT", comment: "Rollback plan missing" }))).ok).toBe(true);
    expect(await told(since)).toEqual(["dba1 SIGNOFF_REJECTED", "dba2 SIGNOFF_REJECTED", "devops SIGNOFF_REJECTED", "viewer SIGNOFF_REJECTED"]);
    const [note] = await t.db.notification.findMany({ where: { id: { notIn: since } } });
    expect(note).toMatchObject({ targetType: "SignOff", targetId: signOff.id, link: `/r/${rollout.slug}/phases/1`, subject: "Cut-over approved" });

    // An approval tells nobody.
    const approval = await mark();
    const other = await t.db.signOff.create({ data: { rolloutId: rollout.id, phaseId, position: 2, title: "Runbook approved", kind: "PHASE_GATE", requiredRoles: ["EXECUTIVE"] } });
    expect((await decideSignOffAction(undefined, form({ signOffId: other.id, value: "APPROVE" }))).ok).toBe(true);
    expect(await told(approval)).toEqual([]);
  });

  it("a phase that starts: each approver of a pending sign-off in it is told that it awaits their decision", async () => {
    const phase = await t.db.phase.create({ data: { rolloutId: rollout.id, position: 10, name: "Pilot", status: "NOT_STARTED" } });
    await t.db.checklistItem.create({ data: { rolloutId: rollout.id, phaseId: phase.id, list: "PHASE", position: 900, text: unique("item"), ownerRole: "DEVOPS" } });
    const budget = await t.db.signOff.create({ data: { rolloutId: rollout.id, phaseId: phase.id, position: 10, title: "Pilot budget", kind: "BUDGET", requiredRoles: ["EXECUTIVE", "FINANCE"] } });
    const gate = await t.db.signOff.create({ data: { rolloutId: rollout.id, phaseId: phase.id, position: 11, title: "Pilot gate", kind: "PHASE_GATE", requiredRoles: ["DBA"] } });
    await t.db.signOff.create({ data: { rolloutId: rollout.id, phaseId: phase.id, position: 12, title: "Already decided", kind: "PHASE_GATE", requiredRoles: ["DEVOPS"], status: "APPROVED" } });
    // Every earlier phase is done, so this one may start.
    await t.db.phase.update({ where: { id: phaseId }, data: { status: "DONE" } });
    const since = await mark();
    await as("devLead");
    const { transitionPhaseAction } = await import("@/lib/actions/workflows");
    const result = await transitionPhaseAction(undefined, form({ phaseId: phase.id, version: String(phase.version), transition: "start" }));
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(await told(since)).toEqual(["dba1 SIGNOFF_AWAITING", "dba2 SIGNOFF_AWAITING", "executive SIGNOFF_AWAITING", "finance SIGNOFF_AWAITING"]);
    const rows = await t.db.notification.findMany({ where: { id: { notIn: since } } });
    expect(rows.filter((n) => n.targetId === budget.id).map((n) => nameOf(n.recipientId)).sort()).toEqual(["executive", "finance"]);
    expect(rows.filter((n) => n.targetId === gate.id).map((n) => nameOf(n.recipientId)).sort()).toEqual(["dba1", "dba2"]);
    expect(rows.every((n) => n.link === `/r/${rollout.slug}/phases/10`)).toBe(true);
    await t.db.phase.update({ where: { id: phaseId }, data: { status: "IN_PROGRESS" } });
    await t.db.phase.delete({ where: { id: phase.id } }).catch(() => {});
  });

  it("a gate passed, overridden or reopened: who works on the phase and who approves its sign-offs are told", async () => {
    const phase = await t.db.phase.create({ data: { rolloutId: rollout.id, position: 20, name: "Hypercare", status: "IN_PROGRESS" } });
    const open = await t.db.checklistItem.create({ data: { rolloutId: rollout.id, phaseId: phase.id, list: "PHASE", position: 901, text: unique("item"), ownerRole: "DEVOPS", assigneeId: people.viewer.id } });
    await t.db.signOff.create({ data: { rolloutId: rollout.id, phaseId: phase.id, position: 20, title: "Hypercare exit", kind: "PHASE_GATE", requiredRoles: ["FINANCE"] } });
    const { transitionPhaseAction } = await import("@/lib/actions/workflows");
    const involved = ["devops", "finance", "viewer"];

    // The gate is closed (an open item, a pending sign-off): the executive overrides it.
    let since = await mark();
    await as("executive");
    let current = await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } });
    expect((await transitionPhaseAction(undefined, form({ phaseId: phase.id, version: String(current.version), transition: "complete", override: "true", reason: "Customer deadline" }))).ok).toBe(true);
    expect(await told(since)).toEqual(involved.map((p) => `${p} GATE_OVERRIDDEN`));

    since = await mark();
    current = await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } });
    expect((await transitionPhaseAction(undefined, form({ phaseId: phase.id, version: String(current.version), transition: "reopen", reason: "Incident" }))).ok).toBe(true);
    expect(await told(since)).toEqual(involved.map((p) => `${p} GATE_REOPENED`));

    // With every item done and the sign-off approved, completing passes the gate.
    await t.db.checklistItem.update({ where: { id: open.id }, data: { state: "DONE" } });
    await t.db.signOff.updateMany({ where: { phaseId: phase.id }, data: { status: "APPROVED" } });
    since = await mark();
    current = await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } });
    const passed = await transitionPhaseAction(undefined, form({ phaseId: phase.id, version: String(current.version), transition: "complete" }));
    expect(passed.ok, JSON.stringify(passed)).toBe(true);
    expect(await told(since)).toEqual(involved.map((p) => `${p} GATE_PASSED`));
    // The inbox names the phase, not only the rollout.
    expect((await t.db.notification.findMany({ where: { id: { notIn: since } } })).every((n) => n.subject === "Hypercare")).toBe(true);
  });

  it("a decision I gave was withdrawn by a rollout admin: its author is told, not the admin nor the other approvers; withdrawing one's own tells nobody", async () => {
    const phase = await t.db.phase.create({ data: { rolloutId: rollout.id, position: 30, name: "Go-live", status: "IN_PROGRESS" } });
    const signOff = await t.db.signOff.create({ data: { rolloutId: rollout.id, phaseId: phase.id, position: 30, title: "Go-live budget", kind: "BUDGET", requiredRoles: ["FINANCE", "EXECUTIVE"] } });
    const { decideSignOffAction, withdrawDecisionAction, withdrawOthersDecisionAction } = await import("@/lib/actions/workflows");
    await as("finance");
    expect((await decideSignOffAction(undefined, form({ signOffId: signOff.id, value: "APPROVE" }))).ok).toBe(true);
    await as("executive");
    expect((await decideSignOffAction(undefined, form({ signOffId: signOff.id, value: "APPROVE" }))).ok).toBe(true);
    const financeDecision = await t.db.signOffDecision.findFirstOrThrow({ where: { signOffId: signOff.id, userId: people.finance.id } });

    const since = await mark();
    await as("admin");
    const result = await withdrawOthersDecisionAction(undefined, form({ decisionId: financeDecision.id, reason: "Approved on the old figures" }));
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(await told(since)).toEqual(["finance DECISION_WITHDRAWN"]);
    const [note] = await t.db.notification.findMany({ where: { id: { notIn: since } } });
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { rolloutId: rollout.id, action: "signoff.decision.withdrawn", targetId: signOff.id } });
    expect(note).toMatchObject({ targetType: "SignOff", targetId: signOff.id, link: `/r/${rollout.slug}/phases/30`, eventSeq: event.seq, subject: "Go-live budget", readAt: null });

    // The executive takes back their own decision: nobody is told.
    const own = await mark();
    await as("executive");
    expect((await withdrawDecisionAction(undefined, form({ signOffId: signOff.id }))).ok).toBe(true);
    expect(await told(own)).toEqual([]);
    await t.db.phase.delete({ where: { id: phase.id } }).catch(() => {});
  });

  it("something of mine due within 24 h or overdue: the assignee, else the owning role's holders, once per item and due date", async () => {
    // Reminders come from the scheduler (no one acts): the clock is set far from this file's other items.
    const NOW = new Date("2030-01-10T12:00:00.000Z");
    const hours = (h: number) => new Date(NOW.getTime() + h * 3_600_000);
    const mine = await t.db.checklistItem.create({ data: { rolloutId: rollout.id, list: "IMMEDIATE", position: 950, text: unique("item"), ownerRole: "DBA", assigneeId: people.devops.id, dueAt: hours(20) } });
    const unassigned = await t.db.checklistItem.create({ data: { rolloutId: rollout.id, list: "IMMEDIATE", position: 951, text: unique("item"), ownerRole: "DBA", dueAt: hours(-2) } });
    await t.db.checklistItem.create({ data: { rolloutId: rollout.id, list: "IMMEDIATE", position: 952, text: unique("item"), ownerRole: "FINANCE", dueAt: hours(25) } });
    await t.db.checklistItem.create({ data: { rolloutId: rollout.id, list: "IMMEDIATE", position: 953, text: unique("item"), ownerRole: "FINANCE", dueAt: hours(-1), state: "DONE" } });
    const { createScheduler } = await import("@/lib/notifications/scheduler");
    const since = await mark();
    await createScheduler(() => t.db).runOnce(NOW);
    // The outsider holds DBA in another rollout only: never told.
    expect(await told(since)).toEqual(["dba1 ITEM_OVERDUE", "dba2 ITEM_OVERDUE", "devops ITEM_DUE_SOON"]);
    const rows = await t.db.notification.findMany({ where: { id: { notIn: since } } });
    expect(rows.find((n) => n.kind === "ITEM_DUE_SOON")).toMatchObject({ targetId: mine.id, subject: mine.text, eventSeq: null, link: `/r/${rollout.slug}/checklist` });
    expect(rows.filter((n) => n.kind === "ITEM_OVERDUE").every((n) => n.targetId === unassigned.id)).toBe(true);
    const again = await mark();
    // Half an hour on, a second scheduler: the same reminders are not given again.
    await createScheduler(() => t.db).runOnce(hours(0.5));
    expect(await told(again)).toEqual([]);
  });

  it("a refused change tells nobody", async () => {
    const target = await item("DBA");
    const since = await mark();
    await as("finance");
    const { updateItemDetailsAction } = await import("@/lib/actions/workflows");
    expect((await updateItemDetailsAction(undefined, form({ itemId: target.id, version: String(target.version), assigneeId: people.dba2.id }))).ok).toBe(false);
    expect(await told(since)).toEqual([]);
  });
});

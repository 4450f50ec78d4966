import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setMemberRolesAction } from "@/lib/actions/users";
import {
  decideSignOffAction,
  markReadAction,
  renameSignOffAction,
  transitionPhaseAction,
  updateItemEvidenceAction,
  updateItemStateAction,
  verifyCriterionAction,
  withdrawDecisionAction,
} from "@/lib/actions/workflows";
import type { Actor } from "@/lib/auth/session";
import { updateItemState } from "@/lib/dal/items";
import { decideSignOff, renameSignOff } from "@/lib/dal/sign-offs";
import type { Role, SignOffKind } from "@/lib/generated/prisma/enums";
import type { ActionResult } from "@/lib/server/action";
import { createRollout, createUser, criterionGroupId, unique } from "./helpers/factories";
import { requestState, sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// The rules people rely on when they tick items, decide sign-offs, move phases along,
// track their reading and verify success criteria — including what happens when several
// of them act on the same thing at once. Each test works in a rollout of its own.

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

type User = Awaited<ReturnType<typeof createUser>>;

// ── fixtures ────────────────────────────────────────────────────────────────────────

let position = 0;
const nextPosition = () => ++position;

async function rolloutWith<const R extends Record<string, Role[]>>(people: R) {
  const rollout = await createRollout(t.db);
  const entries = await Promise.all(Object.entries(people).map(async ([name, roles]) => [name, await createUser(t.db, { rolloutId: rollout.id, roles })] as const));
  return { rolloutId: rollout.id, ...(Object.fromEntries(entries) as { [K in keyof R]: User }) };
}

const members = (rolloutId: string, count: number, role: Role) =>
  Promise.all(Array.from({ length: count }, () => createUser(t.db, { rolloutId, roles: [role] })));

const actor = (user: User): Actor => ({ id: user.id, email: user.email, name: user.name, locale: null });

function createPhase(rolloutId: string, data: { name?: string; status?: "NOT_STARTED" | "IN_PROGRESS" | "DONE"; optional?: boolean; position?: number } = {}) {
  // A phase that has started has a start date, as the real transitions leave it.
  const started = data.status === "IN_PROGRESS" || data.status === "DONE";
  return t.db.phase.create({
    data: { rolloutId, position: data.position ?? nextPosition(), name: data.name ?? unique("Phase"), status: data.status, optional: data.optional, actualStart: started ? new Date() : null },
  });
}

function createItem(rolloutId: string, data: { ownerRole?: Role; phaseId?: string; optional?: boolean; text?: string } = {}) {
  return t.db.checklistItem.create({
    data: {
      rolloutId,
      list: data.phaseId ? "PHASE" : "IMMEDIATE",
      phaseId: data.phaseId,
      position: nextPosition(),
      text: data.text ?? unique("Item"),
      ownerRole: data.ownerRole ?? "DBA",
      optional: data.optional,
    },
  });
}

function createSignOff(
  rolloutId: string,
  data: { kind?: SignOffKind; requiredRoles?: Role[]; approvalsNeeded?: number; everyRole?: boolean; phaseId?: string; title?: string; requiredForGate?: boolean } = {},
) {
  return t.db.signOff.create({
    data: {
      rolloutId,
      position: nextPosition(),
      title: data.title ?? unique("Sign-off"),
      kind: data.kind ?? "BUDGET",
      requiredRoles: data.requiredRoles ?? ["FINANCE"],
      approvalsNeeded: data.approvalsNeeded,
      everyRole: data.everyRole,
      phaseId: data.phaseId,
      requiredForGate: data.requiredForGate,
    },
  });
}

async function createReadingEntry(rolloutId: string, role: Role) {
  const document = await t.db.document.create({ data: { rolloutId, key: unique("doc"), title: unique("Runbook") } });
  return t.db.readingListEntry.create({ data: { rolloutId, role, documentId: document.id, position: nextPosition(), minutes: 15 } });
}

const auditOf = (targetId: string) => t.db.auditEvent.findMany({ where: { targetId }, orderBy: { seq: "asc" } });
const actionsOf = async (targetId: string) => (await auditOf(targetId)).map((e) => e.action);

// ── calling the server actions as a signed-in person ───────────────────────────────

type FormAction = (prev: ActionResult<unknown> | undefined, formData: FormData) => Promise<ActionResult<unknown>>;

function form(values: Record<string, string | number | boolean | undefined>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) data.append(key, String(value));
  return data;
}

/** Posts the form as the user, with their session cookie and the portal's own origin. */
async function as(user: User, action: FormAction, values: Record<string, string | number | boolean | undefined>) {
  setRequest({ cookie: await sessionCookie(user) });
  return action(undefined, form(values));
}

const messageOf = (result: ActionResult<unknown>) => (result.ok ? "" : result.message);

// ── checklist items ─────────────────────────────────────────────────────────────────

describe("ticking checklist items", () => {
  it("ticks with evidence, records who and when, and keeps the evidence when the item is unticked", async () => {
    const { rolloutId, dba } = await rolloutWith({ dba: ["DBA"] });
    const item = await createItem(rolloutId, { ownerRole: "DBA" });

    const before = new Date();
    const ticked = await as(dba, updateItemStateAction, { itemId: item.id, version: 1, state: "DONE", evidence: "https://wiki.example/replica-check" });
    expect(ticked).toMatchObject({ ok: true, data: { state: "DONE", version: 2 } });
    const stored = await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(stored).toMatchObject({ state: "DONE", evidence: "https://wiki.example/replica-check", stateChangedById: dba.id, version: 2 });
    expect(stored.stateChangedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(stored.stateChangedAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    expect(await as(dba, updateItemStateAction, { itemId: item.id, version: 2, state: "OPEN" })).toMatchObject({ ok: true });
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({
      state: "OPEN",
      evidence: "https://wiki.example/replica-check",
      version: 3,
    });
  });

  it("writes one audit event per change, with the state before and after", async () => {
    const { rolloutId, dba } = await rolloutWith({ dba: ["DBA"] });
    const item = await createItem(rolloutId, { ownerRole: "DBA" });

    await as(dba, updateItemStateAction, { itemId: item.id, version: 1, state: "DONE", evidence: "query plan attached" });
    await as(dba, updateItemStateAction, { itemId: item.id, version: 2, state: "OPEN" });

    const events = await auditOf(item.id);
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ["item.state.changed", dba.id],
      ["item.state.changed", dba.id],
    ]);
    expect(events[0]).toMatchObject({
      targetType: "ChecklistItem",
      before: { state: "OPEN", evidence: null, version: 1 },
      after: { state: "DONE", evidence: "query plan attached", version: 2 },
    });
    expect(events[1]).toMatchObject({ before: { state: "DONE", version: 2 }, after: { state: "OPEN", version: 3 } });
  });

  it("writes the change and its audit event in one transaction: if the event cannot be written, the change is not either", async () => {
    const { rolloutId, dba } = await rolloutWith({ dba: ["DBA"] });
    const item = await createItem(rolloutId, { ownerRole: "DBA" });
    // A trigger that refuses the audit event of this one item only.
    await t.db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION refuse_audit_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit refused for the test'; END $$`);
    await t.db.$executeRawUnsafe(`
      CREATE TRIGGER refuse_audit_${item.id} BEFORE INSERT ON "AuditEvent"
      FOR EACH ROW WHEN (NEW."targetId" = '${item.id}') EXECUTE FUNCTION refuse_audit_for_test()`);
    try {
      await expect(updateItemState(actor(dba), { itemId: item.id, version: 1, state: "DONE", evidence: "done" })).rejects.toThrow(/audit refused/);
    } finally {
      await t.db.$executeRawUnsafe(`DROP TRIGGER refuse_audit_${item.id} ON "AuditEvent"`);
    }
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ state: "OPEN", evidence: null, version: 1, stateChangedById: null });
    expect(await auditOf(item.id)).toEqual([]);
  });

  it("marking an item not applicable needs a reason: without one nothing changes; with one it is kept, and cleared when the item applies again", async () => {
    const { rolloutId, dba } = await rolloutWith({ dba: ["DBA"] });
    const item = await createItem(rolloutId, { ownerRole: "DBA" });

    const refused = await as(dba, updateItemStateAction, { itemId: item.id, version: 1, state: "NOT_APPLICABLE" });
    expect(refused).toMatchObject({ ok: false, code: "INVALID_INPUT", fieldErrors: { reason: ["Say why this item does not apply."] } });
    const blank = await as(dba, updateItemStateAction, { itemId: item.id, version: 1, state: "NOT_APPLICABLE", reason: "   " });
    expect(blank).toMatchObject({ ok: false, code: "INVALID_INPUT", fieldErrors: { reason: expect.any(Array) } });
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ state: "OPEN", version: 1, notApplicableReason: null });
    expect(await auditOf(item.id)).toEqual([]);

    const accepted = await as(dba, updateItemStateAction, { itemId: item.id, version: 1, state: "NOT_APPLICABLE", reason: "No read replicas in this region" });
    expect(accepted).toMatchObject({ ok: true });
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({
      state: "NOT_APPLICABLE",
      notApplicableReason: "No read replicas in this region",
      stateChangedById: dba.id,
    });

    await as(dba, updateItemStateAction, { itemId: item.id, version: 2, state: "DONE" });
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ state: "DONE", notApplicableReason: null });
  });

  it("lets the assignee tick an item of another role, but not a member who neither owns nor is assigned it", async () => {
    const { rolloutId, devops, other } = await rolloutWith({ devops: ["DEVOPS"], other: ["DEVOPS"] });
    const item = await t.db.checklistItem.update({ where: { id: (await createItem(rolloutId, { ownerRole: "DBA" })).id }, data: { assigneeId: devops.id } });

    expect(await as(other, updateItemStateAction, { itemId: item.id, version: 1, state: "DONE" })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await as(devops, updateItemStateAction, { itemId: item.id, version: 1, state: "DONE" })).toMatchObject({ ok: true });
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ state: "DONE", stateChangedById: devops.id });
  });
});

describe("evidence", () => {
  it("saving evidence changes only the evidence: the state, who ticked and when stay; one item.evidence event with before and after", async () => {
    const { rolloutId, dba, other } = await rolloutWith({ dba: ["DBA"], other: ["DBA"] });
    const item = await createItem(rolloutId, { ownerRole: "DBA" });
    expect(await as(dba, updateItemStateAction, { itemId: item.id, version: 1, state: "DONE" })).toMatchObject({ ok: true });
    const ticked = await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } });

    // Someone else of the owner role adds the link later: the tick stays dba's, at its time.
    const saved = await as(other, updateItemEvidenceAction, { itemId: item.id, version: 2, evidence: "  https://wiki.example/check  " });
    expect(saved).toMatchObject({ ok: true, message: "Evidence saved.", data: { state: "DONE", evidence: "https://wiki.example/check", version: 3 } });
    const after = await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(after).toMatchObject({ state: "DONE", evidence: "https://wiki.example/check", stateChangedById: dba.id, version: 3 });
    expect(after.stateChangedAt).toEqual(ticked.stateChangedAt);

    const events = await auditOf(item.id);
    expect(events.map((e) => e.action)).toEqual(["item.state.changed", "item.evidence"]);
    expect(events[1]).toMatchObject({ actorId: other.id, before: { evidence: null, version: 2 }, after: { evidence: "https://wiki.example/check", version: 3 } });
  });

  it("an empty field clears the evidence; a missing field, an over-long one or an old version is refused and changes nothing", async () => {
    const { rolloutId, dba, finance } = await rolloutWith({ dba: ["DBA"], finance: ["FINANCE"] });
    const item = await createItem(rolloutId, { ownerRole: "DBA" });
    expect(await as(dba, updateItemEvidenceAction, { itemId: item.id, version: 1, evidence: "ticket OPS-12" })).toMatchObject({ ok: true });

    expect(await as(dba, updateItemEvidenceAction, { itemId: item.id, version: 2 })).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
      fieldErrors: { evidence: ["Send the evidence field (empty to clear it)."] },
    });
    expect(await as(dba, updateItemEvidenceAction, { itemId: item.id, version: 2, evidence: "x".repeat(2001) })).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    expect(await as(dba, updateItemEvidenceAction, { itemId: item.id, version: 1, evidence: "" })).toMatchObject({ ok: false, code: "STALE", fresh: { evidence: "ticket OPS-12", version: 2 } });
    expect(await as(finance, updateItemEvidenceAction, { itemId: item.id, version: 2, evidence: "" })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ evidence: "ticket OPS-12", version: 2 });

    expect(await as(dba, updateItemEvidenceAction, { itemId: item.id, version: 2, evidence: "" })).toMatchObject({ ok: true, message: "Evidence cleared." });
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ state: "OPEN", evidence: null, stateChangedById: null, version: 3 });
    const events = await auditOf(item.id);
    expect(events.map((e) => [e.action, e.before, e.after])).toEqual([
      ["item.evidence", { evidence: null, version: 1 }, { evidence: "ticket OPS-12", version: 2 }],
      ["item.evidence", { evidence: "ticket OPS-12", version: 2 }, { evidence: null, version: 3 }],
    ]);
  });

  it("a tick leaves the evidence alone when the field is absent and clears it when the field is empty", async () => {
    const { rolloutId, dba } = await rolloutWith({ dba: ["DBA"] });
    const item = await createItem(rolloutId, { ownerRole: "DBA" });
    await as(dba, updateItemEvidenceAction, { itemId: item.id, version: 1, evidence: "runbook §3" });
    expect(await as(dba, updateItemStateAction, { itemId: item.id, version: 2, state: "DONE" })).toMatchObject({ ok: true, data: { evidence: "runbook §3" } });
    expect(await as(dba, updateItemStateAction, { itemId: item.id, version: 3, state: "OPEN", evidence: "" })).toMatchObject({ ok: true, data: { evidence: null } });
  });

  it("the evidence of a done phase's item is frozen with the rest of its checklist", async () => {
    const { rolloutId, dba } = await rolloutWith({ dba: ["DBA"] });
    const phase = await createPhase(rolloutId, { status: "DONE" });
    const item = await createItem(rolloutId, { ownerRole: "DBA", phaseId: phase.id });
    expect(await as(dba, updateItemEvidenceAction, { itemId: item.id, version: 1, evidence: "late link" })).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ evidence: null, version: 1 });
  });
});

describe("stale writes", () => {
  it("two people changing the same item at once: exactly one wins, the other is told it is stale and shown the current state, nothing is lost", async () => {
    const { rolloutId, first, second } = await rolloutWith({ first: ["DBA"], second: ["DBA"] });
    const item = await createItem(rolloutId, { ownerRole: "DBA" });
    // Both opened the item at version 1.
    const results = await Promise.allSettled([
      updateItemState(actor(first), { itemId: item.id, version: 1, state: "DONE", evidence: "verified on the primary" }),
      updateItemState(actor(second), { itemId: item.id, version: 1, state: "NOT_APPLICABLE", reason: "handled by the vendor" }),
    ]);

    const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const lost = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = won[0];
    expect(winner.version).toBe(2);
    expect(lost[0]).toMatchObject({ code: "STALE", details: { fresh: { id: item.id, version: 2, state: winner.state, stateChangedById: winner.stateChangedById } } });

    const stored = await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(stored).toMatchObject({ version: 2, state: winner.state, evidence: winner.evidence, notApplicableReason: winner.notApplicableReason, stateChangedById: winner.stateChangedById });
    const events = await auditOf(item.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: winner.stateChangedById, before: { version: 1, state: "OPEN" }, after: { version: 2, state: winner.state } });
  });

  it("a form posted with an old version is refused as STALE with the item's current state, and saves nothing", async () => {
    const { rolloutId, first, second } = await rolloutWith({ first: ["DBA"], second: ["DBA"] });
    const item = await createItem(rolloutId, { ownerRole: "DBA" });
    expect(await as(first, updateItemStateAction, { itemId: item.id, version: 1, state: "DONE", evidence: "first" })).toMatchObject({ ok: true });

    const stale = await as(second, updateItemStateAction, { itemId: item.id, version: 1, state: "DONE", evidence: "second" });
    expect(stale).toMatchObject({ ok: false, code: "STALE", fresh: { version: 2, state: "DONE", evidence: "first", stateChangedById: first.id } });
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ version: 2, evidence: "first", stateChangedById: first.id });
    expect(await auditOf(item.id)).toHaveLength(1);
  });
});

// ── sign-offs ────────────────────────────────────────────────────────────────────────

describe("sign-off decisions under concurrency", () => {
  it("20 identical approvals sent at once by one person record one decision and one audit event", async () => {
    const { rolloutId, finance } = await rolloutWith({ finance: ["FINANCE"] });
    const signOff = await createSignOff(rolloutId, { kind: "BUDGET", requiredRoles: ["FINANCE"], approvalsNeeded: 1 });

    setRequest({ cookie: await sessionCookie(finance) });
    const results = await Promise.all(Array.from({ length: 20 }, () => decideSignOffAction(undefined, form({ signOffId: signOff.id, value: "APPROVE" }))));

    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && (r.data as { recorded: boolean }).recorded)).toHaveLength(1);
    expect(await t.db.signOffDecision.count({ where: { signOffId: signOff.id } })).toBe(1);
    expect(await actionsOf(signOff.id)).toEqual(["signoff.approved"]);
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).toMatchObject({ status: "APPROVED" });
  });

  it("20 different approvers at once on a sign-off needing 20 approvals: all 20 count and it is approved", async () => {
    const { rolloutId } = await rolloutWith({});
    const approvers = await members(rolloutId, 20, "FINANCE");
    const signOff = await createSignOff(rolloutId, { kind: "BUDGET", requiredRoles: ["FINANCE"], approvalsNeeded: 20 });

    const outcomes = await Promise.all(approvers.map((user) => decideSignOff(actor(user), { signOffId: signOff.id, value: "APPROVE" })));

    expect(outcomes.every((o) => o.recorded)).toBe(true);
    expect(await t.db.signOffDecision.count({ where: { signOffId: signOff.id, value: "APPROVE", withdrawnAt: null } })).toBe(20);
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).toMatchObject({ status: "APPROVED" });
    const events = await auditOf(signOff.id);
    expect(events).toHaveLength(20);
    // Each approver saw the ones before: the counts go 1..20 and only the last approves.
    expect(events.map((e) => (e.after as { approvals: number }).approvals).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(events.filter((e) => (e.after as { status: string }).status === "APPROVED")).toHaveLength(1);
  });

  it("20 approvals at once on a sign-off needing 21 leave it pending", async () => {
    const { rolloutId } = await rolloutWith({});
    const approvers = await members(rolloutId, 20, "FINANCE");
    const signOff = await createSignOff(rolloutId, { kind: "BUDGET", requiredRoles: ["FINANCE"], approvalsNeeded: 21 });

    await Promise.all(approvers.map((user) => decideSignOff(actor(user), { signOffId: signOff.id, value: "APPROVE" })));

    expect(await t.db.signOffDecision.count({ where: { signOffId: signOff.id } })).toBe(20);
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).toMatchObject({ status: "PENDING" });
  });
});

describe("sign-off quorum", () => {
  it("when every required role must approve, two executives are not enough without finance; finance's approval completes it", async () => {
    const { rolloutId, exec1, exec2, finance } = await rolloutWith({ exec1: ["EXECUTIVE"], exec2: ["EXECUTIVE"], finance: ["FINANCE"] });
    const signOff = await createSignOff(rolloutId, { kind: "BUDGET", requiredRoles: ["EXECUTIVE", "FINANCE"], approvalsNeeded: 2, everyRole: true });

    expect(await as(exec1, decideSignOffAction, { signOffId: signOff.id, value: "APPROVE" })).toMatchObject({ ok: true, data: { status: "PENDING" } });
    expect(await as(exec2, decideSignOffAction, { signOffId: signOff.id, value: "APPROVE" })).toMatchObject({ ok: true, data: { status: "PENDING" } });
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).toMatchObject({ status: "PENDING" });

    expect(await as(finance, decideSignOffAction, { signOffId: signOff.id, value: "APPROVE" })).toMatchObject({ ok: true, data: { status: "APPROVED" } });
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).toMatchObject({ status: "APPROVED" });
    expect(await t.db.signOffDecision.findMany({ where: { signOffId: signOff.id }, select: { userId: true, role: true }, orderBy: { decidedAt: "asc" } })).toEqual([
      { userId: exec1.id, role: "EXECUTIVE" },
      { userId: exec2.id, role: "EXECUTIVE" },
      { userId: finance.id, role: "FINANCE" },
    ]);
  });

  it("one rejection rejects the sign-off, whatever the approvals", async () => {
    const { rolloutId, a, b, c } = await rolloutWith({ a: ["FINANCE"], b: ["FINANCE"], c: ["FINANCE"] });
    const signOff = await createSignOff(rolloutId, { kind: "BUDGET", requiredRoles: ["FINANCE"], approvalsNeeded: 2 });

    await as(a, decideSignOffAction, { signOffId: signOff.id, value: "APPROVE" });
    await as(b, decideSignOffAction, { signOffId: signOff.id, value: "APPROVE" });
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).toMatchObject({ status: "APPROVED" });

    const rejected = await as(c, decideSignOffAction, { signOffId: signOff.id, value: "REJECT", comment: "Quote expired last week" });
    expect(rejected).toMatchObject({ ok: true, data: { status: "REJECTED" } });
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).toMatchObject({ status: "REJECTED" });
    expect(await actionsOf(signOff.id)).toEqual(["signoff.approved", "signoff.approved", "signoff.rejected"]);
    expect((await auditOf(signOff.id))[2].after).toMatchObject({ value: "REJECT", comment: "Quote expired last week", status: "REJECTED" });
  });

  it("a rejection without a comment is refused and records nothing", async () => {
    const { rolloutId, finance } = await rolloutWith({ finance: ["FINANCE"] });
    const signOff = await createSignOff(rolloutId, { kind: "BUDGET", requiredRoles: ["FINANCE"] });

    const result = await as(finance, decideSignOffAction, { signOffId: signOff.id, value: "REJECT" });
    expect(result).toMatchObject({ ok: false, code: "INVALID_INPUT", fieldErrors: { comment: ["A rejection needs a comment saying why."] } });
    expect(await t.db.signOffDecision.count({ where: { signOffId: signOff.id } })).toBe(0);
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).toMatchObject({ status: "PENDING" });
    expect(await auditOf(signOff.id)).toEqual([]);
  });

  it("only a holder of one of the sign-off's required roles whose role decides its kind may decide it", async () => {
    const { rolloutId, exec, security, finance } = await rolloutWith({ exec: ["EXECUTIVE"], security: ["SECURITY_OFFICER"], finance: ["FINANCE"] });
    // Executives decide budgets in general, but this one asks finance only.
    const signOff = await createSignOff(rolloutId, { kind: "BUDGET", requiredRoles: ["FINANCE"] });

    expect(await as(exec, decideSignOffAction, { signOffId: signOff.id, value: "APPROVE" })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await as(security, decideSignOffAction, { signOffId: signOff.id, value: "APPROVE" })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await t.db.signOffDecision.count({ where: { signOffId: signOff.id } })).toBe(0);
    expect(await as(finance, decideSignOffAction, { signOffId: signOff.id, value: "APPROVE" })).toMatchObject({ ok: true });
  });
});

describe("changing a decision", () => {
  it("needs the first decision withdrawn; the withdrawal is recorded and recomputes the status; then a new decision is accepted", async () => {
    const { rolloutId, finance } = await rolloutWith({ finance: ["FINANCE"] });
    const signOff = await createSignOff(rolloutId, { kind: "BUDGET", requiredRoles: ["FINANCE"] });

    expect(await as(finance, decideSignOffAction, { signOffId: signOff.id, value: "APPROVE" })).toMatchObject({ ok: true, data: { status: "APPROVED" } });
    const change = await as(finance, decideSignOffAction, { signOffId: signOff.id, value: "REJECT", comment: "Changed my mind" });
    expect(change).toMatchObject({ ok: false, code: "CONFLICT", message: expect.stringMatching(/withdraw/i) });
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).toMatchObject({ status: "APPROVED" });

    expect(await as(finance, withdrawDecisionAction, { signOffId: signOff.id })).toMatchObject({ ok: true, data: { status: "PENDING" } });
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).toMatchObject({ status: "PENDING" });
    expect(await t.db.signOffDecision.findFirstOrThrow({ where: { signOffId: signOff.id } })).toMatchObject({ withdrawnById: finance.id, withdrawnAt: expect.any(Date) });
    const withdrawal = (await auditOf(signOff.id)).at(-1)!;
    expect(withdrawal).toMatchObject({ action: "signoff.decision.withdrawn", actorId: finance.id, before: { status: "APPROVED" }, after: { status: "PENDING" } });

    expect(await as(finance, decideSignOffAction, { signOffId: signOff.id, value: "REJECT", comment: "Changed my mind" })).toMatchObject({
      ok: true,
      data: { status: "REJECTED" },
    });
    expect(await t.db.signOffDecision.findMany({ where: { signOffId: signOff.id } })).toMatchObject([{ value: "REJECT", comment: "Changed my mind", withdrawnAt: null }]);
    expect(await actionsOf(signOff.id)).toEqual(["signoff.approved", "signoff.decision.withdrawn", "signoff.rejected"]);
  });

  it("withdrawing without a standing decision is refused", async () => {
    const { rolloutId, finance } = await rolloutWith({ finance: ["FINANCE"] });
    const signOff = await createSignOff(rolloutId, { kind: "BUDGET", requiredRoles: ["FINANCE"] });
    expect(await as(finance, withdrawDecisionAction, { signOffId: signOff.id })).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(await auditOf(signOff.id)).toEqual([]);
  });

  it("decisions are final once the phase is done: no withdrawal, no new decision", async () => {
    const { rolloutId, exec, finance, late } = await rolloutWith({ exec: ["EXECUTIVE"], finance: ["FINANCE"], late: ["FINANCE"] });
    const phase = await createPhase(rolloutId, { status: "IN_PROGRESS" });
    const signOff = await createSignOff(rolloutId, { kind: "BUDGET", requiredRoles: ["FINANCE"], phaseId: phase.id });
    await as(finance, decideSignOffAction, { signOffId: signOff.id, value: "APPROVE" });
    expect(await as(exec, transitionPhaseAction, { phaseId: phase.id, version: 1, transition: "complete" })).toMatchObject({ ok: true });

    expect(await as(finance, withdrawDecisionAction, { signOffId: signOff.id })).toMatchObject({ ok: false, code: "CONFLICT", message: expect.stringContaining(phase.name) });
    expect(await as(late, decideSignOffAction, { signOffId: signOff.id, value: "REJECT", comment: "too late" })).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(await t.db.signOffDecision.findMany({ where: { signOffId: signOff.id } })).toMatchObject([{ userId: finance.id, value: "APPROVE", withdrawnAt: null }]);
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).toMatchObject({ status: "APPROVED" });
  });

  it("someone moved out of the deciding role cannot take back their rejection and so reopen the sign-off", async () => {
    const { rolloutId, security, admin } = await rolloutWith({ security: ["SECURITY_OFFICER"], admin: ["ADMIN"] });
    const signOff = await createSignOff(rolloutId, { kind: "SECURITY_POLICY", requiredRoles: ["SECURITY_OFFICER"] });
    await as(security, decideSignOffAction, { signOffId: signOff.id, value: "REJECT", comment: "Key rotation missing" });
    expect(await as(admin, setMemberRolesAction, { userId: security.id, rolloutId, roles: "VIEWER" })).toMatchObject({ ok: true });

    // Signed in again, now as a viewer.
    const viewer = await t.db.user.findUniqueOrThrow({ where: { id: security.id } });
    expect(await as(viewer, withdrawDecisionAction, { signOffId: signOff.id })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id: signOff.id } })).toMatchObject({ status: "REJECTED" });
    expect(await t.db.signOffDecision.findFirstOrThrow({ where: { signOffId: signOff.id } })).toMatchObject({ withdrawnAt: null });
  });
});

// ── phases ──────────────────────────────────────────────────────────────────────────

describe("phase gate enforcement", () => {
  it("refuses to complete a phase while a required item is open or a required sign-off is pending or rejected, naming the blockers; optional items never block", async () => {
    const { rolloutId, exec, dba, finance } = await rolloutWith({ exec: ["EXECUTIVE"], dba: ["DBA"], finance: ["FINANCE"] });
    const phase = await createPhase(rolloutId, { status: "IN_PROGRESS", name: "Staging" });
    const required = await createItem(rolloutId, { phaseId: phase.id, ownerRole: "DBA", text: "Replica lag under 1s" });
    await createItem(rolloutId, { phaseId: phase.id, ownerRole: "DBA", text: "Nice-to-have dashboard", optional: true });
    const budget = await createSignOff(rolloutId, { kind: "BUDGET", requiredRoles: ["FINANCE"], phaseId: phase.id, title: "Staging budget" });
    await createSignOff(rolloutId, { kind: "BUDGET", requiredRoles: ["FINANCE"], phaseId: phase.id, title: "Informational note", requiredForGate: false });
    const complete = () => as(exec, transitionPhaseAction, { phaseId: phase.id, version: 1, transition: "complete" });

    const withBoth = await complete();
    expect(withBoth).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(messageOf(withBoth)).toMatch(/"Replica lag under 1s" is open/);
    expect(messageOf(withBoth)).toMatch(/"Staging budget" is not approved yet/);
    expect(messageOf(withBoth)).not.toMatch(/Nice-to-have dashboard|Informational note/);

    await as(dba, updateItemStateAction, { itemId: required.id, version: 1, state: "DONE" });
    const pending = await complete();
    expect(pending).toMatchObject({ ok: false, code: "CONFLICT", message: expect.stringContaining('"Staging budget" is not approved yet') });
    expect(messageOf(pending)).not.toMatch(/Replica lag/);

    await as(finance, decideSignOffAction, { signOffId: budget.id, value: "REJECT", comment: "Over the ceiling" });
    expect(await complete()).toMatchObject({ ok: false, code: "CONFLICT", message: expect.stringContaining('"Staging budget" is rejected') });
    expect(await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } })).toMatchObject({ status: "IN_PROGRESS", version: 1, actualEnd: null });
    expect(await actionsOf(phase.id)).toEqual([]);

    await as(finance, withdrawDecisionAction, { signOffId: budget.id });
    await as(finance, decideSignOffAction, { signOffId: budget.id, value: "APPROVE" });
    expect(await complete()).toMatchObject({ ok: true, data: { status: "DONE", version: 2 } });
    const done = await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } });
    expect(done).toMatchObject({ status: "DONE", overrideReason: null, overriddenById: null });
    expect(done.actualEnd).toBeInstanceOf(Date);
    expect(await actionsOf(phase.id)).toEqual(["phase.complete"]);
  });

  it("freezes the checklist of a done phase", async () => {
    const { rolloutId, exec, dba } = await rolloutWith({ exec: ["EXECUTIVE"], dba: ["DBA"] });
    const phase = await createPhase(rolloutId, { status: "IN_PROGRESS", name: "Pilot" });
    const item = await createItem(rolloutId, { phaseId: phase.id, ownerRole: "DBA" });
    await as(dba, updateItemStateAction, { itemId: item.id, version: 1, state: "DONE" });
    await as(exec, transitionPhaseAction, { phaseId: phase.id, version: 1, transition: "complete" });

    expect(await as(dba, updateItemStateAction, { itemId: item.id, version: 2, state: "OPEN" })).toMatchObject({ ok: false, code: "CONFLICT", message: expect.stringContaining("Pilot") });
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ state: "DONE", version: 2 });
  });

  it("only the executive may override a closed gate, only with a reason, and the override stays on the phase and in the audit trail", async () => {
    const { rolloutId, exec, devLead } = await rolloutWith({ exec: ["EXECUTIVE"], devLead: ["DEV_LEAD"] });
    const phase = await createPhase(rolloutId, { status: "IN_PROGRESS", name: "Production" });
    await createItem(rolloutId, { phaseId: phase.id, text: "Load test signed off" });
    await createSignOff(rolloutId, { kind: "GO_NO_GO", requiredRoles: ["EXECUTIVE"], phaseId: phase.id, title: "Go/No-Go" });
    const override = { phaseId: phase.id, version: 1, transition: "complete", override: "true" };

    expect(await as(devLead, transitionPhaseAction, { ...override, reason: "We are late" })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await as(exec, transitionPhaseAction, override)).toMatchObject({ ok: false, code: "INVALID_INPUT", fieldErrors: { reason: expect.any(Array) } });
    expect(await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } })).toMatchObject({ status: "IN_PROGRESS", version: 1, overrideReason: null });
    expect(await auditOf(phase.id)).toEqual([]);

    const overridden = await as(exec, transitionPhaseAction, { ...override, reason: "Contractual deadline; load test follows on Monday" });
    expect(overridden).toMatchObject({ ok: true, data: { status: "DONE" } });
    expect(await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } })).toMatchObject({
      status: "DONE",
      overrideReason: "Contractual deadline; load test follows on Monday",
      overriddenById: exec.id,
      overriddenAt: expect.any(Date),
      actualEnd: expect.any(Date),
    });
    const events = await auditOf(phase.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "phase.gate.overridden",
      actorId: exec.id,
      after: { status: "DONE", reason: "Contractual deadline; load test follows on Monday" },
    });
    expect((events[0].after as { blockers: string[] }).blockers.sort()).toEqual(["Go/No-Go", "Load test signed off"]);
  });
});

describe("phase transitions", () => {
  it("a phase starts only once the phase before it is done or skipped, and says which one it waits for", async () => {
    const { rolloutId, devLead } = await rolloutWith({ devLead: ["DEV_LEAD"] });
    const first = await createPhase(rolloutId, { name: "Foundation", position: 1 });
    const optional = await createPhase(rolloutId, { name: "Optional pilot", position: 2, optional: true });
    const third = await createPhase(rolloutId, { name: "Rollout", position: 3 });

    expect(await as(devLead, transitionPhaseAction, { phaseId: third.id, version: 1, transition: "start" })).toMatchObject({
      ok: false,
      code: "CONFLICT",
      message: expect.stringContaining('"Optional pilot" must be done (or skipped)'),
    });
    expect(await as(devLead, transitionPhaseAction, { phaseId: optional.id, version: 1, transition: "start" })).toMatchObject({
      ok: false,
      code: "CONFLICT",
      message: expect.stringContaining('"Foundation" must be done'),
    });

    expect(await as(devLead, transitionPhaseAction, { phaseId: first.id, version: 1, transition: "start" })).toMatchObject({ ok: true, data: { status: "IN_PROGRESS" } });
    expect((await t.db.phase.findUniqueOrThrow({ where: { id: first.id } })).actualStart).toBeInstanceOf(Date);
    expect(await as(devLead, transitionPhaseAction, { phaseId: first.id, version: 2, transition: "complete" })).toMatchObject({ ok: true });
    expect(await as(devLead, transitionPhaseAction, { phaseId: optional.id, version: 1, transition: "skip", reason: "Not needed this quarter" })).toMatchObject({
      ok: true,
      data: { status: "SKIPPED" },
    });
    expect(await as(devLead, transitionPhaseAction, { phaseId: third.id, version: 1, transition: "start" })).toMatchObject({ ok: true, data: { status: "IN_PROGRESS" } });
    expect(await actionsOf(first.id)).toEqual(["phase.start", "phase.complete"]);
  });

  it("only optional phases may be skipped, and skipping needs a reason", async () => {
    const { rolloutId, devLead } = await rolloutWith({ devLead: ["DEV_LEAD"] });
    const required = await createPhase(rolloutId, { name: "Security review" });
    const optional = await createPhase(rolloutId, { name: "Extra soak", optional: true });

    expect(await as(devLead, transitionPhaseAction, { phaseId: required.id, version: 1, transition: "skip", reason: "short on time" })).toMatchObject({
      ok: false,
      code: "CONFLICT",
      message: expect.stringContaining('"Security review" is required'),
    });
    expect(await as(devLead, transitionPhaseAction, { phaseId: optional.id, version: 1, transition: "skip" })).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
      fieldErrors: { reason: expect.any(Array) },
    });
    expect(await t.db.phase.findMany({ where: { rolloutId }, select: { status: true } })).toEqual([{ status: "NOT_STARTED" }, { status: "NOT_STARTED" }]);
    expect(await as(devLead, transitionPhaseAction, { phaseId: optional.id, version: 1, transition: "skip", reason: "Soak covered by pilot" })).toMatchObject({ ok: true });
    expect(await t.db.phase.findUniqueOrThrow({ where: { id: optional.id } })).toMatchObject({ status: "SKIPPED", actualEnd: expect.any(Date) });
  });

  it("blocking needs a reason, which unblocking clears", async () => {
    const { rolloutId, devLead } = await rolloutWith({ devLead: ["DEV_LEAD"] });
    const phase = await createPhase(rolloutId, { status: "IN_PROGRESS" });

    expect(await as(devLead, transitionPhaseAction, { phaseId: phase.id, version: 1, transition: "block" })).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
      fieldErrors: { reason: ["Give a reason: it goes on record."] },
    });
    expect(await as(devLead, transitionPhaseAction, { phaseId: phase.id, version: 1, transition: "block", reason: "Waiting for firewall change" })).toMatchObject({ ok: true });
    expect(await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } })).toMatchObject({ status: "BLOCKED", blockedReason: "Waiting for firewall change", version: 2 });

    expect(await as(devLead, transitionPhaseAction, { phaseId: phase.id, version: 2, transition: "unblock" })).toMatchObject({ ok: true });
    expect(await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } })).toMatchObject({ status: "IN_PROGRESS", blockedReason: null, version: 3 });
    expect(await actionsOf(phase.id)).toEqual(["phase.block", "phase.unblock"]);
    expect((await auditOf(phase.id))[0].after).toMatchObject({ status: "BLOCKED", reason: "Waiting for firewall change" });
  });

  it("unblocking a phase that was blocked before it started does not start it ahead of the phase before it", async () => {
    const { rolloutId, devLead } = await rolloutWith({ devLead: ["DEV_LEAD"] });
    await createPhase(rolloutId, { name: "Foundation", position: 1, status: "IN_PROGRESS" });
    const next = await createPhase(rolloutId, { name: "Migration", position: 2 });

    await as(devLead, transitionPhaseAction, { phaseId: next.id, version: 1, transition: "block", reason: "Vendor contract unsigned" });
    await as(devLead, transitionPhaseAction, { phaseId: next.id, version: 2, transition: "unblock" });

    // "Foundation" is still in progress, so "Migration" may not be in progress either.
    const phase = await t.db.phase.findUniqueOrThrow({ where: { id: next.id } });
    expect(phase.status).not.toBe("IN_PROGRESS");
    expect(phase.actualStart).toBeNull();
  });

  it("a change posted with an old phase version is refused as STALE with the phase's current state", async () => {
    const { rolloutId, devLead, exec } = await rolloutWith({ devLead: ["DEV_LEAD"], exec: ["EXECUTIVE"] });
    const phase = await createPhase(rolloutId, { status: "IN_PROGRESS" });
    // The executive blocks and unblocks it while the dev lead still has version 1 open.
    await as(exec, transitionPhaseAction, { phaseId: phase.id, version: 1, transition: "block", reason: "Incident" });
    await as(exec, transitionPhaseAction, { phaseId: phase.id, version: 2, transition: "unblock" });

    const stale = await as(devLead, transitionPhaseAction, { phaseId: phase.id, version: 1, transition: "submit" });
    expect(stale).toMatchObject({ ok: false, code: "STALE", fresh: { id: phase.id, status: "IN_PROGRESS", version: 3 } });
    expect(await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } })).toMatchObject({ status: "IN_PROGRESS", version: 3 });
    expect(await actionsOf(phase.id)).toEqual(["phase.block", "phase.unblock"]);
  });
});

// ── reading lists ──────────────────────────────────────────────────────────────────

describe("reading list", () => {
  it("marking read twice records one read and one audit event; unread likewise", async () => {
    const { rolloutId, dba } = await rolloutWith({ dba: ["DBA"] });
    const entry = await createReadingEntry(rolloutId, "DBA");

    expect(await as(dba, markReadAction, { entryId: entry.id, read: "true" })).toMatchObject({ ok: true });
    expect(await as(dba, markReadAction, { entryId: entry.id, read: "true" })).toMatchObject({ ok: true });
    expect(await t.db.readState.findMany({ where: { entryId: entry.id } })).toMatchObject([{ userId: dba.id }]);
    expect(await actionsOf(entry.id)).toEqual(["reading.read"]);

    expect(await as(dba, markReadAction, { entryId: entry.id, read: "false" })).toMatchObject({ ok: true });
    expect(await as(dba, markReadAction, { entryId: entry.id, read: "false" })).toMatchObject({ ok: true });
    expect(await t.db.readState.count({ where: { entryId: entry.id } })).toBe(0);
    expect(await actionsOf(entry.id)).toEqual(["reading.read", "reading.unread"]);
  });

  it("one person's reading does not mark the entry read for another", async () => {
    const { rolloutId, a, b } = await rolloutWith({ a: ["DBA"], b: ["DBA"] });
    const entry = await createReadingEntry(rolloutId, "DBA");
    await as(a, markReadAction, { entryId: entry.id, read: "true" });
    expect(await t.db.readState.findMany({ where: { entryId: entry.id }, select: { userId: true } })).toEqual([{ userId: a.id }]);
    await as(b, markReadAction, { entryId: entry.id, read: "false" });
    expect(await t.db.readState.findMany({ where: { entryId: entry.id }, select: { userId: true } })).toEqual([{ userId: a.id }]);
  });

  it("refuses an entry of another role's reading list", async () => {
    const { rolloutId, dba } = await rolloutWith({ dba: ["DBA"] });
    const entry = await createReadingEntry(rolloutId, "FINANCE");
    expect(await as(dba, markReadAction, { entryId: entry.id, read: "true" })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await t.db.readState.count({ where: { entryId: entry.id } })).toBe(0);
    expect(await auditOf(entry.id)).toEqual([]);
  });
});

// ── success criteria ─────────────────────────────────────────────────────────────────

describe("success criteria", () => {
  it("verifies with a note, records who and when, and can be unverified", async () => {
    const { rolloutId, ops } = await rolloutWith({ ops: ["OPS_MANAGER"] });
    const criterion = await t.db.successCriterion.create({ data: { rolloutId, groupId: await criterionGroupId(t.db, rolloutId), position: nextPosition(), text: "Alerts reach on-call in 1 min" } });

    expect(await as(ops, verifyCriterionAction, { criterionId: criterion.id, version: 1, verified: "true", note: "Fire drill on Tuesday" })).toMatchObject({
      ok: true,
      data: { version: 2 },
    });
    expect(await t.db.successCriterion.findUniqueOrThrow({ where: { id: criterion.id } })).toMatchObject({
      verifiedById: ops.id,
      verifiedAt: expect.any(Date),
      note: "Fire drill on Tuesday",
      version: 2,
    });

    expect(await as(ops, verifyCriterionAction, { criterionId: criterion.id, version: 2, verified: "false" })).toMatchObject({ ok: true, data: { version: 3 } });
    expect(await t.db.successCriterion.findUniqueOrThrow({ where: { id: criterion.id } })).toMatchObject({ verifiedById: null, verifiedAt: null, version: 3 });
    const events = await auditOf(criterion.id);
    expect(events.map((e) => e.action)).toEqual(["criterion.verified", "criterion.unverified"]);
    expect(events[0]).toMatchObject({ actorId: ops.id, before: { verified: false }, after: { verified: true, note: "Fire drill on Tuesday" } });
  });

  it("a verification posted with an old version is refused as STALE with the current state, and saves nothing", async () => {
    const { rolloutId, ops, devops } = await rolloutWith({ ops: ["OPS_MANAGER"], devops: ["DEVOPS"] });
    const criterion = await t.db.successCriterion.create({ data: { rolloutId, groupId: await criterionGroupId(t.db, rolloutId), position: nextPosition(), text: "Zero-downtime deploy" } });
    await as(ops, verifyCriterionAction, { criterionId: criterion.id, version: 1, verified: "true", note: "Observed in prod" });

    const stale = await as(devops, verifyCriterionAction, { criterionId: criterion.id, version: 1, verified: "false" });
    expect(stale).toMatchObject({ ok: false, code: "STALE", fresh: { id: criterion.id, verifiedById: ops.id, note: "Observed in prod", version: 2 } });
    expect(await t.db.successCriterion.findUniqueOrThrow({ where: { id: criterion.id } })).toMatchObject({ verifiedById: ops.id, version: 2 });
    expect(await auditOf(criterion.id)).toHaveLength(1);
  });
});

// ── naming sign-offs ───────────────────────────────────────────────────────────────

describe("renaming a sign-off", () => {
  it("lets an admin give a placeholder policy its real name, on record, and refuses a stale rename", async () => {
    const { renameSignOffAction } = await import("@/lib/actions/workflows");
    const { rolloutId, admin, security } = await rolloutWith({ admin: ["ADMIN"], security: ["SECURITY_OFFICER"] });
    const policy = await createSignOff(rolloutId, { kind: "SECURITY_POLICY", requiredRoles: ["SECURITY_OFFICER"] });

    expect(await as(security, renameSignOffAction, { signOffId: policy.id, version: 1, title: "MFA for admins" })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await as(admin, renameSignOffAction, { signOffId: policy.id, version: 1, title: "  " })).toMatchObject({ ok: false, code: "INVALID_INPUT", fieldErrors: { title: ["Give the sign-off a name."] } });
    expect(await as(admin, renameSignOffAction, { signOffId: policy.id, version: 1, title: "MFA for admins" })).toMatchObject({ ok: true });
    expect(await as(admin, renameSignOffAction, { signOffId: policy.id, version: 1, title: "Something else" })).toMatchObject({
      ok: false,
      code: "STALE",
      fresh: { title: "MFA for admins", version: 2 },
    });
    const events = await auditOf(policy.id);
    expect(events.map((e) => [e.action, e.before, e.after])).toEqual([["signoff.renamed", { title: policy.title }, { title: "MFA for admins" }]]);
  });
});

describe("the wording of a decided sign-off", () => {
  it("a decision keeps the wording it was given on; once anyone decided (even if they withdrew), renaming is refused and changes nothing", async () => {
    const { rolloutId, admin, finance } = await rolloutWith({ admin: ["ADMIN"], finance: ["FINANCE"] });
    const budget = await createSignOff(rolloutId, { title: "Budget: 10 k" });
    expect(await as(finance, decideSignOffAction, { signOffId: budget.id, value: "APPROVE" })).toMatchObject({ ok: true });
    expect(await t.db.signOffDecision.findFirstOrThrow({ where: { signOffId: budget.id } })).toMatchObject({ title: "Budget: 10 k" });

    expect(await as(admin, renameSignOffAction, { signOffId: budget.id, version: 2, title: "Budget: 90 k" })).toMatchObject({
      ok: false,
      code: "CONFLICT",
      message: "“Budget: 10 k” can no longer be renamed: a decision was already given on this wording.",
    });
    expect(await as(finance, withdrawDecisionAction, { signOffId: budget.id })).toMatchObject({ ok: true });
    const fresh = await t.db.signOff.findUniqueOrThrow({ where: { id: budget.id } });
    expect(await as(admin, renameSignOffAction, { signOffId: budget.id, version: fresh.version, title: "Budget: 90 k" })).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id: budget.id } })).toMatchObject({ title: "Budget: 10 k", version: fresh.version });
    expect(await actionsOf(budget.id)).toEqual(["signoff.approved", "signoff.decision.withdrawn"]);
  });

  it("renaming is refused once the sign-off's phase is done, even with no decision, and the reason is said in the person's language", async () => {
    const { rolloutId, admin } = await rolloutWith({ admin: ["ADMIN"] });
    const phase = await createPhase(rolloutId, { name: "Cutover", status: "DONE" });
    const gate = await createSignOff(rolloutId, { kind: "PHASE_GATE", requiredRoles: ["EXECUTIVE"], phaseId: phase.id, title: "Cutover gate" });
    expect(await as(admin, renameSignOffAction, { signOffId: gate.id, version: 1, title: "Another gate" })).toMatchObject({
      ok: false,
      code: "CONFLICT",
      message: "“Cutover gate” can no longer be renamed: its phase “Cutover” is closed.",
    });
    setRequest({ cookie: await sessionCookie(admin) });
    requestState.cookies.set("NEXT_LOCALE", "pt-BR");
    expect(await renameSignOffAction(undefined, form({ signOffId: gate.id, version: 1, title: "Another gate" }))).toMatchObject({
      ok: false,
      message: "“Cutover gate” não pode mais ser renomeada: a fase “Cutover” dela está encerrada.",
    });
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id: gate.id } })).toMatchObject({ title: "Cutover gate", version: 1 });
    expect(await actionsOf(gate.id)).toEqual([]);
  });

  it("a rename and a decision sent at once: whichever lands first, the decision's stored wording is the sign-off's final name", async () => {
    const { rolloutId, admin, finance } = await rolloutWith({ admin: ["ADMIN"], finance: ["FINANCE"] });
    const budget = await createSignOff(rolloutId, { title: "Budget draft" });
    const [renamed, decided] = await Promise.all([
      renameSignOff(actor(admin), { signOffId: budget.id, version: 1, title: "Budget final" }).then(
        () => "renamed",
        (error: unknown) => (error as { code?: string }).code,
      ),
      decideSignOff(actor(finance), { signOffId: budget.id, value: "APPROVE", comment: undefined }),
    ]);
    expect(decided.recorded).toBe(true);
    expect(["renamed", "CONFLICT"]).toContain(renamed);
    const [signOff, decision] = await Promise.all([
      t.db.signOff.findUniqueOrThrow({ where: { id: budget.id } }),
      t.db.signOffDecision.findFirstOrThrow({ where: { signOffId: budget.id } }),
    ]);
    expect(decision.title).toBe(signOff.title);
    expect(signOff.title).toBe(renamed === "renamed" ? "Budget final" : "Budget draft");
  });
});

// ── assignee and due date ──────────────────────────────────────────────────────────

describe("assigning an item", () => {
  it("sets the assignee and due date, refuses a non-member or a bad date, and refuses a stale version", async () => {
    const { updateItemDetailsAction } = await import("@/lib/actions/workflows");
    const { rolloutId, ops, dba } = await rolloutWith({ ops: ["OPS_MANAGER"], dba: ["DBA"] });
    const outsider = await createUser(t.db);
    const item = await createItem(rolloutId, { ownerRole: "OPS_MANAGER" });

    expect(await as(dba, updateItemDetailsAction, { itemId: item.id, version: 1, assigneeId: dba.id })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await as(ops, updateItemDetailsAction, { itemId: item.id, version: 1, assigneeId: outsider.id })).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
      message: "The assignee must be an active member of this rollout.",
    });
    expect(await as(ops, updateItemDetailsAction, { itemId: item.id, version: 1, dueAt: "next friday" })).toMatchObject({
      ok: false,
      fieldErrors: { dueAt: ["Enter the due date as YYYY-MM-DD."] },
    });
    expect(await as(ops, updateItemDetailsAction, { itemId: item.id, version: 1, assigneeId: dba.id, dueAt: "2027-01-15" })).toMatchObject({ ok: true });
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({
      assigneeId: dba.id,
      dueAt: new Date("2027-01-15T23:59:59Z"),
      version: 2,
    });
    expect(await as(ops, updateItemDetailsAction, { itemId: item.id, version: 1, assigneeId: ops.id })).toMatchObject({ ok: false, code: "STALE", fresh: { assigneeId: dba.id } });
    expect((await auditOf(item.id)).map((e) => e.action)).toEqual(["item.details.changed"]);
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createContactAction,
  createCriterionAction,
  createCriterionGroupAction,
  createMilestoneAction,
  deleteContactAction,
  deleteCriterionAction,
  deleteCriterionGroupAction,
  deleteMilestoneAction,
  moveContactAction,
  moveCriterionAction,
  moveCriterionGroupAction,
  renameCriterionGroupAction,
  updateContactAction,
  updateCriterionAction,
  updateMilestoneAction,
  createCustomRoleAction,
  createDocumentAction,
  createItemAction,
  createPhaseAction,
  createReadingEntryAction,
  createSignOffAction,
  deleteCustomRoleAction,
  deleteItemAction,
  deletePhaseAction,
  deleteReadingEntryAction,
  deleteSignOffAction,
  moveItemAction,
  movePhaseAction,
  moveReadingEntryAction,
  renameCustomRoleAction,
  updateDocumentAction,
  updateItemAction,
  updatePhaseAction,
  updateSignOffAction,
} from "@/lib/actions/plan";
import { decideSignOffAction, transitionPhaseAction, updateItemStateAction } from "@/lib/actions/workflows";
import type { Actor } from "@/lib/auth/session";
import { listActivity } from "@/lib/dal/activity";
import { listContacts } from "@/lib/dal/contacts";
import { getTimeline } from "@/lib/dal/timeline";
import { setArchived } from "@/lib/dal/rollouts";
import { listRoleChoices } from "@/lib/dal/roles";
import type { Role } from "@/lib/generated/prisma/enums";
import type { ActionResult } from "@/lib/server/action";
import { describeActivity } from "@/components/activity/describe-activity";
import { createRollout, createUser, unique } from "./helpers/factories";
import { sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// The plan editor (issue 9, part 3) and roles as data (part 4): every write is validated,
// refused when stale or when it would change a closed gate, and written with its audit
// event (before and after) in one transaction. Expected answers come from the rules.

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

type User = Awaited<ReturnType<typeof createUser>>;
type FormAction = (prev: ActionResult<unknown> | undefined, formData: FormData) => Promise<ActionResult<unknown>>;
type Values = Record<string, string | number | boolean | string[] | undefined>;

function form(values: Values): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) data.append(key, String(v));
  }
  return data;
}

async function as(user: User, action: FormAction, values: Values) {
  setRequest({ cookie: await sessionCookie(user) });
  return action(undefined, form(values));
}

const actorOf = (user: User): Actor => ({ id: user.id, email: user.email, name: user.name, locale: null });
const eventsOf = (rolloutId: string) => t.db.auditEvent.findMany({ where: { rolloutId }, orderBy: { seq: "asc" } });
const idOf = (result: ActionResult<unknown>) => {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.message}`);
  return (result.data as { id: string }).id;
};

async function setup<const R extends Record<string, Role[]>>(extra: R = {} as R) {
  const rollout = await createRollout(t.db);
  const admin = await createUser(t.db, { rolloutId: rollout.id, roles: ["ADMIN"] });
  const people: Record<string, User> = {};
  for (const [name, roles] of Object.entries(extra)) people[name] = await createUser(t.db, { rolloutId: rollout.id, roles });
  return { rolloutId: rollout.id, admin, ...(people as { [K in keyof R]: User }) };
}

/** A refused call: the given code, nothing written, no audit event. */
async function expectRefused(rolloutId: string, call: () => Promise<ActionResult<unknown>>, code: string, message?: RegExp) {
  const [eventsBefore, phases, items, signOffs] = await Promise.all([
    t.db.auditEvent.count({ where: { rolloutId } }),
    t.db.phase.findMany({ where: { rolloutId }, orderBy: { id: "asc" } }),
    t.db.checklistItem.findMany({ where: { rolloutId }, orderBy: { id: "asc" } }),
    t.db.signOff.findMany({ where: { rolloutId }, orderBy: { id: "asc" } }),
  ]);
  const result = await call();
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.code).toBe(code);
    if (message) expect(result.message).toMatch(message);
  }
  expect(await t.db.auditEvent.count({ where: { rolloutId } })).toBe(eventsBefore);
  expect(await t.db.phase.findMany({ where: { rolloutId }, orderBy: { id: "asc" } })).toEqual(phases);
  expect(await t.db.checklistItem.findMany({ where: { rolloutId }, orderBy: { id: "asc" } })).toEqual(items);
  expect(await t.db.signOff.findMany({ where: { rolloutId }, orderBy: { id: "asc" } })).toEqual(signOffs);
  return result;
}

const phaseForm = (rolloutId: string, name: string, extra: Values = {}) => ({ rolloutId, name, goal: "", window: "", plannedStart: "", plannedEnd: "", ...extra });

describe("phases in the editor", () => {
  it("adds phases at the end, renames one with its audit event holding before and after", async () => {
    const { rolloutId, admin } = await setup();
    const first = idOf(await as(admin, createPhaseAction, phaseForm(rolloutId, "Pilot", { plannedStart: "2027-02-01", plannedEnd: "2027-02-14", optional: "on" })));
    const second = idOf(await as(admin, createPhaseAction, phaseForm(rolloutId, "General availability")));
    const stored = await t.db.phase.findMany({ where: { rolloutId }, orderBy: { position: "asc" } });
    expect(stored.map((p) => [p.name, p.position, p.optional])).toEqual([
      ["Pilot", 1, true],
      ["General availability", 2, false],
    ]);
    expect(stored[0].plannedStart?.toISOString()).toBe("2027-02-01T00:00:00.000Z");

    const renamed = await as(admin, updatePhaseAction, { id: first, version: 1, name: "Pilot wave", goal: "Ten teams", window: "Week 1-2", plannedStart: "2027-02-01", plannedEnd: "2027-02-14", optional: "on" });
    expect(renamed).toMatchObject({ ok: true, data: { name: "Pilot wave", goal: "Ten teams", version: 2 } });
    const event = (await eventsOf(rolloutId)).at(-1)!;
    expect(event).toMatchObject({ action: "plan.phase.updated", targetType: "Phase", targetId: first, actorId: admin.id });
    expect(event.before).toMatchObject({ name: "Pilot", goal: null });
    expect(event.after).toMatchObject({ name: "Pilot wave", goal: "Ten teams", window: "Week 1-2" });

    // Reordering swaps the two, on record.
    expect(await as(admin, movePhaseAction, { id: second, version: 1, direction: "up" })).toMatchObject({ ok: true });
    expect((await t.db.phase.findMany({ where: { rolloutId }, orderBy: { position: "asc" } })).map((p) => p.id)).toEqual([second, first]);
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "plan.phase.moved", before: { position: 2 }, after: { position: 1 } });
  });

  it("refuses bad input with a specific message and writes nothing", async () => {
    const { rolloutId, admin } = await setup();
    await expectRefused(rolloutId, () => as(admin, createPhaseAction, phaseForm(rolloutId, "  ")), "INVALID_INPUT", /enter the name/);
    await expectRefused(rolloutId, () => as(admin, createPhaseAction, phaseForm(rolloutId, "x".repeat(201))), "INVALID_INPUT", /at most 200/);
    await expectRefused(
      rolloutId,
      () => as(admin, createPhaseAction, phaseForm(rolloutId, "Backwards", { plannedStart: "2027-03-01", plannedEnd: "2027-02-01" })),
      "INVALID_INPUT",
      /end cannot be before/,
    );
    await expectRefused(rolloutId, () => as(admin, createPhaseAction, phaseForm(rolloutId, "Bad date", { plannedStart: "01/02/2027" })), "INVALID_INPUT", /YYYY-MM-DD/);
  });

  it("refuses a stale edit with the fresh state, and changes nothing", async () => {
    const { rolloutId, admin } = await setup();
    const id = idOf(await as(admin, createPhaseAction, phaseForm(rolloutId, "Pilot")));
    expect(await as(admin, updatePhaseAction, { id, version: 1, name: "First edit" })).toMatchObject({ ok: true });
    const refused = await expectRefused(rolloutId, () => as(admin, updatePhaseAction, { id, version: 1, name: "Second edit from an old page" }), "STALE", /Someone else changed/);
    expect(refused).toMatchObject({ fresh: { id, name: "First edit", version: 2 } });
  });

  it("refuses edits to a closed phase until it is reopened, on record", async () => {
    const { rolloutId, admin, lead } = await setup({ lead: ["DEV_LEAD"] });
    const phaseId = idOf(await as(admin, createPhaseAction, phaseForm(rolloutId, "Pilot")));
    const item = idOf(await as(admin, createItemAction, { rolloutId, list: "PHASE", phaseId, text: "Run the smoke test" }));
    await t.db.phase.update({ where: { id: phaseId }, data: { status: "DONE", version: { increment: 1 } } });

    await expectRefused(rolloutId, () => as(admin, updatePhaseAction, { id: phaseId, version: 2, name: "Renamed" }), "CONFLICT", /reopen the phase first/);
    await expectRefused(rolloutId, () => as(admin, createItemAction, { rolloutId, list: "PHASE", phaseId, text: "Late addition" }), "CONFLICT", /reopen the phase first/);
    await expectRefused(rolloutId, () => as(admin, updateItemAction, { id: item, version: 1, list: "PHASE", phaseId, text: "Changed" }), "CONFLICT", /reopen the phase first/);
    await expectRefused(rolloutId, () => as(admin, deleteItemAction, { id: item, version: 1 }), "CONFLICT", /reopen the phase first/);
    await expectRefused(
      rolloutId,
      () => as(admin, createSignOffAction, { rolloutId, phaseId, title: "Late gate", kind: "PHASE_GATE", approvers: "EXECUTIVE", rule: "count", approvalsNeeded: 1 }),
      "CONFLICT",
      /reopen the phase first/,
    );

    // Reopening needs a reason, and is on record.
    await expectRefused(rolloutId, () => as(lead, transitionPhaseAction, { phaseId, version: 2, transition: "reopen" }), "INVALID_INPUT");
    expect(await as(lead, transitionPhaseAction, { phaseId, version: 2, transition: "reopen", reason: "The smoke test needs a second run" })).toMatchObject({ ok: true, data: { status: "IN_PROGRESS" } });
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "phase.reopen", actorId: lead.id, before: { status: "DONE" }, after: { status: "IN_PROGRESS", reason: "The smoke test needs a second run" } });
    expect(await as(admin, updatePhaseAction, { id: phaseId, version: 3, name: "Renamed" })).toMatchObject({ ok: true });
  });

  it("deletes a phase only while nothing is recorded on it", async () => {
    const { rolloutId, admin, dba } = await setup({ dba: ["DBA"] });
    const keep = idOf(await as(admin, createPhaseAction, phaseForm(rolloutId, "Recorded")));
    const drop = idOf(await as(admin, createPhaseAction, phaseForm(rolloutId, "Empty")));
    const last = idOf(await as(admin, createPhaseAction, phaseForm(rolloutId, "Last")));
    const item = idOf(await as(admin, createItemAction, { rolloutId, list: "PHASE", phaseId: keep, text: "Check replicas", ownerRole: "DBA" }));
    expect(await as(dba, updateItemStateAction, { itemId: item, version: 1, state: "DONE" })).toMatchObject({ ok: true });

    await expectRefused(rolloutId, () => as(admin, deletePhaseAction, { id: keep, version: 1 }), "CONFLICT", /cannot be deleted/);
    expect(await as(admin, deletePhaseAction, { id: drop, version: 1 })).toMatchObject({ ok: true });
    // The later phase closes the gap.
    expect((await t.db.phase.findMany({ where: { rolloutId }, orderBy: { position: "asc" } })).map((p) => [p.id, p.position])).toEqual([
      [keep, 1],
      [last, 2],
    ]);
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "plan.phase.deleted", targetId: drop, before: { name: "Empty" } });
  });
});

describe("checklist items in the editor", () => {
  it("adds, edits, moves between phases and lists, reorders and removes items, each on record", async () => {
    const { rolloutId, admin, dba } = await setup({ dba: ["DBA"] });
    const one = idOf(await as(admin, createPhaseAction, phaseForm(rolloutId, "One")));
    const two = idOf(await as(admin, createPhaseAction, phaseForm(rolloutId, "Two")));
    const a = idOf(await as(admin, createItemAction, { rolloutId, list: "PHASE", phaseId: one, text: "First", ownerRole: "DBA", dueAt: "2027-02-10" }));
    const b = idOf(await as(admin, createItemAction, { rolloutId, list: "PHASE", phaseId: one, text: "Second", assigneeId: dba.id, optional: "on" }));
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: b } })).toMatchObject({ position: 1, assigneeId: dba.id, optional: true });

    const edited = await as(admin, updateItemAction, { id: a, version: 1, list: "PHASE", phaseId: two, text: "First, reworded", ownerRole: "DEVOPS" });
    expect(edited).toMatchObject({ ok: true, data: { text: "First, reworded", phaseId: two, ownerRole: "DEVOPS", dueAt: null, position: 0, version: 2 } });
    const event = (await eventsOf(rolloutId)).at(-1)!;
    expect(event).toMatchObject({ action: "plan.item.updated", before: { text: "First", phaseId: one, ownerRole: "DBA" }, after: { text: "First, reworded", phaseId: two, ownerRole: "DEVOPS" } });

    // To this week's list (no phase), and back up the order.
    const c = idOf(await as(admin, createItemAction, { rolloutId, list: "IMMEDIATE", text: "Book the room" }));
    expect(await as(admin, updateItemAction, { id: b, version: 1, list: "IMMEDIATE", text: "Second" })).toMatchObject({ ok: true, data: { list: "IMMEDIATE", phaseId: null, position: 1 } });
    expect(await as(admin, moveItemAction, { id: b, version: 2, direction: "up" })).toMatchObject({ ok: true, data: { position: 0 } });
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: c } })).toMatchObject({ position: 1 });
    await expectRefused(rolloutId, () => as(admin, moveItemAction, { id: b, version: 3, direction: "up" }), "CONFLICT", /already first/);

    expect(await as(admin, deleteItemAction, { id: c, version: 2 })).toMatchObject({ ok: true });
    expect(await t.db.checklistItem.findUnique({ where: { id: c } })).toBeNull();
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "plan.item.deleted", targetId: c, before: { text: "Book the room" } });
  });

  it("refuses an unknown role, a non-member assignee, a phase without its list, a ticked item's removal", async () => {
    const { rolloutId, admin, dba } = await setup({ dba: ["DBA"] });
    const other = await createRollout(t.db);
    const outsider = await createUser(t.db, { rolloutId: other.id, roles: ["DBA"] });
    const foreignRole = await t.db.rolloutRole.create({ data: { rolloutId: other.id, slug: "qa-lead", name: "QA Lead", baseRole: "DEVOPS", position: 0 } });
    const phaseId = idOf(await as(admin, createPhaseAction, phaseForm(rolloutId, "One")));

    await expectRefused(rolloutId, () => as(admin, createItemAction, { rolloutId, list: "PHASE", phaseId, text: "X", ownerRole: foreignRole.id }), "INVALID_INPUT", /not one of this rollout's roles/);
    await expectRefused(rolloutId, () => as(admin, createItemAction, { rolloutId, list: "PHASE", phaseId, text: "X", assigneeId: outsider.id }), "INVALID_INPUT", /member of this rollout/);
    await expectRefused(rolloutId, () => as(admin, createItemAction, { rolloutId, list: "PHASE", text: "X" }), "INVALID_INPUT", /needs its phase/);
    await expectRefused(rolloutId, () => as(admin, createItemAction, { rolloutId, list: "IMMEDIATE", text: "" }), "INVALID_INPUT", /enter the text/);

    const item = idOf(await as(admin, createItemAction, { rolloutId, list: "PHASE", phaseId, text: "Check replicas", ownerRole: "DBA" }));
    expect(await as(dba, updateItemStateAction, { itemId: item, version: 1, state: "DONE" })).toMatchObject({ ok: true });
    await expectRefused(rolloutId, () => as(admin, deleteItemAction, { id: item, version: 2 }), "CONFLICT", /already ticked/);
  });
});

describe("sign-offs in the editor", () => {
  it("adds a sign-off with two approver roles (one custom) and the every-role rule, edits and removes it while undecided", async () => {
    const { rolloutId, admin } = await setup();
    const qa = idOf(await as(admin, createCustomRoleAction, { rolloutId, name: "QA Lead", slug: "qa-lead", baseRole: "DEVOPS" }));
    const phaseId = idOf(await as(admin, createPhaseAction, phaseForm(rolloutId, "One")));
    const created = await as(admin, createSignOffAction, {
      rolloutId,
      phaseId,
      title: "Release approval",
      kind: "PRODUCTION_DEPLOYMENT",
      approvers: ["DBA", qa],
      rule: "every",
      approvalsNeeded: 1,
      dueAt: "2027-02-20",
      requiredForGate: "on",
    });
    const id = idOf(created);
    // "Every listed role" needs at least one approval per role: two here.
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id } })).toMatchObject({
      requiredRoles: ["DBA"],
      requiredCustomRoleIds: [qa],
      everyRole: true,
      approvalsNeeded: 2,
      requiredForGate: true,
      status: "PENDING",
    });

    expect(await as(admin, updateSignOffAction, { id, version: 1, phaseId, title: "Release approval v2", kind: "PRODUCTION_DEPLOYMENT", approvers: "DBA", rule: "count", approvalsNeeded: 1 })).toMatchObject({
      ok: true,
      data: { title: "Release approval v2", requiredRoles: ["DBA"], requiredCustomRoleIds: [], requiredForGate: false, version: 2 },
    });
    const event = (await eventsOf(rolloutId)).at(-1)!;
    expect(event).toMatchObject({ action: "plan.signOff.updated", before: { title: "Release approval", requiredCustomRoleIds: [qa] }, after: { title: "Release approval v2", requiredCustomRoleIds: [] } });

    expect(await as(admin, deleteSignOffAction, { id, version: 2 })).toMatchObject({ ok: true });
    expect(await t.db.signOff.findUnique({ where: { id } })).toBeNull();
  });

  it("refuses approvers that cannot decide, amounts on non-budget sign-offs, and removal once decided", async () => {
    const { rolloutId, admin, cfo } = await setup({ cfo: ["FINANCE"] });
    const base = { rolloutId, title: "Budget", kind: "BUDGET", rule: "count", approvalsNeeded: 1 };
    await expectRefused(rolloutId, () => as(admin, createSignOffAction, { ...base, approvers: ["FINANCE", "VIEWER"] }), "INVALID_INPUT", /cannot decide/);
    await expectRefused(rolloutId, () => as(admin, createSignOffAction, { ...base, approvers: [] }), "INVALID_INPUT", /approver roles/);
    await expectRefused(rolloutId, () => as(admin, createSignOffAction, { ...base, kind: "COMPLIANCE", approvers: "FINANCE", amount: "100" }), "INVALID_INPUT", /Only a budget/);
    await expectRefused(rolloutId, () => as(admin, createSignOffAction, { ...base, approvers: "FINANCE", amount: "12.345" }), "INVALID_INPUT", /two decimals/);

    const id = idOf(await as(admin, createSignOffAction, { ...base, approvers: "FINANCE", amount: "1500.50", currency: "eur" }));
    expect(await t.db.signOff.findUniqueOrThrow({ where: { id } })).toMatchObject({ amountCents: BigInt(150050), currency: "EUR" });
    expect(await as(cfo, decideSignOffAction, { signOffId: id, value: "APPROVE" })).toMatchObject({ ok: true });
    await expectRefused(rolloutId, () => as(admin, deleteSignOffAction, { id, version: 2 }), "CONFLICT", /decisions are recorded/);
  });
});

describe("documents and reading lists in the editor", () => {
  it("adds a document and reading entries for a built-in and a custom role, reorders and removes them, closing gaps", async () => {
    const { rolloutId, admin } = await setup();
    const qa = idOf(await as(admin, createCustomRoleAction, { rolloutId, name: "QA Lead", slug: "qa-lead", baseRole: "DEVOPS" }));
    const doc = idOf(await as(admin, createDocumentAction, { rolloutId, title: "Runbook", path: "docs/runbook.md", body: "# Steps" }));
    const link = idOf(await as(admin, createDocumentAction, { rolloutId, title: "Dashboard guide", path: "https://wiki.example/guide" }));
    expect(await t.db.document.findUniqueOrThrow({ where: { id: link } })).toMatchObject({ url: "https://wiki.example/guide", path: null });
    await expectRefused(rolloutId, () => as(admin, createDocumentAction, { rolloutId, title: "Bad", path: "javascript:alert(1)" }), "INVALID_INPUT", /http:\/\/ or https:\/\//);
    expect(await as(admin, updateDocumentAction, { id: doc, version: 1, title: "Runbook v2", path: "docs/runbook.md", body: "# Steps\n1. Go" })).toMatchObject({ ok: true, data: { title: "Runbook v2" } });

    const first = idOf(await as(admin, createReadingEntryAction, { rolloutId, role: qa, documentId: doc, minutes: 20, sectionHint: "Rollback" }));
    const second = idOf(await as(admin, createReadingEntryAction, { rolloutId, role: qa, documentId: link, minutes: 5 }));
    const dbaEntry = idOf(await as(admin, createReadingEntryAction, { rolloutId, role: "DEVOPS", documentId: doc, minutes: 10 }));
    // The custom role's list is its own, not its base role's.
    expect(await t.db.readingListEntry.findUniqueOrThrow({ where: { id: first } })).toMatchObject({ role: "DEVOPS", customRoleId: qa, roleKey: qa, position: 0 });
    expect(await t.db.readingListEntry.findUniqueOrThrow({ where: { id: dbaEntry } })).toMatchObject({ role: "DEVOPS", customRoleId: null, roleKey: "DEVOPS", position: 0 });
    await expectRefused(rolloutId, () => as(admin, createReadingEntryAction, { rolloutId, role: qa, documentId: doc, minutes: 0 }), "INVALID_INPUT", /1 to 600/);

    expect(await as(admin, moveReadingEntryAction, { id: second, version: 1, direction: "up" })).toMatchObject({ ok: true, data: { position: 0 } });
    expect(await as(admin, deleteReadingEntryAction, { id: second, version: 2 })).toMatchObject({ ok: true });
    expect(await t.db.readingListEntry.findUniqueOrThrow({ where: { id: first } })).toMatchObject({ position: 0 });
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "plan.reading.deleted", before: { document: "Dashboard guide", customRoleId: qa } });
  });
});

describe("custom roles", () => {
  it("are listed after the built-in ones, renamed on record, and deleted only while unused", async () => {
    const { rolloutId, admin } = await setup();
    const qa = idOf(await as(admin, createCustomRoleAction, { rolloutId, name: "QA Lead", slug: "QA-Lead", baseRole: "DEVOPS" }));
    const choices = await listRoleChoices(actorOf(admin), rolloutId);
    expect(choices.map((c) => c.key)).toEqual(["EXECUTIVE", "DEV_LEAD", "OPS_MANAGER", "DEVOPS", "DBA", "DATA_ENGINEER", "SECURITY_OFFICER", "FINANCE", "ADMIN", "VIEWER", qa]);
    expect(choices.at(-1)).toMatchObject({ slug: "qa-lead", name: "QA Lead", role: "DEVOPS", builtIn: false });

    await expectRefused(rolloutId, () => as(admin, createCustomRoleAction, { rolloutId, name: "Other", slug: "qa-lead", baseRole: "DBA" }), "CONFLICT", /already has a role/);
    await expectRefused(rolloutId, () => as(admin, createCustomRoleAction, { rolloutId, name: "Ops", slug: "operations", baseRole: "DBA" }), "INVALID_INPUT", /already used by a built-in role/);
    await expectRefused(rolloutId, () => as(admin, createCustomRoleAction, { rolloutId, name: "Editor", slug: "edit", baseRole: "DBA" }), "INVALID_INPUT", /already used/);
    await expectRefused(rolloutId, () => as(admin, createCustomRoleAction, { rolloutId, name: "Bad", slug: "has space", baseRole: "DBA" }), "INVALID_INPUT", /lower-case letters/);
    await expectRefused(rolloutId, () => as(admin, createCustomRoleAction, { rolloutId, name: "Bad", slug: "bad", baseRole: "KING" }), "INVALID_INPUT", /built-in role whose rights/);

    expect(await as(admin, renameCustomRoleAction, { roleId: qa, version: 1, name: "Quality Lead" })).toMatchObject({ ok: true, data: { name: "Quality Lead", version: 2 } });
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "plan.role.updated", before: { name: "QA Lead" }, after: { name: "Quality Lead" } });

    const holder = await createUser(t.db);
    await t.db.rolloutMember.create({ data: { rolloutId, userId: holder.id, role: "DEVOPS", customRoleId: qa } });
    const beforeDelete = await t.db.auditEvent.count({ where: { rolloutId } });
    const refused = await as(admin, deleteCustomRoleAction, { id: qa, version: 2 });
    expect(refused).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(await t.db.rolloutRole.findUnique({ where: { id: qa } })).not.toBeNull();
    expect(await t.db.auditEvent.count({ where: { rolloutId } })).toBe(beforeDelete);

    await t.db.rolloutMember.deleteMany({ where: { customRoleId: qa } });
    expect(await as(admin, deleteCustomRoleAction, { id: qa, version: 2 })).toMatchObject({ ok: true });
    expect(await t.db.rolloutRole.findUnique({ where: { id: qa } })).toBeNull();
  });
});

describe("deciding by the sign-off's approver roles", () => {
  async function withQaLead() {
    const rollout = await createRollout(t.db);
    const qa = await t.db.rolloutRole.create({ data: { rolloutId: rollout.id, slug: "qa-lead", name: "QA Lead", baseRole: "DEVOPS", position: 0 } });
    const qaLead = await createUser(t.db);
    await t.db.rolloutMember.create({ data: { rolloutId: rollout.id, userId: qaLead.id, role: "DEVOPS", customRoleId: qa.id } });
    const devops = await createUser(t.db, { rolloutId: rollout.id, roles: ["DEVOPS"] });
    const dba = await createUser(t.db, { rolloutId: rollout.id, roles: ["DBA"] });
    const executive = await createUser(t.db, { rolloutId: rollout.id, roles: ["EXECUTIVE"] });
    return { rolloutId: rollout.id, qa, qaLead, devops, dba, executive };
  }
  const signOff = (rolloutId: string, data: { kind?: "BUDGET" | "COMPLIANCE" | "GO_NO_GO"; requiredRoles?: Role[]; requiredCustomRoleIds?: string[]; everyRole?: boolean; approvalsNeeded?: number }) =>
    t.db.signOff.create({ data: { rolloutId, position: 0, title: unique("Decision"), kind: data.kind ?? "COMPLIANCE", requiredRoles: data.requiredRoles ?? [], requiredCustomRoleIds: data.requiredCustomRoleIds ?? [], everyRole: data.everyRole, approvalsNeeded: data.approvalsNeeded } });

  it("lets a DBA decide a sign-off whose approver is DBA, whatever its kind, and nobody else", async () => {
    const { rolloutId, dba, executive } = await withQaLead();
    const s = await signOff(rolloutId, { kind: "GO_NO_GO", requiredRoles: ["DBA"] });
    await expectRefused(rolloutId, () => as(executive, decideSignOffAction, { signOffId: s.id, value: "APPROVE" }), "FORBIDDEN");
    expect(await as(dba, decideSignOffAction, { signOffId: s.id, value: "APPROVE" })).toMatchObject({ ok: true, data: { status: "APPROVED" } });
    expect(await t.db.signOffDecision.findFirstOrThrow({ where: { signOffId: s.id } })).toMatchObject({ userId: dba.id, role: "DBA", customRoleId: null });
  });

  it("lets the QA Lead holder decide a QA Lead sign-off, but not a plain DevOps holder (its base role)", async () => {
    const { rolloutId, qa, qaLead, devops } = await withQaLead();
    const s = await signOff(rolloutId, { requiredCustomRoleIds: [qa.id] });
    await expectRefused(rolloutId, () => as(devops, decideSignOffAction, { signOffId: s.id, value: "APPROVE" }), "FORBIDDEN");
    expect(await as(qaLead, decideSignOffAction, { signOffId: s.id, value: "APPROVE" })).toMatchObject({ ok: true, data: { status: "APPROVED" } });
    const decision = await t.db.signOffDecision.findFirstOrThrow({ where: { signOffId: s.id } });
    expect(decision).toMatchObject({ userId: qaLead.id, role: "DEVOPS", customRoleId: qa.id });
    // ...and a DevOps sign-off is not the QA Lead's.
    const plain = await signOff(rolloutId, { requiredRoles: ["DEVOPS"] });
    await expectRefused(rolloutId, () => as(qaLead, decideSignOffAction, { signOffId: plain.id, value: "APPROVE" }), "FORBIDDEN");
  });

  it("with every role required, counts the QA Lead and the DBA as two identities", async () => {
    const { rolloutId, qa, qaLead, dba } = await withQaLead();
    const secondDba = await createUser(t.db, { rolloutId, roles: ["DBA"] });
    const s = await signOff(rolloutId, { requiredRoles: ["DBA"], requiredCustomRoleIds: [qa.id], everyRole: true, approvalsNeeded: 2 });
    expect(await as(dba, decideSignOffAction, { signOffId: s.id, value: "APPROVE" })).toMatchObject({ ok: true, data: { status: "PENDING" } });
    // Two approvals, but both from DBAs: the QA Lead is still missing.
    expect(await as(secondDba, decideSignOffAction, { signOffId: s.id, value: "APPROVE" })).toMatchObject({ ok: true, data: { status: "PENDING" } });
    expect(await as(qaLead, decideSignOffAction, { signOffId: s.id, value: "APPROVE" })).toMatchObject({ ok: true, data: { status: "APPROVED" } });
  });

  it("completes the items the plan links to the sign-off when it is approved, in the same transaction and on record", async () => {
    const { rolloutId, executive } = await withQaLead();
    const s = await signOff(rolloutId, { kind: "GO_NO_GO", requiredRoles: ["EXECUTIVE"] });
    const linked = await t.db.checklistItem.create({ data: { rolloutId, list: "IMMEDIATE", position: 0, text: "Give the go", ownerRole: "EXECUTIVE", signOffId: s.id } });
    const unlinked = await t.db.checklistItem.create({ data: { rolloutId, list: "IMMEDIATE", position: 1, text: s.title, ownerRole: "EXECUTIVE" } });
    expect(await as(executive, decideSignOffAction, { signOffId: s.id, value: "APPROVE" })).toMatchObject({ ok: true });
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: linked.id } })).toMatchObject({ state: "DONE", stateChangedById: executive.id, version: 2 });
    // Same words, no link: untouched.
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: unlinked.id } })).toMatchObject({ state: "OPEN", version: 1 });
    const events = await eventsOf(rolloutId);
    expect(events.map((e) => [e.action, e.targetId])).toEqual([
      ["signoff.approved", s.id],
      ["item.state.changed", linked.id],
    ]);
    expect(events[1]).toMatchObject({ actorId: executive.id, before: { state: "OPEN" }, after: { state: "DONE", completedBySignOffId: s.id } });
  });
});

describe("the activity feed", () => {
  it("shows a plan edit with what changed, before and after", async () => {
    const { rolloutId, admin } = await setup();
    const id = idOf(await as(admin, createPhaseAction, phaseForm(rolloutId, "Pilot")));
    expect(await as(admin, updatePhaseAction, { id, version: 1, name: "Pilot wave" })).toMatchObject({ ok: true });
    const rollout = await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    const page = await listActivity(actorOf(admin), rollout.slug);
    const en = (await import("@/lib/i18n/messages/en.json")).default as unknown as Record<string, unknown>;
    const { createTranslator } = await import("next-intl");
    const translate = createTranslator({ locale: "en", messages: en });
    const tr = (key: string, values?: Record<string, string | number>) => translate(key as never, values as never);
    const described = describeActivity(page.events[0], tr);
    expect(described.sentence).toBe(`${admin.name} changed the phase “Pilot wave”`);
    expect(described.details).toContain('name: "Pilot" → "Pilot wave"');
    expect(describeActivity(page.events[1], tr).sentence).toBe(`${admin.name} added the phase “Pilot wave”`);
  });
});

/** The criteria, contacts and milestones of a rollout and its audit event count: a refused call changes none of them. */
async function planExtras(rolloutId: string) {
  const where = { where: { rolloutId }, orderBy: { id: "asc" as const } };
  const [groups, criteria, contacts, milestones, events] = await Promise.all([
    t.db.criterionGroup.findMany(where),
    t.db.successCriterion.findMany(where),
    t.db.contact.findMany(where),
    t.db.milestone.findMany(where),
    t.db.auditEvent.count({ where: { rolloutId } }),
  ]);
  return { groups, criteria, contacts, milestones, events };
}

async function expectRefusedExtras(rolloutId: string, call: () => Promise<ActionResult<unknown>>, code: string, message?: RegExp) {
  const before = await planExtras(rolloutId);
  const result = await call();
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.code).toBe(code);
    if (message) expect(result.message).toMatch(message);
  }
  expect(await planExtras(rolloutId)).toEqual(before);
  return result;
}

describe("success criteria and their groups in the editor", () => {
  it("adds, renames and reorders groups; adds, rewords, reorders and moves criteria between groups, each on record", async () => {
    const { rolloutId, admin } = await setup();
    const launch = idOf(await as(admin, createCriterionGroupAction, { rolloutId, name: "Launch" }));
    const support = idOf(await as(admin, createCriterionGroupAction, { rolloutId, name: "Support" }));
    expect((await t.db.criterionGroup.findMany({ where: { rolloutId }, orderBy: { position: "asc" } })).map((g) => g.name)).toEqual(["Launch", "Support"]);

    expect(await as(admin, renameCriterionGroupAction, { id: support, version: 1, name: "Customer support" })).toMatchObject({ ok: true, data: { name: "Customer support", version: 2 } });
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "plan.criterionGroup.updated", targetType: "CriterionGroup", targetId: support, before: { name: "Support" }, after: { name: "Customer support" } });
    expect(await as(admin, moveCriterionGroupAction, { id: support, version: 2, direction: "up" })).toMatchObject({ ok: true });
    expect((await t.db.criterionGroup.findMany({ where: { rolloutId }, orderBy: { position: "asc" } })).map((g) => g.name)).toEqual(["Customer support", "Launch"]);

    const a = idOf(await as(admin, createCriterionAction, { rolloutId, groupId: launch, text: "Error rate below 1%" }));
    const b = idOf(await as(admin, createCriterionAction, { rolloutId, groupId: launch, text: "p95 latency under 300 ms" }));
    const c = idOf(await as(admin, createCriterionAction, { rolloutId, groupId: support, text: "Runbook reviewed" }));
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "plan.criterion.created", targetId: c, after: { text: "Runbook reviewed", group: "Customer support" } });
    expect(await as(admin, moveCriterionAction, { id: b, version: 1, direction: "up" })).toMatchObject({ ok: true });
    expect((await t.db.successCriterion.findMany({ where: { groupId: launch }, orderBy: { position: "asc" } })).map((x) => x.text)).toEqual(["p95 latency under 300 ms", "Error rate below 1%"]);

    // Reworded and moved to the other group: it goes to that group's end. (The swap above moved it too: version 2.)
    expect(await as(admin, updateCriterionAction, { id: a, version: 2, groupId: support, text: "Error rate below 0.5%" })).toMatchObject({ ok: true, data: { version: 3 } });
    expect((await t.db.successCriterion.findMany({ where: { groupId: support }, orderBy: { position: "asc" } })).map((x) => x.text)).toEqual(["Runbook reviewed", "Error rate below 0.5%"]);
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({
      action: "plan.criterion.moved",
      before: { text: "Error rate below 1%", group: "Launch" },
      after: { text: "Error rate below 0.5%", group: "Customer support" },
    });

    // The criteria page shows the rollout's own groups in their order.
    const { listCriteria } = await import("@/lib/dal/criteria-list");
    const rollout = await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    const list = await listCriteria(actorOf(admin), rollout.slug);
    expect(list.groups.map((g) => [g.group.name, g.criteria.map((x) => x.text)])).toEqual([
      ["Customer support", ["Runbook reviewed", "Error rate below 0.5%"]],
      ["Launch", ["p95 latency under 300 ms"]],
    ]);
  });

  it("refuses bad input, stale versions, a group of another rollout and moving past the end, changing nothing", async () => {
    const { rolloutId, admin } = await setup();
    const other = await createRollout(t.db);
    const foreignGroup = await t.db.criterionGroup.create({ data: { rolloutId: other.id, name: "Elsewhere", position: 0 } });
    const group = idOf(await as(admin, createCriterionGroupAction, { rolloutId, name: "Launch" }));
    const criterion = idOf(await as(admin, createCriterionAction, { rolloutId, groupId: group, text: "Dashboards green" }));
    await expectRefusedExtras(rolloutId, () => as(admin, createCriterionGroupAction, { rolloutId, name: "   " }), "INVALID_INPUT", /enter the name/);
    await expectRefusedExtras(rolloutId, () => as(admin, createCriterionGroupAction, { rolloutId, name: "x".repeat(201) }), "INVALID_INPUT", /at most 200/);
    await expectRefusedExtras(rolloutId, () => as(admin, createCriterionAction, { rolloutId, groupId: group, text: "" }), "INVALID_INPUT", /enter the text/);
    await expectRefusedExtras(rolloutId, () => as(admin, createCriterionAction, { rolloutId, groupId: group, text: "Nul\u0000here" }), "INVALID_INPUT");
    await expectRefusedExtras(rolloutId, () => as(admin, createCriterionAction, { rolloutId, groupId: foreignGroup.id, text: "Sneaky" }), "INVALID_INPUT", /another rollout/);
    await expectRefusedExtras(rolloutId, () => as(admin, updateCriterionAction, { id: criterion, version: 1, groupId: foreignGroup.id, text: "Sneaky" }), "INVALID_INPUT", /another rollout/);
    await expectRefusedExtras(rolloutId, () => as(admin, moveCriterionAction, { id: criterion, version: 1, direction: "down" }), "CONFLICT", /already last/);
    expect(await as(admin, renameCriterionGroupAction, { id: group, version: 1, name: "Go-live" })).toMatchObject({ ok: true });
    await expectRefusedExtras(rolloutId, () => as(admin, renameCriterionGroupAction, { id: group, version: 1, name: "From an old page" }), "STALE", /Someone else changed/);
    expect(await as(admin, updateCriterionAction, { id: criterion, version: 1, groupId: group, text: "Dashboards green for a day" })).toMatchObject({ ok: true });
    await expectRefusedExtras(rolloutId, () => as(admin, updateCriterionAction, { id: criterion, version: 1, groupId: group, text: "Old page" }), "STALE");
    await expectRefusedExtras(rolloutId, () => as(admin, deleteCriterionAction, { id: criterion, version: 1 }), "STALE");
  });

  it("never deletes a verification: a verified criterion, or a group holding one, stays until the verification is removed", async () => {
    const { rolloutId, admin } = await setup();
    const group = idOf(await as(admin, createCriterionGroupAction, { rolloutId, name: "Launch" }));
    const verified = idOf(await as(admin, createCriterionAction, { rolloutId, groupId: group, text: "Error budget intact" }));
    const plain = idOf(await as(admin, createCriterionAction, { rolloutId, groupId: group, text: "Docs published" }));
    await t.db.successCriterion.update({ where: { id: verified }, data: { verifiedAt: new Date(), verifiedById: admin.id, version: { increment: 1 } } });

    await expectRefusedExtras(rolloutId, () => as(admin, deleteCriterionAction, { id: verified, version: 2 }), "CONFLICT", /"Error budget intact" cannot be removed: it is verified/);
    await expectRefusedExtras(rolloutId, () => as(admin, deleteCriterionGroupAction, { id: group, version: 1 }), "CONFLICT", /1 of its criteria is verified/);

    expect(await as(admin, deleteCriterionAction, { id: plain, version: 1 })).toMatchObject({ ok: true });
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "plan.criterion.deleted", targetId: plain, before: { text: "Docs published", group: "Launch" } });

    // Once the verification is removed (on record, elsewhere), the group goes with its criteria, listed in the event.
    await t.db.successCriterion.update({ where: { id: verified }, data: { verifiedAt: null, verifiedById: null, version: { increment: 1 } } });
    expect(await as(admin, deleteCriterionGroupAction, { id: group, version: 1 })).toMatchObject({ ok: true });
    expect(await t.db.successCriterion.count({ where: { groupId: group } })).toBe(0);
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "plan.criterionGroup.deleted", before: { name: "Launch", criteria: ["Error budget intact"] } });
  });
});

describe("contacts in the editor", () => {
  it("adds contacts naming a built-in or a custom role; the contacts page lists the custom role's holders only", async () => {
    const { rolloutId, admin, devops } = await setup({ devops: ["DEVOPS"] });
    const qa = idOf(await as(admin, createCustomRoleAction, { rolloutId, name: "QA Lead", slug: "qa-lead", baseRole: "DEVOPS" }));
    const qaHolder = await createUser(t.db);
    await t.db.rolloutMember.create({ data: { rolloutId, userId: qaHolder.id, role: "DEVOPS", customRoleId: qa } });

    const tests = idOf(await as(admin, createContactAction, { rolloutId, topic: "Test plan", role: qa, roleLabel: "Quality lead", notes: "Weekdays" }));
    const infra = idOf(await as(admin, createContactAction, { rolloutId, topic: "Infrastructure", role: "DEVOPS", roleLabel: "" }));
    expect(await t.db.contact.findUniqueOrThrow({ where: { id: tests } })).toMatchObject({ role: "DEVOPS", customRoleId: qa, roleLabel: "Quality lead", notes: "Weekdays", position: 0 });
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "plan.contact.created", targetType: "Contact", targetId: infra, after: { topic: "Infrastructure", role: "DEVOPS", customRoleId: null, roleLabel: null } });

    const rollout = await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    const list = await listContacts(actorOf(admin), rollout.slug);
    expect(list.contacts.map((c) => [c.topic, c.customRole?.name ?? c.role, c.roleLabel, c.people.map((p) => p.id)])).toEqual([
      ["Test plan", "QA Lead", "Quality lead", [qaHolder.id]],
      ["Infrastructure", "DEVOPS", null, [devops.id]],
    ]);

    expect(await as(admin, moveContactAction, { id: infra, version: 1, direction: "up" })).toMatchObject({ ok: true });
    expect((await t.db.contact.findMany({ where: { rolloutId }, orderBy: { position: "asc" } })).map((c) => c.topic)).toEqual(["Infrastructure", "Test plan"]);
    expect(await as(admin, updateContactAction, { id: tests, version: 2, topic: "Test plan", role: "DEV_LEAD", roleLabel: "", notes: "" })).toMatchObject({ ok: true, data: { role: "DEV_LEAD", customRoleId: null, version: 3 } });
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "plan.contact.updated", before: { customRoleId: qa, roleLabel: "Quality lead" }, after: { role: "DEV_LEAD", customRoleId: null, roleLabel: null } });
    expect(await as(admin, deleteContactAction, { id: tests, version: 3 })).toMatchObject({ ok: true });
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "plan.contact.deleted", targetId: tests, before: { topic: "Test plan" } });
  });

  it("refuses a missing topic, a role the rollout does not have and a stale version, changing nothing", async () => {
    const { rolloutId, admin } = await setup();
    const other = await createRollout(t.db);
    const foreignRole = await t.db.rolloutRole.create({ data: { rolloutId: other.id, slug: "sre-lead", name: "SRE Lead", baseRole: "DEVOPS", position: 0 } });
    await expectRefusedExtras(rolloutId, () => as(admin, createContactAction, { rolloutId, topic: " ", role: "DBA" }), "INVALID_INPUT", /enter the topic/);
    await expectRefusedExtras(rolloutId, () => as(admin, createContactAction, { rolloutId, topic: "Database" }), "INVALID_INPUT", /Choose a role/);
    await expectRefusedExtras(rolloutId, () => as(admin, createContactAction, { rolloutId, topic: "Database", role: "WIZARD" }), "INVALID_INPUT", /not one of this rollout's roles/);
    await expectRefusedExtras(rolloutId, () => as(admin, createContactAction, { rolloutId, topic: "SRE", role: foreignRole.id }), "INVALID_INPUT", /not one of this rollout's roles/);
    await expectRefusedExtras(rolloutId, () => as(admin, createContactAction, { rolloutId, topic: "Database", role: "DBA", notes: "x".repeat(2001) }), "INVALID_INPUT", /notes can be at most 2000/);
    const id = idOf(await as(admin, createContactAction, { rolloutId, topic: "Database", role: "DBA" }));
    expect(await as(admin, updateContactAction, { id, version: 1, topic: "Databases", role: "DBA" })).toMatchObject({ ok: true });
    await expectRefusedExtras(rolloutId, () => as(admin, updateContactAction, { id, version: 1, topic: "Old page", role: "DBA" }), "STALE", /Someone else changed/);
    await expectRefusedExtras(rolloutId, () => as(admin, moveContactAction, { id, version: 2, direction: "up" }), "CONFLICT", /already first/);
    await expectRefusedExtras(rolloutId, () => as(admin, deleteContactAction, { id, version: 1 }), "STALE");
  });
});

describe("milestones in the editor", () => {
  it("adds, changes and removes milestones (date, end, phase, details) that the timeline shows in date order", async () => {
    const { rolloutId, admin } = await setup();
    const phase = idOf(await as(admin, createPhaseAction, phaseForm(rolloutId, "Pilot")));
    const late = idOf(await as(admin, createMilestoneAction, { rolloutId, label: "General availability", startsAt: "2027-03-01", endsAt: "", phaseId: "", details: "" }));
    const early = idOf(await as(admin, createMilestoneAction, { rolloutId, label: "Pilot window", startsAt: "2027-02-01", endsAt: "2027-02-07", phaseId: phase, details: "Ten teams\n\n  Rollback rehearsed  " }));
    expect(await t.db.milestone.findUniqueOrThrow({ where: { id: early } })).toMatchObject({ phaseId: phase, details: ["Ten teams", "Rollback rehearsed"], position: 1 });
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "plan.milestone.created", targetType: "Milestone", targetId: early, after: { label: "Pilot window", phaseId: phase } });

    const rollout = await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    const timeline = await getTimeline(actorOf(admin), rollout.slug);
    expect(timeline.milestones.map((m) => m.label)).toEqual(["Pilot window", "General availability"]);

    expect(await as(admin, updateMilestoneAction, { id: late, version: 1, label: "GA", startsAt: "2027-03-02", endsAt: "", phaseId: "", details: "" })).toMatchObject({ ok: true, data: { label: "GA", version: 2 } });
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "plan.milestone.updated", before: { label: "General availability" }, after: { label: "GA", startsAt: "2027-03-02T00:00:00.000Z" } });
    expect(await as(admin, deleteMilestoneAction, { id: late, version: 2 })).toMatchObject({ ok: true });
    expect(await t.db.milestone.count({ where: { rolloutId } })).toBe(1);
    expect((await eventsOf(rolloutId)).at(-1)).toMatchObject({ action: "plan.milestone.deleted", targetId: late, before: { label: "GA" } });
  });

  it("refuses a missing or malformed date, an end before the start, a phase of another rollout and a stale version", async () => {
    const { rolloutId, admin } = await setup();
    const other = await createRollout(t.db);
    const foreignPhase = await t.db.phase.create({ data: { rolloutId: other.id, position: 1, name: "Elsewhere" } });
    const base = { rolloutId, label: "Launch", endsAt: "", phaseId: "", details: "" };
    await expectRefusedExtras(rolloutId, () => as(admin, createMilestoneAction, { ...base, startsAt: "" }), "INVALID_INPUT", /enter the start date/);
    await expectRefusedExtras(rolloutId, () => as(admin, createMilestoneAction, { ...base, startsAt: "03/01/2027" }), "INVALID_INPUT", /YYYY-MM-DD/);
    await expectRefusedExtras(rolloutId, () => as(admin, createMilestoneAction, { ...base, startsAt: "2027-03-05", endsAt: "2027-03-01" }), "INVALID_INPUT", /cannot end before it starts/);
    await expectRefusedExtras(rolloutId, () => as(admin, createMilestoneAction, { ...base, label: "", startsAt: "2027-03-05" }), "INVALID_INPUT", /enter the name/);
    await expectRefusedExtras(rolloutId, () => as(admin, createMilestoneAction, { ...base, startsAt: "2027-03-05", phaseId: foreignPhase.id }), "INVALID_INPUT", /another rollout/);
    const id = idOf(await as(admin, createMilestoneAction, { ...base, startsAt: "2027-03-05" }));
    expect(await as(admin, updateMilestoneAction, { ...base, id, version: 1, startsAt: "2027-03-06" })).toMatchObject({ ok: true });
    await expectRefusedExtras(rolloutId, () => as(admin, updateMilestoneAction, { ...base, id, version: 1, startsAt: "2027-04-01" }), "STALE", /Someone else changed/);
    await expectRefusedExtras(rolloutId, () => as(admin, deleteMilestoneAction, { id, version: 1 }), "STALE");
  });
});

describe("an archived rollout's plan", () => {
  it("refuses every new kind of edit with the reason, changing nothing", async () => {
    const { rolloutId, admin } = await setup();
    const group = idOf(await as(admin, createCriterionGroupAction, { rolloutId, name: "Launch" }));
    const contact = idOf(await as(admin, createContactAction, { rolloutId, topic: "Database", role: "DBA" }));
    const milestone = idOf(await as(admin, createMilestoneAction, { rolloutId, label: "GA", startsAt: "2027-03-05" }));
    await setArchived(actorOf(admin), { rolloutId, version: 1, archived: true });
    for (const call of [
      () => as(admin, createCriterionGroupAction, { rolloutId, name: "More" }),
      () => as(admin, renameCriterionGroupAction, { id: group, version: 1, name: "Renamed" }),
      () => as(admin, createCriterionAction, { rolloutId, groupId: group, text: "New" }),
      () => as(admin, deleteCriterionGroupAction, { id: group, version: 1 }),
      () => as(admin, updateContactAction, { id: contact, version: 1, topic: "Databases", role: "DBA" }),
      () => as(admin, deleteContactAction, { id: contact, version: 1 }),
      () => as(admin, updateMilestoneAction, { id: milestone, version: 1, label: "Later", startsAt: "2027-04-05" }),
      () => as(admin, deleteMilestoneAction, { id: milestone, version: 1 }),
    ]) {
      await expectRefusedExtras(rolloutId, call, "CONFLICT", /archived/);
    }
  });
});

describe("the activity feed names the new kinds of plan edit", () => {
  it("says what was added: a criteria group, a criterion, a contact, a milestone", async () => {
    const { rolloutId, admin } = await setup();
    const group = idOf(await as(admin, createCriterionGroupAction, { rolloutId, name: "Launch" }));
    idOf(await as(admin, createCriterionAction, { rolloutId, groupId: group, text: "Error rate below 1%" }));
    idOf(await as(admin, createContactAction, { rolloutId, topic: "Database", role: "DBA" }));
    idOf(await as(admin, createMilestoneAction, { rolloutId, label: "GA", startsAt: "2027-03-05" }));
    const rollout = await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    const page = await listActivity(actorOf(admin), rollout.slug);
    const en = (await import("@/lib/i18n/messages/en.json")).default as unknown as Record<string, unknown>;
    const { createTranslator } = await import("next-intl");
    const translate = createTranslator({ locale: "en", messages: en });
    const tr = (key: string, values?: Record<string, string | number>) => translate(key as never, values as never);
    expect(page.events.slice(0, 4).map((e) => describeActivity(e, tr).sentence)).toEqual([
      `${admin.name} added the milestone “GA”`,
      `${admin.name} added the contact “Database”`,
      `${admin.name} added the success criterion “Error rate below 1%”`,
      `${admin.name} added the criteria group “Launch”`,
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as plan from "@/lib/actions/plan";
import { decideSignOffAction, transitionPhaseAction } from "@/lib/actions/workflows";
import type { Role } from "@/lib/generated/prisma/enums";
import type { ActionResult } from "@/lib/server/action";
import { createRollout, createUser, unique } from "./helpers/factories";
import { sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// Who may edit the plan (its phases, items, sign-offs, documents, reading lists, success
// criteria and their groups, contacts and milestones), manage its custom roles, reopen a phase and decide a sign-off by
// its approver roles — written out by hand from the issue's rules, not derived from the
// permission table. Every caller tries every action on rollout A: its ten built-in roles,
// the holder of A's custom "QA Lead" (base DevOps), an instance admin who is no member of A,
// the admin of rollout B, a member of B holding every role there, and someone signed out.
// A refused call must change nothing and write no audit event; an allowed one writes its event.

const EXPECTED = `
action               EXEC DEVL OPSM DEVO DBA  DATA SECO FIN  ADM  VIEW QA   IADM BADM BMEM OUT
phase.create         .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
phase.update         .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
phase.move           .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
phase.delete         .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
phase.reopen         ✓    ✓    .    .    .    .    .    .    .    .    .    .    .    .    .
item.create          .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
item.update          .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
item.move            .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
item.delete          .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
signOff.create       .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
signOff.update       .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
signOff.delete       .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
document.create      .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
document.update      .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
document.delete      .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
reading.create       .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
reading.update       .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
reading.move         .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
reading.delete       .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
group.create         .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
group.rename         .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
group.move           .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
group.delete         .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
criterion.create     .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
criterion.update     .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
criterion.move       .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
criterion.delete     .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
contact.create       .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
contact.update       .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
contact.move         .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
contact.delete       .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
milestone.create     .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
milestone.update     .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
milestone.delete     .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
role.create          .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
role.rename          .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
role.delete          .    .    .    .    .    .    .    .    ✓    .    .    .    .    .    .
decide.dbaOrQaLead   .    .    .    .    ✓    .    .    .    .    .    ✓    .    .    .    .
decide.qaLeadOnly    .    .    .    .    .    .    .    .    .    .    ✓    .    .    .    .
decide.devops        .    .    .    ✓    .    .    .    .    .    .    .    .    .    .    .
`;

const BUILT_IN: Record<string, Role> = {
  EXEC: "EXECUTIVE",
  DEVL: "DEV_LEAD",
  OPSM: "OPS_MANAGER",
  DEVO: "DEVOPS",
  DBA: "DBA",
  DATA: "DATA_ENGINEER",
  SECO: "SECURITY_OFFICER",
  FIN: "FINANCE",
  ADM: "ADMIN",
  VIEW: "VIEWER",
};
const ALL_ROLES = Object.values(BUILT_IN);

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

type User = Awaited<ReturnType<typeof createUser>>;
type FormAction = (prev: ActionResult<unknown> | undefined, formData: FormData) => Promise<ActionResult<unknown>>;
type Values = Record<string, string | number | string[]>;

function form(values: Values): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) for (const v of Array.isArray(value) ? value : [value]) data.append(key, String(v));
  return data;
}

const cookies = new Map<string, Promise<string>>();
async function call(user: User | null, action: FormAction, values: Values) {
  if (user && !cookies.has(user.id)) cookies.set(user.id, sessionCookie(user));
  setRequest({ cookie: user ? await cookies.get(user.id)! : null });
  return action(undefined, form(values));
}

type World = { rolloutId: string; qaRoleId: string; callers: Record<string, User | null> };

async function world(): Promise<World> {
  const a = await createRollout(t.db);
  const b = await createRollout(t.db);
  const qa = await t.db.rolloutRole.create({ data: { rolloutId: a.id, slug: "qa-lead", name: "QA Lead", baseRole: "DEVOPS", position: 0 } });
  const callers: Record<string, User | null> = {};
  for (const [code, role] of Object.entries(BUILT_IN)) callers[code] = await createUser(t.db, { rolloutId: a.id, roles: [role] });
  callers.QA = await createUser(t.db);
  await t.db.rolloutMember.create({ data: { rolloutId: a.id, userId: callers.QA.id, role: "DEVOPS", customRoleId: qa.id } });
  const instanceAdmin = await createUser(t.db);
  callers.IADM = await t.db.user.update({ where: { id: instanceAdmin.id }, data: { isInstanceAdmin: true, canCreateRollouts: true } });
  callers.BADM = await createUser(t.db, { rolloutId: b.id, roles: ["ADMIN"] });
  callers.BMEM = await createUser(t.db, { rolloutId: b.id, roles: ALL_ROLES });
  callers.OUT = null;
  return { rolloutId: a.id, qaRoleId: qa.id, callers };
}

/** Fresh targets in rollout A for one call, so an allowed call never depends on an earlier one. */
async function targets(w: World) {
  const { rolloutId } = w;
  const base = (await t.db.phase.count({ where: { rolloutId } })) + 1;
  const phase = await t.db.phase.create({ data: { rolloutId, position: base, name: unique("Phase") } });
  const next = await t.db.phase.create({ data: { rolloutId, position: base + 1, name: unique("Phase") } });
  const done = await t.db.phase.create({ data: { rolloutId, position: base + 2, name: unique("Phase"), status: "DONE", actualStart: new Date(), actualEnd: new Date() } });
  const item = await t.db.checklistItem.create({ data: { rolloutId, phaseId: phase.id, list: "PHASE", position: 0, text: unique("Item") } });
  const second = await t.db.checklistItem.create({ data: { rolloutId, phaseId: phase.id, list: "PHASE", position: 1, text: unique("Item") } });
  const signOff = await t.db.signOff.create({ data: { rolloutId, phaseId: phase.id, position: 0, kind: "COMPLIANCE", title: unique("Sign-off"), requiredRoles: ["EXECUTIVE"] } });
  const mk = (data: { requiredRoles: Role[]; requiredCustomRoleIds: string[] }) =>
    t.db.signOff.create({ data: { rolloutId, position: 1, kind: "GO_NO_GO", title: unique("Decision"), ...data } });
  const dbaOrQa = await mk({ requiredRoles: ["DBA"], requiredCustomRoleIds: [w.qaRoleId] });
  const qaOnly = await mk({ requiredRoles: [], requiredCustomRoleIds: [w.qaRoleId] });
  const devops = await mk({ requiredRoles: ["DEVOPS"], requiredCustomRoleIds: [] });
  const document = await t.db.document.create({ data: { rolloutId, key: unique("doc"), title: unique("Runbook") } });
  const roleKey = unique("list");
  const spare = await t.db.rolloutRole.create({ data: { rolloutId, slug: roleKey, name: roleKey, baseRole: "DBA", position: 1 + (await t.db.rolloutRole.count({ where: { rolloutId } })) } });
  const entry = await t.db.readingListEntry.create({ data: { rolloutId, role: "DBA", customRoleId: spare.id, documentId: document.id, position: 0, minutes: 10 } });
  const entry2 = await t.db.readingListEntry.create({ data: { rolloutId, role: "DBA", customRoleId: spare.id, documentId: document.id, position: 1, minutes: 10 } });
  const unused = await t.db.rolloutRole.create({ data: { rolloutId, slug: unique("unused"), name: unique("Unused"), baseRole: "DBA", position: 100 + (await t.db.rolloutRole.count({ where: { rolloutId } })) } });
  const groupBase = 1 + ((await t.db.criterionGroup.aggregate({ where: { rolloutId }, _max: { position: true } }))._max.position ?? 0);
  const group = await t.db.criterionGroup.create({ data: { rolloutId, name: unique("Group"), position: groupBase } });
  const group2 = await t.db.criterionGroup.create({ data: { rolloutId, name: unique("Group"), position: groupBase + 1 } });
  const criterion = await t.db.successCriterion.create({ data: { rolloutId, groupId: group.id, position: 0, text: unique("Criterion") } });
  const criterion2 = await t.db.successCriterion.create({ data: { rolloutId, groupId: group.id, position: 1, text: unique("Criterion") } });
  const contactBase = 1 + ((await t.db.contact.aggregate({ where: { rolloutId }, _max: { position: true } }))._max.position ?? 0);
  const contact = await t.db.contact.create({ data: { rolloutId, position: contactBase, topic: unique("Topic"), role: "DBA" } });
  const contact2 = await t.db.contact.create({ data: { rolloutId, position: contactBase + 1, topic: unique("Topic"), role: "DEVOPS", customRoleId: w.qaRoleId } });
  const milestone = await t.db.milestone.create({ data: { rolloutId, key: unique("ms"), position: 0, label: unique("Milestone"), startsAt: new Date("2027-03-01T00:00:00Z") } });
  return { phase, next, done, item, second, signOff, dbaOrQa, qaOnly, devops, document, entry, entry2, unused, group, group2, criterion, criterion2, contact, contact2, milestone };
}

type Targets = Awaited<ReturnType<typeof targets>>;
const ACTIONS: Record<string, (w: World, x: Targets) => [FormAction, Values]> = {
  "phase.create": (w) => [plan.createPhaseAction, { rolloutId: w.rolloutId, name: "New phase" }],
  "phase.update": (_w, x) => [plan.updatePhaseAction, { id: x.phase.id, version: 1, name: "Renamed" }],
  "phase.move": (_w, x) => [plan.movePhaseAction, { id: x.next.id, version: 1, direction: "up" }],
  "phase.delete": (_w, x) => [plan.deletePhaseAction, { id: x.next.id, version: 1 }],
  "phase.reopen": (_w, x) => [transitionPhaseAction, { phaseId: x.done.id, version: 1, transition: "reopen", reason: "One more check" }],
  "item.create": (w, x) => [plan.createItemAction, { rolloutId: w.rolloutId, list: "PHASE", phaseId: x.phase.id, text: "New item" }],
  "item.update": (_w, x) => [plan.updateItemAction, { id: x.item.id, version: 1, list: "PHASE", phaseId: x.phase.id, text: "Reworded" }],
  "item.move": (_w, x) => [plan.moveItemAction, { id: x.second.id, version: 1, direction: "up" }],
  "item.delete": (_w, x) => [plan.deleteItemAction, { id: x.item.id, version: 1 }],
  "signOff.create": (w, x) => [plan.createSignOffAction, { rolloutId: w.rolloutId, phaseId: x.phase.id, title: "New", kind: "COMPLIANCE", approvers: ["DBA", w.qaRoleId], rule: "count", approvalsNeeded: 1 }],
  "signOff.update": (w, x) => [plan.updateSignOffAction, { id: x.signOff.id, version: 1, phaseId: x.phase.id, title: "Changed", kind: "COMPLIANCE", approvers: "EXECUTIVE", rule: "count", approvalsNeeded: 1 }],
  "signOff.delete": (_w, x) => [plan.deleteSignOffAction, { id: x.signOff.id, version: 1 }],
  "document.create": (w) => [plan.createDocumentAction, { rolloutId: w.rolloutId, title: "New document", path: "docs/new.md" }],
  "document.update": (_w, x) => [plan.updateDocumentAction, { id: x.document.id, version: 1, title: "Changed", path: "docs/changed.md" }],
  "document.delete": (_w, x) => [plan.deleteDocumentAction, { id: x.document.id, version: 1 }],
  "reading.create": (w, x) => [plan.createReadingEntryAction, { rolloutId: w.rolloutId, role: w.qaRoleId, documentId: x.document.id, minutes: 5 }],
  "reading.update": (_w, x) => [plan.updateReadingEntryAction, { id: x.entry.id, version: 1, minutes: 25 }],
  "reading.move": (_w, x) => [plan.moveReadingEntryAction, { id: x.entry2.id, version: 1, direction: "up" }],
  "reading.delete": (_w, x) => [plan.deleteReadingEntryAction, { id: x.entry.id, version: 1 }],
  "group.create": (w) => [plan.createCriterionGroupAction, { rolloutId: w.rolloutId, name: "New group" }],
  "group.rename": (_w, x) => [plan.renameCriterionGroupAction, { id: x.group.id, version: 1, name: "Renamed group" }],
  "group.move": (_w, x) => [plan.moveCriterionGroupAction, { id: x.group2.id, version: 1, direction: "up" }],
  "group.delete": (_w, x) => [plan.deleteCriterionGroupAction, { id: x.group.id, version: 1 }],
  "criterion.create": (w, x) => [plan.createCriterionAction, { rolloutId: w.rolloutId, groupId: x.group.id, text: "New criterion" }],
  "criterion.update": (_w, x) => [plan.updateCriterionAction, { id: x.criterion.id, version: 1, groupId: x.group2.id, text: "Reworded criterion" }],
  "criterion.move": (_w, x) => [plan.moveCriterionAction, { id: x.criterion2.id, version: 1, direction: "up" }],
  "criterion.delete": (_w, x) => [plan.deleteCriterionAction, { id: x.criterion.id, version: 1 }],
  "contact.create": (w) => [plan.createContactAction, { rolloutId: w.rolloutId, topic: "Test plan", role: w.qaRoleId, roleLabel: "QA" }],
  "contact.update": (_w, x) => [plan.updateContactAction, { id: x.contact.id, version: 1, topic: "Databases", role: "DBA" }],
  "contact.move": (_w, x) => [plan.moveContactAction, { id: x.contact2.id, version: 1, direction: "up" }],
  "contact.delete": (_w, x) => [plan.deleteContactAction, { id: x.contact.id, version: 1 }],
  "milestone.create": (w, x) => [plan.createMilestoneAction, { rolloutId: w.rolloutId, label: "Launch day", startsAt: "2027-04-01", phaseId: x.phase.id }],
  "milestone.update": (_w, x) => [plan.updateMilestoneAction, { id: x.milestone.id, version: 1, label: "Launch moved", startsAt: "2027-04-08" }],
  "milestone.delete": (_w, x) => [plan.deleteMilestoneAction, { id: x.milestone.id, version: 1 }],
  "role.create": (w) => [plan.createCustomRoleAction, { rolloutId: w.rolloutId, name: unique("SRE Lead"), slug: unique("sre"), baseRole: "DEVOPS" }],
  "role.rename": (_w, x) => [plan.renameCustomRoleAction, { roleId: x.unused.id, version: 1, name: unique("Renamed") }],
  "role.delete": (_w, x) => [plan.deleteCustomRoleAction, { id: x.unused.id, version: 1 }],
  "decide.dbaOrQaLead": (_w, x) => [decideSignOffAction, { signOffId: x.dbaOrQa.id, value: "APPROVE" }],
  "decide.qaLeadOnly": (_w, x) => [decideSignOffAction, { signOffId: x.qaOnly.id, value: "APPROVE" }],
  "decide.devops": (_w, x) => [decideSignOffAction, { signOffId: x.devops.id, value: "APPROVE" }],
};

/** Every row of rollout A that an action could touch, and its audit event count. */
async function stateOf(rolloutId: string) {
  const where = { where: { rolloutId } };
  const [phases, items, signOffs, documents, reading, roles, members, decisions, groups, criteria, contacts, milestones, events] = await Promise.all([
    t.db.phase.findMany({ ...where, orderBy: { id: "asc" } }),
    t.db.checklistItem.findMany({ ...where, orderBy: { id: "asc" } }),
    t.db.signOff.findMany({ ...where, orderBy: { id: "asc" } }),
    t.db.document.findMany({ ...where, orderBy: { id: "asc" } }),
    t.db.readingListEntry.findMany({ ...where, orderBy: { id: "asc" } }),
    t.db.rolloutRole.findMany({ ...where, orderBy: { id: "asc" } }),
    t.db.rolloutMember.findMany({ ...where, orderBy: { id: "asc" } }),
    t.db.signOffDecision.findMany({ where: { signOff: { rolloutId } }, orderBy: { id: "asc" } }),
    t.db.criterionGroup.findMany({ ...where, orderBy: { id: "asc" } }),
    t.db.successCriterion.findMany({ ...where, orderBy: { id: "asc" } }),
    t.db.contact.findMany({ ...where, orderBy: { id: "asc" } }),
    t.db.milestone.findMany({ ...where, orderBy: { id: "asc" } }),
    t.db.auditEvent.count(where),
  ]);
  return { phases, items, signOffs, documents, reading, roles, members, decisions, groups, criteria, contacts, milestones, events };
}

function parseExpected(): { callers: string[]; rows: Map<string, string[]> } {
  const [header, ...lines] = EXPECTED.trim().split("\n").map((l) => l.trim().split(/\s+/));
  return { callers: header.slice(1), rows: new Map(lines.map(([action, ...cells]) => [action, cells])) };
}

describe("plan editing, custom roles, reopening and deciding: who may do what", () => {
  it("has a row for every action it tries and a column for every caller", () => {
    const { callers, rows } = parseExpected();
    expect([...rows.keys()].sort()).toEqual(Object.keys(ACTIONS).sort());
    expect(callers).toEqual([...Object.keys(BUILT_IN), "QA", "IADM", "BADM", "BMEM", "OUT"]);
    for (const cells of rows.values()) expect(cells).toHaveLength(callers.length);
  });

  it("matches the table, and a refused call changes nothing and writes no audit event", async () => {
    const w = await world();
    const { callers, rows } = parseExpected();
    const actual: string[] = [];
    const problems: string[] = [];
    const json = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    for (const [action, cells] of rows) {
      const got: string[] = [];
      // Targets are made afresh after every allowed call (which changed them); refused calls
      // leave them as they were, which is what the check below proves.
      let x = await targets(w);
      let before = await stateOf(w.rolloutId);
      for (const [index, code] of callers.entries()) {
        const [fn, values] = ACTIONS[action](w, x);
        const result = await call(w.callers[code], fn, values);
        const after = await stateOf(w.rolloutId);
        if (result.ok) {
          got.push("✓");
          if (after.events <= before.events) problems.push(`${action} by ${code}: allowed but wrote no audit event`);
          x = await targets(w);
          before = await stateOf(w.rolloutId);
        } else {
          got.push(["FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"].includes(result.code) ? "." : `?${result.code}`);
          if (json(after) !== json(before)) problems.push(`${action} by ${code}: refused (${result.code}) but something changed`);
        }
        if (got[index] !== cells[index]) problems.push(`${action} by ${code}: expected ${cells[index]}, got ${got[index]}${result.ok ? "" : ` (${result.code}: ${result.message})`}`);
      }
      actual.push(`${action} ${got.join(" ")}`);
    }
    expect(problems).toEqual([]);
    expect(actual).toHaveLength(rows.size);
  }, 600_000);
});

import { createHash } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ActionResult } from "@/lib/server/action";
import { seedSampleRollout } from "@/prisma/seed";
import { createUser } from "./helpers/factories";
import { ORIGIN, sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// What an outside fuzzer sent to the production build, sent here to every server action
// directly (the real origin, session and validation run): NUL characters in any text or
// id, numbers past Postgres' int4, dates out of range, overlong text, and payloads that
// are not forms at all. Each must be refused with a specific message (never an exception,
// which Next turns into a 500), and nothing may change: no audit event, no row touched.

let t: TestDb;
let rolloutId: string;
type User = Awaited<ReturnType<typeof createUser>>;
const people = {} as Record<"exec" | "admin" | "ops" | "security", User>;
const ids = {} as { decision: string; item: string; itemVersion: number; signOff: string; renameSignOff: string; renameVersion: number; phase: string; phaseVersion: number; criterion: string; criterionVersion: number; entry: string };

beforeAll(async () => {
  t = await createTestDb();
  const rollout = await seedSampleRollout(t.db, { passwordHash: "x", anchor: new Date("2027-05-03T12:00:00Z"), slug: "fuzz" });
  rolloutId = rollout.id;
  people.exec = await createUser(t.db, { rolloutId, roles: ["EXECUTIVE"] });
  people.admin = await createUser(t.db, { rolloutId, roles: ["ADMIN"] });
  people.ops = await createUser(t.db, { rolloutId, roles: ["OPS_MANAGER"] });
  people.security = await createUser(t.db, { rolloutId, roles: ["SECURITY_OFFICER"] });
  const item = await t.db.checklistItem.findFirstOrThrow({ where: { rolloutId, ownerRole: "OPS_MANAGER", state: "OPEN" } });
  const signOff = await t.db.signOff.findFirstOrThrow({ where: { rolloutId, kind: "GO_NO_GO" } });
  const phase = await t.db.phase.findFirstOrThrow({ where: { rolloutId, position: 1 } });
  const criterion = await t.db.successCriterion.findFirstOrThrow({ where: { rolloutId } });
  const entry = await t.db.readingListEntry.findFirstOrThrow({ where: { rolloutId, role: "OPS_MANAGER" } });
  // Someone else's standing decision, for the admin's withdrawal.
  const financier = await createUser(t.db, { rolloutId, roles: ["FINANCE"] });
  const decision = await t.db.signOffDecision.create({ data: { signOffId: signOff.id, userId: financier.id, role: "FINANCE", value: "APPROVE" } });
  Object.assign(ids, {
    item: item.id,
    itemVersion: item.version,
    signOff: signOff.id,
    renameSignOff: signOff.id,
    renameVersion: signOff.version,
    phase: phase.id,
    phaseVersion: phase.version,
    criterion: criterion.id,
    criterionVersion: criterion.version,
    entry: entry.id,
    decision: decision.id,
  });
});
afterAll(async () => t?.close());

type Action = (prev: ActionResult | undefined, input: unknown) => Promise<ActionResult<unknown>>;
type Case = {
  name: string;
  as: keyof typeof people;
  action: () => Promise<Action>;
  /** A valid input: the fuzzer changes one field of it. */
  valid: () => Record<string, string | string[]>;
  /** The fields that carry free text or ids. */
  text: string[];
  /** The fields that are one of a few values, and what their refusal says. */
  choices?: Record<string, string>;
};

const workflows = () => import("@/lib/actions/workflows");
const users = () => import("@/lib/actions/users");
const ledger = () => import("@/lib/actions/ledger");
const apiTokens = () => import("@/lib/actions/api-tokens");
const webhooks = () => import("@/lib/actions/webhooks");

const CASES: Case[] = [
  { name: "updateItemStateAction", as: "ops", action: async () => (await workflows()).updateItemStateAction, valid: () => ({ itemId: ids.item, version: String(ids.itemVersion), state: "DONE", evidence: "ok", reason: "" }), text: ["itemId", "evidence", "reason"], choices: { state: "Choose open, done or not applicable." } },
  { name: "updateItemDetailsAction", as: "ops", action: async () => (await workflows()).updateItemDetailsAction, valid: () => ({ itemId: ids.item, version: String(ids.itemVersion), assigneeId: "", dueAt: "2027-06-01" }), text: ["itemId", "assigneeId", "dueAt"] },
  { name: "decideSignOffAction", as: "exec", action: async () => (await workflows()).decideSignOffAction, valid: () => ({ signOffId: ids.signOff, value: "APPROVE", comment: "fine" }), text: ["signOffId", "comment"], choices: { value: "Choose approve or reject." } },
  { name: "withdrawDecisionAction", as: "exec", action: async () => (await workflows()).withdrawDecisionAction, valid: () => ({ signOffId: ids.signOff }), text: ["signOffId"] },
  { name: "withdrawOthersDecisionAction", as: "admin", action: async () => (await workflows()).withdrawOthersDecisionAction, valid: () => ({ decisionId: ids.decision, reason: "Approved on the old figures" }), text: ["decisionId", "reason"] },
  { name: "transitionPhaseAction", as: "exec", action: async () => (await workflows()).transitionPhaseAction, valid: () => ({ phaseId: ids.phase, version: String(ids.phaseVersion), transition: "start", reason: "go" }), text: ["phaseId", "reason"], choices: { transition: "Unknown phase change." } },
  { name: "markReadAction", as: "ops", action: async () => (await workflows()).markReadAction, valid: () => ({ entryId: ids.entry, read: "true" }), text: ["entryId"], choices: { read: "Choose read or unread." } },
  { name: "verifyCriterionAction", as: "exec", action: async () => (await workflows()).verifyCriterionAction, valid: () => ({ criterionId: ids.criterion, version: String(ids.criterionVersion), verified: "true", note: "seen" }), text: ["criterionId", "note"], choices: { verified: "Choose verified or not." } },
  { name: "renameSignOffAction", as: "admin", action: async () => (await workflows()).renameSignOffAction, valid: () => ({ signOffId: ids.renameSignOff, version: String(ids.renameVersion), title: "Renamed" }), text: ["signOffId", "title"] },
  { name: "createUserAction", as: "admin", action: async () => (await users()).createUserAction, valid: () => ({ email: "fuzz.new@example.test", name: "New Person", password: "a long enough passphrase", rolloutId, roles: ["VIEWER"] }), text: ["email", "name", "password", "rolloutId"], choices: { roles: "Unknown role." } },
  { name: "setMemberRolesAction", as: "admin", action: async () => (await users()).setMemberRolesAction, valid: () => ({ userId: people.ops.id, rolloutId, roles: ["OPS_MANAGER", "VIEWER"] }), text: ["userId", "rolloutId"], choices: { roles: "Unknown role." } },
  { name: "setUserActiveAction", as: "admin", action: async () => (await users()).setUserActiveAction, valid: () => ({ userId: people.security.id, active: "false" }), text: ["userId"], choices: { active: "Choose activate or deactivate." } },
  { name: "changePasswordAction", as: "ops", action: async () => (await users()).changePasswordAction, valid: () => ({ currentPassword: "correct horse battery staple", newPassword: "another long passphrase", confirmPassword: "another long passphrase" }), text: ["currentPassword", "newPassword", "confirmPassword"] },
  { name: "checkDigestAction", as: "exec", action: async () => (await ledger()).checkDigestAction, valid: () => ({ rolloutId, digest: "{}" }), text: ["rolloutId", "digest"] },
  { name: "createCalendarTokenAction", as: "ops", action: async () => (await ledger()).createCalendarTokenAction, valid: () => ({ rolloutId }), text: ["rolloutId"] },
  { name: "revokeCalendarTokenAction", as: "ops", action: async () => (await ledger()).revokeCalendarTokenAction, valid: () => ({ rolloutId }), text: ["rolloutId"] },
  { name: "createPersonalTokenAction", as: "ops", action: async () => (await apiTokens()).createPersonalTokenAction, valid: () => ({ name: "pipeline", scopes: ["read"], expiresInDays: "30" }), text: ["name"], choices: { scopes: "Unknown scope: use read, items:write, signoffs:decide, criteria:verify, plan:write or admin." } },
  { name: "revokePersonalTokenAction", as: "ops", action: async () => (await apiTokens()).revokePersonalTokenAction, valid: () => ({ tokenId: "no-such-token" }), text: ["tokenId"] },
  { name: "createServiceAccountAction", as: "admin", action: async () => (await apiTokens()).createServiceAccountAction, valid: () => ({ rolloutId, name: "Deploy bot", roles: ["DEVOPS"], scopes: ["items:write"], expiresInDays: "30" }), text: ["rolloutId", "name"], choices: { roles: "Unknown role.", scopes: "Unknown scope: use read, items:write, signoffs:decide, criteria:verify, plan:write or admin." } },
  { name: "revokeServiceTokenAction", as: "admin", action: async () => (await apiTokens()).revokeServiceTokenAction, valid: () => ({ rolloutId, tokenId: "no-such-token" }), text: ["rolloutId", "tokenId"] },
  { name: "createWebhookAction", as: "admin", action: async () => (await webhooks()).createWebhookAction, valid: () => ({ rolloutId, url: "https://93.184.215.14/hook", events: "item.state.changed" }), text: ["rolloutId", "url", "events"] },
  { name: "deleteWebhookAction", as: "admin", action: async () => (await webhooks()).deleteWebhookAction, valid: () => ({ rolloutId, webhookId: "no-such-webhook" }), text: ["rolloutId", "webhookId"] },
  { name: "disableWebhookAction", as: "admin", action: async () => (await webhooks()).disableWebhookAction, valid: () => ({ rolloutId, webhookId: "no-such-webhook" }), text: ["rolloutId", "webhookId"] },
  { name: "enableWebhookAction", as: "admin", action: async () => (await webhooks()).enableWebhookAction, valid: () => ({ rolloutId, webhookId: "no-such-webhook" }), text: ["rolloutId", "webhookId"] },
  { name: "resendDeliveryAction", as: "admin", action: async () => (await webhooks()).resendDeliveryAction, valid: () => ({ rolloutId, deliveryId: "no-such-delivery" }), text: ["rolloutId", "deliveryId"] },
  { name: "setLocale", as: "ops", action: async () => (await import("@/lib/actions/locale")).setLocale, valid: () => ({ locale: "pt-BR" }), text: [], choices: { locale: "Unsupported language." } },
];

// The plan editor's actions (lib/actions/plan.ts) and the import page's (lib/actions/import.ts):
// the same NUL and overlong checks. Their inputs are valid to zod (ids need not exist: every
// refusal here happens before the data layer is asked).
const plan = () => import("@/lib/actions/plan");
const importing = () => import("@/lib/actions/import");
type PlanActions = Awaited<ReturnType<typeof plan>>;
const editor = (name: keyof PlanActions) => async () => (await plan())[name] as unknown as Action;
const DIRECTION = { direction: "Choose up or down." };
const phaseFields = { name: "Cut-over", goal: "Traffic on the new cluster", window: "Week 3", plannedStart: "2027-06-01", plannedEnd: "2027-06-05", optional: "on" };
const phaseText = ["name", "goal", "window", "plannedStart", "plannedEnd"];
const itemFields = { text: "Switch DNS", list: "PHASE", phaseId: "phase-x", ownerRole: "DEVOPS", assigneeId: "user-x", dueAt: "2027-06-02", signOffId: "signoff-x" };
const itemText = ["text", "phaseId", "ownerRole", "assigneeId", "dueAt", "signOffId"];
const signOffFields = { title: "Go live", kind: "BUDGET", phaseId: "phase-x", description: "The launch", approvers: ["EXECUTIVE", "FINANCE"], rule: "count", approvalsNeeded: "1", dueAt: "2027-06-03", amount: "1500.50", currency: "USD", requiredForGate: "on" };
const signOffText = ["title", "phaseId", "description", "dueAt", "amount", "currency"];
const signOffChoices = { kind: "Choose the kind of sign-off.", rule: "Choose how approvals count: a number of approvals, or every listed role." };
const documentFields = { title: "Runbook", path: "docs/runbook.md", body: "# Runbook" };
const contactFields = { topic: "Database", role: "DBA", roleLabel: "Database team", notes: "On call" };
const milestoneFields = { label: "Go live", startsAt: "2027-06-10", endsAt: "2027-06-11", phaseId: "phase-x", details: "one\ntwo" };
const milestoneText = ["label", "startsAt", "endsAt", "phaseId", "details"];
const row = { id: "row-x", version: "1" };
const moveRow = { ...row, direction: "up" };
const PLAN_TEXT = "# Imported\n\n## Phase 1: Preparation\n\n- [ ] Prepare the servers\n";

const EDITOR_CASES: Case[] = [
  { name: "createCustomRoleAction", as: "admin", action: editor("createCustomRoleAction"), valid: () => ({ rolloutId, name: "QA Lead", slug: "qa-lead", baseRole: "DEV_LEAD" }), text: ["rolloutId", "name", "slug"], choices: { baseRole: "Choose the built-in role whose rights this role takes." } },
  { name: "renameCustomRoleAction", as: "admin", action: editor("renameCustomRoleAction"), valid: () => ({ roleId: "role-x", version: "1", name: "QA" }), text: ["roleId", "name"] },
  { name: "deleteCustomRoleAction", as: "admin", action: editor("deleteCustomRoleAction"), valid: () => row, text: ["id"] },
  { name: "createPhaseAction", as: "admin", action: editor("createPhaseAction"), valid: () => ({ rolloutId, ...phaseFields }), text: ["rolloutId", ...phaseText] },
  { name: "updatePhaseAction", as: "admin", action: editor("updatePhaseAction"), valid: () => ({ ...row, ...phaseFields }), text: ["id", ...phaseText] },
  { name: "movePhaseAction", as: "admin", action: editor("movePhaseAction"), valid: () => moveRow, text: ["id"], choices: DIRECTION },
  { name: "deletePhaseAction", as: "admin", action: editor("deletePhaseAction"), valid: () => row, text: ["id"] },
  { name: "createItemAction", as: "admin", action: editor("createItemAction"), valid: () => ({ rolloutId, ...itemFields }), text: ["rolloutId", ...itemText], choices: { list: "Choose the list: a phase, this week, or the next 24 hours." } },
  { name: "updateItemAction", as: "admin", action: editor("updateItemAction"), valid: () => ({ ...row, ...itemFields }), text: ["id", ...itemText] },
  { name: "moveItemAction", as: "admin", action: editor("moveItemAction"), valid: () => moveRow, text: ["id"], choices: DIRECTION },
  { name: "deleteItemAction", as: "admin", action: editor("deleteItemAction"), valid: () => row, text: ["id"] },
  { name: "createSignOffAction", as: "admin", action: editor("createSignOffAction"), valid: () => ({ rolloutId, ...signOffFields }), text: ["rolloutId", ...signOffText], choices: signOffChoices },
  { name: "updateSignOffAction", as: "admin", action: editor("updateSignOffAction"), valid: () => ({ ...row, ...signOffFields }), text: ["id", ...signOffText], choices: signOffChoices },
  { name: "deleteSignOffAction", as: "admin", action: editor("deleteSignOffAction"), valid: () => row, text: ["id"] },
  { name: "createDocumentAction", as: "admin", action: editor("createDocumentAction"), valid: () => ({ rolloutId, ...documentFields }), text: ["rolloutId", "title", "path", "body"] },
  { name: "updateDocumentAction", as: "admin", action: editor("updateDocumentAction"), valid: () => ({ ...row, ...documentFields }), text: ["id", "title", "path", "body"] },
  { name: "deleteDocumentAction", as: "admin", action: editor("deleteDocumentAction"), valid: () => row, text: ["id"] },
  { name: "createReadingEntryAction", as: "admin", action: editor("createReadingEntryAction"), valid: () => ({ rolloutId, role: "DBA", documentId: "doc-x", minutes: "5", sectionHint: "Rolling back" }), text: ["rolloutId", "role", "documentId", "sectionHint"] },
  { name: "updateReadingEntryAction", as: "admin", action: editor("updateReadingEntryAction"), valid: () => ({ ...row, minutes: "5", sectionHint: "Rolling back" }), text: ["id", "sectionHint"] },
  { name: "moveReadingEntryAction", as: "admin", action: editor("moveReadingEntryAction"), valid: () => moveRow, text: ["id"], choices: DIRECTION },
  { name: "deleteReadingEntryAction", as: "admin", action: editor("deleteReadingEntryAction"), valid: () => row, text: ["id"] },
  { name: "createCriterionGroupAction", as: "admin", action: editor("createCriterionGroupAction"), valid: () => ({ rolloutId, name: "Customers" }), text: ["rolloutId", "name"] },
  { name: "renameCriterionGroupAction", as: "admin", action: editor("renameCriterionGroupAction"), valid: () => ({ ...row, name: "Customers" }), text: ["id", "name"] },
  { name: "moveCriterionGroupAction", as: "admin", action: editor("moveCriterionGroupAction"), valid: () => moveRow, text: ["id"], choices: DIRECTION },
  { name: "deleteCriterionGroupAction", as: "admin", action: editor("deleteCriterionGroupAction"), valid: () => row, text: ["id"] },
  { name: "createCriterionAction", as: "admin", action: editor("createCriterionAction"), valid: () => ({ rolloutId, groupId: "group-x", text: "No new tickets" }), text: ["rolloutId", "groupId", "text"] },
  { name: "updateCriterionAction", as: "admin", action: editor("updateCriterionAction"), valid: () => ({ ...row, groupId: "group-x", text: "No new tickets" }), text: ["id", "groupId", "text"] },
  { name: "moveCriterionAction", as: "admin", action: editor("moveCriterionAction"), valid: () => moveRow, text: ["id"], choices: DIRECTION },
  { name: "deleteCriterionAction", as: "admin", action: editor("deleteCriterionAction"), valid: () => row, text: ["id"] },
  { name: "createContactAction", as: "admin", action: editor("createContactAction"), valid: () => ({ rolloutId, ...contactFields }), text: ["rolloutId", "topic", "role", "roleLabel", "notes"] },
  { name: "updateContactAction", as: "admin", action: editor("updateContactAction"), valid: () => ({ ...row, ...contactFields }), text: ["id", "topic", "role", "roleLabel", "notes"] },
  { name: "moveContactAction", as: "admin", action: editor("moveContactAction"), valid: () => moveRow, text: ["id"], choices: DIRECTION },
  { name: "deleteContactAction", as: "admin", action: editor("deleteContactAction"), valid: () => row, text: ["id"] },
  { name: "createMilestoneAction", as: "admin", action: editor("createMilestoneAction"), valid: () => ({ rolloutId, ...milestoneFields }), text: ["rolloutId", ...milestoneText] },
  { name: "updateMilestoneAction", as: "admin", action: editor("updateMilestoneAction"), valid: () => ({ ...row, ...milestoneFields }), text: ["id", ...milestoneText] },
  { name: "deleteMilestoneAction", as: "admin", action: editor("deleteMilestoneAction"), valid: () => row, text: ["id"] },
  // The import page's two steps take the form alone (no previous state).
  { name: "previewImportAction", as: "admin", action: async () => { const { previewImportAction } = await importing(); return (_prev, input) => previewImportAction(input as FormData); }, valid: () => ({ rolloutId: "", text: PLAN_TEXT, edits: "{}", readAs: "{}", roles: "{}" }), text: ["rolloutId", "text", "edits", "readAs", "roles"] },
  { name: "importPlanAction", as: "admin", action: async () => { const { importPlanAction } = await importing(); return (_prev, input) => importPlanAction(input as FormData); }, valid: () => ({ rolloutId: "", text: PLAN_TEXT, name: "Imported", slug: "imported-plan", startDate: "2027-06-01", edits: "{}", readAs: "{}", roles: "{}" }), text: ["rolloutId", "text", "name", "slug", "startDate", "edits", "readAs", "roles"] },
];
const ALL_CASES = [...CASES, ...EDITOR_CASES];

function form(values: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
  return data;
}

/** A fingerprint of everything an action could change, and the number of audit events. */
async function everything(): Promise<string> {
  const tables = await Promise.all([
    t.db.auditEvent.count(),
    t.db.user.findMany({ orderBy: { id: "asc" }, select: { id: true, email: true, name: true, active: true, sessionVersion: true, locale: true, passwordHash: true } }),
    t.db.rolloutMember.findMany({ orderBy: [{ userId: "asc" }, { role: "asc" }] }),
    t.db.phase.findMany({ orderBy: { id: "asc" } }),
    t.db.checklistItem.findMany({ orderBy: { id: "asc" } }),
    t.db.signOff.findMany({ orderBy: { id: "asc" }, select: { id: true, title: true, status: true, version: true } }),
    t.db.signOffDecision.findMany({ orderBy: { id: "asc" } }),
    t.db.readState.findMany({ orderBy: [{ userId: "asc" }] }),
    t.db.successCriterion.findMany({ orderBy: { id: "asc" } }),
    t.db.calendarToken.findMany({ orderBy: { id: "asc" } }),
    t.db.apiToken.findMany({ orderBy: { id: "asc" } }),
    t.db.webhookEndpoint.findMany({ orderBy: { id: "asc" } }),
    t.db.webhookDelivery.findMany({ orderBy: { id: "asc" } }),
    // What the plan editor and the import write.
    t.db.rollout.findMany({ orderBy: { id: "asc" }, select: { id: true, version: true } }),
    t.db.rolloutRole.count(),
    t.db.document.count(),
    t.db.readingListEntry.count(),
    t.db.criterionGroup.count(),
    t.db.contact.count(),
    t.db.milestone.count(),
  ]);
  return createHash("sha256").update(JSON.stringify(tables)).digest("hex");
}

async function call(c: Case, input: unknown, origin: string | null = ORIGIN, signedIn = true): Promise<ActionResult<unknown>> {
  setRequest({ cookie: signedIn ? await sessionCookie(people[c.as]) : null, origin });
  return (await c.action())(undefined, input);
}

/** Sends `input` and expects a refusal with `message`, and no change anywhere. */
async function refused(c: Case, input: unknown, message: string | RegExp, code = "INVALID_INPUT") {
  const before = await everything();
  const result = await call(c, input);
  expect(result, `${c.name} with ${show(input)}`).toMatchObject({ ok: false, code });
  if (!result.ok) expect(result.message, c.name).toMatch(typeof message === "string" ? new RegExp(`^${escape(message)}$`) : message);
  expect(await everything(), `${c.name} changed something`).toBe(before);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const show = (input: unknown) => (input instanceof FormData ? JSON.stringify([...input.entries()]).slice(0, 200) : String(input).slice(0, 200));

const NUL_MESSAGE = "Text may not contain the NUL character (U+0000).";

// Hundreds of action calls, each with two whole-database fingerprints: minutes on a busy machine.
describe("every server action refuses bad input with a specific message and changes nothing", { timeout: 300_000 }, () => {
  it("a NUL character anywhere in any text or id field (property, over all actions and fields)", async () => {
    // Free text and ids say why; a choice holding NUL is simply not one of its values.
    const fields = ALL_CASES.flatMap((c) => [
      ...c.text.map((field) => ({ c, field, message: NUL_MESSAGE })),
      ...Object.entries(c.choices ?? {}).map(([field, message]) => ({ c, field, message })),
    ]);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), async ({ c, field, message }, before, after) => {
        const valid = c.valid();
        const current = valid[field];
        const poisoned = `${before}\u0000${after}`;
        await refused(c, form({ ...valid, [field]: Array.isArray(current) ? [...current, poisoned] : poisoned }), message);
      }),
      { numRuns: 60, seed: 20261130 },
    );
    // And every field at least once, whatever the sampling above picked.
    for (const { c, field, message } of fields) {
      const valid = c.valid();
      await refused(c, form({ ...valid, [field]: Array.isArray(valid[field]) ? ["\u0000"] : `${valid[field]}\u0000` }), message);
    }
  });

  it("versions past Postgres' int4, or not whole numbers", async () => {
    const versioned = CASES.filter((c) => "version" in c.valid());
    expect(versioned.map((c) => c.name)).toEqual(["updateItemStateAction", "updateItemDetailsAction", "transitionPhaseAction", "verifyCriterionAction", "renameSignOffAction"]);
    for (const c of versioned) {
      for (const version of ["2147483648", "99999999999999999999", "1e400", "abc", "0x7fffffff1"]) {
        await refused(c, form({ ...c.valid(), version }), "The version must be a whole number from 1 to 2147483647.");
      }
      await refused(c, form({ ...c.valid(), version: "1.5" }), "The version must be a whole number from 1 to 2147483647.");
      for (const version of ["0", "-1", ""]) await refused(c, form({ ...c.valid(), version }), "Missing version.");
    }
    // The plan editor's versions fit the same int4 column.
    for (const name of ["updatePhaseAction", "moveItemAction", "deleteMilestoneAction", "renameCustomRoleAction"]) {
      const c = EDITOR_CASES.find((x) => x.name === name)!;
      for (const version of ["2147483648", "1e400", "1.5"]) await refused(c, form({ ...c.valid(), version }), "The version must be a whole number from 1 to 2147483647.");
    }
  });

  it("due dates out of range, that do not exist, or that are not dates", async () => {
    const c = CASES.find((x) => x.name === "updateItemDetailsAction")!;
    for (const dueAt of ["0000-01-01", "1999-12-31", "3000-01-01", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+01:00"]) {
      await refused(c, form({ ...c.valid(), dueAt }), "Enter a date between 2000-01-01 and 2999-12-31.");
    }
    for (const dueAt of ["2027-02-31", "2027-13-01", "next friday", "1", "2027-1-1", "275760-09-13", "+275760-09-13T00:00:00Z", "-000001-01-01"]) {
      await refused(c, form({ ...c.valid(), dueAt }), "Enter the due date as YYYY-MM-DD.");
    }
  });

  it("text over its limit, up to a megabyte, is refused naming the field and the limit", async () => {
    const big = "x".repeat(1024 * 1024);
    const byName = (name: string) => CASES.find((c) => c.name === name)!;
    await refused(byName("updateItemStateAction"), form({ ...byName("updateItemStateAction").valid(), evidence: big }), "Evidence may have at most 2000 characters.");
    await refused(byName("decideSignOffAction"), form({ ...byName("decideSignOffAction").valid(), comment: big }), "A comment may have at most 2000 characters.");
    await refused(byName("verifyCriterionAction"), form({ ...byName("verifyCriterionAction").valid(), note: big }), "The note may have at most 2000 characters.");
    await refused(byName("transitionPhaseAction"), form({ ...byName("transitionPhaseAction").valid(), reason: big }), "The reason may have at most 1000 characters.");
    await refused(byName("withdrawOthersDecisionAction"), form({ ...byName("withdrawOthersDecisionAction").valid(), reason: big }), "The reason may have at most 500 characters.");
    await refused(byName("withdrawOthersDecisionAction"), form({ ...byName("withdrawOthersDecisionAction").valid(), reason: "x".repeat(501) }), "The reason may have at most 500 characters.");
    await refused(byName("renameSignOffAction"), form({ ...byName("renameSignOffAction").valid(), title: big }), "A name may have at most 200 characters.");
    await refused(byName("createUserAction"), form({ ...byName("createUserAction").valid(), name: big }), "A name may have at most 120 characters.");
    await refused(byName("createUserAction"), form({ ...byName("createUserAction").valid(), email: `${big}@example.test` }), "An email address may have at most 320 characters.");
    await refused(byName("checkDigestAction"), form({ ...byName("checkDigestAction").valid(), digest: big }), "A digest is one short line of JSON.");
    // The plan editor's fields, each with its own limit.
    const editorCase = (name: string) => EDITOR_CASES.find((c) => c.name === name)!;
    const overlong: [string, string, number, string][] = [
      ["createCustomRoleAction", "name", 1024 * 1024, "The name can be at most 80 characters."],
      ["createPhaseAction", "name", 1024 * 1024, "The name can be at most 200 characters."],
      ["updatePhaseAction", "goal", 1024 * 1024, "The goal can be at most 2000 characters."],
      ["createPhaseAction", "window", 101, "The window can be at most 100 characters."],
      ["createItemAction", "text", 1024 * 1024, "The text can be at most 2000 characters."],
      ["createSignOffAction", "title", 1024 * 1024, "The title can be at most 200 characters."],
      ["updateSignOffAction", "description", 2001, "The description can be at most 2000 characters."],
      ["createDocumentAction", "body", 1024 * 1024, "The document text can be at most 100000 characters."],
      ["updateDocumentAction", "path", 501, "The path or link can be at most 500 characters."],
      ["createReadingEntryAction", "sectionHint", 201, "The section hint can be at most 200 characters."],
      ["createCriterionGroupAction", "name", 201, "The name can be at most 200 characters."],
      ["updateCriterionAction", "text", 2001, "The text can be at most 2000 characters."],
      ["createContactAction", "topic", 201, "The topic can be at most 200 characters."],
      ["updateContactAction", "roleLabel", 121, "The role as the plan words it can be at most 120 characters."],
      ["createContactAction", "notes", 2001, "The notes can be at most 2000 characters."],
      ["createMilestoneAction", "label", 201, "The name can be at most 200 characters."],
      ["updateMilestoneAction", "details", 4001, "The details can be at most 4000 characters."],
    ];
    for (const [name, field, length, message] of overlong) await refused(editorCase(name), form({ ...editorCase(name).valid(), [field]: "x".repeat(length) }), message);
    // The import page: a plan over 2 MB, and a corrected line over its limit.
    const importCase = editorCase("importPlanAction");
    await refused(importCase, form({ ...importCase.valid(), text: "x".repeat(2 * 1024 * 1024 + 1) }), "The plan is 2.0 MB; the limit is 2 MB.");
    await refused(editorCase("previewImportAction"), form({ ...editorCase("previewImportAction").valid(), edits: JSON.stringify({ 3: "x".repeat(10_001) }) }), "A corrected line may have at most 10000 characters.");
    // Every action's identifiers (the first id field of each).
    for (const c of ALL_CASES.filter((x) => x.text.some((f) => f === "id" || f.endsWith("Id")))) {
      const field = c.text.find((f) => f === "id" || f.endsWith("Id"))!;
      await refused(c, form({ ...c.valid(), [field]: "c".repeat(65) }), "An identifier has at most 64 characters.");
    }
  });

  it("payloads that are not forms (a crafted call, a form posted without its bound state) — after the origin and session checks", async () => {
    const garbage: unknown[] = [undefined, null, 0, 42, "itemId=x", [], [["itemId", "x"]], true, new Date(), new Map([["a", "b"]]), Object.create({ itemId: "x" })];
    // Every action above, and one of each shape of the plan editor's and the import page's.
    const sample = EDITOR_CASES.filter((c) => ["createPhaseAction", "updateItemAction", "moveCriterionAction", "deleteSignOffAction", "previewImportAction", "importPlanAction"].includes(c.name));
    for (const c of [...CASES, ...sample]) {
      for (const input of garbage) await refused(c, input, "The form's data could not be read. Reload the page and try again.");
      // The origin check still comes first, then the session: garbage says nothing about either.
      expect(await call(c, undefined, "https://evil.example")).toMatchObject({ ok: false, code: "BAD_ORIGIN" });
      if (c.name !== "setLocale") expect(await call(c, 42, ORIGIN, false)).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    }
  });

  it("a form field named __proto__ reaches nothing but validation", async () => {
    const c = CASES.find((x) => x.name === "markReadAction")!;
    const data = new FormData();
    data.append("__proto__", "x");
    data.append("constructor", "y");
    await refused(c, data, "Missing identifier.");
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("the valid inputs used above are accepted (so each refusal above is about the one bad field)", async () => {
    for (const name of ["markReadAction", "createCalendarTokenAction", "verifyCriterionAction"]) {
      const c = CASES.find((x) => x.name === name)!;
      expect(await call(c, form(c.valid())), name).toMatchObject({ ok: true });
    }
    // A plain object is as good as a form.
    const c = CASES.find((x) => x.name === "markReadAction")!;
    expect(await call(c, { entryId: ids.entry, read: "false" })).toMatchObject({ ok: true });
  });
});

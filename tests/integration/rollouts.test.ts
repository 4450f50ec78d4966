import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { createRollout, getCreateOptions, listHomeRollouts, saveAsTemplate, setArchived } from "@/lib/dal/rollouts";
import { isAppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import type { ActionResult } from "@/lib/server/action";
import { createRollout as createRolloutRow, createUser, unique } from "./helpers/factories";
import { sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// Rollouts of one's own: the home list's figures, creating a rollout (blank, or copied
// from a rollout or a template with every state reset and every date moved), archiving
// (read-only, on record), and the boundaries between the people of different rollouts.

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

type User = Awaited<ReturnType<typeof createUser>>;
const actor = (user: User): Actor => ({ id: user.id, email: user.email, name: user.name, locale: null });
const DAY = 86_400_000;
const form = (data: Record<string, string | string[]>) => {
  const fd = new FormData();
  for (const [key, value] of Object.entries(data)) for (const v of Array.isArray(value) ? value : [value]) fd.append(key, v);
  return fd;
};
async function as<T extends ActionResult>(user: User, call: () => Promise<T>): Promise<T> {
  const fresh = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
  setRequest({ cookie: await sessionCookie(fresh) });
  return call();
}
// Rollout events and account-wide events (deactivation, the create right: the security log).
const auditCount = async () => (await t.db.auditEvent.count()) + (await t.db.securityEvent.count());

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal, but the call succeeded");
}

/** A rollout with a bit of everything, and every kind of state set (so that a copy must reset it). */
async function richSource(anchor: string) {
  const rollout = await t.db.rollout.create({ data: { slug: unique("source"), name: "Source", description: "The source plan", anchorDate: new Date(anchor) } });
  const admin = await createUser(t.db, { rolloutId: rollout.id, roles: ["ADMIN"] });
  const exec = await createUser(t.db, { rolloutId: rollout.id, roles: ["EXECUTIVE"] });
  const qa = await t.db.rolloutRole.create({ data: { rolloutId: rollout.id, slug: "qa-lead", name: "QA Lead", baseRole: "DEV_LEAD", position: 0 } });
  const qaHolder = await createUser(t.db);
  await t.db.rolloutMember.create({ data: { rolloutId: rollout.id, userId: qaHolder.id, role: "DEV_LEAD", customRoleId: qa.id } });
  const p1 = await t.db.phase.create({
    data: {
      rolloutId: rollout.id,
      position: 1,
      name: "Prepare",
      goal: "Ready",
      window: "Week 1",
      plannedStart: new Date("2026-01-11T09:00:00Z"),
      plannedEnd: new Date("2026-01-20T18:00:00Z"),
      actualStart: new Date("2026-01-11T10:00:00Z"),
      actualEnd: new Date("2026-01-19T10:00:00Z"),
      status: "DONE",
      overrideReason: "on record",
      overriddenById: exec.id,
      overriddenAt: new Date("2026-01-19T10:00:00Z"),
    },
  });
  const p2 = await t.db.phase.create({
    data: { rolloutId: rollout.id, position: 2, name: "Launch", optional: true, plannedStart: new Date("2026-01-21T00:00:00Z"), plannedEnd: null, status: "BLOCKED", blockedReason: "waiting" },
  });
  const signOff = await t.db.signOff.create({
    data: {
      rolloutId: rollout.id,
      phaseId: p1.id,
      kind: "BUDGET",
      position: 0,
      title: "Approve the budget",
      amountCents: BigInt(123_45),
      currency: "EUR",
      requiredRoles: ["EXECUTIVE"],
      requiredCustomRoleIds: [qa.id],
      approvalsNeeded: 2,
      everyRole: true,
      status: "APPROVED",
      dueAt: new Date("2026-01-15T12:00:00Z"),
    },
  });
  await t.db.signOffDecision.create({ data: { signOffId: signOff.id, userId: exec.id, role: "EXECUTIVE", value: "APPROVE" } });
  const done = await t.db.checklistItem.create({
    data: {
      rolloutId: rollout.id,
      phaseId: p1.id,
      list: "PHASE",
      position: 0,
      text: "Approve the budget",
      ownerRole: "DEV_LEAD",
      ownerCustomRoleId: qa.id,
      signOffId: signOff.id,
      assigneeId: qaHolder.id,
      dueAt: new Date("2026-01-16T23:59:59Z"),
      state: "DONE",
      stateChangedById: qaHolder.id,
      stateChangedAt: new Date("2026-01-16T10:00:00Z"),
      evidence: "minutes",
      version: 4,
    },
  });
  await t.db.checklistItem.create({
    data: { rolloutId: rollout.id, phaseId: p2.id, list: "PHASE", position: 0, text: "Not needed", optional: true, state: "NOT_APPLICABLE", notApplicableReason: "no", dueAt: null },
  });
  await t.db.checklistItem.create({ data: { rolloutId: rollout.id, list: "IMMEDIATE", position: 0, text: "Book the room", ownerRole: "DBA", dueAt: new Date("2026-01-12T08:00:00Z") } });
  const doc = await t.db.document.create({ data: { rolloutId: rollout.id, key: "runbook", title: "Runbook", path: "docs/runbook.md", url: "https://example.test/runbook", summary: ["one"], action: "Read it", body: "# Runbook" } });
  const qaEntry = await t.db.readingListEntry.create({ data: { rolloutId: rollout.id, role: "DEV_LEAD", customRoleId: qa.id, documentId: doc.id, position: 0, minutes: 12, sectionHint: "Rollback" } });
  await t.db.readingListEntry.create({ data: { rolloutId: rollout.id, role: "DBA", documentId: doc.id, position: 0, minutes: 5 } });
  await t.db.readState.create({ data: { entryId: qaEntry.id, userId: qaHolder.id } });
  const group = await t.db.criterionGroup.create({ data: { rolloutId: rollout.id, name: "Customers", position: 0 } });
  await t.db.successCriterion.create({ data: { rolloutId: rollout.id, groupId: group.id, position: 0, text: "Happy customers", verifiedById: exec.id, verifiedAt: new Date(), note: "yes" } });
  await t.db.contact.create({ data: { rolloutId: rollout.id, position: 0, topic: "Tests", role: "DEV_LEAD", customRoleId: qa.id, roleLabel: "QA Lead", notes: "call first" } });
  await t.db.milestone.create({
    data: { rolloutId: rollout.id, phaseId: p2.id, key: "go-live", position: 0, label: "Go live", startsAt: new Date("2026-01-21T00:00:00Z"), endsAt: new Date("2026-01-22T12:30:00Z"), details: ["a", "b"] },
  });
  return { rollout, admin, exec, qa, qaHolder, signOff, done };
}

/** Every row of a rollout's structure, in a stable order, for comparing two plans. */
async function structureOf(rolloutId: string) {
  const db = t.db;
  return {
    roles: await db.rolloutRole.findMany({ where: { rolloutId }, orderBy: { position: "asc" } }),
    phases: await db.phase.findMany({ where: { rolloutId }, orderBy: { position: "asc" } }),
    signOffs: await db.signOff.findMany({ where: { rolloutId }, orderBy: { position: "asc" } }),
    items: await db.checklistItem.findMany({ where: { rolloutId }, orderBy: [{ list: "asc" }, { position: "asc" }, { text: "asc" }], include: { phase: true, signOff: true, ownerCustomRole: true } }),
    documents: await db.document.findMany({ where: { rolloutId }, orderBy: { key: "asc" } }),
    entries: await db.readingListEntry.findMany({ where: { rolloutId }, orderBy: [{ role: "asc" }, { position: "asc" }], include: { document: true, customRole: true } }),
    groups: await db.criterionGroup.findMany({ where: { rolloutId }, orderBy: { position: "asc" }, include: { criteria: true } }),
    contacts: await db.contact.findMany({ where: { rolloutId }, orderBy: { position: "asc" }, include: { customRole: true } }),
    milestones: await db.milestone.findMany({ where: { rolloutId }, orderBy: { position: "asc" }, include: { phase: true } }),
  };
}

async function grantCreate(user: User) {
  await t.db.user.update({ where: { id: user.id }, data: { canCreateRollouts: true } });
}

describe("creating a rollout as a copy", () => {
  it("copies the whole structure with every state reset and every date moved by the days between the two start dates", async () => {
    const { rollout: source, admin, qa, signOff } = await richSource("2026-01-10");
    await grantCreate(admin);
    const before = await structureOf(source.id);
    // 10 January → 15 March 2026: 21 days left in January, 28 in February, 15 into March.
    const SHIFT = 64 * DAY;

    const slug = unique("copy");
    const created = await createRollout(actor(admin), { name: "The copy", slug, startDate: new Date("2026-03-15T00:00:00Z"), description: null, sourceId: source.id });
    const copy = await t.db.rollout.findUniqueOrThrow({ where: { slug } });
    expect(copy.id).toBe(created.id);
    expect(copy.anchorDate.toISOString().slice(0, 10)).toBe("2026-03-15");
    expect(copy.copiedFromId).toBe(source.id);
    expect(copy.isTemplate).toBe(false);
    const after = await structureOf(copy.id);

    // Custom roles: same names, new rows of the new rollout.
    expect(after.roles.map((r) => [r.slug, r.name, r.baseRole])).toEqual([["qa-lead", "QA Lead", "DEV_LEAD"]]);
    const newQa = after.roles[0]!;
    expect(newQa.id).not.toBe(qa.id);

    // Phases: same plan, planned dates moved, nothing started, blocked or overridden.
    expect(after.phases.map((p) => [p.position, p.name, p.goal, p.window, p.optional])).toEqual(before.phases.map((p) => [p.position, p.name, p.goal, p.window, p.optional]));
    expect(after.phases.map((p) => p.plannedStart?.toISOString() ?? null)).toEqual(["2026-03-16T09:00:00.000Z", "2026-03-26T00:00:00.000Z"]);
    expect(after.phases.map((p) => p.plannedEnd?.toISOString() ?? null)).toEqual(["2026-03-25T18:00:00.000Z", null]);
    for (const p of after.phases) {
      expect([p.status, p.actualStart, p.actualEnd, p.blockedReason, p.overrideReason, p.overriddenById, p.overriddenAt]).toEqual(["NOT_STARTED", null, null, null, null, null, null]);
    }

    // Sign-offs: same approver rule, pending, no decisions, due date moved, custom role re-pointed.
    const [copiedSignOff] = after.signOffs;
    expect(copiedSignOff).toMatchObject({
      kind: "BUDGET",
      title: "Approve the budget",
      amountCents: BigInt(12345),
      currency: "EUR",
      requiredRoles: ["EXECUTIVE"],
      requiredCustomRoleIds: [newQa.id],
      approvalsNeeded: 2,
      everyRole: true,
      status: "PENDING",
      phaseId: after.phases[0]!.id,
    });
    expect(copiedSignOff!.dueAt!.getTime()).toBe(signOff.dueAt!.getTime() + SHIFT);
    expect(await t.db.signOffDecision.count({ where: { signOff: { rolloutId: copy.id } } })).toBe(0);

    // Items: all open, unassigned, unticked; owner, link to the sign-off and due dates carried over.
    expect(after.items).toHaveLength(before.items.length);
    for (const [i, item] of after.items.entries()) {
      const was = before.items[i]!;
      expect([item.list, item.position, item.text, item.ownerRole, item.optional, item.phase?.name ?? null]).toEqual([was.list, was.position, was.text, was.ownerRole, was.optional, was.phase?.name ?? null]);
      expect([item.state, item.assigneeId, item.stateChangedById, item.stateChangedAt, item.evidence, item.notApplicableReason, item.version]).toEqual(["OPEN", null, null, null, null, null, 1]);
      expect(item.dueAt?.getTime() ?? null).toBe(was.dueAt ? was.dueAt.getTime() + SHIFT : null);
    }
    const linked = after.items.find((i) => i.text === "Approve the budget")!;
    expect(linked.signOffId).toBe(copiedSignOff!.id);
    expect(linked.ownerCustomRoleId).toBe(newQa.id);

    // Documents, reading lists (with the custom role), criteria (unverified), contacts, milestones.
    expect(after.documents.map((d) => [d.key, d.title, d.path, d.url, d.summary, d.action, d.body])).toEqual(before.documents.map((d) => [d.key, d.title, d.path, d.url, d.summary, d.action, d.body]));
    // (Ordered by role as the enum declares them: DEV_LEAD before DBA.)
    expect(after.entries.map((e) => [e.role, e.customRoleId, e.position, e.minutes, e.sectionHint, e.document.key, e.document.rolloutId])).toEqual([
      ["DEV_LEAD", newQa.id, 0, 12, "Rollback", "runbook", copy.id],
      ["DBA", null, 0, 5, null, "runbook", copy.id],
    ]);
    expect(await t.db.readState.count({ where: { entry: { rolloutId: copy.id } } })).toBe(0);
    expect(after.groups.map((g) => [g.name, g.criteria.map((c) => [c.text, c.verifiedById, c.verifiedAt, c.note])])).toEqual([["Customers", [["Happy customers", null, null, null]]]]);
    expect(after.contacts.map((c) => [c.topic, c.role, c.roleLabel, c.customRoleId, c.notes])).toEqual([["Tests", "DEV_LEAD", "QA Lead", newQa.id, "call first"]]);
    expect(after.milestones.map((m) => [m.key, m.label, m.startsAt.toISOString(), m.endsAt?.toISOString(), m.details, m.phase?.name])).toEqual([
      ["go-live", "Go live", "2026-03-26T00:00:00.000Z", "2026-03-27T12:30:00.000Z", ["a", "b"], "Launch"],
    ]);

    // People are not copied: the creator is the only member, as admin. One event on record.
    expect(await t.db.rolloutMember.findMany({ where: { rolloutId: copy.id }, select: { userId: true, role: true, customRoleId: true } })).toEqual([{ userId: admin.id, role: "ADMIN", customRoleId: null }]);
    const events = await t.db.auditEvent.findMany({ where: { rolloutId: copy.id } });
    expect(events.map((e) => e.action)).toEqual(["rollout.created"]);
    expect(events[0]!.after).toMatchObject({ slug, startDate: "2026-03-15", shiftedDays: 64, copiedFrom: { slug: source.slug, template: false } });

    // The source is untouched.
    expect(await structureOf(source.id)).toEqual(before);
  });

  it("moves dates backwards when the new start is earlier, across a leap day", async () => {
    const { rollout: source, admin } = await richSource("2028-03-01");
    await grantCreate(admin);
    // 1 March 2028 → 1 February 2028: February 2028 has 29 days.
    const slug = unique("earlier");
    await createRollout(actor(admin), { name: "Earlier", slug, startDate: new Date("2028-02-01T00:00:00Z"), sourceId: source.id });
    const copy = await t.db.rollout.findUniqueOrThrow({ where: { slug } });
    const milestone = await t.db.milestone.findFirstOrThrow({ where: { rolloutId: copy.id } });
    // The source's milestone starts 2026-01-21 (fixed in richSource), 29 days earlier is 2025-12-23.
    expect(milestone.startsAt.toISOString()).toBe("2025-12-23T00:00:00.000Z");
  });

  it("saves a rollout as a template (never on the home page, offered on the create page) and makes a rollout from it on another date", async () => {
    const { rollout: source, admin } = await richSource("2026-01-10");
    await grantCreate(admin);
    const templateSlug = unique("template");
    const template = await saveAsTemplate(actor(admin), { rolloutId: source.id, name: "Our template", slug: templateSlug });
    const row = await t.db.rollout.findUniqueOrThrow({ where: { id: template.id } });
    expect(row.isTemplate).toBe(true);
    expect(row.anchorDate.toISOString().slice(0, 10)).toBe("2026-01-10");
    const sourceShape = await structureOf(source.id);
    const templateShape = await structureOf(template.id);
    expect(templateShape.items.map((i) => [i.text, i.state])).toEqual(sourceShape.items.map((i) => [i.text, "OPEN"]));
    expect(templateShape.phases.map((p) => p.plannedStart?.toISOString() ?? null)).toEqual(sourceShape.phases.map((p) => p.plannedStart?.toISOString() ?? null));

    expect((await listHomeRollouts(actor(admin))).map((r) => r.id)).not.toContain(template.id);
    const options = await getCreateOptions(actor(admin));
    expect(options.templates.map((s) => s.slug)).toEqual([templateSlug]);
    expect(options.rollouts.map((s) => s.slug)).toContain(source.slug);

    const slug = unique("from-template");
    await createRollout(actor(admin), { name: "From template", slug, startDate: new Date("2026-02-01T00:00:00Z"), sourceId: template.id });
    const made = await t.db.rollout.findUniqueOrThrow({ where: { slug } });
    const madeShape = await structureOf(made.id);
    // 10 January → 1 February: 22 days.
    expect(madeShape.phases.map((p) => p.plannedStart?.toISOString() ?? null)).toEqual(["2026-02-02T09:00:00.000Z", "2026-02-12T00:00:00.000Z"]);
    expect(madeShape.items.every((i) => i.state === "OPEN")).toBe(true);
    expect(made.copiedFromId).toBe(template.id);
  });

  it("refuses people without the right to create, a source they cannot see, and a taken address, creating nothing", async () => {
    const { rollout: source, admin } = await richSource("2026-01-10");
    const count = await t.db.rollout.count();
    const events = await auditCount();
    expect(await refusal(createRollout(actor(admin), { name: "No right", slug: unique("x"), startDate: new Date("2026-01-01") }))).toMatchObject({ code: "FORBIDDEN" });

    const stranger = await createUser(t.db);
    await grantCreate(stranger);
    expect(await refusal(createRollout(actor(stranger), { name: "Not mine", slug: unique("x"), startDate: new Date("2026-01-01"), sourceId: source.id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(createRollout(actor(stranger), { name: "Taken", slug: source.slug, startDate: new Date("2026-01-01") }))).toMatchObject({
      code: "CONFLICT",
      message: `The address "${source.slug}" is already taken; choose another.`,
    });
    expect(await t.db.rollout.count()).toBe(count);
    expect(await auditCount()).toBe(events);
  });

  it("validates the form: name, address and a real start date, each with its own message", async () => {
    const { createRolloutAction } = await import("@/lib/actions/rollouts");
    const user = await createUser(t.db);
    await grantCreate(user);
    const bad = await as(user, () => createRolloutAction(undefined, form({ name: " ", slug: "No Spaces!", startDate: "2026-02-30" })));
    expect(bad).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    expect(!bad.ok && bad.fieldErrors).toEqual({
      name: ["Give the rollout a name."],
      slug: ['The address needs 3 to 60 lower-case letters, digits and single hyphens, such as "payments-2026".'],
      startDate: ["Enter the start date as YYYY-MM-DD (a date that exists)."],
    });
    const slug = unique("blank");
    const ok = await as(user, () => createRolloutAction(undefined, form({ name: "Blank", slug, startDate: "2026-02-28", description: "" })));
    expect(ok).toMatchObject({ ok: true, message: 'Created "Blank". You are its admin.', data: { slug } });
    const blank = await t.db.rollout.findUniqueOrThrow({ where: { slug }, include: { members: true, phases: true } });
    expect(blank.phases).toEqual([]);
    expect(blank.members.map((m) => [m.userId, m.role])).toEqual([[user.id, "ADMIN"]]);
  });
});

describe("archiving", () => {
  it("refuses every write with the reason, keeps reads, exports and the ledger, and unarchives on record", async () => {
    const rollout = await createRolloutRow(t.db);
    const rolloutId = rollout.id;
    const admin = await createUser(t.db, { rolloutId, roles: ["ADMIN"] });
    const exec = await createUser(t.db, { rolloutId, roles: ["EXECUTIVE"] });
    const dba = await createUser(t.db, { rolloutId, roles: ["DBA"] });
    const phase = await t.db.phase.create({ data: { rolloutId, position: 1, name: "One", status: "IN_PROGRESS", actualStart: new Date() } });
    const item = await t.db.checklistItem.create({ data: { rolloutId, phaseId: phase.id, list: "PHASE", position: 0, text: "Do it", ownerRole: "DBA" } });
    const signOff = await t.db.signOff.create({ data: { rolloutId, phaseId: phase.id, kind: "PHASE_GATE", position: 0, title: "Gate", requiredRoles: ["EXECUTIVE"], approvalsNeeded: 2 } });
    const decided = await t.db.signOff.create({ data: { rolloutId, phaseId: phase.id, kind: "PHASE_GATE", position: 1, title: "Decided", requiredRoles: ["EXECUTIVE"], approvalsNeeded: 2 } });
    const doc = await t.db.document.create({ data: { rolloutId, key: "d", title: "Doc", summary: [] } });
    const entry = await t.db.readingListEntry.create({ data: { rolloutId, role: "DBA", documentId: doc.id, position: 0, minutes: 3 } });
    const group = await t.db.criterionGroup.create({ data: { rolloutId, name: "G", position: 0 } });
    const criterion = await t.db.successCriterion.create({ data: { rolloutId, groupId: group.id, position: 0, text: "C" } });
    const { decideSignOff } = await import("@/lib/dal/sign-offs");
    await decideSignOff(actor(exec), { signOffId: decided.id, value: "APPROVE", comment: undefined });

    const { setArchivedAction } = await import("@/lib/actions/rollouts");
    const archived = await as(admin, () => setArchivedAction(undefined, form({ rolloutId, version: String(rollout.version), archived: "true" })));
    expect(archived).toEqual({ ok: true, message: "Archived: the rollout is now read-only." });
    const row = await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    expect(row.archivedAt).not.toBeNull();
    expect(row.archivedById).toBe(admin.id);

    const snapshot = async () => ({
      item: await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } }),
      signOffs: await t.db.signOff.findMany({ where: { rolloutId }, include: { decisions: true }, orderBy: { position: "asc" } }),
      phase: await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } }),
      reads: await t.db.readState.count({ where: { entryId: entry.id } }),
      criterion: await t.db.successCriterion.findUniqueOrThrow({ where: { id: criterion.id } }),
      members: await t.db.rolloutMember.findMany({ where: { rolloutId }, orderBy: { id: "asc" } }),
      users: await t.db.user.count(),
      events: await auditCount(),
    });
    const before = await snapshot();
    const reason = `"${rollout.name}" is archived and read-only; unarchive it first.`;

    const { updateItemState, updateItemDetails } = await import("@/lib/dal/items");
    const { withdrawDecision, renameSignOff } = await import("@/lib/dal/sign-offs");
    const { transitionPhase } = await import("@/lib/dal/phases");
    const { markRead } = await import("@/lib/dal/reading");
    const { verifyCriterion } = await import("@/lib/dal/criteria");
    const { createUser: addPerson, setMemberRoles } = await import("@/lib/dal/users");
    // Each write is started only when its refusal is awaited: started all at once, the
    // later ones would reject before anything listens (unhandled rejections).
    const writes: [string, () => Promise<unknown>][] = [
      ["tick an item", () => updateItemState(actor(dba), { itemId: item.id, version: item.version, state: "DONE", evidence: undefined, reason: undefined })],
      ["assign an item", () => updateItemDetails(actor(admin), { itemId: item.id, version: item.version, assigneeId: dba.id, dueAt: null })],
      ["decide a sign-off", () => decideSignOff(actor(exec), { signOffId: signOff.id, value: "APPROVE", comment: undefined })],
      ["withdraw a decision", () => withdrawDecision(actor(exec), { signOffId: decided.id })],
      ["rename a sign-off", () => renameSignOff(actor(admin), { signOffId: signOff.id, version: signOff.version, title: "Renamed" })],
      ["move a phase", () => transitionPhase(actor(exec), { phaseId: phase.id, version: phase.version, transition: "block", reason: "why" })],
      ["mark a document read", () => markRead(actor(dba), { entryId: entry.id, read: true })],
      ["verify a criterion", () => verifyCriterion(actor(exec), { criterionId: criterion.id, version: criterion.version, verified: true, note: undefined })],
      ["add a person", () => addPerson(actor(admin), { rolloutId, email: `${unique("p")}@example.test`, name: "P", password: "a long enough pass", roles: ["DBA"] })],
      ["change roles", () => setMemberRoles(actor(admin), { rolloutId, userId: dba.id, roles: ["DBA", "VIEWER"] })],
    ];
    for (const [what, write] of writes) {
      expect(await refusal(write()), what).toEqual({ code: "CONFLICT", message: reason });
    }
    expect(await snapshot()).toEqual(before);

    // Reads, exports and the ledger still work.
    const { loadRolloutSnapshot } = await import("@/lib/dal/snapshot");
    const { getLedgerReport } = await import("@/lib/dal/ledger");
    expect((await loadRolloutSnapshot(actor(dba), rollout.slug)).items.map((i) => i.text)).toEqual(["Do it"]);
    expect((await getLedgerReport(actor(admin), rolloutId)).report).toMatchObject({ ok: true, count: await t.db.auditEvent.count({ where: { rolloutId } }) });
    const { GET } = await import("@/app/(portal)/r/[slug]/export/items/route");
    setRequest({ cookie: await sessionCookie(await t.db.user.findUniqueOrThrow({ where: { id: dba.id } })) });
    const csv = await GET(new Request(`http://portal.test/r/${rollout.slug}/export/items`), { params: Promise.resolve({ slug: rollout.slug }) });
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain("Do it");
    // Listed under "archived", not among the active ones.
    expect((await listHomeRollouts(actor(dba))).map((r) => r.id)).not.toContain(rolloutId);
    expect((await listHomeRollouts(actor(dba), { archived: true })).map((r) => r.id)).toContain(rolloutId);

    // Unarchiving: the admin only, on record; then writes work again.
    const fresh = await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    expect(await refusal(setArchived(actor(exec), { rolloutId, version: fresh.version, archived: false }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(setArchived(actor(admin), { rolloutId, version: rollout.version, archived: false }))).toMatchObject({ code: "STALE" });
    expect(await setArchived(actor(admin), { rolloutId, version: fresh.version, archived: false })).toEqual({ changed: true });
    const events = await t.db.auditEvent.findMany({ where: { rolloutId, action: { in: ["rollout.archived", "rollout.unarchived"] } }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ["rollout.archived", admin.id],
      ["rollout.unarchived", admin.id],
    ]);
    expect(events[1]!.before).toEqual({ archivedAt: row.archivedAt!.toISOString() });
    expect(events[1]!.after).toEqual({ archivedAt: null });
    await updateItemState(actor(dba), { itemId: item.id, version: item.version, state: "DONE", evidence: undefined, reason: undefined });
    expect((await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).state).toBe("DONE");
  });
});

describe("tenant boundaries", () => {
  async function twoRollouts() {
    const a = await createRolloutRow(t.db);
    const b = await createRolloutRow(t.db);
    const adminA = await createUser(t.db, { rolloutId: a.id, roles: ["ADMIN"] });
    const adminB = await createUser(t.db, { rolloutId: b.id, roles: ["ADMIN"] });
    const memberA = await createUser(t.db, { rolloutId: a.id, roles: ["DBA"] });
    const memberB = await createUser(t.db, { rolloutId: b.id, roles: ["FINANCE"] });
    const shared = await createUser(t.db, { rolloutId: a.id, roles: ["DEVOPS"] });
    await t.db.rolloutMember.create({ data: { rolloutId: b.id, userId: shared.id, role: "EXECUTIVE" } });
    const loner = await createUser(t.db);
    const instanceAdmin = await createUser(t.db);
    await t.db.user.update({ where: { id: instanceAdmin.id }, data: { isInstanceAdmin: true } });
    return { a, b, adminA, adminB, memberA, memberB, shared, loner, instanceAdmin };
  }

  it("an admin of rollout A lists only A's people, with their roles in A only", async () => {
    const { listUsersForAdmin } = await import("@/lib/dal/users");
    const { a, adminA, memberA, shared, memberB, loner } = await twoRollouts();
    const list = await listUsersForAdmin(actor(adminA));
    expect(list.isInstanceAdmin).toBe(false);
    expect(list.rollouts.map((r) => r.id)).toEqual([a.id]);
    expect(list.users.map((u) => u.id).sort()).toEqual([adminA.id, memberA.id, shared.id].sort());
    expect(list.users.map((u) => u.id)).not.toContain(memberB.id);
    expect(list.users.map((u) => u.id)).not.toContain(loner.id);
    expect(list.users.find((u) => u.id === shared.id)!.roles).toEqual({ [a.id]: ["DEVOPS"] });
    expect(list.users.every((u) => u.canCreateRollouts === undefined)).toBe(true);
  });

  it("an instance admin lists every account", async () => {
    const { listUsersForAdmin } = await import("@/lib/dal/users");
    const { instanceAdmin, loner, memberB } = await twoRollouts();
    const ids = (await listUsersForAdmin(actor(instanceAdmin))).users.map((u) => u.id);
    expect(ids).toContain(loner.id);
    expect(ids).toContain(memberB.id);
    expect(ids).toHaveLength(await t.db.user.count());
  });

  it("an admin of A cannot change the roles of B's people, in A or in B; nothing changes and nothing is recorded", async () => {
    const { setMemberRoles } = await import("@/lib/dal/users");
    const { a, b, adminA, memberB, shared, loner } = await twoRollouts();
    const members = await t.db.rolloutMember.count();
    const events = await auditCount();
    expect(await refusal(setMemberRoles(actor(adminA), { rolloutId: b.id, userId: memberB.id, roles: ["VIEWER"] }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(setMemberRoles(actor(adminA), { rolloutId: b.id, userId: shared.id, roles: [] }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(setMemberRoles(actor(adminA), { rolloutId: a.id, userId: memberB.id, roles: ["VIEWER"] }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(setMemberRoles(actor(adminA), { rolloutId: a.id, userId: loner.id, roles: ["VIEWER"] }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await t.db.rolloutMember.count()).toBe(members);
    expect(await auditCount()).toBe(events);
  });

  it("deactivating an account and granting the create right are the instance admin's only", async () => {
    const { setUserActiveAction, setCreateRightAction } = await import("@/lib/actions/users");
    const { adminA, memberA, shared, instanceAdmin } = await twoRollouts();
    const events = await auditCount();
    for (const target of [memberA, shared]) {
      expect(await as(adminA, () => setUserActiveAction(undefined, form({ userId: target.id, active: "false" })))).toMatchObject({
        ok: false,
        code: "FORBIDDEN",
        message: "Only an instance admin may do this.",
      });
      expect(await as(adminA, () => setCreateRightAction(undefined, form({ userId: target.id, allowed: "true" })))).toMatchObject({ ok: false, code: "FORBIDDEN" });
    }
    expect(await t.db.user.findMany({ where: { id: { in: [memberA.id, shared.id] } }, select: { active: true, canCreateRollouts: true } })).toEqual([
      { active: true, canCreateRollouts: false },
      { active: true, canCreateRollouts: false },
    ]);
    expect(await auditCount()).toBe(events);

    expect(await as(instanceAdmin, () => setCreateRightAction(undefined, form({ userId: memberA.id, allowed: "true" })))).toEqual({ ok: true, message: "This person may now create rollouts." });
    expect(await as(instanceAdmin, () => setUserActiveAction(undefined, form({ userId: shared.id, active: "false" })))).toEqual({ ok: true, message: "Account deactivated." });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: memberA.id } })).canCreateRollouts).toBe(true);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: shared.id } })).active).toBe(false);
    expect(await auditCount()).toBe(events + 2);
  });

  it("adding an email that has an account adds it to A and reveals nothing about it: not its name, not its other rollouts", async () => {
    const { createUserAction } = await import("@/lib/actions/users");
    const { listUsersForAdmin } = await import("@/lib/dal/users");
    const { a, b, adminA, memberB, loner } = await twoRollouts();
    const before = await t.db.user.findUniqueOrThrow({ where: { id: memberB.id }, omit: { passwordHash: false } });

    const inOther = await as(adminA, () => createUserAction(undefined, form({ email: memberB.email, name: "Someone Else", password: "another long passphrase", rolloutId: a.id, roles: ["VIEWER"] })));
    const inNone = await as(adminA, () => createUserAction(undefined, form({ email: loner.email, rolloutId: a.id, roles: ["VIEWER"] })));
    // The same answer for an account in another rollout and for one in none, naming only the email typed.
    expect(inOther).toEqual({ ok: true, message: `${memberB.email} now holds the chosen roles in this rollout.` });
    expect(inNone).toEqual({ ok: true, message: `${loner.email} now holds the chosen roles in this rollout.` });
    const b_ = await t.db.rollout.findUniqueOrThrow({ where: { id: b.id } });
    expect(JSON.stringify(inOther)).not.toContain(memberB.name);
    expect(JSON.stringify(inOther)).not.toContain(b_.name);

    // The account is the same one: its name and password are not changed by what the admin typed.
    const after = await t.db.user.findUniqueOrThrow({ where: { id: memberB.id }, omit: { passwordHash: false } });
    expect([after.name, after.passwordHash]).toEqual([before.name, before.passwordHash]);
    // A's admin now sees the person with their roles in A, and still nothing of B.
    const row = (await listUsersForAdmin(actor(adminA))).users.find((u) => u.id === memberB.id)!;
    expect(row.roles).toEqual({ [a.id]: ["VIEWER"] });
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { rolloutId: a.id, action: "member.added", targetId: memberB.id } });
    expect(event.after).toEqual({ email: memberB.email, roles: ["VIEWER"] });
  });

  it("a new email needs a name and a password; the refusal creates nothing", async () => {
    const { createUserAction } = await import("@/lib/actions/users");
    const { a, adminA } = await twoRollouts();
    const email = `${unique("new")}@example.test`;
    const result = await as(adminA, () => createUserAction(undefined, form({ email, rolloutId: a.id, roles: ["DBA"] })));
    expect(result).toMatchObject({ ok: false, code: "INVALID_INPUT", message: `${email} has no account yet: give a name and an initial password to create one.` });
    expect(await t.db.user.count({ where: { email } })).toBe(0);
  });

  it("a custom role of another rollout cannot be given", async () => {
    const { createUser: addPerson } = await import("@/lib/dal/users");
    const { a, b, adminA, memberA } = await twoRollouts();
    const foreign = await t.db.rolloutRole.create({ data: { rolloutId: b.id, slug: "sre", name: "SRE", baseRole: "ADMIN", position: 0 } });
    const members = await t.db.rolloutMember.count();
    expect(await refusal(addPerson(actor(adminA), { rolloutId: a.id, email: memberA.email, roles: [`custom:${foreign.id}`] }))).toMatchObject({ code: "INVALID_INPUT", message: "No such role in this rollout." });
    expect(await t.db.rolloutMember.count()).toBe(members);
    // The rollout's own custom role is given as that role, with its base role's rights.
    const own = await t.db.rolloutRole.create({ data: { rolloutId: a.id, slug: "qa", name: "QA", baseRole: "DEV_LEAD", position: 0 } });
    await addPerson(actor(adminA), { rolloutId: a.id, email: memberA.email, roles: [`custom:${own.id}`] });
    const held = await t.db.rolloutMember.findMany({ where: { rolloutId: a.id, userId: memberA.id }, select: { role: true, customRoleId: true, roleKey: true } });
    expect(held.sort((x, y) => x.role.localeCompare(y.role))).toEqual([
      { role: "DBA", customRoleId: null, roleKey: "DBA" },
      { role: "DEV_LEAD", customRoleId: own.id, roleKey: own.id },
    ]);
  });
});

describe("the home list", () => {
  it("shows each rollout's current phase, progress, gate blockers, overdue count and my open decisions", async () => {
    const now = new Date("2026-06-10T12:00:00Z");
    const yesterday = new Date("2026-06-09T12:00:00Z");
    const tomorrow = new Date("2026-06-11T12:00:00Z");
    const rollout = await createRolloutRow(t.db);
    const rolloutId = rollout.id;
    const exec = await createUser(t.db, { rolloutId, roles: ["EXECUTIVE"] });
    const other = await createUser(t.db, { rolloutId, roles: ["EXECUTIVE"] });
    await t.db.phase.create({ data: { rolloutId, position: 1, name: "First", status: "DONE" } });
    const current = await t.db.phase.create({ data: { rolloutId, position: 2, name: "Second", status: "IN_PROGRESS" } });
    await t.db.phase.create({ data: { rolloutId, position: 3, name: "Third" } });
    const item = (text: string, data: { state?: "OPEN" | "DONE" | "NOT_APPLICABLE"; optional?: boolean; dueAt?: Date; phaseId?: string | null } = {}) =>
      t.db.checklistItem.create({
        data: { rolloutId, phaseId: data.phaseId === undefined ? current.id : data.phaseId, list: data.phaseId === null ? "IMMEDIATE" : "PHASE", position: Math.floor(Math.random() * 1e9), text, state: data.state, optional: data.optional, dueAt: data.dueAt },
      });
    await item("open and late", { dueAt: yesterday });
    await item("open, due tomorrow", { dueAt: tomorrow });
    await item("done", { state: "DONE", dueAt: yesterday });
    await item("optional and open", { optional: true });
    await item("does not apply", { state: "NOT_APPLICABLE" });
    await item("this week's, late", { phaseId: null, dueAt: yesterday });
    const signOff = (title: string, data: { requiredRoles: Role[]; dueAt?: Date; status?: "PENDING" | "APPROVED"; approvalsNeeded?: number; phaseId?: string | null }) =>
      t.db.signOff.create({ data: { rolloutId, phaseId: data.phaseId === undefined ? current.id : data.phaseId, kind: "PHASE_GATE", position: Math.floor(Math.random() * 1e9), title, ...data } });
    await signOff("mine, late", { requiredRoles: ["EXECUTIVE"], dueAt: yesterday });
    const decided = await signOff("mine, decided already", { requiredRoles: ["EXECUTIVE"], approvalsNeeded: 2 });
    await t.db.signOffDecision.create({ data: { signOffId: decided.id, userId: exec.id, role: "EXECUTIVE", value: "APPROVE" } });
    await signOff("finance's", { requiredRoles: ["FINANCE"], phaseId: null });
    await signOff("approved", { requiredRoles: ["EXECUTIVE"], status: "APPROVED", dueAt: yesterday });
    // Another rollout's, archived one's and a template's figures never mix in.
    const archived = await createRolloutRow(t.db);
    await t.db.rollout.update({ where: { id: archived.id }, data: { archivedAt: now } });
    await t.db.rolloutMember.create({ data: { rolloutId: archived.id, userId: exec.id, role: "EXECUTIVE" } });
    const template = await t.db.rollout.create({ data: { slug: unique("tpl"), name: "Template", anchorDate: new Date(), isTemplate: true } });
    await t.db.rolloutMember.create({ data: { rolloutId: template.id, userId: exec.id, role: "ADMIN" } });

    const [home] = await listHomeRollouts(actor(exec), { now });
    expect((await listHomeRollouts(actor(exec), { now })).map((r) => r.id)).toEqual([rolloutId]);
    expect(home!.currentPhase).toEqual({ position: 2, name: "Second", status: "IN_PROGRESS" });
    // Phase items that apply: 4 (not the one that does not apply), of which 1 done.
    expect(home!.progress).toEqual({ done: 1, total: 4, notApplicable: 1, percent: 25 });
    // The second phase's gate: its 2 required open items and 2 undecided required sign-offs.
    expect(home!.gate!.blockers.map((b) => (b.kind === "item" ? b.text : b.title)).sort()).toEqual(["mine, decided already", "mine, late", "open and late", "open, due tomorrow"]);
    // Late: one phase item, one item of this week's list, one undecided sign-off (not the approved one).
    expect(home!.overdue).toBe(3);
    // Undecided sign-offs of my role on which I have no standing decision: "mine, late" only.
    expect(home!.myOpenDecisions).toBe(1);
    const [theirs] = await listHomeRollouts(actor(other), { now });
    expect(theirs!.myOpenDecisions).toBe(2);

    expect((await listHomeRollouts(actor(exec), { archived: true, now })).map((r) => r.id)).toEqual([archived.id]);
  });
});

describe("the demo's second rollout", () => {
  it("is made from a template, with the demo accounts among its members", async () => {
    const { seedSecondDemoRollout, DEMO_ACCOUNTS } = await import("@/prisma/seed");
    const { template, rollout } = await seedSecondDemoRollout(t.db, { anchor: new Date("2026-09-10T15:00:00Z"), passwordHash: "x" });
    expect(template.isTemplate).toBe(true);
    expect(rollout.isTemplate).toBe(false);
    expect(rollout.copiedFromId).toBe(template.id);
    // Started three days before the anchor; the template's plan moved to that date.
    expect(rollout.anchorDate.toISOString().slice(0, 10)).toBe("2026-09-07");
    const phases = await t.db.phase.findMany({ where: { rolloutId: rollout.id }, orderBy: { position: "asc" } });
    expect(phases.map((p) => [p.name, p.plannedStart?.toISOString().slice(0, 10), p.status])).toEqual([
      ["Preparation", "2026-09-08", "IN_PROGRESS"],
      ["Launch", "2026-09-15", "NOT_STARTED"],
    ]);
    const emails = (await t.db.rolloutMember.findMany({ where: { rolloutId: rollout.id }, select: { user: { select: { email: true } } } })).map((m) => m.user.email);
    for (const account of DEMO_ACCOUNTS) expect(emails).toContain(account.email);
    const qa = await t.db.rolloutRole.findFirstOrThrow({ where: { rolloutId: rollout.id, name: "QA Lead" } });
    expect(await t.db.rolloutMember.count({ where: { rolloutId: rollout.id, customRoleId: qa.id, user: { email: "devlead@greenlight.demo" } } })).toBe(1);
    const linked = await t.db.checklistItem.findFirstOrThrow({ where: { rolloutId: rollout.id, signOffId: { not: null } }, include: { signOff: true } });
    expect(linked.signOff!.rolloutId).toBe(rollout.id);
    // The demo's admin is an instance admin; the others are not.
    const admins = await t.db.user.findMany({ where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) }, isInstanceAdmin: true }, select: { email: true } });
    expect(admins).toEqual([{ email: "admin@greenlight.demo" }]);
  });
});

/** The feed's descriptions of a page of events, oldest first, in English and in Portuguese. */
async function describeFeed(events: Awaited<ReturnType<typeof import("@/lib/dal/activity").listActivity>>["events"]) {
  const { createTranslator } = await import("next-intl");
  const { describeActivity } = await import("@/components/activity/describe-activity");
  const en = (await import("@/lib/i18n/messages/en.json")).default;
  const pt = (await import("@/lib/i18n/messages/pt-BR.json")).default;
  const tell = (messages: object, locale: string) => {
    const translate = createTranslator({ locale, messages: messages as never });
    return events.map((e) => describeActivity(e, (key, values) => translate(key as never, values as never))).reverse();
  };
  return { en: tell(en, "en"), pt: tell(pt, "pt-BR") };
}

describe("the activity feed", () => {
  it("says who created, archived and unarchived a rollout and who added whom, in both languages", async () => {
    const { listActivity } = await import("@/lib/dal/activity");
    const { createUser: addPerson } = await import("@/lib/dal/users");
    const user = await createUser(t.db);
    await grantCreate(user);
    const slug = unique("feed");
    const { id: rolloutId } = await createRollout(actor(user), { name: "Feed", slug, startDate: new Date("2026-01-05") });
    const other = await createUser(t.db);
    await addPerson(actor(user), { rolloutId, email: other.email, roles: ["DBA"] });
    const { version } = await t.db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    await setArchived(actor(user), { rolloutId, version, archived: true });
    await setArchived(actor(user), { rolloutId, version: version + 1, archived: false });
    const said = await describeFeed((await listActivity(actor(user), slug)).events);
    expect(said.en.map((d) => d.sentence)).toEqual([
      `${user.name} created the rollout “Feed”`,
      `${user.name} added ${other.name} to the rollout as DBA`,
      `${user.name} archived the rollout`,
      `${user.name} unarchived the rollout`,
    ]);
    expect(said.pt.map((d) => d.sentence)).toEqual([
      `${user.name} criou o rollout “Feed”`,
      `${user.name} adicionou ${other.name} ao rollout como DBA`,
      `${user.name} arquivou o rollout`,
      `${user.name} desarquivou o rollout`,
    ]);
  });

  it("tells webhook and service-account events in sentences (never their raw action names), in both languages", async () => {
    const { listActivity } = await import("@/lib/dal/activity");
    const { createWebhook, deleteWebhook, disableWebhook, enableWebhook, resendDelivery } = await import("@/lib/dal/webhooks");
    const { createServiceAccount, revokeServiceToken } = await import("@/lib/dal/api-tokens");
    const { recordAudit } = await import("@/lib/audit/record");
    const rollout = await createRolloutRow(t.db);
    const admin = await createUser(t.db, { rolloutId: rollout.id, roles: ["ADMIN"] });
    const hook = await createWebhook(actor(admin), { rolloutId: rollout.id, url: "https://93.184.216.34/hooks/greenlight", events: ["item.*", "phase.transitioned"], slack: false });
    // The worker gives up on it (as lib/webhooks/worker.ts records it: no actor), then its admin turns it back on and sends a delivery again.
    await t.db.webhookEndpoint.update({ where: { id: hook.id }, data: { disabledAt: new Date() } });
    await t.db.$transaction((tx) => recordAudit(tx, { rolloutId: rollout.id, actorId: null, action: "webhook.disabled", targetType: "WebhookEndpoint", targetId: hook.id, after: { reason: "HTTP 503" } }));
    await enableWebhook(actor(admin), rollout.id, hook.id);
    const delivery = await t.db.webhookDelivery.create({ data: { endpointId: hook.id, rolloutId: rollout.id, eventSeq: 1, action: "webhook.created", payload: {}, status: "FAILED" } });
    await resendDelivery(actor(admin), rollout.id, delivery.id);
    await disableWebhook(actor(admin), rollout.id, hook.id);
    await deleteWebhook(actor(admin), rollout.id, hook.id);
    const bot = await createServiceAccount(actor(admin), { rolloutId: rollout.id, name: "Deploy pipeline", roles: ["DEVOPS", "DBA"], scopes: ["items:write"], expiresInDays: 30 });
    await revokeServiceToken(actor(admin), rollout.id, bot.id);
    const said = await describeFeed((await listActivity(actor(admin), rollout.slug)).events);
    const a = admin.name;
    expect(said.en).toEqual([
      { sentence: `${a} added a webhook sending to https://93.184.216.34`, details: ["Events: item.*, phase.transitioned"] },
      { sentence: "Greenlight disabled a webhook: its deliveries kept failing", details: ["Reason: HTTP 503"] },
      { sentence: `${a} enabled a webhook again`, details: [] },
      { sentence: `${a} sent a webhook delivery again`, details: [] },
      { sentence: `${a} disabled the webhook sending to https://93.184.216.34`, details: [] },
      { sentence: `${a} removed the webhook sending to https://93.184.216.34`, details: [] },
      { sentence: `${a} created the service account Deploy pipeline as DevOps Engineer, DBA`, details: ["Scopes: items:write"] },
      { sentence: `${a} revoked a service account's token`, details: [] },
    ]);
    expect(said.pt.map((d) => d.sentence)).toEqual([
      `${a} adicionou um webhook que envia para https://93.184.216.34`,
      "Greenlight desativou um webhook: as entregas continuaram falhando",
      `${a} reativou um webhook`,
      `${a} reenviou uma entrega de webhook`,
      `${a} desativou o webhook que envia para https://93.184.216.34`,
      `${a} removeu o webhook que enviava para https://93.184.216.34`,
      `${a} criou a conta de serviço Deploy pipeline como Engenheiro DevOps, DBA`,
      `${a} revogou um token de uma conta de serviço`,
    ]);
  });
});

import { createTranslator, type AbstractIntlMessages } from "next-intl";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { describeActivity, type Translate } from "@/components/activity/describe-activity";
import { recordAudit } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/session";
import { isAppError, type ErrorCode } from "@/lib/errors";
import en from "@/lib/i18n/messages/en.json";
import ptBR from "@/lib/i18n/messages/pt-BR.json";
import { DEMO_ACCOUNTS } from "@/lib/domain/demo";
import { seedSampleRollout } from "@/prisma/seed";
import { largePlanEmail, seedLargePlan } from "../bench/large-plan";
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createRollout, createUser, unique } from "./helpers/factories";
import { inRequest } from "./helpers/request-cache";
import { sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";
import { recordWire, type WireStatement } from "./helpers/wire";

// The data behind the documents, criteria, contacts and activity pages: what each read
// returns, and that it is scoped to the caller's rollouts.

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
// React's per-request cache, as under Next (see helpers/request-cache.ts).
vi.mock("react", async (importOriginal) => {
  const actual = await importOriginal<typeof import("react")>();
  const { requestCache } = await import("./helpers/request-cache");
  return { ...actual, default: { ...actual, cache: requestCache }, cache: requestCache };
});

const SLUG = "pages-sample";
let t: TestDb;
let rolloutId: string;
let otherSlug: string;
let otherRolloutId: string;

const asActor = (user: { id: string; email: string; name: string }): Actor => ({ id: user.id, email: user.email, name: user.name, locale: null });
const demo = async (email: string) => asActor(await t.db.user.findUniqueOrThrow({ where: { email } }));

/** The request's translator (root namespace), as pages get it from next-intl. */
function translator(locale: "en" | "pt-BR"): Translate {
  const translate = createTranslator({ locale, messages: (locale === "en" ? en : ptBR) as AbstractIntlMessages });
  return (key, values) => translate(key as never, values as never);
}


async function expectCode(promise: Promise<unknown>, code: ErrorCode) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAppError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
}

beforeAll(async () => {
  t = await createTestDb();
  // An anchor other than the plan's own date starts Phase 1, so its gate can be overridden.
  rolloutId = (await seedSampleRollout(t.db, { passwordHash: "x", slug: SLUG, anchor: new Date() })).id;
  const other = await createRollout(t.db);
  otherSlug = other.slug;
  otherRolloutId = other.id;
});
afterAll(async () => t?.close());

describe("scoping", () => {
  it("answers NOT_FOUND to a member of another rollout, on every read", async () => {
    const { listDocuments, getDocumentForPage } = await import("@/lib/dal/documents");
    const { listCriteria } = await import("@/lib/dal/criteria-list");
    const { listContacts } = await import("@/lib/dal/contacts");
    const { listActivity } = await import("@/lib/dal/activity");
    const outsider = asActor(await createUser(t.db, { rolloutId: otherRolloutId, roles: ["EXECUTIVE", "ADMIN"] }));
    const document = await t.db.document.findFirstOrThrow({ where: { rolloutId } });

    await expectCode(listDocuments(outsider, SLUG), "NOT_FOUND");
    await expectCode(getDocumentForPage(outsider, SLUG, document.id), "NOT_FOUND");
    await expectCode(listCriteria(outsider, SLUG), "NOT_FOUND");
    await expectCode(listContacts(outsider, SLUG), "NOT_FOUND");
    await expectCode(listActivity(outsider, SLUG), "NOT_FOUND");
    // …and the same for a rollout that does not exist at all.
    await expectCode(listDocuments(outsider, "no-such-rollout"), "NOT_FOUND");
    await expectCode(listActivity(outsider, "no-such-rollout"), "NOT_FOUND");
  });

  it("answers NOT_FOUND for a document of another rollout, even to someone in both", async () => {
    const { getDocumentForPage } = await import("@/lib/dal/documents");
    const both = await createUser(t.db, { rolloutId, roles: ["VIEWER"] });
    await t.db.rolloutMember.create({ data: { rolloutId: otherRolloutId, userId: both.id, role: "VIEWER" } });
    const foreign = await t.db.document.create({ data: { rolloutId: otherRolloutId, key: unique("doc"), title: "Foreign runbook", summary: [] } });

    await expectCode(getDocumentForPage(asActor(both), SLUG, foreign.id), "NOT_FOUND");
    await expectCode(getDocumentForPage(asActor(both), SLUG, "no-such-document"), "NOT_FOUND");
    const page = await getDocumentForPage(asActor(both), otherSlug, foreign.id);
    expect(page.document.title).toBe("Foreign runbook");
  });

  it("lets every role of the rollout read every page's data, a viewer included", async () => {
    const { listDocuments } = await import("@/lib/dal/documents");
    const { listCriteria } = await import("@/lib/dal/criteria-list");
    const { listContacts } = await import("@/lib/dal/contacts");
    const { listActivity } = await import("@/lib/dal/activity");
    const viewer = await demo("viewer@greenlight.demo");
    expect((await listDocuments(viewer, SLUG)).documents.length).toBeGreaterThan(0);
    expect((await listCriteria(viewer, SLUG)).roles).toEqual(["VIEWER"]);
    expect((await listContacts(viewer, SLUG)).contacts.length).toBeGreaterThan(0);
    expect((await listActivity(viewer, SLUG)).events.length).toBeGreaterThan(0);
  });
});

describe("documents", () => {
  it("lists the rollout's documents with the reading-list entries that name them", async () => {
    const { listDocuments } = await import("@/lib/dal/documents");
    const exec = await demo("cto@greenlight.demo");
    const list = await listDocuments(exec, SLUG);
    expect(list.rollout).toMatchObject({ id: rolloutId, slug: SLUG });
    expect(list.documents.length).toBe(await t.db.document.count({ where: { rolloutId } }));
    const entries = list.documents.flatMap((d) => d.entries);
    expect(entries.length).toBe(await t.db.readingListEntry.count({ where: { rolloutId } }));
    for (const entry of entries) {
      expect(entry).toEqual(
        expect.objectContaining({ role: expect.any(String), position: expect.any(Number), minutes: expect.any(Number), mine: entry.role === "EXECUTIVE" }),
      );
    }
    expect(entries.some((e) => e.role === "EXECUTIVE")).toBe(true);
  });

  it("shows each person their own read state", async () => {
    const { listDocuments, getDocumentForPage } = await import("@/lib/dal/documents");
    const { markRead } = await import("@/lib/dal/reading");
    const dba = await demo("dba@greenlight.demo");
    const secondDba = asActor(await createUser(t.db, { rolloutId, roles: ["DBA"] }));
    const exec = await demo("cto@greenlight.demo");
    const entry = await t.db.readingListEntry.findFirstOrThrow({ where: { rolloutId, role: "DBA" }, orderBy: { position: "asc" } });

    await markRead(dba, { entryId: entry.id, read: true });

    const find = async (actor: Actor) => (await listDocuments(actor, SLUG)).documents.flatMap((d) => d.entries).find((e) => e.id === entry.id)!;
    expect(await find(dba)).toMatchObject({ mine: true, readAt: expect.any(Date) });
    expect(await find(secondDba)).toMatchObject({ mine: true, readAt: null });
    expect(await find(exec)).toMatchObject({ mine: false, readAt: null });

    const page = await getDocumentForPage(dba, SLUG, entry.documentId);
    expect(page.entries.find((e) => e.id === entry.id)).toMatchObject({ mine: true, readAt: expect.any(Date), minutes: entry.minutes, sectionHint: entry.sectionHint });

    await markRead(dba, { entryId: entry.id, read: false });
    expect(await find(dba)).toMatchObject({ mine: true, readAt: null });
  });

  it("gives the document page the plan's summary, action and Markdown body", async () => {
    const { getDocumentForPage } = await import("@/lib/dal/documents");
    const withSummary = await t.db.document.findFirstOrThrow({ where: { rolloutId, summary: { isEmpty: false } } });
    await t.db.document.update({ where: { id: withSummary.id }, data: { body: "# Heading\n\nText." } });
    const page = await getDocumentForPage(await demo("viewer@greenlight.demo"), SLUG, withSummary.id);
    expect(page.document).toMatchObject({ id: withSummary.id, title: withSummary.title, path: withSummary.path, summary: withSummary.summary, action: withSummary.action, body: "# Heading\n\nText." });
    expect(page.roles).toEqual(["VIEWER"]);
  });
});

describe("documents, a page at a time", () => {
  it("lists 30 documents a page by title, says how many there are, and answers a page past the last with the last", async () => {
    const { listDocuments } = await import("@/lib/dal/documents");
    const rollout = await createRollout(t.db);
    const reader = asActor(await createUser(t.db, { rolloutId: rollout.id, roles: ["VIEWER"] }));
    // 65 documents, written out of title order.
    const titles = Array.from({ length: 65 }, (_, i) => `Runbook ${String(i).padStart(2, "0")}`);
    await t.db.document.createMany({ data: [...titles].reverse().map((title, i) => ({ rolloutId: rollout.id, key: `doc-${i}`, title, summary: [] })) });

    const first = await listDocuments(reader, rollout.slug);
    expect(first).toMatchObject({ count: 65, page: 1, pages: 3 });
    expect(first.documents.map((d) => d.title)).toEqual(titles.slice(0, 30));
    const second = await listDocuments(reader, rollout.slug, 2);
    expect(second.documents.map((d) => d.title)).toEqual(titles.slice(30, 60));
    const beyond = await listDocuments(reader, rollout.slug, 9);
    expect(beyond).toMatchObject({ count: 65, page: 3, pages: 3 });
    expect(beyond.documents.map((d) => d.title)).toEqual(titles.slice(60));
  });
});

describe("success criteria", () => {
  it("groups the criteria under the plan's own group headings and shows who verified each, when, with the note", async () => {
    const { listCriteria } = await import("@/lib/dal/criteria-list");
    const { verifyCriterion } = await import("@/lib/dal/criteria");
    const ops = await demo("ops@greenlight.demo");
    const before = await listCriteria(ops, SLUG);
    expect(before.groups.map((g) => g.group.name)).toEqual(["Deployment Success", "Monitoring Success", "Operations Success"]);
    const total = before.groups.reduce((sum, g) => sum + g.criteria.length, 0);
    expect(total).toBe(await t.db.successCriterion.count({ where: { rolloutId } }));
    expect(before.groups.flatMap((g) => g.criteria).every((c) => c.verifiedAt === null && c.verifiedBy === null)).toBe(true);

    const target = before.groups[1].criteria[0];
    await verifyCriterion(ops, { criterionId: target.id, version: target.version, verified: true, note: "Dashboards checked" });
    const after = (await listCriteria(ops, SLUG)).groups[1].criteria[0];
    expect(after).toMatchObject({
      id: target.id,
      verifiedBy: { id: ops.id, name: "Otávio Ramos" },
      verifiedAt: expect.any(Date),
      note: "Dashboards checked",
      version: target.version + 1,
    });
  });
});

describe("success criteria, a page at a time", () => {
  it("shows 25 criteria a page in the plan's order, under their groups with each group's own counts, and empty groups on the last page", async () => {
    const { listCriteria } = await import("@/lib/dal/criteria-list");
    const rollout = await createRollout(t.db);
    const viewer = asActor(await createUser(t.db, { rolloutId: rollout.id, roles: ["VIEWER"] }));
    const a = await t.db.criterionGroup.create({ data: { rolloutId: rollout.id, position: 1, name: "Group A" } });
    const b = await t.db.criterionGroup.create({ data: { rolloutId: rollout.id, position: 2, name: "Group B" } });
    await t.db.criterionGroup.create({ data: { rolloutId: rollout.id, position: 3, name: "Group C" } });
    await t.db.successCriterion.createMany({ data: Array.from({ length: 20 }, (_, i) => ({ rolloutId: rollout.id, groupId: a.id, position: i, text: `A${i}` })) });
    // Group B: ten criteria, the last five verified.
    await t.db.successCriterion.createMany({
      data: Array.from({ length: 10 }, (_, i) => ({ rolloutId: rollout.id, groupId: b.id, position: i, text: `B${i}`, verifiedAt: i >= 5 ? new Date() : null })),
    });

    const first = await listCriteria(viewer, rollout.slug);
    expect(first).toMatchObject({ total: 30, verified: 5, page: 1, pages: 2 });
    expect(first.groups.map((g) => [g.group.name, g.criteria.map((x) => x.text), g.total, g.verified])).toEqual([
      ["Group A", Array.from({ length: 20 }, (_, i) => `A${i}`), 20, 0],
      ["Group B", ["B0", "B1", "B2", "B3", "B4"], 10, 5],
    ]);
    const last = await listCriteria(viewer, rollout.slug, 7);
    expect(last).toMatchObject({ page: 2, pages: 2 });
    expect(last.groups.map((g) => [g.group.name, g.criteria.map((x) => x.text), g.total, g.verified])).toEqual([
      ["Group B", ["B5", "B6", "B7", "B8", "B9"], 10, 5],
      ["Group C", [], 0, 0],
    ]);
    // The API lists every criterion.
    const all = await listCriteria(viewer, rollout.slug, "all");
    expect(all.groups.flatMap((g) => g.criteria)).toHaveLength(30);
  });
});

describe("checklist pages", () => {
  it("reads one page of the filtered items, in the plan's order, with how many match; a page past the last is the last", async () => {
    const { getChecklistPage } = await import("@/lib/dal/checklist");
    const ops = await demo("ops@greenlight.demo");
    const all = await getChecklistPage(ops, SLUG, {}, 1);
    const total = await t.db.checklistItem.count({ where: { rolloutId } });
    expect(all).toMatchObject({ count: total, page: 1, pages: Math.ceil(total / 50) });
    expect(all.items.length).toBe(Math.min(total, 50));
    // This week's list first, then the next 24 hours, then the phases in order.
    const order = ["IMMEDIATE", "NEXT_24H", "PHASE"];
    const lists = all.items.map((i) => order.indexOf(i.list));
    expect(lists).toEqual([...lists].sort((a, b) => a - b));

    const open = await getChecklistPage(ops, SLUG, { state: "OPEN", phase: 1 }, 7);
    const expected = await t.db.checklistItem.findMany({ where: { rolloutId, state: "OPEN", phase: { position: 1 } }, select: { id: true } });
    expect(open.page).toBe(1);
    expect(open.count).toBe(expected.length);
    expect(open.items.map((i) => i.id).sort()).toEqual(expected.map((i) => i.id).sort());

    const item = await t.db.checklistItem.findFirstOrThrow({ where: { rolloutId, list: "PHASE" }, orderBy: { position: "asc" } });
    await t.db.checklistItem.update({ where: { id: item.id }, data: { assigneeId: ops.id } });
    const mine = await getChecklistPage(ops, SLUG, { assignee: "me" }, 1);
    expect(mine.items.map((i) => i.id)).toContain(item.id);
    expect(mine.items.every((i) => i.assigneeId === ops.id)).toBe(true);
    expect(mine.assignees.map((a) => a.id)).toContain(ops.id);
    // Each person items are assigned to is offered once by the assignee filter.
    const assigned = await t.db.checklistItem.findMany({ where: { rolloutId, assigneeId: { not: null } }, select: { assigneeId: true } });
    expect(mine.assignees.map((a) => a.id).sort()).toEqual([...new Set(assigned.map((a) => a.assigneeId!))].sort());
  });

  it("sends the rollout's members only for a row opened on the server: pickers opened in the browser ask for them", async () => {
    const { getChecklistPage } = await import("@/lib/dal/checklist");
    const ops = await demo("ops@greenlight.demo");
    expect((await getChecklistPage(ops, SLUG, {}, 1)).members).toEqual([]);
    const opened = await getChecklistPage(ops, SLUG, {}, 1, new Date(), { members: true });
    const active = await t.db.rolloutMember.findMany({ where: { rolloutId, user: { active: true } }, select: { userId: true } });
    expect(new Set(opened.members.map((m) => m.user.id))).toEqual(new Set(active.map((m) => m.userId)));
  });

  it("lists, for the assignee filter, each person the rollout's items are assigned to, once", async () => {
    const { listAssignedPeople } = await import("@/lib/dal/checklist");
    const viewer = await demo("viewer@greenlight.demo");
    const assigned = await t.db.checklistItem.findMany({ where: { rolloutId, assigneeId: { not: null } }, select: { assigneeId: true } });
    const people = await listAssignedPeople(viewer, SLUG);
    expect(people.map((p) => p.id).sort()).toEqual([...new Set(assigned.map((a) => a.assigneeId!))].sort());
  });

  it("lists the people an item may be assigned to: the rollout's active members, each once", async () => {
    const { listItemAssignees } = await import("@/lib/dal/checklist");
    const admin = await demo("admin@greenlight.demo");
    const item = await t.db.checklistItem.findFirstOrThrow({ where: { rolloutId }, orderBy: { position: "asc" } });
    const gone = await createUser(t.db, { rolloutId, roles: ["DBA"], active: false });
    const twice = await createUser(t.db, { rolloutId, roles: ["DBA", "FINANCE"] });
    const elsewhere = await createUser(t.db, { rolloutId: otherRolloutId, roles: ["DBA"] });
    const people = await listItemAssignees(admin, item.id);
    const ids = people.map((p) => p.id);
    expect(ids).toContain(twice.id);
    expect(ids.filter((id) => id === twice.id)).toHaveLength(1);
    expect(ids).not.toContain(gone.id);
    expect(ids).not.toContain(elsewhere.id);
    const active = await t.db.rolloutMember.findMany({ where: { rolloutId, user: { active: true } }, distinct: ["userId"], select: { userId: true } });
    expect(ids.sort()).toEqual(active.map((m) => m.userId).sort());
  });
});

describe("contacts", () => {
  it("lists, for each topic, the active people holding the contact's role", async () => {
    const { listContacts } = await import("@/lib/dal/contacts");
    const viewer = await demo("viewer@greenlight.demo");
    const contact = await t.db.contact.findFirstOrThrow({ where: { rolloutId }, orderBy: { position: "asc" } });
    const extra = await createUser(t.db, { rolloutId, roles: [contact.role] });
    const gone = await createUser(t.db, { rolloutId, roles: [contact.role], active: false });
    const elsewhere = await createUser(t.db, { rolloutId: otherRolloutId, roles: [contact.role] });

    const list = await listContacts(viewer, SLUG);
    expect(list.contacts.map((c) => c.position)).toEqual((await t.db.contact.findMany({ where: { rolloutId }, orderBy: { position: "asc" } })).map((c) => c.position));
    const shown = list.contacts.find((c) => c.id === contact.id)!;
    expect(shown).toMatchObject({ topic: contact.topic, role: contact.role });
    const ids = shown.people.map((p) => p.id);
    expect(ids).toContain(extra.id);
    expect(ids).not.toContain(gone.id);
    expect(ids).not.toContain(elsewhere.id);
    const holders = await t.db.rolloutMember.findMany({ where: { rolloutId, role: contact.role, user: { active: true } }, select: { userId: true } });
    expect([...ids].sort()).toEqual(holders.map((h) => h.userId).sort());
    expect(shown.people.find((p) => p.id === extra.id)).toEqual({ id: extra.id, name: extra.name, email: extra.email });
  });

  it("names the first three holders of a role by name, and says how many hold it", async () => {
    const { listContacts } = await import("@/lib/dal/contacts");
    const rollout = await createRollout(t.db);
    const viewer = asActor(await createUser(t.db, { rolloutId: rollout.id, roles: ["VIEWER"] }));
    await t.db.contact.create({ data: { rolloutId: rollout.id, position: 1, topic: "Database", role: "DBA" } });
    const dbas = [];
    // Written in reverse: their names start "User f…", "User e…", … "User a…".
    for (let i = 5; i >= 0; i--) dbas.push(await createUser(t.db, { rolloutId: rollout.id, roles: ["DBA"], email: `${"abcdef"[i]}-${unique("dba")}@example.test` }));
    const byName = [...dbas].reverse();

    const [contact] = (await listContacts(viewer, rollout.slug)).contacts;
    expect(contact.peopleCount).toBe(6);
    expect(contact.people.map((p) => p.id)).toEqual(byName.slice(0, 3).map((p) => p.id));
  });

  it("names the demo person of each role, e.g. the operations manager for Operations", async () => {
    const { listContacts } = await import("@/lib/dal/contacts");
    const list = await listContacts(await demo("viewer@greenlight.demo"), SLUG);
    expect(list.contacts.map((c) => [c.topic, c.role])).toEqual([
      ["Deployment", "DEV_LEAD"],
      ["Operations", "OPS_MANAGER"],
      ["Infrastructure", "DEVOPS"],
      ["Database", "DBA"],
      ["Data", "DATA_ENGINEER"],
      ["Security", "SECURITY_OFFICER"],
      ["Executive", "EXECUTIVE"],
    ]);
    const operations = list.contacts.find((c) => c.role === "OPS_MANAGER")!;
    expect(operations.people).toContainEqual({ id: expect.any(String), name: "Otávio Ramos", email: "ops@greenlight.demo" });
  });

  it("keeps the plan's own words for whom to contact (its \"Who to Contact\" list, as written)", async () => {
    const { listContacts } = await import("@/lib/dal/contacts");
    const list = await listContacts(await demo("viewer@greenlight.demo"), SLUG);
    // From the sample plan's text: "- **Data:** Data Engineer Lead", "- **Executive:** CTO/VP Engineering", …
    expect(list.contacts.map((c) => [c.topic, c.roleLabel])).toEqual([
      ["Deployment", "Development Lead"],
      ["Operations", "Operations Manager"],
      ["Infrastructure", "DevOps Engineer"],
      ["Database", "DBA"],
      ["Data", "Data Engineer Lead"],
      ["Security", "Security Officer"],
      ["Executive", "CTO/VP Engineering"],
    ]);
  });
});

describe("activity", () => {
  it("pages through the events newest first, 50 at a time, with a `before` cursor", async () => {
    const { listActivity, ACTIVITY_PAGE_SIZE } = await import("@/lib/dal/activity");
    const rollout = await createRollout(t.db);
    const member = asActor(await createUser(t.db, { rolloutId: rollout.id, roles: ["VIEWER"] }));
    await t.db.$transaction(
      async (tx) => {
        for (let i = 1; i <= 120; i++) {
          await recordAudit(tx, { rolloutId: rollout.id, actorId: member.id, action: "test.event", targetType: "Test", targetId: String(i) });
        }
      },
      { timeout: 60_000 },
    );

    const first = await listActivity(member, rollout.slug);
    expect(ACTIVITY_PAGE_SIZE).toBe(50);
    expect(first.events.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 120 - i));
    expect(first.nextBefore).toBe(71);

    const second = await listActivity(member, rollout.slug, { before: first.nextBefore });
    expect(second.events.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 70 - i));
    expect(second.nextBefore).toBe(21);

    const last = await listActivity(member, rollout.slug, { before: second.nextBefore });
    expect(last.events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 20 - i));
    expect(last.nextBefore).toBeNull();

    expect((await listActivity(member, rollout.slug, { before: 1 })).events).toEqual([]);
    await expectCode(listActivity(member, rollout.slug, { before: 0 }), "INVALID_INPUT");
    await expectCode(listActivity(member, rollout.slug, { before: 1.5 }), "INVALID_INPUT");
  });

  it("shows only the rollout's own events", async () => {
    const { listActivity } = await import("@/lib/dal/activity");
    const viewer = await demo("viewer@greenlight.demo");
    const events = (await listActivity(viewer, SLUG)).events;
    const ours = await t.db.auditEvent.count({ where: { rolloutId } });
    expect(events.length).toBe(Math.min(ours, 50));
    expect(events.every((e) => e.action !== "test.event")).toBe(true);
  });

  it("describes each action in a readable sentence, in English and Portuguese", async () => {
    const { listActivity } = await import("@/lib/dal/activity");
    const { updateItemState } = await import("@/lib/dal/items");
    const { decideSignOff } = await import("@/lib/dal/sign-offs");
    const { transitionPhase } = await import("@/lib/dal/phases");
    const { setMemberRoles, createUser: adminCreateUser } = await import("@/lib/dal/users");
    const { markRead } = await import("@/lib/dal/reading");
    const { verifyCriterion } = await import("@/lib/dal/criteria");

    const ops = await demo("ops@greenlight.demo");
    const exec = await demo("cto@greenlight.demo");
    const admin = await demo("admin@greenlight.demo");

    const item = await t.db.checklistItem.findFirstOrThrow({ where: { rolloutId, text: "Team training completed" } });
    await updateItemState(ops, { itemId: item.id, version: item.version, state: "DONE", evidence: undefined, reason: undefined });

    const signOff = await t.db.signOff.findFirstOrThrow({ where: { rolloutId, title: "Approve production deployment" } });
    await decideSignOff(exec, { signOffId: signOff.id, value: "APPROVE", comment: "Go ahead" });

    const phase1 = await t.db.phase.findFirstOrThrow({ where: { rolloutId, position: 1 } });
    await transitionPhase(exec, { phaseId: phase1.id, version: phase1.version, transition: "complete", override: true, reason: "Pilot starts Monday" });

    const person = await adminCreateUser(admin, { rolloutId, name: "Nadia Teixeira", email: `${unique("nadia")}@example.test`, password: "a long enough password", roles: ["DBA"] });
    await setMemberRoles(admin, { rolloutId, userId: person.id, roles: ["DBA", "VIEWER"] });

    const entry = await t.db.readingListEntry.findFirstOrThrow({ where: { rolloutId, role: "OPS_MANAGER" }, include: { document: true } });
    await markRead(ops, { entryId: entry.id, read: true });

    const criterion = await t.db.successCriterion.findFirstOrThrow({ where: { rolloutId, group: { name: "Operations Success" } }, orderBy: { position: "asc" } });
    await verifyCriterion(ops, { criterionId: criterion.id, version: criterion.version, verified: true, note: "Runbook rehearsed" });

    await t.db.$transaction((tx) => recordAudit(tx, { rolloutId, actorId: ops.id, action: "something.new", targetType: "Mystery", targetId: "x" }));

    const { events } = await listActivity(ops, SLUG);
    for (let i = 1; i < events.length; i++) expect(events[i - 1].seq).toBeGreaterThan(events[i].seq);

    const tEn = translator("en");
    const sentences = events.map((event) => describeActivity(event, tEn));
    const said = (action: string) => {
      const index = events.findIndex((e) => e.action === action);
      expect(index, `no ${action} event`).toBeGreaterThanOrEqual(0);
      return sentences[index];
    };

    const byActor = (action: string, name: string) => sentences[events.findIndex((e) => e.action === action && e.actor?.name === name)];
    expect(byActor("item.state.changed", "Otávio Ramos").sentence).toBe("Otávio Ramos marked “Team training completed” done");
    // The sample links its "Approve production deployment" action to the sign-off: approving it completed the action too.
    expect(byActor("item.state.changed", "Carla Mendes").sentence).toBe("Carla Mendes marked “Approve production deployment” done");
    expect(said("signoff.approved")).toEqual({ sentence: "Carla Mendes approved “Approve production deployment”", details: ["Comment: Go ahead"] });
    expect(said("phase.gate.overridden").sentence).toBe(`Carla Mendes overrode the gate of “${phase1.name}”`);
    expect(said("phase.gate.overridden").details[0]).toBe("Reason: Pilot starts Monday");
    expect(said("user.created").sentence).toBe("Ana Pereira added Nadia Teixeira as DBA");
    expect(said("member.roles.changed").sentence).toBe("Ana Pereira changed the roles of Nadia Teixeira to DBA, Viewer");
    expect(said("reading.read").sentence).toBe(`Otávio Ramos read “${entry.document.title}”`);
    expect(said("criterion.verified")).toEqual({ sentence: `Otávio Ramos verified “${criterion.text}”`, details: ["Note: Runbook rehearsed"] });
    expect(said("something.new").sentence).toBe("Otávio Ramos: something.new");
    expect(events[0].action).toBe("something.new");

    expect(said("rollout.seeded").sentence).toBe("Greenlight loaded “Iteração 5 — Próximos Passos” from the plan");

    const ptItem = events.find((e) => e.action === "item.state.changed" && e.actor?.name === "Otávio Ramos")!;
    expect(describeActivity(ptItem, translator("pt-BR")).sentence).toBe("Otávio Ramos marcou “Team training completed” como concluído");
  });

  it("falls back to what the event recorded when its target is gone, and to the raw action name when unknown", () => {
    const tEn = translator("en");
    const base = { actor: null, targetType: "Whatever", before: null, after: null };
    expect(describeActivity({ ...base, action: "future.thing", target: null }, tEn).sentence).toBe("A former user: future.thing");
    expect(describeActivity({ ...base, action: "reading.read", target: null, actor: { id: "u", name: "Rita" } }, tEn).sentence).toBe("Rita read “(deleted)”");
  });
});

// ── SQL statements per page, on the wire ───────────────────────────────────────────
//
// The product's rule: a page sends at most 8 SQL statements, session check included,
// whatever the plan's size. Counted at the driver (helpers/wire.ts), for a whole page
// request: the root layout's language lookup, the portal layouts (session check,
// membership lookup and instance rights, memoized per request as React does under Next), then the page's
// reads, as each page file calls them. Every page is measured twice: on the sample plan,
// and on the large rollout of issue 11, written by the benchmark's own generator
// (tests/bench/large-plan.ts: 5,000 items over 12 phases, 300 sign-offs with decisions,
// 150 members, 40 reading entries per role; its ledger shortened here, see
// LARGE_TEST_EVENTS), each page requested there by the large plan's own members.

type PagePath = {
  /** The page file, and the variant when one file serves several pages. */
  page: string;
  variant?: string;
  /**
   * Who asks: a demo account of the sample plan. On the large plan, the large plan's own
   * member holding the same role asks instead (see `largePlanAccount`).
   */
  as: string;
  /** The data functions the page (and the components it renders) call, by name. */
  uses: string[];
  /** Under /r/[slug]: the rollout layout runs too. */
  rollout: boolean;
  run(actor: Actor, plan: MeasuredPlan): Promise<unknown>;
};

/** A rollout the pages are measured on, and who asks there for a page of PAGE_PATHS. */
type MeasuredPlan = { name: string; slug: string; rolloutId: string; account(p: PagePath): string };

const PAGE_LIMIT = 8;

const LARGE_SLUG = "pages-large";
/**
 * The large plan's ledger in this test: 20,000 events instead of the benchmark's 50,000.
 * Writing them is most of the plan's writing time (the events are hashed one by one into
 * one chain, 2,000 a transaction), and the first ledger read verifies them all; 20,000 keep
 * the plan's writing to about half a minute on a busy 2-core machine (docs/testing.md)
 * while every history-dependent read (the activity page's newest events,
 * the burn-down's daily projection, the certificate's decision evidence, the ledger's
 * checkpoint) still runs over a history hundreds of times the sample's.
 */
const LARGE_TEST_EVENTS = 20_000;

/**
 * On the large plan, a page is requested by the large plan's own member with the role of
 * the demo account `as` names (`large-<role>-1@greenlight.demo`), as the benchmark signs
 * in. The instance's own pages that need the instance admin (creating or importing a
 * rollout, administering users) keep the demo admin: no member of the generated plan is
 * an instance admin.
 */
function largePlanAccount(p: PagePath): string {
  const account = DEMO_ACCOUNTS.find((a) => a.email === p.as);
  if (!account) throw new Error(`${p.as} is not a demo account`);
  if (!p.rollout && account.roles.includes("ADMIN")) return p.as;
  return largePlanEmail(account.roles[0], 1);
}

/**
 * Appends, through the product's recorder, an event naming each kind of target the
 * activity page looks names up for (and one it does not know): its newest page then holds
 * every kind, its worst case.
 */
async function appendEveryKindOfTarget(rollout: string, actorId: string) {
  const first = { where: { rolloutId: rollout }, select: { id: true } } as const;
  const targets: [string, string][] = [
    ["ChecklistItem", (await t.db.checklistItem.findFirstOrThrow(first)).id],
    ["SignOff", (await t.db.signOff.findFirstOrThrow(first)).id],
    ["Phase", (await t.db.phase.findFirstOrThrow(first)).id],
    ["SuccessCriterion", (await t.db.successCriterion.findFirstOrThrow(first)).id],
    ["ReadingListEntry", (await t.db.readingListEntry.findFirstOrThrow(first)).id],
    ["Document", (await t.db.document.findFirstOrThrow(first)).id],
    ["Rollout", rollout],
    ["User", actorId],
    ["Mystery", "x"],
  ];
  await t.db.$transaction(async (tx) => {
    for (const [targetType, targetId] of targets) await recordAudit(tx, { rolloutId: rollout, actorId, action: "test.kind", targetType, targetId });
  });
}

const PAGE_PATHS: PagePath[] = [
  {
    page: "app/(portal)/page.tsx",
    as: "viewer@greenlight.demo",
    uses: ["listHomeRollouts", "getInstanceRights"],
    rollout: false,
    async run(actor) {
      const [{ listHomeRollouts }, { getInstanceRights }] = await Promise.all([import("@/lib/dal/rollouts"), import("@/lib/auth/access")]);
      return Promise.all([listHomeRollouts(actor, {}), getInstanceRights(actor)]);
    },
  },
  {
    page: "app/(portal)/new/page.tsx",
    as: "admin@greenlight.demo",
    uses: ["getCreateOptions"],
    rollout: false,
    run: async (actor) => (await import("@/lib/dal/rollouts")).getCreateOptions(actor),
  },
  {
    page: "app/(portal)/import/page.tsx",
    as: "admin@greenlight.demo",
    uses: ["mayImportNewRollout"],
    rollout: false,
    run: async (actor) => (await import("@/lib/dal/import")).mayImportNewRollout(actor),
  },
  {
    page: "app/(portal)/r/[slug]/import/page.tsx",
    as: "admin@greenlight.demo",
    uses: ["getImportTarget", "orNotFound"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/import")).getImportTarget(actor, plan.slug),
  },
  {
    page: "app/(portal)/r/[slug]/settings/page.tsx",
    as: "admin@greenlight.demo",
    uses: ["getRolloutSettings", "listUsersForAdmin", "listServiceAccounts", "listWebhooks", "orNotFound"],
    rollout: true,
    async run(actor, plan) {
      const [{ getRolloutSettings }, { listUsersForAdmin }, { listServiceAccounts }, { listWebhooks }] = await Promise.all([
        import("@/lib/dal/rollouts"),
        import("@/lib/dal/users"),
        import("@/lib/dal/api-tokens"),
        import("@/lib/dal/webhooks"),
      ]);
      const settings = await getRolloutSettings(actor, plan.slug);
      return Promise.all([listUsersForAdmin(actor, { rolloutId: settings.rollout.id }), listServiceAccounts(actor, settings.rollout.id), listWebhooks(actor, settings.rollout.id)]);
    },
  },
  {
    page: "app/(portal)/r/[slug]/edit/page.tsx",
    as: "admin@greenlight.demo",
    uses: ["rolloutMembership", "loadPlanForEditing", "listRoleChoices", "orNotFound"],
    rollout: true,
    async run(actor, plan) {
      const [{ rolloutMembership }, { loadPlanForEditing }, { listRoleChoices }] = await Promise.all([
        import("@/lib/server/page"),
        import("@/lib/dal/plan-edit"),
        import("@/lib/dal/roles"),
      ]);
      const { membership } = await rolloutMembership(plan.slug);
      return Promise.all([loadPlanForEditing(actor, membership.rolloutId), listRoleChoices(actor, membership.rolloutId)]);
    },
  },
  {
    page: "app/(portal)/home/page.tsx",
    as: "viewer@greenlight.demo",
    uses: ["getMemberships", "listHeldCustomRoles"],
    rollout: false,
    async run(actor) {
      const first = (await (await import("@/lib/auth/access")).getMemberships(actor.id)).filter((m) => !m.isTemplate && !m.archived)[0];
      return first ? (await import("@/lib/dal/roles")).listHeldCustomRoles(actor, first.rolloutId) : [];
    },
  },
  {
    page: "app/(portal)/notifications/page.tsx",
    as: "dba@greenlight.demo",
    uses: ["listNotifications"],
    rollout: false,
    run: async (actor) => (await import("@/lib/dal/notifications")).listNotifications(actor, { page: 1 }),
  },
  {
    page: "app/(portal)/account/page.tsx",
    as: "dba@greenlight.demo",
    uses: ["getMemberships", "rolloutsWithCalendarLink", "listPersonalTokens", "getNotificationPreferences"],
    rollout: false,
    async run(actor) {
      const [{ getMemberships }, { rolloutsWithCalendarLink }, { listPersonalTokens }, { getNotificationPreferences }] = await Promise.all([
        import("@/lib/auth/access"),
        import("@/lib/dal/calendar"),
        import("@/lib/dal/api-tokens"),
        import("@/lib/dal/notification-preferences"),
      ]);
      return Promise.all([getMemberships(actor.id), rolloutsWithCalendarLink(actor), listPersonalTokens(actor), getNotificationPreferences(actor)]);
    },
  },
  {
    page: "app/(portal)/admin/users/page.tsx",
    as: "admin@greenlight.demo",
    uses: ["listUsersForAdmin"],
    rollout: false,
    run: async (actor) => (await import("@/lib/dal/users")).listUsersForAdmin(actor),
  },
  {
    page: "app/(portal)/r/[slug]/page.tsx",
    as: "viewer@greenlight.demo",
    uses: ["getRolloutOverview", "getMemberships"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/overview")).getRolloutOverview(actor, plan.slug),
  },
  {
    page: "app/(portal)/r/[slug]/[role]/page.tsx",
    variant: "executive (with the burn-down chart)",
    as: "cto@greenlight.demo",
    uses: ["getRoleDashboard"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/dashboard")).getRoleDashboard(actor, plan.slug, "executive"),
  },
  {
    page: "app/(portal)/r/[slug]/[role]/page.tsx",
    variant: "dba",
    as: "dba@greenlight.demo",
    uses: ["getRoleDashboard"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/dashboard")).getRoleDashboard(actor, plan.slug, "dba"),
  },
  {
    page: "app/(portal)/r/[slug]/[role]/page.tsx",
    variant: "security",
    as: "security@greenlight.demo",
    uses: ["getRoleDashboard"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/dashboard")).getRoleDashboard(actor, plan.slug, "security"),
  },
  {
    page: "app/(portal)/r/[slug]/[role]/page.tsx",
    variant: "operations",
    as: "ops@greenlight.demo",
    uses: ["getRoleDashboard"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/dashboard")).getRoleDashboard(actor, plan.slug, "operations"),
  },
  {
    page: "app/(portal)/r/[slug]/checklist/page.tsx",
    as: "ops@greenlight.demo",
    uses: ["getChecklistPage"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/checklist")).getChecklistPage(actor, plan.slug, {}, 1),
  },
  {
    page: "app/(portal)/r/[slug]/checklist/page.tsx",
    variant: "a later page, filtered",
    as: "ops@greenlight.demo",
    uses: ["getChecklistPage"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/checklist")).getChecklistPage(actor, plan.slug, { state: "OPEN" }, 2),
  },
  {
    page: "app/(portal)/r/[slug]/go-no-go/page.tsx",
    as: "ops@greenlight.demo",
    uses: ["getGoNoGoPage"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/gate-pages")).getGoNoGoPage(actor, plan.slug),
  },
  {
    page: "app/(portal)/r/[slug]/summary/page.tsx",
    as: "ops@greenlight.demo",
    uses: ["getRolloutSummary"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/gate-pages")).getRolloutSummary(actor, plan.slug),
  },
  {
    // Phase 4: the sample's last phase, its longest list of sign-offs; on the large plan, one ahead of the phase under way.
    page: "app/(portal)/r/[slug]/phases/[position]/page.tsx",
    as: "ops@greenlight.demo",
    uses: ["getPhasePage"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/gate-pages")).getPhasePage(actor, plan.slug, 4),
  },
  {
    page: "app/(portal)/r/[slug]/phases/[position]/page.tsx",
    variant: "a viewer, who assigns nothing",
    as: "viewer@greenlight.demo",
    uses: ["getPhasePage"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/gate-pages")).getPhasePage(actor, plan.slug, 4),
  },
  {
    page: "app/(portal)/r/[slug]/checklist/page.tsx",
    variant: "a row opened on the server, with the people to assign",
    as: "ops@greenlight.demo",
    uses: ["getChecklistPage"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/checklist")).getChecklistPage(actor, plan.slug, {}, 1, new Date(), { members: true }),
  },
  {
    page: "app/(portal)/r/[slug]/phases/[position]/certificate/page.tsx",
    as: "cto@greenlight.demo",
    uses: ["getPhaseCertificate", "getDecisionEvidence"],
    rollout: true,
    async run(actor, plan) {
      const { getPhaseCertificate, getDecisionEvidence } = await import("@/lib/dal/ledger");
      const certificate = await getPhaseCertificate(actor, plan.slug, 4);
      return getDecisionEvidence(actor, certificate.rollout.id, certificate.signOffs.map((s) => s.id));
    },
  },
  {
    page: "app/(portal)/r/[slug]/timeline/page.tsx",
    as: "cto@greenlight.demo",
    uses: ["getTimeline"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/timeline")).getTimeline(actor, plan.slug),
  },
  {
    page: "app/(portal)/r/[slug]/documents/page.tsx",
    as: "dba@greenlight.demo",
    uses: ["listDocuments"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/documents")).listDocuments(actor, plan.slug),
  },
  {
    page: "app/(portal)/r/[slug]/documents/[documentId]/page.tsx",
    as: "dba@greenlight.demo",
    uses: ["getDocumentForPage"],
    rollout: true,
    async run(actor, plan) {
      const document = await t.db.document.findFirstOrThrow({ where: { rolloutId: plan.rolloutId }, orderBy: { key: "asc" } });
      // The test's own lookup of an id is not the page's: it is counted separately and subtracted.
      return { documentId: document.id, page: () => import("@/lib/dal/documents").then((m) => m.getDocumentForPage(actor, plan.slug, document.id)) };
    },
  },
  {
    page: "app/(portal)/r/[slug]/criteria/page.tsx",
    as: "ops@greenlight.demo",
    uses: ["listCriteria"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/criteria-list")).listCriteria(actor, plan.slug),
  },
  {
    page: "app/(portal)/r/[slug]/contacts/page.tsx",
    as: "viewer@greenlight.demo",
    uses: ["listContacts"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/contacts")).listContacts(actor, plan.slug),
  },
  {
    page: "app/(portal)/r/[slug]/activity/page.tsx",
    as: "viewer@greenlight.demo",
    uses: ["listActivity"],
    rollout: true,
    run: async (actor, plan) => (await import("@/lib/dal/activity")).listActivity(actor, plan.slug),
  },
  {
    page: "app/(portal)/r/[slug]/ledger/page.tsx",
    as: "cto@greenlight.demo",
    uses: ["rolloutMembership", "getLedgerReport"],
    rollout: true,
    async run(_, plan) {
      const { rolloutMembership } = await import("@/lib/server/page");
      const { getLedgerReport } = await import("@/lib/dal/ledger");
      const { actor, membership } = await rolloutMembership(plan.slug);
      return getLedgerReport(actor, membership.rolloutId);
    },
  },
];

const pathLabel = (p: PagePath) => `${p.page}${p.variant ? ` (${p.variant})` : ""}`;

/** One page request on `plan` as its account for `p`, recorded on the wire. */
async function pageRequest(p: PagePath, plan: MeasuredPlan): Promise<WireStatement[]> {
  const user = await t.db.user.findUniqueOrThrow({ where: { email: plan.account(p) } });
  setRequest({ cookie: await sessionCookie(user) });
  const { requirePageActor } = await import("@/lib/auth/session");
  const { getMemberships, getInstanceRights } = await import("@/lib/auth/access");
  const { requestLocale } = await import("@/lib/i18n/server-messages");
  // A test-only lookup (the document page's id) happens before the request is recorded.
  let deferred: (() => Promise<unknown>) | null = null;
  if (p.page.endsWith("[documentId]/page.tsx")) {
    const prepared = (await inRequest(async () => p.run(await requirePageActor(), plan))) as { page: () => Promise<unknown> };
    deferred = prepared.page;
  }
  return recordWire(() =>
    inRequest(async () => {
      // Root layout (next-intl's request config), then the portal layouts, then the page.
      await requestLocale();
      const actor = await requirePageActor();
      // The portal layout: the memberships and the instance rights (whether to link the users'
      // page; read with the session check, no statement of their own).
      await Promise.all([getMemberships(actor.id), getInstanceRights(actor)]);
      if (p.rollout) {
        // The rollout layout: the membership, then (each a query only when needed) the custom
        // roles held there and who archived it.
        const layoutActor = await requirePageActor();
        const membership = (await getMemberships(layoutActor.id)).find((m) => m.slug === plan.slug);
        // Not a member: the layout answers 404, and the page would not be measured at all.
        if (!membership) throw new Error(`${plan.account(p)} is not a member of ${plan.slug}`);
        const [{ listHeldCustomRoles }, { getArchiveRecord }] = await Promise.all([import("@/lib/dal/roles"), import("@/lib/dal/rollouts")]);
        await Promise.all([listHeldCustomRoles(layoutActor, membership.rolloutId), getArchiveRecord(layoutActor, membership.rolloutId)]);
      }
      await (deferred ? deferred() : p.run(actor, plan));
    }),
  );
}

/** The value imports a file takes from the data layer and the page helpers. */
function dataImports(file: string): string[] {
  const source = readFileSync(file, "utf8");
  const names: string[] = [];
  for (const match of source.matchAll(/import\s+\{([^}]*)\}\s+from\s+"@\/lib\/(dal\/[^"]+|server\/page|auth\/access)"/g)) {
    for (const part of match[1].split(",")) {
      const name = part.trim();
      if (name && !name.startsWith("type ")) names.push(name);
    }
  }
  return names.filter((name) => name !== "orNotFound");
}

/** The page's own data imports and those of the components it imports (one level). */
function pageDataImports(page: string): string[] {
  const source = readFileSync(page, "utf8");
  const names = dataImports(page);
  for (const match of source.matchAll(/from\s+"@\/(components\/[^"]+)"/g)) {
    const file = [".tsx", ".ts"].map((ext) => `${match[1]}${ext}`).find((candidate) => existsSync(candidate));
    if (file) names.push(...dataImports(file));
  }
  return [...new Set(names)];
}

function listPages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listPages(path) : name === "page.tsx" ? [path] : [];
  });
}

describe("SQL statements per page, on the wire", () => {
  it("has a data path for every portal page, naming every data function the page calls", () => {
    const pages = listPages("app/(portal)");
    expect([...new Set(PAGE_PATHS.map((p) => p.page))].sort()).toEqual(pages.sort());
    for (const page of pages) {
      const declared = PAGE_PATHS.filter((p) => p.page === page).flatMap((p) => p.uses);
      for (const name of pageDataImports(page)) expect(declared, `${page} calls ${name}`).toContain(name);
    }
  });

  it("counts every statement the driver sends, the session check and the membership lookup included", async () => {
    const dba = await t.db.user.findUniqueOrThrow({ where: { email: "dba@greenlight.demo" } });
    setRequest({ cookie: await sessionCookie(dba) });
    const { getActor } = await import("@/lib/auth/session");
    const { getMemberships } = await import("@/lib/auth/access");
    // The session check is one SELECT of the user; memoized within a request, it is sent once.
    const session = await recordWire(() => inRequest(async () => Promise.all([getActor(), getActor()])));
    expect(session.map((s) => s.sql)).toEqual([expect.stringMatching(/FROM "public"\."User"/)]);
    // The membership lookup (memberships with their rollouts, joined: one statement), once per request.
    const memberships = await recordWire(() => inRequest(async () => Promise.all([getMemberships(dba.id), getMemberships(dba.id)])));
    expect(memberships.map((s) => s.sql)).toEqual([expect.stringMatching(/FROM "public"\."RolloutMember"[\s\S]*JOIN LATERAL[\s\S]*FROM "public"\."Rollout"/)]);
    // A transaction's BEGIN and COMMIT are statements too.
    expect((await recordWire(() => t.db.$transaction(async (tx) => tx.user.count()))).map((s) => s.sql)).toEqual(["BEGIN", expect.stringMatching(/COUNT/), "COMMIT"]);
  });

  async function measureAll(plan: MeasuredPlan): Promise<Map<string, WireStatement[]>> {
    const measured = new Map<string, WireStatement[]>();
    const report: string[] = [];
    for (const p of PAGE_PATHS) {
      const statements = await pageRequest(p, plan);
      measured.set(pathLabel(p), statements);
      report.push(`${String(statements.length).padStart(3)}  ${pathLabel(p)}  (as ${plan.account(p)})`);
    }
    console.info(`SQL statements per page request (${plan.name}):\n${report.join("\n")}`);
    return measured;
  }

  it("sends as many statements on the large rollout (issue 11's generator) as on the sample, at most 8 on every page", { timeout: 300_000 }, async () => {
    const cto = await t.db.user.findUniqueOrThrow({ where: { email: "cto@greenlight.demo" } });
    await appendEveryKindOfTarget(rolloutId, cto.id);
    const sample = await measureAll({ name: "sample plan", slug: SLUG, rolloutId, account: (p) => p.as });
    expect(sample.size).toBe(PAGE_PATHS.length);

    // The large rollout, by the benchmark's generator (its defaults but the ledger's length),
    // next to the sample in the same database.
    const started = Date.now();
    const written = await seedLargePlan(t.db, { slug: LARGE_SLUG, events: LARGE_TEST_EVENTS, passwordHash: "x", anchor: new Date() });
    const largeExecutive = await t.db.user.findUniqueOrThrow({ where: { email: written.accountFor.EXECUTIVE } });
    await appendEveryKindOfTarget(written.rolloutId, largeExecutive.id);
    console.info(`Large plan written in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(written.counts)}`);
    // Issue 11's large rollout: the generator's sizes, and the ledger this test asks for.
    expect(written.counts).toMatchObject({ items: 5000, phases: 12, signOffs: 300, members: 150, readingEntries: 40 * 10, events: LARGE_TEST_EVENTS });
    expect(await t.db.checklistItem.count({ where: { rolloutId: written.rolloutId } })).toBe(5000);
    expect(await t.db.auditEvent.count({ where: { rolloutId: written.rolloutId } })).toBe(LARGE_TEST_EVENTS + 9);

    const large = await measureAll({ name: "large plan", slug: written.slug, rolloutId: written.rolloutId, account: largePlanAccount });
    const grew = PAGE_PATHS.map(pathLabel).filter((label) => large.get(label)!.length !== sample.get(label)!.length);
    expect(grew.map((label) => `${label}: ${sample.get(label)!.length} → ${large.get(label)!.length}`)).toEqual([]);

    // Every page within the product's limit, pinned to the count measured today: both plans.
    expect(Object.keys(WITHIN_LIMIT).sort()).toEqual(PAGE_PATHS.map(pathLabel).sort());
    for (const [label, count] of Object.entries(WITHIN_LIMIT)) {
      expect(count, label).toBeLessThanOrEqual(PAGE_LIMIT);
      expect(sample.get(label)?.length, `${label} (sample plan)`).toBe(count);
      expect(large.get(label)?.length, `${label} (large plan)`).toBe(count);
    }
  });
});

/**
 * Statements per page request today, the same on the sample and on the large plan: every
 * page is within the limit of 8. Relations are loaded by joins (Prisma's `relationJoins`),
 * so a read with relations is one statement (the plan editor reads the whole plan in one);
 * see docs/testing.md.
 */
const WITHIN_LIMIT: Record<string, number> = {
  "app/(portal)/page.tsx": 4,
  "app/(portal)/home/page.tsx": 2,
  "app/(portal)/new/page.tsx": 3,
  "app/(portal)/import/page.tsx": 2,
  "app/(portal)/r/[slug]/import/page.tsx": 5,
  "app/(portal)/account/page.tsx": 5,
  "app/(portal)/notifications/page.tsx": 4,
  "app/(portal)/admin/users/page.tsx": 4,
  "app/(portal)/r/[slug]/settings/page.tsx": 7,
  // The session check, the membership lookup, the plan in one read, the rollout's own roles.
  "app/(portal)/r/[slug]/edit/page.tsx": 4,
  // The session check, the membership lookup, the rollout, and its phases with their gates (two).
  "app/(portal)/r/[slug]/page.tsx": 5,
  // The session check, the membership lookup, then the dashboard: its
  // rollout's roles, phases, members and first rows in one read, every count and first-N list
  // in one statement, and (the executive) the phases with their gates (two).
  "app/(portal)/r/[slug]/[role]/page.tsx (executive (with the burn-down chart))": 6,
  "app/(portal)/r/[slug]/[role]/page.tsx (dba)": 4,
  "app/(portal)/r/[slug]/[role]/page.tsx (security)": 4,
  "app/(portal)/r/[slug]/[role]/page.tsx (operations)": 4,
  // The session check, the membership lookup, then in parallel the count,
  // the phases, the assignees and the page's ids; then the page's rows by id.
  "app/(portal)/r/[slug]/checklist/page.tsx": 7,
  "app/(portal)/r/[slug]/checklist/page.tsx (a later page, filtered)": 7,
  "app/(portal)/r/[slug]/checklist/page.tsx (a row opened on the server, with the people to assign)": 7,
  // The session check, the membership lookup, the phases with their gates
  // (two), the decisions, the first criteria and every count in one read, and who the decisions await.
  "app/(portal)/r/[slug]/go-no-go/page.tsx": 6,
  // The session check, the membership lookup, the phases with their gates (two), every figure in one.
  "app/(portal)/r/[slug]/summary/page.tsx": 5,
  // The session check, the membership lookup, the phases with their gates
  // (two), the phase's first items and sign-offs in one read, and the members (all, to assign
  // to; or those the cards await).
  "app/(portal)/r/[slug]/phases/[position]/page.tsx": 6,
  "app/(portal)/r/[slug]/phases/[position]/page.tsx (a viewer, who assigns nothing)": 6,
  "app/(portal)/r/[slug]/phases/[position]/certificate/page.tsx": 6,
  "app/(portal)/r/[slug]/timeline/page.tsx": 5,
  // How many documents, then the page of them.
  "app/(portal)/r/[slug]/documents/page.tsx": 4,
  "app/(portal)/r/[slug]/documents/[documentId]/page.tsx": 3,
  // The groups with their counts, and the page of criteria.
  "app/(portal)/r/[slug]/criteria/page.tsx": 4,
  "app/(portal)/r/[slug]/contacts/page.tsx": 4,
  // Its page of events names every kind of target: the worst case.
  "app/(portal)/r/[slug]/activity/page.tsx": 5,
  "app/(portal)/r/[slug]/ledger/page.tsx": 4,
};

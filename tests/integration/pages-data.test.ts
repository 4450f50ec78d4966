import { createTranslator, type AbstractIntlMessages } from "next-intl";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { describeActivity, type Translate } from "@/components/activity/describe-activity";
import { recordAudit } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/session";
import { isAppError, type ErrorCode } from "@/lib/errors";
import en from "@/lib/i18n/messages/en.json";
import ptBR from "@/lib/i18n/messages/pt-BR.json";
import { seedSampleRollout } from "@/prisma/seed";
import { createRollout, createUser, unique } from "./helpers/factories";
import { countQueries } from "./helpers/count-queries";
import { createTestDb, type TestDb } from "./helpers/test-db";

// The data behind the documents, criteria, contacts and activity pages: what each read
// returns, and that it is scoped to the caller's rollouts.

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

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

  it("reads a page in a bounded number of queries: events, then one name lookup per target type", async () => {
    const { listActivity } = await import("@/lib/dal/activity");
    const { listContacts } = await import("@/lib/dal/contacts");
    const viewer = await demo("viewer@greenlight.demo");
    const { events } = await listActivity(viewer, SLUG);
    const lookedUp = new Set(["ChecklistItem", "SignOff", "Phase", "SuccessCriterion", "ReadingListEntry", "Document", "Rollout", "User"]);
    const types = new Set(events.filter((e) => e.targetId && lookedUp.has(e.targetType)).map((e) => e.targetType));
    expect(types.size).toBeGreaterThanOrEqual(5);

    // events + one per target type, however many rows the page has
    expect(await countQueries(t.db, () => listActivity(viewer, SLUG))).toBe(1 + types.size);
    // contacts + members
    expect(await countQueries(t.db, () => listContacts(viewer, SLUG))).toBe(2);
  });

  it("falls back to what the event recorded when its target is gone, and to the raw action name when unknown", () => {
    const tEn = translator("en");
    const base = { actor: null, targetType: "Whatever", before: null, after: null };
    expect(describeActivity({ ...base, action: "future.thing", target: null }, tEn).sentence).toBe("A former user: future.thing");
    expect(describeActivity({ ...base, action: "reading.read", target: null, actor: { id: "u", name: "Rita" } }, tEn).sentence).toBe("Rita read “(deleted)”");
  });
});

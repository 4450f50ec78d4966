import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { prismaClientFor } from "@/lib/db/client";
import { migrateWith } from "@/lib/db/migrator";
import { startMailCatcher, type CaughtMail, type MailCatcher } from "@/lib/email/catcher";
import { createEmailWorker } from "@/lib/email/worker";
import type { Role } from "@/lib/generated/prisma/enums";
import { createScheduler } from "@/lib/notifications/scheduler";
import { createRollout, createUser, unique } from "./helpers/factories";
import { ORIGIN, sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {}, refresh: () => {} }));

// Reminders, email and the daily digest (issue 14, parts 2–4), written from the issue:
// - "something of mine is due within 24 h or overdue": an open item due within the next 24 h
//   (ITEM_DUE_SOON) or past due (ITEM_OVERDUE) reminds its assignee — an unassigned item, the
//   holders of the role that owns it; never an item done, due later, or someone outside the
//   rollout; each reminder once (item, kind, due date);
// - per person and kind: in the portal, by email, both (no choice), or not at all; a daily
//   digest holds the emails and sends them as one email a day;
// - emails in the recipient's language, linking back to the portal (absolute URL);
// - with two scheduler processes on one Postgres server, each reminder email is sent once;
// - the embedded database (PGlite) works the same for a single instance.

const HOUR = 3_600_000;
const PUBLIC = "https://greenlight.example.test";

let t: TestDb;
let catcher: MailCatcher;
const saved = { SMTP_URL: process.env.SMTP_URL, PUBLIC_URL: process.env.PUBLIC_URL };

beforeAll(async () => {
  t = await createTestDb();
  catcher = await startMailCatcher();
  process.env.SMTP_URL = catcher.url;
  process.env.PUBLIC_URL = PUBLIC;
});
afterAll(async () => {
  process.env.SMTP_URL = saved.SMTP_URL;
  process.env.PUBLIC_URL = saved.PUBLIC_URL;
  if (saved.SMTP_URL === undefined) delete process.env.SMTP_URL;
  if (saved.PUBLIC_URL === undefined) delete process.env.PUBLIC_URL;
  await catcher?.close();
  await t?.close();
});

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) data.set(k, v);
  return data;
}

async function as(user: { id: string; sessionVersion: number } | null) {
  setRequest({ cookie: user ? await sessionCookie(user) : null, origin: ORIGIN });
}

async function savePreferences(user: { id: string; sessionVersion: number } | null, values: Record<string, string>) {
  const { updateNotificationPreferencesAction } = await import("@/lib/actions/notifications");
  await as(user);
  return updateNotificationPreferencesAction(undefined, form(values));
}

async function item(rolloutId: string, ownerRole: Role, dueAt: Date, extra: { assigneeId?: string; state?: "OPEN" | "DONE" | "NOT_APPLICABLE" } = {}) {
  return t.db.checklistItem.create({
    data: { rolloutId, list: "IMMEDIATE", position: Math.floor(Math.random() * 1e9), text: unique("item"), ownerRole, dueAt, assigneeId: extra.assigneeId ?? null, state: extra.state ?? "OPEN" },
  });
}

/** Mail to one address, among what the catcher holds. */
const mailTo = (address: string) => catcher.messages.filter((m: CaughtMail) => m.envelopeTo.includes(address));

describe("reminders", () => {
  const NOW = new Date("2026-03-02T10:00:00.000Z");
  const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);
  const people: Record<string, { id: string; sessionVersion: number }> = {};
  let rollout: { id: string; slug: string };
  const items: Record<string, { id: string; text: string }> = {};

  beforeAll(async () => {
    rollout = await createRollout(t.db);
    const other = await createRollout(t.db);
    people.dba1 = await createUser(t.db, { rolloutId: rollout.id, roles: ["DBA"] });
    people.dba2 = await createUser(t.db, { rolloutId: rollout.id, roles: ["DBA"] });
    people.devops = await createUser(t.db, { rolloutId: rollout.id, roles: ["DEVOPS"] });
    people.outsider = await createUser(t.db, { rolloutId: other.id, roles: ["DBA", "DEVOPS"] });
    // In-app only for everyone here: this block is about who is reminded, not email.
    for (const person of Object.values(people)) {
      expect((await savePreferences(person, { "channel.ITEM_DUE_SOON": "IN_APP", "channel.ITEM_OVERDUE": "IN_APP" })).ok).toBe(true);
    }
    items.soon = await item(rollout.id, "DBA", at(5), { assigneeId: people.dba1.id });
    items.overdueUnassigned = await item(rollout.id, "DBA", at(-3));
    items.later = await item(rollout.id, "DEVOPS", at(30), { assigneeId: people.devops.id });
    items.done = await item(rollout.id, "DEVOPS", at(2), { assigneeId: people.devops.id, state: "DONE" });
    items.notApplicable = await item(rollout.id, "DBA", at(-1), { state: "NOT_APPLICABLE" });
    items.otherRollout = await item(other.id, "DEVOPS", at(1));
  });

  const nameOf = (id: string) => Object.entries(people).find(([, p]) => p.id === id)?.[0] ?? id;
  const itemOf = (id: string) => Object.entries(items).find(([, i]) => i.id === id)?.[0] ?? id;
  async function told(since: Date) {
    const rows = await t.db.notification.findMany({ where: { createdAt: { gte: since }, kind: { in: ["ITEM_DUE_SOON", "ITEM_OVERDUE"] } } });
    return rows.map((n) => `${nameOf(n.recipientId)} ${n.kind} ${itemOf(n.targetId)}`).sort();
  }

  it("tells the assignee of an item due within 24 h, and the owning role's holders of an unassigned overdue item; nothing else", async () => {
    const since = new Date();
    const scheduler = createScheduler(() => t.db);
    expect((await scheduler.runOnce(NOW)).reminders).toBe(3);
    // The outsider holds DBA and DEVOPS in the other rollout only: told of that rollout's item, none of this one's.
    expect(await told(since)).toEqual(["dba1 ITEM_DUE_SOON soon", "dba1 ITEM_OVERDUE overdueUnassigned", "dba2 ITEM_OVERDUE overdueUnassigned", "outsider ITEM_DUE_SOON otherRollout"].sort());
    const soon = await t.db.notification.findFirstOrThrow({ where: { targetId: items.soon.id } });
    expect(soon).toMatchObject({ link: `/r/${rollout.slug}/checklist`, subject: items.soon.text, eventSeq: null, targetType: "ChecklistItem" });
  });

  it("gives each reminder once: a second round, on this or another scheduler, tells no one", async () => {
    const since = new Date();
    expect((await createScheduler(() => t.db).runOnce(NOW)).reminders).toBe(0);
    expect((await createScheduler(() => t.db).runOnce(at(0.5))).reminders).toBe(0);
    expect(await told(since)).toEqual([]);
  });

  it("reminds again when the item becomes overdue, and for a new due date", async () => {
    const since = new Date();
    // Six hours on, "later" (due at +30 h) is within 24 h too.
    expect((await createScheduler(() => t.db).runOnce(at(6))).reminders).toBe(3);
    expect(await told(since)).toEqual(["dba1 ITEM_OVERDUE soon", "devops ITEM_DUE_SOON later", "outsider ITEM_OVERDUE otherRollout"]);
    await t.db.checklistItem.update({ where: { id: items.overdueUnassigned.id }, data: { dueAt: at(12), assigneeId: people.dba2.id } });
    expect((await createScheduler(() => t.db).runOnce(at(6))).reminders).toBe(1);
    expect(await told(since)).toEqual(["dba1 ITEM_OVERDUE soon", "dba2 ITEM_DUE_SOON overdueUnassigned", "devops ITEM_DUE_SOON later", "outsider ITEM_OVERDUE otherRollout"].sort());
  });

  it("names the item in the inbox", async () => {
    const { listNotifications } = await import("@/lib/dal/notifications");
    const { getActor } = await import("@/lib/auth/session");
    await as(people.dba1);
    const actor = await getActor();
    const inbox = await listNotifications(actor!, { page: 1 });
    expect(inbox.notifications.map((n) => n.subject)).toContain(items.soon.text);
  });
});

describe("preferences and email", () => {
  const NOW = new Date("2026-05-04T10:00:00.000Z");
  const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);
  const people: Record<string, { id: string; sessionVersion: number; email: string }> = {};
  let rollout: { id: string; slug: string; name: string };

  beforeAll(async () => {
    rollout = await t.db.rollout.findUniqueOrThrow({ where: { id: (await createRollout(t.db)).id } });
    for (const name of ["both", "inApp", "email", "none", "portuguese"]) people[name] = await createUser(t.db, { rolloutId: rollout.id, roles: ["DBA"] });
    await t.db.user.update({ where: { id: people.portuguese.id }, data: { locale: "pt-BR" } });
  });

  it("refuses a channel that is not one of the four, or an unknown kind, and changes nothing", async () => {
    const refusals = [
      [{ "channel.ITEM_DUE_SOON": "LOUD", "channel.ITEM_OVERDUE": "IN_APP" }, "Choose in the portal, by email, both or not at all."],
      [{ "channel.NOT_A_KIND": "EMAIL", "channel.ITEM_OVERDUE": "IN_APP" }, "Unknown kind of notification."],
    ] as const;
    for (const [values, message] of refusals) {
      const result = await savePreferences(people.inApp, values);
      expect(result).toMatchObject({ ok: false, code: "INVALID_INPUT", message });
    }
    expect(await t.db.notificationPreference.count({ where: { userId: people.inApp.id } })).toBe(0);
  });

  it("saves only the caller's own settings; signed out is refused and nothing is written", async () => {
    // Hand-written table: whoever calls changes their own settings, never anyone else's.
    const signedOut = await savePreferences(null, { "channel.ITEM_DUE_SOON": "NONE" });
    expect(signedOut.ok).toBe(false);
    expect(await t.db.notificationPreference.count({ where: { kind: "ITEM_DUE_SOON", channel: "NONE" } })).toBe(0);
    expect((await savePreferences(people.inApp, { "channel.ITEM_DUE_SOON": "IN_APP" })).ok).toBe(true);
    expect((await savePreferences(people.email, { "channel.ITEM_DUE_SOON": "EMAIL" })).ok).toBe(true);
    expect((await savePreferences(people.none, { "channel.ITEM_DUE_SOON": "NONE" })).ok).toBe(true);
    const rows = await t.db.notificationPreference.findMany({ where: { kind: "ITEM_DUE_SOON", userId: { in: Object.values(people).map((p) => p.id) } } });
    const by = Object.fromEntries(rows.map((r) => [Object.entries(people).find(([, p]) => p.id === r.userId)![0], r.channel]));
    expect(by).toEqual({ inApp: "IN_APP", email: "EMAIL", none: "NONE" });
    const again = await savePreferences(people.inApp, { "channel.ITEM_DUE_SOON": "IN_APP" });
    expect(again).toMatchObject({ ok: true, message: "Nothing changed." });
  });

  it("offers 'a webhook was disabled' only to people who are an admin of some rollout, every other kind to everyone", async () => {
    const { getNotificationPreferences } = await import("@/lib/dal/notification-preferences");
    const admin = await createUser(t.db, { rolloutId: rollout.id, roles: ["ADMIN"] });
    // Written from the rules of issue 14 and 13: who can receive which kind.
    const everyone = ["SIGNOFF_AWAITING", "ITEM_ASSIGNED", "ITEM_REOPENED", "SIGNOFF_REJECTED", "GATE_PASSED", "GATE_OVERRIDDEN", "GATE_REOPENED", "DECISION_WITHDRAWN", "ITEM_DUE_SOON", "ITEM_OVERDUE"];
    const kindsOf = async (user: { id: string; email: string }) => (await getNotificationPreferences({ id: user.id, email: user.email, name: user.email, locale: null })).kinds;
    expect((await kindsOf(people.inApp)).sort()).toEqual([...everyone].sort());
    expect((await kindsOf(admin)).sort()).toEqual([...everyone, "WEBHOOK_DISABLED"].sort());
  });

  it("honours each person's channel: portal, email, both (no choice), none", async () => {
    const since = new Date();
    const sent = catcher.messages.length;
    for (const name of ["both", "inApp", "email", "none", "portuguese"]) await item(rollout.id, "DBA", at(4 + Object.keys(people).indexOf(name) / 10), { assigneeId: people[name].id });
    expect((await createScheduler(() => t.db).runOnce(NOW)).reminders).toBe(5);
    const inApp = await t.db.notification.findMany({ where: { createdAt: { gte: since }, rolloutId: rollout.id } });
    const nameOf = (id: string) => Object.entries(people).find(([, p]) => p.id === id)![0];
    expect(inApp.map((n) => nameOf(n.recipientId)).sort()).toEqual(["both", "inApp", "portuguese"]);
    const jobs = await t.db.emailJob.findMany({ where: { createdAt: { gte: since }, rolloutId: rollout.id } });
    expect(jobs.map((j) => nameOf(j.recipientId)).sort()).toEqual(["both", "email", "portuguese"]);
    expect(jobs.every((j) => j.status === "PENDING")).toBe(true);
    // The worker sends them over SMTP: the catcher receives exactly these three.
    await createEmailWorker(() => t.db).runOnce();
    await catcher.waitFor(sent + 3);
    const received = catcher.messages.slice(sent);
    expect(received.flatMap((m) => m.envelopeTo).sort()).toEqual([people.both.email, people.email.email, people.portuguese.email].sort());
    expect(await t.db.emailJob.count({ where: { id: { in: jobs.map((j) => j.id) }, status: "SENT" } })).toBe(3);
  });

  it("writes each email in the recipient's language, naming the item and linking back to the portal", async () => {
    const [english] = mailTo(people.both.email);
    expect(english.subject).toContain("An item of yours is due within 24 hours");
    expect(english.text).toContain(rollout.name);
    expect(english.text).toContain(`${PUBLIC}/r/${rollout.slug}/checklist`);
    const [portuguese] = mailTo(people.portuguese.email);
    expect(portuguese.subject).toContain("Um item seu vence em até 24 horas");
    expect(portuguese.text).toContain("Abrir no Greenlight");
    expect(portuguese.text).toContain(`${PUBLIC}/r/${rollout.slug}/checklist`);
    const job = await t.db.emailJob.findFirstOrThrow({ where: { recipientId: people.portuguese.id } });
    expect(portuguese.subject).toContain(job.subject!);
  });
});

describe("daily digest", () => {
  const DAY = "2026-07-06";
  const at = (time: string) => new Date(`${DAY}T${time}:00.000Z`);
  let person: { id: string; sessionVersion: number; email: string };
  let rollout: { id: string };

  beforeAll(async () => {
    rollout = await createRollout(t.db);
    person = await createUser(t.db, { rolloutId: rollout.id, roles: ["DEVOPS"] });
    expect((await savePreferences(person, { dailyDigest: "on" })).ok).toBe(true);
    await item(rollout.id, "DEVOPS", at("12:00"), { assigneeId: person.id });
    await item(rollout.id, "DEVOPS", at("15:00"), { assigneeId: person.id });
  });

  it("holds the emails until the digest hour, then sends one email a day with both", async () => {
    const scheduler = createScheduler(() => t.db, { digestHour: 7 });
    const worker = createEmailWorker(() => t.db);
    expect(await scheduler.runOnce(at("05:00"))).toEqual({ reminders: 2, digests: 0 });
    expect(await t.db.emailJob.count({ where: { recipientId: person.id, status: "HELD" } })).toBe(2);
    await worker.runOnce();
    expect(mailTo(person.email)).toHaveLength(0);
    expect((await scheduler.runOnce(at("08:00"))).digests).toBe(1);
    expect((await createScheduler(() => t.db, { digestHour: 7 }).runOnce(at("09:00"))).digests).toBe(0);
    expect(await t.db.emailJob.count({ where: { recipientId: person.id, status: "FOLDED" } })).toBe(2);
    const before = catcher.messages.length;
    expect(await worker.runOnce()).toBe(1);
    await catcher.waitFor(before + 1);
    const [digest] = mailTo(person.email);
    expect(mailTo(person.email)).toHaveLength(1);
    expect(digest.subject).toContain("Your daily digest: 2 notifications");
    const texts = (await t.db.emailJob.findMany({ where: { recipientId: person.id, status: "FOLDED" } })).map((j) => j.subject!);
    for (const text of texts) expect(digest.text).toContain(text);
  });

  it("turning the digest off sends what it held", async () => {
    await t.db.checklistItem.updateMany({ where: { assigneeId: person.id }, data: { state: "DONE" } });
    await item(rollout.id, "DEVOPS", new Date("2026-07-07T12:00:00.000Z"), { assigneeId: person.id });
    await createScheduler(() => t.db, { digestHour: 7 }).runOnce(new Date("2026-07-07T05:00:00.000Z"));
    expect(await t.db.emailJob.count({ where: { recipientId: person.id, status: "HELD" } })).toBe(1);
    expect((await savePreferences(person, {})).ok).toBe(true);
    expect(await t.db.emailJob.count({ where: { recipientId: person.id, status: "HELD" } })).toBe(0);
    expect(await t.db.emailJob.count({ where: { recipientId: person.id, status: "PENDING" } })).toBe(1);
  });
});

describe("two scheduler processes on one Postgres server", () => {
  it("send each reminder email exactly once", async () => {
    expect(t.url, "this test needs DATABASE_URL (a Postgres server)").not.toBeNull();
    await t.db.emailJob.updateMany({ where: { status: { in: ["PENDING", "HELD"] } }, data: { status: "FAILED" } });
    const NOW = new Date("2026-09-07T10:00:00.000Z");
    const rollout = await createRollout(t.db);
    const people = [];
    for (let i = 0; i < 4; i++) people.push(await createUser(t.db, { rolloutId: rollout.id, roles: ["OPS_MANAGER"] }));
    const made = [];
    for (let i = 0; i < 24; i++) made.push(await item(rollout.id, "OPS_MANAGER", new Date(NOW.getTime() + (i - 12) * HOUR), { assigneeId: people[i % 4].id }));
    const sent = catcher.messages.length;
    const run = () =>
      promisify(execFile)("npx", ["tsx", "tests/integration/helpers/scheduler-process.ts", t.url as string, NOW.toISOString()], {
        env: { ...process.env, SMTP_URL: catcher.url, PUBLIC_URL: PUBLIC },
        timeout: 120_000,
      });
    const [a, b] = await Promise.all([run(), run()]);
    const [ra, ea] = a.stdout.trim().split(" ").map(Number);
    const [rb, eb] = b.stdout.trim().split(" ").map(Number);
    expect(ra + rb).toBe(24);
    expect(ea + eb).toBe(24);
    await catcher.waitFor(sent + 24);
    const received = catcher.messages.slice(sent);
    expect(received).toHaveLength(24);
    expect(new Set(received.map((m) => m.messageId)).size).toBe(24);
    // Each item named in exactly one email.
    for (const it of made) expect(received.filter((m) => m.subject?.includes(it.text)), it.text).toHaveLength(1);
    expect(await t.db.reminder.count({ where: { itemId: { in: made.map((m) => m.id) } } })).toBe(24);
    process.stdout.write(`scheduler processes: reminders ${ra} + ${rb}, emails ${ea} + ${eb}\n`);
  }, 180_000);
});

describe("the embedded database (PGlite), one instance", () => {
  let pglite: PGlite;
  let db: ReturnType<typeof prismaClientFor>;
  // Creating and migrating a PGlite takes a while on a loaded machine: in the hook, with its longer timeout.
  beforeAll(async () => {
    pglite = await PGlite.create();
    await migrateWith(new PrismaPGlite(pglite));
    db = prismaClientFor(new PrismaPGlite(pglite));
  });
  afterAll(async () => {
    await db?.$disconnect();
    await pglite?.close();
  });

  it("gives reminders once and sends their emails", async () => {
    const NOW = new Date("2026-11-02T10:00:00.000Z");
    const rollout = await db.rollout.create({ data: { slug: unique("emb"), name: "Embedded", anchorDate: NOW } });
    const user = await db.user.create({ data: { email: `${unique("emb")}@example.test`, name: "Embedded person", locale: "pt-BR" } });
    await db.rolloutMember.create({ data: { rolloutId: rollout.id, userId: user.id, role: "DBA" } });
    await db.checklistItem.create({ data: { rolloutId: rollout.id, list: "IMMEDIATE", position: 1, text: "Embedded item", ownerRole: "DBA", dueAt: new Date(NOW.getTime() - HOUR) } });
    const scheduler = createScheduler(() => db);
    expect((await scheduler.runOnce(NOW)).reminders).toBe(1);
    expect((await scheduler.runOnce(NOW)).reminders).toBe(0);
    expect(await db.notification.count({ where: { recipientId: user.id, kind: "ITEM_OVERDUE" } })).toBe(1);
    const sent = catcher.messages.length;
    expect(await createEmailWorker(() => db).runOnce()).toBe(1);
    await catcher.waitFor(sent + 1);
    const mail = catcher.messages[sent];
    expect(mail.envelopeTo).toEqual([user.email]);
    expect(mail.subject).toContain("Um item seu está atrasado: Embedded item");
  });
});

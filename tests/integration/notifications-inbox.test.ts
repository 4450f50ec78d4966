import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createRollout, createUser } from "./helpers/factories";
import { ORIGIN, sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {}, refresh: () => {} }));

// The inbox (issue 14, part 2): a person reads and marks read their own notifications and
// nobody else's. The rule, written from the issue: only the recipient may mark a
// notification read or see it counted; anyone else (a member of the same rollout, its
// admin, the instance admin) is refused as if it did not exist, and signed out is refused
// outright; a refused call changes nothing.

type Person = { id: string; sessionVersion: number };
let t: TestDb;
let rolloutId: string;
const people: Record<"recipient" | "colleague" | "rolloutAdmin" | "instanceAdmin", Person> = {} as never;

beforeAll(async () => {
  t = await createTestDb();
  rolloutId = (await createRollout(t.db)).id;
  people.recipient = await createUser(t.db, { rolloutId, roles: ["DBA"] });
  people.colleague = await createUser(t.db, { rolloutId, roles: ["DBA"] });
  people.rolloutAdmin = await createUser(t.db, { rolloutId, roles: ["ADMIN"] });
  people.instanceAdmin = await t.db.user.update({ where: { id: (await createUser(t.db)).id }, data: { isInstanceAdmin: true } });
});
afterAll(async () => t?.close());

type Caller = keyof typeof people | "signedOut";

/** Who may mark the recipient's notification read: the recipient, and nobody else. */
const MAY_MARK: Record<Caller, boolean> = { recipient: true, colleague: false, rolloutAdmin: false, instanceAdmin: false, signedOut: false };

async function as(caller: Caller) {
  setRequest({ cookie: caller === "signedOut" ? null : await sessionCookie(people[caller]), origin: ORIGIN });
}

let seq = 0;
async function notificationFor(recipientId: string, kind: "ITEM_ASSIGNED" | "SIGNOFF_AWAITING" = "ITEM_ASSIGNED", createdAt = new Date()) {
  return t.db.notification.create({ data: { recipientId, rolloutId, kind, eventSeq: ++seq, targetType: "ChecklistItem", targetId: `item-${seq}`, link: "/r/x/checklist", createdAt } });
}

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) data.set(k, v);
  return data;
}

/** Every notification's read state and the security log's size: what a refusal must leave as it was. */
const snapshot = async () => ({
  notifications: await t.db.notification.findMany({ select: { id: true, readAt: true }, orderBy: { id: "asc" } }),
  securityEvents: await t.db.securityEvent.count(),
});

describe("marking read", () => {
  for (const caller of Object.keys(MAY_MARK) as Caller[]) {
    it(`one notification of the recipient: ${MAY_MARK[caller] ? "done" : "refused, nothing changes"} for ${caller}`, async () => {
      const { markNotificationReadAction } = await import("@/lib/actions/notifications");
      const target = await notificationFor(people.recipient.id);
      await as(caller);
      const before = await snapshot();
      const result = await markNotificationReadAction(undefined, form({ notificationId: target.id }));
      if (MAY_MARK[caller]) {
        expect(result.ok).toBe(true);
        expect((await t.db.notification.findUniqueOrThrow({ where: { id: target.id } })).readAt).not.toBeNull();
        expect(await t.db.securityEvent.count()).toBe(before.securityEvents + 1);
      } else {
        expect(result).toMatchObject({ ok: false, code: caller === "signedOut" ? "UNAUTHENTICATED" : "NOT_FOUND" });
        expect(await snapshot()).toEqual(before);
      }
    });

    it(`all read: for ${caller}, ${MAY_MARK[caller] ? "the recipient's own, and no one else's" : caller === "signedOut" ? "refused, nothing changes" : "only their own, never the recipient's"}`, async () => {
      const { markAllNotificationsReadAction } = await import("@/lib/actions/notifications");
      const theirs = await notificationFor(people.recipient.id);
      const colleagues = await notificationFor(people.colleague.id);
      await as(caller);
      const before = await snapshot();
      const result = await markAllNotificationsReadAction(undefined, form({}));
      const readAt = async (id: string) => (await t.db.notification.findUniqueOrThrow({ where: { id } })).readAt;
      if (caller === "signedOut") {
        expect(result).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
        expect(await snapshot()).toEqual(before);
        return;
      }
      expect(result.ok).toBe(true);
      // The recipient's notification is read only when the recipient asked.
      expect((await readAt(theirs.id)) !== null).toBe(MAY_MARK[caller]);
      // The colleague's own is read only when the colleague asked.
      expect((await readAt(colleagues.id)) !== null).toBe(caller === "colleague");
      // Cleanup for the next caller: the colleague's row back to unread.
      await t.db.notification.update({ where: { id: colleagues.id }, data: { readAt: null } });
    });
  }

  it("refuses an id that is not an id, and a notification that does not exist; nothing changes", async () => {
    const { markNotificationReadAction } = await import("@/lib/actions/notifications");
    await as("recipient");
    const before = await snapshot();
    expect(await markNotificationReadAction(undefined, form({ notificationId: "a\u0000b" }))).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    expect(await markNotificationReadAction(undefined, form({ notificationId: "no-such-notification" }))).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await snapshot()).toEqual(before);
  });

  it("marking one already read again changes nothing and records nothing", async () => {
    const { markNotificationReadAction } = await import("@/lib/actions/notifications");
    const target = await notificationFor(people.recipient.id);
    await as("recipient");
    expect((await markNotificationReadAction(undefined, form({ notificationId: target.id }))).ok).toBe(true);
    const before = await snapshot();
    expect((await markNotificationReadAction(undefined, form({ notificationId: target.id }))).ok).toBe(true);
    expect(await snapshot()).toEqual(before);
  });
});

describe("the unread count's route", () => {
  async function unread(caller: Caller) {
    await as(caller);
    const { GET } = await import("@/app/api/notifications/unread/route");
    return GET();
  }

  it("answers each signed-in person their own unread count, and 401 when signed out", async () => {
    await t.db.notification.deleteMany({});
    await notificationFor(people.recipient.id);
    await notificationFor(people.recipient.id);
    const read = await notificationFor(people.recipient.id);
    await t.db.notification.update({ where: { id: read.id }, data: { readAt: new Date() } });
    await notificationFor(people.colleague.id);

    const expected: Record<Caller, { status: number; body: unknown }> = {
      recipient: { status: 200, body: { unread: 2 } },
      colleague: { status: 200, body: { unread: 1 } },
      rolloutAdmin: { status: 200, body: { unread: 0 } },
      instanceAdmin: { status: 200, body: { unread: 0 } },
      signedOut: { status: 401, body: expect.objectContaining({ code: "UNAUTHENTICATED" }) },
    };
    for (const [caller, want] of Object.entries(expected) as [Caller, (typeof expected)[Caller]][]) {
      const response = await unread(caller);
      expect({ status: response.status, body: await response.json() }, caller).toEqual(want);
    }
    const response = await unread("recipient");
    expect(response.headers.get("cache-control")).toContain("no-store");
  });
});

describe("the inbox", () => {
  it("lists only the caller's own notifications, newest first, a page at a time", async () => {
    const { listNotifications, INBOX_PAGE_SIZE } = await import("@/lib/dal/notifications");
    await t.db.notification.deleteMany({});
    const start = Date.UTC(2026, 5, 1);
    const total = INBOX_PAGE_SIZE + 3;
    for (let i = 0; i < total; i++) await notificationFor(people.recipient.id, i % 2 ? "SIGNOFF_AWAITING" : "ITEM_ASSIGNED", new Date(start + i * 60_000));
    await notificationFor(people.colleague.id);
    const actor = { id: people.recipient.id, email: "", name: "", locale: "en" } as never;

    const first = await listNotifications(actor, { page: 1 });
    expect(first.notifications).toHaveLength(INBOX_PAGE_SIZE);
    expect(first.hasOlder).toBe(true);
    expect(first.unread).toBe(total);
    const times = first.notifications.map((n) => n.createdAt.getTime());
    expect(times[0]).toBe(start + (total - 1) * 60_000);
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const second = await listNotifications(actor, { page: 2 });
    expect(second.notifications.map((n) => n.createdAt.getTime())).toEqual([2, 1, 0].map((i) => start + i * 60_000));
    expect(second.hasOlder).toBe(false);
    const ids = [...first.notifications, ...second.notifications].map((n) => n.id);
    expect(new Set(ids).size).toBe(total);
    expect((await t.db.notification.findMany({ where: { id: { in: ids } }, select: { recipientId: true }, distinct: ["recipientId"] })).map((r) => r.recipientId)).toEqual([people.recipient.id]);
    // A token acts through the API, which has no inbox.
    await expect(listNotifications({ ...(actor as object), scopes: ["items:read"], tokenId: "x" } as never, { page: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { prismaClientFor, setDb, type Db } from "@/lib/db/client";
import { liveListenerCount, setLiveSource } from "@/lib/db/live";
import { migrateWith } from "@/lib/db/migrator";
import { createRollout, createUser } from "./helpers/factories";
import { sessionCookie, setRequest } from "./helpers/request-context";
import { SseReader } from "./helpers/sse";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {}, refresh: () => {} }));

// The embedded database (one instance, PGlite in the process) follows a rollout the same
// way as a Postgres server: this file always runs on an in-memory PGlite, whatever
// DATABASE_URL says (tests/integration/live-events.test.ts runs on the suite's database).

let pglite: PGlite;
let db: Db;
let rollout: { id: string; slug: string };

beforeAll(async () => {
  pglite = await PGlite.create();
  await migrateWith(new PrismaPGlite(pglite));
  db = prismaClientFor(new PrismaPGlite(pglite));
  setDb(db);
  setLiveSource({ kind: "pglite", pglite });
  rollout = await createRollout(db);
});
afterAll(async () => {
  setDb(undefined);
  setLiveSource(undefined);
  await db?.$disconnect();
  await pglite?.close();
});

async function open(cookie: string, signal: AbortSignal, lastEventId?: string) {
  setRequest({ cookie });
  const { GET } = await import("@/app/api/r/[slug]/events/route");
  const headers = new Headers(lastEventId ? { "last-event-id": lastEventId } : {});
  return GET(new Request(`http://portal.test/api/r/${rollout.slug}/events`, { headers, signal }), { params: Promise.resolve({ slug: rollout.slug }) });
}

describe("live updates on the embedded database", () => {
  it("streams a member the events committed by a real action, in order, and nothing of a rolled-back write; a reconnect resumes after Last-Event-ID", async () => {
    const dba = await createUser(db, { rolloutId: rollout.id, roles: ["DBA"] });
    const viewer = await createUser(db, { rolloutId: rollout.id, roles: ["VIEWER"] });
    const outsider = await createUser(db, { rolloutId: (await createRollout(db)).id, roles: ["DBA"] });
    const cookie = await sessionCookie(viewer);
    const item = await db.checklistItem.create({ data: { rolloutId: rollout.id, list: "IMMEDIATE", position: 1, text: "Check replicas", ownerRole: "DBA" } });

    // Nothing for a member of another rollout, nor for a signed-out client.
    expect((await open(await sessionCookie(outsider), new AbortController().signal)).status).toBe(404);
    setRequest({ cookie: null });
    const { GET } = await import("@/app/api/r/[slug]/events/route");
    expect((await GET(new Request(`http://portal.test/api/r/${rollout.slug}/events`), { params: Promise.resolve({ slug: rollout.slug }) })).status).toBe(401);

    const controller = new AbortController();
    const response = await open(cookie, controller.signal);
    expect(response.status).toBe(200);
    const stream = new SseReader(response.body!.getReader());
    expect(await stream.next()).toEqual({ id: "0", event: "ready", data: JSON.stringify({ seq: 0 }) });
    expect(liveListenerCount()).toBe(1);

    // A write that rolls back is never announced.
    const { recordAudit } = await import("@/lib/audit/record");
    await expect(
      db.$transaction(async (tx) => {
        await recordAudit(tx, { rolloutId: rollout.id, actorId: null, action: "test.rolled-back", targetType: "Rollout" });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");

    setRequest({ cookie: await sessionCookie(dba), origin: "http://portal.test" });
    const { updateItemStateAction } = await import("@/lib/actions/workflows");
    const form = new FormData();
    for (const [key, value] of Object.entries({ itemId: item.id, version: String(item.version), state: "DONE" })) form.set(key, value);
    expect((await updateItemStateAction(undefined, form)).ok).toBe(true);
    await db.$transaction((tx) => recordAudit(tx, { rolloutId: rollout.id, actorId: null, action: "test.changed", targetType: "Rollout" }));

    const events = await db.auditEvent.findMany({ where: { rolloutId: rollout.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.seq, e.action])).toEqual([
      [1, "item.state.changed"],
      [2, "test.changed"],
    ]);
    expect(await stream.next()).toEqual({ id: "1", event: "change", data: JSON.stringify({ seq: 1 }) });
    expect(await stream.next()).toEqual({ id: "2", event: "change", data: JSON.stringify({ seq: 2 }) });
    controller.abort();
    expect(await stream.next()).toBeNull();
    expect(liveListenerCount()).toBe(0);

    // The page reconnects having seen event 1: it gets event 2 again from the database.
    const again = new AbortController();
    const resumed = new SseReader((await open(cookie, again.signal, "1")).body!.getReader());
    expect(await resumed.next()).toEqual({ id: "1", event: "ready", data: JSON.stringify({ seq: 1 }) });
    expect(await resumed.next()).toEqual({ id: "2", event: "change", data: JSON.stringify({ seq: 2 }) });
    again.abort();
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { liveListenerCount } from "@/lib/db/live";
import { createRollout, createUser } from "./helpers/factories";
import { sessionCookie, setRequest } from "./helpers/request-context";
import { SseReader } from "./helpers/sse";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {}, refresh: () => {} }));

// The live stream of a rollout (issue 14): events are announced when their transaction
// commits (NOTIFY on a Postgres server, the same notifications in-process on PGlite), and
// each open stream reads what follows its last event from the database. This file runs on
// whichever database the suite runs on: in-memory PGlite (one instance) or Postgres.

let t: TestDb;
let rollout: { id: string; slug: string };
let other: { id: string; slug: string };

beforeAll(async () => {
  t = await createTestDb();
  rollout = await createRollout(t.db);
  other = await createRollout(t.db);
});
afterAll(async () => t?.close());

async function open(slug: string, options: { cookie?: string | null; lastEventId?: string; query?: string; signal?: AbortSignal } = {}) {
  setRequest({ cookie: options.cookie ?? null });
  const { GET } = await import("@/app/api/r/[slug]/events/route");
  const headers = new Headers();
  if (options.lastEventId) headers.set("last-event-id", options.lastEventId);
  const request = new Request(`http://portal.test/api/r/${slug}/events${options.query ?? ""}`, { headers, signal: options.signal });
  return GET(request, { params: Promise.resolve({ slug }) });
}

async function member(rolloutId: string, roles: ("DBA" | "EXECUTIVE" | "VIEWER")[] = ["VIEWER"]) {
  const user = await createUser(t.db, { rolloutId, roles });
  return { user, cookie: await sessionCookie(user) };
}

/** Records one event in a transaction of its own, as every write does. */
async function recordEvent(rolloutId: string, action = "test.changed") {
  const { recordAudit } = await import("@/lib/audit/record");
  await t.db.$transaction((tx) => recordAudit(tx, { rolloutId, actorId: null, action, targetType: "Rollout", targetId: rolloutId }));
  return (await t.db.auditEvent.findFirstOrThrow({ where: { rolloutId }, orderBy: { seq: "desc" } })).seq;
}

async function currentSeq(rolloutId: string) {
  return (await t.db.auditEvent.findFirst({ where: { rolloutId }, orderBy: { seq: "desc" } }))?.seq ?? 0;
}

describe("the live stream of a rollout", () => {
  it("answers a signed-out client 401 and streams nothing", async () => {
    const response = await open(rollout.slug, { cookie: null });
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ error: "Sign in first.", code: "UNAUTHENTICATED" });
  });

  it("answers a member of another rollout 404 and streams nothing", async () => {
    const outsider = await member(other.id, ["DBA", "EXECUTIVE"]);
    const response = await open(rollout.slug, { cookie: outsider.cookie });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await response.json()).code).toBe("NOT_FOUND");
  });

  it("answers 404 for a rollout that does not exist, or a slug no rollout can have", async () => {
    const viewer = await member(rollout.id);
    expect((await open("no-such-rollout", { cookie: viewer.cookie })).status).toBe(404);
    expect((await open("bad\u0000slug", { cookie: viewer.cookie })).status).toBe(404);
  });

  it("sends a member every event committed in the rollout, in order, with its sequence number as id, and none of another rollout's", async () => {
    const viewer = await member(rollout.id);
    const start = await currentSeq(rollout.id);
    const controller = new AbortController();
    const response = await open(rollout.slug, { cookie: viewer.cookie, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toContain("no-transform");
    const stream = new SseReader(response.body!.getReader());
    expect(await stream.next()).toEqual({ id: String(start), event: "ready", data: JSON.stringify({ seq: start }) });

    await recordEvent(other.id);
    const first = await recordEvent(rollout.id);
    await recordEvent(other.id);
    const second = await recordEvent(rollout.id);
    // A write that rolls back is never announced.
    const { recordAudit } = await import("@/lib/audit/record");
    await expect(
      t.db.$transaction(async (tx) => {
        await recordAudit(tx, { rolloutId: rollout.id, actorId: null, action: "test.rolled-back", targetType: "Rollout" });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const third = await recordEvent(rollout.id, "test.after-rollback");

    expect([first, second, third]).toEqual([start + 1, start + 2, start + 3]);
    const frames = [await stream.next(), await stream.next(), await stream.next()];
    expect(frames).toEqual([first, second, third].map((seq) => ({ id: String(seq), event: "change", data: JSON.stringify({ seq }) })));
    controller.abort();
    expect(await stream.next()).toBeNull();
  });

  it("announces a real action's events (a ticked item) to an open stream", async () => {
    const dba = await member(rollout.id, ["DBA"]);
    const viewer = await member(rollout.id);
    const item = await t.db.checklistItem.create({ data: { rolloutId: rollout.id, list: "IMMEDIATE", position: 1, text: "Check replicas", ownerRole: "DBA" } });
    const start = await currentSeq(rollout.id);
    const controller = new AbortController();
    const stream = new SseReader((await open(rollout.slug, { cookie: viewer.cookie, signal: controller.signal })).body!.getReader());
    expect((await stream.next())?.event).toBe("ready");

    setRequest({ cookie: dba.cookie, origin: "http://portal.test" });
    const { updateItemStateAction } = await import("@/lib/actions/workflows");
    const form = new FormData();
    for (const [key, value] of Object.entries({ itemId: item.id, version: String(item.version), state: "DONE" })) form.set(key, value);
    const result = await updateItemStateAction(undefined, form);
    expect(result.ok).toBe(true);

    const events = await t.db.auditEvent.findMany({ where: { rolloutId: rollout.id, seq: { gt: start } }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toContain("item.state.changed");
    for (const event of events) expect(await stream.next()).toMatchObject({ id: String(event.seq), event: "change" });
    controller.abort();
  });

  it("resumes after Last-Event-ID with every event recorded since, read from the database", async () => {
    const viewer = await member(rollout.id);
    const seen = await recordEvent(rollout.id);
    // Recorded while the reader was away (no stream was open to hear them).
    const missed = [await recordEvent(rollout.id), await recordEvent(rollout.id), await recordEvent(rollout.id)];
    const controller = new AbortController();
    const stream = new SseReader((await open(rollout.slug, { cookie: viewer.cookie, lastEventId: String(seen), signal: controller.signal })).body!.getReader());
    expect(await stream.next()).toEqual({ id: String(seen), event: "ready", data: JSON.stringify({ seq: seen }) });
    for (const seq of missed) expect(await stream.next()).toEqual({ id: String(seq), event: "change", data: JSON.stringify({ seq }) });
    // And it goes on live after the catch-up.
    const live = await recordEvent(rollout.id);
    expect(await stream.next()).toMatchObject({ id: String(live), event: "change" });
    controller.abort();
  });

  it("resumes from ?after= when the page reopens a stream itself", async () => {
    const viewer = await member(rollout.id);
    const seen = await recordEvent(rollout.id);
    const missed = await recordEvent(rollout.id);
    const controller = new AbortController();
    const stream = new SseReader((await open(rollout.slug, { cookie: viewer.cookie, query: `?after=${seen}`, signal: controller.signal })).body!.getReader());
    expect((await stream.next())?.id).toBe(String(seen));
    expect(await stream.next()).toMatchObject({ id: String(missed), event: "change" });
    controller.abort();
  });

  it("a fresh stream starts after the newest event recorded before its page was rendered", async () => {
    const viewer = await member(rollout.id);
    const before = await recordEvent(rollout.id);
    const renderedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const afterRender = await recordEvent(rollout.id);
    const controller = new AbortController();
    const stream = new SseReader((await open(rollout.slug, { cookie: viewer.cookie, query: `?since=${renderedAt}`, signal: controller.signal })).body!.getReader());
    expect((await stream.next())?.id).toBe(String(before));
    expect(await stream.next()).toMatchObject({ id: String(afterRender), event: "change" });
    controller.abort();
  });

  it("without a resume point starts at the newest event and replays nothing", async () => {
    const viewer = await member(rollout.id);
    const newest = await recordEvent(rollout.id);
    const controller = new AbortController();
    const stream = new SseReader((await open(rollout.slug, { cookie: viewer.cookie, signal: controller.signal })).body!.getReader());
    expect((await stream.next())?.id).toBe(String(newest));
    const next = await recordEvent(rollout.id);
    expect(await stream.next()).toMatchObject({ id: String(next), event: "change" });
    controller.abort();
  });

  it("ends the stream of someone removed from the rollout, without sending them the event", async () => {
    const viewer = await member(rollout.id);
    const controller = new AbortController();
    const stream = new SseReader((await open(rollout.slug, { cookie: viewer.cookie, signal: controller.signal })).body!.getReader());
    expect((await stream.next())?.event).toBe("ready");
    await t.db.rolloutMember.deleteMany({ where: { userId: viewer.user.id } });
    await recordEvent(rollout.id);
    expect(await stream.next()).toBeNull();
  });

  it("ends the stream when its session ends (signed out everywhere), without sending the event", async () => {
    const viewer = await member(rollout.id);
    const controller = new AbortController();
    const stream = new SseReader((await open(rollout.slug, { cookie: viewer.cookie, signal: controller.signal })).body!.getReader());
    expect((await stream.next())?.event).toBe("ready");
    await t.db.user.update({ where: { id: viewer.user.id }, data: { sessionVersion: { increment: 1 } } });
    await recordEvent(rollout.id);
    expect(await stream.next()).toBeNull();
  });

  it("shares the process's one listener among streams and lets go of a stream when its client leaves", async () => {
    const base = liveListenerCount();
    const viewers = [await member(rollout.id), await member(rollout.id)];
    const controllers = viewers.map(() => new AbortController());
    const streams = await Promise.all(
      viewers.map(async (viewer, i) => new SseReader((await open(rollout.slug, { cookie: viewer.cookie, signal: controllers[i].signal })).body!.getReader())),
    );
    for (const stream of streams) expect((await stream.next())?.event).toBe("ready");
    expect(liveListenerCount()).toBe(base + 2);
    const seq = await recordEvent(rollout.id);
    for (const stream of streams) expect(await stream.next()).toMatchObject({ id: String(seq) });
    controllers[0].abort();
    expect(await streams[0].next()).toBeNull();
    expect(liveListenerCount()).toBe(base + 1);
    await streams[1].cancel();
    expect(liveListenerCount()).toBe(base);
  });
});

import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { authSecret } from "@/lib/auth/constants";
import { getActor, getSessionClaims } from "@/lib/auth/session";
import { decodeSessionCookie, rememberEncodedSession } from "@/lib/auth/session-decode";
import { currentRequestTiming, newRequestTiming, runWithRequestTiming, serverTimingHeader, splitTiming, type RequestTiming } from "@/lib/observe/timing";
import { createUser } from "./helpers/factories";
import { inRequest } from "./helpers/request-cache";
import { sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

// One request's timing store (lib/observe/timing.ts): the session cookie is decoded once
// per request however many readers ask for it (the proxy, then the layout, page and data
// layer), never reused across requests or for another cookie value; and every query the
// request sends is counted against it, parallel ones once in its database time.

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
// React's per-request cache, as under Next (see helpers/request-cache.ts).
vi.mock("react", async (importOriginal) => {
  const actual = await importOriginal<typeof import("react")>();
  const { requestCache } = await import("./helpers/request-cache");
  return { ...actual, default: { ...actual, cache: requestCache }, cache: requestCache };
});

let t: TestDb;
let user: { id: string; email: string; sessionVersion: number };

beforeAll(async () => {
  t = await createTestDb();
  user = await createUser(t.db);
});
afterAll(async () => {
  await t.close();
});

/** Runs `work` as one request: its own timing store and React cache, as under the server. */
async function asRequest<T>(work: () => Promise<T>): Promise<{ result: T; timing: RequestTiming }> {
  const timing = newRequestTiming();
  const result = await runWithRequestTiming(timing, () => inRequest(work));
  return { result, timing };
}

describe("the session cookie is decoded once per request", () => {
  it("the proxy's decode is the one the layout, page and data layer read", async () => {
    const cookie = await sessionCookie(user);
    setRequest({ cookie });
    const { result, timing } = await asRequest(async () => {
      const inProxy = await decodeSessionCookie(cookie); // proxy.ts
      const [layout, page] = await Promise.all([getActor(), getActor()]); // layout and page
      const claims = await getSessionClaims(); // a route handler
      return { inProxy, layout, page, claims };
    });
    expect(result.inProxy?.sub).toBe(user.id);
    expect(result.layout?.id).toBe(user.id);
    expect(result.page?.id).toBe(user.id);
    expect(result.claims).toBe(result.inProxy);
    expect(timing.session.decodes).toBe(1);
  });

  it("concurrent readers share one decode", async () => {
    const cookie = await sessionCookie(user);
    const { result, timing } = await asRequest(() => Promise.all([decodeSessionCookie(cookie), decodeSessionCookie(cookie), decodeSessionCookie(cookie)]));
    expect(result.every((claims) => claims?.sub === user.id)).toBe(true);
    expect(timing.session.decodes).toBe(1);
  });

  it("each request decodes for itself: nothing is reused across requests", async () => {
    const cookie = await sessionCookie(user);
    const first = await asRequest(() => decodeSessionCookie(cookie));
    const second = await asRequest(() => decodeSessionCookie(cookie));
    expect(first.timing.session.decodes).toBe(1);
    expect(second.timing.session.decodes).toBe(1);
  });

  it("another cookie value within the request is decoded, not given the earlier claims", async () => {
    const mine = await sessionCookie(user);
    const other = await createUser(t.db);
    const theirs = await sessionCookie(other);
    const { result, timing } = await asRequest(async () => [await decodeSessionCookie(mine), await decodeSessionCookie(theirs)]);
    expect(result.map((claims) => claims?.sub)).toEqual([user.id, other.id]);
    expect(timing.session.decodes).toBe(2);
  });

  it("a forged or garbled cookie decodes to null, once", async () => {
    const real = await sessionCookie(user);
    const forged = await encode({ token: { sub: user.id, sv: user.sessionVersion }, secret: `${authSecret()}-not-ours` });
    for (const raw of [forged, `${real.slice(0, -4)}AAAA`, "not-a-token"]) {
      const { result, timing } = await asRequest(async () => [await decodeSessionCookie(raw), await decodeSessionCookie(raw)]);
      expect(result).toEqual([null, null]);
      expect(timing.session.decodes).toBe(1);
    }
  });

  it("no cookie: nothing is decoded, and the visitor is signed out", async () => {
    setRequest({ cookie: null });
    const { result, timing } = await asRequest(() => getActor());
    expect(result).toBeNull();
    expect(timing.session.decodes).toBe(0);
  });

  it("a session the proxy renewed is read by the page without decoding the new cookie", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: user.id, sv: user.sessionVersion, sid: "renewed-sid", authTime: now - 600, lastSeen: now };
    const renewed = await encode({ token: claims, secret: authSecret() });
    setRequest({ cookie: renewed });
    const { result, timing } = await asRequest(async () => {
      rememberEncodedSession(renewed, claims);
      return getActor();
    });
    expect(result?.id).toBe(user.id);
    expect(timing.session.decodes).toBe(0);
  });

  it("outside a request (scripts, tests) there is no store and every call decodes", async () => {
    expect(currentRequestTiming()).toBeUndefined();
    const cookie = await sessionCookie(user);
    expect((await decodeSessionCookie(cookie))?.sub).toBe(user.id);
  });
});

describe("database time is counted against the request that waited for it", () => {
  it("every query of the request is counted, parallel ones overlapping in its database time", async () => {
    const { timing } = await asRequest(async () => {
      await t.db.user.findUnique({ where: { id: user.id } });
      await Promise.all([t.db.user.count(), t.db.rollout.count(), t.db.user.findMany({ take: 1 })]);
    });
    expect(timing.db.queries).toBe(4);
    expect(timing.db.inFlight).toBe(0);
    const split = splitTiming(timing);
    expect(split.dbMs).toBeGreaterThan(0);
    expect(split.dbMs).toBeLessThanOrEqual(split.totalMs);
    expect(split.dbMs + split.sessionMs + split.renderMs).toBeCloseTo(split.totalMs, 5);
  });

  it("a transaction and its queries count against their request; another request's queries do not", async () => {
    // Two requests at once (no React cache needed here: each gets its own timing store).
    const mine = newRequestTiming();
    const theirs = newRequestTiming();
    await Promise.all([
      // (A Prisma operation runs when awaited: awaited inside the request, as pages do.)
      runWithRequestTiming(mine, async () => await t.db.$transaction(async (tx) => [await tx.user.count(), await tx.rollout.count()])),
      runWithRequestTiming(theirs, async () => await t.db.user.count()),
    ]);
    // Each of the transaction's two queries (its BEGIN and COMMIT are not operations).
    expect(mine.db.queries).toBe(2);
    expect(theirs.db.queries).toBe(1);
  });

  it("the Server-Timing header names db, session, render and total in the W3C format", () => {
    const timing = newRequestTiming(0);
    timing.db.ms = 3.456;
    timing.db.queries = 5;
    timing.session.ms = 0.25;
    timing.session.decodes = 1;
    expect(serverTimingHeader(splitTiming(timing, 10))).toBe('db;dur=3.46;desc="5 queries", session;dur=0.25;desc="1 decode", render;dur=6.29, total;dur=10');
  });
});

import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/metrics/route";
import { updateItemStateAction } from "@/lib/actions/workflows";
import { sessionCookieName } from "@/lib/auth/constants";
import { createPrismaClient, setDb } from "@/lib/db/client";
import { resetServerEnvCache } from "@/lib/env";
import { installHttpObservation } from "@/lib/observe/http";
import { bearerMatches } from "@/lib/observe/token";
import { captureLogs } from "../support/capture-log";
import { createRollout, createUser, unique } from "./helpers/factories";
import { sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// /api/metrics: who may scrape it, and that the series the operators' dashboards read are
// there with the values the database and the requests made. Expected values come from
// what this test did (one ticked item, one stale write...), never from the code's own counts.

const TOKEN = "metrics-token-for-the-test-0123456789";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());
afterEach(() => {
  delete process.env.METRICS_TOKEN;
  delete process.env.GREENLIGHT_TRUSTED_PROXIES;
  resetServerEnvCache();
  setDb(t.db);
});

const scrape = (authorization?: string) => GET(new Request("http://portal.test/api/metrics", { headers: authorization ? { authorization } : {} }));

/** The value of one series in the text format, or undefined when it is absent. */
function valueOf(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || !line.startsWith(name)) continue;
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v) && Object.keys(found).length === Object.keys(labels).length) return Number(match[3]);
  }
  return undefined;
}

describe("who may scrape", () => {
  it("does not exist without METRICS_TOKEN (404, even with a token)", async () => {
    expect((await scrape()).status).toBe(404);
    expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(404);
  });

  it("refuses a missing, wrong, or differently sent token with 401 and a translated message, and answers the right one", async () => {
    process.env.METRICS_TOKEN = TOKEN;
    for (const authorization of [undefined, "Bearer wrong", `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, "Bearer "]) {
      const response = await scrape(authorization);
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      expect(await response.json()).toEqual({ code: "UNAUTHENTICATED", error: "The metrics need the bearer token this instance was given (the Authorization header: Bearer, then the value of METRICS_TOKEN)." });
    }
    // A session (here the instance admin's) is no substitute for the token.
    const admin = await createUser(t.db);
    await t.db.user.update({ where: { id: admin.id }, data: { isInstanceAdmin: true } });
    const cookie = `${sessionCookieName()}=${await sessionCookie(admin)}`;
    expect((await GET(new Request("http://portal.test/api/metrics", { headers: { cookie } }))).status).toBe(401);
    const ptBr = await GET(new Request("http://portal.test/api/metrics", { headers: { "accept-language": "pt-BR" } }));
    expect(((await ptBr.json()) as { error: string }).error).toMatch(/^As métricas exigem/);
    const ok = await scrape(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it("compares tokens whole", () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`Bearer ${TOKEN} extra`, TOKEN)).toBe(false);
    expect(bearerMatches(null, TOKEN)).toBe(false);
    expect(bearerMatches("Bearer", "")).toBe(false);
  });
});

describe("the series", () => {
  it("per rollout: items by state, sign-offs by status, phases by status, the ledger's verification and checkpoint", async () => {
    process.env.METRICS_TOKEN = TOKEN;
    const rollout = await createRollout(t.db, unique("metrics"));
    const dba = await createUser(t.db, { rolloutId: rollout.id, roles: ["DBA"] });
    await t.db.phase.create({ data: { rolloutId: rollout.id, position: 1, name: "One", status: "DONE" } });
    await t.db.phase.createMany({ data: [2, 3].map((position) => ({ rolloutId: rollout.id, position, name: `P${position}`, status: "IN_PROGRESS" as const })) });
    const items = await Promise.all(
      [1, 2, 3].map((position) => t.db.checklistItem.create({ data: { rolloutId: rollout.id, list: "IMMEDIATE", position, text: unique("Item"), ownerRole: "DBA" } })),
    );
    await t.db.signOff.create({ data: { rolloutId: rollout.id, position: 1, title: "Budget", kind: "BUDGET", requiredRoles: ["FINANCE"], status: "APPROVED" } });
    await t.db.signOff.create({ data: { rolloutId: rollout.id, position: 2, title: "Go", kind: "BUDGET", requiredRoles: ["FINANCE"] } });

    // Actions: two ticks (ok), one with an old version (stale), one by a signed-out caller (refused).
    setRequest({ cookie: await sessionCookie(dba) });
    const tick = (itemId: string, version = 1) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ itemId, version: String(version), state: "DONE" })) form.append(k, v);
      return updateItemStateAction(undefined, form);
    };
    const log = captureLogs();
    expect(await tick(items[0]!.id)).toMatchObject({ ok: true });
    expect(await tick(items[1]!.id)).toMatchObject({ ok: true });
    expect(await tick(items[0]!.id)).toMatchObject({ ok: false, code: "STALE" });
    setRequest({});
    expect(await tick(items[2]!.id)).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    log.restore();
    // Each action's log line names the person and the rollout (the ledger told it which).
    const actionLines = log.lines().filter((line) => line.msg === "action");
    expect(actionLines.map((line) => [line.outcome, line.actorId, line.rolloutId])).toEqual([
      ["ok", dba.id, rollout.id],
      ["ok", dba.id, rollout.id],
      ["stale", dba.id, null],
      ["refused", null, null],
    ]);
    for (const line of actionLines) expect(line.durationMs).toEqual(expect.any(Number));

    let text = await (await scrape(`Bearer ${TOKEN}`)).text();
    const r = { rollout: rollout.slug };
    expect(valueOf(text, "greenlight_rollout_items", { ...r, state: "DONE" })).toBe(2);
    expect(valueOf(text, "greenlight_rollout_items", { ...r, state: "OPEN" })).toBe(1);
    expect(valueOf(text, "greenlight_rollout_items", { ...r, state: "NOT_APPLICABLE" })).toBe(0);
    expect(valueOf(text, "greenlight_rollout_sign_offs", { ...r, status: "APPROVED" })).toBe(1);
    expect(valueOf(text, "greenlight_rollout_sign_offs", { ...r, status: "PENDING" })).toBe(1);
    expect(valueOf(text, "greenlight_rollout_sign_offs", { ...r, status: "REJECTED" })).toBe(0);
    expect(valueOf(text, "greenlight_rollout_phases", { ...r, status: "DONE" })).toBe(1);
    expect(valueOf(text, "greenlight_rollout_phases", { ...r, status: "IN_PROGRESS" })).toBe(2);
    expect(valueOf(text, "greenlight_rollout_phases", { ...r, status: "BLOCKED" })).toBe(0);
    expect(valueOf(text, "greenlight_rollout_archived", r)).toBe(0);
    expect(valueOf(text, "greenlight_ledger_verified", r)).toBe(1);
    expect(valueOf(text, "greenlight_ledger_events", r)).toBe(2);
    expect(valueOf(text, "greenlight_ledger_checkpoint_events", r)).toBe(2);
    expect(valueOf(text, "greenlight_ledger_checkpoint_timestamp_seconds", r)).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(valueOf(text, "greenlight_scrape_database_ok")).toBe(1);
    expect(valueOf(text, "greenlight_actions_total", { outcome: "ok" })).toBe(2);
    expect(valueOf(text, "greenlight_actions_total", { outcome: "stale" })).toBe(1);
    expect(valueOf(text, "greenlight_actions_total", { outcome: "refused" })).toBe(1);
    expect(valueOf(text, "greenlight_action_duration_seconds_count", { outcome: "ok" })).toBe(2);
    expect(valueOf(text, "greenlight_process_resident_memory_bytes")).toBeGreaterThan(0);

    // A template is nobody's rollout: not in the series.
    const template = await t.db.rollout.create({ data: { slug: unique("template"), name: "T", anchorDate: new Date(), isTemplate: true } });
    // A rewritten event (its content changed after the fact) is seen at the next scrape.
    const last = await t.db.auditEvent.findFirstOrThrow({ where: { rolloutId: rollout.id }, orderBy: { seq: "desc" } });
    // (As someone with database access would: the append-only trigger switched off.)
    await t.db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    try {
      await t.db.$executeRaw`UPDATE "AuditEvent" SET "action" = 'item.state.forged' WHERE "id" = ${last.id}`;
    } finally {
      await t.db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
    }
    text = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(valueOf(text, "greenlight_ledger_verified", r)).toBe(0);
    expect(text).not.toContain(template.slug);
  });

  it("the database pool's connections in use, idle and waiting (Postgres server), and a scrape while the database is away", async () => {
    process.env.METRICS_TOKEN = TOKEN;
    if (t.url) {
      const db = createPrismaClient({ kind: "postgres", url: t.url });
      setDb(db);
      try {
        await db.$queryRaw`SELECT 1`;
        const text = await (await scrape(`Bearer ${TOKEN}`)).text();
        const inUse = valueOf(text, "greenlight_db_pool_connections", { state: "in_use" })!;
        const idle = valueOf(text, "greenlight_db_pool_connections", { state: "idle" })!;
        // The scrape's own queries ran on this pool, which opened at least one connection.
        expect(inUse + idle).toBeGreaterThanOrEqual(1);
        expect(valueOf(text, "greenlight_db_pool_connections", { state: "waiting" })).toBe(0);
      } finally {
        await db.$disconnect();
      }
    }
    const unreachable = createPrismaClient({ kind: "postgres", url: "postgresql://nobody@127.0.0.1:1/none" });
    setDb(unreachable);
    try {
      const response = await scrape(`Bearer ${TOKEN}`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(valueOf(text, "greenlight_scrape_database_ok")).toBe(0);
      expect(valueOf(text, "greenlight_db_pool_connections", { state: "waiting" })).toBe(0);
    } finally {
      await unreachable.$disconnect();
    }
  });

  it("queues: the webhook outbox's depth, what is due now, and the age of the oldest waiting delivery", async () => {
    process.env.METRICS_TOKEN = TOKEN;
    const queue = { queue: "webhooks" };
    // Empty outbox (this file's database has no endpoint yet): the series are there, at zero.
    let text = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(valueOf(text, "greenlight_queue_depth", queue)).toBe(0);
    expect(valueOf(text, "greenlight_queue_due", queue)).toBe(0);
    expect(valueOf(text, "greenlight_queue_oldest_age_seconds", queue)).toBe(0);

    const rollout = await createRollout(t.db, unique("queue"));
    const endpoint = await t.db.webhookEndpoint.create({ data: { rolloutId: rollout.id, url: "http://127.0.0.1:9/hook", events: ["*"], secret: "whsec_AAAA" } });
    const row = (seq: number, data: Record<string, unknown>) => ({ endpointId: endpoint.id, rolloutId: rollout.id, eventSeq: seq, action: "item.state.changed", payload: {}, ...data });
    const now = Date.now();
    await t.db.webhookDelivery.createMany({
      data: [
        // Waiting for 2 minutes, due now.
        row(1, { status: "PENDING", createdAt: new Date(now - 120_000), nextAttemptAt: new Date(now - 1000) }),
        // Waiting for 30 s, its retry in 10 minutes.
        row(2, { status: "PENDING", createdAt: new Date(now - 30_000), nextAttemptAt: new Date(now + 600_000) }),
        // Done with, whatever their age: not waiting.
        row(3, { status: "DELIVERED", createdAt: new Date(now - 3_600_000), deliveredAt: new Date(now - 3_000_000) }),
        row(4, { status: "FAILED", createdAt: new Date(now - 7_200_000) }),
      ],
    });
    text = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(valueOf(text, "greenlight_queue_depth", queue)).toBe(2);
    expect(valueOf(text, "greenlight_queue_due", queue)).toBe(1);
    const age = valueOf(text, "greenlight_queue_oldest_age_seconds", queue)!;
    expect(age).toBeGreaterThanOrEqual(120);
    expect(age).toBeLessThan(120 + 600);
  });

  it("queues: the email outbox counts what waits to be sent, not what is held for a digest or already sent", async () => {
    process.env.METRICS_TOKEN = TOKEN;
    const queue = { queue: "email" };
    const person = await createUser(t.db);
    const now = Date.now();
    const job = (data: Record<string, unknown>) => ({ recipientId: person.id, kind: "ITEM_ASSIGNED", ...data });
    await t.db.emailJob.createMany({
      data: [
        // Waiting for 5 minutes, due now.
        job({ status: "PENDING", createdAt: new Date(now - 300_000), nextAttemptAt: new Date(now - 1000) }),
        // Waiting for a minute, its retry later.
        job({ status: "PENDING", createdAt: new Date(now - 60_000), nextAttemptAt: new Date(now + 600_000) }),
        // Held for tomorrow's digest, sent, or given up on: not waiting in the queue.
        job({ status: "HELD", createdAt: new Date(now - 7_200_000) }),
        job({ status: "SENT", createdAt: new Date(now - 3_600_000), sentAt: new Date(now - 3_500_000) }),
        job({ status: "FAILED", createdAt: new Date(now - 9_000_000) }),
      ],
    });
    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(valueOf(text, "greenlight_queue_depth", queue)).toBe(2);
    expect(valueOf(text, "greenlight_queue_due", queue)).toBe(1);
    const age = valueOf(text, "greenlight_queue_oldest_age_seconds", queue)!;
    expect(age).toBeGreaterThanOrEqual(300);
    expect(age).toBeLessThan(300 + 600);
  });

  it("HTTP requests by route pattern and status with their latency, the request id answered, a client's own id replaced unless a trusted proxy sent it", async () => {
    process.env.METRICS_TOKEN = TOKEN;
    installHttpObservation();
    const server = http.createServer((request, response) => {
      response.statusCode = request.url?.includes("missing") ? 404 : 200;
      response.end(String(request.headers["x-request-id"]));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const log = captureLogs();
    try {
      const first = await fetch(`${base}/r/some-slug/phases/2`);
      const id = first.headers.get("x-request-id")!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await first.text()).toBe(id);
      await fetch(`${base}/r/other-slug/phases/4`);
      await fetch(`${base}/api/calendar/secret-calendar-token-abc/missing`);
      // Not behind a trusted proxy: the client's id is not ours to log.
      const forged = await fetch(`${base}/`, { headers: { "x-request-id": "chosen-by-the-client" } });
      expect(forged.headers.get("x-request-id")).not.toBe("chosen-by-the-client");
      process.env.GREENLIGHT_TRUSTED_PROXIES = "1";
      resetServerEnvCache();
      const proxied = await fetch(`${base}/`, { headers: { "x-request-id": "from-the-proxy-42" } });
      expect(proxied.headers.get("x-request-id")).toBe("from-the-proxy-42");
      // Even a trusted proxy's id must be an id, not a line of text.
      const malformed = await fetch(`${base}/`, { headers: { "x-request-id": "a b" } });
      expect(malformed.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      log.restore();
      await new Promise((resolve) => server.close(resolve));
    }
    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(valueOf(text, "greenlight_http_requests_total", { method: "GET", route: "/r/[slug]/phases/[position]", status: "200" })).toBe(2);
    expect(valueOf(text, "greenlight_http_requests_total", { method: "GET", route: "other", status: "404" })).toBe(1);
    expect(valueOf(text, "greenlight_http_requests_total", { method: "GET", route: "/", status: "200" })).toBe(3);
    expect(valueOf(text, "greenlight_http_request_duration_seconds_count", { method: "GET", route: "/r/[slug]/phases/[position]", status: "200" })).toBe(2);
    expect(valueOf(text, "greenlight_http_request_duration_seconds_bucket", { method: "GET", route: "/r/[slug]/phases/[position]", status: "200", le: "+Inf" })).toBe(2);
    expect(valueOf(text, "greenlight_http_requests_in_flight")).toBe(0);
    // One log line per request, under the id the response carried; never the address (a calendar feed's holds its token).
    const requests = log.lines().filter((line) => line.msg === "request");
    expect(requests).toHaveLength(6);
    expect(requests.map((line) => line.requestId)).toContain("from-the-proxy-42");
    expect(log.text()).not.toContain("secret-calendar-token-abc");
  });
});

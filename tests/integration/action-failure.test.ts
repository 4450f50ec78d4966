import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { redirect } from "next/navigation";
import { decideSignOffAction, updateItemEvidenceAction, updateItemStateAction } from "@/lib/actions/workflows";
import { prismaClientFor, setDb, type Db } from "@/lib/db/client";
import { isDatabaseUnavailable, toFailure } from "@/lib/server/failure";
import type { ActionResult } from "@/lib/server/action";
import { captureLogs } from "../support/capture-log";
import { TcpProxy } from "../support/tcp-proxy";
import { createRollout, createUser } from "./helpers/factories";
import { requestState, sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// Issue 16: when the database fails under an action, the person keeps the page. The action
// answers { ok:false, code:"UNAVAILABLE", message, requestId } in their language instead of
// throwing (which made the browser replace the whole page), and the error is logged under
// that request id. The outages here are real: the Prisma client talks through a TCP proxy
// that drops or never answers connections.

let t: TestDb;
const proxies: TcpProxy[] = [];
const clients: Db[] = [];
beforeAll(async () => {
  t = await createTestDb();
});
afterEach(() => {
  setDb(t.db);
  vi.restoreAllMocks();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect().catch(() => {})));
  await Promise.all(proxies.map((p) => p.close()));
  await t?.close();
});

const UNAVAILABLE_EN = /^Not saved: the database is unavailable\. Try again in a moment\. \(Request ([0-9a-f-]{36})\)$/;
const UNAVAILABLE_PT = /^Não salvo: o banco de dados está indisponível\. Tente de novo em instantes\. \(Requisição ([0-9a-f-]{36})\)$/;

/** Points the app's database client at a proxy in `mode` (no database behind it). */
async function outage(mode: "down" | "silent") {
  const proxy = new TcpProxy(null, mode);
  proxies.push(proxy);
  const port = await proxy.listen();
  const db = prismaClientFor(new PrismaPg({ connectionString: `postgres://postgres@127.0.0.1:${port}/greenlight`, connectionTimeoutMillis: 300 }));
  clients.push(db);
  setDb(db);
}

async function dbaWithItem() {
  const rollout = await createRollout(t.db);
  const dba = await createUser(t.db, { rolloutId: rollout.id, roles: ["DBA"] });
  const item = await t.db.checklistItem.create({ data: { rolloutId: rollout.id, list: "IMMEDIATE", position: 1, text: "Check replicas", ownerRole: "DBA" } });
  return { dba, item };
}

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.append(key, value);
  return data;
}

function expectUnavailable(result: ActionResult, pattern: RegExp): string {
  expect(result).toMatchObject({ ok: false, code: "UNAVAILABLE" });
  const failed = result as Extract<ActionResult, { ok: false }>;
  const match = pattern.exec(failed.message);
  expect(match, failed.message).not.toBeNull();
  expect(failed.requestId).toBe(match![1]);
  return failed.requestId!;
}

describe("an action while the database is down", () => {
  it("answers UNAVAILABLE with a request id instead of throwing, logs the error under that id, writes nothing, and works again once the database is back", async () => {
    const { dba, item } = await dbaWithItem();
    setRequest({ cookie: await sessionCookie(dba) });
    const log = captureLogs();
    await outage("down");

    const result = await updateItemStateAction(undefined, form({ itemId: item.id, version: "1", state: "DONE" }));
    const requestId = expectUnavailable(result, UNAVAILABLE_EN);
    log.restore();
    // One error line with the failure and its stack, and the action's own line, both under the id the person was given.
    const failures = log.lines().filter((line) => line.msg === "database unavailable");
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: "error", requestId, err: { stack: expect.stringContaining("\n    at ") } });
    expect(log.lines().find((line) => line.msg === "action")).toMatchObject({ level: "error", requestId, outcome: "error", code: "UNAVAILABLE" });

    setDb(t.db);
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ state: "OPEN", version: 1 });
    expect(await updateItemStateAction(undefined, form({ itemId: item.id, version: "1", state: "DONE" }))).toMatchObject({ ok: true, data: { state: "DONE", version: 2 } });
  });

  it("says it in the person's language: the language cookie, else Accept-Language (the account's language cannot be read while the database is down)", async () => {
    const { dba, item } = await dbaWithItem();
    const log = captureLogs("fatal");
    onTestFinished(log.restore);
    await outage("down");

    setRequest({ cookie: await sessionCookie(dba) });
    requestState.cookies.set("NEXT_LOCALE", "pt-BR");
    expectUnavailable(await updateItemEvidenceAction(undefined, form({ itemId: item.id, version: "1", evidence: "x" })), UNAVAILABLE_PT);

    setRequest({ cookie: await sessionCookie(dba) });
    requestState.headers.set("accept-language", "pt-BR,pt;q=0.9");
    expectUnavailable(await decideSignOffAction(undefined, form({ signOffId: "any", value: "APPROVE" })), UNAVAILABLE_PT);
  });

  it("a database that accepts the connection but never answers is unavailable too, once the connect timeout passes", async () => {
    const { dba, item } = await dbaWithItem();
    setRequest({ cookie: await sessionCookie(dba) });
    const log = captureLogs("fatal");
    onTestFinished(log.restore);
    await outage("silent");
    const started = Date.now();
    expectUnavailable(await updateItemStateAction(undefined, form({ itemId: item.id, version: "1", state: "DONE" })), UNAVAILABLE_EN);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("a failure that is not the database's (a bug) is a typed INTERNAL answer with a request id, not a thrown error", async () => {
    const { dba, item } = await dbaWithItem();
    setRequest({ cookie: await sessionCookie(dba) });
    const log = captureLogs();
    // A client missing its models: the session read fails with a TypeError, as a bug would.
    setDb({} as Db);
    const result = await updateItemStateAction(undefined, form({ itemId: item.id, version: "1", state: "DONE" }));
    log.restore();
    expect(result).toMatchObject({ ok: false, code: "INTERNAL" });
    const failed = result as Extract<ActionResult, { ok: false }>;
    expect(failed.message).toBe(`Not saved: something went wrong on our side. Try again; if it keeps failing, quote request ${failed.requestId}.`);
    expect(log.lines().find((line) => line.msg === "unexpected error")).toMatchObject({ level: "error", requestId: failed.requestId, err: { type: "TypeError" } });
  });
});

describe("what counts as the database being unavailable", () => {
  it("Next's redirect passes through untouched", async () => {
    let thrown: unknown;
    try {
      redirect("/sign-in");
    } catch (error) {
      thrown = error;
    }
    await expect(toFailure(thrown)).rejects.toBe(thrown);
  });

  it("a statement cancelled by statement_timeout (SQLSTATE 57014), a server shutting down (57P01) or a lost connection (class 08) are outages; a unique violation is not", () => {
    // The shapes node-postgres gives a server's error: a DatabaseError with the SQLSTATE as `code`.
    const serverError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: "ERROR" });
    expect(isDatabaseUnavailable(serverError("57014", "canceling statement due to statement timeout"))).toBe(true);
    expect(isDatabaseUnavailable(serverError("57P01", "terminating connection due to administrator command"))).toBe(true);
    expect(isDatabaseUnavailable(serverError("08006", "connection failure"))).toBe(true);
    // Prisma wraps the driver's error; the cause chain is followed.
    expect(isDatabaseUnavailable(Object.assign(new Error("Timed out fetching a new connection from the connection pool."), { code: "P2024" }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("wrapped", { cause: serverError("57014", "canceling statement due to statement timeout") }))).toBe(true);
    expect(isDatabaseUnavailable(serverError("23505", "duplicate key value violates unique constraint"))).toBe(false);
    // Prisma's known request error for a server that shut down under the query (seen when Postgres
    // stops): P2039, the driver adapter's error in meta, the SQLSTATE in its cause.
    const prismaDatabaseError = (originalCode: string) =>
      Object.assign(new Error("Invalid `prisma.apiToken.findUnique()` invocation: Database error."), {
        code: "P2039",
        meta: { modelName: "ApiToken", driverAdapterError: Object.assign(new Error("driver"), { cause: { kind: "postgres", originalCode } }) },
      });
    expect(isDatabaseUnavailable(prismaDatabaseError("57P01"))).toBe(true);
    expect(isDatabaseUnavailable(prismaDatabaseError("23505"))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined"))).toBe(false);
  });
});

describe("an API write while the database is down", () => {
  it("answers 503 problem details saying nothing was saved, with the request id and Retry-After, and changes nothing", async () => {
    const { POST } = await import("@/app/api/v1/rollouts/[slug]/items/[itemId]/state/route");
    const { hashApiToken } = await import("@/lib/auth/api-token");
    const { dba, item } = await dbaWithItem();
    const rollout = await t.db.rollout.findUniqueOrThrow({ where: { id: item.rolloutId } });
    const token = `glpat_${"a".repeat(43)}`;
    await t.db.apiToken.create({ data: { kind: "PERSONAL", userId: dba.id, name: "outage", prefix: token.slice(0, 10), tokenHash: hashApiToken(token), scopes: ["items:write"], expiresAt: new Date(Date.now() + 86_400_000) } });
    const post = () =>
      POST(
        new Request(`http://portal.test/api/v1/rollouts/${rollout.slug}/items/${item.id}/state`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "if-match": '"1"', "idempotency-key": "outage-1", "x-request-id": "0b7c4a52-52a4-4c1e-9d3e-2f7a1d9e8c01" },
          body: JSON.stringify({ state: "DONE" }),
        }),
        { params: Promise.resolve({ slug: rollout.slug, itemId: item.id }) },
      );
    const log = captureLogs();
    await outage("down");
    const response = await post();
    log.restore();
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("retry-after")).toBe("5");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: "urn:greenlight:problem:unavailable", title: "UNAVAILABLE", status: 503, code: "UNAVAILABLE", requestId: "0b7c4a52-52a4-4c1e-9d3e-2f7a1d9e8c01" });
    expect(body.detail).toBe("Not saved: the database is unavailable. Try again in a moment. (Request 0b7c4a52-52a4-4c1e-9d3e-2f7a1d9e8c01)");
    // Logged under the same id, with the error.
    expect(log.lines().some((line) => line.msg === "database unavailable" && line.requestId === "0b7c4a52-52a4-4c1e-9d3e-2f7a1d9e8c01")).toBe(true);

    // Back: nothing was written, and the same request (same key) now does the write.
    setDb(t.db);
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ state: "OPEN", version: 1 });
    const retried = await post();
    expect(retried.status).toBe(200);
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ state: "DONE", version: 2 });
  });
});

import { createHash } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { resetServerEnvCache } from "@/lib/env";
import type { Role } from "@/lib/generated/prisma/enums";
import { createRollout, createUser, unique } from "./helpers/factories";
import { ORIGIN, sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// /api/v1 called through its route handlers with real tokens: scopes × endpoints, refused
// tokens, If-Match, Idempotency-Key, problem details, and the OpenAPI document.

let t: TestDb;
let position = 0;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());
beforeEach(() => setRequest({ cookie: null, origin: null }));

type User = Awaited<ReturnType<typeof createUser>>;
const actorOf = (user: User): Actor => ({ id: user.id, email: user.email, name: user.name, locale: user.locale });

async function world(roles: Role[] = ["DEVOPS", "FINANCE"]) {
  const rollout = await createRollout(t.db);
  const owner = await createUser(t.db, { rolloutId: rollout.id, roles });
  const phase = await t.db.phase.create({ data: { rolloutId: rollout.id, position: ++position, name: unique("Phase"), status: "IN_PROGRESS", actualStart: new Date() } });
  return { rollout, owner, phase };
}

function newItem(rolloutId: string, phaseId: string, ownerRole: Role = "DEVOPS") {
  return t.db.checklistItem.create({ data: { rolloutId, list: "PHASE", phaseId, position: ++position, text: unique("Item"), ownerRole } });
}

function newSignOff(rolloutId: string, phaseId: string) {
  return t.db.signOff.create({ data: { rolloutId, phaseId, position: ++position, title: unique("Sign-off"), kind: "BUDGET", requiredRoles: ["FINANCE"] } });
}

function newPhase(rolloutId: string) {
  return t.db.phase.create({ data: { rolloutId, position: ++position, name: unique("Phase"), status: "IN_PROGRESS", actualStart: new Date() } });
}

async function newCriterion(rolloutId: string) {
  const group = await t.db.criterionGroup.create({ data: { rolloutId, name: unique("Group"), position: ++position } });
  return t.db.successCriterion.create({ data: { rolloutId, groupId: group.id, position: 1, text: unique("Criterion") } });
}

async function newReadingEntry(rolloutId: string, role: Role) {
  const document = await t.db.document.create({ data: { rolloutId, key: unique("doc"), title: unique("Document") } });
  return t.db.readingListEntry.create({ data: { rolloutId, role, documentId: document.id, position: ++position, minutes: 5 } });
}

/** A small plan in the documented Markdown format: one phase, two tasks. */
function plan() {
  return ["# Imported plan", "", "## Phase 1 — Preparation", "", "- [ ] Prepare the servers", "- [ ] Write the runbook", ""].join("\n");
}

async function tokenFor(user: User, scopes: string[], expiresInDays = 30) {
  const { createPersonalToken } = await import("@/lib/dal/api-tokens");
  return (await createPersonalToken(actorOf(user), { name: unique("token"), scopes: scopes as never, expiresInDays })).token;
}

type Call = { token?: string | null; body?: unknown; headers?: Record<string, string> };

/** Calls the route handler that serves `apiPath` (under /api/v1) as Next would. */
async function call(method: "GET" | "POST", apiPath: string, options: Call = {}): Promise<Response> {
  const url = `${ORIGIN}/api/v1${apiPath}`;
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  if (options.body !== undefined) headers.set("content-type", "application/json");
  const request = new Request(url, { method, headers, body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body) });
  const segments = new URL(url).pathname.split("/").slice(3);
  // The route file whose folders match the path: a literal folder first, else the one dynamic [param] folder.
  const root = path.resolve("app/api/v1");
  let dir = root;
  const params: Record<string, string> = {};
  for (const segment of segments) {
    if (existsSync(path.join(dir, segment))) {
      dir = path.join(dir, segment);
      continue;
    }
    const dynamic = readdirSync(dir).find((name) => /^\[\w+\]$/.test(name));
    if (!dynamic) throw new Error(`no route for ${apiPath}`);
    params[dynamic.slice(1, -1)] = segment;
    dir = path.join(dir, dynamic);
  }
  const file = path.join(dir, "route.ts");
  if (!existsSync(file)) throw new Error(`no route for ${apiPath}`);
  type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
  const handler = ((await import(/* @vite-ignore */ file)) as Record<string, Handler>)[method];
  if (!handler) throw new Error(`no ${method} for ${apiPath}`);
  return handler(request, { params: Promise.resolve(params) });
}

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

const auditCount = (rolloutId: string) => t.db.auditEvent.count({ where: { rolloutId } });

const ALL_SCOPES = ["read", "items:write", "signoffs:decide", "criteria:verify", "plan:write", "admin"] as const;

describe("scopes × endpoints", () => {
  // Written from the rule, not computed: every scope may read the rollout it works in (and
  // keep its own reading list); ticking and assigning one's own item need items:write;
  // deciding and withdrawing need signoffs:decide; verifying a criterion needs
  // criteria:verify; moving a phase needs plan:write. The owner (DEVOPS + FINANCE +
  // DEV_LEAD) owns the item, is the sign-off's approver, verifies criteria and moves
  // phases, so the roles allow every call here.
  const EXPECTED: Record<string, { allowed: readonly string[]; status: number }> = {
    listRollouts: { allowed: ALL_SCOPES, status: 200 },
    getRollout: { allowed: ALL_SCOPES, status: 200 },
    listItems: { allowed: ALL_SCOPES, status: 200 },
    getItem: { allowed: ALL_SCOPES, status: 200 },
    listPhases: { allowed: ALL_SCOPES, status: 200 },
    getPhase: { allowed: ALL_SCOPES, status: 200 },
    listSignOffs: { allowed: ALL_SCOPES, status: 200 },
    getSignOff: { allowed: ALL_SCOPES, status: 200 },
    setItemState: { allowed: ["items:write"], status: 200 },
    decideSignOff: { allowed: ["signoffs:decide"], status: 201 },
    withdrawDecision: { allowed: ["signoffs:decide"], status: 200 },
    transitionPhase: { allowed: ["plan:write"], status: 200 },
    assignItem: { allowed: ["items:write"], status: 200 },
    listCriteria: { allowed: ALL_SCOPES, status: 200 },
    verifyCriterion: { allowed: ["criteria:verify"], status: 200 },
    listMyReading: { allowed: ALL_SCOPES, status: 200 },
    markRead: { allowed: ["read"], status: 200 },
    listActivity: { allowed: ALL_SCOPES, status: 200 },
    exportPlan: { allowed: ["read"], status: 200 },
    exportItems: { allowed: ["read"], status: 200 },
    exportSignOffs: { allowed: ["read"], status: 200 },
    exportCalendar: { allowed: ["read"], status: 200 },
  };

  async function run(endpoint: string, token: string, w: Awaited<ReturnType<typeof world>>): Promise<{ status: number; changed: boolean; body: unknown }> {
    const slug = w.rollout.slug;
    const item = await newItem(w.rollout.id, w.phase.id);
    const signOff = await newSignOff(w.rollout.id, w.phase.id);
    let before = await auditCount(w.rollout.id);
    let response: Response;
    switch (endpoint) {
      case "listRollouts":
        response = await call("GET", "/rollouts", { token });
        break;
      case "getRollout":
        response = await call("GET", `/rollouts/${slug}`, { token });
        break;
      case "listItems":
        response = await call("GET", `/rollouts/${slug}/items`, { token });
        break;
      case "getItem":
        response = await call("GET", `/rollouts/${slug}/items/${item.id}`, { token });
        break;
      case "listPhases":
        response = await call("GET", `/rollouts/${slug}/phases`, { token });
        break;
      case "getPhase":
        response = await call("GET", `/rollouts/${slug}/phases/${w.phase.id}`, { token });
        break;
      case "listSignOffs":
        response = await call("GET", `/rollouts/${slug}/sign-offs`, { token });
        break;
      case "getSignOff":
        response = await call("GET", `/rollouts/${slug}/sign-offs/${signOff.id}`, { token });
        break;
      case "setItemState":
        response = await call("POST", `/rollouts/${slug}/items/${item.id}/state`, { token, body: { state: "DONE", evidence: "https://ci.example.test/run/1" }, headers: { "if-match": `"${item.version}"` } });
        break;
      case "decideSignOff":
        response = await call("POST", `/rollouts/${slug}/sign-offs/${signOff.id}/decisions`, { token, body: { value: "APPROVE" } });
        break;
      case "withdrawDecision": {
        await t.db.signOffDecision.create({ data: { signOffId: signOff.id, userId: w.owner.id, role: "FINANCE", value: "APPROVE", title: signOff.title } });
        before = await auditCount(w.rollout.id);
        response = await call("POST", `/rollouts/${slug}/sign-offs/${signOff.id}/withdrawal`, { token });
        break;
      }
      case "transitionPhase": {
        const phase = await newPhase(w.rollout.id);
        response = await call("POST", `/rollouts/${slug}/phases/${phase.id}/transitions`, { token, body: { transition: "block", reason: "waiting for the vendor" }, headers: { "if-match": `"${phase.version}"` } });
        break;
      }
      case "assignItem":
        response = await call("POST", `/rollouts/${slug}/items/${item.id}/assignee`, { token, body: { assigneeId: w.owner.id }, headers: { "if-match": `"${item.version}"` } });
        break;
      case "listCriteria":
        response = await call("GET", `/rollouts/${slug}/criteria`, { token });
        break;
      case "verifyCriterion": {
        const criterion = await newCriterion(w.rollout.id);
        response = await call("POST", `/rollouts/${slug}/criteria/${criterion.id}/verification`, { token, body: { verified: true, note: "dashboard green" }, headers: { "if-match": `"${criterion.version}"` } });
        break;
      }
      case "listMyReading":
        response = await call("GET", `/rollouts/${slug}/reading`, { token });
        break;
      case "markRead": {
        const entry = await newReadingEntry(w.rollout.id, "DEVOPS");
        response = await call("POST", `/rollouts/${slug}/reading/${entry.id}/read-state`, { token, body: { read: true } });
        break;
      }
      case "listActivity":
        response = await call("GET", `/rollouts/${slug}/activity`, { token });
        break;
      case "exportPlan":
        response = await call("GET", `/rollouts/${slug}/exports/plan`, { token });
        break;
      case "exportItems":
        response = await call("GET", `/rollouts/${slug}/exports/items`, { token });
        break;
      case "exportSignOffs":
        response = await call("GET", `/rollouts/${slug}/exports/sign-offs`, { token });
        break;
      case "exportCalendar":
        response = await call("GET", `/rollouts/${slug}/exports/calendar`, { token });
        break;
      default:
        throw new Error(endpoint);
    }
    const isFile = response.status === 200 && !(response.headers.get("content-type") ?? "").startsWith("application/");
    const body = isFile ? await response.text() : await response.json();
    const changed = (await auditCount(w.rollout.id)) !== before;
    return { status: response.status, changed, body };
  }

  it("each scope reaches exactly the endpoints the rule gives it, and a refusal changes nothing", async () => {
    const w = await world(["DEVOPS", "FINANCE", "DEV_LEAD"]);
    let refusals = 0;
    for (const scope of ALL_SCOPES) {
      const token = await tokenFor(w.owner, [scope]);
      for (const [endpoint, expected] of Object.entries(EXPECTED)) {
        const result = await run(endpoint, token, w);
        if (expected.allowed.includes(scope)) {
          expect(result.status, `${scope} ${endpoint}`).toBe(expected.status);
          if (endpoint === "listRollouts") expect((result.body as Array<{ slug: string }>).map((r) => r.slug)).toEqual([w.rollout.slug]);
        } else {
          refusals++;
          expect(result.status, `${scope} ${endpoint}`).toBe(403);
          expect(result.body).toMatchObject({ type: "urn:greenlight:problem:forbidden", status: 403 });
          expect(result.changed, `${scope} ${endpoint} changed something`).toBe(false);
        }
      }
    }
    // 6 scopes: 5 refused on each of the seven writes and each of the four exports.
    expect(refusals).toBe(55);
  });

  it("never does more than the owner's roles allow, at the moment of the call", async () => {
    const viewer = await world(["VIEWER"]);
    const viewerToken = await tokenFor(viewer.owner, [...ALL_SCOPES]);
    expect((await run("getItem", viewerToken, viewer)).status).toBe(200);
    expect(await run("setItemState", viewerToken, viewer)).toMatchObject({ status: 403, changed: false });
    expect(await run("decideSignOff", viewerToken, viewer)).toMatchObject({ status: 403, changed: false });
    for (const endpoint of ["withdrawDecision", "transitionPhase", "assignItem", "verifyCriterion"]) {
      expect(await run(endpoint, viewerToken, viewer), endpoint).toMatchObject({ status: 403, changed: false });
    }
    // Another role's reading list is not the caller's to mark.
    const foreign = await newReadingEntry(viewer.rollout.id, "DBA");
    const refused = await call("POST", `/rollouts/${viewer.rollout.slug}/reading/${foreign.id}/read-state`, { token: viewerToken, body: { read: true } });
    expect(refused.status).toBe(403);
    expect(await t.db.readState.count({ where: { entryId: foreign.id } })).toBe(0);

    // A rollout admin ticks any item, but decides no sign-off.
    const admin = await world(["ADMIN"]);
    const adminToken = await tokenFor(admin.owner, [...ALL_SCOPES]);
    expect((await run("setItemState", adminToken, admin)).status).toBe(200);
    expect(await run("decideSignOff", adminToken, admin)).toMatchObject({ status: 403, changed: false });

    // Roles taken away after the token was made: the token loses them at once.
    const w = await world(["DEVOPS"]);
    const token = await tokenFor(w.owner, [...ALL_SCOPES]);
    expect((await run("setItemState", token, w)).status).toBe(200);
    await t.db.rolloutMember.updateMany({ where: { userId: w.owner.id, rolloutId: w.rollout.id }, data: { role: "VIEWER" } });
    expect(await run("setItemState", token, w)).toMatchObject({ status: 403, changed: false });
    await t.db.rolloutMember.deleteMany({ where: { userId: w.owner.id } });
    expect((await run("getRollout", token, w)).status).toBe(404);
  });
});

describe("refused tokens", () => {
  it("answers revoked, expired, malformed, unknown and deactivated-owner tokens with the same 401", async () => {
    const w = await world();
    const { revokePersonalToken, listPersonalTokens } = await import("@/lib/dal/api-tokens");
    const good = await tokenFor(w.owner, ["read"]);
    expect((await call("GET", "/rollouts", { token: good })).status).toBe(200);

    const revoked = await tokenFor(w.owner, ["read"]);
    const revokedRow = (await listPersonalTokens(actorOf(w.owner)))[0]!;
    await revokePersonalToken(actorOf(w.owner), revokedRow.id);
    const expired = await tokenFor(w.owner, ["read"]);
    await t.db.apiToken.updateMany({ where: { userId: w.owner.id, revokedAt: null, prefix: expired.slice(0, 10) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const other = await world();
    const deactivated = await tokenFor(other.owner, ["read"]);
    await t.db.user.update({ where: { id: other.owner.id }, data: { active: false } });

    const answers = [];
    for (const token of [revoked, expired, "glpat_short", `glpat_${"A".repeat(43)}`, `glsa_${good.slice(6)}`, deactivated]) {
      const response = await call("GET", "/rollouts", { token });
      answers.push({ status: response.status, type: response.headers.get("content-type"), auth: response.headers.get("www-authenticate"), body: await response.json() });
    }
    const missing = await call("GET", "/rollouts", { headers: { authorization: "Basic abc" } });
    answers.push({ status: missing.status, type: missing.headers.get("content-type"), auth: missing.headers.get("www-authenticate"), body: await missing.json() });
    expect(answers[0]).toEqual({
      status: 401,
      type: "application/problem+json",
      auth: 'Bearer realm="greenlight"',
      body: { type: "urn:greenlight:problem:unauthenticated", title: "UNAUTHENTICATED", status: 401, detail: "The API token is missing, malformed, expired or revoked.", instance: "/api/v1/rollouts", code: "UNAUTHENTICATED" },
    });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it("records a working token's last use, time and address", async () => {
    const w = await world();
    const token = await tokenFor(w.owner, ["read"]);
    await call("GET", "/rollouts", { token });
    const row = await t.db.apiToken.findFirstOrThrow({ where: { userId: w.owner.id } });
    expect(row.lastUsedAt).not.toBeNull();
    expect(row.tokenHash).not.toContain(token);
    expect(token.startsWith(row.prefix)).toBe(true);
    expect(row.prefix).toMatch(/^glpat_.{4}$/);
  });

  it("accepts the session cookie only when the request passes the same-origin check", async () => {
    const w = await world();
    setRequest({ cookie: await sessionCookie(w.owner), origin: null });
    const crossSite = await call("GET", "/rollouts");
    expect(crossSite.status).toBe(401);
    expect((await crossSite.json()).detail).toBe("A session cookie is accepted here only from the portal's own pages. Use an API token.");
    const forged = await call("GET", "/rollouts", { headers: { origin: "https://evil.example" } });
    expect(forged.status).toBe(401);
    const sameOrigin = await call("GET", "/rollouts", { headers: { origin: ORIGIN, host: new URL(ORIGIN).host } });
    expect(sameOrigin.status).toBe(200);
  });

  it("limits each token's requests per minute with 429 and Retry-After", async () => {
    const w = await world();
    const token = await tokenFor(w.owner, ["read"]);
    const other = await tokenFor(w.owner, ["read"]);
    process.env.GREENLIGHT_API_RATE_PER_MINUTE = "3";
    resetServerEnvCache();
    try {
      for (let i = 0; i < 3; i++) expect((await call("GET", "/rollouts", { token })).status).toBe(200);
      const limited = await call("GET", "/rollouts", { token });
      expect(limited.status).toBe(429);
      const wait = Number(limited.headers.get("retry-after"));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      expect((await limited.json()).type).toBe("urn:greenlight:problem:rate-limited");
      // Another token of the same person has its own count.
      expect((await call("GET", "/rollouts", { token: other })).status).toBe(200);
    } finally {
      delete process.env.GREENLIGHT_API_RATE_PER_MINUTE;
      resetServerEnvCache();
    }
  });
});

describe("the rate limit across instances", () => {
  it("is one budget per token for every instance: two Prisma clients (two instances) share it, even when racing", async () => {
    const w = await world();
    const token = await tokenFor(w.owner, ["read"]);
    const row = await t.db.apiToken.findUniqueOrThrow({ where: { tokenHash: hashOf(token) } });
    const { takeRateSlot } = await import("@/lib/auth/api-token");
    const { prismaClientFor } = await import("@/lib/db/client");
    const { PrismaPg } = await import("@prisma/adapter-pg");
    // A second instance: its own client and connection pool on the same database.
    const other = t.url ? prismaClientFor(new PrismaPg({ connectionString: t.url, max: 5 })) : t.db;
    try {
      // 20 requests at once, half through each instance, with a budget of 5 a minute: exactly 5 pass.
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => takeRateSlot(row.id, 5, i % 2 === 0 ? t.db : other)));
      expect(answers.filter((wait) => wait === null)).toHaveLength(5);
      for (const wait of answers.filter((wait) => wait !== null)) {
        expect(wait).toBeGreaterThanOrEqual(1);
        expect(wait).toBeLessThanOrEqual(60);
      }
      // Still refused on either instance.
      expect(await takeRateSlot(row.id, 5, other)).not.toBeNull();
      expect(await takeRateSlot(row.id, 5, t.db)).not.toBeNull();
      // When the window has ended, the budget starts afresh (for both).
      await t.db.apiRateWindow.update({ where: { tokenId: row.id }, data: { windowEnds: new Date(Date.now() - 1000) } });
      expect(await takeRateSlot(row.id, 5, other)).toBeNull();
      expect((await t.db.apiRateWindow.findUniqueOrThrow({ where: { tokenId: row.id } })).count).toBe(1);
    } finally {
      if (other !== t.db) await other.$disconnect();
    }
  });

  it("answers 429 from the shared count: requests another instance counted use up this one's budget", async () => {
    const w = await world();
    const token = await tokenFor(w.owner, ["read"]);
    const row = await t.db.apiToken.findUniqueOrThrow({ where: { tokenHash: hashOf(token) } });
    process.env.GREENLIGHT_API_RATE_PER_MINUTE = "2";
    resetServerEnvCache();
    try {
      // Another instance already served two of this token's requests this minute.
      await t.db.apiRateWindow.create({ data: { tokenId: row.id, count: 2, windowEnds: new Date(Date.now() + 60_000) } });
      const limited = await call("GET", "/rollouts", { token });
      expect(limited.status).toBe(429);
      expect(limited.headers.get("content-type")).toBe("application/problem+json");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      const problem = await limited.json();
      expect(problem.type).toBe("urn:greenlight:problem:rate-limited");
      expect(problem.status).toBe(429);
    } finally {
      delete process.env.GREENLIGHT_API_RATE_PER_MINUTE;
      resetServerEnvCache();
    }
  });
});

describe("conditional and repeated writes", () => {
  it("refuses a stale If-Match with 412 and the fresh state, changing nothing; a missing one with 428", async () => {
    const w = await world();
    const token = await tokenFor(w.owner, ["items:write"]);
    const item = await newItem(w.rollout.id, w.phase.id);
    const url = `/rollouts/${w.rollout.slug}/items/${item.id}/state`;
    const first = await call("POST", url, { token, body: { state: "DONE", evidence: "run 1" }, headers: { "if-match": `"${item.version}"` } });
    expect(first.status).toBe(200);
    expect(first.headers.get("etag")).toBe(`"${item.version + 1}"`);
    const before = await auditCount(w.rollout.id);
    const stale = await call("POST", url, { token, body: { state: "OPEN" }, headers: { "if-match": `"${item.version}"` } });
    expect(stale.status).toBe(412);
    expect(stale.headers.get("etag")).toBe(`"${item.version + 1}"`);
    const body = await stale.json();
    expect(body).toMatchObject({ type: "urn:greenlight:problem:stale", status: 412, fresh: { id: item.id, state: "DONE", evidence: "run 1", version: item.version + 1 } });
    const missing = await call("POST", url, { token, body: { state: "OPEN" } });
    expect(missing.status).toBe(428);
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ state: "DONE", evidence: "run 1", version: item.version + 1 });
    expect(await auditCount(w.rollout.id)).toBe(before);
  });

  it("refuses a stale If-Match on a phase transition, an assignment, a verification and a decision, changing nothing", async () => {
    const w = await world(["DEVOPS", "FINANCE", "DEV_LEAD"]);
    const token = await tokenFor(w.owner, ["items:write", "signoffs:decide", "criteria:verify", "plan:write"]);
    const slug = w.rollout.slug;
    const phase = await newPhase(w.rollout.id);
    const item = await newItem(w.rollout.id, w.phase.id);
    const criterion = await newCriterion(w.rollout.id);
    const signOff = await newSignOff(w.rollout.id, w.phase.id);
    // Someone else writes first: each row is one version ahead of what the caller saw.
    await t.db.phase.update({ where: { id: phase.id }, data: { version: { increment: 1 } } });
    await t.db.checklistItem.update({ where: { id: item.id }, data: { version: { increment: 1 } } });
    await t.db.successCriterion.update({ where: { id: criterion.id }, data: { version: { increment: 1 } } });
    await t.db.signOff.update({ where: { id: signOff.id }, data: { version: { increment: 1 } } });
    const before = await auditCount(w.rollout.id);
    const cases = [
      { url: `/rollouts/${slug}/phases/${phase.id}/transitions`, body: { transition: "block", reason: "vendor" }, seen: phase.version, id: phase.id },
      { url: `/rollouts/${slug}/items/${item.id}/assignee`, body: { assigneeId: w.owner.id }, seen: item.version, id: item.id },
      { url: `/rollouts/${slug}/criteria/${criterion.id}/verification`, body: { verified: true }, seen: criterion.version, id: criterion.id },
      {
        url: `/rollouts/${slug}/sign-offs/${signOff.id}/decisions`,
        body: { value: "APPROVE" },
        seen: signOff.version,
        id: signOff.id,
        // The decision's own words (not the rename's "here is its current name").
        detail: `This sign-off changed after you read it (it is now at version ${signOff.version + 1}). Your decision was not recorded: read the sign-off again and decide on what it says now.`,
      },
    ];
    for (const c of cases) {
      const response = await call("POST", c.url, { token, body: c.body, headers: { "if-match": `"${c.seen}"` } });
      expect(response.status, c.url).toBe(412);
      expect(response.headers.get("etag"), c.url).toBe(`"${c.seen + 1}"`);
      const problem = await response.json();
      expect(problem, c.url).toMatchObject({ type: "urn:greenlight:problem:stale", fresh: { id: c.id, version: c.seen + 1 } });
      if ("detail" in c) expect(problem.detail).toBe(c.detail);
    }
    expect(await auditCount(w.rollout.id)).toBe(before);
    expect(await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } })).toMatchObject({ status: "IN_PROGRESS" });
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ assigneeId: null });
    expect(await t.db.successCriterion.findUniqueOrThrow({ where: { id: criterion.id } })).toMatchObject({ verifiedAt: null });
    expect(await t.db.signOffDecision.count({ where: { signOffId: signOff.id } })).toBe(0);

    // With the fresh versions the same writes go through; a transition and an assignment require If-Match.
    expect((await call("POST", cases[0]!.url, { token, body: cases[0]!.body })).status).toBe(428);
    for (const c of cases) {
      const response = await call("POST", c.url, { token, body: c.body, headers: { "if-match": `"${c.seen + 1}"` } });
      expect(response.status, c.url).toBeLessThan(300);
    }
    expect(await t.db.phase.findUniqueOrThrow({ where: { id: phase.id } })).toMatchObject({ status: "BLOCKED", blockedReason: "vendor" });
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ assigneeId: w.owner.id });
    expect(await t.db.successCriterion.findUniqueOrThrow({ where: { id: criterion.id } })).toMatchObject({ verifiedById: w.owner.id });
    expect(await t.db.signOffDecision.count({ where: { signOffId: signOff.id, withdrawnAt: null } })).toBe(1);
  });

  it("forgets an Idempotency-Key after 24 hours and takes over a claim stuck unanswered", async () => {
    const w = await world();
    const token = await tokenFor(w.owner, ["items:write"]);
    const item = await newItem(w.rollout.id, w.phase.id);
    const url = `/rollouts/${w.rollout.slug}/items/${item.id}/state`;
    const key = unique("key");
    const first = await call("POST", url, { token, body: { state: "DONE" }, headers: { "if-match": `"${item.version}"`, "idempotency-key": key } });
    expect(first.status).toBe(200);
    const replay = await call("POST", url, { token, body: { state: "DONE" }, headers: { "if-match": `"${item.version}"`, "idempotency-key": key } });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    // 25 hours later the key is forgotten: the same key with another body is a new request.
    await t.db.idempotencyKey.updateMany({ where: { userId: w.owner.id, key }, data: { createdAt: new Date(Date.now() - 25 * 3600_000) } });
    const later = await call("POST", url, { token, body: { state: "OPEN" }, headers: { "if-match": `"${item.version + 1}"`, "idempotency-key": key } });
    expect(later.status).toBe(200);
    expect(later.headers.get("idempotent-replayed")).toBeNull();
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ state: "OPEN", version: item.version + 2 });

    // A claim whose request died (no answer recorded): a retry within the limit is told to wait,
    // one after the limit (5 minutes) runs the request.
    const stuckKey = unique("key");
    await t.db.idempotencyKey.create({ data: { userId: w.owner.id, key: stuckKey, requestHash: "x".repeat(64), createdAt: new Date(Date.now() - 6 * 60_000) } });
    const takenOver = await call("POST", url, { token, body: { state: "DONE" }, headers: { "if-match": `"${item.version + 2}"`, "idempotency-key": stuckKey } });
    expect(takenOver.status).toBe(200);
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ state: "DONE", version: item.version + 3 });
    const row = await t.db.idempotencyKey.findFirstOrThrow({ where: { userId: w.owner.id, key: stuckKey } });
    expect(row.status).toBe(200);
    expect(row.requestHash).not.toBe("x".repeat(64));
  });

  it("50 concurrent identical POSTs with one Idempotency-Key give one decision and one answer", async () => {
    const w = await world();
    const token = await tokenFor(w.owner, ["signoffs:decide"]);
    const signOff = await newSignOff(w.rollout.id, w.phase.id);
    const url = `/rollouts/${w.rollout.slug}/sign-offs/${signOff.id}/decisions`;
    const key = unique("key");
    const responses = await Promise.all(Array.from({ length: 50 }, () => call("POST", url, { token, body: { value: "APPROVE" }, headers: { "idempotency-key": key } })));
    const answers = await Promise.all(responses.map(async (r) => ({ status: r.status, body: await r.text() })));
    expect(new Set(answers.map((a) => `${a.status} ${a.body}`))).toEqual(new Set([`201 ${JSON.stringify({ recorded: true, status: "APPROVED" })}`]));
    expect(responses.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(49);
    expect(await t.db.signOffDecision.count({ where: { signOffId: signOff.id } })).toBe(1);
    const shown = await call("GET", `/rollouts/${w.rollout.slug}/sign-offs/${signOff.id}`, { token });
    expect(shown.headers.get("etag")).toBe(`"${signOff.version + 1}"`);
    expect(await shown.json()).toMatchObject({ id: signOff.id, status: "APPROVED", decisions: [{ by: { id: w.owner.id }, role: "FINANCE", value: "APPROVE" }] });
    expect(await t.db.auditEvent.count({ where: { targetId: signOff.id, action: "signoff.approved" } })).toBe(1);

    const reused = await call("POST", url, { token, body: { value: "REJECT", comment: "no" }, headers: { "idempotency-key": key } });
    expect(reused.status).toBe(422);
    expect((await reused.json()).type).toBe("urn:greenlight:problem:idempotency-reused");
    expect(await t.db.signOffDecision.findFirstOrThrow({ where: { signOffId: signOff.id } })).toMatchObject({ value: "APPROVE" });
  });
});

describe("the CI job of docs/api.md", () => {
  it("ticks the item with the run's URL as evidence (If-Match from the GET's ETag), and reads a rejected gate's sign-off as REJECTED", async () => {
    const w = await world(["DEVOPS"]);
    const token = await tokenFor(w.owner, ["items:write"]);
    const item = await newItem(w.rollout.id, w.phase.id);
    const signOff = await newSignOff(w.rollout.id, w.phase.id);
    const base = `/rollouts/${w.rollout.slug}`;
    // Step 1: GET for the ETag, then the tick with the run's URL, as the script sends it.
    const etag = (await call("GET", `${base}/items/${item.id}`, { token })).headers.get("etag")!;
    const runUrl = "https://github.com/acme/shop/actions/runs/1234";
    const tick = await call("POST", `${base}/items/${item.id}/state`, { token, body: { state: "DONE", evidence: runUrl }, headers: { "if-match": etag, "idempotency-key": "run-1234-1" } });
    expect(tick.status).toBe(200);
    expect(await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ state: "DONE", evidence: runUrl, stateChangedById: w.owner.id });
    // Step 2: while undecided the job passes; once the approver rejects, `.status` is REJECTED and the job fails.
    expect((await (await call("GET", `${base}/sign-offs/${signOff.id}`, { token })).json()).status).not.toBe("REJECTED");
    const finance = await createUser(t.db, { rolloutId: w.rollout.id, roles: ["FINANCE"] });
    const financeToken = await tokenFor(finance, ["signoffs:decide"]);
    expect((await call("POST", `${base}/sign-offs/${signOff.id}/decisions`, { token: financeToken, body: { value: "REJECT", comment: "over budget" } })).status).toBe(201);
    expect((await (await call("GET", `${base}/sign-offs/${signOff.id}`, { token })).json()).status).toBe("REJECTED");
  });
});

describe("answers", () => {
  it("lists every field error, in the token owner's language", async () => {
    const w = await world();
    await t.db.user.update({ where: { id: w.owner.id }, data: { locale: "pt-BR" } });
    const token = await tokenFor({ ...w.owner, locale: "pt-BR" }, ["items:write"]);
    const item = await newItem(w.rollout.id, w.phase.id);
    const response = await call("POST", `/rollouts/${w.rollout.slug}/items/${item.id}/state`, { token, body: { state: "MAYBE", evidence: "x".repeat(2001) }, headers: { "if-match": "1" } });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = await response.json();
    expect(body.detail).toBe("Os campos da requisição não são válidos (veja errors).");
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["evidence", "state"]);
    const notJson = await call("POST", `/rollouts/${w.rollout.slug}/items/${item.id}/state`, { token, body: "{", headers: { "if-match": "1" } });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).detail).toBe("O corpo da requisição não é um JSON válido.");
    expect((await t.db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).version).toBe(item.version);
  });

  it("pages through the checklist with a cursor, with the checklist's filters", async () => {
    const w = await world();
    const token = await tokenFor(w.owner, ["read"]);
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await newItem(w.rollout.id, w.phase.id, i < 4 ? "DEVOPS" : "DBA"));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?role=DEVOPS&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const response = await call("GET", `/rollouts/${w.rollout.slug}/items${query}`, { token });
      expect(response.status).toBe(200);
      const page = (await response.json()) as { items: Array<{ id: string; ownerRole: string }>; nextCursor: string | null };
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toEqual(made.slice(0, 4).map((i) => i.id));
    const bad = await call("GET", `/rollouts/${w.rollout.slug}/items?limit=0&cursor=zzz`, { token });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.map((e: { field: string }) => e.field)).toEqual(["limit"]);
  });
});

describe("criteria, reading and activity", () => {
  it("lists the caller's own reading lists only, and marks an entry read once", async () => {
    const w = await world(["DEVOPS"]);
    const token = await tokenFor(w.owner, ["read"]);
    const mine = await newReadingEntry(w.rollout.id, "DEVOPS");
    await newReadingEntry(w.rollout.id, "DBA");
    const url = `/rollouts/${w.rollout.slug}/reading`;
    expect(await (await call("GET", url, { token })).json()).toEqual([expect.objectContaining({ id: mine.id, role: "DEVOPS", read: false, readAt: null })]);
    const marked = await call("POST", `${url}/${mine.id}/read-state`, { token, body: { read: true } });
    expect(await marked.json()).toEqual({ changed: true });
    const again = await call("POST", `${url}/${mine.id}/read-state`, { token, body: { read: true } });
    expect(await again.json()).toEqual({ changed: false });
    expect(await (await call("GET", url, { token })).json()).toEqual([expect.objectContaining({ id: mine.id, read: true })]);
    const bad = await call("POST", `${url}/${mine.id}/read-state`, { token, body: { read: "yes" } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.map((e: { field: string }) => e.field)).toEqual(["read"]);
  });

  it("lists criteria with their verification, and pages through the rollout's events with a cursor", async () => {
    const w = await world(["DEVOPS"]);
    const token = await tokenFor(w.owner, ["read", "criteria:verify"]);
    const criterion = await newCriterion(w.rollout.id);
    const verified = await call("POST", `/rollouts/${w.rollout.slug}/criteria/${criterion.id}/verification`, { token, body: { verified: true, note: "p95 under 300 ms" }, headers: { "if-match": `"${criterion.version}"` } });
    expect(verified.status).toBe(200);
    expect(verified.headers.get("etag")).toBe(`"${criterion.version + 1}"`);
    const listed = await (await call("GET", `/rollouts/${w.rollout.slug}/criteria`, { token })).json();
    expect(listed).toEqual([expect.objectContaining({ id: criterion.id, verified: true, note: "p95 under 300 ms", verifiedBy: { id: w.owner.id, name: w.owner.name }, version: criterion.version + 1 })]);

    // 120 more events through the ledger: newest first, 50 a page, none twice, none left out.
    const { recordAudit } = await import("@/lib/audit/record");
    const earlier = await auditCount(w.rollout.id);
    for (let i = 0; i < 120; i++) {
      await t.db.$transaction((tx) => recordAudit(tx, { rolloutId: w.rollout.id, actorId: w.owner.id, action: "item.state.changed", targetType: "ChecklistItem", targetId: null, after: { n: i } }));
    }
    const total = earlier + 120;
    const seen: number[] = [];
    const sizes: number[] = [];
    let before: number | null = null;
    do {
      const response = await call("GET", `/rollouts/${w.rollout.slug}/activity${before ? `?before=${before}` : ""}`, { token });
      expect(response.status).toBe(200);
      const page = (await response.json()) as { events: Array<{ seq: number; after: { n?: number } }>; nextBefore: number | null };
      sizes.push(page.events.length);
      seen.push(...page.events.map((e) => e.after?.n ?? -1));
      before = page.nextBefore;
    } while (before);
    expect(sizes).toEqual([50, 50, total - 100]);
    expect(seen.slice(0, 120)).toEqual(Array.from({ length: 120 }, (_, i) => 119 - i));
    const bad = await call("GET", `/rollouts/${w.rollout.slug}/activity?before=0`, { token });
    expect(bad.status).toBe(400);
  });
});

describe("exports and import", () => {
  it("exports the plan as Markdown, the checklist and sign-offs as CSV (with filters) and the calendar as ICS", async () => {
    const w = await world();
    const token = await tokenFor(w.owner, ["read"]);
    const item = await newItem(w.rollout.id, w.phase.id);
    const other = await newItem(w.rollout.id, w.phase.id, "DBA");
    const signOff = await newSignOff(w.rollout.id, w.phase.id);
    const base = `/rollouts/${w.rollout.slug}/exports`;
    const plan = await call("GET", `${base}/plan`, { token });
    expect(plan.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(plan.headers.get("content-disposition")).toBe(`attachment; filename="${w.rollout.slug}-plan.md"`);
    const markdown = await plan.text();
    expect(markdown).toContain(item.text);
    expect(markdown).toContain(w.phase.name);
    const items = await call("GET", `${base}/items?role=DEVOPS`, { token });
    expect(items.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const csv = await items.text();
    expect(csv).toContain(item.text);
    expect(csv).not.toContain(other.text);
    const signOffs = await (await call("GET", `${base}/sign-offs?status=PENDING`, { token })).text();
    expect(signOffs).toContain(signOff.title);
    expect(await (await call("GET", `${base}/sign-offs?status=APPROVED`, { token })).text()).not.toContain(signOff.title);
    const calendar = await call("GET", `${base}/calendar`, { token });
    expect(calendar.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(await calendar.text()).toMatch(/^BEGIN:VCALENDAR/);
    const bad = await call("GET", `${base}/items?state=MAYBE`, { token });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.map((e: { field: string }) => e.field)).toEqual(["state"]);
  });

  // The rule: a plan goes into an existing rollout for its admins (plan.import), only while
  // it has nothing recorded, and as a new rollout for those holding the right to create
  // rollouts; through the API both need the plan:write scope.
  it("imports a Markdown body into an empty rollout with plan:write only, and never into one with a plan", async () => {
    const empty = await createRollout(t.db);
    const admin = await createUser(t.db, { rolloutId: empty.id, roles: ["ADMIN"] });
    const body = plan();
    for (const scope of ALL_SCOPES.filter((s) => s !== "plan:write")) {
      const token = await tokenFor(admin, [scope]);
      const refused = await call("POST", `/rollouts/${empty.slug}/plan`, { token, body, headers: { "content-type": "text/markdown" } });
      expect(refused.status, scope).toBe(403);
    }
    expect(await t.db.checklistItem.count({ where: { rolloutId: empty.id } })).toBe(0);
    expect(await auditCount(empty.id)).toBe(0);
    const token = await tokenFor(admin, ["plan:write"]);
    const imported = await call("POST", `/rollouts/${empty.slug}/plan`, { token, body, headers: { "content-type": "text/markdown" } });
    expect(imported.status).toBe(201);
    expect(await imported.json()).toMatchObject({ slug: empty.slug, counts: { phases: 1, items: 2 } });
    expect(await t.db.checklistItem.count({ where: { rolloutId: empty.id } })).toBe(2);
    const again = await call("POST", `/rollouts/${empty.slug}/plan`, { token, body, headers: { "content-type": "text/markdown" } });
    expect(again.status).toBe(409);
    expect(await t.db.checklistItem.count({ where: { rolloutId: empty.id } })).toBe(2);

    // A member who is not the rollout's admin: refused even with plan:write.
    const other = await createRollout(t.db);
    const devops = await createUser(t.db, { rolloutId: other.id, roles: ["DEVOPS"] });
    const refused = await call("POST", `/rollouts/${other.slug}/plan`, { token: await tokenFor(devops, ["plan:write"]), body });
    expect(refused.status).toBe(403);
  });

  it("imports a Markdown body as a new rollout for a creator with plan:write only", async () => {
    const home = await createRollout(t.db);
    const creator = await createUser(t.db, { rolloutId: home.id, roles: ["VIEWER"] });
    await t.db.user.update({ where: { id: creator.id }, data: { canCreateRollouts: true } });
    const slug = unique("api-import").toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const url = `/rollouts?slug=${slug}&startDate=2027-03-01&name=Imported`;
    const readOnly = await call("POST", url, { token: await tokenFor(creator, ["read"]), body: plan() });
    expect(readOnly.status).toBe(403);
    expect(await t.db.rollout.count({ where: { slug } })).toBe(0);
    const noRight = await createUser(t.db, { rolloutId: home.id, roles: ["ADMIN"] });
    expect((await call("POST", url, { token: await tokenFor(noRight, ["plan:write"]), body: plan() })).status).toBe(403);
    const created = await call("POST", url, { token: await tokenFor(creator, ["plan:write"]), body: plan() });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ slug, counts: { phases: 1, items: 2 } });
    expect(await t.db.rollout.findUniqueOrThrow({ where: { slug } })).toMatchObject({ name: "Imported" });
    const missing = await call("POST", "/rollouts?name=x", { token: await tokenFor(creator, ["plan:write"]), body: plan() });
    expect(missing.status).toBe(400);
    expect((await missing.json()).errors.map((e: { field: string }) => e.field).sort()).toEqual(["slug", "startDate"]);
  });
});

describe("the OpenAPI document", () => {
  it("validates against the OpenAPI 3.1 schema", async () => {
    const { GET } = await import("@/app/api/v1/openapi.json/route");
    const document = await GET().json();
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it("documents every route file under app/api/v1, and every documented route exists", async () => {
    const { openApiDocument } = await import("@/lib/api/openapi");
    const root = path.resolve("app/api/v1");
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name === "route.ts") files.push(full);
      }
    };
    walk(root);
    const routeOf = (file: string) => "/" + path.relative(root, path.dirname(file)).split(path.sep).map((s) => s.replace(/^\[(\w+)\]$/, "{$1}")).join("/");
    const documented = openApiDocument().paths as Record<string, Record<string, unknown>>;
    expect(files.map(routeOf).sort()).toEqual(Object.keys(documented).sort());
    for (const [route, methods] of Object.entries(documented)) {
      const file = path.join(root, ...route.slice(1).split("/").map((s) => s.replace(/^\{(\w+)\}$/, "[$1]")), "route.ts");
      expect(existsSync(file), route).toBe(true);
      const handlers = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
      for (const method of Object.keys(methods)) expect(typeof handlers[method.toUpperCase()], `${method} ${route}`).toBe("function");
      const exported = Object.keys(handlers).filter((k) => /^(GET|POST|PUT|PATCH|DELETE)$/.test(k));
      expect(exported.map((m) => m.toLowerCase()).sort(), route).toEqual(Object.keys(methods).sort());
    }
  });
});

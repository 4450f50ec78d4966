import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { ALL_ROLES } from "@/lib/domain/roles";
import type { Role } from "@/lib/generated/prisma/enums";
import { makeCaller } from "./helpers/callers";
import { createRollout, createUser, unique } from "./helpers/factories";
import { ORIGIN, sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// Who may make, list and revoke API tokens and rollout service accounts (a table written
// from the rules in docs/security.md, not from the permission table), and what a service
// account's token does.

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

type User = Awaited<ReturnType<typeof createUser>>;
const actorOf = (user: User, extra: Partial<Actor> = {}): Actor => ({ id: user.id, email: user.email, name: user.name, locale: user.locale, ...extra });

/** Service accounts are managed by the rollout's admins, and nobody else. */
const MAY_MANAGE_SERVICE_ACCOUNTS: Record<Role | "outsider", boolean> = {
  EXECUTIVE: false,
  DEV_LEAD: false,
  OPS_MANAGER: false,
  DEVOPS: false,
  DBA: false,
  DATA_ENGINEER: false,
  SECURITY_OFFICER: false,
  FINANCE: false,
  ADMIN: true,
  VIEWER: false,
  outsider: false,
};

const dal = () => import("@/lib/dal/api-tokens");
const input = (rolloutId: string) => ({ rolloutId, name: unique("CI bot"), roles: ["DEVOPS" as const], scopes: ["items:write" as const], expiresInDays: 30 });
const counts = async () => [await t.db.user.count(), await t.db.apiToken.count({ where: { revokedAt: null } }), await t.db.auditEvent.count()];

describe("service accounts", () => {
  it("are made, listed and revoked by the rollout's admins only; a refusal changes nothing", async () => {
    const { createServiceAccount, listServiceAccounts, revokeServiceToken } = await dal();
    const rollout = await createRollout(t.db);
    const other = await createRollout(t.db);
    const admin = await createUser(t.db, { rolloutId: rollout.id, roles: ["ADMIN"] });
    const existing = await createServiceAccount(actorOf(admin), input(rollout.id));
    let refusals = 0;
    for (const caller of [...ALL_ROLES, "outsider"] as const) {
      const actor = actorOf((await makeCaller(t.db, caller, rollout.id, other.id))!);
      const before = await counts();
      const outcomes = await Promise.allSettled([createServiceAccount(actor, input(rollout.id)), listServiceAccounts(actor, rollout.id)]);
      if (MAY_MANAGE_SERVICE_ACCOUNTS[caller]) {
        expect(outcomes.map((o) => o.status), caller).toEqual(["fulfilled", "fulfilled"]);
      } else {
        expect(outcomes.map((o) => o.status), caller).toEqual(["rejected", "rejected"]);
        const revoke = await revokeServiceToken(actor, rollout.id, existing.id).catch((error: unknown) => error);
        expect(revoke, caller).toBeInstanceOf(Error);
        expect(await counts(), caller).toEqual(before);
        refusals += 3;
      }
    }
    expect(refusals).toBe(30);
    // A token (even the admin's own, with every scope) cannot make another: that takes a person.
    await expect(createServiceAccount(actorOf(admin, { scopes: ["admin"], tokenId: "x" }), input(rollout.id))).rejects.toMatchObject({ code: "FORBIDDEN" });
    // An admin of another rollout cannot revoke this rollout's token through their own.
    const otherAdmin = await createUser(t.db, { rolloutId: other.id, roles: ["ADMIN"] });
    await expect(revokeServiceToken(actorOf(otherAdmin), other.id, existing.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await revokeServiceToken(actorOf(admin), rollout.id, existing.id);
    expect((await t.db.apiToken.findUniqueOrThrow({ where: { id: existing.id } })).revokedAt).not.toBeNull();
  });

  it("acts as the bot, within its roles in its one rollout, and cannot sign in", async () => {
    const { createServiceAccount } = await dal();
    const rollout = await createRollout(t.db);
    const admin = await createUser(t.db, { rolloutId: rollout.id, roles: ["ADMIN"] });
    const phase = await t.db.phase.create({ data: { rolloutId: rollout.id, position: 1, name: "One", status: "IN_PROGRESS", actualStart: new Date() } });
    const item = await t.db.checklistItem.create({ data: { rolloutId: rollout.id, list: "PHASE", phaseId: phase.id, position: 1, text: "Deploy", ownerRole: "DEVOPS" } });
    const created = await createServiceAccount(actorOf(admin), input(rollout.id));
    expect(created.token).toMatch(/^glsa_[A-Za-z0-9_-]{43}$/);
    const bot = await t.db.user.findUniqueOrThrow({ where: { id: created.account.id }, select: { id: true, name: true, passwordHash: true, oidcSubject: true, serviceAccountRolloutId: true } });
    expect(bot).toMatchObject({ passwordHash: null, oidcSubject: null, serviceAccountRolloutId: rollout.id });
    expect(await t.db.rolloutMember.findMany({ where: { userId: bot.id }, select: { rolloutId: true, role: true } })).toEqual([{ rolloutId: rollout.id, role: "DEVOPS" }]);
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { rolloutId: rollout.id, action: "service-account.created" } });
    expect(JSON.stringify({ before: event.before, after: event.after })).not.toContain(created.token);

    const { POST } = await import("@/app/api/v1/rollouts/[slug]/items/[itemId]/state/route");
    const response = await POST(
      new Request(`${ORIGIN}/api/v1/rollouts/${rollout.slug}/items/${item.id}/state`, {
        method: "POST",
        headers: { authorization: `Bearer ${created.token}`, "if-match": `"${item.version}"`, "content-type": "application/json" },
        body: JSON.stringify({ state: "DONE", evidence: "https://ci.example.test/runs/42" }),
      }),
      { params: Promise.resolve({ slug: rollout.slug, itemId: item.id }) },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ state: "DONE", stateChangedBy: { id: bot.id, name: bot.name }, evidence: "https://ci.example.test/runs/42" });
  });
});

describe("service accounts of an archived rollout", () => {
  it("are still listed to its admins and revocable by them; making one is refused; others still see nothing", async () => {
    const { createServiceAccount, listServiceAccounts, revokeServiceToken } = await dal();
    const rollout = await createRollout(t.db);
    const admin = await createUser(t.db, { rolloutId: rollout.id, roles: ["ADMIN"] });
    const devops = await createUser(t.db, { rolloutId: rollout.id, roles: ["DEVOPS", "OPS_MANAGER"] });
    const made = await createServiceAccount(actorOf(admin), input(rollout.id));
    await t.db.rollout.update({ where: { id: rollout.id }, data: { archivedAt: new Date() } });
    // Seen by the admin, with its live token.
    const listed = await listServiceAccounts(actorOf(admin), rollout.id);
    expect(listed.map((bot) => [bot.id, bot.apiTokens.map((token) => [token.id, token.revokedAt])])).toEqual([[made.account.id, [[made.id, null]]]]);
    await expect(listServiceAccounts(actorOf(devops), rollout.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Making another is refused, with the archived rollout's reason, and changes nothing.
    const before = await counts();
    await expect(createServiceAccount(actorOf(admin), input(rollout.id))).rejects.toMatchObject({ code: "CONFLICT", i18n: { key: "errors.rollouts.archived" } });
    expect(await counts()).toEqual(before);
    // Revoking: refused to others, allowed to the admin, on the ledger; the token stops at once.
    await expect(revokeServiceToken(actorOf(devops), rollout.id, made.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await counts()).toEqual(before);
    await revokeServiceToken(actorOf(admin), rollout.id, made.id);
    expect((await t.db.apiToken.findUniqueOrThrow({ where: { id: made.id } })).revokedAt).not.toBeNull();
    expect(await t.db.auditEvent.count({ where: { rolloutId: rollout.id, action: "service-account.token.revoked", targetId: made.id, actorId: admin.id } })).toBe(1);
    const { actorFromBearer } = await import("@/lib/auth/api-token");
    await expect(actorFromBearer(made.token, null)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});

describe("personal access tokens", () => {
  it("are made and revoked by their owner only, never by a token, and on the security log", async () => {
    const { createPersonalToken, listPersonalTokens, revokePersonalToken } = await dal();
    const rollout = await createRollout(t.db);
    const owner = await createUser(t.db, { rolloutId: rollout.id, roles: ["DBA"] });
    const stranger = await createUser(t.db, { rolloutId: rollout.id, roles: ["ADMIN"] });
    const made = await createPersonalToken(actorOf(owner), { name: "laptop", scopes: ["read"], expiresInDays: 7 });
    expect(made.token).toMatch(/^glpat_[A-Za-z0-9_-]{43}$/);
    expect((await listPersonalTokens(actorOf(owner))).map((row) => row.id)).toEqual([made.id]);
    expect(await listPersonalTokens(actorOf(stranger))).toEqual([]);
    await expect(revokePersonalToken(actorOf(stranger), made.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(createPersonalToken(actorOf(owner, { scopes: ["admin"], tokenId: made.id }), { name: "x", scopes: ["read"], expiresInDays: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(revokePersonalToken(actorOf(owner, { scopes: ["admin"], tokenId: made.id }), made.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await revokePersonalToken(actorOf(owner), made.id);
    await expect(revokePersonalToken(actorOf(owner), made.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const log = await t.db.securityEvent.findMany({ where: { targetId: made.id }, orderBy: { id: "asc" }, select: { action: true, actorId: true } });
    expect(log).toEqual([
      { action: "api-token.created", actorId: owner.id },
      { action: "api-token.revoked", actorId: owner.id },
    ]);
  });
});

function form(values: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
  return data;
}

describe("the token actions", () => {
  it("run through the session and origin checks, refuse bad input specifically, and show the secret once", async () => {
    const actions = await import("@/lib/actions/api-tokens");
    const rollout = await createRollout(t.db);
    const dba = await createUser(t.db, { rolloutId: rollout.id, roles: ["DBA"] });
    const admin = await createUser(t.db, { rolloutId: rollout.id, roles: ["ADMIN"] });

    setRequest({ cookie: await sessionCookie(dba) });
    const made = await actions.createPersonalTokenAction(undefined, form({ name: "pipeline", scopes: ["read", "items:write"], expiresInDays: "30" }));
    expect(made).toMatchObject({ ok: true, message: "Token created. Copy it now: it will not be shown again." });
    const secret = (made as { data: { token: string } }).data.token;
    expect(secret).toMatch(/^glpat_/);
    const row = await t.db.apiToken.findFirstOrThrow({ where: { userId: dba.id } });
    expect(row).toMatchObject({ scopes: ["read", "items:write"], kind: "PERSONAL" });

    const before = await counts();
    expect(await actions.createPersonalTokenAction(undefined, form({ name: "x\u0000y", scopes: "read", expiresInDays: "30" }))).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    expect(await actions.createPersonalTokenAction(undefined, form({ name: "x", scopes: "root", expiresInDays: "30" }))).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
      message: "Unknown scope: use read, items:write, signoffs:decide, criteria:verify, plan:write or admin.",
    });
    expect(await actions.createPersonalTokenAction(undefined, form({ name: "x", expiresInDays: "30" }))).toMatchObject({ ok: false, message: "Choose at least one scope." });
    expect(await actions.createPersonalTokenAction(undefined, form({ name: "x", scopes: "read", expiresInDays: "400" }))).toMatchObject({ ok: false, message: "A token expires between 1 and 366 days from now." });
    expect(await actions.createServiceAccountAction(undefined, form({ rolloutId: rollout.id, name: "bot", roles: "DEVOPS", scopes: "read", expiresInDays: "30" }))).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await actions.revokePersonalTokenAction(undefined, form({ tokenId: "nope" }))).toMatchObject({ ok: false, code: "NOT_FOUND" });
    setRequest({ cookie: await sessionCookie(dba), origin: "https://evil.example" });
    expect(await actions.revokePersonalTokenAction(undefined, form({ tokenId: row.id }))).toMatchObject({ ok: false, code: "BAD_ORIGIN" });
    setRequest({ cookie: null });
    expect(await actions.createPersonalTokenAction(undefined, form({ name: "x", scopes: "read", expiresInDays: "30" }))).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    expect(await counts()).toEqual(before);

    setRequest({ cookie: await sessionCookie(admin) });
    const bot = await actions.createServiceAccountAction(undefined, form({ rolloutId: rollout.id, name: "Deploy bot", roles: ["DEVOPS"], scopes: ["items:write"], expiresInDays: "90" }));
    expect(bot).toMatchObject({ ok: true, message: "Service account “Deploy bot” created. Copy its token now: it will not be shown again." });
    const botToken = await t.db.apiToken.findFirstOrThrow({ where: { kind: "SERVICE", user: { serviceAccountRolloutId: rollout.id } } });
    expect(await actions.revokeServiceTokenAction(undefined, form({ rolloutId: rollout.id, tokenId: botToken.id }))).toMatchObject({ ok: true });
    setRequest({ cookie: await sessionCookie(dba) });
    expect(await actions.revokePersonalTokenAction(undefined, form({ tokenId: row.id }))).toMatchObject({ ok: true, message: "Token revoked. Requests with it are refused from now on." });
  });
});

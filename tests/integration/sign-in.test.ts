import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueDeviceCookie, knownDeviceId } from "@/lib/auth/device";
import { authorizeCredentials, SIGN_IN_FAILED, type SignInSource } from "@/lib/auth/options";
import { LIMITS, reserveSignInAttempt } from "@/lib/auth/throttle";
import { provisionSsoUser, parseRoleMap } from "@/lib/auth/oidc";
import { createRollout, createUser, KNOWN_PASSWORD, unique } from "./helpers/factories";
import { createTestDb, type TestDb } from "./helpers/test-db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

// The policy, as docs/security.md states it: per (account, address) pair and per known
// device 5 attempts per 15 minutes; per account from unknown devices 100 an hour; per
// address 300 an hour; a refused attempt counts nowhere.
const THROTTLED = /^Too many failed sign-in attempts\. Try again in \d+ (seconds?|minutes?)\.$/;

let counter = 0;
const ip = () => `10.${Math.floor(counter / 250) % 250}.${counter++ % 250}.${1 + Math.floor(Math.random() * 250)}`;
const attempt = (email: string, password: string, source: SignInSource = { address: ip() }) =>
  authorizeCredentials({ email, password }, source).then(
    (result) => ({ ok: true as const, user: result.user, newDeviceCookie: result.newDeviceCookie }),
    (error: Error) => ({ ok: false as const, message: error.message }),
  );
const outcomes = (results: { ok: boolean; message?: string }[]) => ({
  checked: results.filter((r) => r.ok || r.message === SIGN_IN_FAILED).length,
  throttled: results.filter((r) => !r.ok && THROTTLED.test(r.message ?? "")).length,
});
const inAnHour = () => new Date(Date.now() + 3_600_000);

describe("password sign-in", () => {
  it("signs in with the right password and returns the session version", async () => {
    const user = await createUser(t.db);
    expect(await attempt(user.email.toUpperCase(), KNOWN_PASSWORD)).toMatchObject({ ok: true, user: { id: user.id, sessionVersion: 1 } });
  });

  it("answers an unknown email and a wrong password with the same message", async () => {
    const user = await createUser(t.db);
    const wrong = await attempt(user.email, "not the password");
    const unknown = await attempt(`${unique()}@nowhere.test`, KNOWN_PASSWORD);
    expect(wrong).toEqual({ ok: false, message: SIGN_IN_FAILED });
    expect(unknown).toEqual(wrong);
  });

  it("refuses a deactivated account with the same message, even with the right password", async () => {
    const user = await createUser(t.db, { active: false });
    expect(await attempt(user.email, KNOWN_PASSWORD)).toEqual({ ok: false, message: SIGN_IN_FAILED });
  });
});

describe("sign-in throttling", () => {
  it("refuses a 6th attempt from one address within 15 minutes, even with the right password, and says when to retry", async () => {
    const user = await createUser(t.db);
    const address = ip();
    for (let i = 0; i < 5; i++) expect(await attempt(user.email, `guess ${i}`, { address })).toEqual({ ok: false, message: SIGN_IN_FAILED });
    expect(await attempt(user.email, KNOWN_PASSWORD, { address })).toEqual({ ok: false, message: "Too many failed sign-in attempts. Try again in 15 minutes." });
  });

  it("one address guessing at an account does not lock its owner out from another address", async () => {
    const user = await createUser(t.db);
    const attacker = ip();
    for (let i = 0; i < 8; i++) await attempt(user.email, `guess ${i}`, { address: attacker });
    expect(await attempt(user.email, KNOWN_PASSWORD, { address: attacker })).toMatchObject({ ok: false, message: expect.stringMatching(THROTTLED) });
    expect(await attempt(user.email, KNOWN_PASSWORD, { address: ip() })).toMatchObject({ ok: true, user: { id: user.id } });
  });

  it("a refused attempt counts nowhere: hammering a full pair neither fills the account's bucket nor extends the window", async () => {
    const user = await createUser(t.db);
    const address = ip();
    for (let i = 0; i < 40; i++) await reserveSignInAttempt(user.email, { address, deviceId: null });
    const rows = await t.db.signInThrottle.findMany({ where: { key: { contains: user.email } }, orderBy: { key: "asc" } });
    expect(rows.map((r) => [r.key.split(":")[0], r.count])).toEqual([
      ["account", LIMITS.pair.max],
      ["pair", LIMITS.pair.max],
    ]);
    // The pair's window ends 15 minutes after its first attempt, whatever came after.
    const first = await reserveSignInAttempt(user.email, { address, deviceId: null }, new Date(Date.now() + 15 * 60_000 + 1000));
    expect(first).toMatchObject({ allowed: true });
  });

  it("the owner's known device gets in while the account is refused to every unknown device", async () => {
    const user = await createUser(t.db);
    const signedIn = await attempt(user.email, KNOWN_PASSWORD);
    expect(signedIn).toMatchObject({ ok: true, newDeviceCookie: expect.any(String) });
    const device = signedIn.ok ? signedIn.newDeviceCookie! : "";

    // The account's bucket for unknown devices is full (an attack spread over many addresses).
    await t.db.signInThrottle.update({ where: { key: `account:${user.email}` }, data: { count: LIMITS.account.max } });
    expect(await attempt(user.email, KNOWN_PASSWORD, { address: ip() })).toMatchObject({ ok: false, message: expect.stringMatching(THROTTLED) });

    const again = await attempt(user.email, KNOWN_PASSWORD, { address: ip(), deviceCookie: device });
    expect(again).toMatchObject({ ok: true, user: { id: user.id }, newDeviceCookie: null });
  });

  it("a known device has its own limit, which nobody else's attempts touch", async () => {
    const user = await createUser(t.db);
    const device = issueDeviceCookie(user.email);
    const address = ip();
    for (let i = 0; i < 5; i++) await attempt(user.email, `guess ${i}`, { address, deviceCookie: device });
    expect(await attempt(user.email, KNOWN_PASSWORD, { address, deviceCookie: device })).toMatchObject({ ok: false, message: expect.stringMatching(THROTTLED) });
    // The same address without the cookie is a different bucket (its pair), still open.
    expect(await attempt(user.email, KNOWN_PASSWORD, { address })).toMatchObject({ ok: true });
  });

  it("a device cookie is bound to its account and cannot be forged", async () => {
    const email = `${unique()}@x.test`;
    const cookie = issueDeviceCookie(email);
    expect(knownDeviceId(cookie, email.toUpperCase())).toBe(cookie.split(".")[0]);
    expect(knownDeviceId(cookie, `${unique()}@x.test`)).toBeNull();
    expect(knownDeviceId(`${cookie.split(".")[0]}.${"A".repeat(43)}`, email)).toBeNull();
    expect(knownDeviceId("garbage", email)).toBeNull();
  });

  it("20 simultaneous wrong guesses from one address get exactly 5 password checks", async () => {
    const user = await createUser(t.db);
    const address = ip();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(user.email, `guess ${i}`, { address })));
    expect(outcomes(results)).toEqual({ checked: LIMITS.pair.max, throttled: 20 - LIMITS.pair.max });
    expect((await t.db.signInThrottle.findUniqueOrThrow({ where: { key: `pair:${user.email}|${address}` } })).count).toBe(LIMITS.pair.max);
  });

  it("20 simultaneous wrong guesses from 20 addresses cannot pass the account's limit for unknown devices", async () => {
    const user = await createUser(t.db);
    await t.db.signInThrottle.create({ data: { key: `account:${user.email}`, count: LIMITS.account.max - 5, windowEnds: inAnHour() } });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(user.email, `guess ${i}`, { address: ip() })));
    expect(outcomes(results)).toEqual({ checked: 5, throttled: 15 });
    expect((await t.db.signInThrottle.findUniqueOrThrow({ where: { key: `account:${user.email}` } })).count).toBe(LIMITS.account.max);
  });

  it("limits attempts per address across accounts (300 an hour), and lifts every limit when its window ends", async () => {
    const address = ip();
    await t.db.signInThrottle.create({ data: { key: `address:${address}`, count: LIMITS.address.max, windowEnds: inAnHour() } });
    const user = await createUser(t.db);
    expect(await attempt(user.email, KNOWN_PASSWORD, { address })).toMatchObject({ ok: false, message: "Too many failed sign-in attempts. Try again in 60 minutes." });
    expect(await attempt(user.email, KNOWN_PASSWORD, { address: ip() })).toMatchObject({ ok: true });
    expect(await reserveSignInAttempt(user.email, { address, deviceId: null }, new Date(Date.now() + 3_601_000))).toMatchObject({ allowed: true });
  });

  it("without a known client address, attempts count per account only, never in a bucket other clients share", async () => {
    const a = await createUser(t.db);
    const b = await createUser(t.db);
    for (let i = 0; i < 7; i++) await attempt(a.email, `guess ${i}`, { address: null });
    expect(await attempt(b.email, KNOWN_PASSWORD, { address: null })).toMatchObject({ ok: true });
    const keys = (await t.db.signInThrottle.findMany({ where: { OR: [{ key: { contains: a.email } }, { key: { contains: b.email } }] } })).map((r) => r.key);
    expect(keys.sort()).toEqual([`account:${a.email}`, `account:${b.email}`].sort());
    expect(await t.db.signInThrottle.count({ where: { OR: [{ key: { contains: "unknown" } }, { key: { contains: "null" } }] } })).toBe(0);
  });

  it("a successful sign-in takes its own attempt back and clears its pair", async () => {
    const user = await createUser(t.db);
    const address = ip();
    for (let i = 0; i < 3; i++) await attempt(user.email, `guess ${i}`, { address });
    expect(await attempt(user.email, KNOWN_PASSWORD, { address })).toMatchObject({ ok: true });
    expect(await t.db.signInThrottle.findUnique({ where: { key: `pair:${user.email}|${address}` } })).toBeNull();
    expect((await t.db.signInThrottle.findUniqueOrThrow({ where: { key: `account:${user.email}` } })).count).toBe(3);
  });
});

describe("company SSO", () => {
  const mappings = parseRoleMap("rollout-execs=EXECUTIVE, sec-team=SECURITY_OFFICER@sso-rollout, everyone=VIEWER");

  it("creates the user on first sign-in with the roles the claims map to", async () => {
    const rollout = await createRollout(t.db, "sso-rollout");
    const other = await createRollout(t.db);
    const sub = unique("sub");
    const id = await provisionSsoUser({ sub, email: `${sub}@corp.test`, name: "Sso Person", groups: ["sec-team", "everyone", "unmapped"] }, { claim: "groups", mappings });
    expect(id).not.toBeNull();
    const members = await t.db.rolloutMember.findMany({ where: { userId: id! }, select: { rolloutId: true, role: true, source: true } });
    expect(members).toEqual(
      expect.arrayContaining([
        { rolloutId: rollout.id, role: "SECURITY_OFFICER", source: "SSO" },
        { rolloutId: rollout.id, role: "VIEWER", source: "SSO" },
        { rolloutId: other.id, role: "VIEWER", source: "SSO" },
      ]),
    );
    expect(members.filter((m) => m.rolloutId === other.id)).toHaveLength(1);
  });

  it("withdraws a role whose group the provider no longer sends, keeps roles an admin gave, and ends old sessions", async () => {
    const rollout = await createRollout(t.db);
    const sub = unique("sub");
    const claims = { sub, email: `${sub}@corp.test`, groups: "rollout-execs everyone" };
    const id = (await provisionSsoUser(claims, { claim: "groups", mappings }))!;
    await t.db.rolloutMember.create({ data: { rolloutId: rollout.id, userId: id, role: "DBA" } });
    const before = await t.db.user.findUniqueOrThrow({ where: { id } });
    await provisionSsoUser({ ...claims, groups: "everyone" }, { claim: "groups", mappings });
    const roles = (await t.db.rolloutMember.findMany({ where: { userId: id, rolloutId: rollout.id } })).map((m) => m.role).sort();
    expect(roles).toEqual(["DBA", "VIEWER"]);
    expect((await t.db.user.findUniqueOrThrow({ where: { id } })).sessionVersion).toBe(before.sessionVersion + 1);
  });

  it("links a local account only when the provider has verified the email", async () => {
    const local = await createUser(t.db);
    await expect(provisionSsoUser({ sub: unique(), email: local.email, email_verified: false }, { claim: "groups", mappings })).rejects.toThrow(/not verified/);
    const linked = await provisionSsoUser({ sub: unique(), email: local.email, email_verified: true }, { claim: "groups", mappings });
    expect(linked).toBe(local.id);
  });

  it("refuses a deactivated SSO user", async () => {
    const sub = unique("sub");
    const id = (await provisionSsoUser({ sub, email: `${sub}@corp.test` }, { claim: "groups", mappings }))!;
    await t.db.user.update({ where: { id }, data: { active: false } });
    expect(await provisionSsoUser({ sub, email: `${sub}@corp.test` }, { claim: "groups", mappings })).toBeNull();
  });
});

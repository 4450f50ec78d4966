import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeCredentials, SIGN_IN_FAILED } from "@/lib/auth/options";
import { ACCOUNT_FAILURES_PER_HOUR, ADDRESS_FAILURES_PER_HOUR, checkSignInThrottle } from "@/lib/auth/throttle";
import { provisionSsoUser, parseRoleMap } from "@/lib/auth/oidc";
import { createRollout, createUser, KNOWN_PASSWORD, unique } from "./helpers/factories";
import { createTestDb, type TestDb } from "./helpers/test-db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

const ip = () => `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const attempt = (email: string, password: string, address = ip()) =>
  authorizeCredentials({ email, password }, address).then(
    (user) => ({ ok: true as const, user }),
    (error: Error) => ({ ok: false as const, message: error.message }),
  );

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

  it("slows down guessing after 5 failures with a clear message, even for the right password", async () => {
    const user = await createUser(t.db);
    for (let i = 0; i < 5; i++) expect(await attempt(user.email, `guess ${i}`)).toEqual({ ok: false, message: SIGN_IN_FAILED });
    const throttled = await attempt(user.email, KNOWN_PASSWORD);
    expect(throttled).toMatchObject({ ok: false, message: expect.stringMatching(/^Too many failed sign-in attempts\. Try again in \d+ seconds?\.$/) });
  });

  it("allows at most 100 failures an hour per account, and lifts the limit by itself", async () => {
    const user = await createUser(t.db);
    const now = Date.now();
    // 100 failures spread over the last 50 minutes, none recent enough to trigger the back-off alone.
    await t.db.signInFailure.createMany({
      data: Array.from({ length: ACCOUNT_FAILURES_PER_HOUR }, (_, i) => ({ accountKey: user.email, ip: ip(), at: new Date(now - 50 * 60_000 + i * 1000) })),
    });
    const verdict = await checkSignInThrottle(user.email, ip(), new Date(now));
    expect(verdict).toMatchObject({ allowed: false });
    expect(await attempt(user.email, KNOWN_PASSWORD)).toMatchObject({ ok: false, message: expect.stringMatching(/Try again in 1\d minutes\./) });
    // An hour after the oldest failure, the account is free again: no permanent lockout.
    expect(await checkSignInThrottle(user.email, ip(), new Date(now + 61 * 60_000))).toEqual({ allowed: true });
  });

  it("limits failures per client address across accounts", async () => {
    const address = ip();
    await t.db.signInFailure.createMany({
      data: Array.from({ length: ADDRESS_FAILURES_PER_HOUR }, (_, i) => ({ accountKey: `${unique()}@x.test`, ip: address, at: new Date(Date.now() - i * 1000) })),
    });
    const user = await createUser(t.db);
    expect(await attempt(user.email, KNOWN_PASSWORD, address)).toMatchObject({ ok: false, message: expect.stringMatching(/^Too many failed/) });
    expect(await attempt(user.email, KNOWN_PASSWORD, ip())).toMatchObject({ ok: true });
  });

  it("a successful sign-in ends the account's back-off", async () => {
    const user = await createUser(t.db);
    for (let i = 0; i < 3; i++) await attempt(user.email, `guess ${i}`);
    expect(await attempt(user.email, KNOWN_PASSWORD)).toMatchObject({ ok: true });
    expect(await t.db.signInFailure.count({ where: { accountKey: user.email } })).toBe(0);
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

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { IDLE_TIMEOUT_SECONDS, SESSION_MAX_AGE_SECONDS } from "@/lib/auth/constants";
import { createRollout, createUser, KNOWN_PASSWORD, unique } from "./helpers/factories";
import { ORIGIN, sessionCookie, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

let t: TestDb;
let rolloutId: string;
beforeAll(async () => {
  t = await createTestDb();
  rolloutId = (await createRollout(t.db)).id;
});
afterAll(async () => t?.close());

function form(values: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) for (const v of [value].flat()) data.append(key, v);
  return data;
}

async function actorFor(cookie: string) {
  const { getActor } = await import("@/lib/auth/session");
  setRequest({ cookie });
  return getActor();
}

describe("session revocation", () => {
  it("an executive demoted by an admin is refused on the very next request with the old cookie", async () => {
    const { setMemberRolesAction } = await import("@/lib/actions/users");
    const admin = await createUser(t.db, { rolloutId, roles: ["ADMIN"] });
    const exec = await createUser(t.db, { rolloutId, roles: ["EXECUTIVE"] });
    const execCookie = await sessionCookie(exec);
    expect(await actorFor(execCookie)).toMatchObject({ id: exec.id });

    setRequest({ cookie: await sessionCookie(admin) });
    expect(await setMemberRolesAction(undefined, form({ userId: exec.id, rolloutId, roles: ["VIEWER"] }))).toMatchObject({ ok: true });

    expect(await actorFor(execCookie)).toBeNull();
    const { createUserAction } = await import("@/lib/actions/users");
    setRequest({ cookie: execCookie });
    const replay = await createUserAction(undefined, form({ email: `${unique()}@x.test`, name: "X", password: "long enough pass", rolloutId, roles: ["DBA"] }));
    expect(replay).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
  });

  it("a deactivated user's open session stops working at once, and works again only after a new sign-in once reactivated", async () => {
    const { setUserActiveAction } = await import("@/lib/actions/users");
    // Deactivating an account is the instance admin's power (it reaches every rollout).
    const admin = await createUser(t.db, { rolloutId, roles: ["ADMIN"] });
    await t.db.user.update({ where: { id: admin.id }, data: { isInstanceAdmin: true } });
    const user = await createUser(t.db, { rolloutId, roles: ["DBA"] });
    const cookie = await sessionCookie(user);
    expect(await actorFor(cookie)).not.toBeNull();

    setRequest({ cookie: await sessionCookie(admin) });
    expect(await setUserActiveAction(undefined, form({ userId: user.id, active: "false" }))).toMatchObject({ ok: true });
    expect(await actorFor(cookie)).toBeNull();

    setRequest({ cookie: await sessionCookie(admin) });
    expect(await setUserActiveAction(undefined, form({ userId: user.id, active: "true" }))).toMatchObject({ ok: true });
    expect(await actorFor(cookie)).toBeNull();
    const fresh = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await actorFor(await sessionCookie(fresh))).toMatchObject({ id: user.id });
  });

  it("a password change ends the sessions issued before it", async () => {
    const { changePasswordAction } = await import("@/lib/actions/users");
    const user = await createUser(t.db, { rolloutId, roles: ["DBA"] });
    const cookie = await sessionCookie(user);
    setRequest({ cookie });
    const result = await changePasswordAction(undefined, form({ currentPassword: KNOWN_PASSWORD, newPassword: "a new long passphrase", confirmPassword: "a new long passphrase" }));
    expect(result).toMatchObject({ ok: true });
    expect(await actorFor(cookie)).toBeNull();
  });

  it("requires signing in again after 12 hours, or after 30 minutes idle", async () => {
    const user = await createUser(t.db, { rolloutId, roles: ["DBA"] });
    const now = Math.floor(Date.now() / 1000);
    expect(await actorFor(await sessionCookie(user, { authTime: now - SESSION_MAX_AGE_SECONDS + 60, lastSeen: now - 60 }))).not.toBeNull();
    expect(await actorFor(await sessionCookie(user, { authTime: now - SESSION_MAX_AGE_SECONDS - 1, lastSeen: now }))).toBeNull();
    expect(await actorFor(await sessionCookie(user, { authTime: now - 3600, lastSeen: now - IDLE_TIMEOUT_SECONDS - 1 }))).toBeNull();
  });

  it("refuses a token that carries no session id (it could not be signed out)", async () => {
    const user = await createUser(t.db, { rolloutId, roles: ["DBA"] });
    const { encode } = await import("next-auth/jwt");
    const { authSecret } = await import("@/lib/auth/constants");
    const now = Math.floor(Date.now() / 1000);
    expect(await actorFor(await sessionCookie(user))).toMatchObject({ id: user.id });
    const withoutSid = await encode({ token: { sub: user.id, sv: user.sessionVersion, authTime: now, lastSeen: now }, secret: authSecret() });
    expect(await actorFor(withoutSid)).toBeNull();
  });

  it("refuses a cookie signed with another secret", async () => {
    const user = await createUser(t.db, { rolloutId, roles: ["DBA"] });
    const { encode } = await import("next-auth/jwt");
    const now = Math.floor(Date.now() / 1000);
    const forged = await encode({ token: { sub: user.id, sv: 1, authTime: now, lastSeen: now }, secret: "not the portal's secret" });
    expect(await actorFor(forged)).toBeNull();
  });
});

describe("same-origin check on state-changing actions", () => {
  it.each([
    ["a foreign origin", "https://evil.example"],
    ["a null origin", "null"],
    ["no origin at all", null],
    ["the right host over another scheme", ORIGIN.replace("http:", "https:")],
  ])("refuses %s and changes nothing", async (_name, origin) => {
    const { createUserAction } = await import("@/lib/actions/users");
    const admin = await createUser(t.db, { rolloutId, roles: ["ADMIN"] });
    const email = `${unique()}@x.test`;
    setRequest({ cookie: await sessionCookie(admin), origin });
    const result = await createUserAction(undefined, form({ email, name: "X", password: "long enough pass", rolloutId, roles: ["DBA"] }));
    expect(result).toMatchObject({ ok: false, code: "BAD_ORIGIN" });
    expect(await t.db.user.count({ where: { email } })).toBe(0);
  });

  it("accepts the portal's own origin", async () => {
    const { createUserAction } = await import("@/lib/actions/users");
    const admin = await createUser(t.db, { rolloutId, roles: ["ADMIN"] });
    setRequest({ cookie: await sessionCookie(admin), origin: ORIGIN });
    const result = await createUserAction(undefined, form({ email: `${unique()}@x.test`, name: "X", password: "long enough pass", rolloutId, roles: ["DBA"] }));
    expect(result).toMatchObject({ ok: true });
  });
});

describe("user administration rules", () => {
  it("refuses bad input with a specific message and creates nothing", async () => {
    const { createUserAction } = await import("@/lib/actions/users");
    const admin = await createUser(t.db, { rolloutId, roles: ["ADMIN"] });
    setRequest({ cookie: await sessionCookie(admin) });
    const before = await t.db.user.count();
    const weak = await createUserAction(undefined, form({ email: `${unique()}@x.test`, name: "X", password: "password1", rolloutId, roles: ["DBA"] }));
    expect(weak).toMatchObject({ ok: false, code: "INVALID_INPUT", fieldErrors: { password: [expect.stringMatching(/common/)] } });
    const noRole = await createUserAction(undefined, form({ email: `${unique()}@x.test`, name: "X", password: "long enough pass", rolloutId }));
    expect(noRole).toMatchObject({ ok: false, fieldErrors: { roles: ["Give the person at least one role."] } });
    const badEmail = await createUserAction(undefined, form({ email: "not-an-email", name: "X", password: "long enough pass", rolloutId, roles: ["DBA"] }));
    expect(badEmail).toMatchObject({ ok: false, fieldErrors: { email: ["Enter a valid email address."] } });
    expect(await t.db.user.count()).toBe(before);
  });

  it("adds an email that has an account without a second account or any change to it, refuses removing the rollout's last admin, and records every change", async () => {
    const { createUserAction, setMemberRolesAction } = await import("@/lib/actions/users");
    const solo = await createRollout(t.db);
    const admin = await createUser(t.db, { rolloutId: solo.id, roles: ["ADMIN"] });
    setRequest({ cookie: await sessionCookie(admin) });
    const email = `${unique()}@x.test`;
    expect(await createUserAction(undefined, form({ email, name: "A", password: "long enough pass", rolloutId: solo.id, roles: ["DBA"] }))).toMatchObject({ ok: true });
    expect(await createUserAction(undefined, form({ email, name: "B", password: "long enough pass", rolloutId: solo.id, roles: ["DBA"] }))).toEqual({
      ok: true,
      message: `${email} now holds the chosen roles in this rollout.`,
    });
    expect(await t.db.user.findMany({ where: { email }, select: { name: true } })).toEqual([{ name: "A" }]);
    expect(await setMemberRolesAction(undefined, form({ userId: admin.id, rolloutId: solo.id, roles: ["VIEWER"] }))).toMatchObject({ ok: false, code: "CONFLICT" });
    const events = await t.db.auditEvent.findMany({ where: { rolloutId: solo.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["user.created"]);
    expect(events[0].after).toMatchObject({ email, roles: ["DBA"] });
  });
});

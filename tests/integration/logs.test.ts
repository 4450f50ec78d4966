import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as authPost, GET as authGet } from "@/app/api/auth/[...nextauth]/route";
import { createCalendarTokenAction } from "@/lib/actions/ledger";
import { changePasswordAction } from "@/lib/actions/users";
import { sessionCookieName } from "@/lib/auth/constants";
import { hashPassword } from "@/lib/auth/password";
import { createPrismaClient, setDb } from "@/lib/db/client";
import { DEMO_PASSWORD } from "@/lib/domain/demo";
import { logger, maskUrlCredentials } from "@/lib/observe/log";
import type { ActionResult } from "@/lib/server/action";
import { captureLogs } from "../support/capture-log";
import { createRollout, unique } from "./helpers/factories";
import { ORIGIN, requestState, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// The structured log never holds a password, a token, a cookie or a secret: this signs in
// with the demo password through next-auth's own endpoint, creates calendar tokens,
// changes the password, fails an action with the database away, and then searches
// everything the logger wrote for each secret it handled.

let t: TestDb;
const savedUrl = process.env.NEXTAUTH_URL;
beforeAll(async () => {
  process.env.NEXTAUTH_URL = ORIGIN;
  t = await createTestDb();
});
afterAll(async () => {
  if (savedUrl === undefined) delete process.env.NEXTAUTH_URL;
  else process.env.NEXTAUTH_URL = savedUrl;
  await t?.close();
});

async function auth(method: "GET" | "POST", path: string, jar: Map<string, string>, form?: Record<string, string>) {
  const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const request = new NextRequest(`${ORIGIN}/api/auth/${path}`, {
    method,
    headers: { host: new URL(ORIGIN).host, origin: ORIGIN, ...(cookie ? { cookie } : {}), ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  const response = await (method === "GET" ? authGet : authPost)(request, { params: Promise.resolve({ nextauth: path.split("/") }) });
  for (const line of response.headers.getSetCookie()) {
    const [name, ...value] = line.split(";")[0]!.split("=");
    if (value.join("=")) jar.set(name!, value.join("="));
  }
  return response;
}

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.append(key, value);
  return data;
}

describe("the structured log", () => {
  it("holds none of the passwords, tokens, cookies and secrets a session handled", async () => {
    const log = captureLogs("debug");
    const secrets: string[] = [DEMO_PASSWORD];
    try {
      const rollout = await createRollout(t.db);
      const email = `${unique("person")}@example.test`;
      const user = await t.db.user.create({ data: { email, name: "Person", passwordHash: await hashPassword(DEMO_PASSWORD) } });
      await t.db.rolloutMember.create({ data: { rolloutId: rollout.id, userId: user.id, role: "DBA" } });

      // Sign in through next-auth's endpoint, once wrong and once right.
      const jar = new Map<string, string>();
      const csrfToken = ((await (await auth("GET", "csrf", jar)).json()) as { csrfToken: string }).csrfToken;
      secrets.push(csrfToken);
      await auth("POST", "callback/credentials", jar, { csrfToken, email, password: `${DEMO_PASSWORD}-wrong`, callbackUrl: "/home", json: "true" });
      await auth("POST", "callback/credentials", jar, { csrfToken, email, password: DEMO_PASSWORD, callbackUrl: "/home", json: "true" });
      const session = jar.get(sessionCookieName());
      expect(session, "signed in").toBeTruthy();
      secrets.push(session!);

      // Calendar tokens: each action answers the feed's address, which holds the token.
      setRequest({ cookie: session });
      for (let i = 0; i < 3; i += 1) {
        const created = (await createCalendarTokenAction(undefined, form({ rolloutId: rollout.id }))) as ActionResult<{ path: string }>;
        expect(created).toMatchObject({ ok: true });
        const token = /\/api\/calendar\/(.+)\.ics$/.exec((created as { data: { path: string } }).data.path)![1]!;
        secrets.push(token);
      }

      // A password change, refused (wrong current password) and then done.
      const fresh = `${unique("new-passphrase")}-Qx7!long`;
      secrets.push(fresh);
      expect(await changePasswordAction(undefined, form({ currentPassword: "not-it", newPassword: fresh, confirmPassword: fresh }))).toMatchObject({ ok: false });
      expect(await changePasswordAction(undefined, form({ currentPassword: DEMO_PASSWORD, newPassword: fresh, confirmPassword: fresh }))).toMatchObject({ ok: true });

      // The database away mid-action: the error is logged, with its stack, and still no secret.
      const dbPassword = "db-password-in-the-url";
      secrets.push(dbPassword);
      const away = createPrismaClient({ kind: "postgres", url: `postgresql://portal:${dbPassword}@127.0.0.1:1/none` });
      setDb(away);
      setRequest({ cookie: session });
      requestState.headers.set("x-request-id", "req-under-test-1");
      expect(await createCalendarTokenAction(undefined, form({ rolloutId: rollout.id }))).toMatchObject({ ok: false, code: "UNAVAILABLE" });
      await away.$disconnect();
      setDb(t.db);

      // Whatever a future log line carries by mistake is redacted by its key.
      const secret = unique("client-secret");
      secrets.push(secret);
      logger().info(
        { password: secret, token: secret, headers: { cookie: secret, authorization: `Bearer ${secret}` }, user: { account: { newPassword: secret } }, client_secret: secret },
        "a careless line",
      );
      logger().error({ err: new Error(`connect to postgresql://portal:${secret}@db:5432/greenlight failed`) }, "a careless error");
    } finally {
      log.restore();
    }
    const text = log.text();
    const lines = log.lines();
    // The log did record the session: the actions, the failure with its stack, the careless lines.
    expect(lines.filter((line) => line.msg === "action").map((line) => line.outcome)).toEqual(["ok", "ok", "ok", "refused", "ok", "error"]);
    expect(lines.find((line) => line.msg === "database unavailable")).toMatchObject({ requestId: "req-under-test-1", err: { stack: expect.any(String) } });
    expect(lines.find((line) => line.msg === "a careless line")).toMatchObject({ password: "[redacted]", headers: { cookie: "[redacted]", authorization: "[redacted]" }, user: { account: { newPassword: "[redacted]" } } });
    expect(lines.find((line) => line.msg === "a careless error")?.err?.message).toBe("connect to postgresql://portal:[redacted]@db:5432/greenlight failed");
    for (const value of secrets) expect(text, `the log holds a secret (${value.length} characters)`).not.toContain(value);
    for (const name of ["NEXTAUTH_SECRET", "GREENLIGHT_LEDGER_KEYS"]) {
      const value = process.env[name]?.split(":").at(-1);
      if (value && value.length >= 8) expect(text).not.toContain(value);
    }
  });

  it("masks credentials in any URL", () => {
    expect(maskUrlCredentials("postgres://a:b@h/d and https://user:p%40ss@example.test/x")).toBe("postgres://a:[redacted]@h/d and https://user:[redacted]@example.test/x");
    expect(maskUrlCredentials("postgresql://nobody@127.0.0.1:1/none")).toBe("postgresql://nobody@127.0.0.1:1/none");
  });
});

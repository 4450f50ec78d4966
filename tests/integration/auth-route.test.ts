import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET, POST } from "@/app/api/auth/[...nextauth]/route";
import { sessionCookieName } from "@/lib/auth/constants";
import { deviceCookieName } from "@/lib/auth/device";
import { prismaClientFor, setDb } from "@/lib/db/client";
import { proxy } from "@/proxy";
import { createRollout, createUser, KNOWN_PASSWORD } from "./helpers/factories";
import { ORIGIN, requestState, setRequest } from "./helpers/request-context";
import { createTestDb, type TestDb } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

// next-auth's endpoints as the browser reaches them (the route handler, with real cookies),
// on a database of this file's own.

let t: TestDb;
let rolloutId: string;
const savedUrl = process.env.NEXTAUTH_URL;
beforeAll(async () => {
  process.env.NEXTAUTH_URL = ORIGIN;
  t = await createTestDb();
  rolloutId = (await createRollout(t.db)).id;
});
afterAll(async () => {
  if (savedUrl === undefined) delete process.env.NEXTAUTH_URL;
  else process.env.NEXTAUTH_URL = savedUrl;
  await t?.close();
});

/** A browser: a cookie jar that follows Set-Cookie, including deletions. */
class Browser {
  jar = new Map<string, string>();
  lastSetCookies: string[] = [];

  async call(method: "GET" | "POST", path: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const request = new NextRequest(`${ORIGIN}/api/auth/${path}`, {
      method,
      headers: { host: new URL(ORIGIN).host, origin: ORIGIN, ...(cookie ? { cookie } : {}), ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}), ...headers },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    const nextauth = path.split("?")[0].split("/");
    const response = await (method === "GET" ? GET : POST)(request, { params: Promise.resolve({ nextauth }) });
    this.lastSetCookies = response.headers.getSetCookie();
    for (const line of this.lastSetCookies) {
      const [pair, ...attributes] = line.split(";").map((part) => part.trim());
      const [name, ...value] = pair.split("=");
      const gone = attributes.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now()));
      if (gone || value.join("=") === "") this.jar.delete(name);
      else this.jar.set(name, value.join("="));
    }
    return response;
  }

  async csrf(): Promise<string> {
    return ((await (await this.call("GET", "csrf")).json()) as { csrfToken: string }).csrfToken;
  }

  async signIn(email: string, password = KNOWN_PASSWORD, callbackUrl = "/home"): Promise<Response> {
    return this.call("POST", "callback/credentials", { csrfToken: await this.csrf(), email, password, callbackUrl, json: "true" });
  }

  async sessionEmail(): Promise<string | null> {
    const body = (await (await this.call("GET", "session")).json()) as { user?: { email?: string } };
    return body.user?.email ?? null;
  }

  get session(): string | undefined {
    return this.jar.get(sessionCookieName());
  }
}

async function actorFor(cookie: string | undefined) {
  const { getActor } = await import("@/lib/auth/session");
  setRequest({ cookie });
  return getActor();
}

describe("next-auth's endpoints", () => {
  it("GET /api/auth/callback/credentials answers 405 naming the form, never a 5xx", async () => {
    const response = await new Browser().call("GET", "callback/credentials");
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await response.json()).toEqual({ error: "Sign in through the sign-in form: this address only accepts the form's POST request.", code: "METHOD_NOT_ALLOWED" });
  });

  it("a password sign-in sets the session cookie and an httpOnly device cookie for /api/auth", async () => {
    const user = await createUser(t.db, { rolloutId, roles: ["DBA"] });
    const browser = new Browser();
    const response = await browser.signIn(user.email);
    expect(response.status).toBe(200);
    expect(browser.session).toBeDefined();
    const device = browser.lastSetCookies.find((line) => line.startsWith(`${deviceCookieName()}=`));
    expect(device).toMatch(/; Path=\/api\/auth; Max-Age=\d+; HttpOnly; SameSite=Lax/);
    expect(await browser.sessionEmail()).toBe(user.email);
  });

  it.each([
    "/\t/evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "/\r\n/evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "\\\\evil.example",
  ])("the form's callbackUrl %j never leads off the portal", async (callbackUrl) => {
    const user = await createUser(t.db, { rolloutId, roles: ["DBA"] });
    const response = await new Browser().signIn(user.email, KNOWN_PASSWORD, callbackUrl);
    expect(response.status).toBe(200);
    expect((await response.json()) as { url: string }).toEqual({ url: `${ORIGIN}/home` });
  });
});

describe("signing out", () => {
  it("ends the session on the server: a copy of the old cookie opens nothing, and the session endpoint clears it", async () => {
    const user = await createUser(t.db, { rolloutId, roles: ["DBA"] });
    const browser = new Browser();
    await browser.signIn(user.email);
    const stolen = browser.session!;
    expect(await actorFor(stolen)).toMatchObject({ id: user.id });

    const out = await browser.call("POST", "signout", { csrfToken: await browser.csrf(), callbackUrl: "/sign-in", json: "true" });
    expect(out.status).toBe(200);
    expect(browser.session).toBeUndefined();
    expect(await t.db.revokedSession.count({ where: { userId: user.id } })).toBe(1);

    expect(await actorFor(stolen)).toBeNull();
    const replay = new Browser();
    replay.jar.set(sessionCookieName(), stolen);
    expect(await replay.sessionEmail()).toBeNull();
    expect(replay.session).toBeUndefined(); // the endpoint cleared it, and issued no fresh one
  });

  it("the proxy does not renew a signed-out session (and does renew a live one)", async () => {
    const user = await createUser(t.db, { rolloutId, roles: ["DBA"] });
    const { encode } = await import("next-auth/jwt");
    const { authSecret } = await import("@/lib/auth/constants");
    const now = Math.floor(Date.now() / 1000);
    const cookieOf = (sid: string) => encode({ token: { sub: user.id, sv: user.sessionVersion, sid, authTime: now - 600, lastSeen: now - 120 }, secret: authSecret() });
    const visit = async (cookie: string) =>
      (await proxy(new NextRequest(`${ORIGIN}/home`, { headers: { cookie: `${sessionCookieName()}=${cookie}` } }))).headers.getSetCookie().join("\n");

    expect(await visit(await cookieOf("live-session"))).toMatch(new RegExp(`^${sessionCookieName()}=[^;]+;`));
    await t.db.revokedSession.create({ data: { sid: "ended-session", userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) } });
    const ended = await visit(await cookieOf("ended-session"));
    expect(ended).not.toMatch(new RegExp(`^${sessionCookieName()}=[^;]+;`, "m"));
  });

  it("signing out everywhere ends every session of the person, on every device, and nobody else's", async () => {
    const { signOutEverywhereAction } = await import("@/lib/actions/sessions");
    const user = await createUser(t.db, { rolloutId, roles: ["DBA"] });
    const other = await createUser(t.db, { rolloutId, roles: ["DBA"] });
    const [laptop, phone, colleague] = [new Browser(), new Browser(), new Browser()];
    await laptop.signIn(user.email);
    await phone.signIn(user.email);
    await colleague.signIn(other.email);

    setRequest({ cookie: laptop.session });
    expect(await signOutEverywhereAction(undefined, new FormData())).toMatchObject({ ok: true, message: "Every session of yours has ended, this one included." });
    expect(await actorFor(laptop.session)).toBeNull();
    expect(await actorFor(phone.session)).toBeNull();
    expect(await phone.sessionEmail()).toBeNull();
    expect(await actorFor(colleague.session)).toMatchObject({ id: other.id });
    // On record in the security log (account-wide events belong to no rollout's chain).
    expect(await t.db.securityEvent.count({ where: { actorId: user.id, action: "user.signed-out-everywhere" } })).toBe(1);
  });
});

describe("a database outage", () => {
  it("is not a sign-out: the session endpoint answers 503 and keeps the cookie, pages and actions fail, and the session works again afterwards", async () => {
    const user = await createUser(t.db, { rolloutId, roles: ["ADMIN"] });
    const browser = new Browser();
    await browser.signIn(user.email);
    const cookie = browser.session!;

    // A real client whose server is not there (nothing listens on port 1).
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const unreachable = prismaClientFor(new PrismaPg({ connectionString: "postgresql://nobody@127.0.0.1:1/none", connectionTimeoutMillis: 2000 }));
    setDb(unreachable);
    try {
      const response = await browser.call("GET", "session");
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ code: "UNAVAILABLE" });
      expect(browser.lastSetCookies).toEqual([]);
      expect(browser.session).toBe(cookie);

      // A page's session check fails loudly (the error boundary), rather than reading as signed out.
      await expect(actorFor(cookie)).rejects.toThrow();
      // An action answers "unavailable" (its form keeps the input), and the request's cookie stays as it was.
      const { createUserAction } = await import("@/lib/actions/users");
      setRequest({ cookie });
      expect(await createUserAction(undefined, new FormData())).toMatchObject({ ok: false, code: "UNAVAILABLE" });
      expect(requestState.cookies.get(sessionCookieName())).toBe(cookie);

      // Signing in meanwhile says so, without the database's error in the URL.
      const attempt = await new Browser().signIn(user.email);
      const { url } = (await attempt.json()) as { url: string };
      expect(new URL(url).searchParams.get("error")).toBe("Sign-in is unavailable right now. Try again in a moment.");
    } finally {
      setDb(t.db);
      await unreachable.$disconnect();
    }
    expect(await browser.sessionEmail()).toBe(user.email);
    expect(await actorFor(cookie)).toMatchObject({ id: user.id });
  });
});

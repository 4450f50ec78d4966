import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type APIRequestContext, type APIResponse, type Page, type TestInfo } from "@playwright/test";
import {
  addPersonAsAdmin,
  apiSignIn,
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  demoAccount,
  ROLLOUT_NAME,
  ROLLOUT_SLUG,
  sessionEmail,
  SIGN_IN_FAILED,
  signIn,
  submitSignIn,
  uniqueEmail,
} from "./fixtures";

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/** A URL whose path is exactly `path`, with no query. */
function exactPath(path: string): RegExp {
  return new RegExp(`^https?://[^/]+${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
}
/** The sign-in page, with or without a query. */
const SIGN_IN_URL = /^https?:\/\/[^/]+\/sign-in(\?.*)?$/;

/** Keeps a screenshot in the test-results folder (beside the report), for a person to look at. */
function keepScreenshot(testInfo: TestInfo, name: string, png: Buffer): void {
  const folder = join(testInfo.project.outputDir, "screens");
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${name}.png`), png);
}

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<Buffer> {
  const png = await page.screenshot({ fullPage: true });
  await testInfo.attach(name, { body: png, contentType: "image/png" });
  return png;
}

const HOMES = [
  { role: "EXECUTIVE", name: "executive", path: `/r/${ROLLOUT_SLUG}/executive`, heading: "CTO / VP Engineering dashboard" },
  { role: "DEV_LEAD", name: "development-lead", path: `/r/${ROLLOUT_SLUG}/development-lead`, heading: "Development Lead dashboard" },
  { role: "OPS_MANAGER", name: "operations", path: `/r/${ROLLOUT_SLUG}/operations`, heading: "Operations Manager dashboard" },
  { role: "DEVOPS", name: "devops", path: `/r/${ROLLOUT_SLUG}/devops`, heading: "DevOps Engineer dashboard" },
  { role: "DBA", name: "dba", path: `/r/${ROLLOUT_SLUG}/dba`, heading: "DBA dashboard" },
  { role: "DATA_ENGINEER", name: "data-engineer", path: `/r/${ROLLOUT_SLUG}/data-engineer`, heading: "Data Engineer dashboard" },
  { role: "SECURITY_OFFICER", name: "security", path: `/r/${ROLLOUT_SLUG}/security`, heading: "Security Officer dashboard" },
  { role: "FINANCE", name: "finance", path: `/r/${ROLLOUT_SLUG}/finance`, heading: "Finance dashboard" },
  { role: "ADMIN", name: "admin", path: "/admin/users", heading: "Users and roles" },
  { role: "VIEWER", name: "viewer", path: `/r/${ROLLOUT_SLUG}`, heading: ROLLOUT_NAME },
] as const;

test.describe("signing in and out", () => {
  for (const home of HOMES) {
    test(`${home.role} lands on ${home.path}, and signing out ends the session`, async ({ page }, testInfo) => {
      const account = demoAccount(home.role);
      await page.setViewportSize(DESKTOP);
      await signIn(page, account.email);

      await expect(page).toHaveURL(exactPath(home.path));
      const heading = page.getByRole("heading", { level: 1, name: home.heading, exact: true });
      await expect(heading).toBeVisible();
      await expect(page.getByRole("link", { name: `Your account: ${account.name}` })).toBeVisible();

      const desktop = await shoot(page, testInfo, `${home.name}-desktop`);
      if (home.role === "EXECUTIVE") keepScreenshot(testInfo, "executive-desktop", desktop);
      await page.setViewportSize(PHONE);
      await expect(heading).toBeVisible();
      await shoot(page, testInfo, `${home.name}-phone`);
      await page.setViewportSize(DESKTOP);

      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      await expect(page).toHaveURL(SIGN_IN_URL);
      await expect(page.locator("#email")).toBeVisible();
      expect(await sessionEmail(page.request)).toBeNull();

      await page.goto("/home");
      await expect(page).toHaveURL(SIGN_IN_URL);
      await expect(heading).toBeHidden();
    });
  }

  test("the sign-in page lists every demo account", async ({ page }, testInfo) => {
    await page.setViewportSize(DESKTOP);
    await page.goto("/sign-in");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    const table = page.getByRole("table");
    await expect(table.getByRole("row")).toHaveCount(DEMO_ACCOUNTS.length + 1);
    for (const account of DEMO_ACCOUNTS) await expect(table.getByText(account.email, { exact: true })).toBeVisible();
    await expect(page.getByText(`Every demo account's password is ${DEMO_PASSWORD}.`)).toBeVisible();
    keepScreenshot(testInfo, "sign-in-desktop", await shoot(page, testInfo, "sign-in-desktop"));
    await page.setViewportSize(PHONE);
    await expect(page.locator("#email")).toBeInViewport();
    keepScreenshot(testInfo, "sign-in-phone", await shoot(page, testInfo, "sign-in-phone"));
  });

  test("a wrong password and an unknown email get the same message, and the page stays on /sign-in", async ({ page }) => {
    const status = page.getByTestId("sign-in-error");

    await page.goto("/sign-in");
    await submitSignIn(page, demoAccount("DATA_ENGINEER").email, "not-the-demo-password");
    await expect(status).toHaveText(SIGN_IN_FAILED);
    await expect(status).toHaveRole("status");
    const wrongPassword = await status.textContent();
    await expect(page).toHaveURL(exactPath("/sign-in"));

    await page.reload();
    await expect(status).toHaveText("");
    await submitSignIn(page, uniqueEmail("nobody"), DEMO_PASSWORD);
    await expect(status).toHaveText(SIGN_IN_FAILED);
    expect(await status.textContent()).toBe(wrongPassword);
    await expect(page).toHaveURL(exactPath("/sign-in"));

    // Neither attempt signed anyone in, and the password never went into the address bar.
    expect(await sessionEmail(page.request)).toBeNull();
    expect(page.url()).not.toContain("password");
  });

  test("a signed-out visitor of the overview is sent to sign in and then back to the overview", async ({ page }) => {
    await page.goto(`/r/${ROLLOUT_SLUG}`);
    await expect(page).toHaveURL(SIGN_IN_URL);
    expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(`/r/${ROLLOUT_SLUG}`);
    await expect(page.getByRole("heading", { name: "Production Deployment" })).toHaveCount(0);

    // The DevOps engineer's own home is their dashboard, so arriving on the overview is the callback's doing.
    await signIn(page, demoAccount("DEVOPS").email);
    await expect(page).toHaveURL(exactPath(`/r/${ROLLOUT_SLUG}`));
    await expect(page.getByRole("heading", { level: 1, name: ROLLOUT_NAME })).toBeVisible();
  });

  test("signing in never follows a callbackUrl to another site", async ({ page }) => {
    test.slow(); // five sign-ins
    // Browsers drop TAB, CR and LF inside URLs: "/\t/evil.example" would become "//evil.example".
    for (const target of ["https://evil.example/steal", "//evil.example/steal", "/\\evil.example/steal", "/\t/evil.example/steal", "/\r\n/evil.example/steal"]) {
      await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(target)}`);
      await signIn(page, demoAccount("SECURITY_OFFICER").email);
      await expect(page).toHaveURL(exactPath(`/r/${ROLLOUT_SLUG}/security`));
      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      await expect(page).toHaveURL(SIGN_IN_URL);
    }
  });
});

test.describe("sign-in hardening", () => {
  const NASTY_CALLBACKS = ["/\t/evil.example/", "//evil.example/", "/\\evil.example/", "/\r\n/evil.example/", "https://evil.example/", "javascript:alert(1)"];

  test("already signed in, a nasty callbackUrl on the sign-in page stays on the portal and never answers 5xx", async ({ page, baseURL }) => {
    test.slow(); // six page loads
    await signIn(page, demoAccount("DBA").email);
    for (const target of NASTY_CALLBACKS) {
      const response = await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(target)}`);
      expect(response?.status(), target).toBeLessThan(500);
      expect(new URL(page.url()).origin, target).toBe(new URL(baseURL!).origin);
      await expect(page.getByRole("heading", { level: 1, name: "DBA dashboard" }), target).toBeVisible();
    }
  });

  test("GET /api/auth/callback/credentials answers 405, not 5xx", async ({ request }) => {
    const response = await request.get("/api/auth/callback/credentials", { maxRedirects: 0 });
    expect(response.status()).toBe(405);
    expect(response.headers()["allow"]).toBe("POST");
  });

  test("signing out ends the session on the server: a copy of its cookie opens nothing afterwards", async ({ playwright, baseURL }) => {
    const owner = await playwright.request.newContext({ baseURL });
    try {
      await apiSignIn(owner, demoAccount("FINANCE").email);
      const stolen = (await owner.storageState()).cookies.find((cookie) => cookie.name.endsWith("next-auth.session-token"))!;
      expect(stolen).toBeDefined();
      const { csrfToken } = (await (await owner.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const out = await owner.post("/api/auth/signout", { form: { csrfToken, callbackUrl: "/sign-in", json: "true" } });
      expect(out.status()).toBe(200);

      // Another client, holding only a copy of the signed-out cookie.
      const url = new URL(baseURL!);
      const jar = await playwright.request.newContext({ baseURL, storageState: { cookies: [{ ...stolen, domain: url.hostname }], origins: [] } });
      try {
        for (const path of ["/home", `/r/${ROLLOUT_SLUG}/finance`]) {
          const response = await jar.get(path, { maxRedirects: 0 });
          expect(response.status(), path).toBe(307);
          expect(new URL(response.headers()["location"] ?? "", baseURL).pathname, path).toBe("/sign-in");
        }
        expect(await sessionEmail(jar)).toBeNull();
      } finally {
        await jar.dispose();
      }
    } finally {
      await owner.dispose();
    }
  });

  /** One password attempt through next-auth's endpoint; the error next-auth reports, or null on success. */
  async function tryPassword(request: APIRequestContext, email: string, password: string, headers: Record<string, string> = {}): Promise<string | null> {
    const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true" }, headers, maxRedirects: 0 });
    const { url } = (await response.json()) as { url: string };
    return new URL(url).searchParams.get("error");
  }

  test("rotating X-Forwarded-For does not escape the per-address limit", async ({ request }) => {
    const email = uniqueEmail("rotating");
    for (let i = 0; i < 5; i++) {
      expect(await tryPassword(request, email, `guess ${i}`, { "x-forwarded-for": `198.51.100.${i + 1}` })).toBe(SIGN_IN_FAILED);
    }
    expect(await tryPassword(request, email, "guess 6", { "x-forwarded-for": "198.51.100.99" })).toMatch(/^Too many failed sign-in attempts\. Try again in \d+ minutes?\.$/);
  });

  test("the owner's browser gets in while someone at the same address has run out of guesses at the account", async ({ browser, page, playwright, baseURL }) => {
    test.slow(); // three sign-ins and eleven password checks
    const PASSWORD = "e2e-correct-horse-battery-42";
    await signIn(page, demoAccount("ADMIN").email);
    // A role the journeys (run last on this database) do not count people of.
    const person = { name: `Guarded Person ${Date.now()}`, email: uniqueEmail("guarded"), password: PASSWORD, roles: ["Data Engineer"] };
    await addPersonAsAdmin(page, person);

    const ownerContext = await browser.newContext();
    const attacker = await playwright.request.newContext({ baseURL });
    try {
      const owner = await ownerContext.newPage();
      await signIn(owner, person.email, person.password); // this browser now holds a device cookie
      await owner.getByRole("button", { name: "Sign out", exact: true }).click();
      await expect(owner).toHaveURL(SIGN_IN_URL);

      for (let i = 0; i < 5; i++) expect(await tryPassword(attacker, person.email, `guess ${i}`)).toBe(SIGN_IN_FAILED);
      expect(await tryPassword(attacker, person.email, person.password)).toMatch(/^Too many failed sign-in attempts/);

      await signIn(owner, person.email, person.password);
      await expect(owner.getByRole("heading", { level: 1, name: "Data Engineer dashboard" })).toBeVisible();
    } finally {
      await ownerContext.close();
      await attacker.dispose();
    }
  });
});

test.describe("nothing protected without a session", () => {
  const PROTECTED_TEXT = [
    "Production Deployment",
    "Security policy",
    "Approve production deployment",
    "Iteração 5",
    ...DEMO_ACCOUNTS.map((account) => account.email),
  ];
  const BYPASS_VALUES = [
    "proxy:proxy:proxy:proxy:proxy",
    "middleware:middleware:middleware:middleware:middleware",
    "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware",
  ];
  const PAGES = [`/r/${ROLLOUT_SLUG}`, `/r/${ROLLOUT_SLUG}/executive`, "/admin/users", "/home", "/"];

  function attempts(): { url: string; headers: Record<string, string> }[] {
    const list: { url: string; headers: Record<string, string> }[] = [];
    for (const page of PAGES) {
      list.push({ url: page, headers: {} });
      for (const value of BYPASS_VALUES) {
        list.push({ url: page, headers: { "x-middleware-subrequest": value } });
        list.push({ url: `${page}?_rsc=abc`, headers: { "x-middleware-subrequest": value, RSC: "1" } });
      }
      list.push({ url: `${page}?_rsc=abc`, headers: { RSC: "1" } });
      list.push({ url: `${page}?_rsc=abc`, headers: { RSC: "1", "Next-Router-Prefetch": "1" } });
      if (page !== "/") {
        list.push({ url: `${page}.rsc`, headers: {} });
        list.push({ url: `${page}.txt`, headers: {} });
        list.push({ url: `${page}.rsc`, headers: { "x-middleware-subrequest": BYPASS_VALUES[0], RSC: "1" } });
      }
    }
    return list;
  }

  function isRefusal(response: APIResponse): boolean {
    const status = response.status();
    if (status >= 400 && status < 500) return true;
    if (status < 300 || status >= 400) return false;
    const location = response.headers()["location"];
    return Boolean(location) && new URL(location, "http://portal.invalid").pathname === "/sign-in";
  }

  test("proxy-bypass and RSC replays get a redirect to /sign-in or a 4xx, and no protected content", async ({ request }) => {
    for (const attempt of attempts()) {
      const response = await request.get(attempt.url, { maxRedirects: 0, headers: attempt.headers });
      const label = `${attempt.url} ${JSON.stringify(attempt.headers)} → ${response.status()} ${response.headers()["location"] ?? ""}`;
      const body = await response.text();
      expect.soft(isRefusal(response), `${label}: a redirect to /sign-in or a 4xx`).toBe(true);
      for (const text of PROTECTED_TEXT) expect.soft(body, `${label}: body`).not.toContain(text);
    }
  });
});

test.describe("secrets and headers", () => {
  test("no password hash appears in any page payload, even an admin's", async ({ request }) => {
    await apiSignIn(request, demoAccount("ADMIN").email);
    const checks: { url: string; headers: Record<string, string>; expected: string }[] = [
      { url: "/admin/users", headers: {}, expected: "cto@greenlight.demo" },
      { url: "/admin/users", headers: { RSC: "1" }, expected: "cto@greenlight.demo" },
      { url: `/r/${ROLLOUT_SLUG}`, headers: {}, expected: "Production Deployment" },
      { url: `/r/${ROLLOUT_SLUG}`, headers: { RSC: "1" }, expected: "Production Deployment" },
      { url: "/account", headers: {}, expected: "admin@greenlight.demo" },
      { url: "/api/auth/session", headers: {}, expected: "admin@greenlight.demo" },
    ];
    for (const check of checks) {
      const response = await request.get(check.url, { headers: check.headers });
      const label = `${check.url} ${JSON.stringify(check.headers)}`;
      expect(response.status(), label).toBe(200);
      const body = await response.text();
      // The payload is the real page (so the check means something) ...
      expect(body, label).toContain(check.expected);
      // ... and carries no hash.
      expect(body, label).not.toContain("$argon2");
      expect(body, label).not.toContain("passwordHash");
    }
  });

  test("pages carry a nonce-based CSP and the other security headers, and the page's scripts run under it", async ({ page, request }) => {
    const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];

    await apiSignIn(request, demoAccount("EXECUTIVE").email);
    const nonces: string[] = [];
    // Two signed-out visits of the sign-in page, and a signed-in visit of the overview.
    for (const [client, url] of [[page.request, "/sign-in"], [page.request, "/sign-in"], [request, `/r/${ROLLOUT_SLUG}`]] as const) {
      const response = await client.get(url, { maxRedirects: 0 });
      expect(response.status(), url).toBe(200);
      const headers = response.headers();
      const csp = headers["content-security-policy"] ?? "";
      expect(csp, url).toContain("'nonce-");
      expect(csp, url).toContain("'strict-dynamic'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("object-src 'none'");
      expect(csp, url).not.toContain("'unsafe-eval'");
      expect(headers["referrer-policy"], url).toBe("same-origin");
      expect(headers["x-frame-options"], url).toBe("DENY");
      expect(headers["x-content-type-options"], url).toBe("nosniff");
      expect(headers["strict-transport-security"], url).toMatch(/max-age=\d+/);
      const nonce = nonceOf(csp);
      expect(nonce, url).toBeTruthy();
      nonces.push(nonce!);
      // Every script the page ships carries this response's nonce, or the browser would block it.
      const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, url).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, url).toContain(`nonce="${nonce}"`);
    }
    expect(new Set(nonces).size, "a fresh nonce per response").toBe(nonces.length);

    // In the browser, nothing the portal needs is blocked by its own policy.
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await signIn(page, demoAccount("EXECUTIVE").email);
    await expect(page.getByRole("heading", { level: 1, name: "CTO / VP Engineering dashboard" })).toBeVisible();
    expect(violations).toEqual([]);
  });
});

test.describe("an admin's changes reach open sessions at once", () => {
  const PASSWORD = "e2e-correct-horse-battery-42";

  test("deactivating a person ends their session, and they cannot sign in again", async ({ browser }) => {
    const adminContext = await browser.newContext();
    const personContext = await browser.newContext();
    try {
      const admin = await adminContext.newPage();
      await signIn(admin, demoAccount("ADMIN").email);
      await expect(admin).toHaveURL(exactPath("/admin/users"));
      const person = { name: `Deactivated Person ${Date.now()}`, email: uniqueEmail("deactivated"), password: PASSWORD, roles: ["DBA"] };
      await addPersonAsAdmin(admin, person);

      const user = await personContext.newPage();
      await signIn(user, person.email, person.password);
      await expect(user).toHaveURL(exactPath(`/r/${ROLLOUT_SLUG}/dba`));
      await expect(user.getByRole("heading", { level: 1, name: "DBA dashboard" })).toBeVisible();

      const toggle = admin.getByTestId(`user-${person.email}`).locator("form").filter({ has: admin.locator('input[name="active"]') });
      await toggle.getByRole("button", { name: `Deactivate ${person.name}`, exact: true }).click();
      await expect(toggle.getByRole("status")).toHaveText("Account deactivated.");
      await expect(admin.getByTestId(`user-${person.email}`).getByText("Deactivated", { exact: true })).toBeVisible();
      await expect(admin.getByRole("button", { name: `Reactivate ${person.name}`, exact: true })).toBeVisible();

      await user.goto("/home");
      await expect(user).toHaveURL(SIGN_IN_URL);
      await user.goto(`/r/${ROLLOUT_SLUG}/dba`);
      await expect(user).toHaveURL(SIGN_IN_URL);
      await expect(user.getByRole("heading", { name: "DBA dashboard" })).toHaveCount(0);

      await submitSignIn(user, person.email, person.password);
      await expect(user.getByTestId("sign-in-error")).toHaveText(SIGN_IN_FAILED);
      await expect(user).toHaveURL(SIGN_IN_URL);
    } finally {
      await adminContext.close();
      await personContext.close();
    }
  });

  test("a deactivated person's old session cookie opens nothing, and next-auth's session endpoint reports it signed out", async ({ page, playwright, baseURL }) => {
    await signIn(page, demoAccount("ADMIN").email);
    const person = { name: `Revoked Cookie ${Date.now()}`, email: uniqueEmail("revoked"), password: PASSWORD, roles: ["Finance"] };
    await addPersonAsAdmin(page, person);
    const client = await playwright.request.newContext({ baseURL });
    try {
      await apiSignIn(client, person.email, person.password);
      expect((await client.get(`/r/${ROLLOUT_SLUG}/finance`, { maxRedirects: 0 })).status()).toBe(200);

      const toggle = page.getByTestId(`user-${person.email}`).locator("form").filter({ has: page.locator('input[name="active"]') });
      await toggle.getByRole("button", { name: `Deactivate ${person.name}`, exact: true }).click();
      await expect(toggle.getByRole("status")).toHaveText("Account deactivated.");

      for (const url of ["/home", `/r/${ROLLOUT_SLUG}`, `/r/${ROLLOUT_SLUG}/finance`]) {
        const response = await client.get(url, { maxRedirects: 0 });
        expect(response.status(), url).toBe(307);
        expect(new URL(response.headers()["location"] ?? "", baseURL).pathname, url).toBe("/sign-in");
        expect(await response.text(), url).not.toContain(person.email);
      }
      // next-auth's own endpoint, which a client-side useSession() reads, must agree with the pages.
      expect(await sessionEmail(client)).toBeNull();
    } finally {
      await client.dispose();
    }
  });

  test("removing a role takes the person's dashboard away on their next request", async ({ browser }) => {
    const adminContext = await browser.newContext();
    const personContext = await browser.newContext();
    try {
      const admin = await adminContext.newPage();
      await signIn(admin, demoAccount("ADMIN").email);
      const person = { name: `Former DBA ${Date.now()}`, email: uniqueEmail("former-dba"), password: PASSWORD, roles: ["DBA", "Viewer"] };
      await addPersonAsAdmin(admin, person);

      const user = await personContext.newPage();
      await signIn(user, person.email, person.password);
      await expect(user).toHaveURL(exactPath(`/r/${ROLLOUT_SLUG}/dba`));
      const dashboard = user.getByRole("heading", { level: 1, name: "DBA dashboard" });
      await expect(dashboard).toBeVisible();

      const roles = admin.getByRole("form", { name: `Roles of ${person.name} in ${ROLLOUT_NAME}` });
      await roles.getByRole("checkbox", { name: "DBA", exact: true }).uncheck();
      await roles.getByRole("button", { name: "Save roles" }).click();
      await expect(roles.getByRole("status")).toHaveText("Roles saved.");

      // The very next request to the old dashboard does not show it.
      const next = await user.goto(`/r/${ROLLOUT_SLUG}/dba`);
      const signedOut = SIGN_IN_URL.test(user.url());
      expect(signedOut || next?.status() === 404, `got ${next?.status()} at ${user.url()}`).toBe(true);
      await expect(dashboard).toHaveCount(0);

      // Signed in again, the person is a viewer: the overview is home and the DBA dashboard is not found.
      if (signedOut) await signIn(user, person.email, person.password);
      await user.goto("/home");
      await expect(user).toHaveURL(exactPath(`/r/${ROLLOUT_SLUG}`));
      const again = await user.goto(`/r/${ROLLOUT_SLUG}/dba`);
      expect(again?.status()).toBe(404);
      await expect(dashboard).toHaveCount(0);
    } finally {
      await adminContext.close();
      await personContext.close();
    }
  });
});

test.describe("forged requests", () => {
  test("next-auth's credentials endpoint refuses a sign-in without this client's CSRF token", async ({ playwright, baseURL }) => {
    const email = demoAccount("OPS_MANAGER").email;
    const victim = await playwright.request.newContext({ baseURL });
    const attacker = await playwright.request.newContext({ baseURL });
    try {
      const sessionCookie = async () =>
        (await victim.storageState()).cookies.find((cookie) => cookie.name.endsWith("next-auth.session-token"));
      const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
        victim.post("/api/auth/callback/credentials", {
          form: { email, password: DEMO_PASSWORD, json: "true", ...fields },
          headers,
          maxRedirects: 0,
        });

      await victim.get("/api/auth/csrf"); // the victim holds a CSRF cookie of their own
      const { csrfToken: attackersToken } = (await (await attacker.get("/api/auth/csrf")).json()) as { csrfToken: string };

      const forged = [
        await post({}, { origin: "https://evil.example" }),
        await post({ csrfToken: "" }),
        await post({ csrfToken: "0".repeat(64) }),
        await post({ csrfToken: attackersToken }, { origin: "https://evil.example" }),
      ];
      for (const response of forged) {
        expect(response.headers()["set-cookie"] ?? "").not.toContain("session-token");
      }
      expect(await sessionCookie()).toBeUndefined();
      expect(await sessionEmail(victim)).toBeNull();

      // The same request with the victim's own token does sign in: the refusals above are the token check's doing.
      const { csrfToken } = (await (await victim.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const genuine = await post({ csrfToken });
      expect(genuine.status()).toBeLessThan(400);
      expect(await sessionCookie()).toBeDefined();
      expect(await sessionEmail(victim)).toBe(email);
    } finally {
      await victim.dispose();
      await attacker.dispose();
    }
  });
});

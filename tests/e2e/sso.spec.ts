import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { apiSignIn, demoAccount, ROLLOUT_NAME, ROLLOUT_SLUG, sessionEmail } from "./fixtures";
import { SSO_CLIENT_ID, SSO_ISSUER, SSO_NAME, SSO_USERS, type SsoUser } from "./oidc-provider";

// Company SSO end to end: the portal against a real OpenID Connect provider
// (tests/e2e/oidc-provider.ts), in the browser. The people signing in here are new to the
// portal, except the one claiming a demo account's address, who must be refused; the demo
// accounts and the plan are left as they were.

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const SSO_BUTTON = `Sign in with ${SSO_NAME}`;
/** The sign-in page, with or without a query. */
const SIGN_IN_URL = /^https?:\/\/[^/]+\/sign-in(\?.*)?$/;
const isCallback = (url: URL) => url.pathname === "/api/auth/callback/oidc";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A URL whose path is exactly `path`, with no query. */
function exactPath(path: string): RegExp {
  return new RegExp(`^https?://[^/]+${escapeRegExp(path)}$`);
}

test.beforeEach(async ({ context }) => {
  // The provider's built-in pages load a web font; nothing here may leave the machine.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
});

/** Clicks the portal's SSO button; returns the authorization request the browser then sends to the provider. */
async function startSso(page: Page): Promise<URL> {
  if (new URL(page.url(), "http://x").pathname !== "/sign-in") await page.goto("/sign-in");
  const authorization = page.waitForRequest((request) => request.url().startsWith(`${SSO_ISSUER}/auth?`));
  await page.getByRole("button", { name: SSO_BUTTON, exact: true }).click();
  return new URL((await authorization).url());
}

/** On the provider's login page: signs in as `user` and accepts the consent screen. */
async function loginAtProvider(page: Page, user: SsoUser, testInfo?: TestInfo): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(SSO_ISSUER)}/interaction/`));
  await expect(page.getByRole("heading", { name: "Sign-in" })).toBeVisible();
  if (testInfo) await testInfo.attach("provider-login", { body: await page.screenshot(), contentType: "image/png" });
  await page.locator('input[name="login"]').fill(user.login);
  await page.locator('input[name="password"]').fill("any password will do");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await expect(page.getByRole("heading", { name: "Authorize" })).toBeVisible();
  await page.getByRole("button", { name: "Continue" }).click();
}

/** A new SSO person: from the portal's button to their home dashboard. */
async function ssoSignIn(page: Page, user: SsoUser, home: string, heading: string, testInfo?: TestInfo) {
  const authorization = await startSso(page);
  await loginAtProvider(page, user, testInfo);
  await expect(page).toHaveURL(exactPath(home));
  await expect(page.getByRole("heading", { level: 1, name: heading, exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: `Your account: ${user.name}` })).toBeVisible();
  expect(await sessionEmail(page.request)).toBe(user.email);
  return authorization;
}

test.describe("company SSO against a running OpenID provider", () => {
  test("the sign-in page offers the SSO button beside the password form", async ({ page }, testInfo) => {
    await page.setViewportSize(DESKTOP);
    await page.goto("/sign-in");
    const button = page.getByRole("button", { name: SSO_BUTTON, exact: true });
    await expect(button).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
    await testInfo.attach("sign-in-sso-desktop", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
    await page.setViewportSize(PHONE);
    await expect(button).toBeInViewport();
    await testInfo.attach("sign-in-sso-phone", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
  });

  test("an executive signs in through the provider (state and PKCE), is created with the role the groups claim maps to, and lands on the executive dashboard", async ({ page, playwright, baseURL }, testInfo) => {
    const user = SSO_USERS.executive;
    const authorization = await ssoSignIn(page, user, `/r/${ROLLOUT_SLUG}/executive`, "CTO / VP Engineering dashboard", testInfo);

    // The portal's authorization request: the code flow, a state, and an S256 PKCE challenge.
    const params = authorization.searchParams;
    expect(params.get("response_type")).toBe("code");
    expect(params.get("client_id")).toBe(SSO_CLIENT_ID);
    expect(params.get("redirect_uri")).toMatch(/\/api\/auth\/callback\/oidc$/);
    expect(params.get("scope")?.split(" ").sort()).toEqual(["email", "openid", "profile"]);
    expect(params.get("state")?.length).toBeGreaterThanOrEqual(32);
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    await testInfo.attach("sso-executive-desktop", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

    // The account the first sign-in created holds the role from the claim, and only that one.
    await page.goto("/account");
    await expect(page.getByText(user.email, { exact: true })).toBeVisible();
    const roles = page.getByRole("listitem").filter({ hasText: ROLLOUT_NAME });
    await expect(roles).toHaveText(`${ROLLOUT_NAME}: CTO / VP Engineering`);

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(SIGN_IN_URL);
    expect(await sessionEmail(page.request)).toBeNull();

    // An admin sees the new person among the people.
    const admin = await playwright.request.newContext({ baseURL });
    try {
      await apiSignIn(admin, demoAccount("ADMIN").email);
      const people = await admin.get("/admin/users");
      expect(people.status()).toBe(200);
      const html = await people.text();
      expect(html).toContain(user.email);
      expect(html).toContain(user.name);
    } finally {
      await admin.dispose();
    }
  });

  test("a security officer by the groups claim lands on the security dashboard", async ({ page }) => {
    await ssoSignIn(page, SSO_USERS.security, `/r/${ROLLOUT_SLUG}/security`, "Security Officer dashboard");
    await page.goto("/account");
    await expect(page.getByRole("listitem").filter({ hasText: ROLLOUT_NAME })).toHaveText(`${ROLLOUT_NAME}: Security Officer`);
  });

  test("an identity claiming a demo account's address, unverified by the provider, is refused and not linked", async ({ page, playwright, baseURL }) => {
    const user = SSO_USERS.unverified;
    const account = demoAccount("EXECUTIVE");
    expect(user.email).toBe(account.email);

    for (const attempt of ["first", "second"]) {
      await startSso(page);
      // After the first attempt the provider remembers the login and the consent, and sends
      // the browser straight back; a linked account would be signed in on the second.
      if (attempt === "first") await loginAtProvider(page, user);
      await expect(page, `${attempt} attempt`).toHaveURL(SIGN_IN_URL);
      // Only next-auth's fixed code comes back: nothing says whether a local account exists.
      expect(new URL(page.url()).searchParams.get("error"), `${attempt} attempt`).toBe("AccessDenied");
      expect(page.url()).not.toContain("greenlight.demo");
      await expect(page.getByTestId("sign-in-page-error")).toHaveText("Your company account was not let in. If you should have access, ask an admin.");
      await expect(page.locator("#email")).toBeVisible();
      expect(await sessionEmail(page.request), `${attempt} attempt`).toBeNull();
      await page.goto("/home");
      await expect(page).toHaveURL(SIGN_IN_URL);
    }

    // The demo account itself is untouched: its password still opens it, as the executive it was.
    const client = await playwright.request.newContext({ baseURL });
    try {
      await apiSignIn(client, account.email);
      expect((await client.get(`/r/${ROLLOUT_SLUG}/executive`, { maxRedirects: 0 })).status()).toBe(200);
    } finally {
      await client.dispose();
    }
  });
});

test.describe("tampered SSO callbacks", () => {
  test("a state changed on the way to the provider comes back to the portal, which refuses it; the untouched flow then signs in", async ({ page }) => {
    const user = SSO_USERS.executive;
    // The attacker's edit: the portal's authorization request reaches the provider with another state.
    let sent: string | null = null;
    const isAuthorization = (url: URL) => url.origin === SSO_ISSUER && url.pathname === "/auth";
    await page.route(isAuthorization, async (route) => {
      const url = new URL(route.request().url());
      sent = url.searchParams.get("state");
      url.searchParams.set("state", `forged-${sent!.slice(7)}`);
      await route.continue({ url: url.href });
    });
    const callback = page.waitForRequest((request) => isCallback(new URL(request.url())));
    await startSso(page);
    await loginAtProvider(page, user);

    // The provider issued a code and returned the forged state with it; the portal refused both.
    const returned = new URL((await callback).url());
    expect(returned.searchParams.get("code")).toBeTruthy();
    expect(returned.searchParams.get("state")).toBe(`forged-${sent!.slice(7)}`);
    await expect(page).toHaveURL(SIGN_IN_URL);
    expect(new URL(page.url()).searchParams.get("error")).toBeTruthy();
    expect(await sessionEmail(page.request)).toBeNull();
    const cookies = await page.context().cookies();
    expect(cookies.find((cookie) => cookie.name.endsWith("next-auth.session-token"))).toBeUndefined();
    await page.goto("/home");
    await expect(page).toHaveURL(SIGN_IN_URL);

    // Without the edit, the same browser signs in (the provider remembers the login and consent):
    // the refusal above was the state check's doing.
    await page.unroute(isAuthorization);
    await startSso(page);
    await expect(page).toHaveURL(exactPath(`/r/${ROLLOUT_SLUG}/executive`));
    expect(await sessionEmail(page.request)).toBe(user.email);
  });

  test("a callback made up in the browser, without the portal's state cookie, signs nobody in", async ({ page }) => {
    for (const query of ["code=x&state=forged", "code=x", "error=access_denied&state=forged"]) {
      await page.goto(`/api/auth/callback/oidc?${query}`);
      await expect(page, query).toHaveURL(SIGN_IN_URL);
      expect(new URL(page.url()).searchParams.get("error"), query).toBeTruthy();
      expect(await sessionEmail(page.request), query).toBeNull();
    }
  });
});

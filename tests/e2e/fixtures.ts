import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../lib/domain/demo";

export { DEMO_ACCOUNTS, DEMO_PASSWORD };

export const ROLLOUT_SLUG = "iteration-5";
export const ROLLOUT_NAME = "Iteração 5 — Próximos Passos";
export const SIGN_IN_FAILED = "Email or password is incorrect.";

/** The demo account holding `role` (the seed creates exactly one per role). */
export function demoAccount(role: string): { email: string; name: string } {
  const account = DEMO_ACCOUNTS.find((a) => (a.roles as string[]).includes(role));
  if (!account) throw new Error(`No demo account holds the role ${role}.`);
  return account;
}

/** An address nobody else in this run uses. */
export function uniqueEmail(label: string): string {
  return `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@e2e.example`;
}

/** Fills the sign-in form and submits it; does not wait for the outcome. */
export async function submitSignIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  if (new URL(page.url(), "http://x").pathname !== "/sign-in") await page.goto("/sign-in");
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Signs in through the sign-in page and waits until the browser has left it. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await submitSignIn(page, email, password);
  await page.waitForURL((url) => url.pathname !== "/sign-in", { timeout: 15_000 });
}

/** Signs in a request context through next-auth's own endpoints (the context keeps the cookies). */
export async function apiSignIn(request: APIRequestContext, email: string, password = DEMO_PASSWORD): Promise<void> {
  const csrf = await request.get("/api/auth/csrf");
  expect(csrf.ok()).toBe(true);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
  });
  expect(response.status(), `signing in ${email}`).toBeLessThan(400);
  expect(await sessionEmail(request), `session of ${email} after signing in`).toBe(email);
}

/** The email of the session the request context holds, or null when signed out. */
export async function sessionEmail(request: APIRequestContext): Promise<string | null> {
  const response = await request.get("/api/auth/session");
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { user?: { email?: string | null } } | null;
  return body?.user?.email ?? null;
}

/** The form that adds a person on /admin/users. */
export function createUserForm(page: Page) {
  return page.locator("form").filter({ has: page.getByRole("button", { name: "Add person" }) });
}

/** As a signed-in admin on any page: adds a person to the sample rollout with `roles` (their labels). */
export async function addPersonAsAdmin(
  page: Page,
  person: { name: string; email: string; password: string; roles: string[] },
): Promise<void> {
  if (new URL(page.url(), "http://x").pathname !== "/admin/users") await page.goto("/admin/users");
  const form = createUserForm(page);
  await form.getByLabel("Name", { exact: true }).fill(person.name);
  await form.getByLabel("Email", { exact: true }).fill(person.email);
  await form.getByLabel("Initial password", { exact: true }).fill(person.password);
  await form.getByLabel("Rollout", { exact: true }).selectOption({ label: ROLLOUT_NAME });
  for (const role of person.roles) await form.getByRole("checkbox", { name: role, exact: true }).check();
  await form.getByRole("button", { name: "Add person" }).click();
  await expect(form.getByRole("status")).toHaveText(`Created ${person.name} (${person.email}).`);
  await expect(page.getByTestId(`user-${person.email}`)).toBeVisible();
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * Screenshots of the page at desktop and phone width, kept with the test's output
 * (`<name>-desktop.png`, `<name>-phone.png`): the whole page, or the part around `focus`.
 * The page is left at desktop width.
 */
export async function screenshotsAtBothWidths(page: Page, name: string, focus?: Locator): Promise<void> {
  for (const [label, size] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
    await page.setViewportSize(size);
    if (focus) await focus.scrollIntoViewIfNeeded();
    await page.screenshot({ path: test.info().outputPath(`${name}-${label}.png`), fullPage: !focus });
  }
  await page.setViewportSize(DESKTOP);
}

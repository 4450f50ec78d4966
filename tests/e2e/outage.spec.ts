import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { admin, freePort, PG_SERVER_URL, resetDatabase, startPortal, stopPortal, urlFor, waitForServer, type Portal } from "../support/portal-server";
import { TcpProxy } from "../support/tcp-proxy";
import { demoAccount, DEMO_PASSWORD, ROLLOUT_SLUG } from "./fixtures";

// A real database outage under a running portal (issue 16). This spec starts its own
// production server (the build the suite already made) on a database of its own on a
// Postgres server, reached through a TCP proxy the test controls, and cuts the proxy
// mid-test: nothing in the portal knows it is being tested. The Postgres server is the
// one DATABASE_URL names (CI has one), else the local server on 127.0.0.1:5432; with no
// server reachable the spec fails, it is never skipped.

test.describe.configure({ mode: "serial", timeout: 120_000 });

const DATABASE = `greenlight_outage_${randomBytes(4).toString("hex")}`;
const UNAVAILABLE_EN = /^Not saved: the database is unavailable\. Try again in a moment\. \(Request [0-9a-f-]{36}\)$/;
const UNAVAILABLE_PT = /^Não salvo: o banco de dados está indisponível\. Tente de novo em instantes\. \(Requisição [0-9a-f-]{36}\)$/;

let proxy: TcpProxy;
let portal: Portal | undefined;
let base: string;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  await admin(`CREATE DATABASE "${DATABASE}"`);
  const env = { ...process.env, NODE_ENV: "production" as const, GREENLIGHT_DEMO: "1", NEXT_TELEMETRY_DISABLED: "1", GREENLIGHT_LEDGER_KEYS: `outage:${randomBytes(32).toString("base64")}` };
  resetDatabase({ ...env, DATABASE_URL: urlFor(DATABASE) });

  proxy = new TcpProxy({ host: PG_SERVER_URL.hostname, port: Number(PG_SERVER_URL.port || 5432) });
  const proxyPort = await proxy.listen();
  portal = startPortal(
    {
      ...env,
      NEXT_DIST_DIR: ".next-e2e",
      DATABASE_URL: urlFor(DATABASE, proxyPort),
      NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    },
    await freePort(),
  );
  base = portal.base;
  await waitForServer(portal, 120_000);
});

test.afterAll(async () => {
  stopPortal(portal);
  await proxy?.close();
  await admin(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`).catch(() => {});
});

test.afterEach(async ({}, testInfo) => {
  proxy?.set("up");
  if (testInfo.status !== testInfo.expectedStatus) console.log(`portal output (tail):\n${portal?.output}`);
});

async function signedInPage(browser: Browser, locale?: "pt-BR"): Promise<Page> {
  const context = await browser.newContext({ baseURL: base, locale: locale ?? "en-US" });
  if (locale) await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: base }]);
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.locator("#email").fill(demoAccount("DBA").email);
  await page.locator("#password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: locale ? "Entrar" : "Sign in", exact: true }).click();
  await page.waitForURL((url) => url.pathname !== "/sign-in", { timeout: 30_000 });
  await page.goto(`/r/${ROLLOUT_SLUG}/dba`);
  return page;
}

/** An open item the DBA may tick, on the DBA dashboard. */
function openItem(page: Page) {
  return page.getByTestId("checklist-item").filter({ has: page.locator("input[type=checkbox]:not([disabled]):not(:checked)") }).first();
}

test("a save and a tick during an outage keep the page and the typed text, say why in the person's language, and work once the database is back, without reloading", async ({ browser }) => {
  const page = await signedInPage(browser);
  const header = page.getByRole("banner");
  await expect(header).toBeVisible();
  const item = openItem(page);
  const text = (await item.locator("label").first().innerText()).trim();
  const row = page.getByTestId("checklist-item").filter({ hasText: text }).first();
  // A mark on the window: a reload or a full navigation would wipe it.
  await page.evaluate(() => Object.assign(window, { outageMark: true }));

  await row.getByText("Evidence, not applicable…").click();
  const evidence = row.getByLabel("Evidence (note or link)");
  await evidence.fill("https://wiki.example/replica-lag-check");

  proxy.set("down");
  await row.getByRole("button", { name: "Save evidence" }).click();
  const status = row.getByRole("status");
  await expect(status).toHaveText(UNAVAILABLE_EN);
  await expect(evidence).toHaveValue("https://wiki.example/replica-lag-check");

  const box = row.getByRole("checkbox");
  await box.click();
  // The tick rolls back, with the reason beside it.
  await expect(row).toHaveAttribute("data-state", "OPEN");
  await expect(box).not.toBeChecked();
  await expect(status).toHaveText(UNAVAILABLE_EN);
  await expect(header).toBeVisible();
  await expect(page.getByText("This page couldn’t load")).toHaveCount(0);
  await expect(page.getByText("This page couldn't load")).toHaveCount(0);

  proxy.set("up");
  await row.getByRole("button", { name: "Save evidence" }).click();
  await expect(status).toHaveText("Evidence saved.");
  // The row shows the stored evidence once the server's fresh state (and version) is in.
  await expect(row.getByText("Evidence: https://wiki.example/replica-lag-check")).toBeVisible();
  await box.check();
  await expect(row).toHaveAttribute("data-state", "DONE");
  await expect(box).toBeChecked();
  // The tick is shown at once; wait until the server has answered before reloading.
  await expect(row).toHaveAttribute("aria-busy", "false");
  await expect(row).toHaveAttribute("data-state", "DONE");
  expect(await page.evaluate(() => (window as unknown as { outageMark?: boolean }).outageMark)).toBe(true);
  // And it is stored: a fresh load shows the tick and the evidence.
  await page.reload();
  const stored = page.getByTestId("checklist-item").filter({ hasText: text }).first();
  await expect(stored).toHaveAttribute("data-state", "DONE");
  await expect(stored).toContainText("https://wiki.example/replica-lag-check");
  await page.context().close();
});

test("in Portuguese, the failed tick says so in Portuguese", async ({ browser }) => {
  const page = await signedInPage(browser, "pt-BR");
  const row = openItem(page);
  const text = (await row.locator("label").first().innerText()).trim();
  const same = page.getByTestId("checklist-item").filter({ hasText: text }).first();
  proxy.set("down");
  await same.getByRole("checkbox").click();
  await expect(same.getByRole("status")).toHaveText(UNAVAILABLE_PT);
  await expect(same).toHaveAttribute("data-state", "OPEN");
  await page.context().close();
});

test("a page that cannot load during an outage shows the section's error with a reference and a retry; the header and the rollout's navigation stay; retry works once the database is back", async ({ browser }) => {
  const page = await signedInPage(browser);
  await page.evaluate(() => Object.assign(window, { outageMark: true }));
  proxy.set("down");
  await page.getByRole("navigation", { name: "Rollout sections" }).getByRole("link", { name: "Timeline", exact: true }).click();
  const boundary = page.getByTestId("section-error");
  await expect(boundary).toBeVisible();
  await expect(boundary.getByRole("heading")).toHaveText("This part of the page could not load");
  await expect(boundary).toContainText(/Reference: \S+/);
  await expect(page.getByRole("banner")).toBeVisible();
  await expect(page.getByRole("link", { name: "Timeline", exact: true })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/outage-section-error.png", fullPage: true });

  proxy.set("up");
  await boundary.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByTestId("section-error")).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Timeline");
  expect(await page.evaluate(() => (window as unknown as { outageMark?: boolean }).outageMark)).toBe(true);
  await page.context().close();
});

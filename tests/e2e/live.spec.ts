import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { admin, freePort, resetDatabase, startPortal, stopPortal, urlFor, waitForServer, type Portal } from "../support/portal-server";
import { demoAccount, DEMO_PASSWORD, ROLLOUT_SLUG } from "./fixtures";

// Live pages across instances (issue 14). Two `next start` of the suite's build, on ONE
// database of a Postgres server (its own, reset and seeded here, so the shared e2e database
// the journeys rely on is untouched), as two instances behind a load balancer would be.
// People act on instance 1; the executive's dashboard is open on instance 2 and must follow
// without a reload, and after losing its connection must catch up on everything it missed.

test.describe.configure({ mode: "serial", timeout: 180_000 });

const DATABASE = `greenlight_live_${randomBytes(4).toString("hex")}`;
const BASE = `/r/${ROLLOUT_SLUG}`;
/** The product's promise: an open page shows a change within two seconds. */
const LIVE = { timeout: 2_000 };
const BUDGET = "Approve Phase 1 budget ($150K total)";
const APPROVED_BY_FINANCE = `Approved by ${demoAccount("FINANCE").name}`;

type Instance = Portal;
const instances: Instance[] = [];

test.beforeAll(async () => {
  test.setTimeout(240_000);
  await admin(`CREATE DATABASE "${DATABASE}"`);
  // Both instances share every secret, as instances of one deployment do.
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    GREENLIGHT_DEMO: "1",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: ".next-e2e",
    DATABASE_URL: urlFor(DATABASE),
    GREENLIGHT_LEDGER_KEYS: `live:${randomBytes(32).toString("base64")}`,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  };
  resetDatabase(env);
  for (let i = 0; i < 2; i++) instances.push(startPortal(env, await freePort()));
  await Promise.all(instances.map((instance) => waitForServer(instance, 120_000)));
});

test.afterAll(async () => {
  for (const instance of instances) stopPortal(instance);
  await admin(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`).catch(() => {});
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) for (const [i, { output }] of instances.entries()) console.log(`instance ${i + 1} output (tail):\n${output}`);
});

async function signedIn(browser: Browser, instance: Instance, role: string, path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: instance.base, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.locator("#email").fill(demoAccount(role).email);
  await page.locator("#password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => url.pathname !== "/sign-in", { timeout: 30_000 });
  await page.goto(path);
  return page;
}

/** Ticks a checklist box and waits for the server's answer (the box is disabled while the write is in flight). */
async function tick(box: Locator) {
  await expect(box).not.toBeChecked();
  await box.click();
  await expect(box).toBeChecked();
  await expect(box).toBeEnabled();
  await expect(box).toBeChecked();
}

async function approve(card: Locator) {
  await card.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(card.getByText("You approved.", { exact: true })).toBeVisible();
}

/** On the executive dashboard: one phase's entry in "Phases and gates". */
function execPhase(page: Page, position: number, name: string): Locator {
  return page
    .getByRole("region", { name: "Phases and gates" })
    .getByRole("listitem")
    .filter({ has: page.getByRole("link", { name: `Phase ${position}: ${name}`, exact: true }) });
}

test("a change made through one instance shows on a page served by another within two seconds, and a page that lost its connection catches up on everything it missed", async ({ browser }, testInfo) => {
  const [one, two] = instances;
  // B: the executive's dashboard, open on instance 2.
  const executive = await signedIn(browser, two, "EXECUTIVE", `${BASE}/executive`);
  await expect(executive.getByRole("heading", { level: 1, name: /dashboard$/ })).toBeVisible();
  const budget = executive.getByRole("article", { name: BUDGET, exact: true }).first();
  const training = execPhase(executive, 2, "Team Training & Operations");
  const trainingBar = training.getByRole("progressbar", { name: "Progress" });
  const overall = executive.getByRole("region", { name: "Phases and gates" }).getByRole("progressbar", { name: "Overall progress" });
  await expect(trainingBar).toHaveAttribute("aria-valuetext", "0 of 5 items done");
  await expect(budget).toBeVisible();
  await expect(budget).not.toContainText(APPROVED_BY_FINANCE);
  const overallBefore = await overall.getAttribute("aria-valuetext");
  const [overallDone, overallTotal] = /^(\d+) of (\d+) items done$/.exec(overallBefore ?? "")!.slice(1).map(Number);
  // Something half typed on B's page must survive every refresh.
  const comment = executive.getByLabel("Comment (required to reject)").first();
  await comment.fill("Waiting for the numbers from finance");
  // A mark on the window: a reload would wipe it.
  await executive.evaluate(() => ((window as unknown as { liveMark: string }).liveMark = "not reloaded"));

  // A: the operations manager and the finance approver, on instance 1.
  const ops = await signedIn(browser, one, "OPS_MANAGER", `${BASE}/checklist`);
  const finance = await signedIn(browser, one, "FINANCE", `${BASE}/finance`);
  const box = (text: string) => ops.getByRole("checkbox", { name: text, exact: true });
  const financeCard = finance.getByRole("article", { name: BUDGET, exact: true }).first();

  await tick(box("Team training completed"));
  await expect(trainingBar).toHaveAttribute("aria-valuetext", "1 of 5 items done", LIVE);
  await expect(overall).toHaveAttribute("aria-valuetext", `${overallDone + 1} of ${overallTotal} items done`, LIVE);
  await approve(financeCard);
  await expect(budget).toContainText(APPROVED_BY_FINANCE, LIVE);

  // B loses its connection for ten seconds while A makes three changes.
  await executive.context().setOffline(true);
  await tick(box("On-call schedule finalized"));
  await tick(box("Operations team certified"));
  await financeCard.getByRole("button", { name: "Withdraw my decision" }).click();
  await expect(financeCard.getByRole("button", { name: "Approve", exact: true })).toBeVisible();
  await executive.waitForTimeout(10_000);
  await expect(trainingBar).toHaveAttribute("aria-valuetext", "1 of 5 items done");
  await expect(budget).toContainText(APPROVED_BY_FINANCE);
  await executive.context().setOffline(false);

  // Back online: the stream resumes from the last event it saw and the page shows all three.
  await expect(trainingBar).toHaveAttribute("aria-valuetext", "3 of 5 items done", { timeout: 15_000 });
  await expect(budget).not.toContainText(APPROVED_BY_FINANCE, { timeout: 15_000 });
  await expect(overall).toHaveAttribute("aria-valuetext", `${overallDone + 3} of ${overallTotal} items done`);
  expect(await executive.evaluate(() => (window as unknown as { liveMark?: string }).liveMark)).toBe("not reloaded");
  await expect(comment).toHaveValue("Waiting for the numbers from finance");

  const folder = join(testInfo.project.outputDir, "screens", "live");
  mkdirSync(folder, { recursive: true });
  await executive.screenshot({ path: join(folder, "executive-desktop.png"), fullPage: true });
  await executive.setViewportSize({ width: 390, height: 844 });
  await executive.screenshot({ path: join(folder, "executive-phone.png"), fullPage: true });
  for (const page of [executive, ops, finance]) await page.context().close();
});

import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";
import { startReceiver } from "../support/webhook-receiver";
import { demoAccount, ROLLOUT_SLUG, DESKTOP, PHONE, signIn, screenshotsAtBothWidths } from "./fixtures";

// API tokens in the browser: a rollout admin makes a service account, a script with its
// token ticks an item over /api/v1, and the checklist shows it ticked by the bot; a webhook
// the admin added sends the signed event to a local receiver, and the delivery log shows it. A person
// makes and revokes a personal access token on the account page.

const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test.describe("API tokens", () => {
  test.describe.configure({ timeout: 180_000 });

  test("a rollout admin creates a service account; a script with its token ticks an item; the checklist shows the bot", async ({ page, playwright, baseURL }) => {
    await page.setViewportSize(DESKTOP);
    await signIn(page, demoAccount("ADMIN").email);
    await page.goto(`/r/${ROLLOUT_SLUG}/settings`);
    const card = page.locator("section, div").filter({ has: page.getByRole("heading", { name: "Service accounts" }) }).last();
    const name = `CI bot ${stamp()}`;
    await card.getByLabel("Name", { exact: true }).fill(name);
    await card.getByLabel("DevOps Engineer", { exact: true }).check();
    await card.getByRole("checkbox", { name: /^items:write/ }).check();
    await card.getByRole("button", { name: "Create service account" }).click();
    const tokenField = card.getByLabel("Your new token (shown once):");
    await expect(tokenField).toHaveValue(/^glsa_/);
    const token = await tokenField.inputValue();
    await screenshotsAtBothWidths(page, "service-accounts");

    // A webhook for item changes, to a receiver on this machine.
    const receiver = await startReceiver(Number(process.env.E2E_WEBHOOK_PORT ?? 3987));
    const hooks = page.locator("section, div").filter({ has: page.getByRole("heading", { name: "Webhooks" }) }).last();
    await hooks.getByLabel("URL", { exact: true }).fill(receiver.url);
    await hooks.getByLabel("Event types").fill("item.*");
    await hooks.getByRole("button", { name: "Add webhook" }).click();
    const secretField = hooks.getByLabel("Signing secret (shown once):");
    await expect(secretField).toHaveValue(/^whsec_/);
    const secret = await secretField.inputValue();

    // The script: no cookies, only the token.
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    const rollout = await (await api.get(`/api/v1/rollouts/${ROLLOUT_SLUG}`)).json();
    const open = new Set((rollout.phases as Array<{ id: string; status: string }>).filter((p) => p.status !== "DONE" && p.status !== "SKIPPED").map((p) => p.id));
    const page1 = await api.get(`/api/v1/rollouts/${ROLLOUT_SLUG}/items?role=DEVOPS&state=OPEN&limit=200`);
    expect(page1.status()).toBe(200);
    const item = ((await page1.json()).items as Array<{ id: string; phaseId: string | null; text: string; version: number }>).find((i) => i.phaseId === null || open.has(i.phaseId));
    expect(item).toBeDefined();
    const read = await api.get(`/api/v1/rollouts/${ROLLOUT_SLUG}/items/${item!.id}`);
    const etag = read.headers()["etag"]!;
    const write = await api.post(`/api/v1/rollouts/${ROLLOUT_SLUG}/items/${item!.id}/state`, {
      headers: { "if-match": etag, "idempotency-key": `run-${stamp()}`, "content-type": "application/json" },
      data: { state: "DONE", evidence: "https://ci.example.test/runs/42" },
    });
    expect(write.status()).toBe(200);
    expect(await write.json()).toMatchObject({ state: "DONE", stateChangedBy: { name } });
    // A cookie-less request without a token is refused alike.
    const anonymous = await playwright.request.newContext({ baseURL });
    expect((await anonymous.get(`/api/v1/rollouts`)).status()).toBe(401);
    await anonymous.dispose();

    await page.goto(`/r/${ROLLOUT_SLUG}/checklist?role=DEVOPS`);
    const row = page.getByRole("listitem").filter({ hasText: item!.text }).first();
    await expect(row).toContainText(name);

    // The receiver got the signed event (Standard Webhooks' algorithm, written out here).
    await expect.poll(() => receiver.received.filter((r) => JSON.parse(r.body).data?.targetId === item!.id).length, { timeout: 20_000 }).toBeGreaterThan(0);
    const got = receiver.received.find((r) => JSON.parse(r.body).data?.targetId === item!.id)!;
    const mac = createHmac("sha256", Buffer.from(secret.slice("whsec_".length), "base64")).update(`${got.headers["webhook-id"]}.${got.headers["webhook-timestamp"]}.${got.body}`).digest("base64");
    expect(got.headers["webhook-signature"]).toBe(`v1,${mac}`);
    expect(JSON.parse(got.body)).toMatchObject({ type: "item.state.changed", data: { after: { state: "DONE" } } });
    // Put the item back as the seed had it: the journeys, run last on this database, count the phase's ticks from zero.
    const ticked = await api.get(`/api/v1/rollouts/${ROLLOUT_SLUG}/items/${item!.id}`);
    const reopen = await api.post(`/api/v1/rollouts/${ROLLOUT_SLUG}/items/${item!.id}/state`, {
      headers: { "if-match": ticked.headers()["etag"]!, "idempotency-key": `undo-${stamp()}`, "content-type": "application/json" },
      data: { state: "OPEN" },
    });
    expect(reopen.status()).toBe(200);
    await api.dispose();
    await receiver.close();
    await page.goto(`/r/${ROLLOUT_SLUG}/settings`);
    await expect(page.getByText("#", { exact: false }).filter({ hasText: "item.state.changed" }).first()).toBeVisible();
    await expect(page.getByRole("button", { name: /^Send again: #\d+ item.state.changed/ }).first()).toBeVisible();
    await screenshotsAtBothWidths(page, "webhooks");
    for (const [label, size] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
      await page.setViewportSize(size);
      // The page fits the phone's width (nothing scrolls sideways).
      expect(await page.evaluate(() => document.documentElement.scrollWidth), label).toBeLessThanOrEqual(size.width);
      await page.locator("section, div").filter({ has: page.getByRole("heading", { name: "Webhooks" }) }).last().screenshot({ path: test.info().outputPath(`webhooks-card-${label}.png`) });
    }
    await page.setViewportSize(DESKTOP);

    // Revoked on the settings page: the token stops working.
    await page.goto(`/r/${ROLLOUT_SLUG}/settings`);
    await page.getByTestId(`service-account-${name}`).getByRole("button", { name: `Revoke: ${name}` }).click();
    await expect(page.getByTestId(`service-account-${name}`)).toContainText("revoked");
    const again = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    expect((await again.get(`/api/v1/rollouts`)).status()).toBe(401);
    await again.dispose();
  });

  test("an archived rollout's admin still sees its service accounts and webhooks, revokes, disables and deletes, and adds nothing", async ({ page }) => {
    // A rollout of this test's own (the seeded ones stay as the other specs expect them).
    await page.setViewportSize(DESKTOP);
    await signIn(page, demoAccount("ADMIN").email);
    const id = stamp();
    const slug = `archived-hooks-${id}`;
    await page.goto("/new");
    await page.getByLabel("Name", { exact: true }).fill(`Archived hooks ${id}`);
    await page.getByLabel("Address", { exact: true }).fill(slug);
    await page.getByLabel("Start date", { exact: true }).fill("2030-03-04");
    await page.getByRole("button", { name: "Create rollout" }).click();
    await page.waitForURL(`**/r/${slug}`);
    await page.goto(`/r/${slug}/settings`);
    const card = (heading: string) => page.locator("section, div").filter({ has: page.getByRole("heading", { name: heading }) }).last();
    const bot = `Archive bot ${id}`;
    await card("Service accounts").getByLabel("Name", { exact: true }).fill(bot);
    await card("Service accounts").getByLabel("DevOps Engineer", { exact: true }).check();
    await card("Service accounts").getByRole("checkbox", { name: /^items:write/ }).check();
    await card("Service accounts").getByRole("button", { name: "Create service account" }).click();
    await expect(card("Service accounts").getByLabel("Your new token (shown once):")).toHaveValue(/^glsa_/);
    const live = "http://127.0.0.1:9/live-hook";
    const doomed = "http://127.0.0.1:9/doomed-hook";
    for (const url of [live, doomed]) {
      await card("Webhooks").getByLabel("URL", { exact: true }).fill(url);
      await card("Webhooks").getByLabel("Event types").fill("item.*");
      await card("Webhooks").getByRole("button", { name: "Add webhook" }).click();
      await expect(card("Webhooks").getByText(url, { exact: true })).toBeVisible();
    }

    await page.getByRole("button", { name: "Archive this rollout" }).click();
    await expect(page.getByRole("button", { name: "Unarchive this rollout" })).toBeVisible();
    await page.goto(`/r/${slug}/settings`);
    // Still listed, with the ways to take access away, and none to add or enable.
    await expect(page.getByTestId(`service-account-${bot}`).getByRole("button", { name: `Revoke: ${bot}` })).toBeVisible();
    await expect(page.getByRole("button", { name: "Create service account" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Add webhook" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: `Disable: ${live}` })).toBeVisible();
    await expect(page.getByRole("button", { name: `Delete: ${doomed}` })).toBeVisible();
    await screenshotsAtBothWidths(page, "archived-settings");

    await page.getByRole("button", { name: `Disable: ${live}` }).click();
    await expect(page.getByRole("button", { name: `Disable: ${live}` })).toHaveCount(0);
    const liveRow = page.locator("li").filter({ has: page.getByText(live, { exact: true }) }).first();
    await expect(liveRow.getByText(/^disabled since /)).toBeVisible();
    // Enabling again waits for the rollout to be unarchived.
    await expect(page.getByRole("button", { name: `Enable: ${live}` })).toHaveCount(0);
    await page.getByRole("button", { name: `Delete: ${doomed}` }).click();
    await expect(page.getByText(doomed, { exact: true })).toHaveCount(0);
    await page.getByTestId(`service-account-${bot}`).getByRole("button", { name: `Revoke: ${bot}` }).click();
    await expect(page.getByTestId(`service-account-${bot}`)).toContainText("revoked");
    await screenshotsAtBothWidths(page, "archived-settings-revoked");
  });

  test("a person creates a personal access token on the account page, sees it once, and revokes it", async ({ page }) => {
    await page.setViewportSize(DESKTOP);
    await signIn(page, demoAccount("DBA").email);
    await page.goto("/account");
    await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();
    const name = `laptop ${stamp()}`;
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByRole("checkbox", { name: /^read:/ }).check();
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByLabel("Your new token (shown once):")).toHaveValue(/^glpat_/);
    await expect(page.getByText(name)).toBeVisible();
    await screenshotsAtBothWidths(page, "account-tokens");
    await page.getByRole("button", { name: `Revoke: ${name}` }).click();
    await expect(page.getByRole("button", { name: `Revoke: ${name}` })).toHaveCount(0);
  });
});

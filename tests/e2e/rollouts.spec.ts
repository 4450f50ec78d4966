import { expect, test, type Page } from "@playwright/test";
import { demoAccount, signIn, uniqueEmail } from "./fixtures";

// Rollouts of one's own, in the browser, on data of this spec's own (every rollout it makes
// has a unique name and address; the seeded rollouts are only read, or copied).

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
/** The buttons of every write a rollout page offers (deciding, transitions, verifying, reading marks, the editor's). */
const WRITE_BUTTONS = /^(Approve|Mark verified|Reject|Withdraw my decision|Start|Submit for sign-off|Complete|Skip|Block|Unblock|Reopen|Override the gate|Verify|Mark as read|Mark as unread|Save|Add|Remove|Rename)/;
const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function screenshots(page: Page, name: string) {
  for (const [label, size] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: test.info().outputPath(`${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

async function createRollout(page: Page, data: { name: string; slug: string; startDate: string; from?: string }) {
  await page.goto(data.from ? `/new?from=${data.from}` : "/new");
  await page.getByLabel("Name", { exact: true }).fill(data.name);
  await page.getByLabel("Address", { exact: true }).fill(data.slug);
  await page.getByLabel("Start date", { exact: true }).fill(data.startDate);
  await page.getByRole("button", { name: "Create rollout" }).click();
  await page.waitForURL(`**/r/${data.slug}`);
  await expect(page.getByRole("navigation", { name: "Breadcrumbs" }).getByRole("link", { name: data.name })).toBeVisible();
}

test.describe("rollouts of your own", () => {
  // Long journeys (several pages, server actions and screenshots each).
  test.describe.configure({ timeout: 180_000 });

  test("the home page lists the person's rollouts; an admin creates a blank rollout and adds people by email", async ({ page }) => {
    const admin = demoAccount("ADMIN");
    await page.setViewportSize(DESKTOP);
    await signIn(page, admin.email);
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Rollouts" })).toBeVisible();
    const active = page.getByRole("list", { name: "Active" });
    await expect(active.getByRole("link", { name: "Iteração 5 — Próximos Passos" })).toBeVisible();
    await expect(active.getByRole("link", { name: "Payments pilot" })).toBeVisible();
    // Templates are never listed as rollouts.
    await expect(active.getByRole("link", { name: "Service launch (template)" })).toHaveCount(0);
    const pilot = active.getByRole("listitem").filter({ has: page.getByRole("link", { name: "Payments pilot" }) });
    await expect(pilot.getByText("Phase 1: Preparation")).toBeVisible();
    await expect(pilot.getByRole("progressbar", { name: "Progress" })).toHaveAttribute("aria-valuetext", "0 of 5 items done (0%)");
    await screenshots(page, "home");

    await page.getByRole("link", { name: "New rollout" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Create a rollout" })).toBeVisible();
    await expect(page.getByRole("list", { name: "Templates" }).getByText("Service launch (template)")).toBeVisible();
    await screenshots(page, "create");

    const id = stamp();
    const name = `Blank rollout ${id}`;
    const slug = `blank-${id}`;
    await createRollout(page, { name, slug, startDate: "2030-03-04" });
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

    await page.getByRole("navigation", { name: "Rollout sections" }).getByRole("link", { name: "Settings" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Rollout settings" })).toBeVisible();
    await expect(page.getByText("Mar 4, 2030")).toBeVisible();
    const add = page.locator("form").filter({ has: page.getByRole("button", { name: "Add person" }) });

    // A new email: an account is created with the role.
    const person = { name: `New Person ${id}`, email: uniqueEmail("rollouts") };
    await add.getByLabel("Email", { exact: true }).fill(person.email);
    await add.getByLabel("Name", { exact: true }).fill(person.name);
    await add.getByLabel("Initial password", { exact: true }).fill("e2e-correct-horse-battery-42");
    await add.getByRole("checkbox", { name: "DBA", exact: true }).check();
    await add.getByRole("button", { name: "Add person" }).click();
    await expect(add.getByRole("status")).toHaveText(`Created ${person.name} (${person.email}).`);
    await expect(page.getByTestId(`member-${person.email}`)).toBeVisible();

    // An existing account: added, and the answer says nothing about it but the email typed.
    const viewer = demoAccount("VIEWER");
    await page.reload();
    const again = page.locator("form").filter({ has: page.getByRole("button", { name: "Add person" }) });
    await again.getByLabel("Email", { exact: true }).fill(viewer.email);
    await again.getByRole("checkbox", { name: "Finance", exact: true }).check();
    await again.getByRole("button", { name: "Add person" }).click();
    await expect(again.getByRole("status")).toHaveText(`${viewer.email} now holds the chosen roles in this rollout.`);
    await expect(page.getByTestId(`member-${viewer.email}`)).toBeVisible();

    // The header and breadcrumbs belong to the rollout on screen.
    await page.goto("/r/payments-pilot");
    await expect(page.getByRole("navigation", { name: "Breadcrumbs" }).getByRole("link", { name: "Payments pilot" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Rollout sections" }).getByRole("link", { name: "Checklist" })).toHaveAttribute("href", "/r/payments-pilot/checklist");
  });

  test("a holder of one of the rollout's own roles lands on its dashboard and switches to it from the rollout's navigation", async ({ browser, page }) => {
    // The demo's development lead also holds the payments pilot's own "QA Lead" role.
    const devLead = demoAccount("DEV_LEAD");
    await page.setViewportSize(DESKTOP);
    await signIn(page, devLead.email);
    await page.goto("/r/payments-pilot");
    const dashboards = page.getByRole("navigation", { name: "Your dashboards in this rollout" });
    await expect(dashboards.getByRole("link")).toHaveText(["My dashboard: Development Lead", "My dashboard: QA Lead"]);
    await dashboards.getByRole("link", { name: "QA Lead" }).click();
    await page.waitForURL("**/r/payments-pilot/qa-lead");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("QA Lead");
    // The sample rollout has no such role: its navigation does not offer it.
    await page.goto("/r/iteration-5");
    await expect(page.getByRole("navigation", { name: "Your dashboards in this rollout" }).getByRole("link", { name: "QA Lead" })).toHaveCount(0);

    // Someone holding only the QA Lead role (built on the development lead's rights) lands on
    // the QA Lead's dashboard after signing in, and is not offered the development lead's.
    const admin = demoAccount("ADMIN");
    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, admin.email);
    await adminPage.goto("/r/payments-pilot/settings");
    const person = { email: uniqueEmail("qa-lead"), name: `Quinn QA ${stamp()}`, password: "e2e-correct-horse-battery-42" };
    const add = adminPage.locator("form").filter({ has: adminPage.getByRole("button", { name: "Add person" }) });
    await add.getByLabel("Email", { exact: true }).fill(person.email);
    await add.getByLabel("Name", { exact: true }).fill(person.name);
    await add.getByLabel("Initial password", { exact: true }).fill(person.password);
    await add.getByRole("checkbox", { name: "QA Lead", exact: true }).check();
    await add.getByRole("button", { name: "Add person" }).click();
    await expect(add.getByRole("status")).toHaveText(`Created ${person.name} (${person.email}).`);
    await adminContext.close();

    const context = await browser.newContext();
    const qaPage = await context.newPage();
    await signIn(qaPage, person.email, person.password);
    await qaPage.goto("/home");
    await qaPage.waitForURL("**/r/payments-pilot/qa-lead");
    await expect(qaPage.getByRole("navigation", { name: "Your dashboards in this rollout" }).getByRole("link")).toHaveText(["My dashboard: QA Lead"]);
    await context.close();
  });

  test("save a rollout as a template, make a rollout from it on another date, then archive it", async ({ page }) => {
    const admin = demoAccount("ADMIN");
    await page.setViewportSize(DESKTOP);
    await signIn(page, admin.email);
    const id = stamp();

    await page.goto("/r/payments-pilot/settings");
    const save = page.getByRole("form", { name: "Save as template" });
    await save.getByLabel("Template name").fill(`Pilot template ${id}`);
    await save.getByLabel("Address").fill(`pilot-template-${id}`);
    await save.getByRole("button", { name: "Save as template" }).click();
    await expect(save.getByRole("status")).toHaveText(`Saved as the template "Pilot template ${id}".`);
    await save.getByRole("link", { name: "Create a rollout from it" }).click();
    await expect(page.getByLabel("Start from")).toHaveValue(/.+/);
    await expect(page.getByLabel("Start from").locator("option:checked")).toHaveText(`Pilot template ${id}`);

    const name = `From template ${id}`;
    const slug = `from-template-${id}`;
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Address", { exact: true }).fill(slug);
    await page.getByLabel("Start date", { exact: true }).fill("2030-01-07");
    await page.getByRole("button", { name: "Create rollout" }).click();
    await page.waitForURL(`**/r/${slug}`);

    // Same structure, fresh state, dates moved: the template's first phase runs from the day
    // after its start to a week after it, so here from 8 to 14 January 2030.
    const phases = page.getByRole("heading", { level: 3 });
    await expect(phases).toHaveText(["Preparation", "Launch"]);
    const first = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Preparation", exact: true }) });
    await expect(first.getByText("Jan 8, 2030 – Jan 14, 2030")).toBeVisible();
    await expect(first.getByText("Not started", { exact: true })).toBeVisible();
    await expect(first.getByRole("progressbar", { name: "Progress" })).toHaveAttribute("aria-valuetext", "0 of 3 items done");

    // Before archiving, its admin has write controls: tick boxes, the editor, phase transitions.
    await page.goto(`/r/${slug}/checklist`);
    await expect(page.getByRole("checkbox").first()).toBeEnabled();
    await page.goto(`/r/${slug}`);
    await expect(page.getByRole("link", { name: "Edit the plan" })).toBeVisible();

    // Archive it: read-only, listed under "Archived".
    await page.goto(`/r/${slug}/settings`);
    await page.getByRole("button", { name: "Archive this rollout" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Archived" })).toHaveText("Archived: the rollout is now read-only.");
    await page.goto(`/r/${slug}`);
    // The banner says who archived it and when.
    await expect(page.getByRole("note")).toHaveText(new RegExp(`^This rollout was archived by ${admin.name} on .+: it is read-only\\. Its ledger, certificates and exports are still available\\.$`));
    await expect(page.getByRole("link", { name: "Edit the plan" })).toHaveCount(0);
    await screenshots(page, "archived-overview");

    // No write control anywhere: every tick box is a read-only display, no decision, no
    // transition, no reading mark, no editor form.
    for (const path of ["checklist", "go-no-go", "phases/1", "criteria"]) {
      await page.goto(`/r/${slug}/${path}`);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      const boxes = page.getByRole("checkbox");
      for (let i = 0; i < (await boxes.count()); i++) await expect(boxes.nth(i)).toBeDisabled();
      await expect(page.getByRole("button", { name: WRITE_BUTTONS })).toHaveCount(0);
      await expect(page.locator("main textarea")).toHaveCount(0);
    }
    await page.goto(`/r/${slug}/checklist`);
    await screenshots(page, "archived-checklist");
    await page.goto(`/r/${slug}/edit`);
    await expect(page.getByText("This rollout is archived, so its plan cannot change.")).toBeVisible();
    await expect(page.locator("main form")).toHaveCount(0);
    await page.goto(`/r/${slug}/settings`);
    await expect(page.getByRole("button", { name: "Unarchive this rollout" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Add person" })).toHaveCount(0);
    await page.goto("/");
    await expect(page.getByRole("list", { name: "Active" }).getByRole("link", { name })).toHaveCount(0);
    await page.getByRole("link", { name: "Archived", exact: true }).click();
    await expect(page.getByRole("list", { name: "Archived" }).getByRole("link", { name })).toBeVisible();
    // Its export still works.
    const csv = await page.request.get(`/r/${slug}/export/items`);
    expect(csv.status()).toBe(200);
  });
});

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { signIn } from "./fixtures";
import { EDITOR_EMAIL, EDITOR_SLUG } from "./plan-editor-data";

// Issue 9: a rollout admin builds a plan in the browser — two phases, items, a sign-off
// with two approver roles, a document and a reading entry, success criteria, a contact for
// a custom role and a milestone — on an empty rollout of this spec's own
// (tests/e2e/plan-editor-setup.ts).

const EDIT = `/r/${EDITOR_SLUG}/edit`;

async function keep(page: Page, testInfo: TestInfo, name: string) {
  const folder = join(testInfo.project.outputDir, "screens");
  mkdirSync(folder, { recursive: true });
  for (const [label, size] of [["desktop", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(size);
    const png = await page.screenshot({ fullPage: true });
    writeFileSync(join(folder, `${name}-${label}.png`), png);
    await testInfo.attach(`${name}-${label}`, { body: png, contentType: "image/png" });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Opens a collapsed "add" form by its summary and returns the form. */
async function openAdd(page: Page, region: string, summary: string, nth = 0) {
  const details = page.getByRole("region", { name: region }).locator("details").filter({ has: page.locator("summary", { hasText: summary }) }).nth(nth);
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator("summary").click();
  return details.locator("form");
}

test("an admin builds a plan in the editor: phases, items, a sign-off with two approver roles, a document and a reading entry", async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await signIn(page, EDITOR_EMAIL);
  await page.goto(EDIT);
  await expect(page.getByRole("heading", { level: 1, name: "Edit the plan" })).toBeVisible();

  for (const name of ["Pilot", "General availability"]) {
    const form = await openAdd(page, "Phases", "Add a phase");
    await form.getByLabel("Name").fill(name);
    await form.getByRole("button", { name: "Add" }).click();
    // The page shows the new phase (the add form folds away once the plan has a phase).
    await expect(page.getByRole("heading", { name: new RegExp(`^Phase \\d: ${name}$`) })).toBeVisible();
  }
  await expect(page.getByRole("heading", { name: "Phase 1: Pilot" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Phase 2: General availability" })).toBeVisible();

  // An item in each phase (the first "Add an item" belongs to phase 1, the second to phase 2).
  for (const [nth, text] of [[0, "Run the smoke test"], [1, "Announce the release"]] as const) {
    const form = await openAdd(page, "Checklist items", "Add an item", nth);
    await form.getByLabel("Text").fill(text);
    await form.getByLabel("Owning role").selectOption({ label: "DBA" });
    await form.getByRole("button", { name: "Add" }).click();
    await expect(page.getByRole("region", { name: "Checklist items" }).getByText(text)).toBeVisible();
  }

  const signOff = await openAdd(page, "Sign-offs", "Add a sign-off");
  await signOff.getByLabel("Title").fill("Release approval");
  await signOff.getByLabel("Phase", { exact: true }).selectOption({ label: "1. Pilot" });
  await signOff.getByRole("checkbox", { name: "DBA" }).check();
  await signOff.getByRole("checkbox", { name: "Finance" }).check();
  await signOff.getByLabel("Approved when").selectOption("every");
  await signOff.getByRole("button", { name: "Add" }).click();
  await expect(signOff.getByRole("status")).toHaveText("Added.");

  const doc = await openAdd(page, "Documents", "Add a document");
  await doc.getByLabel("Title").fill("Runbook");
  await doc.getByLabel("Path in the repository, or a link").fill("docs/runbook.md");
  await doc.getByRole("button", { name: "Add" }).click();
  await expect(doc.getByRole("status")).toHaveText("Added.");

  await page.reload();
  const reading = await openAdd(page, "Reading lists", "Add a reading entry");
  await reading.getByLabel("Role").selectOption({ label: "DBA" });
  await reading.getByLabel("Document").selectOption({ label: "Runbook" });
  await reading.getByLabel("Minutes").fill("20");
  await reading.getByRole("button", { name: "Add" }).click();
  await expect(reading.getByRole("status")).toHaveText("Added.");

  // A refused edit says why and keeps the page as it was.
  const bad = await openAdd(page, "Phases", "Add a phase");
  await bad.getByLabel("Name").fill("Backwards");
  await bad.getByLabel("Planned start").fill("2027-03-01");
  await bad.getByLabel("Planned end").fill("2027-02-01");
  await bad.getByRole("button", { name: "Add" }).click();
  await expect(bad.getByRole("status")).toHaveText("The planned end cannot be before the planned start.");
  // What was typed stays, to be corrected.
  await expect(bad.getByLabel("Name")).toHaveValue("Backwards");
  await expect(bad.getByLabel("Planned end")).toHaveValue("2027-02-01");

  await page.reload();
  const items = page.getByRole("region", { name: "Checklist items" });
  await expect(items.getByText("Run the smoke test")).toBeVisible();
  await expect(items.getByText("Announce the release")).toBeVisible();
  await expect(page.getByRole("region", { name: "Sign-offs" }).getByText("Release approval")).toBeVisible();
  await expect(page.getByRole("region", { name: "Reading lists" }).getByText("1. Runbook")).toBeVisible();
  await keep(page, testInfo, "plan-editor");

  // What the plan now holds, as the rollout's own pages show it.
  await page.goto(`/r/${EDITOR_SLUG}/phases/1`);
  await expect(page.getByTestId("checklist-item").getByText("Run the smoke test")).toBeVisible();
  await expect(page.getByText("Release approval").first()).toBeVisible();
  await page.goto(`/r/${EDITOR_SLUG}/activity`);
  for (const sentence of ["added the phase “Pilot”", "added the item “Run the smoke test”", "added the sign-off “Release approval”", "added the reading entry “Runbook”"]) {
    await expect(page.getByText(sentence, { exact: false })).toBeVisible();
  }
});

test("the editor adds success criteria, a contact for a custom role and a milestone, and the rollout's pages show them", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await signIn(page, EDITOR_EMAIL);
  await page.goto(EDIT);

  // A role of the rollout's own, for the contact.
  const role = await openAdd(page, "Roles of this rollout", "Add a role");
  await role.getByLabel("Name").fill("QA Lead");
  await role.getByLabel("Address (for its dashboard)").fill("qa-lead");
  await role.getByRole("button", { name: "Add" }).click();
  await expect(role.getByRole("status")).toHaveText("Added.");

  const group = await openAdd(page, "Success criteria", "Add a group");
  await group.getByLabel("Group name").fill("Customer experience");
  await group.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("region", { name: "Success criteria" }).getByRole("heading", { name: "Customer experience" })).toBeVisible();
  const criterion = await openAdd(page, "Success criteria", "Add a criterion");
  await criterion.getByLabel("Text").fill("Checkout errors stay below 0.1%");
  await criterion.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("region", { name: "Success criteria" }).getByText("Checkout errors stay below 0.1%")).toBeVisible();

  await page.reload();
  const contact = await openAdd(page, "Contacts", "Add a contact");
  await contact.getByLabel("Topic").fill("Test plan");
  await contact.getByLabel("Role", { exact: true }).selectOption({ label: "QA Lead" });
  await contact.getByLabel("Role as the plan words it (optional)").fill("Quality lead");
  await contact.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("region", { name: "Contacts" }).getByText("Test plan")).toBeVisible();

  // A refused milestone says why; the corrected one is added.
  const milestone = await openAdd(page, "Milestones", "Add a milestone");
  await milestone.getByLabel("Name").fill("Pilot review");
  await milestone.getByLabel("Date").fill("2027-02-10");
  await milestone.getByLabel("Ends (optional)").fill("2027-02-01");
  await milestone.getByRole("button", { name: "Add" }).click();
  await expect(milestone.getByRole("status")).toHaveText("A milestone cannot end before it starts.");
  await expect(milestone.getByLabel("Name")).toHaveValue("Pilot review");
  await milestone.getByLabel("Ends (optional)").fill("2027-02-11");
  await milestone.getByLabel("Phase").selectOption({ label: "1. Pilot" });
  await milestone.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("region", { name: "Milestones" }).getByText("Feb 10, 2027 · Pilot review")).toBeVisible();
  await page.reload();
  for (const region of ["Success criteria", "Contacts", "Milestones"]) {
    const details = page.getByRole("region", { name: region }).locator("details");
    for (let i = 0; i < (await details.count()); i++) if (!(await details.nth(i).evaluate((d) => (d as HTMLDetailsElement).open))) await details.nth(i).locator("summary").first().click();
  }
  await keep(page, testInfo, "plan-editor-criteria-contacts-milestones");

  await page.goto(`/r/${EDITOR_SLUG}/criteria`);
  await expect(page.getByRole("heading", { name: "Customer experience" })).toBeVisible();
  await expect(page.getByText("Checkout errors stay below 0.1%")).toBeVisible();
  await page.goto(`/r/${EDITOR_SLUG}/contacts`);
  const row = page.getByRole("row").filter({ hasText: "Test plan" });
  // The plan's own words lead; the portal's role is named beneath them.
  await expect(row.getByText("Quality lead", { exact: true })).toBeVisible();
  await expect(row.getByText("Role in the portal: QA Lead")).toBeVisible();
  await keep(page, testInfo, "contacts-custom-role");
  await page.goto(`/r/${EDITOR_SLUG}/timeline`);
  await expect(page.getByText("Pilot review").first()).toBeVisible();
  await page.goto(`/r/${EDITOR_SLUG}/activity`);
  for (const sentence of ["added the criteria group “Customer experience”", "added the success criterion “Checkout errors stay below 0.1%”", "added the contact “Test plan”", "added the milestone “Pilot review”"]) {
    await expect(page.getByText(sentence, { exact: false })).toBeVisible();
  }
});

test("the editor's forms work without JavaScript", async ({ browser }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  // next-auth's sign-in page needs JavaScript; sign in with it, then turn it off by reusing the cookies.
  const withJs = await browser.newContext();
  const signer = await withJs.newPage();
  await signIn(signer, EDITOR_EMAIL);
  await context.addCookies(await withJs.cookies());
  await withJs.close();

  await page.goto(EDIT);
  const add = page.getByRole("region", { name: "Documents" }).locator("details").filter({ has: page.locator("summary", { hasText: "Add a document" }) });
  await add.locator("summary").click();
  await add.getByLabel("Title").fill("Written without scripts");
  await add.getByRole("button", { name: "Add" }).click();
  await page.waitForLoadState("load");
  await page.goto(EDIT);
  await expect(page.getByRole("region", { name: "Documents" }).getByText("Written without scripts")).toBeVisible();
  await context.close();
});

test("two people added by the admin take part: one ticks an item, both approve the sign-off, and the gate opens", async ({ browser, page }) => {
  test.setTimeout(240_000);
  const id = Date.now().toString(36);
  const password = "e2e-correct-horse-battery-42";
  const dba = { email: `editor-dba-${id}@e2e.example`, name: `Dana DBA ${id}` };
  const finance = { email: `editor-finance-${id}@e2e.example`, name: `Fin Finance ${id}` };

  // The rollout's admin adds two new people, each with one role of this rollout.
  await signIn(page, EDITOR_EMAIL);
  await page.goto(`/r/${EDITOR_SLUG}/settings`);
  for (const [person, role] of [[dba, "DBA"], [finance, "Finance"]] as const) {
    const add = page.locator("form").filter({ has: page.getByRole("button", { name: "Add person" }) });
    await add.getByLabel("Email", { exact: true }).fill(person.email);
    await add.getByLabel("Name", { exact: true }).fill(person.name);
    await add.getByLabel("Initial password", { exact: true }).fill(password);
    await add.getByRole("checkbox", { name: role, exact: true }).check();
    await add.getByRole("button", { name: "Add person" }).click();
    await expect(add.getByRole("status")).toHaveText(`Created ${person.name} (${person.email}).`);
    await page.reload();
  }

  // The DBA ticks their item, then approves the sign-off, withdraws, and approves again:
  // the card always shows the latest action's message (defect 11 of the hardening issue:
  // it used to show the first of its three forms' messages, not the newest).
  const dbaContext = await browser.newContext();
  const dbaPage = await dbaContext.newPage();
  await signIn(dbaPage, dba.email, password);
  await dbaPage.goto(`/r/${EDITOR_SLUG}/phases/1`);
  const box = dbaPage.getByRole("checkbox", { name: "Run the smoke test" }).first();
  await expect(box).toBeEnabled();
  await box.click();
  await expect(box).toBeChecked();
  const card = dbaPage.getByRole("article", { name: "Release approval", exact: true }).first();
  await card.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(card.getByRole("status")).toHaveText("Approved.");
  await card.getByRole("button", { name: "Withdraw my decision" }).click();
  await expect(card.getByRole("status")).toHaveText("Decision withdrawn.");
  await card.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(card.getByRole("status")).toHaveText("Approved.");
  await expect(card.getByText("You approved.", { exact: true })).toBeVisible();
  await dbaContext.close();

  // Every listed role must approve: Finance gives the second approval.
  const financeContext = await browser.newContext();
  const financePage = await financeContext.newPage();
  await signIn(financePage, finance.email, password);
  await financePage.goto(`/r/${EDITOR_SLUG}/phases/1`);
  const financeCard = financePage.getByRole("article", { name: "Release approval", exact: true }).first();
  await financeCard.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(financeCard.getByText("You approved.", { exact: true })).toBeVisible();
  await financeContext.close();

  // Phase 1's gate is open now: its only item is done and its sign-off approved.
  await page.goto(`/r/${EDITOR_SLUG}`);
  await expect(page.getByText("Gate open: every required item and sign-off is complete.").first()).toBeVisible();
});

import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { expect, test, type Page } from "@playwright/test";
import { demoAccount, signIn } from "./fixtures";

// Importing a plan from Markdown in the browser, on data of this spec's own: a rollout
// admin uploads a plan whose accents a Windows tool broke (UTF-8 read as Windows-1252 and
// saved again, with one character lost), sees the repaired lines and the one to check,
// corrects it, reads one section differently, maps one role to a new custom role,
// confirms, and lands on the new rollout's overview.

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function screenshots(page: Page, name: string) {
  for (const [label, size] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: test.info().outputPath(`${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

/** The Portuguese test plan, one task added, as a Windows tool would have mangled it. */
function misEncodedPlan(): Buffer {
  const text = readFileSync(new URL("../fixtures/plans/portuguese.md", import.meta.url), "utf8").replace(
    "- [ ] Migração dos dados históricos",
    "- [ ] Migração dos dados históricos\n- [ ] Área de testes liberada",
  );
  // "Á" is C3 81 in UTF-8; Windows-1252 has no character for 0x81, so that byte is lost.
  return Buffer.from(iconv.decode(Buffer.from(text, "utf8"), "windows-1252"), "utf8");
}

test.describe("importing a plan from Markdown", () => {
  test.describe.configure({ timeout: 180_000 });

  test("a rollout admin uploads a mis-encoded plan, checks the preview, remaps a section and a role, and lands on the new rollout", async ({ page }) => {
    await page.setViewportSize(DESKTOP);
    await signIn(page, demoAccount("ADMIN").email);
    await page.goto("/");
    await page.getByRole("link", { name: "Import a plan from Markdown" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Import a plan from Markdown" })).toBeVisible();

    await page.getByLabel("Markdown file").setInputFiles({ name: "migracao.md", mimeType: "text/markdown", buffer: misEncodedPlan() });
    await screenshots(page, "import-upload");
    await page.getByRole("button", { name: "Read the plan" }).click();

    // The repaired text: every changed line marked, the one that lost a byte to check.
    await expect(page.getByText("Read as utf-8 → windows-1252 mojibake ×1: 12 lines repaired, 1 uncertain", { exact: false })).toBeVisible();
    const text = page.getByRole("list", { name: "The repaired text, line by line" });
    await expect(text.locator('[data-mark="repaired"]')).toHaveCount(11);
    await expect(text.locator('[data-line="1"]')).toContainText("Migração do armazém de dados");
    await expect(text.locator('[data-line="1"]')).toContainText("MigraÃ§Ã£o");
    const unsure = text.locator('[data-mark="unsure"]');
    await expect(unsure).toHaveCount(1);
    await expect(unsure).toContainText("Likely characters: Á Í Ï Ð Ý");
    const line12 = page.getByLabel("Correct line 12");
    await expect(line12).toHaveValue("- [ ] Área de testes liberada");

    // The structure found.
    await expect(page.getByRole("heading", { name: "What will be created: “Migração do armazém de dados”" })).toBeVisible();
    await expect(page.getByText("2 phases, 6 items, 0 sign-offs, 2 reading entries, 2 criteria, 0 contacts, 0 milestones.")).toBeVisible();
    await screenshots(page, "import-preview");

    // The person corrects the unsure line and checks again.
    await line12.fill("- [ ] Área de homologação liberada");
    await expect(page.getByRole("button", { name: "Import the plan" })).toBeDisabled();
    await page.getByRole("button", { name: "Check the plan again with my corrections" }).click();
    await expect(page.getByRole("button", { name: "Import the plan" })).toBeEnabled();

    // One section read differently: the success criteria become a phase of their own.
    await page.getByLabel("Read “Critérios de sucesso: Operação” as").selectOption("phase");
    await expect(page.getByText("3 phases, 8 items, 0 sign-offs, 2 reading entries, 0 criteria, 0 contacts, 0 milestones.")).toBeVisible();

    // One role mapped: the plan's DBA becomes a new custom role based on DBA.
    await page.getByLabel("Role for “DBA”").selectOption("new");
    await page.getByLabel("Name of the new role for “DBA”").fill("Equipe de dados");
    await page.getByLabel("based on").selectOption("DBA");

    const id = stamp();
    await page.getByLabel("Name", { exact: true }).fill(`Migração ${id}`);
    await page.getByLabel("Address", { exact: true }).fill(`migracao-${id}`);
    await page.getByLabel("Start date", { exact: true }).fill("2031-02-03");
    await screenshots(page, "import-choices");
    await page.getByRole("button", { name: "Import the plan" }).click();

    // The new rollout's overview, with the imported structure.
    await page.waitForURL(`**/r/migracao-${id}`);
    await expect(page.getByRole("heading", { level: 1, name: `Migração ${id}` })).toBeVisible();
    const phases = page.getByRole("region", { name: "Phases" });
    await expect(phases.getByText("Preparação").first()).toBeVisible();
    await expect(phases.getByText("Execução").first()).toBeVisible();
    await expect(phases.getByText("Critérios de sucesso: Operação").first()).toBeVisible();
    await screenshots(page, "import-overview");

    // The corrected line was imported as corrected, and the custom role exists.
    await page.goto(`/r/migracao-${id}/phases/2`);
    await expect(page.getByText("Área de homologação liberada").first()).toBeVisible();
    await expect(page.getByText("Área de testes liberada")).toHaveCount(0);
    await page.goto(`/r/migracao-${id}/edit`);
    await expect(page.getByText("Address: equipe-de-dados · rights of: DBA", { exact: false })).toBeVisible();
  });

  test("a rollout with recorded activity refuses an import with a clear message; a plan without tasks is refused", async ({ page }) => {
    await page.setViewportSize(DESKTOP);
    await signIn(page, demoAccount("ADMIN").email);
    await page.goto("/r/payments-pilot/import");
    await expect(page.getByText("“Payments pilot” already holds a plan")).toBeVisible();
    await expect(page.getByRole("button", { name: "Read the plan" })).toHaveCount(0);

    await page.goto("/import");
    await page.getByLabel("Paste the text").check();
    await page.getByLabel("The plan's Markdown").fill("# Notes\n\nJust prose, no task list.\n");
    await page.getByRole("button", { name: "Read the plan" }).click();
    await expect(page.getByText("The file has no task list: write the plan's items as GitHub task-list lines (“- [ ] item”).")).toBeVisible();
    await screenshots(page, "import-refused");
  });

  test("an admin imports a pasted plan into a blank rollout from its overview", async ({ page }) => {
    await page.setViewportSize(DESKTOP);
    await signIn(page, demoAccount("ADMIN").email);
    const id = stamp();
    await page.goto("/new");
    await page.getByLabel("Name", { exact: true }).fill(`Blank ${id}`);
    await page.getByLabel("Address", { exact: true }).fill(`blank-${id}`);
    await page.getByLabel("Start date", { exact: true }).fill("2032-05-03");
    await page.getByRole("button", { name: "Create rollout" }).click();
    await page.waitForURL(`**/r/blank-${id}`);
    await expect(page.getByText("This rollout has no phases yet.")).toBeVisible();
    await page.getByRole("link", { name: "Import a plan", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Import a plan into this rollout" })).toBeVisible();

    await page.getByLabel("Paste the text").check();
    await page.getByLabel("The plan's Markdown").fill("# Office move\n\n## Phase 1: Pack (2032-05-03 – 2032-05-07)\n\n- [ ] Label the boxes\n- [x] Book the van\n\n## Phase 2: Unpack\n\n- [ ] Set up the desks\n");
    await page.getByRole("button", { name: "Read the plan" }).click();
    await expect(page.getByText("2 phases, 3 items, 0 sign-offs", { exact: false })).toBeVisible();
    await expect(page.getByRole("heading", { name: `Import into “Blank ${id}”` })).toBeVisible();
    await screenshots(page, "import-into");
    await page.getByRole("button", { name: "Import the plan" }).click();
    await page.waitForURL(`**/r/blank-${id}`);
    await expect(page.getByRole("heading", { level: 1, name: `Blank ${id}` })).toBeVisible();
    await expect(page.getByRole("region", { name: "Phases" }).getByText("Pack").first()).toBeVisible();
    await expect(page.getByRole("progressbar", { name: "Overall progress" })).toHaveAttribute("aria-valuetext", /1 of 3 items done/);
    // Now it holds a plan: the link is gone and the page refuses a second import.
    await expect(page.getByRole("link", { name: "Import a plan", exact: true })).toHaveCount(0);
    await page.goto(`/r/blank-${id}/import`);
    await expect(page.getByText(`“Blank ${id}” already holds a plan`)).toBeVisible();
  });
});

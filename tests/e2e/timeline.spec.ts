import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { demoAccount, ROLLOUT_SLUG, signIn } from "./fixtures";

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const PHASES = [
  "Phase 1: Production Deployment",
  "Phase 2: Team Training & Operations",
  "Phase 3: Replica & Optional Multi-cluster Phase",
  "Phase 4: Monitoring",
];

/** Attaches a full-page screenshot to the report and keeps it in test-results/screens for a person to look at. */
async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const png = await page.screenshot({ fullPage: true });
  await testInfo.attach(name, { body: png, contentType: "image/png" });
  const folder = join(testInfo.project.outputDir, "screens");
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${name}.png`), png);
}

/**
 * The Gantt chart's figure and the drawing it shows. The server draws the chart at a few
 * widths and the page shows the one that suits its room: exactly one is visible.
 */
async function drawnGantt(page: Page) {
  const figure = page.getByRole("figure", { name: "Gantt chart of the phases' planned and actual windows, with the milestones and today" });
  const drawing = figure.locator("svg.gantt-chart:visible");
  await expect(drawing).toHaveCount(1);
  await expect(drawing.locator("text", { hasText: "Today" })).toBeVisible();
  return { figure, drawing };
}

test.describe("timeline", () => {
  test("shows the phases on a time axis, as a table and with the plan's milestones", async ({ page }, testInfo) => {
    await page.setViewportSize(DESKTOP);
    await signIn(page, demoAccount("EXECUTIVE").email);
    await page.goto(`/r/${ROLLOUT_SLUG}`);
    await page.getByRole("navigation", { name: "Rollout sections" }).getByRole("link", { name: "Timeline" }).click();
    await expect(page).toHaveURL(`/r/${ROLLOUT_SLUG}/timeline`);
    await expect(page.getByRole("heading", { level: 1, name: "Timeline" })).toBeVisible();

    // The chart: drawn for sighted readers, hidden from assistive technology (the table stands in).
    const { figure, drawing } = await drawnGantt(page);
    await expect(drawing.locator("xpath=ancestor::*[@aria-hidden='true']")).toHaveCount(1);
    await expect(figure.locator("figcaption")).toContainText("The table “Phases” gives the same information.");
    // Four planned bars and one actual bar (Phase 1 runs since the seed).
    await expect(drawing.locator("[data-bar] rect")).toHaveCount(5);
    await expect(drawing.locator("[data-bar='actual'] rect")).toHaveCount(1);
    await expect(drawing).toHaveAttribute("data-layout", "wide");
    // Drawn on the server as it is: no charting library, and the drawing fills the figure's width.
    await expect(figure.locator(".recharts-surface")).toHaveCount(0);
    const [figureBox, drawingBox] = [await figure.boundingBox(), await drawing.boundingBox()];
    expect(Math.round(drawingBox!.width)).toBe(Math.round(figureBox!.width));

    const table = page.getByRole("table", { name: "Planned and actual windows of each phase, with slippage" });
    await expect(table.getByRole("columnheader")).toHaveText([
      "Phase",
      "Planned start",
      "Planned end",
      "Actual start",
      "Actual end",
      "Status",
      "Slippage (days)",
      "Optional",
    ]);
    await expect(table.getByRole("rowheader")).toHaveText(PHASES);
    const first = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: PHASES[0] }) });
    await expect(first.getByRole("cell").nth(3)).toContainText("ongoing (today");
    await expect(first).toContainText("In progress");
    await expect(first).toContainText("on time");
    const replica = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: PHASES[2] }) });
    await expect(replica.getByRole("cell").last()).toHaveText("Yes");

    const milestones = page.getByRole("region", { name: "Milestones" });
    await expect(milestones.getByRole("listitem").filter({ hasText: "HOJE (7 de dezembro)" })).toContainText("Documentação criada");
    await expect(milestones.getByRole("listitem").filter({ hasText: "Fevereiro+" })).toContainText("Prometheus + Grafana");
    await expect(page.locator("body")).not.toContainText("Ã§");

    await shoot(page, testInfo, "timeline-desktop");

    await page.setViewportSize(PHONE);
    await page.reload();
    const phone = await drawnGantt(page);
    await expect(phone.drawing).toHaveAttribute("data-layout", "narrow");
    await expect(phone.drawing.locator("[data-bar] rect")).toHaveCount(5);
    await expect(table.getByRole("rowheader")).toHaveText(PHASES);
    await shoot(page, testInfo, "timeline-phone");
  });

  test("the executive dashboard shows items per phase and the burn-down, each with its table", async ({ page }, testInfo) => {
    await page.setViewportSize(DESKTOP);
    await signIn(page, demoAccount("EXECUTIVE").email);
    await page.goto(`/r/${ROLLOUT_SLUG}/executive`);
    const section = page.getByRole("region", { name: "Progress charts" });
    await expect(section).toBeVisible();

    const burnDown = section.getByRole("figure", { name: "Line chart of the open phase items per day, against the ideal line" });
    // The charts are loaded and drawn once they come near the viewport.
    await section.scrollIntoViewIfNeeded();
    await expect(burnDown.locator("svg.recharts-surface")).toBeVisible();
    await expect(burnDown.locator(".recharts-line")).toHaveCount(2);
    const progress = section.getByRole("figure", { name: "Stacked bar chart of done, open and not-applicable items per phase" });
    await expect(progress.locator("svg.recharts-surface")).toBeVisible();

    // The text alternatives, one click away.
    const [progressData, burnDownData] = [section.locator("details").nth(0), section.locator("details").nth(1)];
    await progressData.getByText("Show the data").click();
    const progressTable = progressData.getByRole("table", { name: "Checklist items per phase" });
    await expect(progressTable.getByRole("rowheader")).toHaveText([PHASES[0], PHASES[1], `${PHASES[2]} (optional)`, PHASES[3]]);
    await burnDownData.getByText("Show the data").click();
    // Week by week: the first day, every seventh day after it, today, and the ideal line's end.
    const burnDownTable = burnDownData.getByRole("table", { name: "Open phase items at the end of the first day, of every seventh day after it and of today" });
    await expect(burnDownTable.getByRole("columnheader")).toHaveText(["Date", "Open items", "Ideal"]);
    // Today's row (the sample rollout was seeded today) and the day the ideal line reaches 0.
    await expect(burnDownTable.getByRole("row")).toHaveCount(3);
    await expect(burnDownTable.getByRole("row").last().getByRole("cell").last()).toHaveText("0");
    await shoot(page, testInfo, "executive-charts");
  });
});

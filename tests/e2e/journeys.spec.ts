import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Browser, type Locator, type Page, type Request, type TestInfo } from "@playwright/test";
import { demoAccount, ROLLOUT_SLUG, signIn } from "./fixtures";

// Four people's journeys through the sample rollout, each ending with what the others then
// see. They share one database (reset when the server starts), so they run in this order:
// the security officer's approvals and the others' ticks are what let the executive close
// Phase 1. Every control is found by its role and accessible name.

const BASE = `/r/${ROLLOUT_SLUG}`;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const SECURITY = demoAccount("SECURITY_OFFICER"); // security@greenlight.demo
const OPS = demoAccount("OPS_MANAGER"); // ops@greenlight.demo
const EXECUTIVE = demoAccount("EXECUTIVE"); // cto@greenlight.demo
const DEV_LEAD = demoAccount("DEV_LEAD"); // devlead@greenlight.demo
const DEVOPS = demoAccount("DEVOPS"); // devops@greenlight.demo
const DBA = demoAccount("DBA"); // dba@greenlight.demo

const POLICIES = Array.from({ length: 23 }, (_, i) => `Security policy ${String(i + 1).padStart(2, "0")} of 23`);
const DBA_READING = ["Iteration 5 Results", "DB Hive Implementacao", "Monitoring Setup (FASE FINAL - Fevereiro+)"];
const GATE_OPEN = "Gate open: every required item and sign-off is complete.";
const GATE_DONE = "Gate closed: everything it required was complete.";
const COMMENT = "Comment (required to reject)";

/** A browser context of its own for one person, signed in through the sign-in page. */
async function openAs(browser: Browser, account: { email: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await signIn(page, account.email);
  return page;
}

async function closeAll(...pages: (Page | undefined)[]): Promise<void> {
  for (const page of pages) await page?.context().close();
}

/**
 * Attaches full-page screenshots of the page at desktop and phone width as `<name>-desktop`
 * and `<name>-phone`; with `keep`, also writes them to test-results/screens/journeys/.
 */
async function shoot(page: Page, testInfo: TestInfo, name: string, keep = false): Promise<void> {
  const heading = page.getByRole("heading", { level: 1 });
  for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
    await page.setViewportSize(viewport);
    await expect(heading).toBeVisible();
    const png = await page.screenshot({ fullPage: true });
    await testInfo.attach(`${name}-${size}`, { body: png, contentType: "image/png" });
    if (keep) {
      const folder = join(testInfo.project.outputDir, "screens", "journeys");
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `${name}-${size}.png`), png);
    }
  }
  await page.setViewportSize(DESKTOP);
}

/** A sign-off card (an article named by its title) inside `scope`. */
function signOff(scope: Page | Locator, title: string): Locator {
  return scope.getByRole("article", { name: title, exact: true });
}

/** Approves the sign-off card and waits until the server has recorded it. */
async function approve(card: Locator): Promise<void> {
  await card.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(card.getByText("You approved.", { exact: true })).toBeVisible();
  await expect(card.getByRole("button", { name: "Withdraw my decision" })).toBeVisible();
}

/** Ticks a checklist checkbox: the tick shows, and the row settles once the server has answered. */
async function tick(box: Locator): Promise<void> {
  await expect(box).toBeEnabled();
  await expect(box).not.toBeChecked();
  await box.click();
  await expect(box).toBeChecked();
  await expect(box).toBeEnabled(); // disabled while the write is in flight
  await expect(box).toBeChecked(); // ... and not rolled back by a refusal
}

/** "N of M items done" → N. */
function doneCount(valueText: string | null): number {
  const match = /^(\d+) of (\d+) items done$/.exec(valueText ?? "");
  if (!match) throw new Error(`Not a progress value: ${valueText}`);
  return Number(match[1]);
}

/** On the executive dashboard: the entry of one phase in "Phases and gates". */
function execPhase(page: Page, position: number, name: string): Locator {
  return page
    .getByRole("region", { name: "Phases and gates" })
    .getByRole("listitem")
    .filter({ has: page.getByRole("link", { name: `Phase ${position}: ${name}`, exact: true }) });
}

/** On the overview: the card of one phase. */
function overviewPhase(page: Page, name: string): Locator {
  return page.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 3, name, exact: true }) });
}

/** The phase page's status badge sits beside its level-1 heading. */
function phaseHeader(page: Page): Locator {
  return page.getByRole("heading", { level: 1 }).locator("xpath=../..");
}

/** Element ids that occur more than once on the page. */
async function duplicateIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ids = [...document.querySelectorAll("[id]")].map((element) => element.id);
    return [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
  });
}

// What the dashboards must get right for these journeys beyond the happy path. These run
// first, on the seeded state, and change nothing the journeys below rely on.
test.describe("the dashboards the journeys use", () => {
  test("an item or sign-off shown in two sections of a dashboard is labelled in both, and no id is used twice", async ({ browser }) => {
    let ops: Page | undefined;
    let security: Page | undefined;
    try {
      ops = await openAs(browser, OPS);
      await expect(ops).toHaveURL(`${BASE}/operations`);
      // "Assign on-call schedule" is due soon: it is listed under "My next 24 hours" and under "My checklist".
      for (const region of ["My next 24 hours", "My checklist"]) {
        await expect
          .soft(ops.getByRole("region", { name: region }).getByRole("checkbox", { name: "Assign on-call schedule", exact: true }), `its checkbox under "${region}"`)
          .toBeVisible({ timeout: 2_000 });
      }
      expect.soft(await duplicateIds(ops), "ids used twice on the operations dashboard").toEqual([]);

      security = await openAs(browser, SECURITY);
      await expect(security).toHaveURL(`${BASE}/security`);
      // Each policy is owed in "My next 24 hours" and listed under "Security policies": it is shown
      // once, as a row of the list, and the next 24 hours counts it and points there.
      await expect.soft(security.getByRole("region", { name: "Security policies" }).getByRole("checkbox", { name: `Select “${POLICIES[0]}”`, exact: true })).toBeVisible({ timeout: 2_000 });
      await expect.soft(security.getByText(POLICIES[0], { exact: true })).toHaveCount(1);
      await expect.soft(security.getByRole("region", { name: "My next 24 hours" }).getByText(/^25 decisions due soon are in your list below\./)).toBeVisible({ timeout: 2_000 });
      expect.soft(await duplicateIds(security), "ids used twice on the security dashboard").toEqual([]);
    } finally {
      await closeAll(ops, security);
    }
  });

  test("ticking an item in one section of a dashboard shows it ticked in the other sections too", async ({ browser }) => {
    const ops = await openAs(browser, OPS);
    // "Assign on-call schedule" is listed under "My next 24 hours" and under "My checklist".
    const soon = ops.getByRole("region", { name: "My next 24 hours" });
    const box = soon.getByRole("checkbox", { name: "Assign on-call schedule", exact: true });
    const copy = ops.getByRole("region", { name: "My checklist" }).getByRole("listitem").filter({ hasText: "Assign on-call schedule" });
    const copyBox = copy.getByRole("checkbox");
    try {
      await expect(box).toBeEnabled();
      await box.click();
      // The row may leave "My next 24 hours" once the server's fresh state arrives; its copy stays.
      await expect.soft(copyBox, 'its copy under "My checklist"').toBeChecked({ timeout: 3_000 });
      await expect(copy).toHaveAttribute("aria-busy", "false");
      await expect.soft(copy.getByText("Done", { exact: true }), 'the state shown under "My checklist"').toBeVisible({ timeout: 1_000 });
      // Stored: after a reload it is ticked, and no longer owed in the next 24 hours.
      await ops.reload();
      await expect(copyBox).toBeChecked();
      await expect(box).toHaveCount(0);
    } finally {
      // Put the item back as the seed had it.
      await ops.reload();
      if (await copyBox.isChecked()) {
        await copyBox.click();
        await expect(copyBox).toBeEnabled();
        await ops.reload();
        await expect(copyBox).not.toBeChecked();
      }
      await closeAll(ops);
    }
  });

  test("every dashboard the journeys visit fits a phone screen without sideways scrolling", async ({ browser }) => {
    for (const [account, path] of [[EXECUTIVE, "executive"], [OPS, "operations"], [SECURITY, "security"], [DBA, "dba"]] as const) {
      const page = await openAs(browser, account);
      try {
        await page.setViewportSize(PHONE);
        await page.goto(`${BASE}/${path}`);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect.soft(width, `page width of ${BASE}/${path} on a ${PHONE.width} px screen`).toBeLessThanOrEqual(PHONE.width);
      } finally {
        await closeAll(page);
      }
    }
  });
});

test.describe.serial("four people's journeys, and what the others then see", () => {
  test("1. the security officer validates the 23 policies, RLAC and compliance; the executive's gate no longer waits on security", async ({ browser }, testInfo) => {
    test.setTimeout(120_000);
    let security: Page | undefined;
    let executive: Page | undefined;
    try {
      // Before anyone acts: the seeded Phase 1, as the executive sees it on the overview.
      executive = await openAs(browser, EXECUTIVE);
      await executive.goto(BASE);
      const phase1 = overviewPhase(executive, "Production Deployment");
      await expect(phase1.getByText("In progress", { exact: true })).toBeVisible();
      await expect(phase1.getByRole("progressbar", { name: "Progress" })).toHaveAttribute("aria-valuetext", "0 of 5 items done");
      await expect(phase1.getByText("Security policies (23 missing)", { exact: true })).toBeVisible();

      security = await openAs(browser, SECURITY);
      await expect(security).toHaveURL(`${BASE}/security`);
      await expect(security.getByRole("heading", { level: 1, name: "Security Officer dashboard" })).toBeVisible();
      const gate = security.getByRole("region", { name: "Security gate" });
      const policiesBar = gate.getByRole("progressbar", { name: "Security policies" });
      await expect(policiesBar).toHaveAttribute("aria-valuetext", "0 of 23 validated");
      await expect(gate.getByText("Still missing: 23 policies and 2 other security sign-offs.")).toBeVisible();
      // The policies are one compact list, a row each.
      const policies = security.getByRole("region", { name: "Security policies" });
      const rows = policies.getByTestId("sign-off-row");
      await expect(rows).toHaveCount(23);

      // A double-click on a row's Approve records one decision, not two.
      const first = rows.filter({ hasText: POLICIES[0] });
      const actionPosts: Request[] = [];
      const onRequest = (request: Request) => {
        if (request.method() === "POST" && request.headers()["next-action"]) actionPosts.push(request);
      };
      security.on("request", onRequest);
      await first.getByRole("button", { name: `Approve “${POLICIES[0]}”`, exact: true }).dblclick();
      await expect(first.getByRole("button", { name: `Withdraw my decision on “${POLICIES[0]}”` })).toBeVisible();
      security.off("request", onRequest);
      testInfo.annotations.push({ type: "double-click", description: `the double-click sent ${actionPosts.length} approve request(s)` });
      await expect(first.getByText("Approved", { exact: true })).toBeVisible();
      await expect(first.getByText(new RegExp(`^by ${SECURITY.name}, `))).toHaveCount(1);

      // The other 22 at once: "approve selected" with one comment.
      await policies.getByRole("checkbox", { name: "Select all 22 undecided" }).check();
      await policies.getByRole("button", { name: "Approve selected (22)" }).click();
      await expect(policies.getByRole("status")).toHaveText("22 approvals recorded.");
      const approvals = security.getByRole("region", { name: "RLAC and compliance" });
      await approve(signOff(approvals, "Approve RLAC implementation"));
      await approve(signOff(approvals, "Sign-off on compliance"));

      await expect(gate.getByText("Every security sign-off is approved.", { exact: true })).toBeVisible();
      await expect(policiesBar).toHaveAttribute("aria-valuetext", "23 of 23 validated");
      await expect(gate.getByText("23 of 23 validated", { exact: true })).toBeVisible();

      // A reload shows the same: the decisions are on record, and the double-clicked one once.
      await security.reload();
      await expect(policiesBar).toHaveAttribute("aria-valuetext", "23 of 23 validated");
      await expect(rows.filter({ hasText: "Approved" })).toHaveCount(23);
      await expect(first.getByText(/^by /)).toHaveCount(1);
      await shoot(security, testInfo, "security", true);

      // What the executive then sees: no security sign-off among Phase 1's gate blockers.
      await executive.goto(`${BASE}/phases/1`);
      await expect(executive.getByRole("heading", { level: 1, name: "Production Deployment" })).toBeVisible();
      const blockers = executive.getByRole("region", { name: "Gate" }).getByTestId("gate-blockers").getByRole("listitem");
      await expect(blockers.filter({ hasText: "Awaiting approval: Approve production deployment" })).toHaveCount(1);
      await expect(blockers.filter({ hasText: "Open item: Exec approval meeting held" })).toHaveCount(1);
      await expect(blockers.filter({ hasText: /Security policy|RLAC|compliance/ })).toHaveCount(0);
      await executive.goto(BASE);
      await expect(phase1.getByRole("listitem").filter({ hasText: "Sign-off on deployment date" })).toHaveCount(1);
      await expect(phase1).not.toContainText("Security policies");
    } finally {
      await closeAll(security, executive);
    }
  });

  test("2. the operations manager ticks Phase 2 items (one with the keyboard); the executive's progress moves; a DBA cannot tick them", async ({ browser }, testInfo) => {
    test.setTimeout(60_000);
    let ops: Page | undefined;
    let executive: Page | undefined;
    let dba: Page | undefined;
    try {
      executive = await openAs(browser, EXECUTIVE);
      await expect(executive).toHaveURL(`${BASE}/executive`);
      const phase2 = execPhase(executive, 2, "Team Training & Operations");
      const phase2Bar = phase2.getByRole("progressbar", { name: "Progress" });
      const overall = executive.getByRole("region", { name: "Phases and gates" }).getByRole("progressbar", { name: "Overall progress" });
      await expect(phase2Bar).toHaveAttribute("aria-valuetext", "0 of 5 items done");
      const overallBefore = doneCount(await overall.getAttribute("aria-valuetext"));

      ops = await openAs(browser, OPS);
      await expect(ops).toHaveURL(`${BASE}/operations`);
      const onCall = ops.getByRole("region", { name: "My checklist" });
      const training = onCall.getByRole("checkbox", { name: "Team training completed" });
      const onCallSchedule = onCall.getByRole("checkbox", { name: "On-call schedule finalized" });

      // The tick shows at once: the box is ticked while the server has not even answered yet.
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await ops.route(`**${BASE}/operations`, async (route) => {
        if (route.request().method() === "POST") await held;
        await route.continue();
      });
      const sent = ops.waitForRequest((request) => request.method() === "POST" && Boolean(request.headers()["next-action"]));
      await training.click();
      await sent;
      await expect(training).toBeChecked({ timeout: 2_000 });
      release();
      await expect(training).toBeEnabled();
      await expect(training).toBeChecked();
      await ops.unrouteAll();

      // Keyboard only: focus the checkbox and press Space.
      await onCallSchedule.focus();
      await expect(onCallSchedule).toBeFocused();
      await ops.keyboard.press("Space");
      await expect(onCallSchedule).toBeChecked();
      await expect(onCallSchedule).toBeEnabled();
      await expect(onCallSchedule).toBeChecked();

      await ops.reload();
      await expect(training).toBeChecked();
      await expect(onCallSchedule).toBeChecked();
      await shoot(ops, testInfo, "operations", true);

      // What the executive then sees.
      await executive.reload();
      await expect(phase2Bar).toHaveAttribute("aria-valuetext", "2 of 5 items done");
      await expect(phase2.getByText("2 of 5 items done", { exact: true })).toBeVisible();
      await expect.poll(async () => doneCount(await overall.getAttribute("aria-valuetext"))).toBe(overallBefore + 2);
      await shoot(executive, testInfo, "executive");

      // The refused path: a DBA sees the operations items, ticked or not, and can change none of them.
      dba = await openAs(browser, DBA);
      await dba.goto(`${BASE}/checklist`);
      await expect(dba.getByRole("heading", { level: 1, name: "Checklist" })).toBeVisible();
      const filters = dba.getByRole("form", { name: "Filters" });
      await filters.getByRole("combobox", { name: "Owner role" }).selectOption({ label: "Operations Manager" });
      await filters.getByRole("button", { name: "Apply" }).click();
      await expect(dba).toHaveURL(/[?&]role=OPS_MANAGER/);
      await expect(dba.getByRole("status").filter({ hasText: /^\d+ items?$/ })).toHaveText("13 items");
      const certified = dba.getByRole("checkbox", { name: "Operations team certified", exact: true });
      await expect(certified).toBeVisible();
      await expect(certified).toBeDisabled();
      await expect(certified).not.toBeChecked();
      const ticked = dba.getByRole("checkbox", { name: "Team training completed", exact: true });
      await expect(ticked).toBeChecked();
      await expect(ticked).toBeDisabled();
      await expect(dba.getByRole("checkbox")).toHaveCount(13);
      await expect(dba.getByRole("checkbox", { disabled: false })).toHaveCount(0);
      await expect(dba.getByRole("button", { name: "Evidence, not applicable…" })).toHaveCount(0);
      // ... while the DBA's own items stay theirs to tick.
      await dba.goto(`${BASE}/checklist?role=DBA`);
      await expect(dba.getByRole("checkbox", { name: "Continuous optimization starts", exact: true })).toBeEnabled();
    } finally {
      await closeAll(ops, executive, dba);
    }
  });

  test("3. the executive approves the deployment phase and marks it done once the gate is complete; everyone sees Phase 1 done", async ({ browser }, testInfo) => {
    test.setTimeout(90_000);
    let executive: Page | undefined;
    let devLead: Page | undefined;
    let devops: Page | undefined;
    try {
      executive = await openAs(browser, EXECUTIVE);

      // A rejection without a comment is refused, and nothing is recorded.
      await executive.goto(`${BASE}/go-no-go`);
      await expect(executive.getByRole("heading", { level: 1, name: "Go / no-go" })).toBeVisible();
      const decision = signOff(executive.getByRole("region", { name: "Decision" }), "Go/No-go decision");
      await expect(decision.getByRole("textbox", { name: COMMENT, exact: true })).toHaveValue("");
      await decision.getByRole("button", { name: "Reject", exact: true }).click();
      await expect(decision.getByRole("status")).toHaveText("A rejection needs a comment saying why.");
      await expect(decision.getByText("Pending · 0/1")).toBeVisible();
      await expect(decision.getByText(/^Rejected by /)).toHaveCount(0);
      await executive.reload();
      await expect(decision.getByText("Pending · 0/1")).toBeVisible();
      await expect(decision.getByRole("button", { name: "Approve", exact: true })).toBeVisible();

      // The items other roles own are theirs to tick first.
      const phasePage = `${BASE}/phases/1`;
      devLead = await openAs(browser, DEV_LEAD);
      await devLead.goto(phasePage);
      await tick(devLead.getByRole("checkbox", { name: "Deployment team assembled", exact: true }));
      await expect(devLead.getByRole("checkbox", { name: "Staging environment prepared", exact: true })).toBeDisabled();
      devops = await openAs(browser, DEVOPS);
      await devops.goto(phasePage);
      await tick(devops.getByRole("checkbox", { name: "Staging environment prepared", exact: true }));
      await tick(devops.getByRole("checkbox", { name: "Production deployment executed", exact: true }));

      // The executive ticks their own items and approves the phase's sign-offs.
      await executive.goto(phasePage);
      await expect(executive.getByRole("heading", { level: 1, name: "Production Deployment" })).toBeVisible();
      for (const name of ["Deployment team assembled", "Staging environment prepared", "Production deployment executed"]) {
        await expect(executive.getByRole("checkbox", { name, exact: true })).toBeChecked();
      }
      await tick(executive.getByRole("checkbox", { name: "Exec approval meeting held", exact: true }));
      await tick(executive.getByRole("checkbox", { name: "Go/No-go decision made", exact: true }));
      const signOffs = executive.getByRole("region", { name: "Sign-offs" });
      for (const title of ["Production Deployment: gate", "Approve production deployment", "Sign-off on deployment date"]) {
        await approve(signOff(signOffs, title));
      }

      // The gate is enforced: with the go/no-go decision still open, "Mark done" is refused and names it.
      const gate = executive.getByRole("region", { name: "Gate" });
      await expect(gate.getByTestId("gate-blockers").getByRole("listitem")).toHaveText(["Awaiting approval: Go/No-go decision"]);
      await gate.getByRole("button", { name: "Mark done", exact: true }).click();
      await expect(gate.getByRole("status").first()).toHaveText(
        'The gate of "Production Deployment" is not complete: "Go/No-go decision" is not approved yet.',
      );
      await expect(phaseHeader(executive).getByText("In progress", { exact: true })).toBeVisible();

      // The go/no-go decision, with a comment.
      await executive.goto(`${BASE}/go-no-go`);
      // The gate as every page counts it: the decision itself is the one sign-off missing, no item open.
      const gngGate = executive.getByRole("region", { name: "Gate" });
      await expect(gngGate.getByText("28 of 29 sign-offs approved", { exact: true })).toBeVisible();
      await expect(gngGate.getByText("1 sign-off missing", { exact: true })).toBeVisible();
      await expect(gngGate.getByText(/required items? open/)).toHaveCount(0);
      await decision.getByRole("textbox", { name: COMMENT, exact: true }).fill("Go: every gate check passed.");
      await approve(decision);
      await expect(decision.getByText("Approved · 1/1")).toBeVisible();
      await expect(decision.getByText(`Approved by ${EXECUTIVE.name} (CTO / VP Engineering)`, { exact: false })).toBeVisible();
      await expect(decision.getByText("Go: every gate check passed.")).toBeVisible();

      // Now the gate is open and the phase can be marked done.
      await executive.goto(phasePage);
      await expect(gate.getByText(GATE_OPEN, { exact: true })).toBeVisible();
      await expect(gate.getByTestId("gate-blockers")).toHaveCount(0);
      await gate.getByRole("button", { name: "Mark done", exact: true }).click();
      await expect(phaseHeader(executive).getByText("Done", { exact: true })).toBeVisible();
      await expect(gate.getByRole("button", { name: "Mark done", exact: true })).toHaveCount(0);
      await expect(executive.getByRole("region", { name: "Summary" }).getByRole("progressbar", { name: "Progress" })).toHaveAttribute(
        "aria-valuetext",
        "5 of 5 items done",
      );
      // A closed phase's checklist no longer changes.
      await expect(executive.getByRole("checkbox", { name: "Exec approval meeting held", exact: true })).toBeDisabled();
      await shoot(executive, testInfo, "phase-1-done");

      // What the others then see: the overview shows Phase 1 done with its gate open.
      await devLead.goto(BASE);
      const phase1 = overviewPhase(devLead, "Production Deployment");
      await expect(phase1.getByText("Done", { exact: true })).toBeVisible();
      await expect(phase1.getByText(GATE_DONE, { exact: true })).toBeVisible();
      await expect(phase1.getByRole("progressbar", { name: "Progress" })).toHaveAttribute("aria-valuetext", "5 of 5 items done");
      await devops.reload();
      await expect(phaseHeader(devops).getByText("Done", { exact: true })).toBeVisible();
      await expect(devops.getByRole("checkbox", { name: "Production deployment executed", exact: true })).toBeChecked();
      await expect(devops.getByRole("checkbox", { name: "Production deployment executed", exact: true })).toBeDisabled();
    } finally {
      await closeAll(executive, devLead, devops);
    }
  });

  test("4. a DBA reads their reading list; the executive's team reading progress shows it", async ({ browser }, testInfo) => {
    test.setTimeout(60_000);
    let dba: Page | undefined;
    let executive: Page | undefined;
    try {
      dba = await openAs(browser, DBA);
      await expect(dba).toHaveURL(`${BASE}/dba`);
      const reading = dba.getByRole("region", { name: "My reading list" });
      const progress = reading.getByRole("progressbar", { name: "Reading progress" });
      await expect(progress).toHaveAttribute("aria-valuetext", /^0 of 3 read/);
      await expect(reading.getByRole("button", { name: /^Mark “.+” as read$/ })).toHaveCount(3);
      for (const title of DBA_READING) {
        await reading.getByRole("button", { name: `Mark “${title}” as read`, exact: true }).click();
        await expect(reading.getByRole("button", { name: `Mark “${title}” as unread`, exact: true })).toBeVisible();
      }
      await expect(progress).toHaveAttribute("aria-valuetext", /^3 of 3 read/);
      await expect(reading.getByText(/^3 of 3 read/)).toBeVisible();
      await dba.reload();
      await expect(progress).toHaveAttribute("aria-valuetext", /^3 of 3 read/);
      await expect(reading.getByText("Read", { exact: true })).toHaveCount(3);
      await shoot(dba, testInfo, "dba");

      // What the executive then sees.
      executive = await openAs(browser, EXECUTIVE);
      await expect(executive).toHaveURL(`${BASE}/executive`);
      const team = executive.getByRole("region", { name: "Team reading progress" });
      await expect(team.getByRole("progressbar", { name: "DBA", exact: true })).toHaveAttribute("aria-valuetext", "3 of 3 read");
      await expect(team.getByText(`${DBA.name}: 3/3`, { exact: true })).toBeVisible();
      await expect(team.getByRole("progressbar", { name: "Operations Manager", exact: true })).toHaveAttribute("aria-valuetext", "0 of 3 read");
      await shoot(executive, testInfo, "executive", true);
    } finally {
      await closeAll(dba, executive);
    }
  });
  test("5. the sign-off certificate of Phase 1 lists the decisions with who, when and their ledger hashes; the ledger verifies", async ({ browser }, testInfo) => {
    test.setTimeout(60_000);
    let executive: Page | undefined;
    try {
      executive = await openAs(browser, EXECUTIVE);
      await executive.goto(`${BASE}/phases/1`);
      await executive.getByRole("link", { name: "Sign-off certificate (print)" }).click();
      await expect(executive).toHaveURL(`${BASE}/phases/1/certificate`);
      await expect(executive.getByRole("heading", { level: 1, name: "Production Deployment" })).toBeVisible();
      const table = executive.getByRole("table", { name: "Decisions" });
      const row = (title: string) => table.getByRole("row").filter({ has: executive!.getByRole("rowheader", { name: new RegExp(`^${title}`) }) });
      await expect(row("Go/No-go decision")).toContainText(`Approved by ${EXECUTIVE.name} (CTO / VP Engineering)`);
      await expect(row("Approve RLAC implementation")).toContainText(`Approved by ${SECURITY.name} (Security Officer)`);
      await expect(row("Security policy 23 of 23")).toContainText(/#\d+ [0-9a-f]{64}/);
      await expect(executive.getByText(/^Ledger verified at generation: \d+ events, intact\.$/)).toBeVisible();
      await testInfo.attach("certificate-desktop", { body: await executive.screenshot({ fullPage: true }), contentType: "image/png" });
      await executive.emulateMedia({ media: "print" });
      // On paper: the document alone, without the portal's navigation or the print button.
      await expect(executive.getByRole("button", { name: "Print" })).toBeHidden();
      await expect(executive.getByRole("navigation", { name: "Rollout sections" })).toBeHidden();
      await expect(executive.getByRole("navigation", { name: "Main navigation" })).toBeHidden();
      await executive.emulateMedia({ media: "screen" });

      await executive.goto(`${BASE}/ledger`);
      await expect(executive.getByTestId("ledger-status")).toHaveText(/^The chain of \d+ events is intact\.$/);
    } finally {
      await closeAll(executive);
    }
  });
});

import { expect, test, type Locator } from "@playwright/test";
import { demoAccount, ROLLOUT_SLUG, DESKTOP, signIn, screenshotsAtBothWidths } from "./fixtures";

// The bell and the inbox (issue 14, part 2): an admin assigns an item to the DevOps
// engineer, whose open page shows the bell's count go up without a reload; they open the
// inbox, follow the notification to the checklist, and the count drops once it is read.

async function unreadOf(bell: Locator): Promise<number> {
  const label = (await bell.getAttribute("aria-label")) ?? "";
  const match = /(\d+) unread/.exec(label);
  return match ? Number(match[1]) : 0;
}

/** The bell's accessible name for a count. */
const bellLabel = (count: number) => (count === 0 ? "Notifications, none unread" : `Notifications, ${count} unread`);

test.describe("notifications", () => {
  test.describe.configure({ timeout: 180_000 });

  test("an assignment rings the assignee's bell live; the inbox leads to the item and reading it lowers the count", async ({ browser }) => {
    const devops = demoAccount("DEVOPS");
    const assignee = await browser.newContext({ viewport: DESKTOP });
    const admin = await browser.newContext({ viewport: DESKTOP });
    const b = await assignee.newPage();
    const a = await admin.newPage();
    await signIn(b, devops.email);
    await b.goto(`/r/${ROLLOUT_SLUG}/checklist`);
    const bell = b.getByTestId("notification-bell");
    // Wait for the first count to arrive (the label says "unread" once fetched).
    await expect(bell).toHaveAttribute("aria-label", /unread/);
    const before = await unreadOf(bell);

    await signIn(a, demoAccount("ADMIN").email);
    await a.goto(`/r/${ROLLOUT_SLUG}/checklist`);
    // An item not yet the DevOps engineer's, held by its checkbox's id (its text changes once assigned).
    const candidate = a.getByTestId("checklist-item").filter({ hasNotText: `assigned to ${devops.name}` }).nth(2);
    const boxId = await candidate.locator("input[type=checkbox]").first().getAttribute("id");
    expect(boxId).toBeTruthy();
    const row = a.getByTestId("checklist-item").filter({ has: a.locator(`[id="${boxId}"]`) });
    await row.getByText("Assignee and due date…").click();
    await row.locator("select[name=assigneeId]").selectOption({ label: devops.name });
    await row.getByRole("button", { name: "Save", exact: true }).click();
    await expect(row.getByRole("status")).toHaveText("Saved.");

    // B's page was not reloaded: the live stream told the bell to count again.
    await expect(bell).toHaveAttribute("aria-label", bellLabel(before + 1), { timeout: 5_000 });
    await expect(b.getByTestId("notification-count")).toHaveText(String(before + 1));
    await screenshotsAtBothWidths(b, "bell");

    await bell.click();
    await expect(b).toHaveURL(/\/notifications$/);
    await expect(b.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
    const newest = b.getByTestId("notification").first();
    await expect(newest).toHaveAttribute("data-unread", "true");
    await expect(newest).toContainText("An item was assigned to you");
    await expect(newest).toContainText("In ");
    await screenshotsAtBothWidths(b, "inbox");

    await newest.getByRole("link", { name: /^Open:/ }).click();
    await expect(b).toHaveURL(new RegExp(`/r/${ROLLOUT_SLUG}/checklist`));
    await expect(bell).toHaveAttribute("aria-label", bellLabel(before));

    // Back in the inbox, it is read; "Mark all read" empties the count.
    await b.goto("/notifications");
    await expect(b.getByTestId("notification").first()).toHaveAttribute("data-unread", "false");
    if (before > 0) {
      await b.getByRole("button", { name: "Mark all read" }).click();
      await expect(bell).toHaveAttribute("aria-label", bellLabel(0));
    }
    await expect(b.getByTestId("notification-count")).toHaveCount(0);
    await assignee.close();
    await admin.close();
  });
});

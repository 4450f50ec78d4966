import { expect, test, type Locator } from "@playwright/test";
import { demoAccount, ROLLOUT_SLUG, DESKTOP, signIn, screenshotsAtBothWidths } from "./fixtures";

// A rollout admin withdraws someone else's decision (issue 14: "a decision I gave was
// withdrawn"): the security officer approves one policy; the admin, on the phase page, opens
// "Withdraw…" under that decision, gives a reason and withdraws it; the card no longer
// shows the approval and the officer's bell counts one more. The policy ends undecided, as
// the seed has it (the journeys project counts the seed's decisions afterwards).

const BASE = `/r/${ROLLOUT_SLUG}`;
const POLICY = "Security policy 23 of 23";

async function unreadOf(bell: Locator): Promise<number> {
  await expect(bell).toHaveAttribute("aria-label", /unread/);
  const match = /(\d+) unread/.exec((await bell.getAttribute("aria-label")) ?? "");
  return match ? Number(match[1]) : 0;
}

test("a rollout admin withdraws the security officer's approval with a reason; the officer is told", async ({ browser }) => {
  test.setTimeout(180_000);
  const officer = demoAccount("SECURITY_OFFICER");
  const so = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  await signIn(so, officer.email);
  await so.goto(`${BASE}/security`);
  const before = await unreadOf(so.getByTestId("notification-bell"));
  const row = so.getByRole("region", { name: "Security policies" }).getByTestId("sign-off-row").filter({ hasText: POLICY });
  await row.getByRole("button", { name: `Approve “${POLICY}”`, exact: true }).click();
  await expect(row.getByRole("button", { name: `Withdraw my decision on “${POLICY}”` })).toBeVisible();

  // The officer is not an admin: no way to withdraw anyone else's decision on the phase page.
  await so.goto(`${BASE}/phases/1`);
  await expect(so.getByRole("article", { name: POLICY, exact: true })).toContainText(`Approved by ${officer.name}`);
  await expect(so.getByText("Withdraw…", { exact: true })).toHaveCount(0);

  const admin = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  await signIn(admin, demoAccount("ADMIN").email);
  await admin.goto(`${BASE}/phases/1`);
  const card = admin.getByRole("article", { name: POLICY, exact: true });
  await expect(card).toContainText(`Approved by ${officer.name}`);
  await card.locator("summary", { hasText: "Withdraw…" }).click();
  const reason = card.getByRole("textbox", { name: `Reason (on record; ${officer.name} is told)` });
  await expect(reason).toBeVisible();
  await reason.fill("Approved before the policy text was final");
  await screenshotsAtBothWidths(admin, "withdraw-others-decision", card);
  await card.getByRole("button", { name: "Withdraw this decision", exact: true }).click();
  await expect(card.getByRole("status")).toHaveText("Decision withdrawn. Its author is told.");
  await expect(card).not.toContainText(`Approved by ${officer.name}`);

  // The officer's bell counts the notification (a reload: the count is read on load).
  await so.goto(`${BASE}/security`);
  await expect(so.getByTestId("notification-bell")).toHaveAttribute("aria-label", `Notifications, ${before + 1} unread`);
  await expect(so.getByRole("region", { name: "Security policies" }).getByTestId("sign-off-row").filter({ hasText: POLICY }).getByRole("button", { name: `Approve “${POLICY}”`, exact: true })).toBeVisible();
});

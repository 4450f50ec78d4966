import { expect, test } from "@playwright/test";
import { demoAccount, signIn, screenshotsAtBothWidths } from "./fixtures";

// Notification settings on the account page (issue 14, part 3): a person chooses, per kind,
// in the portal, by email, both or not at all, and the daily digest; what they save is what
// the page shows after a reload. The finance account is used (no other spec counts its
// notifications), and its settings are put back at the end.

test("a person saves where each kind of notification reaches them and the daily digest; the page shows it after a reload", async ({ page }) => {
  await signIn(page, demoAccount("FINANCE").email);
  await page.goto("/account");
  const settings = page.getByTestId("notification-preferences");
  await expect(page.getByRole("heading", { name: "Notification settings" })).toBeVisible();
  const overdue = settings.getByLabel("An item of yours is overdue");
  const assigned = settings.getByLabel("An item was assigned to you");
  const digest = settings.getByLabel(/Daily digest/);
  // Nothing chosen yet: both, and no digest.
  await expect(overdue).toHaveValue("BOTH");
  await expect(digest).not.toBeChecked();

  await overdue.selectOption({ label: "By email" });
  await assigned.selectOption({ label: "Not at all" });
  await digest.check();
  await settings.getByRole("button", { name: "Save notification settings" }).click();
  await expect(settings.getByRole("status")).toHaveText("Notification settings saved.");
  await screenshotsAtBothWidths(page, "notification-settings");

  await page.reload();
  await expect(overdue).toHaveValue("EMAIL");
  await expect(assigned).toHaveValue("NONE");
  await expect(digest).toBeChecked();

  // Put them back (later specs read this account's defaults).
  await overdue.selectOption("BOTH");
  await assigned.selectOption("BOTH");
  await digest.uncheck();
  await settings.getByRole("button", { name: "Save notification settings" }).click();
  await expect(settings.getByRole("status")).toHaveText("Notification settings saved.");
  await page.reload();
  await expect(overdue).toHaveValue("BOTH");
  await expect(digest).not.toBeChecked();
});

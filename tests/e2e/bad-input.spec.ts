import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { apiSignIn, demoAccount, ROLLOUT_SLUG } from "./fixtures";

// What an outside fuzzer sent to a production build, sent again to one: addresses that do
// not decode, NUL characters, the image optimizer on a page, oversize and undecodable
// server-action bodies, calls with arguments that are not forms. Each answers a 4xx with a
// specific message (never a 500) and changes nothing. And every form of the portal works
// as a plain HTML form, without JavaScript.

const MALFORMED = "%E0%A4%A";
const BAD_URL = "This address is malformed (invalid percent-encoding).";
const NUL_IN_URL = "An address may not contain the NUL character (%00).";
const BAD_PAYLOAD = "The request's data could not be read. Reload the page and try again.";
const NOT_A_FORM = "The form's data could not be read. Reload the page and try again.";

async function expectRefusal(response: Awaited<ReturnType<APIRequestContext["get"]>>, status: number, error: string) {
  expect(response.status(), response.url()).toBe(status);
  expect(await response.json()).toMatchObject({ error });
}

test.describe("addresses", () => {
  const pages = [`/r/${MALFORMED}/checklist`, `/r/${ROLLOUT_SLUG}/${MALFORMED}`, `/r/${ROLLOUT_SLUG}/documents/${MALFORMED}`, `/r/${ROLLOUT_SLUG}/phases/${MALFORMED}`, `/r/${MALFORMED}/export/items`, `/api/calendar/${MALFORMED}`, `/api/calendar/${MALFORMED}.ics`];

  test("a dynamic segment that does not decode answers 400, signed in or not", async ({ request, playwright }) => {
    for (const path of pages) await expectRefusal(await request.get(path, { maxRedirects: 0 }), 400, BAD_URL);
    const signedIn = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
    await apiSignIn(signedIn, demoAccount("OPS_MANAGER").email);
    for (const path of pages) await expectRefusal(await signedIn.get(path, { maxRedirects: 0 }), 400, BAD_URL);
    await signedIn.dispose();
  });

  test("a NUL character in a path or a query answers 400; the refusal speaks the requester's language", async ({ request }) => {
    for (const path of [`/r/${ROLLOUT_SLUG}%00/checklist`, `/r/${ROLLOUT_SLUG}/documents/%00`, `/r/${ROLLOUT_SLUG}/checklist?assignee=%00`, `/r/${ROLLOUT_SLUG}/export/items?assignee=a%00`, "/api/calendar/ab%00c.ics", "/api/health?probe=%00"]) {
      await expectRefusal(await request.get(path, { maxRedirects: 0 }), 400, NUL_IN_URL);
    }
    await expectRefusal(await request.get(`/r/${MALFORMED}`, { headers: { "accept-language": "pt-BR" }, maxRedirects: 0 }), 400, "Este endereço está malformado (codificação percentual inválida).");
  });

  test("the image optimizer is off: a local page as an image answers 404", async ({ request }) => {
    for (const url of ["%2Fr%2Fx", "%2F", `%2Fr%2F${ROLLOUT_SLUG}`]) {
      expect((await request.get(`/_next/image?url=${url}&w=64&q=75`)).status()).toBe(404);
    }
  });
});

/** The criteria page as the operations manager sees it, and the first criterion's no-JS form fields. */
async function criterionForm(request: APIRequestContext) {
  const html = await (await request.get(`/r/${ROLLOUT_SLUG}/criteria`)).text();
  const form = /<form aria-label="Verification of[^"]*"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  expect(form, "the criteria page renders a verification form").not.toBeNull();
  const fields: Record<string, string> = {};
  for (const [, name, value] of form![1].matchAll(/<input type="hidden" name="([^"]*)"(?: value="([^"]*)")?\/>/g)) {
    fields[name.replace(/&amp;/g, "&")] = (value ?? "").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
  }
  const actionId = /"id":"([0-9a-f]+)"/.exec(Object.entries(fields).find(([k]) => /^\$ACTION_\d+:0$/.test(k))![1])![1];
  return { html, fields, actionId };
}

test.describe("server-action bodies", () => {
  let ops: APIRequestContext;
  test.beforeAll(async ({ playwright }) => {
    ops = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL, extraHTTPHeaders: { origin: test.info().project.use.baseURL! } });
    await apiSignIn(ops, demoAccount("OPS_MANAGER").email);
  });
  test.afterAll(async () => ops.dispose());

  test("over the 1 MB limit answers 413; streamed without a length, 411", async () => {
    const { actionId } = await criterionForm(ops);
    const path = `/r/${ROLLOUT_SLUG}/criteria`;
    const big = "x".repeat(1024 * 1024 + 1);
    await expectRefusal(await ops.post(path, { headers: { "next-action": actionId, "content-type": "text/plain;charset=UTF-8" }, data: JSON.stringify(["$undefined", big]) }), 413, "The request is too large: at most 1 MB may be sent.");
    await expectRefusal(await ops.post(path, { multipart: { note: big } }), 413, "The request is too large: at most 1 MB may be sent.");
  });

  test("that React cannot decode answer 400; arguments that are not a form get the action's own refusal", async () => {
    const { fields, actionId } = await criterionForm(ops);
    const path = `/r/${ROLLOUT_SLUG}/criteria`;
    const call = (data: string) => ops.post(path, { headers: { "next-action": actionId, "content-type": "text/plain;charset=UTF-8" }, data });
    await expectRefusal(await call("garbage{"), 400, BAD_PAYLOAD);
    await expectRefusal(await ops.post(path, { headers: { "next-action": actionId }, multipart: { "0": "garbage{" } }), 400, BAD_PAYLOAD);
    const ref = Object.keys(fields).find((k) => k.startsWith("$ACTION_REF_"))!;
    const n = ref.slice("$ACTION_REF_".length);
    await expectRefusal(await ops.post(path, { multipart: { ...fields, [`$ACTION_${n}:1`]: "not json" } }), 400, BAD_PAYLOAD);
    for (const args of ["[]", "[1,2]", '{"a":1}', "[null,null]", '[null,"x"]']) {
      const response = await call(args);
      expect(response.status(), args).toBe(200);
      expect(await response.text(), args).toContain(`"code":"INVALID_INPUT","message":"${NOT_A_FORM}"`);
    }
    // A form naming the action but not its state: the action gets the form as its first
    // argument and nothing as its second, refuses it (no form state to show it in), and the
    // page renders as it was; it used to be a 500.
    const person = Object.fromEntries(Object.entries(fields).filter(([k]) => !k.startsWith("$ACTION")));
    const noState = await ops.post(path, { multipart: { [`$ACTION_ID_${actionId}`]: "", ...person } });
    expect(noState.status()).toBe(200);
    const after = await criterionForm(ops);
    expect([after.fields.version, after.fields.verified]).toEqual([fields.version, fields.verified]);
  });

  test("a NUL character or an int4 overflow in a form posted without JavaScript is refused in the page, and nothing changes", async () => {
    const before = await criterionForm(ops);
    const path = `/r/${ROLLOUT_SLUG}/criteria`;
    for (const [change, message] of [
      [{ note: "seen\u0000" }, "Text may not contain the NUL character (U+0000)."],
      [{ criterionId: `${before.fields.criterionId}\u0000` }, "Text may not contain the NUL character (U+0000)."],
      [{ version: "2147483648" }, "The version must be a whole number from 1 to 2147483647."],
    ] as const) {
      const response = await ops.post(path, { multipart: { ...before.fields, ...change } });
      expect(response.status()).toBe(200);
      expect(await response.text()).toContain(message);
    }
    const after = await criterionForm(ops);
    expect(after.fields.version).toBe(before.fields.version);
    expect(after.fields.verified).toBe(before.fields.verified);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  async function signedIn(page: Page, role: string) {
    await apiSignIn(page.context().request, demoAccount(role).email);
  }

  test("a criterion is verified and un-verified through the plain HTML form", async ({ page }) => {
    await signedIn(page, "OPS_MANAGER");
    await page.goto(`/r/${ROLLOUT_SLUG}/criteria`);
    const form = page.locator("form[aria-label^='Verification of']").first();
    const label = await form.getAttribute("aria-label");
    const mine = page.locator(`form[aria-label="${label}"]`);
    await mine.getByLabel("Note (optional)").fill("Checked without JavaScript");
    await mine.getByRole("button", { name: "Mark verified" }).click();
    await expect(page.locator(`form[aria-label="${label}"]`).getByRole("status")).toHaveText("Verified.");
    await page.locator(`form[aria-label="${label}"]`).getByRole("button", { name: "Remove verification" }).click();
    await expect(page.locator(`form[aria-label="${label}"]`).getByRole("status")).toHaveText("Verification removed.");
  });

  test("the language form switches the portal's language", async ({ page }) => {
    await signedIn(page, "VIEWER");
    await page.goto(`/r/${ROLLOUT_SLUG}/criteria`);
    await page.getByLabel("Language").selectOption("pt-BR");
    await page.getByRole("button", { name: "Change" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "pt-BR");
    await page.getByLabel("Idioma").selectOption("en");
    await page.getByRole("button", { name: "Alterar" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  });

  test("an item's assignee and due date are saved through the plain HTML form", async ({ page }) => {
    await signedIn(page, "ADMIN");
    await page.goto(`/r/${ROLLOUT_SLUG}/checklist`);
    const row = page.getByTestId("checklist-item").first();
    await row.getByText("Assignee and due date…").click();
    await row.locator("input[name=dueAt]").fill("2027-06-30");
    await row.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByTestId("checklist-item").first().getByRole("status")).toHaveText("Saved.");
  });

  test("the assignee picker lists everyone once asked for, and assigns through the plain HTML form", async ({ page }) => {
    await signedIn(page, "ADMIN");
    await page.goto(`/r/${ROLLOUT_SLUG}/checklist`);
    const row = page.getByTestId("checklist-item").nth(1);
    // Rows carry neither the forms nor the list of people: without JavaScript, the link asks the server for the row opened.
    await expect(row.locator("select[name=assigneeId]")).toHaveCount(0);
    await row.getByText("Assignee and due date…").click();
    await expect(page).toHaveURL(/[?&]assign=/);
    const opened = page.getByTestId("checklist-item").nth(1);
    const everyone = opened.locator("select[name=assigneeId]");
    await expect(everyone).toBeVisible();
    expect(await everyone.locator("option").count()).toBeGreaterThan(5);
    await everyone.selectOption({ label: demoAccount("DBA").name });
    await opened.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByTestId("checklist-item").nth(1).getByRole("status")).toHaveText("Saved.");
    await page.goto(`/r/${ROLLOUT_SLUG}/checklist`);
    await expect(page.getByTestId("checklist-item").nth(1)).toContainText(`assigned to ${demoAccount("DBA").name}`);
    // Put it back as the seed had it: the journeys, run last on this database, expect the DBA to tick none of this item's role's items.
    const back = page.getByTestId("checklist-item").nth(1);
    await back.getByText("Assignee and due date…").click();
    await back.locator("select[name=assigneeId]").selectOption("");
    await back.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByTestId("checklist-item").nth(1).getByRole("status")).toHaveText("Saved.");
    await page.goto(`/r/${ROLLOUT_SLUG}/checklist`);
    await expect(page.getByTestId("checklist-item").nth(1)).not.toContainText("assigned to");
  });
});

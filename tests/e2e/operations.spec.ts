import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, demoAccount, ROLLOUT_NAME, ROLLOUT_SLUG, signIn } from "./fixtures";
import { E2E_METRICS_TOKEN, serverLogPath } from "./operations-env";
import { SSO_CLIENT_SECRET } from "./oidc-provider";

// Runs last (project "operations"): after a journey of its own — signing in with the demo
// password, creating a calendar link and reading the feed — it scrapes /api/metrics and
// expects the series operators watch, with values that journey (and the run before it)
// must have produced; then it searches the structured log of the whole run for the
// secrets it handled.

const PORT = Number(process.env.E2E_PORT) || 3100;

/** The value of one series in the text format (labels matched exactly), or undefined. */
function valueOf(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.keys(found).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

test("metrics after a browser journey, and no secret in the server's log", async ({ page, request, context }) => {
  test.setTimeout(90_000);
  const dba = demoAccount("DBA");
  await signIn(page, dba.email, DEMO_PASSWORD);

  // A calendar link (a server action that creates a token), then the feed it opens.
  await page.goto("/account");
  const card = page.locator("div").filter({ has: page.getByText(ROLLOUT_NAME, { exact: true }) }).filter({ has: page.getByRole("button", { name: "Revoke" }) }).last();
  await card.getByRole("button", { name: /^(Create calendar link|Replace the link)$/ }).click();
  const link = card.getByRole("textbox");
  await expect(link).toHaveValue(/\/api\/calendar\/[^/]+\.ics$/);
  const feed = await link.inputValue();
  const token = /\/api\/calendar\/([^/]+)\.ics$/.exec(feed)![1]!;
  expect((await request.get(feed)).status()).toBe(200);
  await page.goto(`/r/${ROLLOUT_SLUG}`);

  // Not without the token.
  expect((await request.get("/api/metrics")).status()).toBe(401);
  const scrape = await request.get("/api/metrics", { headers: { authorization: `Bearer ${E2E_METRICS_TOKEN}` } });
  expect(scrape.status()).toBe(200);
  const text = await scrape.text();
  const atLeastOne = (name: string, labels: Record<string, string>) => expect(valueOf(text, name, labels), `${name} ${JSON.stringify(labels)}`).toBeGreaterThanOrEqual(1);
  atLeastOne("greenlight_http_requests_total", { method: "GET", route: "/account", status: "200" });
  atLeastOne("greenlight_http_requests_total", { method: "GET", route: "/api/calendar/[token]", status: "200" });
  atLeastOne("greenlight_http_requests_total", { method: "GET", route: "/r/[slug]", status: "200" });
  atLeastOne("greenlight_http_requests_total", { method: "POST", route: "/account", status: "200" });
  atLeastOne("greenlight_http_request_duration_seconds_count", { method: "GET", route: "/account", status: "200" });
  atLeastOne("greenlight_actions_total", { outcome: "ok" });
  // The sample plan's 43 items and its sign-offs and phases, in every state, zeros included.
  const r = { rollout: ROLLOUT_SLUG };
  const items = ["OPEN", "DONE", "NOT_APPLICABLE"].map((state) => valueOf(text, "greenlight_rollout_items", { ...r, state }));
  expect(items.every((n) => typeof n === "number")).toBe(true);
  expect(items.reduce((a, b) => a! + b!, 0)).toBeGreaterThanOrEqual(43);
  for (const status of ["PENDING", "APPROVED", "REJECTED"]) expect(valueOf(text, "greenlight_rollout_sign_offs", { ...r, status }), status).toEqual(expect.any(Number));
  for (const status of ["NOT_STARTED", "IN_PROGRESS", "AWAITING_SIGNOFF", "DONE", "BLOCKED", "SKIPPED"]) expect(valueOf(text, "greenlight_rollout_phases", { ...r, status }), status).toEqual(expect.any(Number));
  expect(valueOf(text, "greenlight_ledger_verified", r)).toBe(1);
  expect(valueOf(text, "greenlight_ledger_events", r)).toBeGreaterThanOrEqual(1);
  expect(valueOf(text, "greenlight_ledger_checkpoint_events", r)).toBeGreaterThanOrEqual(1);
  expect(valueOf(text, "greenlight_scrape_database_ok")).toBe(1);
  for (const state of ["in_use", "idle", "waiting"]) expect(valueOf(text, "greenlight_db_pool_connections", { state }), state).toEqual(expect.any(Number));
  expect(valueOf(text, "greenlight_http_requests_in_flight")).toBeGreaterThanOrEqual(1);
  // The webhook outbox (the API tokens spec added an endpoint): present, due ≤ waiting, an age when something waits.
  const queue = { queue: "webhooks" };
  const depth = valueOf(text, "greenlight_queue_depth", queue)!;
  expect(depth).toBeGreaterThanOrEqual(0);
  expect(valueOf(text, "greenlight_queue_due", queue)).toBeLessThanOrEqual(depth);
  const age = valueOf(text, "greenlight_queue_oldest_age_seconds", queue)!;
  expect(depth > 0 ? age > 0 : age === 0).toBe(true);

  // The log: one JSON line per request and per action, and none of the secrets.
  const log = readFileSync(serverLogPath(PORT), "utf8");
  const lines = log
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { msg: string; route?: string; requestId?: string; actorId?: string | null });
  expect(lines.filter((line) => line.msg === "request" && line.route === "/api/calendar/[token]").length).toBeGreaterThanOrEqual(1);
  expect(lines.some((line) => line.msg === "action" && typeof line.actorId === "string" && line.requestId)).toBe(true);
  const cookies = (await context.cookies()).map((cookie) => cookie.value).filter((value) => value.length >= 16);
  expect(cookies.length).toBeGreaterThanOrEqual(1);
  for (const [name, secret] of [["the demo password", DEMO_PASSWORD], ["the calendar token", token], ["the metrics token", E2E_METRICS_TOKEN], ["the SSO client secret", SSO_CLIENT_SECRET], ...cookies.map((value, i) => [`cookie ${i}`, value])] as const) {
    expect(log.includes(secret), `${name} is in the server's log`).toBe(false);
  }
});

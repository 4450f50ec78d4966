import { expect, test, type APIResponse } from "@playwright/test";
import { apiSignIn, demoAccount, ROLLOUT_SLUG } from "./fixtures";

// Every response says where its server time went (Server-Timing: db, session, render,
// total; docs/performance.md), and the session cookie is decoded once per request: the
// proxy's decode is the one the page, its layout and the data layer use.

type Metric = { dur: number; desc: string | null };

/** Parses a Server-Timing header (W3C: `name;dur=ms;desc="text"`, comma-separated). */
function serverTiming(response: APIResponse): Map<string, Metric> {
  const header = response.headers()["server-timing"];
  expect(header, `Server-Timing on ${response.url()}`).toBeTruthy();
  const metrics = new Map<string, Metric>();
  for (const entry of header.split(",")) {
    const [name, ...params] = entry.trim().split(";");
    const dur = params.find((p) => p.startsWith("dur="));
    const desc = params.find((p) => p.startsWith("desc="));
    expect(dur, `${name} has a duration`).toMatch(/^dur=\d+(\.\d+)?$/);
    metrics.set(name, { dur: Number(dur!.slice(4)), desc: desc ? desc.slice(5).replace(/^"|"$/g, "") : null });
  }
  return metrics;
}

function expectSaneSplit(metrics: Map<string, Metric>) {
  expect([...metrics.keys()].sort()).toEqual(["db", "render", "session", "total"]);
  const total = metrics.get("total")!.dur;
  const parts = ["db", "session", "render"].map((name) => metrics.get(name)!.dur);
  for (const part of parts) expect(part).toBeLessThanOrEqual(total);
  // The parts split the total (each rounded to 0.01 ms).
  expect(Math.abs(parts.reduce((a, b) => a + b, 0) - total)).toBeLessThan(0.05);
}

test.describe("Server-Timing and the session decoded once", () => {
  test("a role dashboard's response splits its time, read its data from the database and decoded the session once", async ({ request }) => {
    await apiSignIn(request, demoAccount("EXECUTIVE").email);
    const response = await request.get(`/r/${ROLLOUT_SLUG}/executive`);
    expect(response.status()).toBe(200);
    const metrics = serverTiming(response);
    expectSaneSplit(metrics);
    // The dashboard reads its data from the database before its headers are sent.
    expect(metrics.get("db")!.desc).toMatch(/^[1-9]\d* quer(y|ies)$/);
    expect(metrics.get("db")!.dur).toBeGreaterThan(0);
    // The proxy decoded the cookie; the layout, page and data layer reused it.
    expect(metrics.get("session")!.desc).toBe("1 decode");
  });

  test("the checklist and a phase page decode the session once too", async ({ request }) => {
    await apiSignIn(request, demoAccount("EXECUTIVE").email);
    for (const path of [`/r/${ROLLOUT_SLUG}/checklist`, `/r/${ROLLOUT_SLUG}/phases/1`, "/home"]) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBeLessThan(400);
      const metrics = serverTiming(response);
      expectSaneSplit(metrics);
      expect(metrics.get("session")!.desc, path).toBe("1 decode");
    }
  });

  test("a signed-out visitor's page decodes nothing, and is still timed", async ({ request }) => {
    const response = await request.get("/sign-in");
    expect(response.status()).toBe(200);
    const metrics = serverTiming(response);
    expectSaneSplit(metrics);
    expect(metrics.get("session")!.desc).toBe("0 decodes");
  });

  test("a forged session cookie is decoded once, refused, and the visitor sent to sign in", async ({ request, baseURL }) => {
    const response = await request.get(`/r/${ROLLOUT_SLUG}/executive`, {
      headers: { cookie: "next-auth.session-token=forged.token.value.not.valid" },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(307);
    expect(new URL(response.headers()["location"], baseURL).pathname).toBe("/sign-in");
    const metrics = serverTiming(response);
    expect(metrics.get("session")!.desc).toBe("1 decode");
    expect(metrics.get("db")!.desc).toBe("0 queries");
  });
});

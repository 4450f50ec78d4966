import { describe, expect, it } from "vitest";
import { backoffMs } from "@/lib/webhooks/worker";

// The documented schedule (docs/api.md): 30 s after the first failure, doubling, at most an hour.
describe("webhook backoff", () => {
  it("doubles from the base up to the maximum", () => {
    const settings = { backoffBaseMs: 30_000, backoffMaxMs: 3_600_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoffMs(n, settings))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000]);
  });
});

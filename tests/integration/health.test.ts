import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { prismaClientFor, setDb } from "@/lib/db/client";
import { createTestDb, type TestDb } from "./helpers/test-db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

const get = (query = "") => GET(new Request(`http://portal.test/api/health${query}`));

describe("GET /api/health", () => {
  it("is ready when the database answers, with its latency", async () => {
    const response = await get();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", probe: "ready", checks: { database: { status: "ok", latencyMs: expect.any(Number) } } });
  });

  it("answers 503 naming the database when it is down, while liveness stays up", async () => {
    // A real client whose server is not there (nothing listens on port 1).
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const unreachable = prismaClientFor(new PrismaPg({ connectionString: "postgresql://nobody@127.0.0.1:1/none", connectionTimeoutMillis: 2000 }));
    setDb(unreachable);
    try {
      const response = await get();
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: "unavailable", probe: "ready", checks: { database: { status: "down", error: expect.any(String) } } });
      expect((await get("?probe=live")).status).toBe(200);
    } finally {
      setDb(t.db);
      await unreachable.$disconnect();
    }
  });

  it("refuses an unknown probe", async () => {
    const response = await get("?probe=deep");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'probe must be "live" or "ready".', code: "INVALID_INPUT" });
  });
});

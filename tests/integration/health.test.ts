import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { createPrismaClient, prismaClientFor, setDb } from "@/lib/db/client";
import { databaseEnv } from "@/lib/env";
import { createTestDb, type TestDb } from "./helpers/test-db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());
afterEach(() => {
  delete process.env.HEALTH_CHECK_TIMEOUT_MS;
  setDb(t.db);
});

const get = (query = "") => GET(new Request(`http://portal.test/api/health${query}`));

/** A promise and the function that settles it: what holds a connection until the test lets go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe("GET /api/health", () => {
  it("is ready when the database answers, with its latency", async () => {
    // The pool's first connection to a brand-new database can take longer than the probe's
    // deadline on a loaded machine: open it first.
    await t.db.$queryRaw`SELECT 1`;
    const response = await get();
    expect(response.status, JSON.stringify(await response.clone().json())).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", probe: "ready", checks: { database: { status: "ok", latencyMs: expect.any(Number) } } });
  });

  it("answers 503 naming the reason when the database is down, while liveness stays up", async () => {
    // A real client whose server is not there (nothing listens on port 1), by address and by name.
    const { PrismaPg } = await import("@prisma/adapter-pg");
    for (const host of ["127.0.0.1", "localhost"]) {
      const unreachable = prismaClientFor(new PrismaPg({ connectionString: `postgresql://nobody@${host}:1/none`, connectionTimeoutMillis: 2000 }));
      setDb(unreachable);
      try {
        const response = await get();
        expect(response.status).toBe(503);
        const body = (await response.json()) as { checks: { database: { error: string } } };
        expect(body).toMatchObject({ status: "unavailable", probe: "ready", checks: { database: { status: "down" } } });
        // The reason names what failed and where (it used to be "").
        expect(body.checks.database.error).toMatch(/^database unreachable: Can't reach database server at [^ ]+:1: DatabaseNotReachable$/);
        expect((await get("?probe=live")).status).toBe(200);
      } finally {
        await unreachable.$disconnect();
      }
    }
  });

  it("refuses an unknown probe", async () => {
    const response = await get("?probe=deep");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'probe must be "live" or "ready".', code: "INVALID_INPUT" });
  });
});

describe("readiness when every connection is busy", () => {
  // Postgres (CI): a pool of two connections, both held by open transactions. PGlite (no
  // DATABASE_URL) has one connection and no pool: one open transaction holds it.
  it("answers 503 within its deadline when no connection is free, then 200 once one is", async () => {
    if (t.url) await exhaustedPool();
    else await heldPglite();
  });
});

async function heldPglite() {
  process.env.HEALTH_CHECK_TIMEOUT_MS = "400";
  const hold = gate();
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const held = t.db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1`;
      entered();
      await hold.opened;
    },
    { timeout: 20_000 },
  );
  await inside;
  try {
    const { value: response, ms } = await timed(get);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ checks: { database: { status: "down", error: "timed out after 400 ms waiting for a connection or an answer" } } });
    expect(ms).toBeGreaterThanOrEqual(390);
    expect(ms).toBeLessThan(1400);
  } finally {
    hold.open();
    await held;
  }
  expect((await get()).status).toBe(200);
}

async function exhaustedPool() {
  const limits = { ...databaseEnv({}), DATABASE_POOL_MAX: 2, DATABASE_CONNECT_TIMEOUT_MS: 700, DATABASE_STATEMENT_TIMEOUT_MS: 300, HEALTH_CHECK_TIMEOUT_MS: 400 };
  process.env.HEALTH_CHECK_TIMEOUT_MS = "400";
  const db = createPrismaClient({ kind: "postgres", url: t.url! }, limits);
  const hold = gate();
  let holding = 0;
  let allHeld!: () => void;
  const full = new Promise<void>((resolve) => (allHeld = resolve));
  const holders = [1, 2].map(() =>
    db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        if (++holding === 2) allHeld();
        await hold.opened;
      },
      { timeout: 20_000, maxWait: 5000 },
    ),
  );
  await full;
  setDb(db);
  try {
    const { value: response, ms } = await timed(get);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ checks: { database: { status: "down", error: "timed out after 400 ms waiting for a connection or an answer" } } });
    expect(ms).toBeLessThan(1400);
    // A page's query on the exhausted pool fails after the connect timeout, not whenever a connection frees up.
    const page = await timed(() => db.user.count().then(() => "answered", (error: unknown) => String(error)));
    expect(page.value).toMatch(/timeout/i);
    expect(page.ms).toBeGreaterThanOrEqual(650);
    expect(page.ms).toBeLessThan(3000);
  } finally {
    hold.open();
    await Promise.all(holders);
  }
  expect((await get()).status).toBe(200);
  // statement_timeout comes from the environment: Postgres cancels a statement that runs longer.
  await expect(db.$queryRaw`SELECT pg_sleep(2)`).rejects.toThrow(/statement timeout/);
  await db.$disconnect();
}

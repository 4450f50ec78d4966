import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openDatabase } from "@/lib/db/adapters";
import { prismaClientFor, setDb, type Db } from "@/lib/db/client";
import { LIVE_CHANNEL, setLiveSource } from "@/lib/db/live";
import { migrateWith } from "@/lib/db/migrator";
import { createRollout, createUser } from "./helpers/factories";
import { withDatabase } from "./helpers/pg-urls";
import { sessionCookie, setRequest } from "./helpers/request-context";
import { SseReader } from "./helpers/sse";
import { adminQuery } from "./helpers/test-db";

vi.mock("next/headers", async () => (await import("./helpers/request-context")).nextHeadersMock());

// The one listening connection of an instance can drop (a restarted or failed-over
// server, an idle timeout): it reconnects by itself, and every open stream then reads what
// was committed meanwhile from the database. This needs a Postgres server: DATABASE_URL's,
// else the local one on 127.0.0.1:5432 (the test fails, never skips, when none answers).

const SERVER = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const NAME = `greenlight_live_${randomBytes(4).toString("hex")}`;
const URL_ = withDatabase(SERVER, NAME);
let db: Db;

beforeAll(async () => {
  await adminQuery(SERVER, `CREATE DATABASE "${NAME}"`);
  const opened = await openDatabase({ kind: "postgres", url: URL_ });
  await migrateWith(opened.factory);
  await opened.close();
  db = prismaClientFor(new PrismaPg({ connectionString: URL_, max: 10 }));
  setDb(db);
  setLiveSource({ kind: "postgres", url: URL_ });
});
afterAll(async () => {
  setDb(undefined);
  setLiveSource(undefined);
  await db?.$disconnect();
  await adminQuery(SERVER, `DROP DATABASE IF EXISTS "${NAME}" WITH (FORCE)`);
});

/** The server processes of this database that listen on the channel. */
async function listeners(): Promise<number[]> {
  const rows = await db.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = ${NAME} AND query = ${`LISTEN ${LIVE_CHANNEL}`}`;
  return rows.map((row) => row.pid);
}

describe("the instance's listening connection", () => {
  it("is one for all streams, comes back after being cut, and the streams catch up on what was committed meanwhile", async () => {
    const rollout = await createRollout(db);
    const { recordAudit } = await import("@/lib/audit/record");
    const record = () => db.$transaction((tx) => recordAudit(tx, { rolloutId: rollout.id, actorId: null, action: "test.changed", targetType: "Rollout" }));
    const { GET } = await import("@/app/api/r/[slug]/events/route");
    const controllers: AbortController[] = [];
    const streams: SseReader[] = [];
    for (let i = 0; i < 3; i++) {
      const viewer = await createUser(db, { rolloutId: rollout.id, roles: ["VIEWER"] });
      setRequest({ cookie: await sessionCookie(viewer) });
      const controller = new AbortController();
      controllers.push(controller);
      const response = await GET(new Request(`http://portal.test/api/r/${rollout.slug}/events`, { signal: controller.signal }), { params: Promise.resolve({ slug: rollout.slug }) });
      streams.push(new SseReader(response.body!.getReader()));
    }
    for (const stream of streams) expect((await stream.next())?.event).toBe("ready");
    await expect.poll(listeners).toHaveLength(1);

    // Cut the listener; an event committed while it is away is not notified to it.
    const [pid] = await listeners();
    await db.$queryRaw`SELECT pg_terminate_backend(${pid})`;
    await record();
    // It comes back on a new connection, and every stream reads event 1 from the database.
    await expect.poll(async () => (await listeners()).filter((p) => p !== pid)).toHaveLength(1);
    for (const stream of streams) expect(await stream.next()).toEqual({ id: "1", event: "change", data: JSON.stringify({ seq: 1 }) });
    // And live again.
    await record();
    for (const stream of streams) expect(await stream.next()).toEqual({ id: "2", event: "change", data: JSON.stringify({ seq: 2 }) });
    for (const controller of controllers) controller.abort();
  });
});

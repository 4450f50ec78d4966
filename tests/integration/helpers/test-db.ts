import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import { prismaClientFor, setDb, type Db } from "@/lib/db/client";
import { setLiveSource } from "@/lib/db/live";
import { migrateWith } from "@/lib/db/migrator";
import { templateDatabaseName, withDatabase } from "./pg-urls";

export type TestDb = { db: Db; url: string | null; close(): Promise<void> };

/**
 * A database of the test file's own, migrated and empty: on the Postgres server named
 * by DATABASE_URL (a copy of the template the global setup migrated), else an
 * in-memory PGlite. It also becomes the database of `getDb()` for this test file.
 */
export async function createTestDb(): Promise<TestDb> {
  const baseUrl = process.env.DATABASE_URL;
  if (baseUrl) {
    const name = `${new URL(baseUrl).pathname.slice(1)}_t_${randomBytes(4).toString("hex")}`;
    await adminQuery(baseUrl, `CREATE DATABASE "${name}" TEMPLATE "${templateDatabaseName(baseUrl)}"`);
    const url = withDatabase(baseUrl, name);
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const db = prismaClientFor(new PrismaPg({ connectionString: url, max: 25 }));
    setDb(db);
    setLiveSource({ kind: "postgres", url });
    return {
      db,
      url,
      async close() {
        setDb(undefined);
        setLiveSource(undefined);
        await db.$disconnect();
        await adminQuery(baseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
  }
  const pglite = await PGlite.create();
  await migrateWith(new PrismaPGlite(pglite));
  const db = prismaClientFor(new PrismaPGlite(pglite));
  setDb(db);
  setLiveSource({ kind: "pglite", pglite });
  return {
    db,
    url: null,
    async close() {
      setDb(undefined);
      setLiveSource(undefined);
      await db.$disconnect();
      await pglite.close();
    },
  };
}

export async function adminQuery(baseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(baseUrl, "postgres") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

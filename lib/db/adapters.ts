import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { databaseEnv } from "../env";
import { acquireFolderLock } from "./lock";
import type { DbTarget } from "./target";

export type OpenDatabase = {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Raw SQL for tools and tests that work below Prisma (e.g. dropping a schema). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
};

/** Opens the target. For a PGlite folder this takes the folder's process lock first. */
export async function openDatabase(target: DbTarget): Promise<OpenDatabase> {
  if (target.kind === "postgres") {
    // Tools wait for a connection no longer than the portal does; migrations may run long statements.
    const pool = new pg.Pool({ connectionString: target.url, max: 2, connectionTimeoutMillis: databaseEnv().DATABASE_CONNECT_TIMEOUT_MS });
    return {
      factory: wholeScripts(new PrismaPg(pool), pool),
      async exec(sql) {
        await pool.query(sql);
      },
      async close() {
        await pool.end();
      },
    };
  }
  const release = target.kind === "pglite" ? acquireFolderLock(target.dataDir) : () => {};
  try {
    const pglite = target.kind === "pglite" ? await PGlite.create(target.dataDir) : await PGlite.create();
    return {
      factory: new PrismaPGlite(pglite),
      async exec(sql) {
        await pglite.exec(sql);
      },
      async close() {
        await pglite.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * @prisma/adapter-pg runs a migration script by splitting it on every ";", which breaks
 * any statement with a semicolon inside it (a PL/pgSQL function body, a string). Postgres
 * runs a whole multi-statement script in one simple-protocol query, so send it as is.
 */
function wholeScripts(factory: PrismaPg, pool: pg.Pool): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      adapter.executeScript = async (script: string) => {
        await pool.query(script);
      };
      return adapter;
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DbTarget } from "@/lib/db/target";
import { withDatabase } from "./pg-urls";
import { adminQuery } from "./test-db";

/** An empty, unmigrated database: on the Postgres server when DATABASE_URL is set, else a PGlite folder. */
export async function freshTarget(): Promise<{ target: DbTarget; dispose(): Promise<void> }> {
  const baseUrl = process.env.DATABASE_URL;
  if (baseUrl) {
    const name = `${new URL(baseUrl).pathname.slice(1)}_f_${randomBytes(4).toString("hex")}`;
    await adminQuery(baseUrl, `CREATE DATABASE "${name}"`);
    return {
      target: { kind: "postgres", url: withDatabase(baseUrl, name) },
      dispose: () => adminQuery(baseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "greenlight-db-"));
  return {
    target: { kind: "pglite", dataDir: join(dir, "data") },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

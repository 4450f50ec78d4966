import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client";
import { acquireFolderLock } from "./lock";
import { resolveDbTarget, type DbTarget } from "./target";

export type Db = ReturnType<typeof prismaClientFor>;

/** A Prisma client for the target. The only place that knows which adapter is in use. */
export function createPrismaClient(target: DbTarget) {
  let adapter;
  if (target.kind === "postgres") {
    adapter = new PrismaPg({ connectionString: target.url, max: Number(process.env.DATABASE_POOL_MAX) || 10 });
  } else {
    if (target.kind === "pglite") acquireFolderLock(target.dataDir);
    adapter = new PrismaPGlite(target.kind === "pglite" ? new PGlite(target.dataDir) : new PGlite());
  }
  return prismaClientFor(adapter);
}

/** A Prisma client over an adapter factory someone already opened (tools, tests). */
export function prismaClientFor(adapter: SqlDriverAdapterFactory) {
  return new PrismaClient({
    adapter,
    // Secrets never leave the data layer unless a query asks for them by name.
    omit: { user: { passwordHash: true } },
  });
}

// One client per process, created on first use: `next build` never opens the
// database, and hot reloads in development reuse the client (and the PGlite
// folder's lock) instead of opening the folder a second time.
const globalForDb = globalThis as unknown as { greenlightDb?: Db };

export function getDb(): Db {
  globalForDb.greenlightDb ??= createPrismaClient(resolveDbTarget());
  return globalForDb.greenlightDb;
}

/** Replaces the process's client (integration tests point it at their own database). */
export function setDb(db: Db | undefined): void {
  globalForDb.greenlightDb = db;
}

import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { databaseEnv, type DatabaseEnv } from "../env";
import { PrismaClient } from "../generated/prisma/client";
import { watchPool, type PoolCounts } from "../observe/metrics";
import { timeDbCall } from "../observe/timing";
import { setLiveSource } from "./live";
import { acquireFolderLock } from "./lock";
import { resolveDbTarget, type DbTarget } from "./target";

export type Db = ReturnType<typeof prismaClientFor>;

/**
 * The pg pool's settings for a Postgres server: no wait for a connection longer than
 * the connect timeout, and Postgres itself ends a statement that runs too long or a
 * session left idle inside a transaction (a crashed request must not hold locks).
 */
export function poolConfig(url: string, limits: DatabaseEnv = databaseEnv()) {
  return {
    connectionString: url,
    max: limits.DATABASE_POOL_MAX,
    connectionTimeoutMillis: limits.DATABASE_CONNECT_TIMEOUT_MS,
    statement_timeout: limits.DATABASE_STATEMENT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: limits.DATABASE_TRANSACTION_TIMEOUT_MS,
  };
}

/** A Prisma client for the target. The only place that knows which adapter is in use. */
export function createPrismaClient(target: DbTarget, limits: DatabaseEnv = databaseEnv()) {
  let adapter;
  if (target.kind === "postgres") {
    adapter = watchedPool(new PrismaPg(poolConfig(target.url, limits)));
  } else {
    if (target.kind === "pglite") acquireFolderLock(target.dataDir);
    const pglite = target.kind === "pglite" ? new PGlite(target.dataDir) : new PGlite();
    // The embedded database announces committed events in-process (see live.ts).
    setLiveSource({ kind: "pglite", pglite });
    adapter = new PrismaPGlite(pglite);
  }
  return prismaClientFor(adapter, limits);
}

/**
 * The adapter factory, reporting the pg pool it opens to the metrics (connections in use,
 * idle, and queries waiting for one) until the pool is closed.
 */
function watchedPool(factory: PrismaPg): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      const forget = watchPool(adapter.underlyingDriver() as PoolCounts);
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        forget();
        await dispose();
      };
      return adapter;
    },
  };
}

/** A Prisma client over an adapter factory someone already opened (tools, tests). */
export function prismaClientFor(adapter: SqlDriverAdapterFactory, limits: DatabaseEnv = databaseEnv()) {
  const client = new PrismaClient({
    adapter,
    // Secrets never leave the data layer unless a query asks for them by name.
    omit: { user: { passwordHash: true } },
    // An interactive transaction waits for a connection no longer than a query does, and
    // is rolled back when it stays open past the transaction timeout.
    transactionOptions: { maxWait: limits.DATABASE_CONNECT_TIMEOUT_MS, timeout: limits.DATABASE_TRANSACTION_TIMEOUT_MS },
  });
  // Each operation's wait is added to the request that sent it (the Server-Timing header's
  // `db`). Timed here, in the caller's async context: below Prisma, at the driver adapter,
  // a query may run in the context of another request's operation. A query extension
  // changes no operation's arguments or result, so the client keeps its own type.
  return client.$extends({ name: "request-timing", query: { $allOperations: ({ args, query }) => timeDbCall(() => query(args)) } }) as unknown as typeof client;
}

/**
 * One round trip (`SELECT 1`) with a deadline of its own: it answers within `ms` whether
 * the database is up, down, or every connection of the pool is busy.
 */
export async function pingDatabase(db: Db, ms: number): Promise<{ ok: true; latencyMs: number } | { ok: false; reason: string }> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ms);
  });
  const query = Promise.resolve()
    .then(() => db.$queryRaw`SELECT 1`)
    .then(
      () => "ok" as const,
      (error: unknown) => ({ error }),
    );
  try {
    const outcome = await Promise.race([query, deadline]);
    if (outcome === "ok") return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    if (outcome === "late") return { ok: false, reason: `timed out after ${ms} ms waiting for a connection or an answer` };
    return { ok: false, reason: `database unreachable: ${describeDatabaseError(outcome.error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Why the database did not answer, in one line for the readiness probe and the logs. */
export function describeDatabaseError(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const { message, code, errors, cause, meta } = current as { message?: unknown; code?: unknown; errors?: unknown; cause?: unknown; meta?: unknown };
    parts.push(mainLine(message) || (typeof code === "string" ? code : ""));
    // Prisma's error for a driver adapter's failure keeps the driver's verdict in meta.
    const adapterCause = (meta as { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown; originalMessage?: unknown } } } | undefined)?.driverAdapterError?.cause;
    if (adapterCause) parts.push([adapterCause.kind, adapterCause.code, adapterCause.originalMessage].filter((v) => typeof v === "string" && v).join(" "));
    // Node reports a refused connection to a host with several addresses as an
    // AggregateError whose own message is empty: its first error says what happened.
    current = Array.isArray(errors) && errors.length ? errors[0] : cause;
  }
  const text = [...new Set(parts.filter(Boolean))].join(": ");
  return text || "unknown error";
}

/** The line of an error message that says what happened (Prisma's start with blank lines and a call site). */
function mainLine(message: unknown): string {
  if (typeof message !== "string") return "";
  const quoted = /Message: `([^`]*)`/.exec(message)?.[1];
  if (quoted) return quoted.trim();
  const lines = message.split("\n").map((line) => line.trim()).filter(Boolean);
  return lines.at(-1) ?? "";
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

/** Closes the process's client (its pool; PGlite: the database), e.g. at shutdown. */
export async function closeDb(): Promise<void> {
  const db = globalForDb.greenlightDb;
  globalForDb.greenlightDb = undefined;
  await db?.$disconnect();
}

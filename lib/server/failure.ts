import "server-only";
import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { translator } from "../i18n/server-messages";
import { logger } from "../observe/log";

// What an action answers when its work fails for a reason that is not a refusal (an
// AppError): the database is unreachable, its pool is exhausted, a statement timed out,
// or a plain bug. The person keeps the page and what they typed, is told nothing was
// saved, and gets a request id to quote; the full error goes to the server's log under
// that id. Nothing here is a switch that tests flip: the tests cause real failures.

export type FailureCode = "UNAVAILABLE" | "INTERNAL";
export type FailureResult = { ok: false; code: FailureCode; message: string; requestId: string };

// Prisma's own codes for "could not reach / lost / timed out waiting for the database".
const PRISMA_UNAVAILABLE = new Set(["P1001", "P1002", "P1008", "P1011", "P1017", "P2024", "P2037"]);
// The driver adapter's error kinds (@prisma/driver-adapter-utils) that mean the same.
const ADAPTER_UNAVAILABLE = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TlsConnectionError"]);
// Node's socket errors.
const SOCKET_UNAVAILABLE = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
// Postgres SQLSTATEs: query cancelled (statement_timeout), server shutting down or
// starting, too many connections, and the whole "connection exception" class 08.
const SQLSTATE_UNAVAILABLE = new Set(["57014", "57P01", "57P02", "57P03", "53300"]);
// node-postgres reports a dropped connection or a connect timeout by message only.
const PG_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|connect ECONNREFUSED|terminating connection due to administrator command/i;

type Inspectable = { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; kind?: unknown; originalCode?: unknown; errors?: unknown; meta?: { driverAdapterError?: unknown } };

/** Whether the error (or anything in its cause chain) says the database could not be used just now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const e = current as Inspectable;
    if (e.name === "PrismaClientInitializationError") return true;
    if (typeof e.code === "string") {
      if (PRISMA_UNAVAILABLE.has(e.code) || SOCKET_UNAVAILABLE.has(e.code) || SQLSTATE_UNAVAILABLE.has(e.code) || /^08/.test(e.code)) return true;
    }
    if (typeof e.originalCode === "string" && (SQLSTATE_UNAVAILABLE.has(e.originalCode) || /^08/.test(e.originalCode))) return true;
    if (typeof e.kind === "string" && ADAPTER_UNAVAILABLE.has(e.kind)) return true;
    if (typeof e.message === "string" && PG_MESSAGES.test(e.message)) return true;
    queue.push(e.cause);
    // Prisma's known request errors (e.g. P2039, "Database error. Code: 57P01" when the server
    // shuts down under a query) carry the driver adapter's error in meta, not as the cause.
    if (e.meta && typeof e.meta === "object") queue.push(e.meta.driverAdapterError);
    if (Array.isArray(e.errors)) queue.push(...e.errors);
  }
  return false;
}

/**
 * Turns an unexpected error into the typed answer an action returns, logging it with a
 * request id. Next's own control-flow errors (redirect, notFound) are thrown on.
 * The language comes from the cookie or Accept-Language only: while the database is
 * down, the account's saved language cannot be read.
 */
export async function toFailure(error: unknown, requestId: string = randomUUID()): Promise<FailureResult> {
  unstable_rethrow(error);
  const unavailable = isDatabaseUnavailable(error);
  logger().error({ requestId, err: error }, unavailable ? "database unavailable" : "unexpected error");
  const t = await translator({ actor: null }).catch(() => null);
  const key = unavailable ? "errors.failure.unavailable" : "errors.failure.internal";
  const message = t ? t({ key, values: { requestId } }) : `Not saved (request ${requestId}).`;
  return { ok: false, code: unavailable ? "UNAVAILABLE" : "INTERNAL", message, requestId };
}

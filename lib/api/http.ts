import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { z } from "zod";
import { resolveApiActor, takeRateSlot } from "../auth/api-token";
import type { Actor } from "../auth/session";
import { getDb } from "../db/client";
import { AppError, isAppError, type ErrorCode } from "../errors";
import { translatorFor, requestLocale } from "../i18n/server-messages";
import { isLocale, type Locale } from "../i18n/config";
import { safeParseIn } from "../i18n/zod";
import { logger } from "../observe/log";
import { REQUEST_ID_HEADER } from "../observe/request-id";
import { isDatabaseUnavailable } from "../server/failure";
import { problemType } from "./problems";

// The plumbing every /api/v1 handler goes through: who is calling (token or same-origin
// session), the per-token rate limit, zod input with field errors, If-Match / ETag,
// Idempotency-Key, and errors as RFC 9457 problem details in the caller's language.

const STATUS: Record<ErrorCode | "PRECONDITION_FAILED" | "PRECONDITION_REQUIRED" | "IDEMPOTENCY_REUSED" | "IDEMPOTENCY_IN_FLIGHT", number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  CONFLICT: 409,
  STALE: 412,
  RATE_LIMITED: 429,
  BAD_ORIGIN: 403,
  PRECONDITION_FAILED: 412,
  PRECONDITION_REQUIRED: 428,
  IDEMPOTENCY_REUSED: 422,
  IDEMPOTENCY_IN_FLIGHT: 409,
};

/** A refusal the API itself makes (beyond the data layer's codes), carried like an AppError. */
export class ApiError extends AppError {
  constructor(
    readonly apiCode: keyof typeof STATUS,
    i18n: ConstructorParameters<typeof AppError>[1],
    details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(apiCode.startsWith("PRECONDITION") ? "STALE" : apiCode.startsWith("IDEMPOTENCY") ? "CONFLICT" : (apiCode as ErrorCode), i18n, details);
  }
}

const NO_STORE = { "cache-control": "no-store" };

function localeOf(actor: Actor | null, fallback: Locale): Locale {
  return isLocale(actor?.locale) ? actor.locale : fallback;
}

/** An AppError as application/problem+json; anything else is rethrown (Next logs it, the client gets 500). */
export function problemResponse(error: unknown, locale: Locale, instance: string): Response {
  if (!isAppError(error)) throw error;
  const code = error instanceof ApiError ? error.apiCode : error.code;
  const status = STATUS[code];
  const t = translatorFor(locale);
  const body: Record<string, unknown> = { type: problemType(code), title: code, status, detail: t(error.i18n), instance, code };
  const fresh = error.details?.fresh;
  if (fresh !== undefined) body.fresh = fresh;
  if (Array.isArray(error.details?.errors)) body.errors = error.details.errors;
  const headers: Record<string, string> = { "content-type": "application/problem+json", ...NO_STORE, ...(error instanceof ApiError ? error.headers : {}) };
  const version = (fresh as { version?: unknown } | undefined)?.version;
  if (typeof version === "number") headers.etag = etagOf(version);
  return new Response(JSON.stringify(body), { status, headers });
}

export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The version an If-Match header names ("3", W/"3" or 3), null when absent; a malformed one is refused. */
export function ifMatchVersion(request: Request, required: boolean): number | null {
  const raw = request.headers.get("if-match");
  if (raw === null) {
    if (required) throw new ApiError("PRECONDITION_REQUIRED", { key: "errors.api.ifMatchRequired" });
    return null;
  }
  const match = /^\s*(?:W\/)?"?(\d{1,10})"?\s*$/.exec(raw);
  const version = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(version) || version < 1 || version > 2_147_483_647) throw new ApiError("PRECONDITION_REQUIRED", { key: "errors.api.ifMatchRequired" });
  return version;
}

/** zod for an API input: a refusal lists every field error, in the caller's language. */
export function parseApi<S extends z.ZodType>(schema: S, input: unknown, locale: Locale): z.output<S> {
  const parsed = safeParseIn(locale, schema, input);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => ({ field: issue.path.join("."), message: issue.message }));
  throw new AppError("INVALID_INPUT", { key: "errors.api.invalidInput" }, { errors });
}

/** A request body's JSON (an empty body is an empty object); anything else unreadable is refused. */
export function parseJsonText(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("INVALID_INPUT", { key: "errors.api.badJson" });
  }
}

export type ApiContext = { actor: Actor; locale: Locale; request: Request };

/**
 * Runs one API call: resolves the caller, counts it against the token's rate limit, and
 * turns refusals into problem details. `work` returns the Response (use `json`).
 */
export async function apiCall(request: Request, work: (ctx: ApiContext) => Promise<Response>): Promise<Response> {
  const instance = new URL(request.url).pathname;
  let actor: Actor | null = null;
  let locale: Locale = await requestLocale({ actor: null, request });
  try {
    actor = await resolveApiActor(request);
    locale = localeOf(actor, locale);
    if (actor.tokenId) {
      const wait = await takeRateSlot(actor.tokenId);
      if (wait !== null) throw new ApiError("RATE_LIMITED", { key: "errors.api.rateLimited", values: { seconds: wait } }, undefined, { "retry-after": String(wait) });
    }
    return await work({ actor, locale, request });
  } catch (error) {
    if (!isAppError(error) && isDatabaseUnavailable(error)) return unavailableResponse(error, locale, instance, request);
    const response = problemResponse(error, locale, instance);
    if (response.status === 401) response.headers.set("www-authenticate", 'Bearer realm="greenlight"');
    return response;
  }
}

/**
 * The database could not be used (unreachable, pool exhausted, timed out): 503 with
 * "Not saved … try again" and the request id the log line carries, instead of a bare 500.
 * Nothing was changed (every write is one transaction), so the client may retry, with
 * the same Idempotency-Key.
 */
function unavailableResponse(error: unknown, locale: Locale, instance: string, request: Request): Response {
  const requestId = request.headers.get(REQUEST_ID_HEADER) ?? randomUUID();
  logger().error({ requestId, err: error }, "database unavailable");
  const detail = translatorFor(locale)({ key: "errors.failure.unavailable", values: { requestId } });
  const body = { type: problemType("UNAVAILABLE"), title: "UNAVAILABLE", status: 503, detail, instance, code: "UNAVAILABLE", requestId };
  return new Response(JSON.stringify(body), { status: 503, headers: { "content-type": "application/problem+json", ...NO_STORE, "retry-after": "5" } });
}

export function json(body: unknown, init: { status?: number; etag?: number; headers?: Record<string, string> } = {}): Response {
  const headers: Record<string, string> = { "content-type": "application/json", ...NO_STORE, ...init.headers };
  if (init.etag !== undefined) headers.etag = etagOf(init.etag);
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
}

// Idempotency-Key: the first request with a key claims it (a unique row per caller and
// key); the rest wait for its answer and get the same one. A different body with the same
// key is refused. An unexpected failure releases the key, so the retry can run.
// Keys expire: after IDEMPOTENCY_TTL_MS a key is forgotten (and may be used afresh), and a
// claim still unanswered after IDEMPOTENCY_STUCK_MS (its request died) is taken over.

const KEY_SHAPE = /^[\x21-\x7e]{1,200}$/;
const WAIT_MS = 15_000;
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const IDEMPOTENCY_STUCK_MS = 5 * 60 * 1000;

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const BACKGROUND_RETRY_MS = 60_000;

/**
 * Bookkeeping of a key that must not be dropped because the database went away for a
 * moment: tried again in the background every half second for a minute.
 */
function retryInBackground(task: () => Promise<unknown>): void {
  const until = Date.now() + BACKGROUND_RETRY_MS;
  const retry = () => {
    task().catch(() => {
      if (Date.now() < until) setTimeout(retry, 500).unref();
    });
  };
  setTimeout(retry, 500).unref();
}

/**
 * Releases a claim whose request failed unexpectedly, so the client's retry can run. When
 * the failure was the database going away, the release fails too: it is retried in the
 * background, so a client retrying once the database is back gets its write done instead
 * of "still being processed" until the claim counts as stuck.
 */
async function releaseClaim(userId: string, key: string): Promise<void> {
  const release = () => getDb().idempotencyKey.deleteMany({ where: { userId, key, status: null } });
  await release().catch(() => retryInBackground(release));
}

export async function idempotent(ctx: ApiContext, body: string, work: () => Promise<Response>): Promise<Response> {
  const key = ctx.request.headers.get("idempotency-key");
  if (key === null) return work();
  if (!KEY_SHAPE.test(key)) throw new AppError("INVALID_INPUT", { key: "errors.api.idempotencyKeyShape" });
  const url = new URL(ctx.request.url);
  const requestHash = createHash("sha256").update(`${ctx.request.method} ${url.pathname}${url.search}\n${body}`).digest("hex");
  const db = getDb();
  // Expired keys go (everyone's, so the table stays small), and this key's claim if it is stuck.
  const now = Date.now();
  await db.idempotencyKey.deleteMany({
    where: {
      OR: [
        { createdAt: { lt: new Date(now - IDEMPOTENCY_TTL_MS) } },
        { userId: ctx.actor.id, key, status: null, createdAt: { lt: new Date(now - IDEMPOTENCY_STUCK_MS) } },
      ],
    },
  });
  const { count } = await db.idempotencyKey.createMany({ data: [{ userId: ctx.actor.id, key, requestHash }], skipDuplicates: true });
  if (count === 1) {
    let response: Response;
    try {
      response = await work();
    } catch (error) {
      if (!isAppError(error)) {
        await releaseClaim(ctx.actor.id, key);
        throw error;
      }
      response = problemResponse(error, ctx.locale, url.pathname);
    }
    const text = await response.clone().text();
    // updateMany: a claim taken over meanwhile (stuck too long) is not overwritten, nor a vanished one an error.
    const store = () => db.idempotencyKey.updateMany({ where: { userId: ctx.actor.id, key, status: null, requestHash }, data: { status: response.status, body: text } });
    try {
      await store();
    } catch (error) {
      // The work is done (committed) but the database went away before its answer was kept:
      // the client still gets the answer, and it is kept for the retries once the database is back.
      if (!isDatabaseUnavailable(error)) throw error;
      retryInBackground(store);
    }
    return response;
  }
  const started = Date.now();
  for (;;) {
    const row = await db.idempotencyKey.findUnique({ where: { userId_key: { userId: ctx.actor.id, key } } });
    if (!row || (row.status === null && row.createdAt.getTime() < Date.now() - IDEMPOTENCY_STUCK_MS)) return idempotent(ctx, body, work);
    if (row.requestHash !== requestHash) throw new ApiError("IDEMPOTENCY_REUSED", { key: "errors.api.idempotencyReused" });
    if (row.status !== null && row.body !== null) {
      const type = row.status >= 400 ? "application/problem+json" : "application/json";
      return new Response(row.body, { status: row.status, headers: { "content-type": type, ...NO_STORE, "idempotent-replayed": "true" } });
    }
    if (Date.now() - started > WAIT_MS) throw new ApiError("IDEMPOTENCY_IN_FLIGHT", { key: "errors.api.idempotencyInFlight" });
    await sleep(50);
  }
}

import { AsyncLocalStorage } from "node:async_hooks";

// Where one request's server time goes, for its `Server-Timing` response header and its log
// line. The instrumentation hook (lib/observe/http.ts) opens a store for each request Node's
// HTTP server receives and runs the whole request inside it: Next's proxy, the page's data
// functions and its render all continue in that async context. The Prisma client adds the
// time the request waits on its operations (lib/db/client.ts); the session module notes each decode of the
// session cookie, and hands the decoded claims on within the request (decoded once).
//
// Everything lives on globalThis under Symbol.for keys: the instrumentation hook, the proxy
// and the app are separate bundles of the same process, and must share one storage.

export type SessionDecode = { raw: string; claims: Promise<Record<string, unknown> | null> };

export type RequestTiming = {
  /** performance.now() when the request arrived. */
  started: number;
  /** Database: wall time with at least one query outstanding, and the number of queries. */
  db: { ms: number; queries: number; inFlight: number; since: number };
  /** Session cookie decodes in this request, their time, and the last decode's result. */
  session: { decodes: number; ms: number; last: SessionDecode | null };
};

const KEY = Symbol.for("greenlight.request-timing");

function storage(): AsyncLocalStorage<RequestTiming> {
  const holder = globalThis as { [KEY]?: AsyncLocalStorage<RequestTiming> };
  holder[KEY] ??= new AsyncLocalStorage<RequestTiming>();
  return holder[KEY];
}

export function newRequestTiming(started = performance.now()): RequestTiming {
  return { started, db: { ms: 0, queries: 0, inFlight: 0, since: 0 }, session: { decodes: 0, ms: 0, last: null } };
}

/** Runs `work` (and everything it starts) as one request. */
export function runWithRequestTiming<T>(timing: RequestTiming, work: () => T): T {
  return storage().run(timing, work);
}

/** The running request's timing, or undefined outside a request (scripts, tests). */
export function currentRequestTiming(): RequestTiming | undefined {
  return storage().getStore();
}

/** Measures one database call against the running request (parallel calls count once). */
export async function timeDbCall<T>(call: () => Promise<T>): Promise<T> {
  const timing = storage().getStore();
  if (!timing) return call();
  const db = timing.db;
  db.queries += 1;
  if (db.inFlight++ === 0) db.since = performance.now();
  try {
    return await call();
  } finally {
    if (--db.inFlight === 0) db.ms += performance.now() - db.since;
  }
}

/** Database time so far, counting a query still outstanding up to now. */
function dbMsSoFar(timing: RequestTiming, now: number): number {
  return timing.db.ms + (timing.db.inFlight > 0 ? now - timing.db.since : 0);
}

export type TimingSplit = { totalMs: number; dbMs: number; sessionMs: number; renderMs: number; queries: number; sessionDecodes: number };

/**
 * The request's time so far, split: `db` the wall time waiting on the database, `session`
 * decoding the session cookie, `render` the rest (the proxy, the page's own code, React's
 * render and serialization), `total` since the request arrived.
 */
export function splitTiming(timing: RequestTiming, now = performance.now()): TimingSplit {
  const totalMs = Math.max(0, now - timing.started);
  const dbMs = Math.min(totalMs, dbMsSoFar(timing, now));
  const sessionMs = Math.min(totalMs - dbMs, timing.session.ms);
  return { totalMs, dbMs, sessionMs, renderMs: Math.max(0, totalMs - dbMs - sessionMs), queries: timing.db.queries, sessionDecodes: timing.session.decodes };
}

const ms = (value: number) => (Math.round(value * 100) / 100).toString();

/** The `Server-Timing` header value (W3C Server Timing: name;dur=milliseconds;desc="..."). */
export function serverTimingHeader(split: TimingSplit): string {
  return [
    `db;dur=${ms(split.dbMs)};desc="${split.queries} ${split.queries === 1 ? "query" : "queries"}"`,
    `session;dur=${ms(split.sessionMs)};desc="${split.sessionDecodes} ${split.sessionDecodes === 1 ? "decode" : "decodes"}"`,
    `render;dur=${ms(split.renderMs)}`,
    `total;dur=${ms(split.totalMs)}`,
  ].join(", ");
}

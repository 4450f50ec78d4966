import type http from "node:http";
import { logger } from "./log";
import { httpState } from "./http";
import { lifecycle } from "./lifecycle";

// Graceful shutdown on SIGTERM (and SIGINT), in this order:
//   1. readiness answers 503 "shutting down" at once, so the load balancer stops sending
//      new requests; for SHUTDOWN_DRAIN_MS (default 2000) requests are still served while
//      it notices;
//   2. the servers stop accepting connections (responses from then on say
//      `Connection: close`, so kept-alive clients go elsewhere too);
//   3. the requests in flight finish, up to SHUTDOWN_TIMEOUT_MS (default 10000) after the
//      signal; whatever is still open then is cut;
//   4. the webhook worker stops (its sends in progress finish), then the database pool is closed (PGlite: the database and its folder's lock);
//   5. the process exits (0; 1 when requests had to be cut).
// `next start` handles SIGTERM itself by closing its server and exiting, without the first
// and the last two steps and without a limit: in production the instrumentation hook takes
// the signal over (Next's own listeners are removed). The one background job, the webhook
// delivery worker, is stopped before the database closes.

function durationFromEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 600_000) throw new Error(`${name} must be a whole number of milliseconds from 0 to 600000 (got ${JSON.stringify(raw)}).`);
  return value;
}

export type ShutdownOptions = {
  drainMs?: number;
  timeoutMs?: number;
  /** Closes the database (the process's client and its pool). */
  closeDatabase: () => Promise<void>;
  exit?: (code: number) => void;
};

/** Runs the shutdown (see above). Resolves when the process may exit; calls `exit`. */
export async function shutdown(signal: string, options: ShutdownOptions): Promise<number> {
  const state = lifecycle();
  if (state.shuttingDown) return -1;
  const drainMs = options.drainMs ?? durationFromEnv("SHUTDOWN_DRAIN_MS", 2000);
  const timeoutMs = options.timeoutMs ?? durationFromEnv("SHUTDOWN_TIMEOUT_MS", 10_000);
  const started = Date.now();
  state.shuttingDown = true;
  state.reason = `shutting down (${signal})`;
  const http = httpState();
  const log = logger();
  log.info({ signal, drainMs, timeoutMs, inFlight: http.inFlight }, "shutdown: not ready");
  await sleep(drainMs);

  await Promise.all([...http.servers].map((server) => stopAccepting(server)));
  log.info({ inFlight: http.inFlight }, "shutdown: stopped accepting");

  const left = Math.max(0, timeoutMs - (Date.now() - started));
  const finished = await inFlightDone(left);
  let code = 0;
  if (!finished) {
    log.warn({ cut: http.inFlight, timeoutMs }, "shutdown: requests still in flight at the limit were cut");
    for (const server of http.servers) server.closeAllConnections();
    code = 1;
  } else {
    log.info("shutdown: requests in flight finished");
  }
  try {
    await options.closeDatabase();
    log.info("shutdown: database closed");
  } catch (error) {
    log.error({ err: error }, "shutdown: closing the database failed");
    code = 1;
  }
  log.info({ code, ms: Date.now() - started }, "shutdown: done");
  (options.exit ?? process.exit)(code);
  return code;
}

function stopAccepting(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    // Stops listening; idle kept-alive connections are closed now, busy ones after their response.
    server.close(() => resolve());
    server.closeIdleConnections();
    // close()'s callback waits for every connection: do not wait for it here.
    setImmediate(resolve);
  });
}

function inFlightDone(ms: number): Promise<boolean> {
  const http = httpState();
  if (http.inFlight === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      http.idle.delete(done);
      resolve(false);
    }, ms);
    const done = () => {
      clearTimeout(timer);
      http.idle.delete(done);
      resolve(true);
    };
    http.idle.add(done);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const INSTALLED = Symbol.for("greenlight.shutdown-installed");

/**
 * Takes SIGTERM and SIGINT over (removing the listeners already there, i.e. Next's) and
 * runs the shutdown on the first; a second signal while it runs is ignored.
 */
export function installGracefulShutdown(options: Omit<ShutdownOptions, "drainMs" | "timeoutMs">): void {
  const holder = globalThis as { [INSTALLED]?: boolean };
  if (holder[INSTALLED]) return;
  holder[INSTALLED] = true;
  // Read now, so a malformed value stops the start rather than the shutdown.
  durationFromEnv("SHUTDOWN_DRAIN_MS", 2000);
  durationFromEnv("SHUTDOWN_TIMEOUT_MS", 10_000);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal, options));
  }
}

import http from "node:http";
import https from "node:https";
import { serverEnv } from "../env";
import { logger } from "./log";
import { methodOf, metrics, recordHttp, routeOf } from "./metrics";
import { chooseRequestId, REQUEST_ID_HEADER } from "./request-id";
import { shutdownReason } from "./lifecycle";
import { newRequestTiming, runWithRequestTiming, serverTimingHeader, splitTiming, type RequestTiming } from "./timing";

// What every HTTP request this process serves goes through, installed once by the
// instrumentation hook on Node's own servers (Next's `next start` server included, which
// offers no hook of its own around a whole request): the request id (kept from a trusted
// proxy, else made here, and returned in the response), the request's log line and its
// metrics (route pattern, status, latency), and the count of requests in flight that a
// graceful shutdown waits for. Each request runs inside a timing store of its own
// (lib/observe/timing.ts): its response carries a `Server-Timing` header splitting the time
// until the headers were sent into database, session and render time, and its log line the
// same split over the whole response.

const INSTALLED = Symbol.for("greenlight.http-observe-installed");
const STATE = Symbol.for("greenlight.http-state");

// Static files, load-balancer probes and metric scrapes: frequent and uneventful, logged at debug.
const QUIET_ROUTES = new Set(["/_next/static", "/_next", "/api/health", "/api/metrics", "/favicon.ico", "/robots.txt"]);

type State = { inFlight: number; idle: Set<() => void>; servers: Set<http.Server> };

export function httpState(): State {
  const holder = globalThis as { [STATE]?: State };
  holder[STATE] ??= { inFlight: 0, idle: new Set(), servers: new Set() };
  return holder[STATE];
}

function trustedProxies(): number {
  try {
    return serverEnv().GREENLIGHT_TRUSTED_PROXIES;
  } catch {
    return 0;
  }
}

/**
 * Adds `Server-Timing` to the response when its headers are written (Node writes implicit
 * headers through `writeHead` too): the time so far, since headers precede the body. A
 * page that streams (a `loading.tsx` fallback first) sends its headers with the fallback,
 * before its data is read; its log line has the whole split.
 */
function addServerTiming(response: http.ServerResponse, timing: RequestTiming): void {
  const writeHead = response.writeHead;
  response.writeHead = function (this: http.ServerResponse, ...args: unknown[]) {
    try {
      if (!this.headersSent) this.setHeader("server-timing", serverTimingHeader(splitTiming(timing)));
    } catch {
      // Timing must never fail a response: without the header, the response goes on.
    }
    return Reflect.apply(writeHead, this, args) as http.ServerResponse;
  } as typeof response.writeHead;
}

/** Called for each request: stamps it and follows it to its end. */
export function observeRequest(server: http.Server, request: http.IncomingMessage, response: http.ServerResponse, timing: RequestTiming = newRequestTiming()): void {
  const state = httpState();
  state.servers.add(server);
  const requestId = chooseRequestId(request.headers[REQUEST_ID_HEADER], trustedProxies());
  request.headers[REQUEST_ID_HEADER] = requestId;
  response.setHeader(REQUEST_ID_HEADER, requestId);
  // While shutting down, a kept-alive client is told to open its next connection elsewhere.
  if (shutdownReason()) response.setHeader("connection", "close");
  const started = process.hrtime.bigint();
  addServerTiming(response, timing);
  state.inFlight += 1;
  metrics().httpInFlight.inc();
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    state.inFlight -= 1;
    metrics().httpInFlight.dec();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const method = methodOf(request.method);
    // The pattern, never the address: a calendar feed's address holds its token.
    const route = routeOf(request.url ?? "/");
    const status = response.writableFinished ? response.statusCode : 499;
    recordHttp(method, route, status, seconds);
    const split = splitTiming(timing);
    const tenth = (value: number) => Math.round(value * 10) / 10;
    const line = { requestId, method, route, status, durationMs: Math.round(seconds * 10_000) / 10, dbMs: tenth(split.dbMs), queries: split.queries, renderMs: tenth(split.renderMs) };
    if (status >= 500) logger().error(line, "request");
    else if (QUIET_ROUTES.has(route)) logger().debug(line, "request");
    else logger().info(line, "request");
    if (state.inFlight === 0) for (const notify of [...state.idle]) notify();
  };
  response.once("finish", finish);
  response.once("close", finish);
}

export function installHttpObservation(): void {
  for (const Server of [http.Server, https.Server]) {
    const proto = Server.prototype as typeof Server.prototype & { [INSTALLED]?: boolean };
    if (proto[INSTALLED]) continue;
    const emit = proto.emit;
    proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
      if (event === "connection") httpState().servers.add(this);
      if (event === "request") {
        const timing = newRequestTiming();
        try {
          observeRequest(this, args[0] as http.IncomingMessage, args[1] as http.ServerResponse, timing);
        } catch (error) {
          logger().error({ err: error }, "request observation failed");
        }
        // The whole request (Next's proxy, data functions and render) runs in its timing store.
        return runWithRequestTiming(timing, () => Reflect.apply(emit, this, [event, ...args]) as boolean);
      }
      return Reflect.apply(emit, this, [event, ...args]) as boolean;
    } as typeof proto.emit;
    proto[INSTALLED] = true;
  }
}

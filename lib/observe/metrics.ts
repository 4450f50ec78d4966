import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

// The process's metrics in the scrapers' text format (prom-client). One registry per process, kept on
// globalThis: the proxy, the route handlers, the server actions and the instrumentation
// hook are bundled apart by Next, and each bundle would otherwise get a registry of its
// own. The per-rollout series are not here: `collect.ts` computes them on each scrape.

export type PoolCounts = { totalCount: number; idleCount: number; waitingCount: number };

export type ActionOutcome = "ok" | "refused" | "stale" | "error";

type Metrics = {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route" | "status">;
  httpInFlight: Gauge;
  actions: Counter<"outcome">;
  actionDuration: Histogram<"outcome">;
  pools: Set<PoolCounts>;
};

const KEY = Symbol.for("greenlight.metrics");
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "greenlight_" });
  const pools = new Set<PoolCounts>();
  const sum = (pick: (pool: PoolCounts) => number) => [...pools].reduce((total, pool) => total + pick(pool), 0);
  new Gauge({
    name: "greenlight_db_pool_connections",
    help: "Connections of the database pool (Postgres server only), by state: in_use, idle, waiting (queries waiting for a connection).",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      this.set({ state: "in_use" }, sum((p) => p.totalCount - p.idleCount));
      this.set({ state: "idle" }, sum((p) => p.idleCount));
      this.set({ state: "waiting" }, sum((p) => p.waitingCount));
    },
  });
  return {
    registry,
    pools,
    httpRequests: new Counter({
      name: "greenlight_http_requests_total",
      help: "HTTP requests answered, by method, route (the route's pattern, not the address) and status.",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "greenlight_http_request_duration_seconds",
      help: "Time from a request's arrival to the end of its response.",
      labelNames: ["method", "route", "status"],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    httpInFlight: new Gauge({ name: "greenlight_http_requests_in_flight", help: "Requests being answered now.", registers: [registry] }),
    actions: new Counter({
      name: "greenlight_actions_total",
      help: "Server actions by outcome: ok, refused (a refusal with a message), stale (a write on an out-of-date row), error (unexpected or database unavailable).",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    actionDuration: new Histogram({
      name: "greenlight_action_duration_seconds",
      help: "Time a server action took, by outcome.",
      labelNames: ["outcome"],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
  };
}

export function metrics(): Metrics {
  const holder = globalThis as { [KEY]?: Metrics };
  holder[KEY] ??= create();
  return holder[KEY];
}

/** Counts a finished server action. */
export function recordAction(outcome: ActionOutcome, seconds: number): void {
  const m = metrics();
  m.actions.inc({ outcome });
  m.actionDuration.observe({ outcome }, seconds);
}

/** Counts an answered HTTP request. */
export function recordHttp(method: string, route: string, status: number, seconds: number): void {
  const m = metrics();
  const labels = { method, route, status: String(status) };
  m.httpRequests.inc(labels);
  m.httpDuration.observe(labels, seconds);
}

/** A pg pool whose counts the pool gauge reports; the returned function forgets it. */
export function watchPool(pool: PoolCounts): () => void {
  const { pools } = metrics();
  pools.add(pool);
  return () => void pools.delete(pool);
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * The route pattern of a request's path, so the series stay few whatever the addresses:
 * `/r/<slug>/phases/3` → `/r/[slug]/phases/[position]`. Unknown paths share "other".
 */
export function routeOf(path: string): string {
  const clean = path.split("?")[0]!.replace(/\/+$/, "") || "/";
  if (clean.startsWith("/_next/static/")) return "/_next/static";
  if (clean.startsWith("/_next/")) return "/_next";
  if (clean.startsWith("/api/auth/")) return "/api/auth/[...nextauth]";
  if (/^\/api\/calendar\/[^/]+$/.test(clean)) return "/api/calendar/[token]";
  const fixed = ["/", "/sign-in", "/account", "/admin/users", "/home", "/new", "/api/health", "/api/metrics", "/favicon.ico", "/robots.txt"];
  if (fixed.includes(clean)) return clean;
  const parts = clean.split("/").slice(1);
  if (parts[0] !== "r" || parts.length < 2) return "other";
  const rest = parts.slice(2);
  if (rest.length === 0) return "/r/[slug]";
  const pages = ["activity", "checklist", "contacts", "criteria", "documents", "edit", "go-no-go", "ledger", "settings", "summary", "timeline"];
  if (rest.length === 1) return pages.includes(rest[0]!) ? `/r/[slug]/${rest[0]}` : "/r/[slug]/[role]";
  if (rest[0] === "documents" && rest.length === 2) return "/r/[slug]/documents/[documentId]";
  if (rest[0] === "export" && rest.length === 2 && ["items", "plan", "sign-offs"].includes(rest[1]!)) return `/r/[slug]/export/${rest[1]}`;
  if (rest[0] === "ledger" && rest[1] === "digest" && rest.length === 2) return "/r/[slug]/ledger/digest";
  if (rest[0] === "phases" && rest.length === 2) return "/r/[slug]/phases/[position]";
  if (rest[0] === "phases" && rest.length === 3 && rest[2] === "certificate") return "/r/[slug]/phases/[position]/certificate";
  return "other";
}

/** The method as a label: the standard ones, else "other". */
export function methodOf(method: string | undefined): string {
  const upper = (method ?? "").toUpperCase();
  return METHODS.has(upper) ? upper : "other";
}

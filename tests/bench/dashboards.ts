import { cpus, loadavg } from "node:os";
import autocannon from "autocannon";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../lib/domain/demo";
import { PLAN_ROLES, ROLE_SLUGS } from "../../lib/domain/roles";
import type { Role } from "../../lib/generated/prisma/enums";
import { LOOPBACK, markdownTable, processCpuMs, signIn, sleep, summarize, type LatencySummary, type ServerProcess } from "./helpers";
import { LARGE_PLAN_SLUG, largePlanEmail } from "./large-plan";
import { buildUnlessSkipped, checkPortFree, intEnv, prepareDatabase, run, serverEnvironment, startServer, type BenchDatabase } from "./setup";
import { benchTargets, targetsTable, type PageFigures } from "./targets";
import type { WireProxy } from "./wire-proxy";

// `npm run bench`: every page of a rollout, on the sample plan and on a large generated one
// (tests/bench/large-plan.ts: 5,000 items, 300 sign-offs, 150 members, 50,000 ledger
// events), against a production build on a database of its own (see setup.ts). For each
// page: p50/p99 at one connection, req/s at one and at ten connections, SQL statements per
// request counted on the wire (Postgres: a proxy between the server and the database), and
// the size of its HTML; /api/health, measured in the same run, is the machine's floor and
// every page is also given as a ratio to it. Prints figures; it fails only when a page
// does not answer 200, never on a target.
//
//   BENCH_SECONDS      measured seconds per page at one connection (default 5, at most 60)
//   BENCH_SECONDS_10   measured seconds per page at ten connections (default 5; 0 skips it)
//   BENCH_WARMUP       warm-up seconds per page before measuring (default 1)
//   BENCH_PORT         loopback port of the server (default 3200)
//   BENCH_COUNT        sequential requests per page for the statement count (default 3; 0 skips it)
//   BENCH_PLANS        sample,large (default both)
//   BENCH_SKIP_BUILD=1 reuse the previous build in .next-bench

const SAMPLE_SLUG = "iteration-5";
/** The proxy renews a session cookie older than a minute on every request; sessions are renewed well before. */
const SESSION_REUSE_MS = 40_000;

type Plan = { name: "sample" | "large"; slug: string; account: (role: Role) => string };
/** `redirect`: the page answers a redirect by design for this account (home, for a member of one rollout). */
/** `dashboard`: a role dashboard's slug (issue 11's req/s target is theirs). */
type Page = { label: string; path: string; role: Role | null; redirect?: boolean; dashboard?: string };

const PLANS: Plan[] = [
  {
    name: "sample",
    slug: SAMPLE_SLUG,
    account: (role) => {
      const account = DEMO_ACCOUNTS.find((a) => a.roles.includes(role));
      if (!account) throw new Error(`No demo account holds the role ${role}.`);
      return account.email;
    },
  },
  { name: "large", slug: LARGE_PLAN_SLUG, account: (role) => largePlanEmail(role, 1) },
];

function pagesOf(slug: string): Page[] {
  const r = `/r/${slug}`;
  return [
    { label: "health (floor)", path: "/api/health", role: null },
    { label: "home", path: "/home", role: "EXECUTIVE", redirect: true },
    { label: "overview", path: r, role: "EXECUTIVE" },
    ...PLAN_ROLES.map((role) => ({ label: `dashboard: ${ROLE_SLUGS[role]}`, path: `${r}/${ROLE_SLUGS[role]}`, role, dashboard: ROLE_SLUGS[role] })),
    { label: "checklist", path: `${r}/checklist`, role: "EXECUTIVE" },
    { label: "timeline", path: `${r}/timeline`, role: "EXECUTIVE" },
    { label: "go-no-go", path: `${r}/go-no-go`, role: "EXECUTIVE" },
    { label: "summary", path: `${r}/summary`, role: "EXECUTIVE" },
    { label: "phase 1", path: `${r}/phases/1`, role: "EXECUTIVE" },
    { label: "certificate (phase 1)", path: `${r}/phases/1/certificate`, role: "EXECUTIVE" },
    { label: "documents", path: `${r}/documents`, role: "EXECUTIVE" },
    { label: "criteria", path: `${r}/criteria`, role: "EXECUTIVE" },
    { label: "contacts", path: `${r}/contacts`, role: "EXECUTIVE" },
    { label: "activity", path: `${r}/activity`, role: "EXECUTIVE" },
    { label: "ledger", path: `${r}/ledger`, role: "EXECUTIVE" },
  ];
}

type Measurement = {
  page: Page;
  firstMs: number;
  htmlBytes: number;
  one: LatencySummary & { rps: number; errors: number };
  ten: (LatencySummary & { rps: number; errors: number; completed: number }) | null;
  statements: { mean: number; min: number; max: number; maxBind: number } | null;
  /** The server's CPU time (user + system) per request over the one-connection window. */
  cpuMsPerRequest: number | null;
  /** Medians of the responses' Server-Timing `db` and `render` over the sequential requests (until the head). */
  split: { dbMs: number; renderMs: number } | null;
  failure?: string;
};

type Options = { seconds: number; seconds10: number; warmup: number; count: number };

async function main() {
  const port = intEnv("BENCH_PORT", 3200, 1024, 65535);
  const options: Options = {
    seconds: intEnv("BENCH_SECONDS", 5, 1, 60),
    seconds10: intEnv("BENCH_SECONDS_10", 5, 0, 60),
    warmup: intEnv("BENCH_WARMUP", 1, 0, 10),
    count: intEnv("BENCH_COUNT", 3, 0, 100),
  };
  const wanted = (process.env.BENCH_PLANS ?? "sample,large").split(",").map((s) => s.trim());
  const plans = PLANS.filter((p) => wanted.includes(p.name));
  if (plans.length === 0) throw new Error('BENCH_PLANS must name "sample", "large" or both.');
  const base = `http://${LOOPBACK}:${port}`;
  await checkPortFree(port);

  let server: ServerProcess | undefined;
  let database: BenchDatabase | undefined;
  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      await server?.stop();
      await database?.cleanup();
    })());
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the benchmark server.`);
      void shutdown().finally(() => process.exit(130));
    });
  }
  process.once("exit", () => server?.killNow());

  try {
    database = await prepareDatabase(serverEnvironment(base), "bench");
    console.log(`\n== Database: ${database.description} — reset and seed`);
    run("Resetting the bench database", "npx", ["tsx", "lib/db/cli.ts", "reset"], database.toolEnv);
    if (plans.some((p) => p.name === "large")) {
      console.log("\n== Large plan");
      run("Writing the large plan", "npx", ["tsx", "tests/bench/large-plan.ts"], database.toolEnv);
    }
    buildUnlessSkipped(database.toolEnv);
    server = await startServer(port, database.serverEnv);

    const loads: string[] = [];
    const tables: { plan: Plan; measurements: Measurement[]; load: string }[] = [];
    for (const plan of plans) {
      const load = loadavg().map((l) => l.toFixed(1)).join(", ");
      loads.push(load);
      console.log(`\n== ${plan.name} plan (/r/${plan.slug}); load average ${load}`);
      const sessions = new Map<string, { cookie: string; at: number }>();
      const cookieFor = async (role: Role | null, forMs: number): Promise<Record<string, string>> => {
        if (!role) return {};
        const email = plan.account(role);
        const known = sessions.get(email);
        if (known && Date.now() - known.at + forMs < SESSION_REUSE_MS) return { cookie: known.cookie };
        const session = { cookie: await signIn(base, email, DEMO_PASSWORD), at: Date.now() };
        sessions.set(email, session);
        return { cookie: session.cookie };
      };
      const measurements: Measurement[] = [];
      for (const page of pagesOf(plan.slug)) {
        measurements.push(await measurePage(base, page, cookieFor, options, database.proxy, server.pid));
        if (!server.running) throw new Error(`The server stopped during the benchmark:\n${server.recentOutput()}`);
      }
      tables.push({ plan, measurements, load: `${load} → ${loadavg().map((l) => l.toFixed(1)).join(", ")}` });
    }

    for (const { plan, measurements, load } of tables) printTable(plan, measurements, { ...options, database: database.description, load });
    const figuresOf = (name: Plan["name"]) => tables.find((t) => t.plan.name === name)?.measurements.filter((m) => m.page.path !== "/api/health").map(pageFigures) ?? null;
    console.log(targetsTable(`Issue 11's targets — load average ${loads.join("; ")} (latency targets are for a quiet machine)`, benchTargets(figuresOf("sample"), figuresOf("large"))));
    const failed = tables.flatMap((t) => t.measurements.filter((m) => m.failure || m.one.errors).map((m) => `${t.plan.name} ${m.page.label}`));
    if (failed.length) {
      console.error(`\n${failed.length} page(s) did not answer cleanly: ${failed.join(", ")}.`);
      process.exitCode = 1;
    }
  } catch (error) {
    if (server?.running === false) console.error(server.recentOutput());
    throw error;
  } finally {
    await shutdown();
  }
}

/**
 * Waits until earlier requests are done (autocannon stops at its deadline, but the server
 * finishes what it was given): on Postgres, no statement on the wire for half a second (the
 * probe's own statement comes after that window); everywhere, `/api/health` answering
 * within 250 ms twice in a row. At most 60 s.
 */
async function settle(base: string, proxy: WireProxy | null) {
  const deadline = Date.now() + 60_000;
  let fast = 0;
  while (Date.now() < deadline && fast < 2) {
    const before = proxy?.counts.statements;
    await sleep(fast ? 100 : 500);
    if (proxy && proxy.counts.statements !== before) {
      fast = 0;
      continue;
    }
    const started = performance.now();
    await fetch(`${base}/api/health`).then((r) => r.arrayBuffer()).catch(() => undefined);
    fast = performance.now() - started < 250 ? fast + 1 : 0;
  }
}

async function cannon(url: string, headers: Record<string, string>, connections: number, seconds: number, redirect = false) {
  const latencies: number[] = [];
  const ok = (status: number) => (status >= 200 && status < 300) || (redirect && status >= 300 && status < 400);
  const instance = autocannon({ url, headers, connections, pipelining: 1, timeout: 60, duration: seconds });
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (ok(status)) latencies.push(ms);
  });
  const result = await instance;
  const wrongStatus = redirect ? Object.entries(result.statusCodeStats).filter(([code]) => !ok(Number(code))).reduce((n, [, v]) => n + v.count, 0) : result.non2xx;
  return { ...summarize(latencies), rps: latencies.length / result.duration, errors: result.errors + wrongStatus, completed: latencies.length };
}

async function measurePage(
  base: string,
  page: Page,
  cookieFor: (role: Role | null, forMs: number) => Promise<Record<string, string>>,
  options: Options,
  proxy: WireProxy | null,
  serverPid: number | undefined,
): Promise<Measurement> {
  const url = `${base}${page.path}`;
  const label = page.label.padEnd(22);
  await settle(base, proxy);
  let headers = await cookieFor(page.role, 60_000);
  const started = performance.now();
  const first = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(120_000) });
  const body = await first.arrayBuffer();
  const firstMs = performance.now() - started;
  const empty = summarize([]);
  const redirected = page.redirect && first.status >= 300 && first.status < 400 ? first.headers.get("location") : null;
  if (first.status !== 200 && !redirected) {
    const where = first.headers.get("location");
    const failure = `HTTP ${first.status}${where ? ` → ${where}` : ""}`;
    console.log(`${label} ${failure}; not measured`);
    return { page, firstMs, htmlBytes: 0, one: { ...empty, rps: 0, errors: 1 }, ten: null, statements: null, cpuMsPerRequest: null, split: null, failure };
  }

  // Where the server's time went (Server-Timing), over the sequential requests below and the first.
  const splits: { dbMs: number; renderMs: number }[] = [];
  const noteSplit = (response: Response) => {
    const timing = serverTiming(response.headers.get("server-timing"));
    if (timing.has("db") && timing.has("render")) splits.push({ dbMs: timing.get("db")!, renderMs: timing.get("render")! });
  };
  noteSplit(first);

  // Statements per request, on the wire: sequential requests, nothing else running.
  let statements: Measurement["statements"] = null;
  if (proxy && options.count > 0) {
    const counts: number[] = [];
    let maxBind = 0;
    proxy.counts.maxBindParameters = 0;
    for (let i = 0; i < options.count; i++) {
      const before = proxy.snapshot();
      const response = await fetch(url, { headers, redirect: "manual" });
      await response.arrayBuffer();
      noteSplit(response);
      await sleep(50);
      const after = proxy.snapshot();
      counts.push(after.statements - before.statements);
      maxBind = Math.max(maxBind, after.maxBindParameters);
    }
    statements = { mean: counts.reduce((a, b) => a + b, 0) / counts.length, min: Math.min(...counts), max: Math.max(...counts), maxBind };
  }

  headers = await cookieFor(page.role, (options.warmup + options.seconds + 5) * 1000);
  if (options.warmup > 0) await autocannon({ url, headers, connections: 1, pipelining: 1, timeout: 60, duration: options.warmup });
  const cpuBefore = processCpuMs(serverPid);
  const one = await cannon(url, headers, 1, options.seconds, page.redirect);
  const cpuAfter = processCpuMs(serverPid);
  // Requests that were not 2xx cost CPU too: divide by every request autocannon completed.
  const cpuMsPerRequest = cpuBefore !== null && cpuAfter !== null && one.count + one.errors > 0 ? (cpuAfter - cpuBefore) / (one.count + one.errors) : null;
  let ten: Measurement["ten"] = null;
  if (options.seconds10 > 0) {
    await settle(base, proxy);
    headers = await cookieFor(page.role, (options.seconds10 + 5) * 1000);
    ten = await cannon(url, headers, 10, options.seconds10, page.redirect);
  }
  console.log(
    `${label} first ${firstMs.toFixed(0)} ms, ${(body.byteLength / 1024).toFixed(1)} kB; 1 conn: ${one.count} requests, p50 ${one.p50.toFixed(1)} ms` +
      (cpuMsPerRequest !== null ? `, CPU ${cpuMsPerRequest.toFixed(1)} ms/request` : "") +
      (ten ? `; 10 conn: ${ten.rps.toFixed(1)} req/s` : "") +
      (statements ? `; ${statements.mean.toFixed(1)} statements/request` : ""),
  );
  const median = (values: number[]) => summarize(values).p50;
  const split = splits.length ? { dbMs: median(splits.map((x) => x.dbMs)), renderMs: median(splits.map((x) => x.renderMs)) } : null;
  return { page: redirected ? { ...page, label: `${page.label} (→ ${redirected})` } : page, firstMs, htmlBytes: body.byteLength, one, ten, statements, cpuMsPerRequest, split };
}

/** What the targets table reads of a measurement; the label without the redirect's target, so both plans' pages match. */
function pageFigures(m: Measurement): PageFigures {
  const measured = !m.failure && Number.isFinite(m.one.p50);
  const s = m.statements;
  return {
    label: m.page.label.replace(/ \(→ .*\)$/, ""),
    dashboard: m.page.dashboard,
    failed: Boolean(m.failure),
    p50Ms: measured ? m.one.p50 : null,
    rps10: m.ten ? m.ten.rps : null,
    htmlKb: m.failure ? null : m.htmlBytes / 1024,
    // The fewest any counted request sent: a background worker's poll falling in a request's window only adds.
    statements: s ? s.min : null,
  };
}

/** A Server-Timing header's durations by name (`name;dur=ms;desc="…"`, comma-separated). */
function serverTiming(header: string | null): Map<string, number> {
  const durations = new Map<string, number>();
  for (const entry of (header ?? "").split(",")) {
    const [name, ...params] = entry.trim().split(";");
    const dur = params.find((p) => p.startsWith("dur="));
    if (name && dur) durations.set(name, Number(dur.slice(4)));
  }
  return durations;
}

function printTable(plan: Plan, measurements: Measurement[], context: Options & { database: string; load: string }) {
  const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "–");
  const floor = measurements.find((m) => m.page.path === "/api/health" && !m.failure);
  const counted = measurements.some((m) => m.statements);
  const header = ["page", "p50 ms", "p99 ms", "CPU ms/req", "db ms", "render ms", "req/s (1)", "req/s (10)", "p50 ms (10)", "errors", "HTML kB", "p50 × floor", "req/s (10) ÷ floor"];
  if (counted) header.push("SQL stmts/req", "max bind params");
  const rows = measurements.map((m) => {
    if (m.failure) return [m.page.label, ...header.slice(1).map((_, i) => (i === 8 ? m.failure! : "–"))];
    const row = [
      m.page.label,
      ms(m.one.p50),
      ms(m.one.p99),
      m.cpuMsPerRequest !== null ? m.cpuMsPerRequest.toFixed(1) : "–",
      m.split ? ms(m.split.dbMs) : "–",
      m.split ? ms(m.split.renderMs) : "–",
      m.one.rps.toFixed(1),
      m.ten ? m.ten.rps.toFixed(1) : "–",
      m.ten ? ms(m.ten.p50) : "–",
      String(m.one.errors + (m.ten?.errors ?? 0)),
      (m.htmlBytes / 1024).toFixed(1),
      floor ? (m.one.p50 / floor.one.p50).toFixed(1) : "–",
      floor?.ten && m.ten ? (m.ten.rps / floor.ten.rps).toFixed(3) : "–",
    ];
    if (counted) {
      const s = m.statements;
      row.push(s ? (s.min === s.max ? String(s.min) : `${s.mean.toFixed(1)} (${s.min}–${s.max})`) : "–", s ? String(s.maxBind) : "–");
    }
    return row;
  });
  console.log(
    `\n== ${plan.name} plan (/r/${plan.slug}) — ${context.database}; Node ${process.versions.node}, ${cpus().length} CPUs; load average ${context.load}\n` +
      `1 connection: ${context.warmup} s warm-up, ${context.seconds} s measured; 10 connections: ${context.seconds10} s; latencies of 2xx responses; ` +
        "CPU ms/req: the server process's CPU time (user + system, from /proc) over the one-connection window ÷ its requests; " +
        "db ms / render ms: medians of the responses' Server-Timing over the sequential requests (time until the head was sent)\n",
  );
  console.log(markdownTable(header, rows, header.map((h) => h !== "page")));
  if (counted) {
    console.log(
      `\nSQL stmts/req: Execute and simple Query messages the server sent to Postgres per request, counted by a proxy on the wire ` +
        `over ${context.count} sequential requests (session check and membership lookup included). max bind params: the most ` +
        "parameters one statement carried on this page's requests.",
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { resolve } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { acquireFolderLock } from "../../lib/db/lock";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../lib/domain/demo";
import type { Role } from "../../lib/generated/prisma/enums";
import {
  LOOPBACK,
  isLoopbackHost,
  markdownTable,
  portInUse,
  ServerProcess,
  signIn,
  sleep,
  summarize,
  waitForHealthy,
  type LatencySummary,
} from "./helpers";

// `npm run bench`: server time of each dashboard on the sample plan, one connection at a
// time, against a production build on a database of its own — a PGlite folder under
// .data/bench, or, when DATABASE_URL is set, a database named after it with a "_bench"
// suffix on the same (local) server; the database DATABASE_URL names is never touched.
// Prints figures; it fails only when a page does not answer 200, never on a target.
//
//   BENCH_SECONDS      measured seconds per page (default 5, at most 40)
//   BENCH_WARMUP       warm-up seconds per page before measuring (default 1)
//   BENCH_PORT         loopback port of the server (default 3200)
//   BENCH_SKIP_BUILD=1 reuse the previous build in .next-bench
//   BENCH_COUNT=50     sequential requests per page for the statement count (Postgres only; 0 skips it)

const SLUG = "iteration-5";
const DIST_DIR = ".next-bench";
const TARGET_MS = 9;
/** The proxy renews the session cookie after a minute; sessions are refreshed well before. */
const SESSION_REUSE_MS = 45_000;
/** Postgres flushes an idle connection's statistics at the latest ten seconds after it went idle. */
const STATS_IDLE_FLUSH_MS = 11_000;

type Page = { label: string; path: string; role: Role | null; dashboard: boolean };

const PAGES: Page[] = [
  { label: "overview", path: `/r/${SLUG}`, role: "EXECUTIVE", dashboard: true },
  { label: "executive", path: `/r/${SLUG}/executive`, role: "EXECUTIVE", dashboard: true },
  { label: "operations", path: `/r/${SLUG}/operations`, role: "OPS_MANAGER", dashboard: true },
  { label: "security", path: `/r/${SLUG}/security`, role: "SECURITY_OFFICER", dashboard: true },
  { label: "dba", path: `/r/${SLUG}/dba`, role: "DBA", dashboard: true },
  { label: "timeline", path: `/r/${SLUG}/timeline`, role: "EXECUTIVE", dashboard: true },
  { label: "checklist", path: `/r/${SLUG}/checklist`, role: "EXECUTIVE", dashboard: true },
  { label: "sign-in", path: "/sign-in", role: null, dashboard: false },
  { label: "health", path: "/api/health", role: null, dashboard: false },
];

type Measurement = {
  page: Page;
  latency: LatencySummary;
  requests: number;
  seconds: number;
  errors: number;
  non2xx: number;
  bytesPerResponse: number;
  statementsPerRequest: number | null;
  failure?: string;
};

function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  }
  return value;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The benchmark's own database; counts the statements it runs when it is Postgres. */
type BenchDatabase = {
  description: string;
  /** Committed plus rolled-back transactions of the bench database, once the server's stats are flushed. */
  settledTransactions?: () => Promise<number>;
  cleanup: () => Promise<void>;
};

async function prepareDatabase(env: NodeJS.ProcessEnv): Promise<BenchDatabase> {
  const sourceUrl = process.env.DATABASE_URL?.trim();
  if (!sourceUrl) {
    delete env.DATABASE_URL;
    env.GREENLIGHT_DATA_DIR = resolve(".data/bench");
    return { description: "PGlite in .data/bench (in-process)", cleanup: async () => {} };
  }
  const url = new URL(sourceUrl);
  if (!isLoopbackHost(url.hostname)) {
    throw new Error(`The benchmark only uses a Postgres server on this machine (DATABASE_URL names ${url.hostname}).`);
  }
  const source = decodeURIComponent(url.pathname.slice(1));
  if (!source) throw new Error("DATABASE_URL must name a database; the benchmark uses <that name>_bench beside it.");
  const name = `${source}_bench`;
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
  url.pathname = `/${encodeURIComponent(name)}`;
  env.DATABASE_URL = url.toString();
  delete env.GREENLIGHT_DATA_DIR;

  // Every statement outside an explicit transaction is a transaction of its own, so the
  // database's transaction counter counts the statements the server sends. It is read over
  // a connection to another database, and it lags: a server connection that flushed its
  // statistics less than a second before going idle only flushes again ten seconds later.
  // So the counter is read once the server has been idle for longer than that.
  const read = async () => {
    const { rows } = await client.query<{ n: string }>(
      "SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = $1",
      [name],
    );
    return Number(rows[0]?.n ?? 0);
  };
  const settledTransactions = async () => {
    await sleep(STATS_IDLE_FLUSH_MS);
    let last = await read();
    for (let i = 0; i < 10; i++) {
      await sleep(500);
      const now = await read();
      if (now === last) return now;
      last = now;
    }
    return last;
  };
  return {
    description: `Postgres ${url.hostname}:${url.port || 5432}/${name}`,
    settledTransactions,
    cleanup: async () => {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`).catch(() => {});
      await client.end().catch(() => {});
    },
  };
}

function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(command, args, { env, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${label} failed (exit code ${result.status ?? result.signal}).`);
}

/**
 * `next build` adds its folder's type globs to tsconfig.json and may point next-env.d.ts at
 * it; the benchmark's build is a throwaway, so both are put back as they were (tsconfig.json
 * re-read just before writing, so edits made meanwhile are kept). The folder gets a
 * .gitignore of its own so its output is never committed by accident.
 */
function buildWithoutLeavingTraces(nextBin: string, env: NodeJS.ProcessEnv) {
  const nextEnvFile = resolve("next-env.d.ts");
  const nextEnvBefore = existsSync(nextEnvFile) ? readFileSync(nextEnvFile, "utf8") : null;
  try {
    run("next build", process.execPath, [nextBin, "build"], env);
  } finally {
    if (nextEnvBefore !== null && existsSync(nextEnvFile)) {
      const after = readFileSync(nextEnvFile, "utf8");
      if (after !== nextEnvBefore && after.includes(DIST_DIR)) writeFileSync(nextEnvFile, nextEnvBefore);
    }
    dropDistDirFromTsconfig();
    if (existsSync(resolve(DIST_DIR))) writeFileSync(resolve(DIST_DIR, ".gitignore"), "*\n");
  }
}

function dropDistDirFromTsconfig() {
  const file = resolve("tsconfig.json");
  try {
    const raw = readFileSync(file, "utf8");
    const config = JSON.parse(raw) as { include?: string[] };
    if (!config.include?.some((glob) => glob.startsWith(`${DIST_DIR}/`))) return;
    config.include = config.include.filter((glob) => !glob.startsWith(`${DIST_DIR}/`));
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  } catch (error) {
    console.warn(`Could not take ${DIST_DIR} back out of tsconfig.json: ${error instanceof Error ? error.message : error}`);
  }
}

async function main() {
  const port = intEnv("BENCH_PORT", 3200, 1024, 65535);
  const seconds = intEnv("BENCH_SECONDS", 5, 1, 40);
  const warmup = intEnv("BENCH_WARMUP", 1, 0, 10);
  const countRequests = intEnv("BENCH_COUNT", 50, 0, 500);
  const base = `http://${LOOPBACK}:${port}`;
  if (await portInUse(port)) throw new Error(`Something already listens on ${base}; set BENCH_PORT to a free port.`);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_DIST_DIR: DIST_DIR,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    GREENLIGHT_DEMO: "1",
    NEXTAUTH_URL: base,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    GREENLIGHT_LEDGER_KEYS: `bench:${randomBytes(32).toString("base64")}`,
  };
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");

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
    database = await prepareDatabase(env);
    console.log(`\n== Database: ${database.description} — reset and seed`);
    run("Resetting the bench database", "npx", ["tsx", "lib/db/cli.ts", "reset"], env);

    if (process.env.BENCH_SKIP_BUILD === "1") {
      if (!existsSync(resolve(DIST_DIR, "BUILD_ID"))) throw new Error(`BENCH_SKIP_BUILD=1, but ${DIST_DIR} holds no build.`);
      console.log(`\n== Build: skipped, reusing ${DIST_DIR}`);
    } else {
      console.log(`\n== Build into ${DIST_DIR}`);
      const started = Date.now();
      // Holding the PGlite folder proves the build never opens the database.
      const release = env.GREENLIGHT_DATA_DIR ? acquireFolderLock(env.GREENLIGHT_DATA_DIR) : () => {};
      try {
        buildWithoutLeavingTraces(nextBin, env);
      } finally {
        release();
      }
      console.log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
    }

    console.log(`\n== Server on ${base}`);
    server = new ServerProcess(process.execPath, [nextBin, "start", "-p", String(port), "-H", LOOPBACK], env);
    const startedAt = Date.now();
    await waitForHealthy(`${base}/api/health`, server);
    console.log(`Ready (health answered 200) after ${Date.now() - startedAt} ms.`);

    const measurements: Measurement[] = [];
    const sessions = new Map<Role, { cookie: string; at: number }>();
    const cookieFor = async (role: Role | null, forMs: number): Promise<string | null> => {
      if (!role) return null;
      const known = sessions.get(role);
      if (known && Date.now() - known.at + forMs < SESSION_REUSE_MS) return known.cookie;
      const account = DEMO_ACCOUNTS.find((a) => a.roles.includes(role));
      if (!account) throw new Error(`No demo account holds the role ${role}.`);
      const session = { cookie: await signIn(base, account.email, DEMO_PASSWORD), at: Date.now() };
      sessions.set(role, session);
      return session.cookie;
    };

    console.log(`\n== Measuring: 1 connection, ${warmup} s warm-up + ${seconds} s per page`);
    for (const page of PAGES) {
      const planned = (warmup + seconds + 8) * 1000;
      const cookie = await cookieFor(page.role, planned);
      const headers: Record<string, string> = cookie ? { cookie } : {};
      const url = `${base}${page.path}`;
      measurements.push(await measure(page, url, headers, { seconds, warmup }));
      if (!server.running) throw new Error(`The server stopped during the benchmark:\n${server.recentOutput()}`);
    }

    const settled = database.settledTransactions;
    if (settled && countRequests > 0) {
      const counted = measurements.filter((m) => !m.failure);
      console.log(
        `\n== Counting SQL statements: ${countRequests} sequential requests per page, ` +
          `then ${STATS_IDLE_FLUSH_MS / 1000} s idle for Postgres to publish its counters (about ${Math.ceil(((counted.length + 1) * STATS_IDLE_FLUSH_MS) / 60_000)} min)`,
      );
      // Sessions are taken first: signing in runs statements of its own. Their age no longer
      // matters here, as the proxy's renewal of an old session's cookie queries nothing.
      const cookies = new Map<Role | null, string | null>([[null, null]]);
      for (const m of counted) if (!cookies.has(m.page.role)) cookies.set(m.page.role, await cookieFor(m.page.role, 0));
      let before = await settled();
      for (const m of counted) {
        const cookie = cookies.get(m.page.role);
        const headers: Record<string, string> = cookie ? { cookie } : {};
        for (let i = 0; i < countRequests; i++) {
          const response = await fetch(`${base}${m.page.path}`, { headers, redirect: "manual" });
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`${m.page.path} answered ${response.status} while counting statements.`);
        }
        const after = await settled();
        m.statementsPerRequest = (after - before) / countRequests;
        console.log(`${m.page.label.padEnd(11)} ${m.statementsPerRequest.toFixed(1)} statements/request`);
        before = after;
      }
    }

    printReport(measurements, { database: database.description, seconds, warmup, countRequests });
    const failed = measurements.filter((m) => m.failure || m.errors || m.non2xx);
    if (failed.length) {
      console.error(`\n${failed.length} page(s) did not answer cleanly: ${failed.map((m) => m.page.label).join(", ")}.`);
      process.exitCode = 1;
    }
  } catch (error) {
    if (server?.running === false) console.error(server.recentOutput());
    throw error;
  } finally {
    await shutdown();
  }
}

async function measure(
  page: Page,
  url: string,
  headers: Record<string, string>,
  options: { seconds: number; warmup: number },
): Promise<Measurement> {
  const empty: Measurement = {
    page,
    latency: summarize([]),
    requests: 0,
    seconds: 0,
    errors: 0,
    non2xx: 0,
    bytesPerResponse: 0,
    statementsPerRequest: null,
  };
  const started = performance.now();
  const first = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(60_000) });
  await first.arrayBuffer();
  const firstMs = performance.now() - started;
  if (first.status !== 200) {
    const where = first.headers.get("location");
    const failure = `HTTP ${first.status}${where ? ` → ${where}` : ""}`;
    console.log(`${page.label.padEnd(11)} ${failure}; not measured`);
    return { ...empty, failure };
  }

  const common = { url, headers, connections: 1, pipelining: 1, timeout: 10 };
  if (options.warmup > 0) await autocannon({ ...common, duration: options.warmup });

  const latencies: number[] = [];
  const instance = autocannon({ ...common, duration: options.seconds, maxOverallRequests: options.seconds * 5_000 });
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;

  const latency = summarize(latencies);
  const measurement: Measurement = {
    page,
    latency,
    requests: result.requests.total,
    seconds: result.duration,
    errors: result.errors,
    non2xx: result.non2xx,
    bytesPerResponse: latencies.length ? result.throughput.total / latencies.length : 0,
    statementsPerRequest: null,
  };
  console.log(
    `${page.label.padEnd(11)} first request ${firstMs.toFixed(0)} ms; ${measurement.requests} requests, ` +
      `p50 ${latency.p50.toFixed(1)} ms`,
  );
  return measurement;
}

function printReport(
  measurements: Measurement[],
  context: { database: string; seconds: number; warmup: number; countRequests: number },
) {
  const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "–");
  const counted = measurements.some((m) => m.statementsPerRequest !== null);
  const header = ["page", "requests", "mean ms", "p50 ms", "p90 ms", "p99 ms", "req/s", "errors/non-2xx", "kB/resp"];
  if (counted) header.push("SQL stmts/req");
  header.push("target");
  const rows = measurements.map((m) => {
    const row = m.failure
      ? [m.page.path, "–", "–", "–", "–", "–", "–", m.failure, "–"]
      : [
          m.page.path,
          String(m.requests),
          ms(m.latency.mean),
          ms(m.latency.p50),
          ms(m.latency.p90),
          ms(m.latency.p99),
          m.seconds ? (m.requests / m.seconds).toFixed(1) : "–",
          `${m.errors}/${m.non2xx}`,
          (m.bytesPerResponse / 1024).toFixed(1),
        ];
    if (counted) row.push(m.statementsPerRequest === null ? "–" : m.statementsPerRequest.toFixed(1));
    row.push(m.page.dashboard ? `≈ ${TARGET_MS} ms server time at 1 connection` : "");
    return row;
  });
  const right = header.map((h) => h !== "page" && h !== "target");
  console.log(
    `\n== Results — ${context.database}; Node ${process.versions.node}, ${cpus().length} CPUs; ` +
      `1 connection, ${context.warmup} s warm-up, ${context.seconds} s measured per page; latencies of 2xx responses\n`,
  );
  console.log(markdownTable(header, rows, right));
  if (counted) {
    console.log(
      `\nSQL stmts/req: transactions the server ran on the bench database per request, over ${context.countRequests} ` +
        "sequential requests (each statement outside an explicit transaction is one; a transaction counts once). " +
        "Fractions come from connections the pool reopens after the idle pauses, not from the page.",
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import pg from "pg";
import { acquireFolderLock } from "../../lib/db/lock";
import { isLoopbackHost, LOOPBACK, portInUse, ServerProcess, waitForHealthy } from "./helpers";
import { WireProxy } from "./wire-proxy";

// What `npm run bench` and `npm run bench:web` share: a database of their own, a production
// build in .next-bench, and `next start` on a loopback port.

export const DIST_DIR = ".next-bench";

export function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  }
  return value;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The benchmark's own database; on Postgres, reached by the server through a counting proxy. */
export type BenchDatabase = {
  description: string;
  /** Environment for tools that write the database directly (reset, the large plan). */
  toolEnv: NodeJS.ProcessEnv;
  /** Environment for the server (on Postgres: through the wire proxy). */
  serverEnv: NodeJS.ProcessEnv;
  proxy: WireProxy | null;
  cleanup: () => Promise<void>;
};

/**
 * A PGlite folder under .data/<name>, or, when DATABASE_URL is set, a database named after
 * it with a `_<name>` suffix on the same (local) server; the database DATABASE_URL names is
 * never touched.
 */
export async function prepareDatabase(env: NodeJS.ProcessEnv, name: string): Promise<BenchDatabase> {
  const sourceUrl = process.env.DATABASE_URL?.trim();
  if (!sourceUrl) {
    const toolEnv: NodeJS.ProcessEnv = { ...env, GREENLIGHT_DATA_DIR: resolve(`.data/${name}`) };
    delete toolEnv.DATABASE_URL;
    return { description: `PGlite in .data/${name} (in-process)`, toolEnv, serverEnv: toolEnv, proxy: null, cleanup: async () => {} };
  }
  const url = new URL(sourceUrl);
  if (!isLoopbackHost(url.hostname)) {
    throw new Error(`The benchmark only uses a Postgres server on this machine (DATABASE_URL names ${url.hostname}).`);
  }
  const source = decodeURIComponent(url.pathname.slice(1));
  if (!source) throw new Error("DATABASE_URL must name a database; the benchmark uses <that name>_bench beside it.");
  const database = `${source}_${name.replace(/-/g, "_")}`;
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
  url.pathname = `/${encodeURIComponent(database)}`;
  const toolEnv: NodeJS.ProcessEnv = { ...env, DATABASE_URL: url.toString() };
  delete toolEnv.GREENLIGHT_DATA_DIR;

  const proxy = new WireProxy({ host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 5432) });
  const proxied = new URL(url);
  proxied.hostname = LOOPBACK;
  proxied.port = String(await proxy.start());
  const serverEnv = { ...toolEnv, DATABASE_URL: proxied.toString() };
  return {
    description: `Postgres ${url.hostname}:${url.port || 5432}/${database}`,
    toolEnv,
    serverEnv,
    proxy,
    cleanup: async () => {
      await proxy.stop();
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`).catch(() => {});
      await client.end().catch(() => {});
    },
  };
}

export function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(command, args, { env, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${label} failed (exit code ${result.status ?? result.signal}).`);
}

/** The production environment of the benchmark's server (fresh secrets, demo mode). */
export function serverEnvironment(base: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NEXT_DIST_DIR: DIST_DIR,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    GREENLIGHT_DEMO: "1",
    NEXTAUTH_URL: base,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
    GREENLIGHT_LEDGER_KEYS: `bench:${randomBytes(32).toString("base64")}`,
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  };
}

export const nextBin = () => createRequire(import.meta.url).resolve("next/dist/bin/next");

/**
 * Builds into .next-bench unless BENCH_SKIP_BUILD=1. `next build` adds its folder's type
 * globs to tsconfig.json and may point next-env.d.ts at it; the benchmark's build is a
 * throwaway, so both are put back as they were (tsconfig.json re-read just before writing,
 * so edits made meanwhile are kept). The folder gets a .gitignore of its own so its output
 * is never committed by accident. Holding the PGlite folder proves the build never opens
 * the database.
 */
export function buildUnlessSkipped(env: NodeJS.ProcessEnv) {
  if (process.env.BENCH_SKIP_BUILD === "1") {
    if (!existsSync(resolve(DIST_DIR, "BUILD_ID"))) throw new Error(`BENCH_SKIP_BUILD=1, but ${DIST_DIR} holds no build.`);
    console.log(`\n== Build: skipped, reusing ${DIST_DIR}`);
    return;
  }
  console.log(`\n== Build into ${DIST_DIR}`);
  const started = Date.now();
  const release = env.GREENLIGHT_DATA_DIR ? acquireFolderLock(env.GREENLIGHT_DATA_DIR) : () => {};
  const nextEnvFile = resolve("next-env.d.ts");
  const nextEnvBefore = existsSync(nextEnvFile) ? readFileSync(nextEnvFile, "utf8") : null;
  try {
    run("next build", process.execPath, [nextBin(), "build"], env);
  } finally {
    release();
    if (nextEnvBefore !== null && existsSync(nextEnvFile)) {
      const after = readFileSync(nextEnvFile, "utf8");
      if (after !== nextEnvBefore && after.includes(DIST_DIR)) writeFileSync(nextEnvFile, nextEnvBefore);
    }
    dropDistDirFromTsconfig();
    if (existsSync(resolve(DIST_DIR))) writeFileSync(resolve(DIST_DIR, ".gitignore"), "*\n");
  }
  console.log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
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

export async function checkPortFree(port: number) {
  if (await portInUse(port)) throw new Error(`Something already listens on ${LOOPBACK}:${port}; set BENCH_PORT to a free port.`);
}

/** `next start` on the loopback port, once /api/health answers 200. */
export async function startServer(port: number, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<ServerProcess> {
  const base = `http://${LOOPBACK}:${port}`;
  console.log(`\n== Server on ${base}`);
  const server = new ServerProcess(process.execPath, [...nodeArgs, nextBin(), "start", "-p", String(port), "-H", LOOPBACK], env);
  const startedAt = Date.now();
  await waitForHealthy(`${base}/api/health`, server);
  console.log(`Ready (health answered 200) after ${Date.now() - startedAt} ms.`);
  return server;
}

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { SourceMap } from "node:module";
import { dirname, resolve } from "node:path";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../lib/domain/demo";
import { LOOPBACK, markdownTable, processCpuMs, signIn, summarize, type ServerProcess } from "./helpers";
import { buildUnlessSkipped, checkPortFree, DIST_DIR, intEnv, prepareDatabase, run, serverEnvironment, startServer, type BenchDatabase } from "./setup";

// `npm run bench:profile`: where a page's server time goes. For each page, a fresh
// production server (the benchmark's build in .next-bench) runs under `node --cpu-prof`;
// the page is requested PROFILE_REQUESTS times one after another, and the script prints
// the server's CPU time per request (from /proc: other processes' load does not inflate
// it the way it inflates latency), the latency, and the profile's self time of that window
// by package and by function. The .cpuprofile files stay in .data/profiles (open them in
// Chrome DevTools' Performance panel, or speedscope).
//
//   PROFILE_PAGES      comma-separated paths under the sample rollout (default: executive,checklist)
//   PROFILE_REQUESTS   requests per page (default 300)
//   PROFILE_TOP        functions listed per page (default 25)
//   PROFILE_DIST_DIRS  comma-separated builds to compare, page by page, in turns (default
//                      .next-bench; e.g. a copy of an earlier build: `.next-bench-before,.next-bench`)
//   PROFILE_CPU_PROF=0 measure CPU time and latency only, without the profiler's overhead
//   PROFILE_ANALYZE=1  only print the tables again from the profiles kept in .data/profiles
//   BENCH_PORT, BENCH_SKIP_BUILD as for `npm run bench`

const SLUG = "iteration-5";
const OUT_DIR = resolve(".data/profiles");

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number }; children?: number[] };
type CpuProfile = { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

async function main() {
  const port = intEnv("BENCH_PORT", 3200, 1024, 65535);
  const requests = intEnv("PROFILE_REQUESTS", 300, 10, 100_000);
  const top = intEnv("PROFILE_TOP", 25, 5, 200);
  const pages = (process.env.PROFILE_PAGES ?? "executive,checklist").split(",").map((p) => p.trim()).filter(Boolean);
  const distDirs = (process.env.PROFILE_DIST_DIRS ?? DIST_DIR).split(",").map((d) => d.trim()).filter(Boolean);
  const profiling = process.env.PROFILE_CPU_PROF !== "0";
  const base = `http://${LOOPBACK}:${port}`;
  if (process.env.PROFILE_ANALYZE === "1") {
    for (const page of pages) for (const distDir of distDirs) analyze(profileName(page, distDirs, distDir), top);
    return;
  }
  await checkPortFree(port);
  const account = DEMO_ACCOUNTS.find((a) => a.roles.includes("EXECUTIVE"))!.email;

  let server: ServerProcess | undefined;
  let database: BenchDatabase | undefined;
  try {
    database = await prepareDatabase(serverEnvironment(base), "profile");
    console.log(`\n== Database: ${database.description} — reset and seed`);
    run("Resetting the profile database", "npx", ["tsx", "lib/db/cli.ts", "reset"], database.toolEnv);
    buildUnlessSkipped(database.toolEnv);
    mkdirSync(OUT_DIR, { recursive: true });

    const summary: string[][] = [];
    for (const page of pages) for (const distDir of distDirs) {
      const name = profileName(page, distDirs, distDir);
      for (const file of readdirSync(OUT_DIR)) if (file.startsWith(`${name}.`)) rmSync(resolve(OUT_DIR, file));
      const profilerArgs = profiling ? ["--cpu-prof", `--cpu-prof-dir=${OUT_DIR}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
      server = await startServer(port, { ...database.serverEnv, NEXT_DIST_DIR: distDir }, profilerArgs);
      const url = `${base}/r/${SLUG}/${page}`;
      const cookie = await signIn(base, account, DEMO_PASSWORD);
      for (let i = 0; i < 20; i++) await get(url, cookie); // warm-up: compile, caches
      const load = loadavg()[0].toFixed(1);
      const cpuBefore = processCpuMs(server.pid);
      const windowStart = Number(process.hrtime.bigint() / 1000n);
      const latencies: number[] = [];
      let fresh = cookie;
      let signedAt = Date.now();
      for (let i = 0; i < requests; i++) {
        // The proxy renews a session older than a minute on every request: sign in again before.
        if (Date.now() - signedAt > 40_000) {
          fresh = await signIn(base, account, DEMO_PASSWORD);
          signedAt = Date.now();
        }
        const started = performance.now();
        await get(url, fresh);
        latencies.push(performance.now() - started);
      }
      const windowEnd = Number(process.hrtime.bigint() / 1000n);
      const cpuAfter = processCpuMs(server.pid);
      await server.stop();
      server = undefined;
      const cpuPerRequest = cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / requests : NaN;
      const latency = summarize(latencies);
      const heading = `\n== /r/${SLUG}/${page} (${distDir}): ${requests} requests, load average ${load} → ${loadavg()[0].toFixed(1)}; CPU ${cpuPerRequest.toFixed(2)} ms/request (server process, /proc); p50 ${latency.p50.toFixed(1)} ms`;
      if (!profiling) {
        console.log(heading);
        summary.push([page, distDir, cpuPerRequest.toFixed(2), "–", latency.p50.toFixed(1), load]);
        continue;
      }
      const profile = JSON.parse(readFileSync(resolve(OUT_DIR, `${name}.cpuprofile`), "utf8")) as CpuProfile;
      const self = selfTimes(profile, windowStart, windowEnd);
      // The measured window, for a closer look at the profile later (same clock as its samples).
      writeFileSync(resolve(OUT_DIR, `${name}.window.json`), JSON.stringify({ fromUs: windowStart, toUs: windowEnd, requests, cpuMsPerRequest: cpuPerRequest }));
      console.log(`${heading}; profile window ${(self.windowMs / 1000).toFixed(1)} s, ${(self.busyMs / requests).toFixed(2)} ms sampled busy per request\n`);
      printShares("by package or app file (self time)", self.byArea, self.busyMs, requests, 20);
      printShares("by package or app file (inclusive: anywhere on the stack)", self.byAreaInclusive, self.busyMs, requests, 25);
      printShares("by function (self time)", self.byFunction, self.busyMs, requests, top);
      summary.push([page, distDir, cpuPerRequest.toFixed(2), (self.busyMs / requests).toFixed(2), latency.p50.toFixed(1), load]);
    }
    console.log("\n== Summary\n");
    console.log(markdownTable(["page", "build", "CPU ms/req (/proc)", "profile busy ms/req", "p50 ms", "load"], summary, [false, false, true, true, true, true]));
  } finally {
    await server?.stop();
    await database?.cleanup();
  }
}

function profileName(page: string, distDirs: string[], distDir: string): string {
  return `${page.replace(/[^a-z0-9]+/gi, "-")}${distDirs.length > 1 ? `.${distDir.replace(/[^a-z0-9]+/gi, "")}` : ""}`;
}

/** Prints the tables of a profile kept earlier, over its measured window. */
function analyze(name: string, top: number) {
  const profile = JSON.parse(readFileSync(resolve(OUT_DIR, `${name}.cpuprofile`), "utf8")) as CpuProfile;
  const window = JSON.parse(readFileSync(resolve(OUT_DIR, `${name}.window.json`), "utf8")) as { fromUs: number; toUs: number; requests: number; cpuMsPerRequest: number };
  const self = selfTimes(profile, window.fromUs, window.toUs);
  console.log(`\n== ${name}: ${window.requests} requests, CPU ${window.cpuMsPerRequest.toFixed(2)} ms/request; ${(self.busyMs / window.requests).toFixed(2)} ms sampled busy per request\n`);
  printShares("by package or app file (self time)", self.byArea, self.busyMs, window.requests, 20);
  printShares("by package or app file (inclusive: anywhere on the stack)", self.byAreaInclusive, self.busyMs, window.requests, 25);
  printShares("by function (self time)", self.byFunction, self.busyMs, window.requests, top);
}

async function get(url: string, cookie: string) {
  const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}.`);
}

/** Where a function lives: a package under node_modules, the app's own source, Node itself, or V8. */
function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return "node (core)";
  return areaOfPath(url.replace(/^file:\/\//, ""));
}

function areaOfPath(path: string): string {
  const at = path.lastIndexOf("node_modules/");
  if (at >= 0) {
    const inner = path.slice(at + "node_modules/".length);
    // Next ships React and other packages precompiled inside its own folder.
    const compiled = inner.match(/^next\/dist\/compiled\/((?:@[^/]+\/)?[^/]+)/);
    if (compiled) return `next (compiled ${compiled[1]})`;
    return inner.match(/^((?:@[^/]+\/)?[^/]+)/)?.[1] ?? inner;
  }
  if (path.includes(`/${DIST_DIR}`) || path.includes("/.next")) return "app bundle (unmapped)";
  // The app's own source, by top folder and file: lib/i18n/format.ts, components/...
  const own = path.match(/(?:^|\/)((?:app|lib|components|proxy\.ts|instrumentation\.ts)(?:\/.*)?)$/);
  return own ? `app: ${own[1]}` : path.split("/").slice(-2).join("/");
}

/**
 * The original source of a function in the app's bundle, from the build's source maps
 * (Node's own `SourceMap`): the bundle's chunks mix the app's files with the packages
 * they use, so a chunk's name says little. Null when there is no map.
 */
const sourceMaps = new Map<string, SourceMap | null>();
function originalPath(url: string, line: number, column: number): string | null {
  if (!url.startsWith("file://") || url.includes("/node_modules/")) return null;
  const file = url.slice("file://".length);
  let map = sourceMaps.get(file);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")));
    } catch {
      map = null;
    }
    sourceMaps.set(file, map);
  }
  const entry = map?.findEntry(line, column) as { originalSource?: string } | undefined;
  if (!entry?.originalSource) return null;
  return resolve(dirname(file), decodeURIComponent(entry.originalSource.replace(/^file:\/\//, "")));
}

function selfTimes(profile: CpuProfile, fromUs: number, toUs: number) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const areas = new Map<number, string>();
  const areaOfNode = (node: Node): string => {
    let area = areas.get(node.id);
    if (area === undefined) {
      const { functionName, url, lineNumber, columnNumber } = node.callFrame;
      const original = originalPath(url, lineNumber, columnNumber ?? 0);
      area = original ? areaOfPath(original) : areaOf(url, functionName);
      areas.set(node.id, area);
    }
    return area;
  };
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  const byAreaInclusive = new Map<string, number>();
  let at = profile.startTime;
  let busyMs = 0;
  let windowMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i];
    const next = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0;
    if (at < fromUs || at > toUs) continue;
    const ms = next / 1000;
    windowMs += ms;
    const node = nodes.get(profile.samples[i]);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") continue;
    busyMs += ms;
    const area = areaOfNode(node);
    const where = area.startsWith("app") || url.includes("node_modules") || !url ? area : `${area}:${lineNumber + 1}`;
    const key = `${functionName || "(anonymous)"} — ${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
    // Inclusive: the sample counts once for every area on its stack.
    const onStack = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parents.get(id)) onStack.add(areaOfNode(nodes.get(id)!));
    for (const name of onStack) byAreaInclusive.set(name, (byAreaInclusive.get(name) ?? 0) + ms);
  }
  return { byFunction, byArea, byAreaInclusive, busyMs, windowMs };
}

function printShares(title: string, shares: Map<string, number>, busyMs: number, requests: number, limit: number) {
  const rows = [...shares.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, ms]) => [name, ((ms / busyMs) * 100).toFixed(1), (ms / requests).toFixed(3)]);
  console.log(markdownTable([title, "% of busy", "ms/req"], rows, [false, true, true]) + "\n");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

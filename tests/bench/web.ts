import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadavg } from "node:os";
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { desktopConfig } from "lighthouse";
import { DEMO_PASSWORD } from "../../lib/domain/demo";
import { LOOPBACK, markdownTable, signIn, type ServerProcess } from "./helpers";
import { lighthouseTargets, targetsTable } from "./targets";
import { buildUnlessSkipped, checkPortFree, intEnv, prepareDatabase, run, serverEnvironment, startServer, type BenchDatabase } from "./setup";

// `npm run bench:web`: what the browser feels. Lighthouse (performance and accessibility,
// its default simulated throttling) on the executive dashboard, a checklist and the
// timeline of the sample rollout, desktop and mobile, signed in as the executive (the
// session cookie sent with every request), against the same production build and kind of
// database as `npm run bench`. Prints the median of BENCH_WEB_RUNS runs of each figure.
//
//   BENCH_WEB_RUNS     runs per page and form factor (default 5)
//   BENCH_PORT         loopback port of the server (default 3200)
//   BENCH_SKIP_BUILD=1 reuse the previous build in .next-bench
//   CHROMIUM_PATH      the browser (default: /usr/bin/chromium, as the browser tests use)
//   BENCH_WEB_PAGES    which pages, by label (default: executive,checklist,timeline)
//   BENCH_WEB_FORM_FACTORS  desktop,mobile (default: both)
//   BENCH_WEB_DETAILS=1 also print, per run, the scripts that took the main thread longest
//                      and the elements that shifted (the failing elements of accessibility
//                      audits are always printed)
//   BENCH_WEB_REPORTS  a folder to write each run's Lighthouse report to (JSON)

const SLUG = "iteration-5";
const PAGES = [
  { label: "executive", path: `/r/${SLUG}/executive` },
  { label: "checklist", path: `/r/${SLUG}/checklist` },
  { label: "timeline", path: `/r/${SLUG}/timeline` },
];
const FORM_FACTORS = ["desktop", "mobile"] as const;
// The flags the browser tests give Chromium (playwright.config.ts), headless.
const CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** A comma list from the environment, checked against the allowed values. */
function listEnv<T extends string>(name: string, allowed: readonly T[]): T[] {
  const raw = process.env[name]?.trim();
  if (!raw) return [...allowed];
  const wanted = raw.split(",").map((v) => v.trim());
  const unknown = wanted.filter((v) => !allowed.includes(v as T));
  if (unknown.length) throw new Error(`${name}: unknown ${unknown.join(", ")} (allowed: ${allowed.join(", ")}).`);
  return wanted as T[];
}

type AuditDetails = { items?: Record<string, unknown>[] };
/** What an audit's table lists, in one line each: an element's selector and markup, or a script's URL and time. */
function describeItems(details: unknown, limit: number): string[] {
  const items = (details as AuditDetails | undefined)?.items ?? [];
  return items.slice(0, limit).map((item) => {
    const node = (item.node ?? item) as { selector?: string; snippet?: string; nodeLabel?: string };
    if (node.snippet) return `${node.selector ?? ""} ${node.snippet}`.slice(0, 220);
    const url = typeof item.url === "string" ? item.url.replace(/^https?:\/\/[^/]+/, "") : "";
    const time = typeof item.total === "number" ? item.total : typeof item.duration === "number" ? item.duration : undefined;
    return `${url}${time !== undefined ? ` ${Math.round(time)} ms` : ""}`;
  });
}

type Run = { performance: number; accessibility: number; cls: number; tbt: number; lcp: number; failedAudits: string[] };

function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error("No Chromium found: set CHROMIUM_PATH.");
  return found;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main() {
  const port = intEnv("BENCH_PORT", 3200, 1024, 65535);
  const runs = intEnv("BENCH_WEB_RUNS", 5, 1, 15);
  const pages = listEnv("BENCH_WEB_PAGES", PAGES.map((p) => p.label)).map((label) => PAGES.find((p) => p.label === label)!);
  const formFactors = listEnv("BENCH_WEB_FORM_FACTORS", FORM_FACTORS);
  const details = process.env.BENCH_WEB_DETAILS === "1";
  const reports = process.env.BENCH_WEB_REPORTS?.trim();
  if (reports) mkdirSync(reports, { recursive: true });
  const base = `http://${LOOPBACK}:${port}`;
  await checkPortFree(port);

  let server: ServerProcess | undefined;
  let database: BenchDatabase | undefined;
  let chrome: chromeLauncher.LaunchedChrome | undefined;
  const shutdown = async () => {
    await chrome?.kill();
    await server?.stop();
    await database?.cleanup();
  };
  process.once("SIGINT", () => void shutdown().finally(() => process.exit(130)));
  process.once("exit", () => server?.killNow());
  try {
    database = await prepareDatabase(serverEnvironment(base), "bench-web");
    console.log(`\n== Database: ${database.description} — reset and seed`);
    run("Resetting the bench database", "npx", ["tsx", "lib/db/cli.ts", "reset"], database.toolEnv);
    buildUnlessSkipped(database.toolEnv);
    server = await startServer(port, database.serverEnv);
    chrome = await chromeLauncher.launch({ chromePath: chromiumPath(), chromeFlags: CHROME_FLAGS });
    const loadBefore = loadavg().map((l) => l.toFixed(1)).join(", ");

    const results: { page: string; label: string; formFactor: (typeof FORM_FACTORS)[number]; runs: Run[] }[] = [];
    let version = "";
    for (const page of pages) {
      for (const formFactor of formFactors) {
        const done: Run[] = [];
        let retries = 0;
        for (let i = 0; i < runs; i++) {
          // A fresh session for each run: the proxy would renew an older one on every request.
          const cookie = await signIn(base, "cto@greenlight.demo", DEMO_PASSWORD);
          const result = await lighthouse(
            `${base}${page.path}`,
            { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility"], extraHeaders: { cookie } },
            formFactor === "desktop" ? desktopConfig : undefined,
          );
          if (!result) throw new Error(`Lighthouse returned nothing for ${page.path}.`);
          const { lhr } = result;
          version = lhr.lighthouseVersion;
          if (lhr.runtimeError) {
            // Lighthouse sometimes loses the trace on a busy machine (NO_NAVSTART, NO_FCP):
            // that run measured nothing, so it is run again, up to twice per page.
            if (retries < 2 && /^NO_(NAVSTART|FCP)|TRACE/.test(lhr.runtimeError.code)) {
              retries++;
              console.log(`${page.label.padEnd(10)} ${formFactor.padEnd(7)} run ${i + 1}: ${lhr.runtimeError.code}, run again`);
              i--;
              continue;
            }
            throw new Error(`Lighthouse on ${page.path}: ${lhr.runtimeError.message}`);
          }
          if (!lhr.finalDisplayedUrl.endsWith(page.path)) throw new Error(`Lighthouse on ${page.path} ended on ${lhr.finalDisplayedUrl} (not signed in?).`);
          const run: Run = {
            performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
            accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
            cls: lhr.audits["cumulative-layout-shift"]?.numericValue ?? NaN,
            tbt: lhr.audits["total-blocking-time"]?.numericValue ?? NaN,
            lcp: lhr.audits["largest-contentful-paint"]?.numericValue ?? NaN,
            failedAudits: (lhr.categories.accessibility?.auditRefs ?? [])
              .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
              .map((ref) => ref.id),
          };
          done.push(run);
          console.log(`${page.label.padEnd(10)} ${formFactor.padEnd(7)} run ${i + 1}: performance ${run.performance}, accessibility ${run.accessibility}, CLS ${run.cls.toFixed(3)}, TBT ${run.tbt.toFixed(0)} ms, LCP ${run.lcp.toFixed(0)} ms`);
          for (const id of run.failedAudits) for (const line of describeItems(lhr.audits[id]?.details, 5)) console.log(`    ${id}: ${line}`);
          if (details) {
            for (const line of describeItems(lhr.audits["bootup-time"]?.details, 4)) console.log(`    main thread: ${line}`);
            for (const line of describeItems(lhr.audits["long-tasks"]?.details, 4)) console.log(`    long task: ${line}`);
            for (const line of describeItems(lhr.audits["layout-shifts"]?.details, 4)) console.log(`    layout shift: ${line}`);
          }
          if (reports) writeFileSync(join(reports, `${page.label}-${formFactor}-${i + 1}.json`), JSON.stringify(lhr));
        }
        results.push({ page: page.path, label: page.label, formFactor, runs: done });
      }
    }

    const header = ["page", "form factor", "performance", "(min–max)", "accessibility", "CLS", "TBT ms", "LCP ms", "accessibility audits failed"];
    const rows = results.map(({ page, formFactor, runs: r }) => {
      const perf = r.map((x) => x.performance);
      return [
        page,
        formFactor,
        String(median(perf)),
        `${Math.min(...perf)}–${Math.max(...perf)}`,
        String(median(r.map((x) => x.accessibility))),
        median(r.map((x) => x.cls)).toFixed(3),
        median(r.map((x) => x.tbt)).toFixed(0),
        median(r.map((x) => x.lcp)).toFixed(0),
        [...new Set(r.flatMap((x) => x.failedAudits))].join(", ") || "–",
      ];
    });
    console.log(
      `\n== Lighthouse ${version} — median of ${runs} runs; ${database.description}; load average ${loadBefore} → ${loadavg().map((l) => l.toFixed(1)).join(", ")}\n`,
    );
    console.log(markdownTable(header, rows, header.map((h) => !["page", "form factor", "accessibility audits failed"].includes(h))));
    const medians = results.map(({ label, formFactor, runs: r }) => ({
      page: label,
      formFactor,
      performance: median(r.map((x) => x.performance)),
      accessibility: median(r.map((x) => x.accessibility)),
      cls: median(r.map((x) => x.cls)),
    }));
    console.log(targetsTable(`Issue 11's Lighthouse targets (medians of ${runs} runs; pages: ${pages.map((p) => p.label).join(", ")}; the targets hold for all three)`, lighthouseTargets(medians)));
  } finally {
    await shutdown();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "@playwright/test";
import autocannon from "autocannon";
import pg from "pg";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../lib/domain/demo";
import { RoundRobinProxy } from "../support/http-proxy";
import { Cluster, freePort } from "./cluster";

// npm run test:reliability (issue 15): the portal run like production, on a Postgres
// cluster of the suite's own, and made to suffer.
//   a. two `next start` instances behind a round-robin proxy, under load (reads through
//      autocannon, writes — ticks and sign-off decisions through the API, each with an
//      Idempotency-Key and retried by the client as a pipeline would), while the Postgres
//      server is stopped for 10 s and started again;
//   b. an instance killed with SIGKILL in the middle of writes;
//   c. a backup taken under load, restored into a fresh database.
// Every expectation comes from the issue's rules: an acknowledged write is in the database,
// a decision is recorded once, both instances answer within 5 s of the database's return
// without a restart, readiness says why it is not ready, a refused write says "not saved,
// try again", a killed instance leaves nothing half-written (the ledger replay verifies),
// and a restore verifies with the same counts. It prints its figures and exits 1 on any failure.

const ROOT = process.cwd();
const DIST = ".next-e2e";
const SLUG = "iteration-5";
const OUTAGE_MS = 10_000;
const RECOVERY_LIMIT_S = 5;
const started = Date.now();
const failures: string[] = [];
const figures: [string, string | number][] = [];

const secs = (ms: number) => Math.round(ms / 100) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const elapsed = () => `${secs(Date.now() - started)}s`;

function step(text: string) {
  console.log(`\n== ${text} (${elapsed()})`);
}

function check(ok: boolean, text: string) {
  console.log(`${ok ? "  ok  " : "  FAIL"} ${text}`);
  if (!ok) failures.push(text);
}

function figure(name: string, value: string | number) {
  figures.push([name, value]);
}

// ---------------------------------------------------------------- the build

/** The newest modification time under the folders a build is made from. */
function newestSource(): number {
  let newest = 0;
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) walk(join(path, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of ["app", "components", "lib", "proxy.ts", "instrumentation.ts", "next.config.ts", "package-lock.json"]) walk(join(ROOT, path));
  return newest;
}

/** Reuses the browser tests' production build when it is newer than every source file, else builds it. */
function ensureBuild() {
  const marker = join(ROOT, DIST, "BUILD_ID");
  if (existsSync(marker) && statSync(marker).mtimeMs > newestSource()) {
    console.log(`  reusing the production build in ${DIST}`);
    return;
  }
  console.log(`  building into ${DIST} (no build, or sources newer than it)`);
  const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_DIST_DIR: DIST, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) throw new Error("next build failed");
}

// ---------------------------------------------------------------- instances

type Instance = { name: string; port: number; base: string; process: ChildProcess; output: string; log: string[] };

// RELIABILITY_LOG_DIR=folder keeps each instance's whole log and the page served during the outage there.
const LOG_DIR = process.env.RELIABILITY_LOG_DIR;

function keepFile(name: string, text: string) {
  if (!LOG_DIR) return;
  mkdirSync(LOG_DIR, { recursive: true });
  writeFileSync(join(LOG_DIR, name), text);
}

function startInstance(name: string, port: number, env: NodeJS.ProcessEnv): Instance {
  const child = spawn(process.execPath, [join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const instance: Instance = { name, port, base: `http://127.0.0.1:${port}`, process: child, output: "", log: [] };
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (chunk: Buffer) => {
      instance.output = (instance.output + chunk.toString()).slice(-6000);
      if (LOG_DIR) instance.log.push(chunk.toString());
    });
  }
  return instance;
}

async function waitForAnswer(url: string, timeoutMs: number, instance?: Instance): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (instance && instance.process.exitCode !== null) throw new Error(`${instance.name} exited with ${instance.process.exitCode}:\n${instance.output}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms${instance ? `:\n${instance.output}` : ""}`);
}

function killGroup(instance: Instance, signal: NodeJS.Signals) {
  try {
    process.kill(-instance.process.pid!, signal);
  } catch {
    // gone already
  }
}

/** Debian's Chromium (or CHROMIUM_PATH), else Playwright's own browser. */
function chromiumPath(): string | undefined {
  return [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => path && existsSync(path));
}

// ---------------------------------------------------------------- the API client

type WriteKind = "tick" | "decision" | "withdrawal";
type Write = { id: string; kind: WriteKind; target: string; acked: boolean; attempts: number; lastStatus: number | null; problem?: string };

class Load {
  requests = 0;
  stop = false;
  readonly writes: Write[] = [];
  readonly statuses = new Map<string, number>();
  /** The first answer of each failing status other than 503 (what a client had to make sense of). */
  readonly samples = new Map<number, string>();

  constructor(
    private readonly base: () => string,
    private readonly tokens: { items: string; decisions: string },
  ) {}

  private async call(token: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    this.requests++;
    try {
      const response = await fetch(`${this.base()}/api/v1/rollouts/${SLUG}${path}`, {
        method: init.method ?? "GET",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await response.text();
      const key = String(response.status);
      this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
      if (response.status >= 400 && response.status !== 503 && !this.samples.has(response.status)) this.samples.set(response.status, `${path} ${text.slice(0, 240)}`);
      return { status: response.status, etag: response.headers.get("etag"), text };
    } catch {
      this.statuses.set("network", (this.statuses.get("network") ?? 0) + 1);
      return { status: 0, etag: null, text: "" };
    }
  }

  /**
   * One write, retried with the same Idempotency-Key and body while the portal cannot
   * answer (network error, 5xx), as long as the load runs. Acknowledged = a 2xx answer.
   */
  private async write(kind: WriteKind, target: string, token: string, path: string, body: unknown, ifMatch?: string) {
    const write: Write = { id: `rel-${randomUUID()}`, kind, target, acked: false, attempts: 0, lastStatus: null };
    if (kind === "tick") (body as { evidence?: string; reason?: string })[(body as { state: string }).state === "DONE" ? "evidence" : "reason"] = write.id;
    if (kind === "decision") (body as { comment: string }).comment = write.id;
    this.writes.push(write);
    for (;;) {
      write.attempts++;
      const headers: Record<string, string> = { "idempotency-key": write.id };
      if (ifMatch) headers["if-match"] = ifMatch;
      const answer = await this.call(token, path, { method: "POST", body, headers });
      write.lastStatus = answer.status;
      if (answer.status >= 400) write.problem = answer.text.slice(0, 300);
      if (answer.status >= 200 && answer.status < 300) {
        write.acked = true;
        return answer;
      }
      if ((answer.status === 0 || answer.status >= 500) && !this.stop) {
        await sleep(250);
        continue;
      }
      return answer;
    }
  }

  /** Toggles one item DONE ⇄ NOT_APPLICABLE, each write carrying its id as evidence or reason. */
  async ticker(itemId: string) {
    let etag: string | null = null;
    let state = "OPEN";
    while (!this.stop) {
      if (!etag) {
        const current = await this.call(this.tokens.items, `/items/${itemId}`);
        if (current.status !== 200) {
          await sleep(250);
          continue;
        }
        etag = current.etag;
        state = (JSON.parse(current.text) as { state: string }).state;
      }
      const next = state === "DONE" ? "NOT_APPLICABLE" : "DONE";
      const answer = await this.write("tick", itemId, this.tokens.items, `/items/${itemId}/state`, { state: next }, etag!);
      if (answer.status === 200) {
        etag = answer.etag;
        state = next;
      } else etag = null; // stale or unknown: read it again
    }
  }

  /** Approves each sign-off (the write's id as the comment), then withdraws it, in turn. */
  async decider(signOffIds: string[]) {
    for (let i = 0; !this.stop; i++) {
      const id = signOffIds[i % signOffIds.length]!;
      const decided = await this.write("decision", id, this.tokens.decisions, `/sign-offs/${id}/decisions`, { value: "APPROVE" });
      if (decided.status === 201 || decided.status === 200) await this.write("withdrawal", id, this.tokens.decisions, `/sign-offs/${id}/withdrawal`, undefined);
    }
  }
}

// ---------------------------------------------------------------- checks on the database

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** How many ledger events carry each write's id (ticks: the new evidence or reason; decisions: the comment). */
async function eventsPerWrite(url: string): Promise<Map<string, number>> {
  const rows = await query<{ marker: string | null }>(
    url,
    `SELECT CASE
       WHEN e.action = 'item.state.changed' AND e.after->>'state' = 'DONE' THEN e.after->>'evidence'
       WHEN e.action = 'item.state.changed' AND e.after->>'state' = 'NOT_APPLICABLE' THEN e.after->>'notApplicableReason'
       WHEN e.action = 'signoff.approved' THEN e.after->>'comment' END AS marker
     FROM "AuditEvent" e JOIN "Rollout" r ON r.id = e."rolloutId" WHERE r.slug = $1`,
    [SLUG],
  );
  const counts = new Map<string, number>();
  for (const { marker } of rows) if (marker?.startsWith("rel-")) counts.set(marker, (counts.get(marker) ?? 0) + 1);
  return counts;
}

async function tally(url: string, writes: Write[]) {
  const events = await eventsPerWrite(url);
  const marked = writes.filter((w) => w.kind !== "withdrawal");
  // A decision answered 200 is a repeat (the approval already stood): acknowledged, nothing new recorded.
  const acked = marked.filter((w) => w.acked && !(w.kind === "decision" && w.lastStatus === 200));
  const lost = acked.filter((w) => !events.has(w.id));
  const duplicated = [...events.values()].filter((n) => n > 1).length;
  const unknownCommitted = marked.filter((w) => !w.acked && events.has(w.id)).length;
  return { attempted: writes.length, acked: writes.filter((w) => w.acked).length, ackedMarked: acked.length, lost, duplicated, unknownCommitted, events };
}

function runCli(args: string[], env: NodeJS.ProcessEnv): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), ...args], { env, encoding: "utf8", cwd: ROOT });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`.trim() };
}

/** As runCli, without blocking this process: its writers go on meanwhile. */
function runCliAsync(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), ...args], { env, cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (status) => resolve({ status, output: output.trim() }));
  });
}

// ---------------------------------------------------------------- the run

async function main() {
  step("build");
  ensureBuild();

  step("a Postgres cluster of the suite's own");
  const cluster = await Cluster.create();
  let instances: Instance[] = [];
  let proxy: RoundRobinProxy | undefined;
  let browser: Browser | undefined;
  let browserContext: Awaited<ReturnType<Browser["newContext"]>> | undefined;
  const backupFile = join(cluster.dir, "under-load.backup");
  try {
    cluster.start();
    console.log(`  ${cluster.data} on port ${cluster.port}`);
    await query(cluster.url("postgres"), `CREATE DATABASE greenlight`);
    await query(cluster.url("postgres"), `CREATE DATABASE restored`);
    const url = cluster.url("greenlight");
    const ledgerKeys = `reliability:${randomBytes(32).toString("base64")}`;
    const cliEnv = { ...process.env, NODE_ENV: "production" as const, DATABASE_URL: url, GREENLIGHT_LEDGER_KEYS: ledgerKeys, NEXT_TELEMETRY_DISABLED: "1" };
    const reset = runCli(["lib/db/cli.ts", "reset"], cliEnv);
    if (reset.status !== 0) throw new Error(`db:reset failed:\n${reset.output}`);

    // API tokens, as the account page makes them (only the SHA-256 is stored).
    const accountId = async (role: string) => {
      const email = DEMO_ACCOUNTS.find((a) => (a.roles as string[]).includes(role))!.email;
      return (await query<{ id: string }>(url, `SELECT id FROM "User" WHERE email = $1`, [email]))[0]!.id;
    };
    const makeToken = async (role: string, scopes: string[]) => {
      const token = `glpat_${randomBytes(32).toString("base64url")}`;
      await query(
        url,
        `INSERT INTO "ApiToken" (id, kind, "userId", name, prefix, "tokenHash", scopes, "expiresAt") VALUES ($1, 'PERSONAL', $2, 'reliability', $3, $4, $5, now() + interval '1 day')`,
        [randomUUID(), await accountId(role), token.slice(0, 10), createHash("sha256").update(token).digest("hex"), scopes],
      );
      return token;
    };
    const tokens = { items: await makeToken("DEV_LEAD", ["items:write", "read"]), decisions: await makeToken("SECURITY_OFFICER", ["signoffs:decide"]) };
    const items = await query<{ id: string }>(
      url,
      `SELECT i.id FROM "ChecklistItem" i JOIN "Rollout" r ON r.id = i."rolloutId" LEFT JOIN "Phase" p ON p.id = i."phaseId"
       WHERE r.slug = $1 AND i."ownerRole" = 'DEV_LEAD' AND i."signOffId" IS NULL AND (p.id IS NULL OR p.status = 'IN_PROGRESS') ORDER BY i.id LIMIT 6`,
      [SLUG],
    );
    const signOffs = await query<{ id: string }>(
      url,
      `SELECT s.id FROM "SignOff" s JOIN "Rollout" r ON r.id = s."rolloutId" JOIN "Phase" p ON p.id = s."phaseId"
       WHERE r.slug = $1 AND s."requiredRoles" = ARRAY['SECURITY_OFFICER']::"Role"[] AND p.status = 'IN_PROGRESS' ORDER BY s.position`,
      [SLUG],
    );
    if (items.length < 3 || signOffs.length < 3) throw new Error(`The sample plan changed: ${items.length} items and ${signOffs.length} sign-offs to write to.`);

    step("two instances behind a round-robin proxy");
    const ports = [await freePort(), await freePort()];
    proxy = new RoundRobinProxy(ports.map((port) => ({ host: "127.0.0.1", port })));
    const proxyPort = await proxy.listen();
    const base = `http://127.0.0.1:${proxyPort}`;
    const metricsToken = randomBytes(24).toString("hex");
    const env: NodeJS.ProcessEnv = {
      ...cliEnv,
      NEXT_DIST_DIR: DIST,
      NEXTAUTH_URL: base,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      METRICS_TOKEN: metricsToken,
      GREENLIGHT_TRUSTED_PROXIES: "1",
      GREENLIGHT_API_RATE_PER_MINUTE: "100000",
      DATABASE_CONNECT_TIMEOUT_MS: "2000",
      GREENLIGHT_DEMO: "1",
      LOG_LEVEL: "warn",
    };
    instances = ports.map((port, i) => startInstance(`instance ${i + 1}`, port, env));
    await Promise.all(instances.map((instance) => waitForAnswer(`${instance.base}/api/health`, 60_000, instance)));
    console.log(`  ${instances.map((i) => `${i.name} on ${i.port}`).join(", ")}; proxy on ${proxyPort}`);

    // A person signed in (next-auth's own endpoints, through the proxy), for the page check.
    const jar: string[] = [];
    const keep = (response: Response) => {
      for (const cookie of response.headers.getSetCookie()) {
        const pair = cookie.split(";")[0]!;
        const name = pair.split("=")[0];
        const existing = jar.findIndex((c) => c.startsWith(`${name}=`));
        if (existing >= 0) jar.splice(existing, 1);
        jar.push(pair);
      }
    };
    const csrf = await fetch(`${base}/api/auth/csrf`);
    keep(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const email = DEMO_ACCOUNTS.find((a) => (a.roles as string[]).includes("DEV_LEAD"))!.email;
    const signIn = await fetch(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
      body: new URLSearchParams({ csrfToken, email, password: DEMO_PASSWORD, json: "true" }),
      redirect: "manual",
    });
    keep(signIn);
    const page = await fetch(`${base}/r/${SLUG}/checklist`, { headers: { cookie: jar.join("; ") }, redirect: "manual" });
    check(page.status === 200, `a signed-in person loads the checklist through the proxy (${page.status})`);
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu"] });
    await browser.newContext().then(async (context) => {
      await context.addCookies(jar.map((pair) => ({ name: pair.split("=")[0]!, value: pair.slice(pair.indexOf("=") + 1), url: base })));
      browserContext = context;
    });

    // ------------------------------------------------------------ a. the outage
    step("a. load, and the database server stopped for 10 s");
    const load = new Load(() => base, tokens);
    const workers = [...items.map((item) => load.ticker(item.id)), load.decider(signOffs.map((s) => s.id))];
    const reads = autocannon({
      url: `${base}/api/v1/rollouts/${SLUG}/items?limit=50`,
      headers: { authorization: `Bearer ${tokens.items}` },
      connections: 4,
      overallRate: 40,
      duration: 60,
      timeout: 10,
    });
    await sleep(4000);

    cluster.stop();
    const downAt = Date.now();
    console.log(`  Postgres stopped at ${elapsed()}`);
    await sleep(1500);
    // Readiness says why, on each instance.
    for (const instance of instances) {
      const health = await fetch(`${instance.base}/api/health`).catch(() => null);
      const body = health ? ((await health.json().catch(() => null)) as { status?: string; checks?: { database?: { status?: string; error?: string } } } | null) : null;
      const reason = body?.checks?.database?.error ?? "";
      check(health?.status === 503 && /database unreachable|timed out/.test(reason), `${instance.name}: readiness 503 "not ready" with the reason while the database is away (${health?.status}: ${reason.slice(0, 90)})`);
    }
    // A write is refused with "not saved, try again", in words, with a request id.
    const refused = await fetch(`${base}/api/v1/rollouts/${SLUG}/sign-offs/${signOffs[0]!.id}/decisions`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.decisions}`, "content-type": "application/json" },
      body: JSON.stringify({ value: "APPROVE" }),
    });
    const problem = (await refused.json().catch(() => ({}))) as { detail?: string; code?: string };
    check(
      refused.status === 503 && /^Not saved: the database is unavailable\. Try again in a moment\. \(Request [0-9a-f-]{36}\)$/.test(problem.detail ?? ""),
      `an API write during the outage: 503 "${problem.detail}"`,
    );
    // A page opened during the outage, in a real browser: the error explained with a way to
    // retry, not a blank page. (Its HTML is Next's shell with the error for the client's
    // boundary to show: only a browser tells what a person sees.)
    const tab = await browserContext!.newPage();
    const outagePage = await tab.goto(`${base}/r/${SLUG}/checklist`).catch(() => null);
    const heading = await tab
      .getByRole("heading", { name: /could not load/ })
      .first()
      .textContent({ timeout: 10_000 })
      .catch(() => null);
    const text = (await tab.locator("body").innerText().catch(() => "")).replace(/\s+/g, " ");
    keepFile("outage-page.txt", text);
    await tab.screenshot({ path: join(LOG_DIR ?? cluster.dir, "outage-page.png") }).catch(() => {});
    check(
      heading !== null && /passing problem/.test(text) && /Try again/.test(text),
      `a page opened during the outage (HTTP ${outagePage?.status()}) shows "${heading}", "a passing problem… nothing you already saved is lost" and "Try again"`,
    );
    await tab.close();
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    cluster.start();
    const upAt = Date.now();
    console.log(`  Postgres started again at ${elapsed()} (down ${secs(upAt - downAt)} s)`);
    const recovery = await Promise.all(
      instances.map(async (instance) => {
        // Ready, and serving a real read of the database (with the token's lookup), straight to the instance.
        await waitForAnswer(`${instance.base}/api/health`, 30_000, instance).catch(() => {});
        const until = Date.now() + 30_000;
        while (Date.now() < until) {
          const read = await fetch(`${instance.base}/api/v1/rollouts/${SLUG}/items?limit=1`, { headers: { authorization: `Bearer ${tokens.items}` } }).catch(() => null);
          if (read?.ok) break;
          await sleep(100);
        }
        return (Date.now() - upAt) / 1000;
      }),
    );
    instances.forEach((instance, i) => {
      figure(`recovery s, ${instance.name}`, Math.round(recovery[i]! * 100) / 100);
      check(recovery[i]! <= RECOVERY_LIMIT_S, `${instance.name} ready and answering an API read ${recovery[i]!.toFixed(2)} s after the database's return (limit ${RECOVERY_LIMIT_S} s), without a restart`);
    });
    await sleep(5000);
    load.stop = true;
    reads.stop();
    await Promise.all(workers);
    const readResult = await reads;
    const a = await tally(url, load.writes);
    figure("a. read requests (autocannon)", readResult.requests.total);
    figure("a. read non-2xx (during the outage)", readResult.non2xx + readResult.errors);
    figure("a. API requests of the writers", load.requests);
    figure("a. writes attempted", a.attempted);
    figure("a. writes acknowledged", a.acked);
    figure("a. lost", a.lost.length);
    figure("a. duplicated", a.duplicated);
    figure("a. committed, client not told", a.unknownCommitted);
    figure("a. answers by status", [...load.statuses].map(([s, n]) => `${s}:${n}`).join(" "));
    figure("a. requests served by each instance", proxy.served.join(" / "));
    for (const [status, sample] of load.samples) console.log(`  a. first ${status} answer: ${sample}`);
    check(a.ackedMarked > 0 && load.writes.some((w) => w.kind === "decision" && w.acked), `writes were acknowledged (${a.acked}, decisions among them)`);
    check(a.lost.length === 0, `every acknowledged write is in the database (${a.lost.length} lost${a.lost.length ? `: ${a.lost.slice(0, 3).map((w) => w.id).join(", ")}` : ""})`);
    check(a.duplicated === 0, `no write recorded twice (${a.duplicated} duplicated)`);
    const doubled = await query<{ n: string }>(url, `SELECT count(*) AS n FROM (SELECT 1 FROM "SignOffDecision" GROUP BY "signOffId", "userId" HAVING count(*) > 1) d`);
    check(Number(doubled[0]!.n) === 0, "one decision per person per sign-off");
    check(
      proxy.served.every((n) => n > 0),
      `both instances served requests (${proxy.served.join(" / ")})`,
    );

    // ------------------------------------------------------------ b. SIGKILL mid-write
    step("b. an instance killed with SIGKILL in the middle of writes");
    const victim = instances[1]!;
    const killLoad = new Load(() => victim.base, tokens);
    const killWorkers = [...items.map((item) => killLoad.ticker(item.id)), killLoad.decider(signOffs.map((s) => s.id))];
    await sleep(3000);
    const inFlightBefore = killLoad.requests;
    killGroup(victim, "SIGKILL");
    killLoad.stop = true;
    await Promise.all(killWorkers);
    const b = await tally(url, killLoad.writes);
    figure("b. writes attempted before the kill", b.attempted);
    figure("b. writes acknowledged", b.acked);
    figure("b. writes cut by the kill (no answer)", killLoad.writes.filter((w) => !w.acked).length);
    figure("b. lost", b.lost.length);
    check(inFlightBefore > 0 && b.acked > 0, `writes were going on when the instance was killed (${b.acked} acknowledged)`);
    check(b.lost.length === 0 && b.duplicated === 0, `after the kill: ${b.lost.length} lost, ${b.duplicated} duplicated`);
    // Each write is one transaction with its ledger event: the replay of the ledger against the
    // state tables (every item's state, every sign-off's standing decisions) finds nothing half-written.
    const verify = runCli(["lib/cli/ledger.ts", "verify"], cliEnv);
    check(verify.status === 0, `the ledger verifies after the kill (npm run ledger:verify: exit ${verify.status}${verify.status ? `\n${verify.output.slice(-1500)}` : ""})`);
    const orphans = await query<{ n: string }>(
      url,
      `SELECT count(*) AS n FROM "ChecklistItem" i WHERE i.version > 1 AND NOT EXISTS (
         SELECT 1 FROM "AuditEvent" e WHERE e."targetId" = i.id AND e.action = 'item.state.changed' AND (e.after->>'version')::int = i.version)`,
    );
    check(Number(orphans[0]!.n) === 0, `every item's current version has its ledger event (${orphans[0]!.n} without)`);
    await waitForAnswer(`${instances[0]!.base}/api/health`, 10_000);
    check(true, `${instances[0]!.name} kept answering`);

    // ------------------------------------------------------------ c. backup under load
    step("c. a backup under load, restored into a fresh database");
    const backupLoad = new Load(() => instances[0]!.base, tokens);
    const backupWorkers = [...items.map((item) => backupLoad.ticker(item.id)), backupLoad.decider(signOffs.map((s) => s.id))];
    // Until the writers are going, then the backup (a child process: this one keeps writing meanwhile).
    for (let waited = 0; waited < 15_000 && !backupLoad.writes.some((w) => w.acked); waited += 100) await sleep(100);
    const requestsBefore = backupLoad.requests;
    const ackedBefore = backupLoad.writes.filter((w) => w.acked).length;
    const backupStarted = Date.now();
    const backup = await runCliAsync(["lib/db/cli.ts", "backup", backupFile], cliEnv);
    figure("c. backup seconds", secs(Date.now() - backupStarted));
    const requestsDuringBackup = backupLoad.requests - requestsBefore;
    const ackedDuringBackup = backupLoad.writes.filter((w) => w.acked).length - ackedBefore;
    await sleep(1000);
    backupLoad.stop = true;
    await Promise.all(backupWorkers);
    check(backup.status === 0, `db:backup under load (exit ${backup.status}${backup.status ? `: ${backup.output.slice(-800)}` : ""})`);
    figure("c. API requests / writes acknowledged while the backup ran", `${requestsDuringBackup} / ${ackedDuringBackup}`);
    check(requestsDuringBackup > 0, `the writers kept going while the backup ran (${requestsDuringBackup} requests, ${ackedDuringBackup} writes acknowledged)`);
    const restore = runCli(["lib/db/cli.ts", "restore", backupFile], { ...cliEnv, DATABASE_URL: cluster.url("restored") });
    check(restore.status === 0 && /ledger verifies/.test(restore.output), `db:restore into a fresh database verifies the ledger and the counts (exit ${restore.status}: ${restore.output.split("\n").slice(-2).join(" ")})`);
    // The counts, independently: the file's header against the restored tables.
    const header = JSON.parse(readFileSync(backupFile).toString("utf8").split("\n")[1]!) as { counts: Record<string, number> };
    const compared = ["AuditEvent", "ChecklistItem", "SignOffDecision", "IdempotencyKey", "User"];
    for (const table of compared) {
      const [row] = await query<{ n: string }>(cluster.url("restored"), `SELECT count(*) AS n FROM "${table}"`);
      check(Number(row!.n) === header.counts[table], `restored ${table}: ${row!.n} rows, the backup's header says ${header.counts[table]}`);
    }
    figure("c. ledger events in the backup", header.counts.AuditEvent ?? 0);
  } finally {
    step("clean up");
    for (const instance of instances) killGroup(instance, "SIGKILL");
    for (const instance of instances) keepFile(`${instance.name.replace(" ", "-")}.log`, instance.log.join(""));
    if (failures.length) for (const instance of instances) console.log(`--- ${instance.name} output (tail):\n${instance.output.slice(-3000)}`);
    await browser?.close().catch(() => {});
    await proxy?.close();
    rmSync(backupFile, { force: true });
    cluster.remove();
  }
}

main()
  .catch((error: unknown) => {
    failures.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
    console.error(error);
  })
  .finally(() => {
    console.log("\n== figures");
    for (const [name, value] of figures) console.log(`  ${name.padEnd(44)} ${value}`);
    console.log(`  ${"total time s".padEnd(44)} ${secs(Date.now() - started)}`);
    if (failures.length) {
      console.log(`\n${failures.length} check(s) failed:\n- ${failures.join("\n- ")}`);
      process.exit(1);
    }
    console.log("\nreliability suite: every check passed");
    process.exit(0);
  });

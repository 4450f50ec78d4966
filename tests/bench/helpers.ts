import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";

// Small pieces of the dashboard benchmark: loopback checks, the server process, signing
// in through next-auth's endpoints, and the statistics printed at the end.

export const LOOPBACK = "127.0.0.1";
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase());
}

/** Whether something already listens on the loopback port (the benchmark then refuses to start). */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: LOOPBACK, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A `next start` process (a single process: it forks no workers), its output kept for
 * error reports. It shares the benchmark's process group, so an interrupt from the
 * terminal reaches both.
 */
export class ServerProcess {
  private readonly child: ChildProcess;
  private readonly output: string[] = [];
  private exited: Promise<void>;

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
    };
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => this.child.once("exit", () => resolve()));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  recentOutput(lines = 40): string {
    return this.output.slice(-lines).join("\n");
  }

  /** SIGTERM, then SIGKILL after `graceMs` if it is still there. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGTERM");
    const timedOut = await Promise.race([this.exited.then(() => false), sleep(graceMs).then(() => true)]);
    if (timedOut) {
      this.child.kill("SIGKILL");
      await Promise.race([this.exited, sleep(2_000)]);
    }
  }

  /** Last resort from a synchronous exit handler. */
  killNow(): void {
    if (this.running) this.child.kill("SIGKILL");
  }
}

/** Polls `url` until it answers 200, the server exits, or `timeoutMs` passes. */
export async function waitForHealthy(url: string, server: ServerProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (!server.running) throw new Error(`The server exited before it was ready:\n${server.recentOutput()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs / 1000} s (last: ${last}).\n${server.recentOutput()}`);
}

function cookiePairs(response: Response): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(";");
    const eq = pair.indexOf("=");
    if (eq > 0) pairs.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return pairs;
}

export const SESSION_COOKIE = "next-auth.session-token";

/**
 * Signs in through next-auth's credentials endpoints (CSRF token, then the callback) and
 * returns the Cookie header a browser would send afterwards. Checks the session's email.
 */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  if (!csrf.ok) throw new Error(`GET /api/auth/csrf answered ${csrf.status}.`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiePairs(csrf);
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

  const callback = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(), origin: base },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  for (const [name, value] of cookiePairs(callback)) jar.set(name, value);
  if (callback.status >= 400 || !jar.has(SESSION_COOKIE)) {
    throw new Error(`Signing in ${email} failed (HTTP ${callback.status}, no session cookie).`);
  }
  const cookie = `${SESSION_COOKIE}=${jar.get(SESSION_COOKIE)}`;
  const session = await fetch(`${base}/api/auth/session`, { headers: { cookie } });
  const body = (await session.json()) as { user?: { email?: string } } | null;
  if (body?.user?.email !== email) throw new Error(`After signing in, the session does not belong to ${email}.`);
  return cookie;
}

export type LatencySummary = { count: number; mean: number; p50: number; p90: number; p99: number; max: number };

/** Mean and nearest-rank percentiles of latencies in milliseconds. */
export function summarize(samples: number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, mean: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { count: sorted.length, mean, p50: rank(50), p90: rank(90), p99: rank(99), max: sorted[sorted.length - 1] };
}

/** A Markdown table with padded columns (numbers right-aligned), readable as plain text too. */
export function markdownTable(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const pad = (cells: string[]) =>
    `| ${cells.map((cell, i) => (rightAligned[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (rightAligned[i] ? `${"-".repeat(w + 1)}:` : `:${"-".repeat(w + 1)}`)).join("|")}|`;
  return [pad(header), rule, ...rows.map(pad)].join("\n");
}

/**
 * CPU time (user + system, milliseconds) a process has used so far, from /proc (Linux;
 * null elsewhere). Read around a window of requests, it gives the server's CPU time per
 * request, which other processes' load does not inflate the way it inflates latency.
 * /proc counts in clock ticks (100 per second on Linux): precise over many requests.
 */
export function processCpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces; fields are counted after its ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
    return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Linux's USER_HZ: 100 on every mainstream architecture (what `getconf CLK_TCK` prints). */
const CLOCK_TICKS_PER_SECOND = 100;

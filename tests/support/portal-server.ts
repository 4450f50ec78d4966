import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import pg from "pg";

// For specs that run the portal's production build themselves (tests/e2e/live.spec.ts,
// outage.spec.ts): a database of their own on the Postgres server DATABASE_URL names (else
// the local one on 127.0.0.1:5432), a free port, `next start` with its output kept for the
// failure message, and a wait until it answers.

export const PG_SERVER_URL = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");

/** The address of `database` on the Postgres server; with `port`, reached on 127.0.0.1 at that port (a proxy). */
export function urlFor(database: string, port?: number): string {
  const url = new URL(PG_SERVER_URL);
  url.pathname = `/${database}`;
  if (port !== undefined) {
    url.hostname = "127.0.0.1";
    url.port = String(port);
  }
  return url.toString();
}

/** Runs one statement on the server's `postgres` database (CREATE / DROP DATABASE). */
export async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlFor("postgres") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A TCP port nobody listens on right now (the system picks it). */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Migrates and seeds the database `env.DATABASE_URL` names afresh (the project's own db:reset). */
export function resetDatabase(env: NodeJS.ProcessEnv): void {
  const reset = spawnSync("npx", ["tsx", "lib/db/cli.ts", "reset"], { env, stdio: "pipe", encoding: "utf8" });
  if (reset.status !== 0) throw new Error(`db:reset failed:\n${reset.stdout}\n${reset.stderr}`);
}

/** A running `next start`: its address, its process, and the tail of its output. */
export type Portal = { base: string; server: ChildProcess; output: string };

/** Starts `next start` on 127.0.0.1:`port` with `env` (NEXTAUTH_URL set to its own address). */
export function startPortal(env: NodeJS.ProcessEnv, port: number): Portal {
  const base = `http://127.0.0.1:${port}`;
  const server = spawn("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...env, NEXTAUTH_URL: base },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const portal: Portal = { base, server, output: "" };
  // The server logs each failure with its request id; the tail of its output explains a failed start.
  for (const stream of [server.stdout, server.stderr]) stream?.on("data", (chunk: Buffer) => (portal.output = (portal.output + chunk.toString()).slice(-4000)));
  return portal;
}

/** Waits until the portal's liveness probe answers; fails at once if it exited, or after `timeoutMs`. */
export async function waitForServer(portal: Portal, timeoutMs: number): Promise<void> {
  const url = `${portal.base}/api/health?probe=live`;
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (portal.server.exitCode !== null) throw new Error(`The portal exited with ${portal.server.exitCode}:\n${portal.output}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms.`);
}

/** Ends the portal's process group (npx and the server under it). */
export function stopPortal(portal: Portal | undefined): void {
  if (!portal?.server.pid) return;
  try {
    process.kill(-portal.server.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

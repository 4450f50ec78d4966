import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";

// Graceful shutdown, in a process of its own with the portal's hooks (SIGTERM is real):
// readiness says no first, the server then stops accepting, the requests in flight finish
// (or are cut at the limit), the database is closed, and the process exits.

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

type Server = { child: ChildProcess; base: string; lines: () => { msg: string; [key: string]: unknown }[]; exited: Promise<number | null> };

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/shutdown-server.ts"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LOG_LEVEL: "info", ...env },
  });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /listening (\d+)/.exec(out);
      if (match) {
        clearInterval(timer);
        resolve(match[1]!);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`server exited with ${code}: ${out}`));
    });
  });
  const lines = () =>
    out
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { msg: string });
  return { child, base: `http://127.0.0.1:${port}`, lines, exited };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe("SIGTERM", () => {
  it("turns readiness to 503 first, stops accepting, finishes the requests in flight, closes the database, exits 0", async () => {
    const server = await startServer({ SHUTDOWN_DRAIN_MS: "600", SHUTDOWN_TIMEOUT_MS: "10000" });
    expect((await fetch(`${server.base}/ready`)).status).toBe(200);
    const slow = fetch(`${server.base}/slow?ms=1500`).then(async (response) => ({ status: response.status, body: await response.text() }));
    await until(() => server.lines().some((line) => line.msg === "slow request arrived"));
    server.child.kill("SIGTERM");
    await until(() => server.lines().some((line) => line.msg === "shutdown: not ready"));

    // During the drain: still served, but not ready, and told to close the connection.
    const ready = await fetch(`${server.base}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "unavailable", reason: "shutting down (SIGTERM)" });
    expect(ready.headers.get("connection")).toBe("close");

    // After the drain: no new connections.
    await until(() => server.lines().some((line) => line.msg === "shutdown: stopped accepting"));
    await expect(fetch(`${server.base}/ready`)).rejects.toThrow();

    // The request that was in flight is answered in full.
    expect(await slow).toEqual({ status: 200, body: "done" });
    expect(await server.exited).toBe(0);
    const steps = server.lines().map((line) => line.msg).filter((msg) => msg.startsWith("shutdown") || msg.includes("database") || msg.includes("previous"));
    expect(steps).toEqual(["shutdown: not ready", "shutdown: stopped accepting", "shutdown: requests in flight finished", "test database closed", "shutdown: database closed", "shutdown: done"]);
  }, 60_000);

  it("cuts what is still in flight at the limit, still closes the database, and exits 1", async () => {
    const server = await startServer({ SHUTDOWN_DRAIN_MS: "0", SHUTDOWN_TIMEOUT_MS: "700" });
    const hung = fetch(`${server.base}/slow?ms=60000`).then(
      (response) => response.status,
      () => "cut",
    );
    await until(() => server.lines().some((line) => line.msg === "slow request arrived"));
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(1);
    expect(await hung).toBe("cut");
    const cut = server.lines().find((line) => line.msg === "shutdown: requests still in flight at the limit were cut");
    expect(cut).toMatchObject({ cut: 1, timeoutMs: 700 });
    expect(server.lines().map((line) => line.msg)).toContain("test database closed");
  }, 60_000);

  it("refuses a malformed limit at start, naming it", async () => {
    await expect(startServer({ SHUTDOWN_TIMEOUT_MS: "ten seconds" })).rejects.toThrow(/SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds from 0 to 600000 \(got "ten seconds"\)/);
  }, 60_000);
});

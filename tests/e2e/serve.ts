import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { resolve } from "node:path";
import pg from "pg";
import { acquireFolderLock } from "../../lib/db/lock";
import { E2E_METRICS_TOKEN, serverLogPath } from "./operations-env";
import { SSO_CLIENT_ID, SSO_CLIENT_SECRET, SSO_ISSUER, SSO_NAME, SSO_ROLE_MAP } from "./oidc-provider";

// Serves the portal for the browser tests on a database of their own, freshly reset
// and seeded: a PGlite folder under .data/e2e by default, or — when DATABASE_URL is
// set — a database named after it with an "_e2e" suffix on the same server, so the
// database DATABASE_URL names is never touched. Company SSO points at the test OpenID
// provider (tests/e2e/oidc-provider.ts), which Playwright starts beside the portal.

const port = process.env.E2E_PORT ?? "3100";
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NEXT_DIST_DIR: ".next-e2e",
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  GREENLIGHT_DEMO: "1",
  NEXTAUTH_URL: `http://127.0.0.1:${port}`,
  NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
  NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  GREENLIGHT_LEDGER_KEYS: `e2e:${randomBytes(32).toString("base64")}`,
  OIDC_ISSUER: SSO_ISSUER,
  OIDC_CLIENT_ID: SSO_CLIENT_ID,
  OIDC_CLIENT_SECRET: SSO_CLIENT_SECRET,
  OIDC_NAME: SSO_NAME,
  OIDC_ROLE_MAP: SSO_ROLE_MAP,
  METRICS_TOKEN: E2E_METRICS_TOKEN,
  // Webhooks go to a receiver the test runs on this machine, and are sent soon.
  GREENLIGHT_WEBHOOKS_ALLOW_PRIVATE: "1",
  WEBHOOK_POLL_MS: "200",
  // No reminders: the sample's items are due around its anchor date, and reminders arriving
  // mid-run would move the bell counts the specs read (reminders are tested in
  // tests/integration/notification-email.test.ts, the scheduler in separate processes).
  GREENLIGHT_SCHEDULER: "0",
};

async function main() {
  if (process.env.DATABASE_URL) {
    const base = new URL(process.env.DATABASE_URL);
    const name = `${base.pathname.slice(1)}_e2e`;
    const admin = new URL(base);
    admin.pathname = "/postgres";
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
    await client.end();
    base.pathname = `/${name}`;
    env.DATABASE_URL = base.toString();
  } else {
    env.GREENLIGHT_DATA_DIR = resolve(".data/e2e");
  }
  run("npx", ["tsx", "lib/db/cli.ts", "reset"]);
  // The plan editor's spec works on an empty rollout of its own.
  run("npx", ["tsx", "tests/e2e/plan-editor-setup.ts"]);
  // The "what users saw" spec overrides a gate on a copy of the sample of its own.
  run("npx", ["tsx", "tests/e2e/ux-setup.ts"]);
  // The build runs while this process holds the PGlite folder: if `next build` ever
  // opened the database, it would be refused and the browser tests would not start.
  const release = env.GREENLIGHT_DATA_DIR ? acquireFolderLock(env.GREENLIGHT_DATA_DIR) : () => {};
  if (!process.env.E2E_SKIP_BUILD) run("npx", ["next", "build"]);
  release();
  // The server's output is also kept in a file: tests/e2e/operations.spec.ts searches the
  // structured log of the whole run for secrets.
  const logPath = serverLogPath(port);
  mkdirSync(dirname(logPath), { recursive: true });
  const log = createWriteStream(logPath, { flags: "w" });
  const server = spawn("npx", ["next", "start", "-p", port, "-H", "127.0.0.1"], { env, stdio: ["inherit", "pipe", "pipe"] });
  server.stdout!.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    log.write(chunk);
  });
  server.stderr!.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    log.write(chunk);
  });
  const stop = () => server.kill("SIGTERM");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  server.on("exit", (code) => process.exit(code ?? 0));
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { env, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(" ")} failed with exit code ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

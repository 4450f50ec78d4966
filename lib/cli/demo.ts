import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { setupDatabase } from "../db/setup";
import { resolveDbTarget } from "../db/target";

// `npm run demo`: the portal on this machine with the sample rollout and demo accounts.
// Generates the production secrets once (kept, git-ignored, in .data/demo-secrets.json),
// migrates and seeds, builds, and serves on http://localhost:3000 (or PORT).

const SECRETS_FILE = resolve(".data/demo-secrets.json");

const SECRET_NAMES = ["NEXTAUTH_SECRET", "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY", "GREENLIGHT_LEDGER_KEYS"] as const;

function demoSecrets(): Record<string, string> {
  const kept = existsSync(SECRETS_FILE) ? (JSON.parse(readFileSync(SECRETS_FILE, "utf8")) as Record<string, string>) : {};
  const secrets = {
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    GREENLIGHT_LEDGER_KEYS: `demo:${randomBytes(32).toString("base64")}`,
    ...kept,
  };
  // A secrets file from before the ledger was keyed gains its key; nothing kept changes.
  if (SECRET_NAMES.some((name) => !kept[name])) {
    mkdirSync(dirname(SECRETS_FILE), { recursive: true });
    writeFileSync(SECRETS_FILE, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

async function main() {
  const port = process.env.PORT ?? "3000";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...demoSecrets(),
    ...Object.fromEntries(SECRET_NAMES.filter((k) => process.env[k]).map((k) => [k, process.env[k]])),
    GREENLIGHT_DEMO: "1",
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // The seed signs its ledger event in this process: with the key the server will verify it with.
  process.env.GREENLIGHT_LEDGER_KEYS = env.GREENLIGHT_LEDGER_KEYS;
  const { message } = await setupDatabase(resolveDbTarget(env));
  console.log(message);
  const build = spawnSync("npx", ["next", "build"], { env: { ...env, NODE_ENV: "production" }, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
  console.log(`\nGreenlight demo on http://localhost:${port} — demo accounts are listed on the sign-in page.\n`);
  const server = spawn("npx", ["next", "start", "-p", port], { env: { ...env, NODE_ENV: "production" }, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

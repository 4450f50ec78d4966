import { z } from "zod";
import { ledgerKeysProblem } from "./audit/keys";

// The server's environment, validated once. In production the portal refuses to start
// without its secrets and names the missing ones.

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || undefined);

const serverEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: optionalString,
  NEXTAUTH_URL: optionalString,
  NEXTAUTH_SECRET: optionalString,
  NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: optionalString,
  GREENLIGHT_DEMO: z
    .enum(["0", "1", "true", "false", ""])
    .optional()
    .transform((v) => v === "1" || v === "true"),
  GREENLIGHT_ALLOWED_ORIGINS: optionalString,
  // The audit ledger's keys, "kid:base64secret" pairs, the current key first (lib/audit/keys.ts).
  GREENLIGHT_LEDGER_KEYS: optionalString,
  // How many reverse proxies in front of the portal append to X-Forwarded-For. 0 (the
  // default, `npm start` facing clients directly): the client is the socket's peer and
  // X-Forwarded-For is ignored. N: the Nth address from the right of X-Forwarded-For.
  GREENLIGHT_TRUSTED_PROXIES: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || "0")
    .pipe(
      z
        .string()
        .regex(/^\d{1,2}$/, "GREENLIGHT_TRUSTED_PROXIES must be a whole number of proxy hops, from 0 to 10.")
        .transform(Number)
        .refine((n) => n <= 10, "GREENLIGHT_TRUSTED_PROXIES must be a whole number of proxy hops, from 0 to 10."),
    ),
  // API requests one token may make per minute (429 with Retry-After beyond it).
  GREENLIGHT_API_RATE_PER_MINUTE: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || "600")
    .pipe(z.string().regex(/^\d{1,6}$/, "GREENLIGHT_API_RATE_PER_MINUTE must be a whole number of requests.").transform(Number)),
  OIDC_ISSUER: optionalString,
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_NAME: optionalString,
  OIDC_ROLE_CLAIM: optionalString,
  OIDC_ROLE_MAP: optionalString,
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

export const PRODUCTION_SECRETS = ["NEXTAUTH_SECRET", "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY"] as const;

/** Names of the secrets production needs that `env` lacks. */
export function missingProductionSecrets(env: Record<string, string | undefined>): string[] {
  return PRODUCTION_SECRETS.filter((name) => !env[name]?.trim());
}

export function assertProductionSecrets(env: Record<string, string | undefined> = process.env): void {
  const missing = missingProductionSecrets(env);
  if (missing.length) {
    throw new Error(
      `Greenlight refuses to start in production without ${missing.join(" and ")}. ` +
        `Set ${missing.length > 1 ? "them" : "it"} in the environment (see README, "Environment variables"), ` +
        `or run the demo with npm run demo.`,
    );
  }
  const key = env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY!.trim();
  if (Buffer.from(key, "base64").length !== 32) {
    throw new Error("NEXT_SERVER_ACTIONS_ENCRYPTION_KEY must be 32 random bytes, base64-encoded (openssl rand -base64 32).");
  }
  assertLedgerKeys(env);
  assertValidServerEnv(env);
}

/** The audit ledger's key, like the secrets above: production refuses to start without it. */
export function assertLedgerKeys(env: Record<string, string | undefined>): void {
  if (!env.GREENLIGHT_LEDGER_KEYS?.trim()) {
    throw new Error(
      "Greenlight refuses to start in production without GREENLIGHT_LEDGER_KEYS (the audit ledger's key, kid:base64secret; " +
        "see docs/operations.md), or run the demo with npm run demo.",
    );
  }
  const problem = ledgerKeysProblem(env);
  if (problem) throw new Error(problem);
}

/** Refuses to start on a malformed setting (e.g. GREENLIGHT_TRUSTED_PROXIES=two), naming it. */
export function assertValidServerEnv(env: Record<string, string | undefined> = process.env): void {
  const parsed = serverEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Greenlight refuses to start: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
  }
}

let cached: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  cached ??= serverEnvSchema.parse(process.env);
  return cached;
}

/** Tests change the environment between cases. */
export function resetServerEnvCache(): void {
  cached = undefined;
}

// How long the portal waits on its database, from the environment (README, "Environment
// variables"). Without these limits a request waited as long as it took for a free
// connection (11.6 s measured with every connection busy), and so did the readiness probe.

const LIMITS = {
  /** Connections in the pool of each instance. */
  DATABASE_POOL_MAX: { fallback: 10, min: 1, max: 1000 },
  /** How long a query waits for a free connection (or a new one to open) before failing. */
  DATABASE_CONNECT_TIMEOUT_MS: { fallback: 5000, min: 100, max: 600_000 },
  /** How long Postgres lets one statement run (0: no limit). */
  DATABASE_STATEMENT_TIMEOUT_MS: { fallback: 15_000, min: 0, max: 3_600_000 },
  /** How long a transaction may stay open; Postgres also ends a session left idle in one this long. */
  DATABASE_TRANSACTION_TIMEOUT_MS: { fallback: 10_000, min: 100, max: 3_600_000 },
  /** The readiness probe's own deadline for its database round trip. */
  HEALTH_CHECK_TIMEOUT_MS: { fallback: 1000, min: 50, max: 60_000 },
} as const;

export type DatabaseEnv = { -readonly [K in keyof typeof LIMITS]: number };

/** The database limits; a value that is not a whole number in range stops the process, naming it. */
export function databaseEnv(env: Record<string, string | undefined> = process.env): DatabaseEnv {
  const out = {} as DatabaseEnv;
  for (const [name, { fallback, min, max }] of Object.entries(LIMITS) as [keyof typeof LIMITS, (typeof LIMITS)[keyof typeof LIMITS]][]) {
    const raw = env[name]?.trim();
    const parsed = z.coerce.number().int().min(min).max(max).safeParse(raw || fallback);
    if (!parsed.success) throw new Error(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)}).`);
    out[name] = parsed.data;
  }
  return out;
}

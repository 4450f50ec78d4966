import { z } from "zod";

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
  assertValidServerEnv(env);
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

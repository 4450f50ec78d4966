import { createHash } from "node:crypto";

// The ledger's keys live outside the database (GREENLIGHT_LEDGER_KEYS), so someone who can
// write to the database but does not hold a key cannot write events that verify.
//
//   GREENLIGHT_LEDGER_KEYS="2026b:<base64 secret>, 2026a:<base64 secret>"
//
// The first key signs new events; every key listed verifies the events signed with it.
// Rotation: put the new key first and keep the old ones after it for as long as their
// events must stay verifiable (docs/operations.md).

export const LEDGER_KEYS_VAR = "GREENLIGHT_LEDGER_KEYS";

export type LedgerKey = { readonly id: string; readonly secret: Buffer };
export type LedgerKeyring = {
  /** The key new events and checkpoints are signed with. */
  readonly current: LedgerKey;
  readonly byId: ReadonlyMap<string, LedgerKey>;
  /** True when no key was configured and the public development key stands in. */
  readonly development: boolean;
};

const KEY_ID = /^[A-Za-z0-9._-]{1,40}$/;
const MIN_SECRET_BYTES = 32;

/**
 * Not a secret: the key development and tests use when none is configured. Production
 * refuses to start without a key of its own, and events signed with this one (kid "dev")
 * do not verify where it is not configured.
 */
export const DEVELOPMENT_KEY: LedgerKey = {
  id: "dev",
  secret: createHash("sha256").update("greenlight development ledger key (public, never for production)").digest(),
};

/** Parses `kid:base64secret` pairs, separated by commas or whitespace; throws a message naming what is wrong. */
export function parseLedgerKeys(raw: string): LedgerKey[] {
  const parts = raw.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) throw new Error(`${LEDGER_KEYS_VAR} is empty: give at least one key as kid:base64secret.`);
  const keys: LedgerKey[] = [];
  for (const part of parts) {
    const colon = part.indexOf(":");
    const id = colon > 0 ? part.slice(0, colon) : "";
    const encoded = colon > 0 ? part.slice(colon + 1) : "";
    if (!KEY_ID.test(id) || !encoded) {
      throw new Error(`${LEDGER_KEYS_VAR}: each key must be kid:base64secret, the kid 1-40 letters, digits, ".", "_" or "-".`);
    }
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new Error(`${LEDGER_KEYS_VAR}: the secret of key "${id}" is not base64.`);
    const secret = Buffer.from(encoded, "base64");
    if (secret.length < MIN_SECRET_BYTES) {
      throw new Error(`${LEDGER_KEYS_VAR}: the secret of key "${id}" has ${secret.length} bytes; it needs at least ${MIN_SECRET_BYTES} (openssl rand -base64 32).`);
    }
    if (keys.some((k) => k.id === id)) throw new Error(`${LEDGER_KEYS_VAR}: key id "${id}" appears twice.`);
    keys.push({ id, secret });
  }
  return keys;
}

export function keyringOf(keys: readonly LedgerKey[], development = false): LedgerKeyring {
  return { current: keys[0], byId: new Map(keys.map((k) => [k.id, k])), development };
}

let cache: { raw: string | undefined; production: boolean; keyring: LedgerKeyring } | undefined;
let warned = false;

/**
 * The keyring from the environment. Without GREENLIGHT_LEDGER_KEYS, production refuses
 * (throws); development and tests use the public development key, with a warning.
 */
export function ledgerKeyring(env: Record<string, string | undefined> = process.env): LedgerKeyring {
  const raw = env[LEDGER_KEYS_VAR]?.trim() || undefined;
  const production = env.NODE_ENV === "production";
  if (cache && cache.raw === raw && cache.production === production) return cache.keyring;
  let keyring: LedgerKeyring;
  if (raw) keyring = keyringOf(parseLedgerKeys(raw));
  else if (production) throw new Error(`${LEDGER_KEYS_VAR} is not set: production refuses to write or verify the ledger without its key.`);
  else {
    if (!warned && env.NODE_ENV !== "test" && !env.VITEST) {
      console.warn(`${LEDGER_KEYS_VAR} is not set: the ledger is keyed with the public development key. Never use this in production.`);
    }
    warned = true;
    keyring = keyringOf([DEVELOPMENT_KEY], true);
  }
  cache = { raw, production, keyring };
  return keyring;
}

/** For lib/env.ts: why production may not start with this environment, or null. */
export function ledgerKeysProblem(env: Record<string, string | undefined>): string | null {
  const raw = env[LEDGER_KEYS_VAR]?.trim();
  if (!raw) return null;
  try {
    parseLedgerKeys(raw);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

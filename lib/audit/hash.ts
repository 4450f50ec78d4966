import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { LedgerKey } from "./keys";

// How an event's hash is computed. Version 1 (events written before the ledger was keyed):
// SHA-256 over the previous hash and the event's canonical JSON, keys sorted by the
// runtime's collation. Version 2: HMAC-SHA-256 under a ledger key, over the version, the
// key id, the previous hash and the canonical JSON with keys in code-point order, so the
// same event gives the same bytes whatever the machine's locale.

export const HASH_VERSION_LEGACY = 1;
export const HASH_VERSION_KEYED = 2;

/** The fields an event's hash covers. */
export type HashedEvent = {
  rolloutId: string | null;
  seq: number;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  at: Date;
};

/** Code-point order: UTF-8 bytes compare in the same order as the code points they encode. */
export function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/**
 * Stable JSON: object keys in code-point order at every depth, so the same content gives
 * the same bytes everywhere. Written out by hand because a JavaScript object always lists
 * integer-like keys ("9", "10") first and in numeric order, whatever order they are added.
 * Otherwise as JSON.stringify: undefined and functions are left out of objects (null in
 * arrays), toJSON is honoured, bigints become strings.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value) ?? "null";
}

function serialize(value: unknown): string | undefined {
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return undefined;
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === "function") return serialize(withToJson.toJSON());
  if (Array.isArray(value)) return `[${value.map((item) => serialize(item) ?? "null").join(",")}]`;
  const entries = Object.keys(value)
    .sort(compareCodePoints)
    .flatMap((key) => {
      const text = serialize((value as Record<string, unknown>)[key]);
      return text === undefined ? [] : [`${JSON.stringify(key)}:${text}`];
    });
  return `{${entries.join(",")}}`;
}

// Version 1, exactly as it was written: JSON.stringify over objects rebuilt with their keys
// sorted by `localeCompare` in the writer's default locale. The servers that wrote those
// events ran in English, so version 1 is re-checked with English collation.
const englishCollation = new Intl.Collator("en");
function legacyCanonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => englishCollation.compare(a, b)));
    }
    return v;
  });
}

function payloadOf(event: HashedEvent) {
  return {
    rolloutId: event.rolloutId,
    seq: event.seq,
    actorId: event.actorId,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId ?? null,
    before: event.before ?? null,
    after: event.after ?? null,
    at: event.at.toISOString(),
  };
}

/** Version 1: the unkeyed SHA-256 of events written before the ledger was keyed. Anyone can compute it. */
export function legacyEventHash(prevHash: string | null, event: HashedEvent): string {
  return createHash("sha256").update(`${prevHash ?? ""}\n${legacyCanonicalJson(payloadOf(event))}`).digest("hex");
}

/** The exact bytes version 2 signs. */
export function keyedEventMessage(keyId: string, prevHash: string | null, event: HashedEvent): string {
  return `greenlight-ledger/${HASH_VERSION_KEYED}\n${keyId}\n${prevHash ?? ""}\n${canonicalJson(payloadOf(event))}`;
}

/** Version 2: HMAC-SHA-256 under `key`, covering the key id and the previous hash. */
export function keyedEventHash(key: LedgerKey, prevHash: string | null, event: HashedEvent): string {
  return createHmac("sha256", key.secret).update(keyedEventMessage(key.id, prevHash, event), "utf8").digest("hex");
}

/** A MAC over any canonical value (checkpoints, security events), domain-separated by `purpose`. */
export function keyedMac(key: LedgerKey, purpose: string, value: unknown): string {
  return createHmac("sha256", key.secret).update(`greenlight-${purpose}\n${key.id}\n${canonicalJson(value)}`, "utf8").digest("hex");
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

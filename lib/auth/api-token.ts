import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { getDb } from "../db/client";
import { serverEnv } from "../env";
import { AppError } from "../errors";
import { clientAddress } from "./client-address";
import { isScope, type Scope } from "./scopes";
import { getActor, type Actor } from "./session";
import { isSameOrigin } from "../server/origin";

// API tokens: the secret is shown once and stored only as its SHA-256 (the secret has 256
// bits of entropy, so a plain hash is enough: nothing to brute-force). The prefix says
// what kind of token a leaked string is ("glpat_" personal, "glsa_" service account), so
// secret scanners can recognise it.

export const TOKEN_PREFIX = { PERSONAL: "glpat_", SERVICE: "glsa_" } as const;
const TOKEN_SHAPE = /^(glpat|glsa)_[A-Za-z0-9_-]{43}$/;

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new secret of the kind, and what lists may show of it. */
export function newApiToken(kind: keyof typeof TOKEN_PREFIX): { token: string; hash: string; prefix: string } {
  const token = `${TOKEN_PREFIX[kind]}${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashApiToken(token), prefix: token.slice(0, TOKEN_PREFIX[kind].length + 4) };
}

/** The one refusal for every token that does not work: absent, malformed, unknown, revoked, expired, or its owner deactivated. */
export function tokenRefused(): AppError {
  return new AppError("UNAUTHENTICATED", { key: "errors.api.tokenRefused" });
}

/**
 * The caller behind a bearer token, with the token's scopes, or the refusal. Records the
 * last use (time and address) of a token that works.
 */
export async function actorFromBearer(token: string, address: string | null, now = new Date()): Promise<Actor> {
  if (!TOKEN_SHAPE.test(token)) throw tokenRefused();
  const db = getDb();
  const record = await db.apiToken.findUnique({
    where: { tokenHash: hashApiToken(token) },
    select: { id: true, scopes: true, expiresAt: true, revokedAt: true, user: { select: { id: true, email: true, name: true, locale: true, active: true } } },
  });
  if (!record || record.revokedAt || record.expiresAt <= now || !record.user.active) throw tokenRefused();
  await db.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: now, lastUsedAddress: address } });
  const { id, email, name, locale } = record.user;
  return { id, email, name, locale, scopes: record.scopes.filter(isScope) as Scope[], tokenId: record.id };
}

/**
 * The one resolver for an API request: a bearer token (its owner, narrowed to its scopes),
 * else the session cookie — accepted only when the request passes the same-origin check,
 * so another site cannot make a signed-in browser call the API.
 */
export async function resolveApiActor(request: Request): Promise<Actor> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw tokenRefused();
    return actorFromBearer(match[1]!, clientAddress(request.headers, serverEnv().GREENLIGHT_TRUSTED_PROXIES));
  }
  const actor = await getActor();
  if (!actor) throw tokenRefused();
  if (!isSameOrigin(request.headers)) throw new AppError("UNAUTHENTICATED", { key: "errors.api.cookieOrigin" });
  return actor;
}

// Rate limit per token: a fixed one-minute window counted in this process. Several
// instances each count their own share (see docs/api.md).
type Window = { start: number; count: number };
const WINDOWS_KEY = Symbol.for("greenlight.api-rate-windows");
function windows(): Map<string, Window> {
  const holder = globalThis as { [WINDOWS_KEY]?: Map<string, Window> };
  return (holder[WINDOWS_KEY] ??= new Map());
}

/** Counts one request of the token; the seconds to wait when it is over its limit, else null. */
export function takeRateSlot(tokenId: string, limit = serverEnv().GREENLIGHT_API_RATE_PER_MINUTE, now = Date.now()): number | null {
  const all = windows();
  let window = all.get(tokenId);
  if (!window || now - window.start >= 60_000) {
    if (all.size > 10_000) for (const [id, w] of all) if (now - w.start >= 60_000) all.delete(id);
    window = { start: now, count: 0 };
    all.set(tokenId, window);
  }
  window.count += 1;
  if (window.count <= limit) return null;
  return Math.max(1, Math.ceil((window.start + 60_000 - now) / 1000));
}

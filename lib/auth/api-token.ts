import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { getDb, type Db } from "../db/client";
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

// Rate limit per token, shared by every instance: a fixed one-minute window counted in
// Postgres (`ApiRateWindow`, one row per token). One atomic statement per request, on the
// database's clock (so instances with skewed clocks still agree): a window that has ended
// starts afresh at 1, otherwise the count goes up; concurrent requests queue on the row.

/** Counts one request of the token; the seconds to wait when it is over its limit, else null. */
export async function takeRateSlot(tokenId: string, limit = serverEnv().GREENLIGHT_API_RATE_PER_MINUTE, db: Db = getDb()): Promise<number | null> {
  const [row] = await db.$queryRaw<{ count: number; waitSeconds: number }[]>`
    INSERT INTO "ApiRateWindow" AS w ("tokenId", "count", "windowEnds")
    VALUES (${tokenId}, 1, (now() AT TIME ZONE 'UTC') + interval '1 minute')
    ON CONFLICT ("tokenId") DO UPDATE SET
      "count" = CASE WHEN w."windowEnds" <= (now() AT TIME ZONE 'UTC') THEN 1 ELSE w."count" + 1 END,
      "windowEnds" = CASE WHEN w."windowEnds" <= (now() AT TIME ZONE 'UTC') THEN EXCLUDED."windowEnds" ELSE w."windowEnds" END
    RETURNING w."count", CEIL(EXTRACT(EPOCH FROM (w."windowEnds" - (now() AT TIME ZONE 'UTC'))))::int AS "waitSeconds"`;
  if (Number(row!.count) <= limit) return null;
  return Math.min(60, Math.max(1, Number(row!.waitSeconds)));
}

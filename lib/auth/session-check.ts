import { getDb } from "../db/client";
import type { Scope } from "./scopes";
import { SESSION_MAX_AGE_SECONDS, sessionIsFresh } from "./constants";

// The per-request session check, without Next-only imports, so the proxy can use it too.

/**
 * Who is calling. `scopes` and `tokenId` are set only when the call comes with an API token
 * (`lib/auth/api-token.ts`): the data layer then also requires a scope reaching each action.
 */
export type Actor = {
  id: string;
  email: string;
  name: string;
  locale: string | null;
  scopes?: readonly Scope[];
  tokenId?: string;
  /** The account's instance-wide rights, read with the session check (absent for an API token's caller: read when needed). */
  instanceRights?: InstanceRights;
};

/** Instance-wide rights of an account (not tied to a rollout). */
export type InstanceRights = { isInstanceAdmin: boolean; canCreateRollouts: boolean };

export type SessionClaims = { sub?: unknown; sv?: unknown; sid?: unknown; authTime?: unknown; lastSeen?: unknown };

/**
 * The person behind a session, or null when the session has ended. Checked on every
 * request against the database, in one query: the user must be active, hold the same
 * sessionVersion (a role change, password change, deactivation or "sign out everywhere"
 * bumps it), and the session's id must not have been signed out. The same read gives the
 * account's instance-wide rights (the header and the instance pages need them on every
 * page), so they cost no statement of their own. A database error is thrown, not read as
 * "signed out": an outage must not end anyone's session.
 */
export async function actorFromClaims(claims: SessionClaims, now = Date.now()): Promise<Actor | null> {
  const { sub, sv, sid } = claims;
  if (typeof sub !== "string" || typeof sv !== "number" || typeof sid !== "string" || !sid) return null;
  if (!sessionIsFresh(claims, now / 1000)) return null;
  const user = await getDb().user.findFirst({
    where: { id: sub, revokedSessions: { none: { sid } } },
    select: { id: true, email: true, name: true, active: true, sessionVersion: true, locale: true, isInstanceAdmin: true, canCreateRollouts: true },
  });
  if (!user || !user.active || user.sessionVersion !== sv) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    locale: user.locale,
    instanceRights: { isInstanceAdmin: user.isInstanceAdmin, canCreateRollouts: user.isInstanceAdmin || user.canCreateRollouts },
  };
}

/** Ends one session (signing out): its id is refused from now on, until the token could no longer be valid anyway. */
export async function revokeSession(claims: SessionClaims, now = Date.now()): Promise<void> {
  const { sub, sid, authTime } = claims;
  if (typeof sub !== "string" || typeof sid !== "string" || !sid) return;
  const issued = typeof authTime === "number" ? authTime * 1000 : now;
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: sub }, select: { id: true } });
  if (!user) return;
  await db.revokedSession.createMany({
    data: [{ sid, userId: sub, expiresAt: new Date(issued + SESSION_MAX_AGE_SECONDS * 1000) }],
    skipDuplicates: true,
  });
  // Housekeeping: a revoked session past its longest life needs no entry.
  await db.revokedSession.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
}

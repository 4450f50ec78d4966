import "server-only";
import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { authSecret, sessionCookieName, sessionIsFresh } from "./constants";

export type Actor = { id: string; email: string; name: string; locale: string | null };

export type SessionClaims = { sub?: string; sv?: number; authTime?: number; lastSeen?: number };

/**
 * The person behind a session, or null. Checked on every request against the database:
 * a role change, password change or deactivation bumps the user's sessionVersion, so an
 * older token stops working at once, not when it expires.
 */
export async function actorFromClaims(claims: SessionClaims, now = Date.now()): Promise<Actor | null> {
  const { sub, sv } = claims;
  if (!sub || !sv || !sessionIsFresh(claims, now / 1000)) return null;
  const user = await getDb().user.findUnique({
    where: { id: sub },
    select: { id: true, email: true, name: true, active: true, sessionVersion: true, locale: true },
  });
  if (!user || !user.active || user.sessionVersion !== sv) return null;
  return { id: user.id, email: user.email, name: user.name, locale: user.locale };
}

/** The signed-in person for this request (memoized per request), from next-auth's session cookie. */
export const getActor = cache(async (): Promise<Actor | null> => {
  const raw = (await cookies()).get(sessionCookieName())?.value;
  if (!raw) return null;
  const token = await decode({ token: raw, secret: authSecret() }).catch(() => null);
  if (!token) return null;
  return actorFromClaims({ sub: token.sub, sv: token.sv, authTime: token.authTime, lastSeen: token.lastSeen });
});

export async function requireActor(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) throw new AppError("UNAUTHENTICATED", { key: "errors.request.sessionEnded" });
  return actor;
}

/** For pages: a signed-out visitor is sent to the sign-in page. */
export async function requirePageActor(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect("/sign-in");
  return actor;
}

import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { recordSecurityEvent } from "../audit/record";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { sessionCookieName } from "./constants";
import { decodeSessionCookie } from "./session-decode";
import { actorFromClaims, type Actor } from "./session-check";

export { actorFromClaims, revokeSession, type Actor, type InstanceRights, type SessionClaims } from "./session-check";

/**
 * The decoded session cookie of this request, or null (absent, forged, or expired). Decoded
 * once per request: the proxy's decode is reused (`decodeSessionCookie`), and React's
 * `cache` keeps the result for the rest of the render.
 */
export const getSessionClaims = cache(async () => {
  const raw = (await cookies()).get(sessionCookieName())?.value;
  return decodeSessionCookie(raw);
});

/**
 * The signed-in person for this request (memoized per request), from next-auth's session
 * cookie. A database error propagates (the page's error boundary, or the action's error),
 * and nothing here touches the cookie.
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const token = await getSessionClaims();
  if (!token) return null;
  return actorFromClaims(token);
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

/** "Sign out everywhere": every session of the person, this one included, ends at once (and it is on record). */
export async function signOutEverywhere(actor: Actor): Promise<void> {
  await getDb().$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { sessionVersion: { increment: 1 } } });
    await recordSecurityEvent(tx, { actorId: actor.id, action: "user.signed-out-everywhere", targetType: "User", targetId: actor.id });
  });
}

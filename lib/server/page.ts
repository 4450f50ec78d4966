import "server-only";
import { notFound } from "next/navigation";
import { requirePageActor } from "../auth/session";
import { getMemberships } from "../auth/access";
import { loadRolloutSnapshot } from "../dal/snapshot";
import { isAppError } from "../errors";
import { isLookupKey } from "../validation/input";

/** For rollout pages: the signed-in person and the rollout's snapshot; a rollout they do not belong to is a 404. */
export async function rolloutPage(slug: string) {
  const actor = await requirePageActor();
  if (!isLookupKey(slug)) notFound();
  const snapshot = await orNotFound(loadRolloutSnapshot(actor, slug));
  return { actor, snapshot };
}

/** A page's read, where "not found" or "not allowed" both answer 404 (nothing leaks about what exists). */
export function orNotFound<T>(read: Promise<T>): Promise<T> {
  return read.catch((error: unknown) => {
    if (isAppError(error, "NOT_FOUND") || isAppError(error, "FORBIDDEN")) notFound();
    throw error;
  });
}

/** For pages that need only which rollout it is (no snapshot): the person and their membership, or a 404. */
export async function rolloutMembership(slug: string) {
  const actor = await requirePageActor();
  const membership = (await getMemberships(actor.id)).find((m) => m.slug === slug);
  if (!membership) notFound();
  return { actor, membership };
}

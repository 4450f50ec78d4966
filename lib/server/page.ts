import "server-only";
import { notFound } from "next/navigation";
import { requirePageActor } from "../auth/session";
import { getMemberships } from "../auth/access";
import { isAppError } from "../errors";

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

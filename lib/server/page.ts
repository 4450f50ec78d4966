import "server-only";
import { notFound } from "next/navigation";
import { requirePageActor } from "../auth/session";
import { loadRolloutSnapshot } from "../dal/snapshot";
import { isAppError } from "../errors";

/** For rollout pages: the signed-in person and the rollout's snapshot; a rollout they do not belong to is a 404. */
export async function rolloutPage(slug: string) {
  const actor = await requirePageActor();
  const snapshot = await loadRolloutSnapshot(actor, slug).catch((error: unknown) => {
    if (isAppError(error, "NOT_FOUND")) notFound();
    throw error;
  });
  return { actor, snapshot };
}

import "server-only";
import { assertCan } from "../auth/access";
import type { Action } from "../auth/permissions";
import { getActor, type Actor } from "../auth/session";
import { loadRolloutSnapshot, type RolloutSnapshot } from "../dal/snapshot";
import { isAppError } from "../errors";

const STATUS = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, INVALID_INPUT: 400, CONFLICT: 409, STALE: 409, RATE_LIMITED: 429, BAD_ORIGIN: 403 } as const;

export function errorResponse(error: unknown): Response {
  if (isAppError(error)) return Response.json({ error: error.message, code: error.code }, { status: STATUS[error.code] });
  throw error;
}

/** For GET route handlers of a rollout: the signed-in caller, allowed `action`, and the rollout's snapshot. */
export async function withRollout(slug: string, action: Action, work: (actor: Actor, snapshot: RolloutSnapshot) => Promise<Response> | Response): Promise<Response> {
  try {
    const actor = await getActor();
    if (!actor) return Response.json({ error: "Sign in first.", code: "UNAUTHENTICATED" }, { status: 401 });
    const snapshot = await loadRolloutSnapshot(actor, slug);
    await assertCan(actor, snapshot.rollout.id, action);
    return await work(actor, snapshot);
  } catch (error) {
    return errorResponse(error);
  }
}

export function fileResponse(body: string, type: string, filename: string): Response {
  return new Response(body, {
    headers: {
      "content-type": `${type}; charset=utf-8`,
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "private, no-store",
    },
  });
}

import "server-only";
import type { z } from "zod";
import { assertCan } from "../auth/access";
import type { Action } from "../auth/permissions";
import { getActor, type Actor } from "../auth/session";
import { loadRolloutSnapshot, type RolloutSnapshot } from "../dal/snapshot";
import { AppError, isAppError } from "../errors";
import { translator, type LocaleSource } from "../i18n/server-messages";
import { safeParseIn } from "../i18n/zod";
import { isLookupKey } from "../validation/input";

const STATUS = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, INVALID_INPUT: 400, CONFLICT: 409, STALE: 409, RATE_LIMITED: 429, BAD_ORIGIN: 403 } as const;

/** An AppError as JSON, its message in the requester's language; any other error is rethrown. */
export async function errorResponse(error: unknown, actor?: Actor | null): Promise<Response> {
  if (!isAppError(error)) throw error;
  const t = await translator({ actor });
  return Response.json({ error: t(error.i18n), code: error.code }, { status: STATUS[error.code] });
}

/**
 * `schema.safeParse(input)` for a route handler; a refusal becomes a 400 naming the first
 * problem in the requester's language (`locale` says where that comes from).
 */
export async function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  options: { locale?: LocaleSource; headers?: HeadersInit } = {},
): Promise<{ ok: true; data: z.output<S> } | { ok: false; response: Response }> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  // Parsed again, only to word the refusal in the requester's language.
  const t = await translator(options.locale);
  const worded = safeParseIn(t.locale, schema, input);
  const message = (!worded.success && worded.error.issues[0]?.message) || t({ key: "validation.invalid" });
  return { ok: false, response: Response.json({ error: message, code: "INVALID_INPUT" }, { status: 400, headers: options.headers }) };
}

/** For GET route handlers of a rollout: the signed-in caller, allowed `action`, and the rollout's snapshot. */
export async function withRollout(slug: string, action: Action, work: (actor: Actor, snapshot: RolloutSnapshot) => Promise<Response> | Response): Promise<Response> {
  let actor: Actor | null | undefined;
  try {
    actor = await getActor();
    if (!actor) throw new AppError("UNAUTHENTICATED", { key: "errors.request.signInFirst" });
    // A slug no rollout can have (empty, overlong, holding NUL) is simply not found.
    if (!isLookupKey(slug)) throw new AppError("NOT_FOUND", { key: "errors.access.noSuchRollout" });
    const snapshot = await loadRolloutSnapshot(actor, slug);
    await assertCan(actor, snapshot.rollout.id, action);
    return await work(actor, snapshot);
  } catch (error) {
    return errorResponse(error, actor);
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

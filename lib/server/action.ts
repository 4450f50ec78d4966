import "server-only";
import { headers } from "next/headers";
import type { z } from "zod";
import { getActor, type Actor } from "../auth/session";
import { AppError, isAppError } from "../errors";
import type { Message, NoticeKey } from "../i18n/format";
import { translator, type Translate } from "../i18n/server-messages";
import { safeParseIn } from "../i18n/zod";
import { toFailure } from "./failure";
import { isSameOrigin } from "./origin";
import { runInActionContext, type ActionContext } from "../observe/context";
import { logger } from "../observe/log";
import { recordAction, type ActionOutcome } from "../observe/metrics";
import { REQUEST_ID_HEADER } from "../observe/request-id";

// One shape for every server action: same-origin check, session, zod, then the work
// (which authorizes in the data layer); errors become one clear message, and every
// message is said in the requester's language.
//
// An action is a public endpoint: whatever a form, a script or a fuzzer posts reaches it.
// `input` is taken as it comes (FormData from a form, with or without JavaScript; a plain
// object from code; anything at all from a crafted request) and turned into an object
// only after the origin and session checks, so garbage is refused like any bad input:
// a result with a clear message, never an exception that becomes a 500.

export type ActionResult<T = unknown> =
  | { ok: true; message?: string; data?: T }
  | { ok: false; code: string; message: string; fieldErrors?: Record<string, string[]>; fresh?: unknown; requestId?: string };

/** What an action's work returns: a refusal is thrown as an AppError instead. */
export type WorkResult<T = unknown> = { ok: true; message?: Message<NoticeKey>; data?: T };

export const initialActionState = { ok: true } as ActionResult;

export async function assertSameOriginRequest(): Promise<void> {
  if (!isSameOrigin(await headers())) {
    throw new AppError("BAD_ORIGIN", { key: "errors.request.badOrigin" });
  }
}

type Options = { public?: boolean };

export async function runAction<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  work: (actor: Actor, data: z.infer<S>) => Promise<WorkResult<T>>,
  options?: Options & { public?: false },
): Promise<ActionResult<T>>;
export async function runAction<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  work: (actor: Actor | null, data: z.infer<S>) => Promise<WorkResult<T>>,
  options: Options & { public: true },
): Promise<ActionResult<T>>;
export async function runAction<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  work: (actor: Actor, data: z.infer<S>) => Promise<WorkResult<T>>,
  options: Options = {},
): Promise<ActionResult<T>> {
  // Every action is counted by outcome and logged on one line (lib/observe).
  const started = performance.now();
  const seen: ActionContext = { requestId: null, actorId: null, rolloutId: null, actionId: null };
  const result = await runInActionContext(seen, () => runActionWork(schema, input, work, options, seen));
  observeAction(result, seen, performance.now() - started);
  return result;
}

async function runActionWork<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  work: (actor: Actor, data: z.infer<S>) => Promise<WorkResult<T>>,
  options: Options,
  seen: ActionContext,
): Promise<ActionResult<T>> {
  let t: Translate | undefined;
  try {
    const requestHeaders = await headers();
    seen.requestId = requestHeaders.get(REQUEST_ID_HEADER);
    seen.actionId = requestHeaders.get("next-action");
    await assertSameOriginRequest();
    const actor = await getActor();
    seen.actorId = actor?.id ?? null;
    t = await translator({ actor });
    if (!actor && !options.public) throw new AppError("UNAUTHENTICATED", { key: "errors.request.sessionEnded" });
    const fields = toFields(input);
    if (!fields) return { ok: false, code: "INVALID_INPUT", message: t({ key: "validation.input.malformed" }) };
    const parsed = safeParseIn(t.locale, schema, fields);
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.join(".") || "_";
        (fieldErrors[key] ??= []).push(issue.message);
      }
      const first = parsed.error.issues[0];
      return { ok: false, code: "INVALID_INPUT", message: first?.message ?? t({ key: "validation.invalid" }), fieldErrors };
    }
    const rolloutId = (parsed.data as { rolloutId?: unknown } | null)?.rolloutId;
    if (typeof rolloutId === "string") seen.rolloutId = rolloutId;
    const { message, ...result } = await work(actor as Actor, parsed.data);
    return message ? { ...result, message: t(message) } : result;
  } catch (error) {
    if (isAppError(error)) {
      t ??= await translator();
      return { ok: false, code: error.code, message: t(error.i18n), fresh: error.details?.fresh };
    }
    return toFailure(error, seen.requestId ?? undefined);
  }
}

function observeAction(result: ActionResult<unknown>, seen: ActionContext, ms: number): void {
  const code = result.ok ? null : result.code;
  const outcome: ActionOutcome = result.ok ? "ok" : code === "STALE" ? "stale" : code === "UNAVAILABLE" || code === "INTERNAL" ? "error" : "refused";
  recordAction(outcome, ms / 1000);
  const line = { requestId: result.ok ? seen.requestId : (result.requestId ?? seen.requestId), actionId: seen.actionId, actorId: seen.actorId, rolloutId: seen.rolloutId, outcome, code, durationMs: Math.round(ms * 10) / 10 };
  if (outcome === "error") logger().error(line, "action");
  else logger().info(line, "action");
}

/**
 * What an action was sent, as an object for zod: FormData (repeated keys become arrays)
 * or a plain object as it is; anything else (nothing, a number, an array, a class
 * instance) is not a form and gives null.
 */
export function toFields(input: unknown): Record<string, unknown> | null {
  if (input instanceof FormData) return formToObject(input);
  if (typeof input !== "object" || input === null || Array.isArray(input)) return null;
  const proto: unknown = Object.getPrototypeOf(input);
  return proto === Object.prototype || proto === null ? (input as Record<string, unknown>) : null;
}

/** FormData → plain object for zod (repeated keys become arrays). */
export function formToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue;
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

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

// One shape for every server action: same-origin check, session, zod, then the work
// (which authorizes in the data layer); errors become one clear message, and every
// message is said in the requester's language.

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
  let t: Translate | undefined;
  try {
    await assertSameOriginRequest();
    const actor = await getActor();
    t = await translator({ actor });
    if (!actor && !options.public) throw new AppError("UNAUTHENTICATED", { key: "errors.request.sessionEnded" });
    const parsed = safeParseIn(t.locale, schema, input);
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.join(".") || "_";
        (fieldErrors[key] ??= []).push(issue.message);
      }
      const first = parsed.error.issues[0];
      return { ok: false, code: "INVALID_INPUT", message: first?.message ?? t({ key: "validation.invalid" }), fieldErrors };
    }
    const { message, ...result } = await work(actor as Actor, parsed.data);
    return message ? { ...result, message: t(message) } : result;
  } catch (error) {
    if (isAppError(error)) {
      t ??= await translator();
      return { ok: false, code: error.code, message: t(error.i18n), fresh: error.details?.fresh };
    }
    return toFailure(error);
  }
}

/** FormData → plain object for zod (repeated keys become arrays). */
export function formToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue;
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

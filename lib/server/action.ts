import "server-only";
import { headers } from "next/headers";
import type { z } from "zod";
import { getActor, type Actor } from "../auth/session";
import { AppError, isAppError } from "../errors";
import { isSameOrigin } from "./origin";

// One shape for every server action: same-origin check, session, zod, then the work
// (which authorizes in the data layer); errors become one clear message.

export type ActionResult<T = unknown> =
  | { ok: true; message?: string; data?: T }
  | { ok: false; code: string; message: string; fieldErrors?: Record<string, string[]>; fresh?: unknown };

export const initialActionState = { ok: true } as ActionResult;

export async function assertSameOriginRequest(): Promise<void> {
  if (!isSameOrigin(await headers())) {
    throw new AppError("BAD_ORIGIN", "This request did not come from the portal's own pages and was refused.");
  }
}

type Options = { public?: boolean };

export async function runAction<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  work: (actor: Actor, data: z.infer<S>) => Promise<ActionResult<T>>,
  options?: Options & { public?: false },
): Promise<ActionResult<T>>;
export async function runAction<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  work: (actor: Actor | null, data: z.infer<S>) => Promise<ActionResult<T>>,
  options: Options & { public: true },
): Promise<ActionResult<T>>;
export async function runAction<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  work: (actor: Actor, data: z.infer<S>) => Promise<ActionResult<T>>,
  options: Options = {},
): Promise<ActionResult<T>> {
  try {
    await assertSameOriginRequest();
    const actor = await getActor();
    if (!actor && !options.public) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.join(".") || "_";
        (fieldErrors[key] ??= []).push(issue.message);
      }
      const first = parsed.error.issues[0];
      return { ok: false, code: "INVALID_INPUT", message: first?.message ?? "Invalid input.", fieldErrors };
    }
    return await work(actor as Actor, parsed.data);
  } catch (error) {
    if (isAppError(error)) {
      return { ok: false, code: error.code, message: error.message, fresh: error.details?.fresh };
    }
    throw error;
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

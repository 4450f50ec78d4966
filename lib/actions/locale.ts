"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "../db/client";
import { LOCALE_COOKIE, LOCALES } from "../i18n/config";
import { invalid } from "../i18n/zod";
import { runAction, type ActionResult } from "../server/action";

const setLocaleSchema = z.object({ locale: z.enum(LOCALES, { error: invalid("validation.language") }) });

/**
 * Remembers the visitor's language for a year, and on their account when signed in.
 * Shaped for `useActionState` (previous state, then the form), so the language form
 * works as a plain HTML form before or without JavaScript.
 */
export async function setLocale(_prev: ActionResult | undefined, formData: unknown): Promise<ActionResult> {
  return runAction(
    setLocaleSchema,
    formData,
    async (actor, { locale }) => {
      (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 60 * 60 * 24 * 365, sameSite: "lax" });
      if (actor) await getDb().user.update({ where: { id: actor.id }, data: { locale } });
      revalidatePath("/", "layout");
      return { ok: true };
    },
    { public: true },
  );
}

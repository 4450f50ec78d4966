"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { LOCALE_COOKIE, LOCALES } from "../i18n/config";

const setLocaleInput = z.object({ locale: z.enum(LOCALES, { error: "Unsupported language." }) });

/** Remembers the visitor's language for a year. */
export async function setLocale(formData: FormData): Promise<void> {
  const parsed = setLocaleInput.safeParse({ locale: formData.get("locale") });
  if (!parsed.success) return;
  (await cookies()).set(LOCALE_COOKIE, parsed.data.locale, {
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
    sameSite: "lax",
    httpOnly: false,
  });
  revalidatePath("/", "layout");
}

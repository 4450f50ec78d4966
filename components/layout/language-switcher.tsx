"use client";

import { useLocale, useTranslations } from "@/lib/i18n/client";
import { useActionState } from "react";
import { setLocale } from "@/lib/actions/locale";
import { LOCALES } from "@/lib/i18n/config";
import type { ActionResult } from "@/lib/server/action";

/**
 * A plain form posting to a server action: it works before (and without) hydration. The
 * action itself (not a client wrapper around it) goes to useActionState, so the server
 * renders a real form post.
 */
export function LanguageSwitcher() {
  const t = useTranslations("language");
  const locale = useLocale();
  const [state, action, pending] = useActionState<ActionResult | undefined, FormData>(setLocale, undefined);
  return (
    <form action={action} className="flex items-center gap-2 text-sm">
      <label htmlFor="locale-select" className="sr-only sm:not-sr-only sm:text-slate-200">
        {t("label")}
      </label>
      <select id="locale-select" name="locale" defaultValue={locale} className="rounded-md border border-slate-500 bg-slate-800 px-2 py-1 text-white">
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {t(code)}
          </option>
        ))}
      </select>
      <button type="submit" disabled={pending} className="rounded-md bg-slate-700 px-2 py-1 font-medium text-white hover:bg-slate-600 disabled:opacity-60">
        {t("change")}
      </button>
      <span role="status" aria-live="polite" className="text-xs text-amber-200">
        {state && !state.ok ? state.message : null}
      </span>
    </form>
  );
}

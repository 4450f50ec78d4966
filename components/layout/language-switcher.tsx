import { useLocale, useTranslations } from "next-intl";
import { setLocale } from "@/lib/actions/locale";
import { LOCALES } from "@/lib/i18n/config";

/** The form's action: the language is remembered and the page is rendered again in it. */
async function changeLanguage(formData: FormData): Promise<void> {
  "use server";
  await setLocale(undefined, formData);
}

/**
 * A plain form posting to a server action, rendered by the server: it works before (and
 * without) hydration, and it brings no code of its own to the browser's first load (with
 * JavaScript, React sends it to the action without reloading the page).
 */
export function LanguageSwitcher() {
  const t = useTranslations("language");
  const locale = useLocale();
  return (
    <form action={changeLanguage} className="flex items-center gap-2 text-sm">
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
      <button type="submit" className="rounded-md bg-slate-700 px-2 py-1 font-medium text-white hover:bg-slate-600">
        {t("change")}
      </button>
    </form>
  );
}

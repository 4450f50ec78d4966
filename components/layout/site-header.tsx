import Link from "next/link";
import { useTranslations } from "next-intl";
import { LanguageSwitcher } from "./language-switcher";

export function SiteHeader() {
  const t = useTranslations();
  return (
    <header className="bg-slate-900 text-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Link href="/" className="flex items-center gap-2 text-lg font-bold">
          <span aria-hidden="true" className="inline-block h-3 w-3 rounded-full bg-green-400" />
          {t("app.name")}
          <span className="hidden text-sm font-normal text-slate-300 sm:inline">· {t("app.tagline")}</span>
        </Link>
        <nav aria-label={t("nav.main")} className="flex items-center gap-4">
          <Link href="/" className="text-sm text-slate-200 hover:text-white">
            {t("nav.overview")}
          </Link>
          <LanguageSwitcher />
        </nav>
      </div>
    </header>
  );
}

import Link from "next/link";
import { useTranslations } from "next-intl";
import type { Actor } from "@/lib/auth/session";
import { NotificationBellOnDemand } from "@/components/notifications/bell-on-demand";
import { LanguageSwitcher } from "./language-switcher";
import { SignOutButton } from "./sign-out-button";

/**
 * The links every page shares. What belongs to one rollout (its dashboards, sections and
 * breadcrumbs) is in that rollout's own layout, so it always follows the rollout on screen.
 */
export function SiteHeader({ actor, showUsers }: { actor: Actor; showUsers: boolean }) {
  const t = useTranslations();
  const link = "rounded px-1 text-sm text-slate-200 hover:text-white";
  return (
    <header className="bg-slate-900 text-white print:hidden">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Link href="/" className="flex items-center gap-2 text-lg font-bold">
          <span aria-hidden="true" className="inline-block h-3 w-3 rounded-full bg-green-400" />
          {t("app.name")}
        </Link>
        <nav aria-label={t("nav.main")} className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <Link href="/" className={link}>
            {t("nav.rollouts")}
          </Link>
          {showUsers ? (
            <Link href="/admin/users" className={link}>
              {t("nav.users")}
            </Link>
          ) : null}
          <Link href="/account" className={`${link} flex flex-col leading-tight`} aria-label={t("header.account", { name: actor.name })}>
            <span className="text-[0.7rem] uppercase tracking-wide text-slate-300">{t("header.yourAccount")}</span>
            <span>{actor.name}</span>
          </Link>
          <NotificationBellOnDemand />
          <LanguageSwitcher />
          <SignOutButton />
        </nav>
      </div>
    </header>
  );
}

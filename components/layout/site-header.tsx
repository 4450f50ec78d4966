import Link from "next/link";
import { useTranslations } from "next-intl";
import type { Membership } from "@/lib/auth/access";
import type { Actor } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { PLAN_ROLES, ROLE_SLUGS } from "@/lib/domain/roles";
import { LanguageSwitcher } from "./language-switcher";
import { SignOutButton } from "./sign-out-button";

export function SiteHeader({ actor, memberships }: { actor: Actor; memberships: Membership[] }) {
  const t = useTranslations();
  const current = memberships[0];
  const dashboards = current ? PLAN_ROLES.filter((role) => current.roles.includes(role)) : [];
  const isAdmin = memberships.some((m) => can(m.roles, "users.manage"));
  const link = "rounded px-1 text-sm text-slate-200 hover:text-white";
  return (
    <header className="bg-slate-900 text-white print:hidden">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Link href="/home" className="flex items-center gap-2 text-lg font-bold">
          <span aria-hidden="true" className="inline-block h-3 w-3 rounded-full bg-green-400" />
          {t("app.name")}
        </Link>
        <nav aria-label={t("nav.main")} className="flex flex-wrap items-center gap-x-4 gap-y-2">
          {current ? (
            <Link href={`/r/${current.slug}`} className={link}>
              {t("nav.overview")}
            </Link>
          ) : null}
          {current
            ? dashboards.map((role) => (
                <Link key={role} href={`/r/${current.slug}/${ROLE_SLUGS[role]}`} className={link}>
                  {t("nav.dashboard", { role: t(`roles.${role}`) })}
                </Link>
              ))
            : null}
          {isAdmin ? (
            <Link href="/admin/users" className={link}>
              {t("nav.users")}
            </Link>
          ) : null}
          <Link href="/account" className={link} aria-label={t("header.account", { name: actor.name })}>
            {actor.name}
          </Link>
          <LanguageSwitcher />
          <SignOutButton />
        </nav>
      </div>
    </header>
  );
}

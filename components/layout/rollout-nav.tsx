import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import type { Role } from "@/lib/generated/prisma/enums";
import { PLAN_ROLES, ROLE_SLUGS } from "@/lib/domain/roles";
import { Badge } from "@/components/ui/badge";
import { CurrentLinks } from "./rollout-tabs";

const TABS = ["", "checklist", "timeline", "go-no-go", "documents", "criteria", "contacts", "activity", "summary", "ledger", "settings"] as const;

type Props = {
  slug: string;
  name: string;
  /** Built-in roles held as themselves: their dashboards. */
  builtInRoles: Role[];
  /** The rollout's own roles the person holds: their dashboards too. */
  customRoles: { id: string; slug: string; name: string }[];
  /** Null unless archived; who and when, as far as known. */
  archived: { at: Date | null; by: string | null } | null;
  isTemplate: boolean;
  showLedger: boolean;
};

/**
 * The rollout on screen: breadcrumbs, the person's dashboards in it and its sections. All
 * links are built from this rollout, never from another one the person belongs to. The
 * sections scroll sideways on a phone instead of wrapping.
 */
export function RolloutNav({ slug, name, builtInRoles, customRoles, archived, isTemplate, showLedger }: Props) {
  const t = useTranslations();
  const format = useFormatter();
  const tabs = TABS.filter((tab) => tab !== "ledger" || showLedger);
  const dashboards = [
    ...PLAN_ROLES.filter((role) => builtInRoles.includes(role)).map((role) => ({ key: role, href: `/r/${slug}/${ROLE_SLUGS[role]}`, name: t(`roles.${role}`) })),
    ...customRoles.map((role) => ({ key: role.id, href: `/r/${slug}/${role.slug}`, name: role.name })),
  ];
  return (
    <div className="flex flex-col gap-2">
      <nav aria-label={t("rolloutNav.breadcrumbs")} className="text-sm">
        <ol className="flex flex-wrap items-center gap-1 text-slate-600">
          <li>
            <Link href="/" className="hover:underline">
              {t("nav.rollouts")}
            </Link>
          </li>
          <li aria-hidden="true">›</li>
          <li>
            <Link href={`/r/${slug}`} className="font-medium text-slate-900 hover:underline">
              {name}
            </Link>
          </li>
          {isTemplate ? <li><Badge tone="info">{t("rolloutNav.template")}</Badge></li> : null}
          {archived ? <li><Badge tone="neutral" icon="stop">{t("rolloutNav.archived")}</Badge></li> : null}
        </ol>
      </nav>
      {archived ? (
        <p role="note" data-testid="archived-banner" className="rounded-md border border-slate-300 bg-slate-100 px-3 py-2 text-sm text-slate-800">
          {archived.at
            ? t("rolloutNav.archivedBy", { name: archived.by ?? t("activity.unknownPerson"), date: format.dateTime(archived.at, { dateStyle: "medium", timeZone: "UTC" }) })
            : t("rolloutNav.archivedNote")}
        </p>
      ) : null}
      {dashboards.length ? (
        <nav aria-label={t("rolloutNav.dashboards")} className="text-sm">
          <ul className="flex flex-wrap gap-2">
            <CurrentLinks variant="pills" links={dashboards.map((d) => ({ href: d.href, label: t("nav.dashboard", { role: d.name }), exact: true }))} />
          </ul>
        </nav>
      ) : null}
      <nav aria-label={t("rolloutNav.label")} className="-mx-4 overflow-x-auto px-4">
        <ul className="flex gap-1 whitespace-nowrap pb-1 text-sm">
          <CurrentLinks variant="tabs" links={tabs.map((tab) => ({ href: `/r/${slug}${tab ? `/${tab}` : ""}`, label: t(`rolloutNav.${tab || "overview"}`), exact: tab === "" }))} />
        </ul>
      </nav>
    </div>
  );
}

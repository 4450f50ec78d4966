import Link from "next/link";
import { useTranslations } from "next-intl";
import type { Role } from "@/lib/generated/prisma/enums";
import { PLAN_ROLES, ROLE_SLUGS } from "@/lib/domain/roles";
import { Badge } from "@/components/ui/badge";
import { CurrentLinks } from "./rollout-tabs";

const TABS = ["", "checklist", "timeline", "go-no-go", "documents", "criteria", "contacts", "activity", "summary", "ledger", "settings"] as const;

type Props = {
  slug: string;
  name: string;
  roles: Role[];
  archived: boolean;
  isTemplate: boolean;
  showLedger: boolean;
};

/**
 * The rollout on screen: breadcrumbs, the person's dashboards in it and its sections. All
 * links are built from this rollout, never from another one the person belongs to. The
 * sections scroll sideways on a phone instead of wrapping.
 */
export function RolloutNav({ slug, name, roles, archived, isTemplate, showLedger }: Props) {
  const t = useTranslations();
  const tabs = TABS.filter((tab) => tab !== "ledger" || showLedger);
  const dashboards = PLAN_ROLES.filter((role) => roles.includes(role));
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
        <p role="note" className="rounded-md border border-slate-300 bg-slate-100 px-3 py-2 text-sm text-slate-800">
          {t("rolloutNav.archivedNote")}
        </p>
      ) : null}
      {dashboards.length ? (
        <nav aria-label={t("rolloutNav.dashboards")} className="text-sm">
          <ul className="flex flex-wrap gap-2">
            <CurrentLinks variant="pills" links={dashboards.map((role) => ({ href: `/r/${slug}/${ROLE_SLUGS[role]}`, label: t("nav.dashboard", { role: t(`roles.${role}`) }), exact: true }))} />
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

import Link from "next/link";
import { useTranslations } from "next-intl";

const TABS = ["", "checklist", "timeline", "go-no-go", "documents", "criteria", "contacts", "activity", "summary", "ledger"] as const;

/** The rollout's sections. Scrolls sideways on a phone instead of wrapping. */
export function RolloutNav({ slug, showLedger }: { slug: string; showLedger: boolean }) {
  const t = useTranslations("rolloutNav");
  const tabs = TABS.filter((tab) => tab !== "ledger" || showLedger);
  return (
    <nav aria-label={t("label")} className="-mx-4 overflow-x-auto px-4">
      <ul className="flex gap-1 whitespace-nowrap text-sm">
        {tabs.map((tab) => (
          <li key={tab || "overview"}>
            <Link href={`/r/${slug}${tab ? `/${tab}` : ""}`} className="inline-block rounded-md px-3 py-1.5 text-slate-700 hover:bg-white hover:text-slate-900">
              {t(tab || "overview")}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

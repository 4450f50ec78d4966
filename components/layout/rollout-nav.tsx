import Link from "next/link";
import { useTranslations } from "next-intl";

const TABS = ["", "checklist", "timeline", "go-no-go", "documents", "criteria", "contacts", "activity"] as const;

/** The rollout's sections. Scrolls sideways on a phone instead of wrapping. */
export function RolloutNav({ slug }: { slug: string }) {
  const t = useTranslations("rolloutNav");
  return (
    <nav aria-label={t("label")} className="-mx-4 overflow-x-auto px-4">
      <ul className="flex gap-1 whitespace-nowrap text-sm">
        {TABS.map((tab) => (
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
